package ctap_test

import (
	"testing"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/internal/hidbridge"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestDeviceFilterForTesting: while a test filter is set, ListDevices lists
// only the paths it keeps and Open refuses the others; restoring it lists
// everything again.
func TestDeviceFilterForTesting(t *testing.T) {
	a, b := newKey(t, virtualkey.Options{}), newKey(t, virtualkey.Options{})
	for _, k := range []*testKey{a, b} {
		if err := hidbridge.Register(k.path, "KeyDesk", "Virtual Key"); err != nil {
			t.Fatal(err)
		}
		defer hidbridge.Unregister(k.path)
	}
	listed := func() map[string]bool {
		list, err := ctap.ListDevices()
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, d := range list {
			m[d.Path] = true
		}
		return m
	}
	restore := ctap.SetDeviceFilterForTesting(func(p string) bool { return p == a.path })
	m := listed()
	if !m[a.path] || m[b.path] || len(m) != 1 {
		t.Errorf("filtered listing = %v, want only %s", m, a.path)
	}
	if _, err := ctap.Open(b.path); err == nil {
		t.Errorf("Open(%s) succeeded through the filter", b.path)
	}
	if _, err := ctap.Open(a.path); err != nil {
		t.Errorf("Open(%s): %v", a.path, err)
	}
	restore()
	if m := listed(); !m[a.path] || !m[b.path] {
		t.Errorf("after restore the listing = %v, want both keys", m)
	}

	defer ctap.SetDeviceFilterForTesting(ctap.OnlyVirtualKeys)()
	for p := range listed() {
		if !hidbridge.IsVirtual(p) {
			t.Errorf("OnlyVirtualKeys listed %s", p)
		}
	}
	if _, err := ctap.Open("/dev/hidraw0"); err == nil {
		t.Error("OnlyVirtualKeys let a hardware path open")
	}
	if !ctap.OnlyVirtualKeys(a.path) || ctap.OnlyVirtualKeys("/dev/hidraw3") {
		t.Error("OnlyVirtualKeys misclassifies paths")
	}
}
