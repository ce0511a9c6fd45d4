package window

import (
	"context"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"
)

// action runs one screen's work off the UI goroutine, one run at a time:
// the work gets a context derived from the window's, whose cancel is real
// (the screen's Cancel button and the prompter's dialogs call it, and the
// key's wait ends), and Busy is true while it runs so the screen shows the
// Cancel button and disables what would start a second run.
type action struct {
	// Busy is true from the moment run starts the work until it returned.
	Busy binding.Bool

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

func newAction() *action { return &action{Busy: binding.NewBool()} }

// run starts fn on a worker goroutine with a context derived from parent;
// cancel ends that context (hand it to the prompter). It returns false and
// runs nothing when a run is still going: a second click does nothing. It
// is called on the UI goroutine (a button), so Busy is set at once.
func (a *action) run(parent context.Context, fn func(ctx context.Context, cancel context.CancelFunc)) bool {
	a.mu.Lock()
	if a.cancel != nil {
		a.mu.Unlock()
		return false
	}
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	a.cancel, a.done = cancel, done
	a.mu.Unlock()
	_ = a.Busy.Set(true)
	go func() {
		defer func() {
			cancel()
			// The run ends on the UI goroutine: a click there sees either
			// a run going (and does nothing) or none and Busy false, never
			// a new run whose Busy a late false would overwrite.
			fyne.Do(func() {
				a.mu.Lock()
				a.cancel = nil
				a.mu.Unlock()
				_ = a.Busy.Set(false)
				close(done)
			})
		}()
		fn(ctx, cancel)
	}()
	return true
}

// running reports whether a run is going (on the UI goroutine: where a
// run starts, and where it is marked ended).
func (a *action) running() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cancel != nil
}

// Cancel ends the running work's context (nothing when none runs).
func (a *action) Cancel() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cancel != nil {
		a.cancel()
	}
}

// Wait blocks until the last run started has ended: fn returned and Busy
// is false again. Not on the UI goroutine: the end is handed to it.
func (a *action) Wait() {
	a.mu.Lock()
	done := a.done
	a.mu.Unlock()
	if done != nil {
		<-done
	}
}

// showWhile shows objs while busy is true (a running action's Cancel).
func showWhile(busy binding.Bool, objs ...fyne.CanvasObject) {
	busy.AddListener(binding.NewDataListener(func() {
		b, _ := busy.Get()
		for _, o := range objs {
			if b {
				o.Show()
			} else {
				o.Hide()
			}
		}
	}))
}
