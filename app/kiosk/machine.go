package kiosk

import (
	"errors"
	"fmt"
	"github.com/keydesk/keydesk/app/kiosk/station"
	"regexp"
	"strings"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
)

// Screen is one step of the walk-up flow.
type Screen int

// The screens, in the order a person meets them.
const (
	ScreenAttract   Screen = iota // what the station is for; waits for someone
	ScreenUsername                // type or scan the username
	ScreenInsertKey               // plug in the key (found automatically)
	ScreenChooseKey               // several keys: touch the one you want
	ScreenSetPIN                  // the key has no PIN: choose one, typed twice
	ScreenEnterPIN                // the key has a PIN: type it
	ScreenTouch                   // touch the key (countdown)
	ScreenWorking                 // the key or the Cloud is busy
	ScreenSuccess                 // enrolled, and what to do next
	ScreenFailure                 // not enrolled: catalogue text and helpdesk code
	ScreenAdmin                   // the admin PIN prompt
)

var screenNames = [...]string{"attract", "username", "insert-key", "choose-key", "set-pin",
	"enter-pin", "touch", "working", "success", "failure", "admin"}

func (s Screen) String() string {
	if int(s) < len(screenNames) {
		return screenNames[s]
	}
	return fmt.Sprintf("screen(%d)", int(s))
}

// KeyInfo is the key a person enrolls, as probed with getInfo.
type KeyInfo struct {
	Path         string
	Model        string // product name as listed
	AAGUID       string
	PINSet       bool
	MinPINLength int
	Virtual      bool // KeyDesk's virtual key (demo mode)
	// NoClientPIN: the key cannot have a PIN (ctap.PINSupported is false),
	// so the station, which gives every key one, cannot enroll it.
	NoClientPIN bool
}

// pickKey applies the one rule that says which key to use (ctap.PickKey)
// to the keys that answer: the key, or with several the ones the person
// chooses from by touch (among).
func pickKey(keys []KeyInfo) (chosen KeyInfo, among []KeyInfo, err error) {
	descs := make([]ctap.DeviceDescriptor, len(keys))
	byPath := make(map[string]KeyInfo, len(keys))
	for i, k := range keys {
		descs[i] = ctap.DeviceDescriptor{Path: k.Path, Virtual: k.Virtual}
		byPath[k.Path] = k
	}
	d, err := ctap.PickKey(descs, "")
	var several *ctap.SeveralKeysError
	if errors.As(err, &several) {
		for _, c := range several.Keys {
			among = append(among, byPath[c.Path])
		}
	}
	if err != nil {
		return KeyInfo{}, among, err
	}
	return byPath[d.Path], nil, nil
}

// Machine is the walk-up flow as a view-model: what each screen shows, and
// the transitions between screens. It has no widgets, no goroutines and no
// clock of its own (every call takes now), so tests drive it headless. It
// never holds a PIN: PINs go from the entries to the key.
type Machine struct {
	policy   station.PINPolicy
	pattern  *regexp.Regexp
	label    string
	idle     time.Duration
	hold     time.Duration
	gate     *adminGate
	station  string
	adminDue bool // the admin exit succeeded

	// GateErr is the last trouble reading or writing the admin lockout's
	// state file, for the log; the lockout works on regardless.
	GateErr error

	// Session counts people; workers tag their reports with it so that a
	// late report about the previous person is dropped.
	Session uint64
	State
}

// State is what the screens show. Reset zeroes all of it.
type State struct {
	Screen       Screen
	Started      time.Time // when the person started
	LastActivity time.Time

	Username     string
	UsernameHint string

	KeysSeen   int
	InsertHint string
	Key        KeyInfo

	PINMin      int    // the PIN length asked for on the set-PIN screen
	PINRules    string // the set-PIN screen's rule, from the policy in force
	PINHint     string // why a PIN was refused, or retries left
	PINSetHere  bool   // the kiosk set the key's first PIN this session
	RetriesLeft int

	TouchStart    time.Time
	TouchDeadline time.Time
	Working       string

	Outcome     string      // fido2-client status code of the result
	Cause       result.Code // its cause, on failure
	FailureText string      // the catalogue's end-user text
	HelpCode    string      // "error-1001 (libfido2:-2)"
	// MayBeRegistered: the enrollment failed after the Cloud accepted the
	// credential (ceremony.Record.AcceptedByCloud), so the key may be
	// registered all the same.
	MayBeRegistered bool
	ResultUntil     time.Time

	AdminHint string
	journaled bool
}

// NewMachine returns a machine on the attract screen.
func NewMachine(o Options) (*Machine, error) {
	o.fill()
	re, err := station.CompilePattern(o.UsernamePattern)
	if err != nil {
		return nil, err
	}
	if o.AdminPINHash != "" {
		if err := station.CheckAdminHash(o.AdminPINHash); err != nil {
			return nil, err
		}
	}
	m := &Machine{
		policy: o.PIN, pattern: re, label: o.UsernameLabel,
		idle: o.IdleTimeout, hold: o.ResultHold, station: o.Station,
		gate: &adminGate{hash: o.AdminPINHash, maxTries: o.AdminMaxTries, lockout: o.AdminLockout, path: o.AdminStatePath},
	}
	m.GateErr = m.gate.load(o.now())
	return m, nil
}

// Begin leaves the attract screen for the username screen: a new person.
func (m *Machine) Begin(now time.Time) {
	if m.Screen != ScreenAttract {
		return
	}
	m.Session++
	m.State = State{Screen: ScreenUsername, Started: now, LastActivity: now}
}

// Activity records input from the person, which holds off the idle reset.
// On the attract screen there is nobody to time out.
func (m *Machine) Activity(now time.Time) {
	if m.Screen != ScreenAttract {
		m.LastActivity = now
	}
}

func (m *Machine) goTo(s Screen, now time.Time) {
	m.Screen = s
	m.LastActivity = now
}

// SubmitUsername validates the username and moves on to the key.
func (m *Machine) SubmitUsername(u string, now time.Time) bool {
	if m.Screen != ScreenUsername {
		return false
	}
	u = strings.TrimSpace(u)
	if p := station.CheckUsername(u, m.pattern); p != station.UsernameOK {
		m.UsernameHint = usernameWords(p, m.label)
		m.Activity(now)
		return false
	}
	m.Username, m.UsernameHint = u, ""
	m.goTo(ScreenInsertKey, now)
	return true
}

// KeysFound reports the working keys plugged in now. The key pickKey
// chooses (the only one; a hardware key before the virtual key) on the
// insert (or choose) screen is the person's; several ask them to touch one.
// It returns the key when one was chosen.
func (m *Machine) KeysFound(keys []KeyInfo, now time.Time) (KeyInfo, bool) {
	if m.Screen != ScreenInsertKey && m.Screen != ScreenChooseKey {
		return KeyInfo{}, false
	}
	m.KeysSeen = len(keys)
	k, _, err := pickKey(keys)
	switch {
	case err == nil:
		m.KeyChosen(k, now)
		return k, true
	case errors.Is(err, ctap.ErrSeveralKeys) && m.Screen == ScreenInsertKey:
		// Not activity: with two keys left in, insert ⇄ choose would
		// otherwise hold off the idle reset for ever.
		m.Screen = ScreenChooseKey
	}
	return KeyInfo{}, false
}

// KeyChosen starts on the person's key: the set-PIN screen when it has no
// PIN, else straight to the ceremony. A key that cannot have a PIN stays
// where it is: the station ends the session with Finish
// (keydesk:key-unsupported), before a set-PIN screen whose PIN the key
// would refuse.
func (m *Machine) KeyChosen(k KeyInfo, now time.Time) {
	if m.Screen != ScreenInsertKey && m.Screen != ScreenChooseKey {
		return
	}
	m.Key = k
	if k.NoClientPIN {
		return
	}
	if !k.PINSet {
		m.PINMin = m.policy.MinLengthFor(k.MinPINLength)
		m.PINRules = setPINWords(m.PINMin, m.policy.ForbidsTrivial())
		m.PINHint = ""
		m.goTo(ScreenSetPIN, now)
		return
	}
	m.Working = wordsWorkingPreparing
	m.goTo(ScreenWorking, now)
}

// SelectionFailed returns from "touch the one you want" when no key was
// touched: the person may unplug the others instead.
func (m *Machine) SelectionFailed(now time.Time) {
	if m.Screen != ScreenChooseKey {
		return
	}
	m.Screen = ScreenInsertKey
	m.InsertHint = wordsNoneTouched
}

// NewPIN checks a new PIN typed twice; when it passes the kiosk sets it
// and enrolls.
func (m *Machine) NewPIN(pin, again string, now time.Time) station.PINProblem {
	if m.Screen != ScreenSetPIN {
		return station.PINInvalid
	}
	p := m.policy.Check(pin, again, m.Key.MinPINLength)
	if p != station.PINOK {
		m.PINHint = pinWords(p, m.PINMin)
		m.Activity(now)
		return p
	}
	m.PINHint = ""
	m.PINSetHere = true
	m.Working = wordsWorkingSetPIN
	m.goTo(ScreenWorking, now)
	return station.PINOK
}

// AskPIN shows the PIN prompt the ceremony asked for.
func (m *Machine) AskPIN(reason ctap.PINReason, retries int, now time.Time) {
	if m.Screen == ScreenSuccess || m.Screen == ScreenFailure || m.Screen == ScreenAttract {
		return
	}
	m.RetriesLeft = retries
	m.PINHint = ""
	if reason == ctap.PINRetry {
		m.PINHint = retryWords(retries)
	}
	m.goTo(ScreenEnterPIN, now)
}

// PINEntered leaves the PIN prompt while the key checks it.
func (m *Machine) PINEntered(now time.Time) {
	if m.Screen != ScreenEnterPIN {
		return
	}
	m.Working = wordsWorkingChecking
	m.goTo(ScreenWorking, now)
}

// TouchWaiting shows the touch prompt with its countdown.
func (m *Machine) TouchWaiting(deadline, now time.Time) {
	if m.Screen == ScreenSuccess || m.Screen == ScreenFailure || m.Screen == ScreenAttract {
		return
	}
	m.TouchStart, m.TouchDeadline = now, deadline
	m.goTo(ScreenTouch, now)
}

// TouchDone leaves the touch prompt: the key answered.
func (m *Machine) TouchDone(now time.Time) {
	if m.Screen != ScreenTouch {
		return
	}
	m.TouchDeadline = time.Time{}
	m.Working = wordsWorkingServer
	m.goTo(ScreenWorking, now)
}

// SecondsLeft is the touch countdown.
func (m *Machine) SecondsLeft(now time.Time) int {
	if m.TouchDeadline.IsZero() {
		return 0
	}
	return max(0, int(m.TouchDeadline.Sub(now).Round(time.Second)/time.Second))
}

// Finish shows the result of the session and returns its journal entry.
// rec is the enrollment's record (or, when it could not run, one with the
// fido2-client status code and the failure's most specific cause).
func (m *Machine) Finish(rec ceremony.Record, now time.Time) (station.JournalEntry, bool) {
	if m.Screen == ScreenAttract || m.Screen == ScreenAdmin || m.Screen == ScreenSuccess || m.Screen == ScreenFailure {
		return station.JournalEntry{}, false
	}
	status, cause := rec.StatusCode(), rec.Cause
	m.Outcome = status
	m.TouchDeadline = time.Time{}
	if strings.HasPrefix(status, "success-") {
		m.Cause, m.FailureText, m.HelpCode, m.MayBeRegistered = result.Code{}, "", "", false
		m.goTo(ScreenSuccess, now)
	} else {
		m.Cause = cause
		m.FailureText = failureText(status, cause)
		m.HelpCode = helpdeskCode(status, cause)
		m.MayBeRegistered = rec.AcceptedByCloud
		m.goTo(ScreenFailure, now)
	}
	m.ResultUntil = now.Add(m.hold)
	return m.entry(rec, now), true
}

// entry is the journal line of the session ending with rec: the person
// and the key are the ones this session saw.
func (m *Machine) entry(rec ceremony.Record, now time.Time) station.JournalEntry {
	m.journaled = true
	rec.Kind, rec.Username, rec.KeyModel, rec.AAGUID = ceremony.KindEnroll, m.Username, m.Key.Model, m.Key.AAGUID
	return station.EntryOf(rec, station.Session{Station: m.station, Started: m.Started, Ended: now, PINSet: m.PINSetHere})
}

// Due reports whether the station should return to the attract screen: the
// result has been shown long enough, or nobody touched anything for the
// idle timeout.
func (m *Machine) Due(now time.Time) bool {
	switch m.Screen {
	case ScreenAttract:
		return false
	case ScreenSuccess, ScreenFailure:
		return !now.Before(m.ResultUntil)
	}
	return now.Sub(m.LastActivity) >= m.idle
}

// Reset returns to the attract screen and forgets the person. It returns
// the journal entry of a session that ended before its result (walked
// away, cancelled, idle).
func (m *Machine) Reset(now time.Time) (station.JournalEntry, bool) {
	return m.reset(now, result.CodeCancelled)
}

// Expire is Reset when the station was left idle (Due): a session that
// ends so is journalled with the idle timeout's code, not as a cancel.
func (m *Machine) Expire(now time.Time) (station.JournalEntry, bool) {
	return m.reset(now, result.CodeIdleTimeout)
}

func (m *Machine) reset(now time.Time, cause result.Code) (station.JournalEntry, bool) {
	var e station.JournalEntry
	ok := m.Username != "" && !m.journaled
	if ok {
		e = m.entry(station.Abandoned(cause), now)
	}
	m.Session++
	m.State = State{}
	return e, ok
}

// OpenAdmin resets the flow and shows the admin PIN prompt.
func (m *Machine) OpenAdmin(now time.Time) (station.JournalEntry, bool) {
	e, ok := m.Reset(now)
	m.State = State{Screen: ScreenAdmin, LastActivity: now}
	if m.gate.locked(now) {
		m.AdminHint = adminWords(AdminVerdict{Locked: true, LockedUntil: m.gate.lockedUntil}, now)
	}
	return e, ok
}

// AdminTry checks an admin PIN. After the right one the station may close.
func (m *Machine) AdminTry(pin string, now time.Time) AdminVerdict {
	if m.Screen != ScreenAdmin {
		return AdminVerdict{}
	}
	v, err := m.gate.try(pin, now)
	m.GateErr = err
	m.AdminHint = adminWords(v, now)
	m.adminDue = v.OK
	m.Activity(now)
	return v
}

// Exiting reports whether the admin exit succeeded.
func (m *Machine) Exiting() bool { return m.adminDue }
