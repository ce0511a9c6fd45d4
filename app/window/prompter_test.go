package window

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/ctap"
)

// TestTouchCountdown: the touch dialog's bar is determinate, starts full
// and empties towards the key's deadline, beside the "N s left" label;
// closing the dialog removes it.
func TestTouchCountdown(t *testing.T) {
	uitest.NewApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(800, 600))
	p := NewPrompter(w, &escapeStack{}, func() {})
	deadline := time.Now().Add(3 * time.Second)
	done := p.Touch(ctap.TouchRequest{Purpose: ctap.TouchGetAssertion, Deadline: deadline})

	var bar *widget.ProgressBar
	var label *widget.Label
	waitFor(t, "the touch dialog", func() bool {
		top := topDialog(w)
		onUI(func() {
			uitest.Each(top, uitest.Containers, func(o fyne.CanvasObject) {
				switch o := o.(type) {
				case *widget.ProgressBar:
					bar = o
				case *widget.Label:
					if strings.HasSuffix(o.Text, " s left") {
						label = o
					}
				}
			})
		})
		return bar != nil && label != nil
	})
	var first, max float64
	onUI(func() { first, max = bar.Value, bar.Max })
	if max < 2.5 || max > 3 || first < 2 || first > max {
		t.Fatalf("bar starts at %.2f of %.2f s", first, max)
	}
	var txt string
	onUI(func() { txt = bar.TextFormatter() })
	if txt != "" {
		t.Fatalf("bar writes %q over the countdown", txt)
	}
	waitFor(t, "the bar to empty a little", func() bool {
		var v float64
		onUI(func() { v = bar.Value })
		return v < first-0.5
	})
	waitFor(t, "the label to count down", func() bool {
		var s string
		onUI(func() { s = label.Text })
		return s == "1 s left" || s == "0 s left"
	})
	done()
	waitFor(t, "the dialog to close", func() bool { return topDialog(w) == nil })
}

// TestCountdownBarPastDeadline: a deadline already past gives an empty
// bar, not a division by zero.
func TestCountdownBarPastDeadline(t *testing.T) {
	now := time.Now()
	b := newCountdownBar(now, now.Add(-time.Second))
	if b.Value != 0 || b.Max != 1 {
		t.Fatalf("value %v of %v", b.Value, b.Max)
	}
	if got := timeLeft(now, now.Add(1500*time.Millisecond)); got != 1.5 {
		t.Fatalf("timeLeft %v", got)
	}
}

// TestPINDialogClosedByItsContext: the operation's context ends while the
// PIN dialog is open and half a PIN is typed. The dialog closes, its entry
// is empty, Escape and Enter no longer reach its handlers, and the only
// Escape handler left is the "PIN entry closed" notice's.
func TestPINDialogClosedByItsContext(t *testing.T) {
	uitest.NewApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(800, 600))
	esc := &escapeStack{}
	ctx, cancel := context.WithCancel(context.Background())
	p := NewPrompter(w, esc, cancel)
	done := make(chan error, 1)
	go func() {
		_, err := p.PIN(ctx, ctap.PINRequest{Reason: ctap.PINEnter, RetriesLeft: -1})
		done <- err
	}()
	waitFor(t, "the PIN dialog", func() bool { return len(dialogSecrets(w)) > 0 })
	e := dialogSecrets(w)[0]
	fyne.DoAndWait(func() { test.Type(e, "12") })
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("PIN returned no error after its context ended")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("PIN still waits after its context ended")
	}
	var text string
	var escHandler func()
	var enterHandler func(string)
	onUI(func() { text, escHandler, enterHandler = e.Text, e.onEscape, e.OnSubmitted })
	if text != "" {
		t.Fatal("the closed dialog's PIN entry still holds what was typed")
	}
	if escHandler != nil || enterHandler != nil {
		t.Fatal("the closed dialog's PIN entry still has its Escape or Enter handler")
	}
	if !strings.Contains(dialogText(w), "closed") {
		t.Fatalf("no notice why the dialog closed: %q", dialogText(w))
	}
	onUI(func() { esc.escape() }) // acknowledges the notice
	var left bool
	onUI(func() { left = esc.escape() })
	if left {
		t.Fatal("an Escape handler of the closed dialog is still registered")
	}
}
