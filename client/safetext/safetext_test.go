package safetext

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want, text string }{
		{"plain käse", "plain käse", "plain käse"},
		{"\x1b]0;pwned\x07\x1b[31mred", `\x1b]0;pwned\x07\x1b[31mred`, `\x1b]0;pwned\x07\x1b[31mred`},
		{"a\tb\nc\rd", `a\x09b\x0ac\x0dd`, "a\tb\nc\\x0dd"},
		{"del\x7f", `del\x7f`, `del\x7f`},
		{"c1\u0085\u009b", `c1\u0085\u009b`, `c1\u0085\u009b`},
		{"evil\u202egnp.exe", `evil\u202egnp.exe`, `evil\u202egnp.exe`},
		{"\u200e\u200f\u061c\u2066\u2069\u202a", `\u200e\u200f\u061c\u2066\u2069\u202a`, `\u200e\u200f\u061c\u2066\u2069\u202a`},
		{"bad\x9bbyte\xff", `bad\x9bbyte\xff`, `bad\x9bbyte\xff`},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := EscapeText(tt.in); got != tt.text {
			t.Errorf("EscapeText(%q) = %q, want %q", tt.in, got, tt.text)
		}
		if HasControl(Escape(tt.in)) {
			t.Errorf("Escape(%q) still has a control", tt.in)
		}
	}
}

// TestWriterSplitRunes: a rune split across writes arrives whole, a control
// split the same way is still escaped, and JSON written through the Writer
// still parses to the same string.
func TestWriterSplitRunes(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	in := []byte("ä\u202e\x1b!")
	for i := range in {
		if _, err := w.Write(in[i : i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := out.String(), `ä\u202e\x1b!`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	out.Reset()
	name := "a\u202eb\u0085c\x1b[31m"
	if err := json.NewEncoder(w).Encode(map[string]string{"name": name}); err != nil {
		t.Fatal(err)
	}
	if HasControl(out.String()[:out.Len()-1]) {
		t.Errorf("raw control in %q", out.String())
	}
	var back map[string]string
	if err := json.Unmarshal(out.Bytes(), &back); err != nil || back["name"] != name {
		t.Errorf("JSON through the Writer: %q, %v", out.String(), err)
	}
}

// TestCut: at most n bytes, never half a character.
func TestCut(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 3, "abc"},
		{"abcdef", 3, "abc"},
		{"aü", 2, "a"}, // ü is two bytes
		{"aü", 3, "aü"},
		{"€uro", 2, ""}, // € is three bytes
		{"", 0, ""},
	} {
		if got := Cut(c.s, c.n); got != c.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}
