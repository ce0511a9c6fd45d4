package result

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The real-world corpus (issue 15): strings people paste when a security key,
// WebAuthn or passkey ceremony fails, each with its public source and the
// expected top cause. testdata/corpus/README.md says how it was built. This
// file only checks that the corpus is well-formed; it measures nothing.

const corpusDir = "testdata/corpus"

// corpusEntry is one line of dev.jsonl or heldout.jsonl.
type corpusEntry struct {
	Text     string `json:"text"`
	Source   string `json:"source"`
	Kind     string `json:"kind"`
	Ceremony string `json:"ceremony"`
	Expect   string `json:"expect"`
	Note     string `json:"note"`
}

// corpusKinds are the kinds of source a string comes from.
var corpusKinds = []string{"browser", "platform", "keytool", "rpserver", "cloud",
	"tenantapi", "appnative", "devtools", "os"}

var corpusCeremonies = map[string]bool{"registration": true, "authentication": true, "unknown": true}

// newCause is how an expected cause the catalogue lacks is written.
var newCause = regexp.MustCompile(`^new:[a-z0-9]+(-[a-z0-9]+)*$`)

// Things that look like secrets: a long base64url run with digits and
// letters (an access key, a token, a credential ID), a JWT, a bearer token.
var (
	secretRun = regexp.MustCompile(`[A-Za-z0-9_-]{40,}`)
	jwtLike   = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.`)
	bearer    = regexp.MustCompile(`(?i)\bbearer\s+(\S+)`)
	hasDigit  = regexp.MustCompile(`[0-9]`)
	hasLetter = regexp.MustCompile(`[A-Za-z]`)
)

// looksSecret names what in s looks like a secret, or returns "".
func looksSecret(s string) string {
	for _, run := range secretRun.FindAllString(s, -1) {
		if hasDigit.MatchString(run) && hasLetter.MatchString(run) {
			return "a long base64url run"
		}
	}
	if jwtLike.MatchString(s) {
		return "a JWT"
	}
	for _, m := range bearer.FindAllStringSubmatch(s, -1) {
		if m[1] != "<redacted>" {
			return "a bearer token"
		}
	}
	return ""
}

// heldOut is the split rule: an entry belongs to heldout.jsonl when the
// first two bytes of the SHA-256 of its text, read big-endian, are below 30
// modulo 100. The rule is fixed so that no one can move an entry between the
// files after seeing what a diagnosis answers for it.
func heldOut(text string) bool {
	h := sha256.Sum256([]byte(text))
	return binary.BigEndian.Uint16(h[:2])%100 < 30
}

// readCorpus reads one corpus file strictly: every line one JSON object with
// exactly the known fields, all of them set.
func readCorpus(t *testing.T, name string) []corpusEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			t.Errorf("%s:%d: empty line", name, n)
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var e corpusEntry
		if err := dec.Decode(&e); err != nil {
			t.Errorf("%s:%d: %v", name, n, err)
			continue
		}
		if dec.More() {
			t.Errorf("%s:%d: more than one JSON value on the line", name, n)
		}
		for field, v := range map[string]string{"text": e.Text, "source": e.Source, "kind": e.Kind,
			"ceremony": e.Ceremony, "expect": e.Expect, "note": e.Note} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s:%d: %s is empty", name, n, field)
			}
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// describedNewCauses reads the table of missing causes in the corpus README:
// the rows whose first cell is `new:name`.
func describedNewCauses(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `(new:[a-z0-9-]+)` \\|")
	out := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		out[m[1]] = true
	}
	return out
}

func TestCorpusWellFormed(t *testing.T) {
	files := map[string][]corpusEntry{
		"dev.jsonl":     readCorpus(t, "dev.jsonl"),
		"heldout.jsonl": readCorpus(t, "heldout.jsonl"),
	}
	described := describedNewCauses(t)
	seen := map[string]string{}
	kinds := map[string]int{}
	usedNew := map[string]bool{}
	total := 0
	for name, entries := range files {
		for i, e := range entries {
			at := name + " entry " + strconv.Itoa(i+1)
			total++
			key := strings.Join(strings.Fields(e.Text), " ")
			if prev, dup := seen[key]; dup {
				t.Errorf("%s: same text as %s", at, prev)
			}
			seen[key] = at
			if wantHeld := heldOut(e.Text); wantHeld != (name == "heldout.jsonl") {
				t.Errorf("%s: the split rule puts it in the other file (held out: %v)", at, wantHeld)
			}
			if !contains(corpusKinds, e.Kind) {
				t.Errorf("%s: unknown kind %q", at, e.Kind)
			}
			kinds[e.Kind]++
			if !corpusCeremonies[e.Ceremony] {
				t.Errorf("%s: unknown ceremony %q", at, e.Ceremony)
			}
			switch {
			case strings.HasPrefix(e.Expect, "new:"):
				if !newCause.MatchString(e.Expect) {
					t.Errorf("%s: malformed new cause %q", at, e.Expect)
				}
				if !described[e.Expect] {
					t.Errorf("%s: %s is not described in %s/README.md", at, e.Expect, corpusDir)
				}
				usedNew[e.Expect] = true
			default:
				c, ok := ParseString(e.Expect)
				if !ok || !Known(c) {
					t.Errorf("%s: expect %q is no catalogue code", at, e.Expect)
				}
			}
			u, err := url.Parse(e.Source)
			if err != nil || u.Scheme != "https" || u.Host == "" {
				t.Errorf("%s: source %q is no https URL", at, e.Source)
			}
			if what := looksSecret(e.Text); what != "" {
				t.Errorf("%s: the text holds %s", at, what)
			}
		}
	}
	for n := range described {
		if !usedNew[n] {
			t.Errorf("README describes %s but no entry expects it", n)
		}
	}
	if total < 150 {
		t.Errorf("the corpus has %d entries, want at least 150", total)
	}
	for _, k := range corpusKinds {
		if kinds[k] == 0 {
			t.Errorf("no entry of kind %q", k)
		}
	}
	if len(files["heldout.jsonl"]) == 0 || len(files["dev.jsonl"]) == 0 {
		t.Errorf("dev and held-out part must both hold entries")
	}
}

// TestCorpusSecretCheck shows that the secret check finds what it is meant to
// find and lets the corpus's ordinary long words through.
func TestCorpusSecretCheck(t *testing.T) {
	for _, s := range []string{
		"Authorization: Bearer 3f9a1c2e-77aa-4c1b-9d0e-5b6a7c8d9e0f",
		"statusToken eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJodHRwcyJ9.c2ln",
		"credential id KEthTlOv7trIQ0g9hvZmvAOxVOmhh-UPa7QotW5nNDUNsJXdIviXylbk5HvEhtfx",
	} {
		if looksSecret(s) == "" {
			t.Errorf("looksSecret(%q) found nothing", s)
		}
	}
	for _, s := range []string{
		"Authorization: Bearer <redacted>",
		"ServerPublicKeyCredentialGetOptionsResponse has to be valid.",
		"org.springframework.security.web.webauthn.api.PublicKeyCredentialType@4cfbb790",
	} {
		if what := looksSecret(s); what != "" {
			t.Errorf("looksSecret(%q) = %s, want nothing", s, what)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
