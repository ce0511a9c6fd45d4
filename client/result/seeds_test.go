package result

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// seedDir is the fixture copy of the seed documents (see
// testdata/seeds/README.md for their source).
const seedDir = "testdata/seeds"

// seedFile returns the path of the fixture seed file whose name starts with
// prefix. A missing fixture fails the test.
func seedFile(t *testing.T, prefix string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(seedDir, prefix+"_*.txt"))
	if err != nil || len(m) != 1 {
		t.Fatalf("seed fixture %s/%s_*.txt: found %v (%v)", seedDir, prefix, m, err)
	}
	return m[0]
}

// sharedSeedDir returns ../shared/seeds beside the module root, or "" when
// this clone has none.
func sharedSeedDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
	shared := filepath.Join(dir, "..", "shared", "seeds")
	if fi, err := os.Stat(shared); err != nil || !fi.IsDir() {
		return ""
	}
	return shared
}

// TestSeedFixtureMatchesShared checks that the fixture holds the five seed
// documents and, where ../shared/seeds exists, that each copy still equals
// its source.
func TestSeedFixtureMatchesShared(t *testing.T) {
	fixture, err := filepath.Glob(filepath.Join(seedDir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(fixture) != 5 {
		t.Fatalf("seed fixture: %d files, want 5: %v", len(fixture), fixture)
	}
	shared := sharedSeedDir(t)
	if shared == "" {
		t.Log("no ../shared/seeds in this clone: fixture not compared with its source")
		return
	}
	src, err := filepath.Glob(filepath.Join(shared, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(src) != len(fixture) {
		t.Errorf("../shared/seeds has %d files, fixture %d", len(src), len(fixture))
	}
	for _, s := range src {
		want, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(seedDir, filepath.Base(s)))
		if err != nil {
			t.Errorf("fixture lacks %s: %v", filepath.Base(s), err)
			continue
		}
		if string(got) != string(want) {
			t.Errorf("fixture %s differs from ../shared/seeds: copy it again", filepath.Base(s))
		}
	}
}

func seedLines(t *testing.T, prefix string) []string {
	t.Helper()
	f, err := os.Open(seedFile(t, prefix))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

var reSeedNevisRow = regexp.MustCompile(`^(success-registration|success-authentication|error-\d{4})(.+)$`)

// TestSeedNevisCodes reads the result-code tables of seeds 000 and 001
// (columns run together: code, description, comment) and checks that every
// code has an entry whose message is the description verbatim and whose
// explanation carries the comment.
func TestSeedNevisCodes(t *testing.T) {
	for _, seed := range []string{"000", "001"} {
		lines := seedLines(t, seed)
		inTable, rows := false, 0
		for _, l := range lines {
			if strings.HasPrefix(l, "Result codeDescriptionComment") {
				inTable = true
				continue
			}
			if !inTable {
				continue
			}
			m := reSeedNevisRow.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			rows++
			c := Nevis(m[1])
			if !Known(c) {
				t.Errorf("seed %s: %s has no catalogue entry", seed, m[1])
				continue
			}
			e := Lookup(c)
			rest := m[2]
			if e.Message == "" || !strings.HasPrefix(rest, e.Message) {
				t.Errorf("seed %s: %s message %q is not the seed's description (row %q)", seed, m[1], e.Message, rest)
				continue
			}
			comment := rest[len(e.Message):]
			if comment == "" {
				continue
			}
			// The message must end where the comment starts: a comment
			// begins a sentence.
			if r := []rune(comment)[0]; !unicode.IsUpper(r) {
				t.Errorf("seed %s: %s message %q stops mid-description (comment %q)", seed, m[1], e.Message, comment)
			}
			if !strings.Contains(e.Explanation, comment) {
				t.Errorf("seed %s: %s explanation lacks the seed's comment %q", seed, m[1], comment)
			}
		}
		if rows < 7 {
			t.Errorf("seed %s: only %d result-code rows found; has the format changed?", seed, rows)
		}
	}
}

// TestSeedNevisExamples checks the example result objects of seeds 000 and
// 001: the code.message shown there is the catalogue's message.
func TestSeedNevisExamples(t *testing.T) {
	re := regexp.MustCompile(`^"statusCode": "([^"]+)",$`)
	reMsg := regexp.MustCompile(`^"message": "([^"]+)"$`)
	for _, seed := range []string{"000", "001"} {
		lines := seedLines(t, seed)
		n := 0
		for i, l := range lines {
			m := re.FindStringSubmatch(l)
			if m == nil || i+1 >= len(lines) {
				continue
			}
			mm := reMsg.FindStringSubmatch(lines[i+1])
			if mm == nil {
				continue
			}
			n++
			if got := NewOutcome(m[1], "").Code.Message; got != mm[1] {
				t.Errorf("seed %s example: %s code.message = %q, seed shows %q", seed, m[1], got, mm[1])
			}
		}
		if n != 2 {
			t.Errorf("seed %s: %d example objects found, want 2", seed, n)
		}
	}
}

// TestSeedTenantAPI checks seed 003: the error codes it names and the
// error responses it documents all have entries.
func TestSeedTenantAPI(t *testing.T) {
	lines := seedLines(t, "003")
	text := strings.Join(lines, "\n")
	codes := map[string]bool{}
	for _, m := range regexp.MustCompile(`“([a-z_]+)”|\b(\d{3}) ([a-z_]+)\b`).FindAllStringSubmatch(text, -1) {
		if m[1] != "" {
			codes[m[1]] = true
		}
		if m[3] != "" && strings.Contains(m[3], "_") {
			codes[m[3]] = true
		}
	}
	for _, want := range []string{"not_found", "tenant_mismatch"} {
		if !codes[want] {
			t.Errorf("seed 003 no longer names %s; update this test", want)
		}
	}
	for c := range codes {
		if !Known(TenantAPI(c)) {
			t.Errorf("seed 003: tenant code %s has no catalogue entry", c)
		}
	}
	if e := Lookup(TenantAPI("tenant_mismatch")); e.HTTPStatus != 403 {
		t.Errorf("tenant_mismatch: HTTP status %d, seed says 403", e.HTTPStatus)
	}
	// An error response is a description line followed by "Media type
	// application/json" and a body whose code is the "Machine-readable
	// error code".
	var starts []int
	for i, l := range lines {
		if strings.HasPrefix(l, "Media type application/json") && i > 0 {
			starts = append(starts, i)
		}
	}
	var headings []string
	for k, i := range starts {
		end := len(lines)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		if !strings.Contains(strings.Join(lines[i:end], "\n"), "Machine-readable error code") {
			continue
		}
		j := i - 1
		for j > 0 && strings.TrimSpace(lines[j]) == "" {
			j--
		}
		headings = append(headings, strings.TrimSpace(lines[j]))
	}
	if len(headings) != 3 {
		t.Fatalf("seed 003: %d error responses found, want 3: %q", len(headings), headings)
	}
	for _, h := range headings {
		found := false
		for _, e := range Entries(SourceTenantAPI) {
			if e.Message == h {
				found = true
			}
		}
		if !found {
			t.Errorf("seed 003: error response %q has no entry with that message", h)
		}
	}
	for _, s := range []string{"notices", "Cedar"} {
		if !strings.Contains(text, s) {
			t.Errorf("seed 003 no longer mentions %s", s)
		}
	}
}

// TestSeedAppNative checks every row of seed 004's table: code, HTTP
// status and message verbatim. The table lists 60008 twice; the first of
// the two is 60007.
func TestSeedAppNative(t *testing.T) {
	re := regexp.MustCompile(`^\| (\d+) \| (\d{3}) \| ([^|]+) \| ([^|]+) \|$`)
	seen := map[string]int{}
	rows := 0
	for _, l := range seedLines(t, "004") {
		m := re.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		rows++
		code, msg, cause := m[1], strings.TrimSpace(m[3]), strings.TrimSpace(m[4])
		seen[code]++
		if code == "60008" && seen[code] == 1 {
			code = "60007" // the vendor's typo
		}
		c := AppNative(code)
		if !Known(c) {
			t.Errorf("seed 004: %s has no entry", code)
			continue
		}
		e := Lookup(c)
		if e.Message != msg {
			t.Errorf("seed 004: %s message %q, seed says %q", code, e.Message, msg)
		}
		if want := m[2]; e.HTTPStatus == 0 || want != strconv.Itoa(e.HTTPStatus) {
			t.Errorf("seed 004: %s HTTP status %d, seed says %s", code, e.HTTPStatus, want)
		}
		if !strings.Contains(e.Explanation, cause) {
			t.Errorf("seed 004: %s explanation lacks the possible cause %q", code, cause)
		}
		for _, spelling := range []string{code, "ABA-" + code, "aba-" + code} {
			if code == "401" && spelling != code {
				continue
			}
			found := false
			for _, pc := range ParseCode(spelling) {
				if pc == c {
					found = true
				}
			}
			if !found {
				t.Errorf("ParseCode(%q) = %v, want it to include %s", spelling, ParseCode(spelling), c)
			}
		}
	}
	if rows != 20 {
		t.Errorf("seed 004: %d rows, want 20", rows)
	}
	if seen["60008"] != 2 || seen["60007"] != 0 {
		t.Errorf("seed 004 no longer lists 60008 twice (%d) without 60007 (%d): revisit the 60007 mapping", seen["60008"], seen["60007"])
	}
}
