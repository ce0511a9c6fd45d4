package window

import (
	"context"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestLanguageSwitchDuringWork switches the language in Settings again and
// again (on the UI goroutine, as the language choice does) while key scans
// and an enrollment run on their worker goroutines and put their words
// together with lang.L. Fyne's lang package has no lock of its own: without
// KeyDesk's, loading the translations while a worker looks up a word is
// "concurrent map read and map write", which the race detector reports
// (run with -race, as make test does).
func TestLanguageSwitchDuringWork(t *testing.T) {
	u, env := newTestUI(t)
	t.Cleanup(func() { onUI(func() { u.Settings.SetLanguage("en") }) })
	// The touch is given a little late: the ceremony stays in its steps
	// (whose words are written on the worker) while the language changes.
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the hot-plug watcher's scans
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			u.Keys.Scan(context.Background(), true)
		}
	}()
	switchLanguage := func(n int) {
		for i := 0; i < n; i++ {
			code := "de"
			if i%2 == 1 {
				code = "en"
			}
			onUI(func() { u.Settings.SetLanguage(code) })
			time.Sleep(time.Millisecond)
		}
	}

	fyne.DoAndWait(func() {
		u.Show(ScreenEnroll)
		u.enrollScreen.username.SetText("erin")
		test.Tap(u.enrollScreen.start)
	})
	switchLanguage(20)
	waitFor(t, "the key to wait for a touch", env.Key.Waiting)
	switchLanguage(20)
	env.Key.Touch()
	switchLanguage(20)
	u.Enroll.Wait()
	close(stop)
	wg.Wait()
	if !get[bool](t, u.Enroll.ResultOK) {
		t.Fatalf("enrollment while the language changed: %s", get[string](t, u.Enroll.ResultText))
	}
}
