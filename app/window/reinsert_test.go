package window

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// openReinsert marks the virtual key as refusing its PIN (three wrong PINs
// in a row) and opens the reinsert dialog for it; it returns the dialog's
// actions and a flag set when the dialog runs what it waited for.
func openReinsert(t *testing.T, u *UI, path string) (rescan, replug *action, then *atomic.Bool) {
	t.Helper()
	u.S.notePINError(path, &ctap.Error{Op: "make credential", Code: ctap.StatusPINAuthBlocked})
	if !u.S.AuthBlocked(path) {
		t.Fatal("the key is not marked as refusing its PIN")
	}
	then = new(atomic.Bool)
	acts := make(chan [2]*action, 1)
	testOnlyReinsert = func(rs, rp *action) { acts <- [2]*action{rs, rp} }
	t.Cleanup(func() { testOnlyReinsert = nil })
	onUI(func() { u.showReinsert(path, func() { then.Store(true) }) })
	a := <-acts
	return a[0], a[1], then
}

// TestReinsertReplugRunsOnce: two presses on "Replug the virtual key"
// while the first replug runs replug the key once, and the dialog then
// goes on as after any reinsert.
func TestReinsertReplugRunsOnce(t *testing.T) {
	u, env := newTestUI(t)
	path := env.Key.Path()
	var replugs atomic.Int32
	env.Key.OnEvent(func(e virtualkey.Event) {
		if e.Kind == virtualkey.EventReplugged {
			replugs.Add(1)
		}
	})
	t.Cleanup(func() { env.Key.OnEvent(nil) })
	_, replug, then := openReinsert(t, u, path)
	waitFor(t, "the Replug button", func() bool { return dialogButton(u.Win, "Replug the virtual key") != nil })
	b := dialogButton(u.Win, "Replug the virtual key")
	var busy bool
	onUI(func() {
		b.OnTapped()
		b.OnTapped() // a press whose callback was on its way before the button disabled itself
		busy = replug.running()
	})
	if !busy {
		t.Error("no replug running after the presses")
	}
	replug.Wait()
	waitFor(t, "the dialog to go on after the replug", then.Load)
	if n := replugs.Load(); n != 1 {
		t.Fatalf("two presses replugged the key %d times", n)
	}
	if get[bool](t, replug.Busy) {
		t.Fatal("the replug action is still busy")
	}
}

// TestReinsertCloseCancelsTheRescan: closing the reinsert dialog ends its
// rescans (the key list is no longer read for it, its action leaves busy)
// and what it waited for never runs.
func TestReinsertCloseCancelsTheRescan(t *testing.T) {
	u, env := newTestUI(t)
	var listings atomic.Int32
	list := u.S.listDevices
	u.S.listDevices = func() ([]ctap.DeviceDescriptor, error) {
		listings.Add(1)
		return list()
	}
	rescan, _, then := openReinsert(t, u, env.Key.Path())
	waitFor(t, "the dialog to rescan", func() bool { return listings.Load() >= 2 })
	if !get[bool](t, rescan.Busy) {
		t.Fatal("the rescan is not busy while the dialog waits")
	}
	tapDialog(t, u.Win, "Cancel")
	done := make(chan struct{})
	go func() { rescan.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("closing the dialog did not end the rescan")
	}
	if get[bool](t, rescan.Busy) {
		t.Fatal("the rescan is still busy after the dialog closed")
	}
	n := listings.Load()
	time.Sleep(4 * reinsertPoll)
	if m := listings.Load(); m != n {
		t.Fatalf("the closed dialog read the key list %d more times", m-n)
	}
	if then.Load() {
		t.Fatal("the closed dialog ran what it waited for")
	}
	if dialogButton(u.Win, "Replug the virtual key") != nil {
		t.Fatal("the dialog is still shown")
	}
}
