package window

import (
	"strings"
	"testing"

	"github.com/keydesk/keydesk/ctap"
)

// TestAppTestsReachNoHardwareKey: TestMain's seam hides hardware keys from
// every test of this package.
func TestAppTestsReachNoHardwareKey(t *testing.T) {
	if _, err := ctap.Open("/dev/hidraw0"); err == nil || !strings.Contains(err.Error(), "SetDeviceFilterForTesting") {
		t.Fatalf("a hardware path is not hidden from the app tests: %v", err)
	}
	keys, err := ctap.ListDevices()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if !k.Virtual {
			t.Errorf("ListDevices listed hardware key %s in an app test", k.Path)
		}
	}
}
