package window

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// setStepTimes shortens the PIN and touch limits for one test.
func setStepTimes(t *testing.T, st webauthn.StepTimes) {
	t.Helper()
	prev := testOnlyStepTimes
	testOnlyStepTimes = st
	t.Cleanup(func() { testOnlyStepTimes = prev })
}

// setKeyPIN gives the test's virtual key a PIN.
func setKeyPIN(t *testing.T, u *UI, pin string) {
	t.Helper()
	dev, err := u.S.Key(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.SetPIN(context.Background(), pin); err != nil {
		t.Fatal(err)
	}
}

// pressKey sends a key to the window as the keyboard does: to the focused
// widget, else to the canvas.
func pressKey(w fyne.Window, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	fyne.DoAndWait(func() {
		c := w.Canvas()
		if f := c.Focused(); f != nil {
			f.TypedKey(ev)
		} else if h := c.OnTypedKey(); h != nil {
			h(ev)
		}
	})
}

// typeOnWindow types text as the keyboard does (focused widget or canvas).
// With nothing focused and no canvas handler the keys go nowhere, as in
// the real driver.
func typeOnWindow(w fyne.Window, text string) {
	fyne.DoAndWait(func() {
		c := w.Canvas()
		for _, r := range text {
			if f := c.Focused(); f != nil {
				f.TypedRune(r)
			} else if h := c.OnTypedRune(); h != nil {
				h(r)
			}
		}
	})
}

// dialogText joins the labels of the top dialog.
func dialogText(w fyne.Window) string {
	var b strings.Builder
	top := topDialog(w)
	onUI(func() {
		uitest.Each(top, uitest.Containers, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok {
				b.WriteString(l.Text + "\n")
			}
		})
	})
	return b.String()
}

func focused(w fyne.Window) fyne.Focusable {
	var f fyne.Focusable
	onUI(func() { f = w.Canvas().Focused() })
	return f
}

// TestPINTimeoutKeepsTypingOutOfTheForm: the PIN prompt's time runs out
// while the person is still typing their PIN. The prompt says why it
// closed, no field has the focus, the rest of the PIN and the Enter land
// nowhere: the username stays what was typed, and no second enrollment
// (for "frank135790") reaches the Cloud.
func TestPINTimeoutKeepsTypingOutOfTheForm(t *testing.T) {
	setStepTimes(t, webauthn.StepTimes{PIN: time.Second})
	u, env := newTestUI(t)
	w := u.Win
	setKeyPIN(t, u, "135790")
	onUI(func() { u.Show(ScreenEnroll) })
	e := u.enrollScreen
	fyne.DoAndWait(func() { test.Type(e.username, "frank") })
	pressKey(w, fyne.KeyReturn)
	waitFor(t, "the PIN dialog", func() bool { return len(dialogSecrets(w)) > 0 })
	waitFor(t, "the PIN dialog to close on its own", func() bool { return len(dialogSecrets(w)) == 0 })
	u.Enroll.Wait()

	// The person keeps typing their PIN, and presses Enter.
	typeOnWindow(w, "135790")
	pressKey(w, fyne.KeyReturn)
	if got := e.username.Text; got != "frank" {
		t.Fatalf("username is %q after the PIN prompt closed on its own", got)
	}
	if get[bool](t, u.Enroll.Busy) {
		t.Fatal("an Enter meant for the PIN prompt started an enrollment")
	}
	if f := focused(w); f != nil {
		t.Fatalf("focus went to %T", f)
	}
	if txt := dialogText(w); !strings.Contains(txt, "time to enter your PIN ran out") {
		t.Fatalf("the prompt closed without saying why; top dialog: %q", txt)
	}
	// An Enter on the form while the message is open starts nothing.
	fyne.DoAndWait(func() { e.username.OnSubmitted(e.username.Text) })
	if get[bool](t, u.Enroll.Busy) {
		t.Fatal("Enter on the form started an enrollment while a dialog was open")
	}
	tapDialog(t, w, "OK")
	if f := focused(w); f != nil {
		t.Fatalf("focus went to %T after OK", f)
	}
	typeOnWindow(w, "99")
	if got := e.username.Text; got != "frank" {
		t.Fatalf("username is %q after OK", got)
	}

	if n := len(u.S.History.All()); n != 1 {
		t.Fatalf("%d ceremonies, want the timed-out one only", n)
	}
	for _, r := range env.Cloud.Requests() {
		if strings.Contains(string(r.Body), "135790") {
			t.Fatalf("the PIN reached the Cloud in %s", r.Path)
		}
	}
	c := u.S.History.Last()
	if c.Cause != result.KeyDesk("pin-timeout") || c.Ending() != EndTimedOut {
		t.Fatalf("ended as %v (%v)", c.Cause, c.Ending())
	}
	if title := get[string](t, u.Enroll.ResultTitle); !strings.HasPrefix(title, "Timed out") {
		t.Fatalf("result title %q", title)
	}
	// A form's Enter works again once the guard has passed.
	time.Sleep(guardAfterClose)
	fyne.DoAndWait(func() { e.username.OnSubmitted(e.username.Text) })
	if !get[bool](t, u.Enroll.Busy) {
		t.Fatal("Enter no longer starts an enrollment after the guard")
	}
	u.Enroll.Cancel()
	u.Enroll.Wait()
}

// TestTouchGetsItsOwnTime: time spent on the PIN does not come off the
// touch. The PIN takes longer than the whole touch time; the touch dialog
// then still starts with the full touch time, and the touch succeeds.
func TestTouchGetsItsOwnTime(t *testing.T) {
	const touch = 3 * time.Second
	setStepTimes(t, webauthn.StepTimes{Touch: touch, PIN: 20 * time.Second})
	u, env := newTestUI(t)
	w := u.Win
	setKeyPIN(t, u, "1234")
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
	onUI(func() { u.Show(ScreenEnroll) })
	fyne.DoAndWait(func() {
		u.enrollScreen.username.SetText("grace")
		test.Tap(u.enrollScreen.start)
	})
	waitFor(t, "the PIN dialog", func() bool { return len(dialogSecrets(w)) > 0 })
	time.Sleep(touch + 500*time.Millisecond) // a slow PIN
	answerPIN(t, w, "1234")
	waitFor(t, "the key to wait for a touch", env.Key.Waiting)
	var bar *widget.ProgressBar
	waitFor(t, "the touch dialog", func() bool {
		top := topDialog(w)
		onUI(func() {
			uitest.Each(top, uitest.Containers, func(o fyne.CanvasObject) {
				if b, ok := o.(*widget.ProgressBar); ok {
					bar = b
				}
			})
		})
		return bar != nil
	})
	var left, max float64
	onUI(func() { left, max = bar.Value, bar.Max })
	if max < touch.Seconds()-0.5 || left < touch.Seconds()-1 {
		t.Fatalf("the touch countdown starts at %.1f of %.1f s after a slow PIN", left, max)
	}
	if txt := dialogText(w); !strings.Contains(txt, "3 s left") && !strings.Contains(txt, "2 s left") {
		t.Fatalf("touch dialog says %q", txt)
	}
	env.Key.Touch()
	u.Enroll.Wait()
	if !get[bool](t, u.Enroll.ResultOK) {
		t.Fatalf("enroll: %s\n%s", get[string](t, u.Enroll.ResultTitle), get[string](t, u.Enroll.ResultText))
	}
}

// TestEndingsReadDifferently: a touch that times out, a person's cancel
// and a failure read differently in the result, the timeline and the
// helpdesk view; the cancel is not shown as an error.
func TestEndingsReadDifferently(t *testing.T) {
	setStepTimes(t, webauthn.StepTimes{Touch: time.Second})
	u, env := newTestUI(t)
	w := u.Win
	onUI(func() { u.Show(ScreenEnroll) })
	e := u.enrollScreen
	enroll := func(name string) {
		t.Helper()
		fyne.DoAndWait(func() {
			e.username.SetText(name)
			test.Tap(e.start)
		})
	}
	type seen struct {
		ending                       Ending
		title, text, codes, helpdesk string
		importance                   widget.Importance
	}
	read := func() seen {
		t.Helper()
		u.Enroll.Wait()
		c := u.S.History.Last()
		ht, _ := OutcomeText(c, result.Helpdesk)
		var imp widget.Importance
		onUI(func() { imp = e.result.title.Importance })
		return seen{Ending(get[int](t, u.Enroll.ResultEnding)), get[string](t, u.Enroll.ResultTitle), get[string](t, u.Enroll.ResultText),
			get[string](t, u.Enroll.ResultCodes), ht, imp}
	}

	// Nobody touches the key.
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
	enroll("tim")
	timedOut := read()
	// The person cancels while the key waits.
	enroll("cid")
	waitFor(t, "the key to wait for a touch", env.Key.Waiting)
	waitFor(t, "the touch dialog", func() bool { return dialogButton(w, "Cancel") != nil })
	pressKey(w, fyne.KeyEscape)
	cancelled := read()
	// The key refuses.
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
	enroll("fay")
	failed := read()

	if timedOut.ending != EndTimedOut || !strings.HasPrefix(timedOut.title, "Timed out") ||
		!strings.Contains(timedOut.codes, "keydesk:touch-timeout") || timedOut.importance != widget.WarningImportance {
		t.Errorf("timeout shown as %+v", timedOut)
	}
	if cancelled.ending != EndCancelled || cancelled.title != "Enrollment cancelled" ||
		strings.Contains(cancelled.title, "error-") || cancelled.importance == widget.DangerImportance {
		t.Errorf("cancel shown as %+v", cancelled)
	}
	if failed.ending != EndFailed || strings.Contains(failed.title, "error-1001") || !strings.Contains(failed.codes, "error-1001") ||
		failed.importance != widget.DangerImportance {
		t.Errorf("failure shown as %+v", failed)
	}
	// The codes are one click away on the card.
	if txt := resultCardText(e.result); strings.Contains(txt, "error-1001") {
		t.Errorf("the card shows the code before the details are opened:\n%s", txt)
	}
	fyne.DoAndWait(func() { test.Tap(detailsHeader(e.result)) })
	if txt := resultCardText(e.result); !strings.Contains(txt, "error-1001") {
		t.Errorf("the opened details lack the code:\n%s", txt)
	}
	if timedOut.helpdesk == cancelled.helpdesk || cancelled.helpdesk == failed.helpdesk || timedOut.helpdesk == failed.helpdesk {
		t.Errorf("helpdesk titles do not differ: %q, %q, %q", timedOut.helpdesk, cancelled.helpdesk, failed.helpdesk)
	}

	// The timeline (also the helpdesk's): one row per ceremony, newest
	// first, each saying how it ended in its own colour.
	var chart fyne.CanvasObject
	onUI(func() { chart = timelineChart(u.S.History.All(), 6) })
	var rows []*widget.Label
	onUI(func() {
		uitest.Each(chart, uitest.Containers, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok && l.TextStyle.Bold {
				rows = append(rows, l)
			}
		})
	})
	if len(rows) != 3 {
		t.Fatalf("%d timeline rows", len(rows))
	}
	want := []struct {
		word string
		imp  widget.Importance
	}{{"failed", widget.DangerImportance}, {"cancelled", widget.MediumImportance}, {"timed out", widget.WarningImportance}}
	for i, wnt := range want {
		if !strings.Contains(rows[i].Text, "— "+wnt.word+",") || rows[i].Importance != wnt.imp {
			t.Errorf("timeline row %d: %q (importance %v), want %q", i, rows[i].Text, rows[i].Importance, wnt.word)
		}
	}
}

// TestFactoryResetRearmsAfterTooLate: after "Too late", replugging again
// re-arms Reset now for a full window (the old countdown no longer
// disables it), and the reset goes through.
func TestFactoryResetRearmsAfterTooLate(t *testing.T) {
	prev := testOnlyResetWindow
	testOnlyResetWindow = time.Second
	t.Cleanup(func() { testOnlyResetWindow = prev })
	u, env := newTestUI(t)
	setKeyPIN(t, u, "4321")
	onUI(func() { u.Show(ScreenManage) })
	fyne.DoAndWait(func() { test.Tap(u.manageScreen.reset) })
	tapDialog(t, u.Win, "Yes")
	tapDialog(t, u.Win, "Erase")
	tapDialog(t, u.Win, "Replug the virtual key")
	waitFor(t, "Too late", func() bool { return strings.Contains(dialogText(u.Win), "Too late") })
	var disabled bool
	onUI(func() { disabled = u.manageScreen.resetNow.Disabled() })
	if !disabled {
		t.Fatal("Reset now enabled after the window")
	}
	tapDialog(t, u.Win, "Replug the virtual key")
	time.Sleep(600 * time.Millisecond) // more than two ticks of the old countdown
	onUI(func() { disabled = u.manageScreen.resetNow.Disabled() })
	if disabled {
		t.Fatal("Reset now disabled again right after the replug")
	}
	if strings.Contains(dialogText(u.Win), "Too late") {
		t.Fatal("still says Too late after the replug")
	}
	tapDialog(t, u.Win, "Reset now")
	waitFor(t, "reset", func() bool { return !get[bool](t, u.Manage.Busy) && get[string](t, u.Manage.Message) != "" })
	if !get[bool](t, u.Manage.MessageOK) {
		t.Fatalf("reset: %s", get[string](t, u.Manage.Message))
	}
	waitFor(t, "keys re-read", func() bool { r, _ := u.Keys.Row(env.Key.Path()); return r.Verdict == VerdictSetPIN })
}

// TestReportNamesEndings: the exported report says how each ceremony
// ended, a cancel and a timeout apart from a failure.
func TestReportNamesEndings(t *testing.T) {
	setStepTimes(t, webauthn.StepTimes{Touch: time.Second})
	u, env := newTestUI(t)
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
	onUI(func() { u.Show(ScreenEnroll) })
	e := u.enrollScreen
	fyne.DoAndWait(func() {
		e.username.SetText("tim")
		test.Tap(e.start)
	})
	u.Enroll.Wait()
	fyne.DoAndWait(func() { test.Tap(e.start) })
	waitFor(t, "the key to wait for a touch", env.Key.Waiting)
	u.Enroll.Cancel()
	u.Enroll.Wait()
	r := BuildReport(u.S, nil)
	b, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Ceremonies []struct {
			Ending string `json:"ending"`
		} `json:"ceremonies"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Ceremonies) != 2 || got.Ceremonies[0].Ending != "timed-out" || got.Ceremonies[1].Ending != "cancelled" {
		t.Fatalf("report endings: %+v", got.Ceremonies)
	}
	h, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(h), `<h3 class="cancelled">enroll tim — cancelled, error-1001</h3>`) {
		t.Fatalf("HTML report does not mark the cancel:\n%s", h)
	}
}
