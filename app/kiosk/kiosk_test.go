package kiosk

import (
	"context"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"github.com/keydesk/keydesk/app/kiosk/station"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// These tests drive the kiosk window with Fyne's test driver against the
// real parts: the virtual key through the real libfido2 and the
// Authentication Cloud emulator over loopback. They must not run in
// parallel: every virtual key of the process is in libfido2's device list.

const (
	testAdminPIN = "8642"
	testKeyPIN   = "246810"
	testUser     = "ada.lovelace"
)

// testAdminHash is the admin PIN hashed with few iterations, so that the
// race detector does not make each try take seconds. It is written in
// station's stored form by hand: station.HashAdminPIN takes no iteration
// count, and refuses a PIN this short.
var testAdminHash = func() string {
	salt := []byte("0123456789abcdef")
	key, err := pbkdf2.Key(sha256.New, testAdminPIN, salt, 1000, 32)
	if err != nil {
		panic(err)
	}
	enc := base64.RawURLEncoding
	h := "pbkdf2-sha256$1000$" + enc.EncodeToString(salt) + "$" + enc.EncodeToString(key)
	if !station.VerifyAdminPIN(testAdminPIN, h) {
		panic("testAdminHash is not in station's form")
	}
	return h
}()

type testStation struct {
	t       *testing.T
	env     *demo.Env
	k       *Kiosk
	journal string
	exits   atomic.Int32
	clock   atomic.Int64 // added to the real time, for lockouts
}

func newStation(t *testing.T, keyOpts virtualkey.Options, mod func(*Options)) *testStation {
	t.Helper()
	env, err := demo.Start(context.Background(), demo.Options{Memory: true, Key: keyOpts})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	s := &testStation{t: t, env: env, journal: filepath.Join(t.TempDir(), station.JournalFile)}
	a := test.NewTempApp(t)
	o := Options{
		Cloud: env.Client, Station: "test-1", Organisation: "Acme Corp",
		JournalPath: s.journal, PollInterval: 50 * time.Millisecond, tick: 20 * time.Millisecond,
		AdminPINHash: testAdminHash,
		PIN:          station.PINPolicy{MinLength: 6},
		OnExit:       func() { s.exits.Add(1) },
		now:          func() time.Time { return time.Now().Add(time.Duration(s.clock.Load())) },
	}
	if mod != nil {
		mod(&o)
	}
	k, err := New(a, o)
	if err != nil {
		t.Fatal(err)
	}
	// Close before the key and the emulator stop (cleanups run last first).
	t.Cleanup(k.Close)
	k.win.Resize(fyne.NewSize(1366, 768))
	s.k = k
	return s
}

// ui runs f as the UI goroutine would: with the kiosk's lock held.
func (s *testStation) ui(f func()) {
	s.k.mu.Lock()
	defer s.k.mu.Unlock()
	f()
}

func (s *testStation) waitScreen(want Screen) {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if s.k.Screen() == want {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	var st State
	s.ui(func() { st = s.k.m.State })
	s.t.Fatalf("screen %s, want %s (hints: %q %q %q)", st.Screen, want, st.UsernameHint, st.PINHint, st.FailureText)
}

func (s *testStation) waitFor(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.t.Fatalf("timed out waiting for %s", what)
}

// tap taps the visible button with the given text.
func (s *testStation) tap(text string) {
	s.t.Helper()
	var b *widget.Button
	s.ui(func() {
		uitest.Each(s.k.w.screens[s.k.m.Screen], uitest.Renderers, func(o fyne.CanvasObject) {
			if bb, ok := o.(*widget.Button); ok && bb.Text == text && bb.Visible() {
				b = bb
			}
		})
		if b != nil {
			test.Tap(b)
		}
	})
	if b == nil {
		s.t.Fatalf("no button %q on screen %s", text, s.k.Screen())
	}
}

// enter types text into an entry and presses Enter.
func (s *testStation) enter(e func() *kioskEntry, text string) {
	s.ui(func() {
		test.Type(e(), text)
		e().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
}

func (s *testStation) state() State {
	var st State
	s.ui(func() { st = s.k.m.State })
	return st
}

// start goes from the attract screen to the insert-key screen as a badge
// reader would: the first character starts the session.
func (s *testStation) start(username string) {
	s.t.Helper()
	s.waitScreen(ScreenAttract)
	s.ui(func() { test.TypeOnCanvas(s.k.win.Canvas(), username[:1]) })
	s.waitScreen(ScreenUsername)
	s.enter(func() *kioskEntry { return s.k.w.username }, username[1:])
}

func (s *testStation) setKeyPIN(pin string) {
	s.t.Helper()
	dev, err := ctap.Open(s.env.Key.Path())
	if err != nil {
		s.t.Fatal(err)
	}
	if err := dev.SetPIN(context.Background(), pin); err != nil {
		s.t.Fatal(err)
	}
}

func (s *testStation) journalEntries() []station.JournalEntry {
	s.t.Helper()
	es, err := station.ReadJournal(s.journal, time.Time{})
	if err != nil {
		s.t.Fatal(err)
	}
	return es
}

// texts returns every text the window holds: labels, entries (their
// content, not only what is drawn), rich text and canvas text.
func (s *testStation) texts() []string {
	var out []string
	s.ui(func() {
		uitest.Each(s.k.win.Content(), uitest.Renderers, func(o fyne.CanvasObject) {
			switch v := o.(type) {
			case *widget.Label:
				out = append(out, v.Text)
			case *kioskEntry:
				out = append(out, v.Text)
			case *widget.Entry:
				out = append(out, v.Text)
			case *widget.RichText:
				out = append(out, v.String())
			case *canvas.Text:
				out = append(out, v.Text)
			}
		})
	})
	return out
}

func (s *testStation) visibleText() string {
	var b strings.Builder
	s.ui(func() {
		uitest.Each(s.k.w.screens[s.k.m.Screen], uitest.Renderers, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok {
				b.WriteString(l.Text + "\n")
			}
		})
	})
	return b.String()
}

// assertForgotten checks that nothing of the previous person is left in
// any widget or in the view-model.
func (s *testStation) assertForgotten(secrets ...string) {
	s.t.Helper()
	s.waitScreen(ScreenAttract)
	for _, text := range s.texts() {
		for _, sec := range secrets {
			if sec != "" && strings.Contains(text, sec) {
				s.t.Errorf("after reset a widget still shows %q: %q", sec, text)
			}
		}
	}
	s.ui(func() {
		if s.k.m.State != (State{}) {
			s.t.Errorf("view-model not zeroed: %+v", s.k.m.State)
		}
		if s.k.sess != nil {
			s.t.Error("the session survived the reset")
		}
		for _, e := range []*kioskEntry{s.k.w.username, s.k.w.newPIN, s.k.w.newPIN2, s.k.w.pin, s.k.w.admin} {
			if e.Text != "" {
				s.t.Errorf("entry %q not cleared", e.PlaceHolder)
			}
		}
	})
}

func TestEnrollKeyWithPIN(t *testing.T) {
	s := newStation(t, virtualkey.Options{}, nil)
	s.setKeyPIN(testKeyPIN)
	s.start(testUser)
	s.waitScreen(ScreenEnterPIN)
	s.enter(func() *kioskEntry { return s.k.w.pin }, testKeyPIN)
	s.waitScreen(ScreenSuccess)
	if txt := s.visibleText(); !strings.Contains(txt, testUser) || !strings.Contains(txt, "Take your key with you") {
		t.Errorf("success screen: %q", txt)
	}
	es := s.journalEntries()
	if len(es) != 1 || es[0].Outcome != "success-registration" || es[0].Username != testUser ||
		es[0].KeyModel != demo.Manufacturer+" "+demo.Product || es[0].AAGUID != virtualkey.AAGUIDString() || es[0].PINSet || es[0].Station != "test-1" {
		t.Errorf("journal: %+v", es)
	}
	s.tap(wordsDone)
	s.assertForgotten(testUser, testKeyPIN)
}

func TestEnrollKeyWithoutPIN(t *testing.T) {
	s := newStation(t, virtualkey.Options{}, nil)
	s.start(testUser)
	s.waitScreen(ScreenSetPIN)
	if st := s.state(); st.PINMin != 6 {
		t.Errorf("PIN minimum %d, want the policy's 6", st.PINMin)
	}
	newPIN := func(a, b string) {
		s.ui(func() {
			test.Type(s.k.w.newPIN, a)
			test.Type(s.k.w.newPIN2, b)
		})
		s.tap(wordsContinue)
	}
	for _, c := range []struct {
		a, b string
		want station.PINProblem
	}{
		{"4815", "4815", station.PINTooShort},
		{"123456", "123456", station.PINTrivial},
		{"000000", "000000", station.PINTrivial},
		{"481516", "481517", station.PINMismatch},
	} {
		newPIN(c.a, c.b)
		st := s.state()
		if st.Screen != ScreenSetPIN || st.PINHint != pinWords(c.want, 6) {
			t.Errorf("PIN %q/%q: screen %s, hint %q, want %q", c.a, c.b, st.Screen, st.PINHint, pinWords(c.want, 6))
		}
		s.ui(func() {
			if s.k.w.newPIN.Text != "" || s.k.w.newPIN2.Text != "" {
				t.Error("a refused PIN stayed in its entry")
			}
		})
	}
	newPIN("481516", "481516")
	s.waitScreen(ScreenSuccess)
	info, err := mustOpen(t, s.env.Key.Path()).Info(context.Background())
	if err != nil || !info.PINSet() {
		t.Errorf("the key has no PIN after the kiosk set one: %v", err)
	}
	if es := s.journalEntries(); len(es) != 1 || !es[0].PINSet || es[0].Outcome != "success-registration" {
		t.Errorf("journal: %+v", es)
	}
	s.tap(wordsDone)
	s.assertForgotten(testUser, "481516", "481517", "4815", "123456")
}

func mustOpen(t *testing.T, path string) *ctap.Device {
	t.Helper()
	d, err := ctap.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestWrongPINThenRight(t *testing.T) {
	s := newStation(t, virtualkey.Options{}, nil)
	s.setKeyPIN(testKeyPIN)
	s.start(testUser)
	s.waitScreen(ScreenEnterPIN)
	s.enter(func() *kioskEntry { return s.k.w.pin }, "135790")
	s.waitFor("the retry prompt", func() bool {
		st := s.state()
		return st.Screen == ScreenEnterPIN && st.PINHint != ""
	})
	st := s.state()
	if st.RetriesLeft != 7 || st.PINHint != retryWords(7) {
		t.Errorf("after a wrong PIN: retries %d, hint %q", st.RetriesLeft, st.PINHint)
	}
	if !strings.Contains(s.visibleText(), "Wrong PIN. 7 tries left.") {
		t.Errorf("the retry hint is not shown: %q", s.visibleText())
	}
	s.enter(func() *kioskEntry { return s.k.w.pin }, testKeyPIN)
	s.waitScreen(ScreenSuccess)
	s.tap(wordsDone)
	s.assertForgotten(testUser, testKeyPIN, "135790")
}

func TestKeyRemovedDuringTouch(t *testing.T) {
	s := newStation(t, virtualkey.Options{Presence: virtualkey.Presence{Mode: virtualkey.PresenceManual}}, nil)
	s.setKeyPIN(testKeyPIN)
	s.start(testUser)
	s.waitScreen(ScreenEnterPIN)
	s.enter(func() *kioskEntry { return s.k.w.pin }, testKeyPIN)
	s.waitScreen(ScreenTouch)
	s.waitFor("the key to blink", s.env.Key.Waiting)
	if txt := s.visibleText(); !strings.Contains(txt, "seconds left") {
		t.Errorf("touch screen without countdown: %q", txt)
	}
	s.env.Key.Unplug()
	s.waitScreen(ScreenFailure)
	st := s.state()
	if st.Outcome != "error-1001" || st.Cause.IsZero() {
		t.Errorf("outcome %q cause %v", st.Outcome, st.Cause)
	}
	if want := result.Lookup(st.Cause).Text(result.User); st.FailureText != want {
		t.Errorf("failure text %q, want the catalogue's %q", st.FailureText, want)
	}
	txt := s.visibleText()
	if !strings.Contains(txt, "call the helpdesk and give them code error-1001 ("+st.Cause.String()+")") {
		t.Errorf("failure screen: %q", txt)
	}
	if es := s.journalEntries(); len(es) != 1 || es[0].Outcome != "error-1001" || es[0].Cause != st.Cause.String() {
		t.Errorf("journal: %+v", es)
	}
	if err := s.env.Key.Replug(); err != nil {
		t.Fatal(err)
	}
	s.tap(wordsDone)
	s.assertForgotten(testUser, testKeyPIN)
}

func TestKeyRemovedWhileChoosingPIN(t *testing.T) {
	s := newStation(t, virtualkey.Options{}, nil)
	s.start(testUser)
	s.waitScreen(ScreenSetPIN)
	s.ui(func() { test.Type(s.k.w.newPIN, "48") })
	s.env.Key.Unplug()
	s.waitScreen(ScreenFailure)
	if st := s.state(); st.Cause != result.KeyDesk("key-removed") {
		t.Errorf("cause %v", st.Cause)
	}
	if err := s.env.Key.Replug(); err != nil {
		t.Fatal(err)
	}
	s.tap(wordsDone)
	s.assertForgotten(testUser, "48")
}

func TestCloudError(t *testing.T) {
	s := newStation(t, virtualkey.Options{}, nil)
	s.setKeyPIN(testKeyPIN)
	s.env.Cloud.FailNext(emulator.EndpointEnroll, emulator.CloudError(500, "internal", "boom"))
	s.start(testUser)
	s.waitScreen(ScreenFailure)
	st := s.state()
	if st.Outcome != "error-1099" {
		t.Errorf("outcome %q", st.Outcome)
	}
	if want := result.Lookup(st.Cause).Text(result.User); st.FailureText != want || want == "" {
		t.Errorf("failure text %q, want the catalogue's %q", st.FailureText, want)
	}
	for _, txt := range s.texts() {
		if strings.Contains(txt, "boom") || strings.Contains(txt, "internal") {
			t.Errorf("the Cloud's own error text reached the screen: %q", txt)
		}
	}
	if !strings.Contains(s.visibleText(), "code error-1099 ("+st.Cause.String()+")") {
		t.Errorf("no helpdesk code: %q", s.visibleText())
	}
	// The result screen goes away by itself.
	s.clock.Store(int64(25 * time.Second))
	s.assertForgotten(testUser)
}

func TestIdleReset(t *testing.T) {
	s := newStation(t, virtualkey.Options{}, func(o *Options) { o.IdleTimeout = 400 * time.Millisecond })
	// Walked away while typing the username.
	s.start("grace")
	s.waitScreen(ScreenSetPIN)
	s.ui(func() {
		test.Type(s.k.w.newPIN, "9753")
		test.Type(s.k.w.newPIN2, "97")
	})
	s.assertForgotten("grace", "9753")
	es := s.journalEntries()
	if len(es) != 1 || es[0].Outcome != station.OutcomeAbandoned || es[0].Username != "grace" || es[0].Cause != result.CodeIdleTimeout.String() {
		t.Errorf("journal: %+v", es)
	}
	// Typing holds off the reset.
	s.start("hopper")
	s.waitScreen(ScreenSetPIN)
	for range 6 {
		time.Sleep(150 * time.Millisecond)
		s.ui(func() { test.Type(s.k.w.newPIN, "1") })
	}
	if sc := s.k.Screen(); sc != ScreenSetPIN {
		t.Errorf("reset while the person was typing: %s", sc)
	}
	s.assertForgotten("hopper", "111111")
}

func TestAdminExit(t *testing.T) {
	s := newStation(t, virtualkey.Options{}, nil)
	// The shortcut works from a focused entry, mid-session, and ends it.
	s.start(testUser)
	s.waitScreen(ScreenSetPIN)
	s.ui(func() { s.k.w.newPIN.TypedShortcut(AdminShortcut) })
	s.waitScreen(ScreenAdmin)
	if txt := strings.Join(s.texts(), "\n"); strings.Contains(txt, testUser) {
		t.Error("the admin prompt shows the previous person")
	}
	if es := s.journalEntries(); len(es) != 1 || es[0].Outcome != station.OutcomeAbandoned || es[0].Cause != result.CodeCancelled.String() {
		t.Errorf("journal: %+v", es)
	}
	admin := func() *kioskEntry { return s.k.w.admin }
	s.enter(admin, "0000")
	if st := s.state(); st.AdminHint != "Wrong admin PIN. 2 tries left." || s.exits.Load() != 0 {
		t.Errorf("first wrong PIN: %q", st.AdminHint)
	}
	s.tap(wordsCancel)
	s.waitScreen(ScreenAttract)

	// From the attract screen the shortcut reaches the canvas.
	s.ui(func() { s.k.win.Canvas().(fyne.Shortcutable).TypedShortcut(AdminShortcut) })
	s.waitScreen(ScreenAdmin)
	s.enter(admin, "1111")
	s.enter(admin, "2222")
	if st := s.state(); !strings.HasPrefix(st.AdminHint, "Too many wrong PINs") {
		t.Errorf("third wrong PIN: %q", st.AdminHint)
	}
	s.enter(admin, testAdminPIN)
	if st := s.state(); s.exits.Load() != 0 || !strings.HasPrefix(st.AdminHint, "Too many wrong PINs") {
		t.Errorf("the right PIN passed the lock: exits %d, hint %q", s.exits.Load(), st.AdminHint)
	}
	s.ui(func() {
		if s.k.w.admin.Text != "" {
			t.Error("the admin PIN stayed in its entry")
		}
	})
	s.clock.Store(int64(5*time.Minute + time.Second))
	s.enter(admin, testAdminPIN)
	if s.exits.Load() != 1 || !s.k.Exited() {
		t.Fatalf("the right admin PIN did not exit")
	}
}

func TestSeveralKeysTouchTheOneYouWant(t *testing.T) {
	s := newStation(t, virtualkey.Options{Presence: virtualkey.Presence{Mode: virtualkey.PresenceManual}}, nil)
	// The emulator trusts the attestation of env.Key only: that is the one
	// to touch.
	other, err := demo.StartMemoryKey(virtualkey.Options{Presence: virtualkey.Presence{Mode: virtualkey.PresenceManual}})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	s.setKeyPIN(testKeyPIN)
	s.start(testUser)
	s.waitScreen(ScreenChooseKey)
	if txt := s.visibleText(); !strings.Contains(txt, wordsChooseTitle) {
		t.Errorf("choose screen: %q", txt)
	}
	s.waitFor("both keys to blink", func() bool { return s.env.Key.Waiting() && other.Waiting() })
	s.env.Key.Touch()
	s.waitScreen(ScreenEnterPIN)
	if st := s.state(); st.Key.Path != s.env.Key.Path() {
		t.Errorf("chose %s, want the touched %s", st.Key.Path, s.env.Key.Path())
	}
	s.waitFor("the other key to stop blinking", func() bool { return !other.Waiting() })
	if other.Touches() != 0 {
		t.Error("the key that was not touched counted a touch")
	}
	s.enter(func() *kioskEntry { return s.k.w.pin }, testKeyPIN)
	s.waitScreen(ScreenTouch)
	s.waitFor("the key to blink", s.env.Key.Waiting)
	s.env.Key.Touch()
	s.waitScreen(ScreenSuccess)
	if other.Touches() != 0 {
		t.Error("the other key was used")
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	a := test.NewTempApp(t)
	if _, err := New(a, Options{}); err == nil {
		t.Error("a kiosk without a Cloud was built")
	}
	env, err := demo.Start(context.Background(), demo.Options{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	for _, o := range []Options{
		{Cloud: env.Client, UsernamePattern: "("},
		{Cloud: env.Client, AdminPINHash: "plain-text-pin"},
	} {
		if _, err := New(a, o); err == nil {
			t.Errorf("built with %s", fmt.Sprint(o.UsernamePattern, o.AdminPINHash))
		}
	}
}

// TestFailureAfterTheCloudAccepted: an enrollment that fails after the
// Cloud accepted the credential (here its status poll fails) may have
// registered the key: the failure screen says so and to ask the helpdesk
// to check, and the journal keeps the failure's cause. TestCloudError's
// failure, before the Cloud accepted anything, says nothing of the kind.
func TestFailureAfterTheCloudAccepted(t *testing.T) {
	t.Cleanup(func() { useLanguage("en") })
	for _, lang := range []string{"en", "de"} {
		t.Run(lang, func(t *testing.T) { failureAfterTheCloudAccepted(t, lang) })
	}
}

func failureAfterTheCloudAccepted(t *testing.T, lang string) {
	s := newStation(t, virtualkey.Options{}, func(o *Options) { o.Language = lang })
	s.setKeyPIN(testKeyPIN)
	s.env.Cloud.FailNext(emulator.EndpointStatus, emulator.CloudError(500, "internal_error", "boom"))
	s.start(testUser)
	s.waitScreen(ScreenEnterPIN)
	s.enter(func() *kioskEntry { return s.k.w.pin }, testKeyPIN)
	s.waitScreen(ScreenFailure)
	st := s.state()
	if !st.MayBeRegistered || st.Cause.IsZero() || strings.HasPrefix(st.Outcome, "success-") {
		t.Fatalf("outcome %q cause %v, may be registered %v", st.Outcome, st.Cause, st.MayBeRegistered)
	}
	var shown bool
	s.ui(func() {
		shown = s.k.w.failureCode.Visible() && s.k.w.failureCode.Text == fmt.Sprintf(wordsMayBeRegistered, st.HelpCode)
		if min := s.k.win.Content().MinSize(); min.Width > 1366 || min.Height > 768 {
			t.Errorf("the failure screen with the hint needs %v, more than a 1366×768 display", min)
		}
	})
	if !shown || lang == "en" && (!strings.Contains(wordsMayBeRegistered, "may already be registered") || !strings.Contains(wordsMayBeRegistered, "helpdesk")) {
		t.Errorf("the failure screen does not say the key may be registered: %q", s.visibleText())
	}
	if es := s.journalEntries(); len(es) != 1 || es[0].Outcome != st.Outcome || es[0].Cause != st.Cause.String() {
		t.Errorf("journal: %+v", es)
	}
	s.tap(wordsDone)
	s.assertForgotten(testUser, testKeyPIN)

	s.env.Cloud.FailNext(emulator.EndpointEnroll, emulator.CloudError(500, "internal", "boom"))
	s.start(testUser)
	s.waitScreen(ScreenFailure)
	s.ui(func() { shown = s.k.w.failureCode.Text != fmt.Sprintf(wordsHelpdesk, s.k.m.HelpCode) })
	if s.state().MayBeRegistered || shown {
		t.Error("a failure before the Cloud accepted says the key may be registered")
	}
}
