package window

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

var screenshots = flag.String("screenshots", "", "write PNGs of the window's screens, taken in a real window, to this folder")

// envScreenshotDir makes the test binary a screenshot program: TestMain
// then opens the real window (glfw driver) on the main goroutine, where
// the driver must run, instead of running tests. Fyne's test app and its
// real app cannot share one process, so TestScreenshots starts the test
// binary again with it set.
const envScreenshotDir = "KEYDESK_SCREENSHOT_DIR"

// screenshotSize is the window size of the screenshots.
var screenshotSize = fyne.NewSize(1100, 720)

// envScreenshotSet names the set of pictures the screenshot program takes
// (one process each: the demo's virtual key and the language are chosen
// before the window opens).
const envScreenshotSet = "KEYDESK_SCREENSHOT_SET"

// The screenshot sets besides the default one.
const (
	// setCTAP20 runs the demo with a CTAP 2.0 key without clientPin (and
	// so without credential management): what Manage offers it.
	setCTAP20 = "ctap20"
	// setGerman runs the window in German.
	setGerman = "de"
)

// shotSets are the PNGs each set writes (keydesk-<name>.png). The default
// set: each screen, the touch dialog, the message of a PIN prompt that ran
// out of time, and Settings after Test connection succeeded and failed.
var shotSets = map[string][]string{
	"":        append(append([]string{}, Screens...), "enroll-touch", "enroll-pin-timeout", "settings-test-ok", "settings-test-failed"),
	setCTAP20: {"manage-ctap20"},
	setGerman: {"de-keys", "de-enroll", "de-settings"},
}

// shotSetOrder is the order the sets are taken in.
var shotSetOrder = []string{"", setCTAP20, setGerman}

func TestMain(m *testing.M) {
	// The app's tests (and the screenshot program) list and open only
	// the virtual keys they start, never a hardware key plugged in.
	ctap.SetDeviceFilterForTesting(ctap.OnlyVirtualKeys)
	if dir := os.Getenv(envScreenshotDir); dir != "" {
		if err := takeScreenshots(dir, os.Getenv(envScreenshotSet)); err != nil {
			fmt.Fprintln(os.Stderr, "screenshots:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestScreenshots with -screenshots=DIR renders every screen in a real
// window (under Xvfb in CI: .ci/with-display) and writes DIR/keydesk-*.png,
// then checks the files. Without the flag it renders every screen with the
// test driver and checks each image has the window's size and content.
func TestScreenshots(t *testing.T) {
	if *screenshots != "" {
		dir, err := filepath.Abs(*screenshots)
		if err != nil {
			t.Fatal(err)
		}
		for _, set := range shotSetOrder {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), envScreenshotDir+"="+dir, envScreenshotSet+"="+set)
			out, err := cmd.CombinedOutput()
			cancel()
			if err != nil {
				t.Fatalf("screenshot run %q: %v\n%s", set, err, out)
			}
		}
		var names []string
		for _, set := range shotSetOrder {
			names = append(names, shotSets[set]...)
		}
		for _, n := range names {
			f, err := os.Open(filepath.Join(dir, "keydesk-"+n+".png"))
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(f)
			f.Close()
			if err != nil {
				t.Fatalf("%s: %v", n, err)
			}
			checkImage(t, n, img)
		}
		return
	}
	u, _ := newTestUI(t)
	u.Win.Resize(screenshotSize)
	for _, n := range Screens {
		var img image.Image
		var min fyne.Size
		onUI(func() {
			u.Show(n)
			min = u.tabs.Selected().Content.MinSize()
			img = u.Win.Canvas().Capture()
		})
		if min.Width > 900 || min.Height > 700 {
			t.Errorf("%s needs %v: too big for a laptop screen", n, min)
		}
		checkImage(t, n, img)
	}
}

// checkImage wants a window-sized image with more than a few colours.
func checkImage(t *testing.T, name string, img image.Image) {
	t.Helper()
	b := img.Bounds()
	if b.Dx() < 800 || b.Dy() < 500 {
		t.Fatalf("%s: %v is too small", name, b)
	}
	colours := map[[4]uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, a := img.At(x, y).RGBA()
			colours[[4]uint32{r, g, bl, a}] = true
		}
	}
	if len(colours) < 4 {
		t.Fatalf("%s: only %d colours: nothing drawn", name, len(colours))
	}
}

// takeScreenshots opens the real window in demo mode, fills it with a
// session (PIN set, an enrollment, a sign-in, a failed enrollment) and
// writes the PNGs of the set.
func takeScreenshots(dir, set string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	a := app.NewWithID(AppID + ".screenshots")
	opts := demo.Options{Memory: true}
	fill := fillAndShoot
	switch set {
	case "":
		SetLanguage("en")
	case setCTAP20:
		SetLanguage("en")
		opts.Key = virtualkey.Options{Profile: virtualkey.ProfileCTAP20, NoClientPIN: true}
		fill = shootCTAP20
	case setGerman:
		SetLanguage("de")
		fill = shootGerman
	default:
		return fmt.Errorf("no screenshot set %q", set)
	}
	svc, stop, err := StartServices(context.Background(), &uitest.SettingsStore{}, opts)
	if err != nil {
		return err
	}
	defer stop()
	w := a.NewWindow(screenshotTitle)
	u := NewUI(a, w, svc)
	w.SetContent(u.Build())
	w.Resize(screenshotSize)
	var shotErr error
	go func() {
		defer fyne.Do(a.Quit)
		shotErr = fill(u, svc, dir)
	}()
	w.ShowAndRun()
	return shotErr
}

// shoot writes the window as keydesk-<name>.png once it has drawn.
func shoot(dir, name string) error {
	time.Sleep(700 * time.Millisecond) // let the window draw
	return grabWindow(filepath.Join(dir, "keydesk-"+name+".png"))
}

// showScreen shows a screen and lays it out again once its bound values
// have arrived.
func showScreen(u *UI, name string) {
	fyne.DoAndWait(func() { u.Show(name) })
	time.Sleep(300 * time.Millisecond)
	// Screens built just now got their bound values after their first
	// layout: lay them out and draw them again before the picture.
	fyne.DoAndWait(func() { u.tabs.Selected().Content.Refresh() })
}

// demoKeyWithPIN sets the demo key's PIN and returns a runner that types it.
func demoKeyWithPIN(ctx context.Context, svc *Services) (*ceremony.Runner, error) {
	dev, err := svc.Key(ctx)
	if err != nil {
		return nil, err
	}
	if err := dev.SetPIN(ctx, "2468"); err != nil {
		return nil, err
	}
	return svc.Runner(testkit.AlwaysPIN("2468"), nil)
}

// testConnection types the demo emulator's instance, origin and the given
// access key into Settings and presses Test connection.
func testConnection(u *UI, svc *Services, key string) {
	env := svc.Demo()
	// Close what an earlier picture left open (the PIN prompt's message).
	fyne.DoAndWait(func() {
		ov := u.Win.Canvas().Overlays()
		for o := ov.Top(); o != nil; o = ov.Top() {
			ov.Remove(o)
		}
	})
	showScreen(u, ScreenSettings)
	fyne.DoAndWait(func() {
		s := u.settingsScreen
		s.instance.SetText(env.Cloud.URL())
		s.origin.SetText(env.Cloud.Origin())
		s.key.SetText(key)
		s.test.OnTapped()
	})
	u.Settings.Wait()
}

// shootCTAP20: Manage on a CTAP 2.0 key without clientPin, which has
// neither a PIN nor credential management to offer.
func shootCTAP20(u *UI, svc *Services, dir string) error {
	u.Keys.Scan(context.Background(), true)
	showScreen(u, ScreenManage)
	return shoot(dir, "manage-ctap20")
}

// shootGerman: Keys, an enrollment's result and Settings after a
// successful connection test, in German.
func shootGerman(u *UI, svc *Services, dir string) error {
	ctx := context.Background()
	env := svc.Demo()
	r, err := demoKeyWithPIN(ctx, svc)
	if err != nil {
		return err
	}
	svc.History.Add(newCeremony(ceremony.KindEnroll, r.Enroll(ctx, ceremony.EnrollInput{Username: "alice@example.com", DisplayName: "Alice Example", FriendlyName: "Sicherheitsschlüssel"})))
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
	cer := newCeremony(ceremony.KindEnroll, r.Enroll(ctx, ceremony.EnrollInput{Username: "bob@example.com", FriendlyName: "Sicherheitsschlüssel"}))
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceGranted})
	svc.History.Add(cer)
	u.Enroll.show(cer)
	u.Keys.Scan(ctx, true)
	fyne.DoAndWait(func() { _ = u.Enroll.Username.Set("bob@example.com") })
	showScreen(u, ScreenKeys)
	if err := shoot(dir, "de-keys"); err != nil {
		return err
	}
	showScreen(u, ScreenEnroll)
	if err := shoot(dir, "de-enroll"); err != nil {
		return err
	}
	testConnection(u, svc, env.Cloud.AccessKey())
	return shoot(dir, "de-settings")
}

func fillAndShoot(u *UI, svc *Services, dir string) error {
	ctx := context.Background()
	env := svc.Demo()
	r, err := demoKeyWithPIN(ctx, svc)
	if err != nil {
		return err
	}
	for _, c := range []struct {
		kind ceremony.Kind
		run  func() *ceremony.Result
	}{
		{ceremony.KindEnroll, func() *ceremony.Result {
			return r.Enroll(ctx, ceremony.EnrollInput{Username: "alice@example.com", DisplayName: "Alice Example", FriendlyName: "Security key"})
		}},
		{ceremony.KindSignIn, func() *ceremony.Result { return r.Approve(ctx, ceremony.ApproveInput{Username: "alice@example.com"}) }},
		{ceremony.KindSignIn, func() *ceremony.Result {
			// Nobody touches the key: a timeout.
			env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
			defer env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceGranted})
			rt := *r
			rt.StepTimes.Touch = time.Second
			return rt.Approve(ctx, ceremony.ApproveInput{Username: "alice@example.com"})
		}},
		{ceremony.KindSignIn, func() *ceremony.Result {
			// The person cancels while the key waits.
			env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
			defer env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceGranted})
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			go func() {
				for !env.Key.Waiting() {
					time.Sleep(20 * time.Millisecond)
				}
				cancel()
			}()
			return r.Approve(cctx, ceremony.ApproveInput{Username: "alice@example.com"})
		}},
		{ceremony.KindEnroll, func() *ceremony.Result {
			env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
			defer env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceGranted})
			return r.Enroll(ctx, ceremony.EnrollInput{Username: "bob@example.com", FriendlyName: "Security key"})
		}},
	} {
		cer := newCeremony(c.kind, c.run())
		svc.History.Add(cer)
		if c.kind == ceremony.KindEnroll {
			u.Enroll.show(cer)
		} else {
			u.SignIn.show(cer)
		}
	}
	u.Keys.Scan(ctx, true)
	fyne.DoAndWait(func() {
		_ = u.Enroll.Username.Set("bob@example.com")
		_ = u.SignIn.Username.Set("alice@example.com")
		_ = u.Helpdesk.Paste.Set("error-1001")
		u.Helpdesk.Diagnose()
	})
	if err := u.Helpdesk.LookupUser(ctx, svc.History.All()[0].UserID); err != nil {
		return err
	}
	// The Audit log card with its chart and table (all users, last 30 days).
	if err := u.Helpdesk.ExportLog(ctx, LogRequest{}); err != nil {
		return err
	}
	for _, n := range Screens {
		showScreen(u, n)
		if err := shoot(dir, n); err != nil {
			return err
		}
	}
	// The touch dialog, waiting for a touch with its countdown.
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
	fyne.DoAndWait(func() {
		u.Show(ScreenEnroll)
		_ = u.Enroll.Username.Set("carol@example.com")
		u.Enroll.Start(func(cancel context.CancelFunc) ctap.Prompter {
			p := u.prompter(cancel)
			return touchOnly{p, "2468"}
		})
	})
	for deadline := time.Now().Add(20 * time.Second); !env.Key.Waiting(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			return fmt.Errorf("the key never waited for a touch")
		}
	}
	if err := shoot(dir, "enroll-touch"); err != nil {
		return err
	}
	env.Key.Touch()
	u.Enroll.Wait()
	// The PIN prompt ran out of time: it says so, and no field has the
	// keyboard.
	testOnlyStepTimes = webauthn.StepTimes{PIN: time.Second}
	defer func() { testOnlyStepTimes = webauthn.StepTimes{} }()
	fyne.DoAndWait(func() {
		_ = u.Enroll.Username.Set("frank@example.com")
		u.Enroll.Start(u.prompterFactory())
	})
	u.Enroll.Wait()
	if err := shoot(dir, "enroll-pin-timeout"); err != nil {
		return err
	}
	// Settings after Test connection: the demo emulator with its access
	// key, then with a wrong one.
	testConnection(u, svc, env.Cloud.AccessKey())
	if err := shoot(dir, "settings-test-ok"); err != nil {
		return err
	}
	testConnection(u, svc, "not-the-access-key")
	return shoot(dir, "settings-test-failed")
}

// touchOnly shows the real touch dialog but answers the PIN itself.
type touchOnly struct {
	*Prompter
	pin string
}

func (p touchOnly) PIN(context.Context, ctap.PINRequest) (string, error) { return p.pin, nil }

// screenshotTitle names the window for the X server (Xvfb has no window
// manager, so the title is not part of the picture).
const screenshotTitle = "keydesk-screenshots"

// grabWindow writes the window as the X server shows it (ImageMagick's
// import). Fyne's Canvas.Capture reads the GL front buffer, which Mesa's
// software renderer under Xvfb leaves empty.
func grabWindow(path string) error {
	out, err := exec.Command("import", "-window", screenshotTitle, path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("import: %v: %s", err, out)
	}
	return nil
}
