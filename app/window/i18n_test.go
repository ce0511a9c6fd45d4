package window

import (
	"testing"

	"fyne.io/fyne/v2/lang"
)

// TestGerman switches the language to German and back.
func TestGerman(t *testing.T) {
	t.Setenv("LANGUAGE", "en")
	SetLanguage("de")
	t.Cleanup(func() { SetLanguage("en") })
	if got := lang.L("Enroll"); got != "Registrieren" {
		t.Fatalf("Enroll in German: %q", got)
	}
	if got := lang.L("{{.N}} tries left.", map[string]any{"N": 3}); got != "Noch 3 Versuche." {
		t.Fatalf("template in German: %q", got)
	}
	SetLanguage("en")
	if got := lang.L("Enroll"); got != "Enroll" {
		t.Fatalf("back to English: %q", got)
	}
}
