package window

import (
	"testing"

	"github.com/keydesk/keydesk/ctap"
)

// wordsOf checks that words gives each value words of its own in English
// and German (distinct from fallback's, translated), and returns them.
func wordsOf[T comparable](t *testing.T, what string, values []T, words func(T) string, fallback string) {
	t.Helper()
	t.Setenv("LANGUAGE", "en")
	SetLanguage("en")
	t.Cleanup(func() { SetLanguage("en") })
	english := map[T]string{}
	seen := map[string]T{}
	for _, v := range values {
		w := words(v)
		if w == "" || w == fallback {
			t.Errorf("%s %v has no words of its own (%q)", what, v, w)
		}
		if other, dup := seen[w]; dup {
			t.Errorf("%s %v and %v are both worded %q", what, v, other, w)
		}
		seen[w], english[v] = v, w
	}
	SetLanguage("de")
	for _, v := range values {
		if w := words(v); w == english[v] {
			t.Errorf("%s %v is %q in German too", what, v, w)
		}
	}
}

// TestTouchPurposeWords: every touch purpose of package ctap has the
// window's words, in English and German.
func TestTouchPurposeWords(t *testing.T) {
	wordsOf(t, "touch purpose", ctap.TouchPurposes(), touchPurposeText, "confirm")
}
