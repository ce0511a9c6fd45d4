package window

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keydesk/keydesk/ctap"
)

// TestKeysScanHasOneReader: the hot-plug watcher, the screens and tests
// all call Scan; the keys are listed by one reader at a time, and calls
// that arrive while it reads share its next round instead of each listing
// again. Every call returns with the key read.
func TestKeysScanHasOneReader(t *testing.T) {
	u, env := newTestUI(t)
	var inFlight, most, calls atomic.Int32
	list := u.S.listDevices
	u.S.listDevices = func() ([]ctap.DeviceDescriptor, error) {
		calls.Add(1)
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
		return list()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const callers = 10
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u.Keys.Scan(ctx, true)
			if _, ok := u.Keys.Row(env.Key.Path()); !ok {
				t.Error("Scan returned without the key read")
			}
		}()
	}
	wg.Wait()
	if m := most.Load(); m != 1 {
		t.Errorf("%d listings ran at once", m)
	}
	if n := calls.Load(); n >= callers {
		t.Errorf("%d calls listed the keys %d times: nothing was shared", callers, n)
	}
}
