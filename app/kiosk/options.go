package kiosk

import (
	"github.com/keydesk/keydesk/app/kiosk/station"
	"os"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
)

// Options configure a kiosk. Zero values give the defaults documented on
// each field.
type Options struct {
	// Cloud is the Authentication Cloud the station enrolls at. Run fills it
	// from the settings (instance URL in config.json, access key from the
	// keyring or KEYDESK_ACCESS_KEY) or, when no instance is configured,
	// from demo mode.
	Cloud ceremony.Cloud
	// Organisation is shown on the attract screen ("Acme Corp").
	Organisation string
	// Station names this kiosk in the journal ("lobby-1").
	Station string
	// UsernameLabel is what people are asked for (default "username").
	UsernameLabel string
	// UsernamePattern, when set, must match the whole username (a Go
	// regular expression, e.g. `[a-z][a-z0-9.]{1,30}`).
	UsernamePattern string
	// PIN is the organisation's policy for PINs set at the kiosk.
	PIN station.PINPolicy
	// NextSteps is the success screen's "what to do next".
	NextSteps string
	// FriendlyName is the name the key gets at the Cloud; "%s" is replaced
	// by the key's model (default "%s (enrolled at the kiosk)").
	FriendlyName string
	// IdleTimeout returns the station to the attract screen after this long
	// without input (default 60 s).
	IdleTimeout time.Duration
	// ResultHold is how long the success and failure screens stay (default
	// 20 s, never longer than IdleTimeout).
	ResultHold time.Duration
	// PollInterval is how often plugged-in keys are looked for (default
	// 500 ms, at most 1 s).
	PollInterval time.Duration
	// AdminPINHash is the admin PIN as station.HashAdminPIN stores it. Empty
	// disables the admin exit, except in Demo mode, where the shortcut
	// exits at once.
	AdminPINHash string
	// AdminMaxTries wrong admin PINs in a row lock the admin exit for
	// AdminLockout (defaults 3 and 5 min); each further lockout before the
	// right PIN lasts twice as long, up to a day.
	AdminMaxTries int
	AdminLockout  time.Duration
	// AdminStatePath keeps the admin lockout across restarts (0600); ""
	// keeps it in memory only (Run uses station.AdminStateFile in the config
	// folder).
	AdminStatePath string
	// JournalPath is the session journal; "" keeps no journal (Run uses
	// station.DefaultJournalPath).
	JournalPath string
	// Demo marks a station running against the emulator and virtual key.
	Demo bool
	// Enrollment is kiosk.json's "enrollment" member ("" when it has
	// none): Run refuses "pass" until the kiosk can redeem a pass, and
	// its start-up log says what a username kiosk allows unless
	// "username" was written explicitly.
	Enrollment station.Enrollment
	// Language is the language of the station's words: "de" or "en"
	// (default: the environment's, LANGUAGE/LC_ALL/LC_MESSAGES/LANG).
	Language string
	// OnExit is called after a successful admin exit (Run quits the app).
	OnExit func()
	// tick is the clock's resolution (tests shorten it); default 250 ms.
	tick time.Duration
	// now replaces the clock in tests.
	now func() time.Time
}

func (o *Options) fill() {
	if o.Language == "" {
		o.Language = result.LanguageFromEnv(os.Getenv)
	}
	useLanguage(o.Language)
	if o.UsernameLabel == "" {
		o.UsernameLabel = wordsUsernameLabel
	}
	if o.NextSteps == "" {
		o.NextSteps = wordsNextSteps
	}
	if o.FriendlyName == "" {
		o.FriendlyName = "%s (enrolled at the kiosk)"
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 60 * time.Second
	}
	if o.ResultHold <= 0 {
		o.ResultHold = 20 * time.Second
	}
	o.ResultHold = min(o.ResultHold, o.IdleTimeout)
	if o.PollInterval <= 0 {
		o.PollInterval = 500 * time.Millisecond
	}
	o.PollInterval = min(o.PollInterval, time.Second)
	if o.AdminMaxTries <= 0 {
		o.AdminMaxTries = 3
	}
	if o.AdminLockout <= 0 {
		o.AdminLockout = 5 * time.Minute
	}
	if o.tick <= 0 {
		o.tick = 250 * time.Millisecond
	}
	if o.now == nil {
		o.now = time.Now
	}
}

// OptionsFrom turns the station's settings (kiosk.json) into kiosk
// options, without a Cloud.
func OptionsFrom(s station.Settings) Options {
	return Options{
		Organisation: s.Organisation, Station: s.Station,
		UsernameLabel: s.UsernameLabel, UsernamePattern: s.UsernamePattern,
		PIN: s.PIN, NextSteps: s.NextSteps, FriendlyName: s.FriendlyName,
		IdleTimeout:   time.Duration(s.IdleTimeoutSeconds) * time.Second,
		ResultHold:    time.Duration(s.ResultHoldSeconds) * time.Second,
		AdminPINHash:  s.AdminPINHash,
		AdminMaxTries: s.AdminMaxTries,
		AdminLockout:  time.Duration(s.AdminLockoutSeconds) * time.Second,
		JournalPath:   s.Journal,
		Enrollment:    s.Enrollment,
	}
}
