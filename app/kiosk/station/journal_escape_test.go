package station

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/safetext"
)

// TestJournalEscapesControls: a username or key model holding a terminal
// escape, a C1 control or a bidi override is stored with them escaped, and
// neither the file, what ReadJournal returns nor the CSV export holds a raw
// control character.
func TestJournalEscapesControls(t *testing.T) {
	path := filepath.Join(t.TempDir(), JournalFile)
	j := OpenJournal(path)
	evil := "\x1b]0;pwned\x07\x1b[31mkim\u202egnp\u0085"
	if err := j.Append(JournalEntry{Time: time.Now(), Username: evil, KeyModel: "Key\u009b2J", Outcome: "success-registration"}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	noControls := func(what, s string) {
		t.Helper()
		if i := strings.IndexFunc(s, func(r rune) bool { return r != '\n' && r != '\r' && safetext.IsControl(r) }); i >= 0 {
			t.Errorf("%s: raw control at %d: %q", what, i, s)
		}
	}
	noControls("file", string(raw))
	if strings.Contains(string(raw), `\u001b`) {
		t.Errorf("file stores JSON escapes that decode to raw controls: %s", raw)
	}
	got, err := ReadJournal(path, time.Time{})
	if err != nil || len(got) != 1 {
		t.Fatalf("ReadJournal: %v %v", got, err)
	}
	noControls("read back", got[0].Username+got[0].KeyModel)
	if !strings.Contains(got[0].Username, `\x1b]0;pwned`) || !strings.Contains(got[0].Username, `\u202e`) {
		t.Errorf("username not shown escaped: %q", got[0].Username)
	}
	var csv bytes.Buffer
	if err := ExportJournal(&csv, ExportOptions{Path: path, Format: ExportCSV}); err != nil {
		t.Fatal(err)
	}
	noControls("csv", csv.String())
}
