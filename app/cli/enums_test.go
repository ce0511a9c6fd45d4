package cli

import (
	"testing"

	"github.com/keydesk/keydesk/ctap"
)

// TestTouchPurposeWords: every touch purpose of package ctap has the
// CLI's words of its own, in English and German.
func TestTouchPurposeWords(t *testing.T) {
	for _, lang := range []string{"en", "de"} {
		t.Setenv("LANGUAGE", lang)
		seen := map[string]ctap.TouchPurpose{}
		for _, p := range ctap.TouchPurposes() {
			w := touchPurposeWords(p)
			if w == touchPurposeWords(0) {
				t.Errorf("%s: %v has no words of its own (%q)", lang, p, w)
			}
			if other, dup := seen[w]; dup {
				t.Errorf("%s: %v and %v are both %q", lang, p, other, w)
			}
			seen[w] = p
			if lang == "de" && w == p.String() {
				t.Errorf("%v is %q in German too", p, w)
			}
		}
	}
}
