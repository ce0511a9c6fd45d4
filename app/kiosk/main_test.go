package kiosk

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/ctap"
)

// TestMain keeps every test of this package off hardware keys: the kiosk
// lists and opens only the virtual keys the tests start, even with a real
// key plugged in.
func TestMain(m *testing.M) {
	// The tests read the English words unless they choose a language.
	os.Setenv("LANGUAGE", "en")
	restore := ctap.SetDeviceFilterForTesting(ctap.OnlyVirtualKeys)
	if j := os.Getenv(envSubprocess); j != "" {
		code := runSubprocessKiosk(j)
		restore()
		os.Exit(code)
	}
	code := m.Run()
	restore()
	os.Exit(code)
}

// TestKioskTestsReachNoHardwareKey: the kiosk's own key lookup sees only
// virtual keys, and a hardware path cannot be opened.
func TestKioskTestsReachNoHardwareKey(t *testing.T) {
	if _, err := ctap.Open("/dev/hidraw0"); err == nil || !strings.Contains(err.Error(), "SetDeviceFilterForTesting") {
		t.Fatalf("a hardware path is not hidden from the kiosk tests: %v", err)
	}
	for _, k := range findKeys(context.Background()) {
		if !strings.HasPrefix(k.Path, "virtual:") {
			t.Errorf("findKeys listed a non-virtual key %s", k.Path)
		}
	}
}
