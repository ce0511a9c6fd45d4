package ctap

import "testing"

// TestUserLabel: the one rule the window and the CLI use to name an
// account a key holds.
func TestUserLabel(t *testing.T) {
	for _, c := range []struct {
		name, disp, want string
	}{
		{"alice", "Alice Liddell", "Alice Liddell (alice)"},
		{"alice", "alice", "alice"},
		{"alice", "", "alice"},
		{"", "Alice Liddell", "Alice Liddell"},
		{"3F2A9C4E-1B2D-4C5E-8F90-A1B2C3D4E5F6", "Alice Liddell", "Alice Liddell"}, // the Cloud's user ID gives way
		{"3f2a9c4e-1b2d-4c5e-8f90-a1b2c3d4e5f6", "", "3f2a9c4e-1b2d-4c5e-8f90-a1b2c3d4e5f6"},
		{"  ", " ", ""},
		{"", "", ""},
	} {
		if got := (UserEntity{Name: c.name, DisplayName: c.disp}).Label(); got != c.want {
			t.Errorf("Label(%q, %q) = %q, want %q", c.name, c.disp, got, c.want)
		}
	}
}
