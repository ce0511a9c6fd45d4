package window

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/zalando/go-keyring"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/result"
)

// TestSettings types an instance (the emulator), saves the access key into
// the keyring (mocked), shows it masked, and tests the connection.
func TestSettings(t *testing.T) {
	keyring.MockInit()
	t.Setenv(config.EnvConfigDir, t.TempDir())
	t.Setenv(config.EnvAccessKey, "")
	u, env, s := saveEmulatorSettings(t)
	if !get[bool](t, u.Settings.StatusOK) {
		t.Fatalf("save: %s", get[string](t, u.Settings.Status))
	}
	if s.key.Text != "" {
		t.Fatal("access key left in the entry")
	}
	if mask := get[string](t, u.Settings.KeyMask); strings.Contains(mask, env.Cloud.AccessKey()) || mask == "" {
		t.Fatalf("mask %q", mask)
	}
	k, src, err := config.AccessKey(env.Cloud.URL())
	if err != nil || k.Reveal() != env.Cloud.AccessKey() || src != config.SourceKeyring {
		t.Fatalf("keyring: %v %v", src, err)
	}
	var st config.Settings
	onUI(func() { st = u.Settings.Typed() })
	if err := u.Settings.TestConnection(context.Background(), st, ""); err != nil {
		t.Fatalf("test connection: %s", get[string](t, u.Settings.Status))
	}
	if err := u.Settings.TestConnection(context.Background(), st, "wrong-key"); err == nil {
		t.Fatal("a wrong access key connected")
	}
	if txt := get[string](t, u.Settings.Status); strings.Contains(txt, "wrong-key") {
		t.Fatal("status shows the typed key")
	}
}

// TestDiagnose: the paste box explains a code from the catalogue.
func TestDiagnose(t *testing.T) {
	u, _ := newTestUI(t)
	onUI(func() {
		u.Show(ScreenHelpdesk)
		_ = u.Helpdesk.Paste.Set(`{"success":false,"code":{"statusCode":"error-1001"},"token":"abc"}`)
		test.Tap(u.helpdeskScreen.diagnose)
	})
	u.Helpdesk.Wait() // the diagnosis runs on the action's worker
	d := get[string](t, u.Helpdesk.Diagnosis)
	if !strings.Contains(d, result.Lookup(result.Nevis("error-1001")).Title()) {
		t.Fatalf("diagnosis: %s", d)
	}
}

// TestSettingsWithoutKeyring: with a keyring that fails as go-keyring does
// without a Secret Service on D-Bus (go-keyring's own MockInitWithError:
// no keyring daemon runs here), Save writes nothing, keeps the typed
// access key in its field and says what to do instead of the backend's
// words. An instance without any access key is refused the same way.
func TestSettingsWithoutKeyring(t *testing.T) {
	const dbus = "The name org.freedesktop.secrets was not provided by any .service files"
	keyring.MockInitWithError(errors.New(dbus))
	t.Cleanup(keyring.MockInit)
	dir := t.TempDir()
	t.Setenv(config.EnvConfigDir, dir)
	t.Setenv(config.EnvAccessKey, "")
	u, env, s := saveEmulatorSettings(t)
	if get[bool](t, u.Settings.StatusOK) {
		t.Fatalf("saved without a keyring: %s", get[string](t, u.Settings.Status))
	}
	if _, err := os.Stat(filepath.Join(dir, config.FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s written although the access key could not be stored (%v)", config.FileName, err)
	}
	if s.key.Text != env.Cloud.AccessKey() {
		t.Fatal("the typed access key was cleared although it was not stored")
	}
	st := get[string](t, u.Settings.Status)
	if strings.Contains(st, "org.freedesktop") || !strings.Contains(st, config.EnvAccessKey) || !strings.Contains(st, "keyring") {
		t.Fatalf("status does not say what to do: %q", st)
	}
	if strings.Contains(st, env.Cloud.AccessKey()) {
		t.Fatal("status shows the access key")
	}
	if u.S.Cloud() != env.Client {
		t.Fatal("the demo client was replaced")
	}

	// A working keyring, but no key typed and none stored: refused too.
	keyring.MockInit()
	onUI(func() {
		s.key.SetText("")
		test.Tap(s.save)
	})
	u.Settings.Wait() // saving runs on the action's worker
	if get[bool](t, u.Settings.StatusOK) {
		t.Fatal("saved an instance without an access key")
	}
	if _, err := os.Stat(filepath.Join(dir, config.FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s written for an instance without an access key", config.FileName)
	}
	if st := get[string](t, u.Settings.Status); !strings.Contains(st, "access key") {
		t.Fatalf("status: %q", st)
	}
}

// TestStartWithUnreadableKey: an instance configured in config.json whose
// access key cannot be read (the keyring fails as without a Secret
// Service) leaves demo mode with no Cloud client: the Settings screen says
// why and what to do, not nothing.
func TestStartWithUnreadableKey(t *testing.T) {
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	t.Cleanup(keyring.MockInit)
	dir := t.TempDir()
	t.Setenv(config.EnvConfigDir, dir)
	t.Setenv(config.EnvAccessKey, "")
	if err := config.Save(config.Settings{InstanceURL: "https://acme.mauth.nevis.cloud", Origin: "https://portal.example.com", Station: config.StationHelpdesk}); err != nil {
		t.Fatal(err)
	}
	uitest.NewApp(t)
	svc, stop, err := StartServices(context.Background(), ConfigStore{}, demo.Options{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	if svc.Demo() != nil || svc.Cloud() != nil {
		t.Fatal("expected a configured instance without a client")
	}
	m := NewSettingsModel(svc, nil)
	onUI(m.Load)
	st := get[string](t, m.Status)
	if get[bool](t, m.StatusOK) || !strings.Contains(st, "keyring") || !strings.Contains(st, config.EnvAccessKey) || strings.Contains(st, "freedesktop") {
		t.Fatalf("status after start: %q", st)
	}
}

// TestSettingsConsoleURLWithoutOrigin: the API endpoint base URL as the
// Management Console shows it (…/api/v1/) and no origin save; the instance
// is stored without /api/v1 and the connection test reaches it.
func TestSettingsConsoleURLWithoutOrigin(t *testing.T) {
	keyring.MockInit()
	t.Setenv(config.EnvConfigDir, t.TempDir())
	t.Setenv(config.EnvAccessKey, "")
	u, env := newTestUI(t)
	u.S.Store = ConfigStore{}
	onUI(func() { u.Show(ScreenSettings) })
	s := u.settingsScreen
	onUI(func() {
		chooseStation(s, config.StationHelpdesk)
		s.instance.SetText(env.Cloud.URL() + "/api/v1/")
		s.origin.SetText("")
		test.Type(s.key, env.Cloud.AccessKey())
		s.key.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	u.Settings.Wait()
	if !get[bool](t, u.Settings.StatusOK) {
		t.Fatalf("save: %s", get[string](t, u.Settings.Status))
	}
	st, err := config.Load()
	if err != nil || st.InstanceURL != env.Cloud.URL() || st.Origin != "" {
		t.Fatalf("saved %+v, %v", st, err)
	}
	onUI(func() { st = u.Settings.Typed() })
	if err := u.Settings.TestConnection(context.Background(), st, ""); err != nil {
		t.Fatalf("test connection: %s", get[string](t, u.Settings.Status))
	}
}

// TestConnectionPingsFirst: "Test connection" asks the documented ping
// first: an instance whose ping fails is reported as failing even though
// the access key would be accepted.
func TestConnectionPingsFirst(t *testing.T) {
	keyring.MockInit()
	t.Setenv(config.EnvConfigDir, t.TempDir())
	t.Setenv(config.EnvAccessKey, "")
	u, env := newTestUI(t)
	st := config.Settings{InstanceURL: env.Cloud.URL(), Origin: env.Cloud.Origin(), Station: config.StationHelpdesk}
	env.Cloud.FailNext(emulator.EndpointPing, emulator.CloudError(500, "internal_error", "down")) // 500: not retried
	if err := u.Settings.TestConnection(context.Background(), st, env.Cloud.AccessKey()); err == nil {
		t.Fatal("a failing ping connected")
	}
	if txt := get[string](t, u.Settings.Status); !strings.HasPrefix(txt, "Connection failed.") || strings.Contains(txt, env.Cloud.AccessKey()) {
		t.Fatalf("status %q", txt)
	}
	if err := u.Settings.TestConnection(context.Background(), st, env.Cloud.AccessKey()); err != nil {
		t.Fatalf("test connection: %s", get[string](t, u.Settings.Status))
	}
}

// chooseStation picks a station on the Settings screen as a tap on its
// radio button does (call on the UI goroutine).
func chooseStation(s *settingsScreen, st config.Station) {
	s.station.SetSelected(stationTitle(st))
}

// saveEmulatorSettings opens Settings on a window that keeps its settings
// in the config folder (ConfigStore), chooses a helpdesk station (the one
// with an access key field), types the emulator's instance,
// origin and access key, presses Enter and waits for the save to end.
func saveEmulatorSettings(t *testing.T) (*UI, *demo.Env, *settingsScreen) {
	t.Helper()
	u, env := newTestUI(t)
	u.S.Store = ConfigStore{}
	onUI(func() { u.Show(ScreenSettings) })
	s := u.settingsScreen
	onUI(func() {
		chooseStation(s, config.StationHelpdesk)
		s.instance.SetText(env.Cloud.URL())
		s.origin.SetText(env.Cloud.Origin())
		test.Type(s.key, env.Cloud.AccessKey())
		s.key.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	u.Settings.Wait() // saving runs on the action's worker
	return u, env, s
}
