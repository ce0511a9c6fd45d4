package station

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
)

// TestJournalViewOfRecord: the journal line is built from a ceremony's
// Record (username, status code, cause, key) and the session around it
// (station, start, length, first PIN); exported as JSON lines and CSV it
// holds no token, and an abandoned session has its own record.
func TestJournalViewOfRecord(t *testing.T) {
	out := result.NewOutcome("error-1001", "NotAllowedError")
	out.Token = "tok-secret"
	rec := ceremony.Record{Kind: ceremony.KindEnroll, Username: "ada", Started: t0.Add(40 * time.Second), Duration: 2 * time.Second,
		Outcome: out.Redacted(), Cause: result.CTAP(0x31), KeyModel: "Key A", AAGUID: "aaguid-1",
		Steps: []ceremony.Step{{Name: "create credential on key", Code: result.CTAP(0x31)}}}
	sess := Session{Station: "lobby", Started: t0, Ended: t0.Add(45 * time.Second), PINSet: true}
	for _, c := range []struct {
		name string
		rec  ceremony.Record
		want JournalEntry
	}{
		{"failed", rec, JournalEntry{Time: t0, Station: "lobby", Username: "ada", Outcome: "error-1001", Cause: "ctap:0x31",
			KeyModel: "Key A", AAGUID: "aaguid-1", PINSet: true, DurationMS: 45000}},
		{"succeeded", ceremony.Record{Username: "ada", Outcome: result.NewOutcome("success-registration", ""), KeyModel: "Key A"},
			JournalEntry{Time: t0, Station: "lobby", Username: "ada", Outcome: "success-registration", KeyModel: "Key A", PINSet: true, DurationMS: 45000}},
		{"abandoned", func() ceremony.Record { r := Abandoned(result.CodeCancelled); r.Username = "ada"; return r }(),
			JournalEntry{Time: t0, Station: "lobby", Username: "ada", Outcome: OutcomeAbandoned, Cause: result.CodeCancelled.String(), PINSet: true, DurationMS: 45000}},
	} {
		got := EntryOf(c.rec, sess)
		if got != c.want {
			t.Errorf("%s: EntryOf = %+v\nwant %+v", c.name, got, c.want)
		}
	}

	path := filepath.Join(t.TempDir(), JournalFile)
	if err := OpenJournal(path).Append(EntryOf(rec, sess)); err != nil {
		t.Fatal(err)
	}
	var jl, csv bytes.Buffer
	if err := ExportJournal(&jl, ExportOptions{Path: path}); err != nil {
		t.Fatal(err)
	}
	if err := ExportJournal(&csv, ExportOptions{Path: path, Format: ExportCSV}); err != nil {
		t.Fatal(err)
	}
	var back JournalEntry
	if err := json.Unmarshal(jl.Bytes(), &back); err != nil || back != EntryOf(rec, sess) {
		t.Errorf("jsonl: %s %v", jl.String(), err)
	}
	if want := "2026-03-01T09:00:00Z,lobby,ada,error-1001,ctap:0x31,Key A,aaguid-1,true,45000\n"; !strings.HasSuffix(csv.String(), want) {
		t.Errorf("csv: %q, want a last line %q", csv.String(), want)
	}
	if strings.Contains(jl.String()+csv.String(), "tok-secret") {
		t.Error("the journal holds the token")
	}
}
