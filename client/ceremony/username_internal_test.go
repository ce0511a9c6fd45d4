package ceremony

import (
	"errors"
	"testing"

	"github.com/keydesk/keydesk/client/result"
)

// TestCheckUsernameControls: every username is refused that holds a
// control (C0, DEL, C1), a bidi mark, embedding, override or isolate, or
// bytes that are not UTF-8; names in any script pass.
func TestCheckUsernameControls(t *testing.T) {
	for _, u := range []string{"alice", "zoë.müller@example.com", "田中太郎", "مريم", "o'brien-smith", "a b"} {
		if err := checkUsername(u); err != nil {
			t.Errorf("%q refused: %v", u, err)
		}
	}
	invalid := result.New(result.KeyDesk("username-invalid"))
	for _, u := range []string{"a\x00", "a\tb", "a\nb", "a\rb", "\x1b]0;t\x07", "\x1b[31mred", "a\x7f",
		"a\u0085", "a\u009b", "a\u200e", "a\u200f", "a\u061c", "a\u202a", "a\u202e", "a\u2066", "a\u2069", "a\xff"} {
		if err := checkUsername(u); !errors.Is(err, invalid) {
			t.Errorf("%q: got %v, want username-invalid", u, err)
		}
	}
}

// TestPrintableUserHandle: a user handle shown as the user ID must be
// text without controls, bidi characters or invalid UTF-8.
func TestPrintableUserHandle(t *testing.T) {
	for in, want := range map[string]string{
		"31567ae2-2fb1-466e-84af-4dafa8f9ca78": "31567ae2-2fb1-466e-84af-4dafa8f9ca78",
		"\x1b[31m":                             "",
		"u\u202e1":                             "",
		"u\u0085":                              "",
		"\xff\xfe":                             "",
		"\ufffdabc":                            "",
	} {
		if got := printable([]byte(in)); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}
