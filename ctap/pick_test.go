package ctap_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/keydesk/keydesk/ctap"
)

// TestPickKey: the one rule that says which key an operation acts on.
func TestPickKey(t *testing.T) {
	hw1 := ctap.DeviceDescriptor{Path: "/dev/hidraw1"}
	hw2 := ctap.DeviceDescriptor{Path: "/dev/hidraw2"}
	v1 := ctap.DeviceDescriptor{Path: "virtual:/tmp/a", Virtual: true}
	v2 := ctap.DeviceDescriptor{Path: "virtual:/tmp/b", Virtual: true}
	for _, tc := range []struct {
		name    string
		keys    []ctap.DeviceDescriptor
		want    string
		pick    string
		err     error
		several []string
	}{
		{"nothing listed", nil, "", "", ctap.ErrNoKey, nil},
		{"the only key", []ctap.DeviceDescriptor{hw1}, "", hw1.Path, nil, nil},
		{"the only virtual key", []ctap.DeviceDescriptor{v1}, "", v1.Path, nil, nil},
		{"hardware before virtual", []ctap.DeviceDescriptor{v1, hw1, v2}, "", hw1.Path, nil, nil},
		{"two hardware keys", []ctap.DeviceDescriptor{hw1, v1, hw2}, "", "", ctap.ErrSeveralKeys, []string{hw1.Path, hw2.Path}},
		{"two virtual keys", []ctap.DeviceDescriptor{v1, v2}, "", "", ctap.ErrSeveralKeys, []string{v1.Path, v2.Path}},
		{"the chosen key", []ctap.DeviceDescriptor{hw1, hw2}, hw2.Path, hw2.Path, nil, nil},
		{"a chosen virtual key beside a hardware key", []ctap.DeviceDescriptor{hw1, v1}, v1.Path, v1.Path, nil, nil},
		{"the chosen key is gone", []ctap.DeviceDescriptor{hw1}, hw2.Path, "", ctap.ErrKeyGone, nil},
		{"the chosen key is gone, none left", nil, hw2.Path, "", ctap.ErrKeyGone, nil},
	} {
		got, err := ctap.PickKey(tc.keys, tc.want)
		if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.err)
			continue
		}
		if got.Path != tc.pick {
			t.Errorf("%s: picked %q, want %q", tc.name, got.Path, tc.pick)
		}
		var se *ctap.SeveralKeysError
		if errors.As(err, &se) != (tc.several != nil) || se != nil && !slices.Equal(se.Paths(), tc.several) {
			t.Errorf("%s: several keys %v, want %v", tc.name, se, tc.several)
		}
	}
}
