package station

import "testing"

// TestCheckUsernameRefusesControls: the username screen refuses what the
// ceremony refuses, C1 and text-direction controls included, so that a
// scanned or pasted name cannot carry terminal or bidi tricks into the
// journal (issue 11, item 8).
func TestCheckUsernameRefusesControls(t *testing.T) {
	for _, c := range []struct {
		name string
		want UsernameProblem
	}{
		{"kim", UsernameOK},
		{"mp-20417", UsernameOK},
		{"jürgen.müller", UsernameInvalid}, // outside the documented alphabet
		{"j.mueller@example.com", UsernameOK},
		{"kim lee", UsernameInvalid},
		{"", UsernameEmpty},
		{"kim\x1b[31m", UsernameInvalid},
		{"kim\x7f", UsernameInvalid},
		{"kim\u009b31m", UsernameInvalid},       // C1 CSI
		{"admin\u202egpj.exe", UsernameInvalid}, // right-to-left override
		{"kim\u2066x\u2069", UsernameInvalid},   // isolates
		{"kim\u200f", UsernameInvalid},          // right-to-left mark
		{"kim\xff", UsernameInvalid},            // not UTF-8
	} {
		if got := CheckUsername(c.name, nil); got != c.want {
			t.Errorf("CheckUsername(%q) = %v, want %v", c.name, got, c.want)
		}
	}
}
