package ceremony

import (
	"errors"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/result"
)

// TestCheckUsernameControls: every username is refused that holds a
// control (C0, DEL, C1), a bidi mark, embedding, override or isolate, or
// bytes that are not UTF-8; and, as the registration endpoint documents
// (a-z, A-Z, 0-9, _-.@, at most 300 characters), every character outside
// that alphabet: names in other scripts, spaces and apostrophes too.
func TestCheckUsernameControls(t *testing.T) {
	for _, u := range []string{"alice", "u_1654", "o.brien-smith@example.com", "A-Z_09.@-", strings.Repeat("a", 300)} {
		if err := CheckUsername(u); err != nil {
			t.Errorf("%q refused: %v", u, err)
		}
	}
	invalid := result.New(result.KeyDesk("username-invalid"))
	for _, u := range []string{"a\x00", "a\tb", "a\nb", "a\rb", "\x1b]0;t\x07", "\x1b[31mred", "a\x7f",
		"a\u0085", "a\u009b", "a\u200e", "a\u200f", "a\u061c", "a\u202a", "a\u202e", "a\u2066", "a\u2069", "a\xff",
		"zoë.müller@example.com", "田中太郎", "مريم", "o'brien-smith", "a b", "a+b", "a/b", "alice\u00a0"} {
		if err := CheckUsername(u); !errors.Is(err, invalid) {
			t.Errorf("%q: got %v, want username-invalid", u, err)
		}
	}
	if err := CheckUsername(strings.Repeat("a", 301)); !errors.Is(err, result.New(result.CodeUsernameTooLong)) {
		t.Errorf("301 characters: got %v, want username-too-long", err)
	}
}

// TestCheckDisplayName: required, at most 64 bytes (registration endpoint
// documentation), any script, no controls.
func TestCheckDisplayName(t *testing.T) {
	for _, d := range []string{"John Doe", "Zoë Müller", "田中太郎", strings.Repeat("x", 64), strings.Repeat("ü", 32)} {
		if err := CheckDisplayName(d); err != nil {
			t.Errorf("%q refused: %v", d, err)
		}
	}
	invalid := result.New(result.CodeDisplayNameInvalid)
	for _, d := range []string{"", strings.Repeat("x", 65), strings.Repeat("ü", 33), "a\u202eb", "a\x1b[31m"} {
		if err := CheckDisplayName(d); !errors.Is(err, invalid) {
			t.Errorf("%q: got %v, want display-name-invalid", d, err)
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
