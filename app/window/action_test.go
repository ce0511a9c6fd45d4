package window

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestManageCancelWhileTheKeyWaits: the Manage screen lists credentials;
// the key takes the PIN and then stops answering in the listing. The
// screen's Cancel ends the operation promptly with a neutral "cancelled"
// (not an error), and the key is free again: the next listing works.
func TestManageCancelWhileTheKeyWaits(t *testing.T) {
	u, env := newTestUI(t)
	setKeyPIN(t, u, "1234")
	onUI(func() { u.Show(ScreenManage) })
	m := u.manageScreen
	var silent atomic.Bool
	env.Key.OnEvent(func(e virtualkey.Event) {
		if e.Kind == virtualkey.EventCommand && (e.Command == 0x0A || e.Command == 0x41) { // credentialManagement (or its preview)
			env.Key.SetSilent(true)
			silent.Store(true)
		}
	})
	fyne.DoAndWait(func() { test.Tap(m.showCreds) })
	answerPIN(t, u.Win, "1234")
	waitFor(t, "the key to go silent in the listing", func() bool { return silent.Load() })
	var shown bool
	onUI(func() { shown = m.cancel.Visible() })
	if !shown || !get[bool](t, u.Manage.Busy) {
		t.Fatal("no Cancel button while the key operation runs")
	}
	start := time.Now()
	fyne.DoAndWait(func() { test.Tap(m.cancel) })
	u.Manage.Wait()
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Cancel took %s to end the listing", d)
	}
	waitFor(t, "the screen to leave busy", func() bool { return !get[bool](t, u.Manage.Busy) })
	if e := Ending(get[int](t, u.Manage.MessageEnding)); e != EndCancelled {
		t.Fatalf("the cancelled listing ended as %v: %q", e, get[string](t, u.Manage.Message))
	}
	if get[string](t, u.Manage.Message) == "" {
		t.Fatal("no message after the cancel")
	}

	env.Key.OnEvent(nil)
	env.Key.SetSilent(false)
	fyne.DoAndWait(func() { test.Tap(m.showCreds) })
	answerPIN(t, u.Win, "1234")
	waitFor(t, "the next listing", func() bool {
		return !get[bool](t, u.Manage.Busy) && get[string](t, u.Manage.Message) != ""
	})
	if !get[bool](t, u.Manage.MessageOK) {
		t.Fatalf("the listing after the cancel failed: %q", get[string](t, u.Manage.Message))
	}
}

// TestManageCancelClosesThePINDialog: Cancel on the screen while the PIN
// dialog waits, half a PIN typed, closes the dialog (its entry emptied, its
// Escape handler gone) and ends the operation as cancelled.
func TestManageCancelClosesThePINDialog(t *testing.T) {
	u, _ := newTestUI(t)
	setKeyPIN(t, u, "1234")
	onUI(func() { u.Show(ScreenManage) })
	m := u.manageScreen
	fyne.DoAndWait(func() { test.Tap(m.showCreds) })
	waitFor(t, "the PIN dialog", func() bool { return len(dialogSecrets(u.Win)) > 0 })
	e := dialogSecrets(u.Win)[0]
	fyne.DoAndWait(func() { test.Type(e, "12") })
	fyne.DoAndWait(func() { test.Tap(m.cancel) })
	u.Manage.Wait()
	waitFor(t, "the screen to leave busy", func() bool { return !get[bool](t, u.Manage.Busy) })
	if n := len(dialogSecrets(u.Win)); n != 0 {
		t.Fatalf("%d PIN entries still shown after Cancel", n)
	}
	var text string
	var handler func()
	onUI(func() { text, handler = e.Text, e.onEscape })
	if text != "" || handler != nil {
		t.Fatal("the closed PIN dialog's entry keeps its text or its Escape handler")
	}
	if e := Ending(get[int](t, u.Manage.MessageEnding)); e != EndCancelled {
		t.Fatalf("ended as %v: %q", e, get[string](t, u.Manage.Message))
	}
}

// TestManageDoubleClickRunsOnce: two clicks on Show credentials start
// one listing (one prompter, one PIN dialog).
func TestManageDoubleClickRunsOnce(t *testing.T) {
	u, _ := newTestUI(t)
	setKeyPIN(t, u, "1234")
	var prompters atomic.Int32
	u.testOnlyPrompter = func(*Prompter) { prompters.Add(1) }
	onUI(func() { u.Show(ScreenManage) })
	m := u.manageScreen
	fyne.DoAndWait(func() {
		// The button disables itself once busy; a click's callback that
		// was already on its way still arrives.
		m.showCreds.OnTapped()
		m.showCreds.OnTapped()
	})
	answerPIN(t, u.Win, "1234")
	waitFor(t, "the listing", func() bool {
		return !get[bool](t, u.Manage.Busy) && get[string](t, u.Manage.Message) != ""
	})
	time.Sleep(200 * time.Millisecond)
	if n := prompters.Load(); n != 1 {
		t.Fatalf("two clicks started %d operations", n)
	}
	if n := len(dialogSecrets(u.Win)); n != 0 {
		t.Fatalf("a second PIN dialog is open")
	}
}

// TestResetCountdownListsNoKeysOnTheUIGoroutine: opening the factory
// reset's countdown finds out whether the key is the virtual one by
// listing the keys through libfido2; that listing runs on a worker, never
// on the UI goroutine: while a listing hangs, the window still answers.
func TestResetCountdownListsNoKeysOnTheUIGoroutine(t *testing.T) {
	u, _ := newTestUI(t)
	var armed atomic.Bool
	listing, release := make(chan struct{}), make(chan struct{})
	list := u.S.listDevices
	u.S.listDevices = func() ([]ctap.DeviceDescriptor, error) {
		if armed.CompareAndSwap(true, false) {
			close(listing)
			select { // hang like a slow libfido2 until the test has looked
			case <-release:
			case <-time.After(10 * time.Second):
			}
		}
		return list()
	}
	onUI(func() { u.Show(ScreenManage) })
	fyne.DoAndWait(func() { test.Tap(u.manageScreen.reset) })
	tapDialog(t, u.Win, "Yes")
	armed.Store(true)
	waitFor(t, "the Erase button", func() bool { return dialogButton(u.Win, "Erase") != nil })
	erase := dialogButton(u.Win, "Erase")
	go onUI(func() { test.Tap(erase) }) // a listing on the UI goroutine would hold this
	select {
	case <-listing:
	case <-time.After(10 * time.Second):
		t.Fatal("the countdown did not list the keys")
	}
	answered := make(chan struct{})
	go func() { onUI(func() {}); close(answered) }()
	select {
	case <-answered:
	case <-time.After(3 * time.Second):
		t.Error("the window did not answer while the keys were listed: the listing runs on the UI goroutine")
	}
	close(release)
	waitFor(t, "the countdown to offer the virtual key's replug", func() bool { return dialogButton(u.Win, "Replug the virtual key") != nil })
	tapDialog(t, u.Win, "Cancel")
}

// TestSettingsTestConnectionCancel: Test connection against an instance
// that never answers runs once for two clicks, shows Cancel meanwhile, and
// Cancel ends it promptly as cancelled, not as a failed connection.
func TestSettingsTestConnectionCancel(t *testing.T) {
	srv, hits := silentInstance(t)
	u, env := newTestUI(t)
	onUI(func() { u.Show(ScreenSettings) })
	s := u.settingsScreen
	fyne.DoAndWait(func() {
		s.instance.SetText(srv.URL)
		s.origin.SetText(env.Cloud.Origin())
		test.Type(s.key, "an-access-key")
		s.test.OnTapped()
		s.test.OnTapped()
	})
	waitFor(t, "the test to reach the instance", func() bool { return hits.Load() > 0 })
	var shown bool
	onUI(func() { shown = s.cancel.Visible() })
	if !shown {
		t.Fatal("no Cancel button while the connection test runs")
	}
	start := time.Now()
	fyne.DoAndWait(func() { test.Tap(s.cancel) })
	u.Settings.Wait()
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Cancel took %s", d)
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("two clicks sent %d requests", n)
	}
	if st := get[string](t, u.Settings.Status); !strings.Contains(st, "cancelled") || strings.Contains(st, "failed") {
		t.Fatalf("status after Cancel: %q", st)
	}
}

// TestHelpdeskLookupCancel: a lookup at an instance that never answers
// runs once for two clicks, shows Cancel meanwhile, and Cancel ends it
// promptly as cancelled; the next lookup can start.
func TestHelpdeskLookupCancel(t *testing.T) {
	srv, hits := silentInstance(t)
	u, env := newTestUI(t)
	cl, err := NewCloudClient(config.Settings{InstanceURL: srv.URL, Origin: env.Cloud.Origin()}, cloud.NewSecret("an-access-key"))
	if err != nil {
		t.Fatal(err)
	}
	u.S.SetCloud(cl)
	onUI(func() { u.Show(ScreenHelpdesk) })
	h := u.helpdeskScreen
	fyne.DoAndWait(func() {
		h.userID.SetText("3f2a9c4e")
		h.lookup.OnTapped()
		h.lookup.OnTapped()
	})
	waitFor(t, "the lookup to reach the instance", func() bool { return hits.Load() > 0 })
	var shown bool
	onUI(func() { shown = h.cancel.Visible() })
	if !shown {
		t.Fatal("no Cancel button while the lookup runs")
	}
	start := time.Now()
	fyne.DoAndWait(func() { test.Tap(h.cancel) })
	u.Helpdesk.Wait()
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Cancel took %s", d)
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("two clicks sent %d requests", n)
	}
	if st := get[string](t, u.Helpdesk.LookupStatus); !strings.Contains(strings.ToLower(st), "cancel") {
		t.Fatalf("status after Cancel: %q", st)
	}
	u.S.SetCloud(env.Client)
	fyne.DoAndWait(func() { h.lookup.OnTapped() })
	u.Helpdesk.Wait()
	if get[bool](t, u.Helpdesk.LookupBusy) {
		t.Fatal("still busy after the second lookup")
	}
}

// silentInstance is an instance that takes every request and never
// answers; hits counts the requests that reached it.
func silentInstance(t *testing.T) (*httptest.Server, *atomic.Int32) {
	hits := new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	return srv, hits
}
