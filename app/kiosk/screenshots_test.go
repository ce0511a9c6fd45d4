package kiosk

import (
	"crypto/sha256"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

var screenshots = flag.String("screenshots", "", "write PNGs of the kiosk's screens to this folder")

// kioskScreenSize is a common station display (full HD).
var kioskScreenSize = fyne.NewSize(1920, 1080)

// TestScreenshots walks one person through the station and captures every
// screen with the test driver's software painter. With -screenshots=DIR it
// writes them as PNGs (make screenshots); without, it still checks that
// each screen renders, fills the display and differs from the others, and
// that every screen fits a small 1366×768 display.
func TestScreenshots(t *testing.T) {
	s := newStation(t, virtualkey.Options{Presence: virtualkey.Presence{Mode: virtualkey.PresenceManual}},
		func(o *Options) { o.UsernameLabel = "employee ID" })
	shot := shooter(t, s, "")

	s.waitScreen(ScreenAttract)
	shot("attract")

	s.ui(func() { test.TypeOnCanvas(s.k.win.Canvas(), "e") })
	s.ui(func() { typeFocused(s.k, s.k.w.username, "mp-20417") })
	shot("username")

	s.env.Key.Unplug()
	s.ui(func() { s.k.w.username.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	s.waitScreen(ScreenInsertKey)
	shot("insert-key")

	if err := s.env.Key.Replug(); err != nil {
		t.Fatal(err)
	}
	s.waitScreen(ScreenSetPIN)
	s.ui(func() {
		typeFocused(s.k, s.k.w.newPIN, "1234")
		typeFocused(s.k, s.k.w.newPIN2, "1234")
	})
	s.tap(wordsContinue)
	s.ui(func() { typeFocused(s.k, s.k.w.newPIN, "3856") })
	shot("set-pin")

	s.ui(func() {
		typeFocused(s.k, s.k.w.newPIN, "19")
		typeFocused(s.k, s.k.w.newPIN2, "385619")
	})
	s.tap(wordsContinue)
	s.waitScreen(ScreenTouch)
	s.waitFor("the key to blink", s.env.Key.Waiting)
	s.ui(func() { s.k.renderCountdown(s.k.now().Add(4 * time.Second)) })
	shot("touch")

	s.env.Key.Touch()
	s.waitScreen(ScreenSuccess)
	shot("success")
	s.tap(wordsDone)

	// The next person: the key has a PIN now, and they mistype it.
	s.start("mp-20418")
	s.waitScreen(ScreenEnterPIN)
	s.enter(func() *kioskEntry { return s.k.w.pin }, "111111")
	s.waitFor("the retry prompt", func() bool { return s.state().PINHint != "" })
	s.ui(func() { typeFocused(s.k, s.k.w.pin, "38") })
	shot("enter-pin")
	s.tap(wordsCancel)

	s.env.Cloud.FailNext(emulator.EndpointEnroll, emulator.CloudError(500, "internal", "boom"))
	s.start("mp-20419")
	s.waitScreen(ScreenFailure)
	shot("failure")
	s.tap(wordsDone)

	// The Cloud accepted the key, then its status failed: the key may
	// already be registered.
	failAfterAccepted(s, "mp-20420", "385619")
	shot("failure-registered")
	s.tap(wordsDone)

	s.waitScreen(ScreenAttract)
	s.ui(func() { s.k.win.Canvas().(fyne.Shortcutable).TypedShortcut(AdminShortcut) })
	s.waitScreen(ScreenAdmin)
	s.enter(func() *kioskEntry { return s.k.w.admin }, "0000")
	shot("admin")
}

// TestScreenshotsGerman walks two people through a German station: the
// attract screen, a success, a failure before the Cloud accepted the key
// and one after (kiosk-de-*.png with -screenshots).
func TestScreenshotsGerman(t *testing.T) {
	t.Cleanup(func() { useLanguage("en") })
	s := newStation(t, virtualkey.Options{Presence: virtualkey.Presence{Mode: virtualkey.PresenceManual}},
		func(o *Options) { o.Language = "de" })
	shot := shooter(t, s, "de-")
	s.waitScreen(ScreenAttract)
	shot("attract")

	s.start("mp-20417")
	s.waitScreen(ScreenSetPIN)
	s.ui(func() {
		typeFocused(s.k, s.k.w.newPIN, "385619")
		typeFocused(s.k, s.k.w.newPIN2, "385619")
	})
	s.tap(wordsContinue)
	s.waitScreen(ScreenTouch)
	s.waitFor("the key to blink", s.env.Key.Waiting)
	s.env.Key.Touch()
	s.waitScreen(ScreenSuccess)
	shot("success")
	s.tap(wordsDone)

	s.env.Cloud.FailNext(emulator.EndpointEnroll, emulator.CloudError(500, "internal", "boom"))
	s.start("mp-20418")
	s.waitScreen(ScreenFailure)
	shot("failure")
	s.tap(wordsDone)

	failAfterAccepted(s, "mp-20419", "385619")
	shot("failure-registered")
	s.tap(wordsDone)
}

// failAfterAccepted enrolls username with the key's PIN while the Cloud's
// status endpoint fails once: the attestation was accepted, so the failure
// screen says the key may already be registered.
func failAfterAccepted(s *testStation, username, pin string) {
	s.t.Helper()
	s.env.Cloud.FailNext(emulator.EndpointStatus, emulator.CloudError(500, "internal_error", "boom"))
	s.start(username)
	s.waitScreen(ScreenEnterPIN)
	s.enter(func() *kioskEntry { return s.k.w.pin }, pin)
	s.waitScreen(ScreenTouch)
	s.waitFor("the key to blink", s.env.Key.Waiting)
	s.env.Key.Touch()
	s.waitScreen(ScreenFailure)
	if st := s.state(); !st.MayBeRegistered {
		s.t.Fatalf("failure %q does not say the key may be registered", st.Outcome)
	}
}

// shooter captures the station's screens at the display's size, checks
// each and, with -screenshots, writes kiosk-<prefix><name>.png.
func shooter(t *testing.T, s *testStation, prefix string) func(name string) {
	s.k.win.Resize(kioskScreenSize)
	seen := map[[32]byte]string{}
	return func(name string) {
		t.Helper()
		name = prefix + name
		var img image.Image
		s.ui(func() {
			if min := s.k.win.Content().MinSize(); min.Width > 1366 || min.Height > 768 {
				t.Errorf("%s needs %v, more than a 1366×768 display", name, min)
			}
			img = s.k.win.Canvas().Capture()
		})
		checkShot(t, name, img, seen)
		if *screenshots == "" {
			return
		}
		if err := os.MkdirAll(*screenshots, 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(filepath.Join(*screenshots, "kiosk-"+name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
	}
}

func checkShot(t *testing.T, name string, img image.Image, seen map[[32]byte]string) {
	t.Helper()
	b := img.Bounds()
	if b.Dx() != int(kioskScreenSize.Width) || b.Dy() != int(kioskScreenSize.Height) {
		t.Errorf("%s: %v, want the display's size", name, b)
	}
	// Something besides the background is drawn.
	bg := img.At(0, 0)
	drawn := 0
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			if img.At(x, y) != bg {
				drawn++
			}
		}
	}
	if drawn < 500 {
		t.Errorf("%s: almost blank (%d drawn samples)", name, drawn)
	}
	var h [32]byte
	if nrgba, ok := img.(*image.NRGBA); ok {
		h = sha256.Sum256(nrgba.Pix)
	}
	if prev, dup := seen[h]; dup {
		t.Errorf("%s looks exactly like %s", name, prev)
	}
	seen[h] = name
}

// typeFocused types into e as a person would: focus moves to it through
// the canvas (test.Type focuses without telling the canvas, which leaves
// the previous entry drawn as focused).
func typeFocused(k *Kiosk, e *kioskEntry, text string) {
	k.win.Canvas().Focus(e)
	for _, r := range text {
		e.TypedRune(r)
	}
}
