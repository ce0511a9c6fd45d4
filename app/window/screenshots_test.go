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

// shotNames are the PNGs written: each screen, then the touch dialog and
// the message of a PIN prompt that ran out of time.
var shotNames = append(append([]string{}, Screens...), "enroll-touch", "enroll-pin-timeout")

func TestMain(m *testing.M) {
	// The app's tests (and the screenshot program) list and open only
	// the virtual keys they start, never a hardware key plugged in.
	ctap.SetDeviceFilterForTesting(ctap.OnlyVirtualKeys)
	if dir := os.Getenv(envScreenshotDir); dir != "" {
		if err := takeScreenshots(dir); err != nil {
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
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envScreenshotDir+"="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("screenshot run: %v\n%s", err, out)
		}
		for _, n := range shotNames {
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
// writes one PNG per screen.
func takeScreenshots(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	a := app.NewWithID(AppID + ".screenshots")
	SetLanguage("en")
	svc, stop, err := StartServices(context.Background(), &uitest.SettingsStore{}, demo.Options{Memory: true})
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
		shotErr = fillAndShoot(u, svc, dir)
	}()
	w.ShowAndRun()
	return shotErr
}

func fillAndShoot(u *UI, svc *Services, dir string) error {
	ctx := context.Background()
	env := svc.Demo()
	dev, err := svc.Key(ctx)
	if err != nil {
		return err
	}
	if err := dev.SetPIN(ctx, "2468"); err != nil {
		return err
	}
	r, err := svc.Runner(testkit.AlwaysPIN("2468"), nil)
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
	shoot := func(name string) error {
		time.Sleep(700 * time.Millisecond) // let the window draw
		return grabWindow(filepath.Join(dir, "keydesk-"+name+".png"))
	}
	for _, n := range Screens {
		fyne.DoAndWait(func() { u.Show(n) })
		time.Sleep(300 * time.Millisecond)
		// Screens built just now got their bound values after their first
		// layout: lay them out and draw them again before the picture.
		fyne.DoAndWait(func() { u.tabs.Selected().Content.Refresh() })
		if err := shoot(n); err != nil {
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
	if err := shoot("enroll-touch"); err != nil {
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
	if err := shoot("enroll-pin-timeout"); err != nil {
		return err
	}
	return nil
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
