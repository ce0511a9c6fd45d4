package app

import (
	"encoding/json"
	"os"
	"regexp"
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

// TestGermanComplete: every string the window passes to lang.L has a
// German translation.
func TestGermanComplete(t *testing.T) {
	b, err := os.ReadFile("translations/de.json")
	if err != nil {
		t.Fatal(err)
	}
	var de map[string]string
	if err := json.Unmarshal(b, &de); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`lang\.L\("((?:[^"\\]|\\.)*)"`)
	files, _ := os.ReadDir(".")
	for _, f := range files {
		if n := f.Name(); len(n) < 3 || n[len(n)-3:] != ".go" || (len(n) > 8 && n[len(n)-8:] == "_test.go") {
			continue
		}
		src, _ := os.ReadFile(f.Name())
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			if _, ok := de[m[1]]; !ok {
				t.Errorf("%s: %q has no German translation", f.Name(), m[1])
			}
		}
	}
}
