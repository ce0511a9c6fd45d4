package kiosk

import (
	"slices"
	"testing"
	"time"
)

// TestKioskFollowsThePickRule: the kiosk chooses the person's key by
// ctap.PickKey's rule: a hardware key before KeyDesk's virtual key (demo
// mode), and with several hardware keys it asks for a touch on those only.
func TestKioskFollowsThePickRule(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	m := newTestMachine(t, nil)
	m.Begin(t0)
	m.SubmitUsername("bob", t0)
	k, ok := m.KeysFound([]KeyInfo{{Path: "virtual:/tmp/v", Virtual: true, PINSet: true}, {Path: "/dev/hidraw3", PINSet: true}}, t0)
	if !ok || k.Path != "/dev/hidraw3" || m.Screen != ScreenWorking {
		t.Fatalf("hardware and virtual key: chose %q (%v), screen %s", k.Path, ok, m.Screen)
	}
	_, among, err := pickKey([]KeyInfo{{Path: "/dev/hidraw3"}, {Path: "virtual:/tmp/v", Virtual: true}, {Path: "/dev/hidraw4"}})
	var paths []string
	for _, a := range among {
		paths = append(paths, a.Path)
	}
	if err == nil || !slices.Equal(paths, []string{"/dev/hidraw3", "/dev/hidraw4"}) {
		t.Errorf("two hardware keys and the virtual key: touch among %v (%v), want the hardware keys", paths, err)
	}
}
