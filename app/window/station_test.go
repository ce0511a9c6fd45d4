package window

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/zalando/go-keyring"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/client/config"
)

// newStationUI opens the window as Run does (StartServices with the
// settings in the config folder and the keyring) for an instance — the
// emulator of a demo environment, recording requests — with the station
// the settings name ("" for none). The organisation's access key is
// planted where a helpdesk station finds it: in KEYDESK_ACCESS_KEY and in
// the keyring (go-keyring's in-memory backend).
func newStationUI(t *testing.T, station config.Station) (*UI, *demo.Env, string) {
	t.Helper()
	keyring.MockInit()
	dir := t.TempDir()
	t.Setenv(config.EnvConfigDir, dir)
	env := startDemo(t)
	if err := config.Save(config.Settings{InstanceURL: env.Cloud.URL(), Origin: env.Cloud.Origin(), Station: station}); err != nil {
		t.Fatal(err)
	}
	if err := keyring.Set(config.KeyringService, strings.TrimPrefix(env.Cloud.URL(), "http://"), env.Cloud.AccessKey()); err != nil {
		t.Fatal(err)
	}
	t.Setenv(config.EnvAccessKey, env.Cloud.AccessKey())
	a := uitest.NewApp(t)
	svc, stop, err := StartServices(context.Background(), ConfigStore{}, demo.Options{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	var u *UI
	onUI(func() {
		w := test.NewTempWindow(t, nil)
		u = NewUI(a, w, svc)
		w.SetTitle(windowTitle(svc))
		w.Resize(fyne.NewSize(1000, 700))
		w.SetContent(u.Build())
	})
	t.Cleanup(u.Stop)
	return u, env, dir
}

// hasSecretEntry reports whether the window shows an access key field.
func hasSecretEntry(u *UI) bool {
	found := false
	onUI(func() {
		uitest.WalkCanvas(u.Win.Canvas(), uitest.Renderers|uitest.VisibleOnly, func(o fyne.CanvasObject) bool {
			if _, ok := o.(*secretEntry); ok {
				found = true
			}
			return !found
		})
	})
	return found
}

// windowWords are all the words the window shows now.
func windowWords(u *UI) string {
	var s []string
	onUI(func() { s = texts(u.Win.Canvas().Content()) })
	return strings.Join(s, "\n")
}

// TestWindowTitleNamesTheStation: the title says which station this is.
func TestWindowTitleNamesTheStation(t *testing.T) {
	for st, want := range map[config.Station]string{
		config.StationHelpdesk: "KeyDesk — Helpdesk station",
		"":                     "KeyDesk — User desktop",
		config.StationDesktop:  "KeyDesk — User desktop",
	} {
		u, _, _ := newStationUI(t, st)
		var title string
		onUI(func() { title = u.Win.Title() })
		if title != want {
			t.Errorf("station %q: title %q, want %q", st, title, want)
		}
	}
	u, _ := newTestUI(t)
	if got := windowTitle(u.S); got != "KeyDesk — Demo" {
		t.Errorf("demo title %q", got)
	}
}

// TestUserDesktopWindow: on a user desktop (an instance, no station
// chosen) with KEYDESK_ACCESS_KEY set and a keyring entry, the window has
// no Helpdesk screen — not in the navigation, not by Show, not by any key
// or shortcut —, Enroll and Test sign-in explain that enrollment needs a
// pass from the helpdesk instead of offering a username form, Settings has
// no access key field and says the variable is ignored, and the access key
// reaches neither the emulator (no Bearer), nor a file, nor the window.
func TestUserDesktopWindow(t *testing.T) {
	u, env, dir := newStationUI(t, "")
	key := env.Cloud.AccessKey()
	if got := u.Shown(); slices.Contains(got, ScreenHelpdesk) || len(got) != len(Screens)-1 {
		t.Fatalf("navigation %v", got)
	}
	onUI(func() { u.Show(ScreenHelpdesk) })
	if u.Selected() == ScreenHelpdesk || u.helpdeskScreen != nil {
		t.Fatal("Show reached the Helpdesk screen")
	}
	// Every key and every Ctrl/Alt/Shift shortcut on the window.
	onUI(func() {
		c := u.Win.Canvas()
		for _, r := range "0123456789abcdefghijklmnopqrstuvwxyz" {
			name := fyne.KeyName(strings.ToUpper(string(r)))
			if onKey := c.OnTypedKey(); onKey != nil {
				onKey(&fyne.KeyEvent{Name: name})
			}
			if onRune := c.OnTypedRune(); onRune != nil {
				onRune(r)
			}
			for _, mod := range []fyne.KeyModifier{fyne.KeyModifierControl, fyne.KeyModifierAlt, fyne.KeyModifierShortcutDefault, fyne.KeyModifierControl | fyne.KeyModifierShift} {
				if sc, ok := c.(fyne.Shortcutable); ok {
					sc.TypedShortcut(&desktop.CustomShortcut{KeyName: name, Modifier: mod})
				}
			}
		}
		for _, name := range []fyne.KeyName{fyne.KeyF1, fyne.KeyF2, fyne.KeyF3, fyne.KeyF4, fyne.KeyF5, fyne.KeyF6, fyne.KeyTab, fyne.KeyEscape} {
			if onKey := c.OnTypedKey(); onKey != nil {
				onKey(&fyne.KeyEvent{Name: name})
			}
		}
	})
	if u.Selected() == ScreenHelpdesk || u.helpdeskScreen != nil {
		t.Fatal("a key reached the Helpdesk screen")
	}
	for _, n := range []string{ScreenEnroll, ScreenSignIn} {
		onUI(func() { u.Show(n) })
		words := windowWords(u)
		if !strings.Contains(words, "needs an enrollment pass from your helpdesk") {
			t.Errorf("%s does not explain the pass:\n%s", n, words)
		}
		if u.enrollScreen != nil || u.signInScreen != nil {
			t.Errorf("%s: the username form was built on a user desktop", n)
		}
	}
	onUI(func() { u.Show(ScreenSettings) })
	if hasSecretEntry(u) {
		t.Error("Settings on a user desktop has an access key field")
	}
	words := windowWords(u)
	for _, want := range []string{"This computer is: User desktop", "KEYDESK_ACCESS_KEY is set, but KeyDesk ignores it"} {
		if !strings.Contains(words, want) {
			t.Errorf("Settings lacks %q:\n%s", want, words)
		}
	}
	if strings.Contains(words, key) || strings.Contains(u.Win.Title(), key) {
		t.Error("the window shows the access key")
	}
	// Test connection pings without the key.
	var st config.Settings
	onUI(func() { st = u.Settings.Typed() })
	if err := u.Settings.TestConnection(context.Background(), st, ""); err != nil {
		t.Fatalf("test connection: %s", get[string](t, u.Settings.Status))
	}
	if msg := get[string](t, u.Settings.Status); !strings.Contains(msg, "holds no access key") {
		t.Errorf("status %q", msg)
	}
	reqs := env.Cloud.Requests()
	if len(reqs) == 0 {
		t.Fatal("the connection test reached nothing")
	}
	for _, q := range reqs {
		if q.Bearer {
			t.Errorf("%s %s carried a Bearer from a user desktop", q.Method, q.Path)
		}
	}
	if cl := u.S.Cloud(); cl == nil || !cl.Config().AccessKey.IsZero() {
		t.Error("the desktop's Cloud client holds an access key")
	}
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), key) {
				t.Errorf("%s holds the access key", p)
			}
		}
		return nil
	})
}

// TestSwitchStationInSettings: choosing helpdesk station in Settings shows
// the access key field; saving it with the key retitles the window and
// brings the Helpdesk screen into the navigation; choosing user desktop
// again takes both away.
func TestSwitchStationInSettings(t *testing.T) {
	u, env, _ := newStationUI(t, config.StationDesktop)
	t.Setenv(config.EnvAccessKey, "")
	onUI(func() { u.Show(ScreenSettings) })
	if hasSecretEntry(u) {
		t.Fatal("an access key field on a user desktop")
	}
	s := u.settingsScreen
	onUI(func() { chooseStation(s, config.StationHelpdesk) })
	if !hasSecretEntry(u) {
		t.Fatal("no access key field after choosing helpdesk station")
	}
	onUI(func() {
		test.Type(s.key, env.Cloud.AccessKey())
		test.Tap(s.save)
	})
	u.Settings.Wait()
	if !get[bool](t, u.Settings.StatusOK) {
		t.Fatalf("save: %s", get[string](t, u.Settings.Status))
	}
	waitFor(t, "the helpdesk title", func() bool {
		var title string
		onUI(func() { title = u.Win.Title() })
		return title == "KeyDesk — Helpdesk station"
	})
	if !slices.Contains(u.Shown(), ScreenHelpdesk) {
		t.Fatalf("navigation %v lacks Helpdesk", u.Shown())
	}
	onUI(func() { u.Show(ScreenHelpdesk) })
	if u.Selected() != ScreenHelpdesk {
		t.Fatal("the Helpdesk screen is not reachable on a helpdesk station")
	}
	onUI(func() { u.Show(ScreenSettings) })
	s = u.settingsScreen
	onUI(func() {
		chooseStation(s, config.StationDesktop)
		test.Tap(s.save)
	})
	u.Settings.Wait()
	waitFor(t, "the user desktop title", func() bool {
		var title string
		onUI(func() { title = u.Win.Title() })
		return title == "KeyDesk — User desktop"
	})
	if slices.Contains(u.Shown(), ScreenHelpdesk) || hasSecretEntry(u) {
		t.Fatalf("after switching back: navigation %v, key field %v", u.Shown(), hasSecretEntry(u))
	}
	if st, _ := config.Load(); st.StationKind() != config.StationDesktop {
		t.Errorf("saved station %q", st.StationKind())
	}
}
