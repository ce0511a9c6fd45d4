package cli

import (
	"os"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/ctap"
)

// TestMain keeps every CLI test off hardware keys: `pin set`, `pin change`
// and `reset` without --device, `devices` and the rest list and open only
// the virtual keys the tests start, even with a real key plugged in.
func TestMain(m *testing.M) {
	// The tests read English unless they choose a language.
	os.Setenv("LANGUAGE", "en")
	restore := ctap.SetDeviceFilterForTesting(ctap.OnlyVirtualKeys)
	if os.Getenv(envChild) != "" {
		os.Exit(runChild()) // a subprocess test's keydesk: see hang_test.go
	}
	// No test reads the developer's own configuration or keyring: tests
	// that need one make their own (useConfigDir).
	dir, err := os.MkdirTemp("", "keydesk-cli-test")
	if err != nil {
		panic(err)
	}
	os.Setenv("KEYDESK_CONFIG_DIR", dir)
	os.Unsetenv("KEYDESK_ACCESS_KEY")
	code := m.Run()
	os.RemoveAll(dir)
	restore()
	os.Exit(code)
}

// TestCLITestsReachNoHardwareKey: a key command naming a hardware path
// (one that exists, so the missing-path check passes) is refused by the test seam, and `devices` lists only virtual keys.
func TestCLITestsReachNoHardwareKey(t *testing.T) {
	useConfigDir(t)
	code, _, errs := run(t, "", nil, "info", "--device", "/dev/null") // exists, so only the seam can stop it
	if code == 0 || !strings.Contains(errs, "SetDeviceFilterForTesting") {
		t.Fatalf("info --device /dev/null was not stopped by the test seam: exit %d %s", code, errs)
	}
	keys, err := ctap.ListDevices()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if !k.Virtual {
			t.Errorf("ListDevices listed hardware key %s in a CLI test", k.Path)
		}
	}
}
