package ctap

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// The test seam in front of device listing and opening. Production code
// never sets it; tests of this and other packages (the CLI, the kiosk, the
// app) set it so that nothing they run can list or open a hardware key a
// developer happens to have plugged in.

var (
	testOnlyMu     sync.RWMutex
	testOnlyFilter func(path string) bool
)

// SetDeviceFilterForTesting is for tests only. While keep is set,
// ListDevices lists only the keys whose path keep accepts and Open refuses
// any other path, so a test that runs `pin set`, `reset` and the like
// without naming a device can only reach its own virtual keys. It returns
// a function that restores the previous filter. Use OnlyVirtualKeys for
// the common case.
func SetDeviceFilterForTesting(keep func(path string) bool) (restore func()) {
	testOnlyMu.Lock()
	prev := testOnlyFilter
	testOnlyFilter = keep
	testOnlyMu.Unlock()
	return func() {
		testOnlyMu.Lock()
		testOnlyFilter = prev
		testOnlyMu.Unlock()
	}
}

// OnlyVirtualKeys is a filter for SetDeviceFilterForTesting that keeps only
// "virtual:" paths (KeyDesk's in-process virtual keys, which a test
// creates itself): never a hardware key.
func OnlyVirtualKeys(path string) bool { return isVirtualPath(path) }

// testOnlyKeep reports whether path passes the test filter (always, when
// no test set one).
func testOnlyKeep(path string) bool {
	testOnlyMu.RLock()
	f := testOnlyFilter
	testOnlyMu.RUnlock()
	return f == nil || f(path)
}

// errFilteredForTesting is what Open returns for a path the test filter
// hides.
func errFilteredForTesting(path string) error {
	return fmt.Errorf("ctap: %s is hidden from tests by SetDeviceFilterForTesting (tests may only open their own virtual keys)", path)
}

// testOnlyMaxTimeout, when positive, caps the deadline of every key
// operation (nanoseconds), so that tests against a key that never answers
// end quickly.
var testOnlyMaxTimeout atomic.Int64

// SetMaxTimeoutForTesting is for tests only: it caps the deadline of every
// wait on a key (open, getInfo, PIN, credentials, reset, make credential,
// assertion) at d, and returns a function that restores the previous cap.
func SetMaxTimeoutForTesting(d time.Duration) (restore func()) {
	prev := testOnlyMaxTimeout.Swap(int64(d))
	return func() { testOnlyMaxTimeout.Store(prev) }
}
