// Package safetext keeps text that KeyDesk did not write (a relying party's
// user.name, a key's USB product string, a pasted error, a typed username)
// from acting on a terminal or a spreadsheet: C0 and C1 control characters,
// DEL and the bidirectional-text controls are shown as visible escapes
// ("\x1b", "\u202e") instead of being passed through. It imports nothing of
// KeyDesk, so the CLI, the kiosk journal and the client can all use it.
package safetext

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// IsControl reports whether r must not reach a terminal or a file raw: C0
// controls (U+0000–U+001F), DEL, C1 controls (U+0080–U+009F), the
// bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E,
// U+200F, U+202A–U+202E, U+2066–U+2069) and the line and paragraph
// separators U+2028, U+2029.
func IsControl(r rune) bool {
	switch {
	case r < 0x20, r == 0x7F, r >= 0x80 && r <= 0x9F:
		return true
	case r == 0x061C, r == 0x200E, r == 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069,
		r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// HasControl reports whether s holds a character IsControl refuses or
// bytes that are not UTF-8.
func HasControl(s string) bool {
	return !utf8.ValidString(s) || strings.ContainsFunc(s, IsControl)
}

// Escape returns s with every control character (tab and newline too)
// written as a visible escape and every byte that is not UTF-8 as \xNN: one
// line of plain text, safe for a terminal, a log or a CSV cell.
func Escape(s string) string { return escape(s, false) }

// EscapeText is Escape for multi-line text: tab and newline stay.
func EscapeText(s string) string { return escape(s, true) }

func escape(s string, keepLines bool) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
		return IsControl(r) && !(keepLines && (r == '\n' || r == '\t'))
	}) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keepLines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r < 0x80 && IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case IsControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Writer passes text through EscapeText: whatever is printed through it,
// no control character but tab and newline reaches the terminal. A rune
// split across two writes is held back until it is complete. JSON stays
// valid: its encoder already escapes C0 controls, and the \uXXXX form of
// the others is JSON's own.
type Writer struct {
	w    io.Writer
	hold []byte
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write escapes p and writes it; it reports len(p) on success.
func (w *Writer) Write(p []byte) (int, error) {
	buf := append(w.hold, p...)
	w.hold = nil
	// Keep back an incomplete rune at the end for the next write.
	if cut := incompleteTail(buf); cut > 0 {
		w.hold = append([]byte(nil), buf[len(buf)-cut:]...)
		buf = buf[:len(buf)-cut]
	}
	if _, err := io.WriteString(w.w, EscapeText(string(buf))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// incompleteTail is the length of a UTF-8 sequence at the end of b that has
// begun but not ended (0 when none).
func incompleteTail(b []byte) int {
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < 0x80 {
			return 0
		}
		if c >= 0xC0 { // a lead byte
			need := 2
			switch {
			case c >= 0xF0:
				need = 4
			case c >= 0xE0:
				need = 3
			}
			if need > k {
				return k
			}
			return 0
		}
	}
	return 0
}

// Cut returns s cut to at most n bytes, on a UTF-8 boundary so that the
// result stays valid text (a name sent to a key, an excerpt shown to the
// helpdesk).
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
