package window

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
)

// TestPINAuthBlockedAndBlocked follows a key through its PIN states in the
// window, with the virtual key through real libfido2: three wrong PINs in
// a row make the Keys screen say "remove and reinsert the key", and the
// next enrollment waits for that instead of asking for the PIN again (the
// virtual key's replug ends the wait and the enrollment goes on); a key
// whose PIN is blocked for good gets the way to a factory reset, never a
// PIN field.
func TestPINAuthBlockedAndBlocked(t *testing.T) {
	u, env := newTestUI(t)
	ctx := context.Background()
	dev, err := u.S.Key(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.SetPIN(ctx, "1234"); err != nil {
		t.Fatal(err)
	}
	u.Keys.Scan(ctx, true)
	path := env.Key.Path()

	onUI(func() { u.Show(ScreenEnroll) })
	e := u.enrollScreen
	fyne.DoAndWait(func() {
		test.Type(e.username, "erin")
		e.username.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	for _, wrong := range []string{"9991", "9992", "9993"} {
		waitFor(t, "the PIN dialog", func() bool { return len(dialogSecrets(u.Win)) > 0 })
		answered := dialogSecrets(u.Win)[0]
		answerPIN(t, u.Win, wrong)
		// The answered dialog closes; the retry's may already be open.
		waitFor(t, "the PIN dialog to close", func() bool {
			es := dialogSecrets(u.Win)
			return len(es) == 0 || es[0] != answered
		})
	}
	u.Enroll.Wait()
	if get[bool](t, u.Enroll.ResultOK) || !env.Key.Status().AuthBlocked {
		t.Fatal("three wrong PINs did not block PIN use on the key")
	}
	waitFor(t, "the Keys screen to say reinsert", func() bool {
		r, _ := u.Keys.Row(path)
		return r.Verdict == VerdictReinsert
	})

	// The next enrollment asks for no PIN: it waits for the replug. (Enter
	// right after a dialog closed is held back: wait out that guard.)
	waitFor(t, "the form to take Enter again", func() bool { return !u.guard.blocks() })
	fyne.DoAndWait(func() { e.username.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	waitFor(t, "the reinsert dialog", func() bool { return dialogButton(u.Win, "Replug the virtual key") != nil })
	if len(dialogSecrets(u.Win)) != 0 || get[bool](t, u.Enroll.Busy) {
		t.Fatal("an enrollment started on a key that refuses its PIN")
	}
	tapDialog(t, u.Win, "Replug the virtual key")
	answerPIN(t, u.Win, "1234")
	u.Enroll.Wait()
	if !get[bool](t, u.Enroll.ResultOK) {
		t.Fatalf("enroll after the replug: %s\n%s", get[string](t, u.Enroll.ResultTitle), get[string](t, u.Enroll.ResultText))
	}
	waitFor(t, "the Keys screen to say ready", func() bool {
		r, _ := u.Keys.Row(path)
		return r.Verdict == VerdictReady
	})

	// Use up every try (three per power-up), then the PIN is blocked.
	for i := 0; env.Key.Status().PINRetries > 0; i++ {
		if i > 0 && i%3 == 0 {
			if err := env.Key.Replug(); err != nil {
				t.Fatal(err)
			}
		}
		err := dev.ChangePIN(ctx, "0000", "5678")
		if c, _ := ctap.CodeOf(err); c != ctap.StatusPINInvalid && c != ctap.StatusPINAuthBlocked && c != ctap.StatusPINBlocked {
			t.Fatalf("wrong PIN %d: %v", i, err)
		}
	}
	u.Keys.Scan(ctx, true)
	if r, _ := u.Keys.Row(path); r.Verdict != VerdictBlocked {
		t.Fatalf("blocked key's verdict %q", r.Verdict)
	}
	waitFor(t, "the form to take Enter again", func() bool { return !u.guard.blocks() })
	fyne.DoAndWait(func() { e.username.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	waitFor(t, "the blocked dialog", func() bool { return dialogButton(u.Win, "Go to factory reset") != nil })
	if len(dialogSecrets(u.Win)) != 0 {
		t.Fatal("a PIN field for a key whose PIN is blocked")
	}
	tapDialog(t, u.Win, "Go to factory reset")
	var sel int
	onUI(func() { sel = u.tabs.SelectedIndex() })
	if Screens[sel] != ScreenManage {
		t.Fatalf("Go to factory reset showed %s", Screens[sel])
	}

	// Even past the screen's check (a stale row), the key is not asked
	// for a PIN it cannot accept: the ceremony ends with PIN_BLOCKED.
	var p ctap.Prompter = testkit.NoPIN(t)
	if _, err := dev.MakeCredential(ctx, ctap.MakeCredentialRequest{
		ClientDataHash: make([]byte, 32), RP: ctap.RelyingPartyEntity{ID: "example.com"},
		User: ctap.UserEntity{ID: []byte{1}, Name: "erin"}, UserVerification: ctap.UVPreferred, Algorithms: []int{-7}, Timeout: 5 * time.Second,
	}, p); err == nil {
		t.Fatal("made a credential on a key whose PIN is blocked")
	} else if c, _ := ctap.CodeOf(err); c != ctap.StatusPINBlocked {
		t.Fatalf("make credential on a blocked key: %v, want PIN_BLOCKED", err)
	}
}

// TestReinsertDialogWaitsForRemoval: the reinsert dialog notices the key
// leaving the device list and coming back (as a hardware key is pulled
// and plugged in again; here the device list hides the virtual key while
// it is "out"), then the enrollment goes on. The block comes from three
// wrong PINs on Manage key. Another key stays plugged in meanwhile, and
// the enrollment goes to the reinserted key, not to it.
func TestReinsertDialogWaitsForRemoval(t *testing.T) {
	u, env := newTestUI(t)
	ctx := context.Background()
	path := env.Key.Path()
	// Set the seam before anything scans in the background.
	var out atomic.Bool
	list := u.S.listDevices
	u.S.listDevices = func() ([]ctap.DeviceDescriptor, error) {
		ds, err := list()
		// Another key stays plugged in all along.
		ds = append(ds, ctap.DeviceDescriptor{Path: "virtual:/nonexistent/other-key", Product: "Other key", Virtual: true})
		if !out.Load() {
			return ds, err
		}
		var kept []ctap.DeviceDescriptor
		for _, d := range ds {
			if d.Path != path {
				kept = append(kept, d)
			}
		}
		return kept, err
	}
	dev, err := u.S.Key(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.SetPIN(ctx, "1234"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		_ = u.Manage.ChangePIN(ctx, "0000", "5678")
	}
	if !u.S.AuthBlocked(path) || !env.Key.Status().AuthBlocked {
		t.Fatal("three wrong PINs on Manage key did not mark the key")
	}
	u.Keys.Scan(ctx, true)
	onUI(func() { u.Show(ScreenEnroll) })
	fyne.DoAndWait(func() {
		test.Type(u.enrollScreen.username, "frank")
		u.enrollScreen.username.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitFor(t, "the reinsert dialog", func() bool { return strings.Contains(dialogText(u.Win), "Waiting for the key to be removed") })
	out.Store(true)
	waitFor(t, "the dialog to see the key gone", func() bool { return strings.Contains(dialogText(u.Win), "plug the key in again") })
	if get[bool](t, u.Enroll.Busy) {
		t.Fatal("the enrollment started while the key was out")
	}
	if err := env.Key.Replug(); err != nil {
		t.Fatal(err)
	}
	out.Store(false)
	answerPIN(t, u.Win, "1234")
	u.Enroll.Wait()
	if !get[bool](t, u.Enroll.ResultOK) {
		t.Fatalf("enroll after reinserting: %s\n%s", get[string](t, u.Enroll.ResultTitle), get[string](t, u.Enroll.ResultText))
	}
}
