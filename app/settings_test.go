package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/zalando/go-keyring"

	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/result"
)

// TestSettings types an instance (the emulator), saves the access key into
// the keyring (mocked), shows it masked, and tests the connection.
func TestSettings(t *testing.T) {
	keyring.MockInit()
	t.Setenv(config.EnvConfigDir, t.TempDir())
	t.Setenv(config.EnvAccessKey, "")
	u, env := newTestUI(t)
	u.S.Store = ConfigStore{}
	onUI(func() { u.Show(ScreenSettings) })
	s := u.settingsScreen
	onUI(func() {
		s.instance.SetText(env.Cloud.URL())
		s.origin.SetText(env.Cloud.Origin())
		test.Type(s.key, env.Cloud.AccessKey())
		s.key.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
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
	d := get[string](t, u.Helpdesk.Diagnosis)
	if !strings.Contains(d, result.Lookup(result.Nevis("error-1001")).Title()) {
		t.Fatalf("diagnosis: %s", d)
	}
}
