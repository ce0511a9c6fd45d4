package window

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/ctap/testkit"
)

// TestHelpdeskUserLifecycle drives the Helpdesk screen against the
// emulator over loopback and the virtual key: a lookup by username shows
// the state, the last sign-ins, the rate-limit state and each
// authenticator's type, state, enrolled and updated times; a rename shows
// the new name; the audit log export draws a chart (green and red bars)
// and lists the events; deleting the user needs its username typed.
func TestHelpdeskUserLifecycle(t *testing.T) {
	u, env := newTestUI(t)
	ctx := context.Background()
	r, err := u.S.Runner(testkit.NewPrompter(), nil)
	if err != nil {
		t.Fatal(err)
	}
	en := r.Enroll(ctx, ceremony.EnrollInput{Username: "alice", DisplayName: "Alice"})
	if !en.Outcome.Success {
		t.Fatalf("enroll: %+v", en.Outcome)
	}
	if res := r.Approve(ctx, ceremony.ApproveInput{Username: "alice"}); !res.Outcome.Success {
		t.Fatalf("approve: %+v", res.Outcome)
	}
	aliceID := en.UserID
	env.Cloud.AddLogEvent(emulator.LogEvent{Time: time.Now().UTC().AddDate(0, 0, -2), Event: "authentication", Status: "failed",
		Category: "authentication", Channel: "fido2", UserID: aliceID, Username: "alice"})

	onUI(func() { u.Show(ScreenHelpdesk) })
	h := u.helpdeskScreen
	fyne.DoAndWait(func() {
		h.userID.SetText("alice")
		h.userID.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitFor(t, "alice by username", func() bool { return lenOf(u.Helpdesk.Authenticators) == 1 })
	summary := get[string](t, u.Helpdesk.UserText)
	for _, want := range []string{aliceID, "status active", "Last successful sign-in: 20", "Last failed sign-in: 20", "Rate limit"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the user summary lacks %q:\n%s", want, summary)
		}
	}
	var rename, delUser fyne.CanvasObject
	onUI(func() {
		row := uitest.Find(h.auths, uitest.Renderers|uitest.VisibleOnly, func(o fyne.CanvasObject) bool {
			l, ok := o.(*widget.Label)
			return ok && strings.Contains(l.Text, "enrolled 20") && strings.Contains(l.Text, "updated 20") && strings.Contains(l.Text, "ACTIVE")
		})
		if row == nil {
			t.Error("no authenticator row with its state, enrolled and updated times")
		}
		rename = uitest.Find(h.auths, uitest.Renderers|uitest.VisibleOnly, func(o fyne.CanvasObject) bool { b, ok := o.(*widget.Button); return ok && b.Text == "Rename" })
		delUser = uitest.Find(h.content, uitest.Renderers|uitest.VisibleOnly, func(o fyne.CanvasObject) bool { return o == h.delUser })
	})
	if rename == nil || delUser == nil {
		t.Fatalf("rename button %v, delete-user button %v", rename, delUser)
	}

	// Rename: the row shows the new name, the Cloud has it.
	items, _ := u.Helpdesk.Authenticators.Get()
	a := items[0].(cloud.Authenticator)
	if err := u.Helpdesk.RenameAuthenticator(ctx, a, "Alice's blue key"); err != nil {
		t.Fatal(err)
	}
	onUI(func() {
		if uitest.Find(h.auths, uitest.Renderers|uitest.VisibleOnly, labelWith("Alice's blue key")) == nil {
			t.Error("the renamed authenticator's row does not show its new name")
		}
	})
	if err := u.Helpdesk.RenameAuthenticator(ctx, a, "  "); err == nil {
		t.Error("a blank name was sent")
	}

	// The audit log of this user: a chart with a green and a red bar, a
	// table with the events.
	fyne.DoAndWait(func() {
		h.log.onlyUser.SetChecked(true)
		test.Tap(h.log.export)
	})
	waitFor(t, "the log export", func() bool { return lenOf(u.Helpdesk.LogDays) == 2 })
	if n := lenOf(u.Helpdesk.LogEvents); n != 4 {
		t.Errorf("alice's events: %d, want 4 (enroll, sign-in, rename, the failure)", n)
	}
	onUI(func() {
		var green, red int
		uitest.Find(h.log.chart, uitest.Renderers, func(o fyne.CanvasObject) bool {
			if r, ok := o.(*canvas.Rectangle); ok {
				switch r.FillColor {
				case colorOK:
					green++
				case colorFail:
					red++
				}
			}
			return false
		})
		if green != 1 || red != 1 {
			t.Errorf("chart bars: %d green, %d red; want one of each (today, two days ago)", green, red)
		}
		if uitest.Find(h.log.table, uitest.Renderers|uitest.VisibleOnly, labelWith("failed")) == nil {
			t.Error("the table does not list the failed sign-in")
		}
	})
	if err := u.Helpdesk.ExportLog(ctx, LogRequest{Since: "30.11.2026"}); err == nil || !strings.Contains(get[string](t, u.Helpdesk.LogStatus), "YYYY-MM-DD") {
		t.Errorf("a wrong date: %v %q", err, get[string](t, u.Helpdesk.LogStatus))
	}

	// Delete the user: a wrong typed name deletes nothing.
	if err := u.Helpdesk.DeleteUser(ctx, "Alice"); !errors.Is(err, errNotConfirmed) {
		t.Fatalf("wrong name: %v", err)
	}
	if _, err := env.Client.LookupUser(ctx, "alice"); err != nil {
		t.Fatalf("alice is gone after a wrong name: %v", err)
	}
	if err := u.Helpdesk.DeleteUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.LookupUser(ctx, "alice"); !errors.Is(err, cloud.ErrUserNotFound) {
		t.Errorf("alice still at the Cloud: %v", err)
	}
	onUI(func() {
		if h.delUser.Visible() {
			t.Error("the delete-user button stays after the user is gone")
		}
	})
	// Looking her up again says so with the Cloud's code.
	if err := u.Helpdesk.LookupUser(ctx, "alice"); err == nil || !strings.Contains(get[string](t, u.Helpdesk.LookupStatus), "404") {
		t.Errorf("lookup after delete: %v %q", err, get[string](t, u.Helpdesk.LookupStatus))
	}
}
