package station

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/safetext"
)

// JournalFile is the journal's name in the config folder.
const JournalFile = "kiosk-journal.jsonl"

// JournalEntry is one kiosk session: who walked up, what came of it, with
// which key. It holds no secret: no PIN, no token, no challenge, no
// credential ID.
type JournalEntry struct {
	Time    time.Time `json:"time"`
	Station string    `json:"station,omitempty"`
	// Username is empty when the person left before typing one; such
	// sessions are not journalled.
	Username string `json:"username"`
	// Outcome is the fido2-client status code (success-registration,
	// error-1001, …) or "abandoned" when the person walked away or the
	// station reset before the end.
	Outcome string `json:"outcome"`
	// Cause is the most specific catalogue code behind a failure
	// ("libfido2:-2", "http:500"), for `keydesk explain`.
	Cause string `json:"cause,omitempty"`
	// KeyModel is the key's product name as listed, and AAGUID its model
	// identifier.
	KeyModel string `json:"keyModel,omitempty"`
	AAGUID   string `json:"aaguid,omitempty"`
	// PINSet is true when the kiosk set the key's first PIN.
	PINSet bool `json:"pinSet,omitempty"`
	// DurationMS is how long the session took, from start to end.
	DurationMS int64 `json:"durationMs"`
}

// Outcome values of the journal beyond the fido2-client codes.
const OutcomeAbandoned = "abandoned"

// Abandoned is the record of a session that ended before its result, with
// the cause that ended it: the person cancelled or walked away
// (keydesk:cancelled), the station was left idle (keydesk:idle-timeout).
func Abandoned(cause result.Code) ceremony.Record {
	return ceremony.Record{Kind: ceremony.KindEnroll,
		Outcome: result.Outcome{Code: result.OutcomeCode{StatusCode: OutcomeAbandoned}}, Cause: cause}
}

// Journal appends entries to a JSON-lines file, one line per session.
type Journal struct {
	mu   sync.Mutex
	path string
}

// OpenJournal returns the journal at path; the file and its folder are
// created on the first entry.
func OpenJournal(path string) *Journal { return &Journal{path: path} }

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// Append writes one entry.
func (j *Journal) Append(e JournalEntry) error {
	if j == nil || j.path == "" {
		return nil
	}
	// Typed and key-provided text is stored with its controls escaped: the
	// journal is read on terminals and exported to spreadsheets.
	e.Username, e.KeyModel, e.Station = safetext.Escape(e.Username), safetext.Escape(e.KeyModel), safetext.Escape(e.Station)
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(j.path), 0o700); err != nil {
		return fmt.Errorf("creating the journal's folder: %w", err)
	}
	f, err := os.OpenFile(j.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("opening the journal: %w", err)
	}
	_, err = f.Write(append(line, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ReadJournal returns the entries of the journal at path at or after since
// (all when since is zero). A missing file is an empty journal; a line that
// does not parse is skipped, so one torn write does not hide the rest.
func ReadJournal(path string, since time.Time) ([]JournalEntry, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("opening the journal: %w", err)
	}
	defer f.Close()
	var out []JournalEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		var e JournalEntry
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		if !since.IsZero() && e.Time.Before(since) {
			continue
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("reading the journal: %w", err)
	}
	return out, nil
}

// ExportFormat is how ExportJournal writes.
type ExportFormat string

// The export formats.
const (
	ExportJSONLines ExportFormat = "jsonl"
	ExportCSV       ExportFormat = "csv"
)

// ExportOptions select what ExportJournal writes.
type ExportOptions struct {
	// Path is the journal file; "" means DefaultJournalPath().
	Path string
	// Since drops older entries (zero: all).
	Since time.Time
	// Format is jsonl (default) or csv.
	Format ExportFormat
}

// ExportJournal writes the kiosk journal for the helpdesk: JSON lines as
// stored, or CSV with a header row.
func ExportJournal(w io.Writer, o ExportOptions) error {
	path := o.Path
	if path == "" {
		p, err := DefaultJournalPath()
		if err != nil {
			return err
		}
		path = p
	}
	entries, err := ReadJournal(path, o.Since)
	if err != nil {
		return err
	}
	switch o.Format {
	case "", ExportJSONLines:
		enc := json.NewEncoder(w)
		for _, e := range entries {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	case ExportCSV:
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"time", "station", "username", "outcome", "cause", "key_model", "aaguid", "pin_set", "duration_ms"})
		for _, e := range entries {
			_ = cw.Write([]string{e.Time.UTC().Format(time.RFC3339), csvSafe(e.Station), csvSafe(e.Username), e.Outcome, e.Cause,
				csvSafe(e.KeyModel), e.AAGUID, strconv.FormatBool(e.PINSet), strconv.FormatInt(e.DurationMS, 10)})
		}
		cw.Flush()
		return cw.Error()
	}
	return fmt.Errorf("unknown export format %q (want jsonl or csv)", o.Format)
}

// csvSafe keeps a typed username from being read as a formula by a
// spreadsheet (CSV injection) and escapes its controls (a journal written
// before they were escaped on append may still hold some).
func csvSafe(s string) string {
	s = safetext.Escape(s)
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

// Session is what a journal line adds to a ceremony's record: the
// station, when the person walked up and when the session ended, and
// whether the kiosk set the key's first PIN.
type Session struct {
	Station        string
	Started, Ended time.Time
	PINSet         bool
}

// EntryOf is the journal line of a session that ended with rec: the
// record's username, status code, cause and key, and the session's
// station, start and length (from when the person walked up, so it is
// longer than the ceremony's own).
func EntryOf(rec ceremony.Record, s Session) JournalEntry {
	e := JournalEntry{
		Time: s.Started.UTC(), Station: s.Station, Username: rec.Username, Outcome: rec.StatusCode(),
		KeyModel: rec.KeyModel, AAGUID: rec.AAGUID, PINSet: s.PINSet,
		DurationMS: s.Ended.Sub(s.Started).Milliseconds(),
	}
	if !rec.Cause.IsZero() {
		e.Cause = rec.Cause.String()
	}
	return e
}
