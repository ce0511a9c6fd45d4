package window

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/client/emulator"
)

// startDemo starts an in-memory demo environment for one test.
func startDemo(t *testing.T) *demo.Env {
	t.Helper()
	// Recording on: TestWindowFlow checks that no secret sent to the Cloud
	// shows up in the exported reports.
	env, err := demo.Start(context.Background(), demo.Options{Memory: true, Emulator: emulator.Config{RecordRequests: true}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	return env
}

// newTestUI builds the window on Fyne's test driver against a demo
// environment, with the virtual key listed and selected.
func newTestUI(t *testing.T) (*UI, *demo.Env) {
	t.Helper()
	a := uitest.NewApp(t)
	env := startDemo(t)
	svc := NewDemoServices(env, &uitest.SettingsStore{})
	var w fyne.Window
	var u *UI
	onUI(func() { // the window and its models are made "on main" too
		w = test.NewTempWindow(t, nil)
		u = NewUI(a, w, svc)
	})
	// Size the window before it gets its content: the test canvas lays
	// the content out once, at SetContent, and has no pass at draw time
	// that lays out again what a wrapped label's new height changed (the
	// real canvas has). Content first would lay the Keys screen out at its
	// own minimum width, no longer the widest screen's now that the other
	// screens are built on first use.
	// Built on the UI goroutine (uitest's): the key scan NewUI starts may
	// already be setting bindings.
	onUI(func() {
		w.Resize(fyne.NewSize(1000, 700))
		w.SetContent(u.Build())
	})
	t.Cleanup(u.Stop)
	u.Keys.Scan(context.Background(), true)
	onUI(func() { _ = u.Keys.Selected.Set(env.Key.Path()) })
	return u, env
}

// waitFor polls cond until it holds or 20 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// topDialog returns the content of the topmost overlay (a dialog), nil
// when none is shown.
func topDialog(w fyne.Window) fyne.CanvasObject {
	var top fyne.CanvasObject
	fyne.DoAndWait(func() {
		if o := w.Canvas().Overlays().Top(); o != nil {
			if p, ok := o.(*widget.PopUp); ok {
				top = p.Content
			} else {
				top = o
			}
		}
	})
	return top
}

// dialogButton finds a button in the top dialog by its text.
func dialogButton(w fyne.Window, text string) *widget.Button {
	var b *widget.Button
	uitest.Each(topDialog(w), uitest.Containers, func(o fyne.CanvasObject) {
		if bt, ok := o.(*widget.Button); ok && bt.Text == text {
			b = bt
		}
	})
	return b
}

// dialogSecrets finds the password entries of the top dialog.
func dialogSecrets(w fyne.Window) []*secretEntry {
	var es []*secretEntry
	uitest.Each(topDialog(w), uitest.Containers, func(o fyne.CanvasObject) {
		if e, ok := o.(*secretEntry); ok {
			es = append(es, e)
		}
	})
	return es
}

// answerPIN waits for the PIN dialog, types pin and presses Enter.
func answerPIN(t *testing.T, w fyne.Window, pin string) {
	t.Helper()
	waitFor(t, "the PIN dialog", func() bool { return len(dialogSecrets(w)) > 0 })
	for _, e := range dialogSecrets(w) {
		fyne.DoAndWait(func() { test.Type(e, pin) })
	}
	es := dialogSecrets(w)
	fyne.DoAndWait(func() { es[len(es)-1].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
}

// tapDialog waits for a button in the top dialog and taps it.
func tapDialog(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	waitFor(t, "button "+text, func() bool { return dialogButton(w, text) != nil })
	b := dialogButton(w, text)
	fyne.DoAndWait(func() { test.Tap(b) })
}

// get reads a binding on the UI goroutine.
func get[T any](t *testing.T, b interface{ Get() (T, error) }) T {
	t.Helper()
	var v T
	var err error
	fyne.DoAndWait(func() { v, err = b.Get() })
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// onUI runs fn on the UI goroutine and waits.
func onUI(fn func()) { fyne.DoAndWait(fn) }

func lenOf(l interface{ Length() int }) int {
	var n int
	onUI(func() { n = l.Length() })
	return n
}
