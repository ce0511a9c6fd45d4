package window

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// reportTexts are the texts a person reads in an HTML report: its
// title and body without the style sheet, the tags and what is shown as
// code (codes, the client's verbose message, the steps' technical
// details), sentence by sentence.
func reportTexts(h []byte) []string {
	s := regexp.MustCompile(`(?s)<style>.*?</style>|<code>.*?</code>`).ReplaceAllString(string(h), "\n")
	s = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, "\n")
	var out []string
	for _, l := range splitSentences(html.UnescapeString(s)) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// TestGermanReport: the exported HTML report follows the window's
// language (its headings, the ceremonies' kinds, steps and endings, the
// key's state, the codes' explanations), and the JSON report is the same
// in either language. The same session's report is rendered in English
// and in German; a text that reads the same in both, and is not a name,
// a code or a number, was not translated.
func TestGermanReport(t *testing.T) {
	t.Cleanup(func() { SetLanguage("en") })
	u, env := newTestUI(t)
	ctx := context.Background()
	svc := u.S
	dev, err := svc.Key(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.SetPIN(ctx, "2468"); err != nil {
		t.Fatal(err)
	}
	r, err := svc.Runner(testkit.AlwaysPIN("2468"), nil)
	if err != nil {
		t.Fatal(err)
	}
	svc.History.Add(newCeremony(ceremony.KindEnroll, r.Enroll(ctx, ceremony.EnrollInput{Username: "alice@example.com", DisplayName: "Alice", FriendlyName: "Key"})))
	svc.History.Add(newCeremony(ceremony.KindSignIn, r.Approve(ctx, ceremony.ApproveInput{Username: "alice@example.com"})))
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
	svc.History.Add(newCeremony(ceremony.KindEnroll, r.Enroll(ctx, ceremony.EnrollInput{Username: "bob@example.com", FriendlyName: "Key"})))
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceGranted})
	u.Keys.Scan(ctx, true)
	row, ok := u.Keys.Row(env.Key.Path())
	if !ok {
		t.Fatal("the virtual key is not listed")
	}
	rep := BuildReport(svc, []KeyRow{row})
	if len(rep.Codes) == 0 {
		t.Fatal("the failed enrollment left no code in the report")
	}

	render := func(code string) (htm, js []byte) {
		SetLanguage(code)
		htm, err := rep.HTML()
		if err != nil {
			t.Fatal(err)
		}
		js, err = rep.JSON()
		if err != nil {
			t.Fatal(err)
		}
		return htm, js
	}
	enHTML, enJSON := render("en")
	deHTML, deJSON := render("de")
	if !bytes.Equal(enJSON, deJSON) {
		t.Error("the JSON report changed with the window's language")
	}
	for _, want := range []string{`<html lang="de">`, "<h1>KeyDesk-Bericht</h1>", "<h2>Vorgänge</h2>", "Registrierung", "Anmeldung", "<th>Signatur</th>", "<th>Zertifikatskette</th>"} {
		if !bytes.Contains(deHTML, []byte(want)) {
			t.Errorf("the German report has no %q", want)
		}
	}
	english := map[string]bool{}
	for _, s := range reportTexts(enHTML) {
		english[s] = true
	}
	var bad []string
	seen := map[string]bool{}
	for _, s := range reportTexts(deHTML) {
		if english[s] && needsTranslation(s) && !reportData.MatchString(s) && !seen[s] {
			seen[s] = true
			bad = append(bad, s)
		}
	}
	sort.Strings(bad)
	for _, s := range bad {
		t.Errorf("the German report has %q in English", s)
	}
	if t.Failed() {
		t.Logf("German report:\n%s", deHTML)
	}
}

// reportData are texts of this session's report that are names or data,
// not words: the system and Go version, the model list's source, the
// virtual key's AAGUID and name, step durations, the browser error's
// name; and "Code", "Codes", which German writes as English does.
var reportData = regexp.MustCompile(`^(linux/\w+|go1[.\d]+|.*Microsoft.*|CC BY 4|0|[0-9a-f-]{36} KeyDesk Virtual Key|\d+ ms|\(\w+Error\)|Codes?)$`)

// TestReportWriteFiles: the exported report is written whole (0600, through
// the atomic writer) and leaves no temporary file in the chosen folder.
func TestReportWriteFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports")
	rep := &Report{Generated: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC), Environment: Environment{OS: "linux", Mode: "demo"}}
	jsonPath, htmlPath, err := rep.WriteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{jsonPath, htmlPath} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 || fi.Size() == 0 {
			t.Errorf("%s: mode %v, %d bytes; want 0600 and content", filepath.Base(p), fi.Mode().Perm(), fi.Size())
		}
	}
	var back Report
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &back); err != nil || back.Environment.Mode != "demo" {
		t.Errorf("report JSON does not read back: %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("report folder holds %v, want the two reports only", names)
	}
}
