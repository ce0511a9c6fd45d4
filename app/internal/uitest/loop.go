package uitest

import (
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// NewApp returns Fyne's test app (test.NewTempApp) with one change: its
// fyne.Do and fyne.DoAndWait run on one UI goroutine, one function at a
// time, as the real driver runs them on its main goroutine. Fyne's test
// driver runs them at once on the calling goroutine, so a worker's update
// (a binding's Set, a dialog it shows) would run beside the test reading
// the window: a race the real window cannot have.
//
// The UI goroutine is one for the whole test binary: a worker that a
// finished test left behind (a rescan's last update) still runs its
// update there, never beside the next test's. fyne.Do queues its function
// and returns. fyne.DoAndWait runs its function once everything queued
// before it has run, with what that queued in turn (the listeners its
// binding changes triggered), and returns when what the function queued
// has run too: a test that reads or taps through it sees the window
// settled, as a person sees it between frames. Never call fyne.DoAndWait on the UI goroutine itself (a
// deadlock, as with the real driver): the loop panics after a minute
// rather than hang the test.
func NewApp(t testing.TB) fyne.App {
	// Registered first, so it runs last: after test.NewTempApp's cleanup
	// made a plain test app current, late updates still go to the loop.
	t.Cleanup(func() { fyne.SetCurrentApp(&loopApp{App: test.NewApp()}) })
	a := &loopApp{App: test.NewTempApp(t)}
	fyne.SetCurrentApp(a)
	return a
}

type loopApp struct{ fyne.App }

func (a *loopApp) Driver() fyne.Driver { return loopDriver{a.App.Driver()} }

type loopDriver struct{ fyne.Driver }

func (loopDriver) DoFromGoroutine(f func(), wait bool) {
	if !wait {
		ui.post(f)
		return
	}
	done := make(chan struct{})
	deferrals := 0
	var settled func()
	settled = func() {
		// Run f once what was queued before it, and what that queued in
		// turn (the listeners of the bindings it set), has run: f sees
		// the window settled. A worker that keeps posting cannot hold f
		// back for long.
		if ui.pending() > 0 && deferrals < 100 {
			deferrals++
			ui.post(settled)
			return
		}
		// Even when f ends its goroutine (a t.FailNow in it), the
		// caller is released.
		defer ui.whenIdle(done)
		f()
	}
	ui.post(settled)
	select {
	case <-done:
	case <-time.After(time.Minute):
		panic("uitest: fyne.DoAndWait waited a minute: called on the UI goroutine, or the UI goroutine is stuck")
	}
}

// ui is the one UI goroutine of the test binary.
var ui = startLoop()

type loop struct {
	mu      sync.Mutex
	wake    *sync.Cond
	queue   []func()
	waiters []chan struct{} // closed when the queue is next empty
}

func startLoop() *loop {
	l := &loop{}
	l.wake = sync.NewCond(&l.mu)
	go l.run()
	return l
}

func (l *loop) post(f func()) {
	l.mu.Lock()
	l.queue = append(l.queue, f)
	l.mu.Unlock()
	l.wake.Signal()
}

// pending counts the functions queued.
func (l *loop) pending() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.queue)
}

// whenIdle closes done once nothing is queued.
func (l *loop) whenIdle(done chan struct{}) {
	l.mu.Lock()
	l.waiters = append(l.waiters, done)
	l.mu.Unlock()
}

func (l *loop) run() {
	// The loop never returns: only a function that ends the goroutine
	// (runtime.Goexit) gets here, and the loop carries on in a new one.
	defer func() { go l.run() }()
	for {
		l.mu.Lock()
		for len(l.queue) == 0 {
			for _, w := range l.waiters {
				close(w)
			}
			l.waiters = nil
			l.wake.Wait()
		}
		f := l.queue[0]
		l.queue[0] = nil
		l.queue = l.queue[1:]
		l.mu.Unlock()
		f()
	}
}
