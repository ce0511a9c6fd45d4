package window

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/result"
)

// prefLanguage is the preference key of the chosen language.
const prefLanguage = "language"

// SettingsModel is the Settings screen's state. The access key never sits
// in a binding: the screen hands a newly typed key to Save and shows only
// KeyMask.
type SettingsModel struct {
	s     settingsServices
	prefs fyne.Preferences
	// InstanceURL and Origin are the connection settings as typed.
	InstanceURL binding.String
	Origin      binding.String
	// KeyMask shows whether an access key is stored, masked.
	KeyMask binding.String
	// Station is the station chosen on the screen: "helpdesk" or
	// "desktop" (config.Station). Only a helpdesk station has an access
	// key field.
	Station binding.String
	// OnStationChanged runs on the UI goroutine after a save changed the
	// kind of station (the window retitles itself and rebuilds its tabs).
	OnStationChanged func()
	// Language is "" (system), "en" or "de".
	Language binding.String
	// Status is the last save or connection test result.
	Status   binding.String
	StatusOK binding.Bool
	// Busy is true while a save or a connection test runs (the screen's
	// action: one at a time, off the UI goroutine, cancellable).
	Busy binding.Bool

	act *action
}

// NewSettingsModel returns the model; Load fills it.
func NewSettingsModel(s *Services, prefs fyne.Preferences) *SettingsModel {
	return newSettingsModel(s, prefs)
}

func newSettingsModel(s settingsServices, prefs fyne.Preferences) *SettingsModel {
	act := newAction()
	return &SettingsModel{s: s, prefs: prefs, act: act, Busy: act.Busy,
		InstanceURL: binding.NewString(), Origin: binding.NewString(), KeyMask: binding.NewString(), Station: binding.NewString(),
		Language: binding.NewString(), Status: binding.NewString(), StatusOK: binding.NewBool()}
}

// Cancel ends a running connection test.
func (m *SettingsModel) Cancel() { m.act.Cancel() }

// Wait blocks until a running save or connection test has returned.
func (m *SettingsModel) Wait() { m.act.Wait() }

// show sets the status line: directly on the UI goroutine (Load), through
// fyne.Do from the action's worker (Save, TestConnection).
func (m *SettingsModel) show(ok bool, msg string, worker bool) {
	if worker {
		set(m.StatusOK, ok)
		set(m.Status, msg)
		return
	}
	_ = m.StatusOK.Set(ok)
	_ = m.Status.Set(msg)
}

// maskKey shows that a key is stored without showing it.
func maskKey(k cloud.Secret) string {
	if k.IsZero() {
		return lang.L("not stored")
	}
	return "••••••••"
}

// Load reads the settings and whether an access key is stored. Like
// SetLanguage it runs on the UI goroutine; Save and TestConnection run on
// the action's worker goroutine.
func (m *SettingsModel) Load() {
	st, err := m.s.settingsStore().Load()
	if err != nil {
		m.fail(err, false)
	}
	_ = m.InstanceURL.Set(st.InstanceURL)
	_ = m.Origin.Set(st.Origin)
	// The choice offered: helpdesk or user desktop; anything else (none
	// chosen, kiosk) shows as the user desktop, the fail-safe default.
	chosen := config.StationDesktop
	if st.Station == config.StationHelpdesk {
		chosen = config.StationHelpdesk
	}
	_ = m.Station.Set(string(chosen))
	mask := lang.L("not stored")
	if station := st.StationKind(); st.InstanceURL != "" && station.HoldsAccessKey() {
		k, err := m.s.settingsStore().AccessKey(station, st.InstanceURL)
		switch {
		case err != nil:
			// An instance whose key cannot be read: KeyDesk cannot use
			// it, so say why and what to do instead of leaving every
			// screen failing.
			m.failKey(err, false, false)
		case k.IsZero():
			_ = m.StatusOK.Set(false)
			_ = m.Status.Set(lang.L("No access key for this instance: type it and save, or start KeyDesk with it in the KEYDESK_ACCESS_KEY environment variable."))
		default:
			mask = maskKey(k)
		}
	}
	_ = m.KeyMask.Set(mask)
	if m.prefs != nil {
		_ = m.Language.Set(m.prefs.String(prefLanguage))
	}
}

// fail explains err on the status line (worker: see show).
func (m *SettingsModel) fail(err error, worker bool) {
	title, text := explain(err, result.Helpdesk)
	if codeOf(err) == result.NoCode {
		// Settings validation errors carry no code: their own words are
		// KeyDesk's and hold no secret (client/config never puts the key
		// in an error).
		title, text = lang.L("The settings are not valid."), err.Error()
	}
	m.show(false, title+"\n"+text, worker)
}

// Typed returns the settings as typed (read on the UI goroutine).
func (m *SettingsModel) Typed() config.Settings {
	u, _ := m.InstanceURL.Get()
	o, _ := m.Origin.Get()
	st, _ := m.Station.Get()
	return config.Settings{InstanceURL: strings.TrimSpace(u), Origin: strings.TrimSpace(o), Station: config.Station(st)}
}

// Save stores st (read with Typed on the UI goroutine); newKey (if not
// empty) goes into the keyring. It runs on a worker goroutine: a keyring
// may take its time (or ask to be unlocked).
// An empty instance URL means demo mode (after a restart). It saves all or
// nothing: the access key goes into the keyring first, and the settings
// file is written only once the instance has a key KeyDesk can read, so a
// failing keyring never leaves an instance configured without its key
// (which would end demo mode at the next start with nothing working).
func (m *SettingsModel) Save(st config.Settings, newKey string) error {
	if err := st.Validate(); err != nil {
		m.fail(err, true)
		return err
	}
	newKey = strings.TrimSpace(newKey)
	if newKey != "" && st.InstanceURL == "" {
		err := errors.New(lang.L("Set the instance URL before the access key."))
		m.fail(err, true)
		return err
	}
	var key cloud.Secret
	station := st.StationKind()
	if newKey != "" && st.InstanceURL != "" && !station.HoldsAccessKey() {
		// The screen has no key field here; a key handed in anyway is
		// refused, never stored.
		err := errors.New(lang.L("Only a helpdesk station keeps an access key."))
		m.fail(err, true)
		return err
	}
	if st.InstanceURL != "" && !station.HoldsAccessKey() {
		if err := m.s.settingsStore().Save(st); err != nil {
			m.fail(err, true)
			return err
		}
		if cl, err := NewCloudClient(st, cloud.Secret{}); err == nil {
			m.s.SetCloud(cl)
		}
	} else if st.InstanceURL != "" {
		prev, prevErr := m.s.settingsStore().AccessKey(station, st.InstanceURL)
		if newKey != "" {
			key = cloud.NewSecret(newKey)
			if err := m.s.settingsStore().StoreAccessKey(st.InstanceURL, key); err != nil {
				m.failKey(err, true, true)
				return err
			}
		} else {
			if prevErr != nil {
				m.failKey(prevErr, true, true)
				return prevErr
			}
			if prev.IsZero() {
				err := errNoAccessKey
				m.failKey(err, true, true)
				return err
			}
			key = prev
		}
		if err := m.s.settingsStore().Save(st); err != nil {
			if newKey != "" && prevErr == nil && !prev.IsZero() {
				_ = m.s.settingsStore().StoreAccessKey(st.InstanceURL, prev)
			}
			m.fail(err, true)
			return err
		}
		set(m.KeyMask, maskKey(key))
		if cl, err := NewCloudClient(st, key); err == nil {
			m.s.SetCloud(cl)
		}
	} else if err := m.s.settingsStore().Save(st); err != nil {
		m.fail(err, true)
		return err
	}
	msg := lang.L("Saved.")
	if st.InstanceURL == "" {
		msg = lang.L("Saved. No instance: KeyDesk runs in demo mode.")
	}
	m.show(true, msg, true)
	if station != m.s.Station() {
		m.s.SetStation(station)
		if f := m.OnStationChanged; f != nil {
			fyne.Do(f)
		}
	}
	return nil
}

// errNoInstance is TestConnection's error for an empty form.
var errNoInstance = errors.New("no instance URL to test")

// errNoAccessKey is Save's error for an instance without an access key.
var errNoAccessKey = errors.New("no access key for the instance")

// failKey explains why the access key could not be stored or read, and
// what to do, without the keyring backend's own words (worker: see show).
func (m *SettingsModel) failKey(err error, saving, worker bool) {
	var msg string
	switch {
	case errors.Is(err, config.ErrKeyring):
		msg = lang.L("The system keyring, where KeyDesk keeps the access key, cannot be used.") + "\n" +
			lang.L("Install or unlock a keyring (a Secret Service such as GNOME Keyring or KWallet) and save again, or start KeyDesk with the access key in the KEYDESK_ACCESS_KEY environment variable.")
	case errors.Is(err, errNoAccessKey):
		msg = lang.L("Nothing was saved: type the instance's access key. Without it KeyDesk cannot use the instance.")
	default:
		m.fail(err, worker)
		return
	}
	if saving && !errors.Is(err, errNoAccessKey) {
		msg = lang.L("Nothing was saved.") + " " + msg
	}
	m.show(false, msg, worker)
}

// TestConnection reaches the typed instance with the stored (or newly
// typed) key: it asks for a user that does not exist, so a 404 proves the
// instance is reachable and the key accepted.
// st comes from Typed, read on the UI goroutine.
func (m *SettingsModel) TestConnection(ctx context.Context, st config.Settings, newKey string) error {
	var key cloud.Secret
	station := st.StationKind()
	if k := strings.TrimSpace(newKey); k != "" && station.HoldsAccessKey() {
		key = cloud.NewSecret(k)
	} else if st.InstanceURL != "" {
		key, _ = m.s.settingsStore().AccessKey(station, st.InstanceURL)
	}
	if st.InstanceURL == "" {
		// Nothing typed: testing the demo's emulator would only prove
		// that KeyDesk reaches itself.
		m.show(false, lang.L("Nothing to test: type the instance URL, the origin and the access key first. Without an instance KeyDesk runs in demo mode, with the Authentication Cloud emulator on this computer."), true)
		return errNoInstance
	}
	cl, err := NewCloudClient(st, key)
	if err == nil {
		// The documented ping proves the instance answers; a read that
		// changes nothing proves it accepts the access key.
		err = cl.Ping(ctx)
		if err == nil && station.HoldsAccessKey() {
			err = cl.CheckAccessKey(ctx)
		}
	}
	if err != nil && ctx.Err() == context.Canceled {
		// The person stopped the test: not a failed connection.
		m.show(false, lang.L("Connection test cancelled."), true)
		return err
	}
	if err != nil {
		title, text := explain(err, result.Helpdesk)
		set(m.StatusOK, false)
		set(m.Status, lang.L("Connection failed.")+"\n"+title+"\n"+text)
		return err
	}
	set(m.StatusOK, true)
	if !station.HoldsAccessKey() {
		set(m.Status, lang.L("Connection works: the instance answered. This station holds no access key, so none was checked."))
		return nil
	}
	set(m.Status, lang.L("Connection works: the instance answered and accepted the access key."))
	return nil
}

// SetLanguage stores the chosen language ("" system) and applies it.
func (m *SettingsModel) SetLanguage(code string) {
	_ = m.Language.Set(code)
	if m.prefs != nil {
		m.prefs.SetString(prefLanguage, code)
	}
	SetLanguage(code)
}
