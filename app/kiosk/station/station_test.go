package station

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func TestAdminHash(t *testing.T) {
	h, err := HashAdminPIN("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, "correct") || !strings.HasPrefix(h, "pbkdf2-sha256$600000$") {
		t.Errorf("hash %q", h)
	}
	if !VerifyAdminPIN("correct horse", h) || VerifyAdminPIN("correct horsE", h) {
		t.Error("verify")
	}
	h2, _ := HashAdminPIN("correct horse")
	if h == h2 {
		t.Error("no salt")
	}
	for _, bad := range []string{"", "x", "pbkdf2-sha256$0$AA$AA", "pbkdf2-sha256$1000$!!$AA", "md5$1$AA$AA"} {
		if VerifyAdminPIN("", bad) || VerifyAdminPIN("x", bad) {
			t.Errorf("malformed hash %q matched", bad)
		}
	}
	if _, err := HashAdminPIN("123"); err == nil {
		t.Error("a 3-character admin PIN")
	}
}

func TestJournalExport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", JournalFile)
	j := OpenJournal(path)
	es := []JournalEntry{
		{Time: t0, Station: "s", Username: "=cmd()", Outcome: "success-registration", KeyModel: "Key, A", DurationMS: 12},
		{Time: t0.Add(time.Hour), Username: "bob", Outcome: "error-1001", Cause: "libfido2:-2"},
	}
	for _, e := range es {
		if err := j.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := ExportJournal(&b, ExportOptions{Path: path}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n != 2 {
		t.Errorf("jsonl: %d lines", n)
	}
	b.Reset()
	if err := ExportJournal(&b, ExportOptions{Path: path, Format: ExportCSV, Since: t0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][2] != "bob" || rows[1][4] != "libfido2:-2" {
		t.Errorf("csv since: %v %v", rows, err)
	}
	b.Reset()
	_ = ExportJournal(&b, ExportOptions{Path: path, Format: ExportCSV})
	if !strings.Contains(b.String(), "'=cmd()") {
		t.Errorf("a formula-looking username was not defused: %s", b.String())
	}
	if err := ExportJournal(&b, ExportOptions{Path: path, Format: "xml"}); err == nil {
		t.Error("unknown format accepted")
	}
	if got, err := ReadJournal(filepath.Join(t.TempDir(), "none"), time.Time{}); err != nil || got != nil {
		t.Errorf("missing journal: %v %v", got, err)
	}
}

// TestAdminPINMinimumLength: the admin PIN needs 8 characters (the
// command's words are tested in package cli).
func TestAdminPINMinimumLength(t *testing.T) {
	if _, err := HashAdminPIN("1234567"); err == nil || err.Error() != "the admin PIN needs at least 8 characters" {
		t.Errorf("7 characters: %v", err)
	}
	if _, err := HashAdminPIN("12345678"); err != nil {
		t.Errorf("8 characters: %v", err)
	}
}

// TestEnrollmentMember: kiosk.json's "enrollment" is "pass" or "username";
// without it the mode is username, not chosen explicitly.
func TestEnrollmentMember(t *testing.T) {
	if m, explicit := (Settings{}).EnrollmentMode(); m != EnrollByUsername || explicit {
		t.Errorf("no member: %q %v", m, explicit)
	}
	for _, e := range []Enrollment{EnrollByPass, EnrollByUsername} {
		if m, explicit := (Settings{Enrollment: e}).EnrollmentMode(); m != e || !explicit {
			t.Errorf("%q: %q %v", e, m, explicit)
		}
		if err := (Settings{Enrollment: e}).Validate(); err != nil {
			t.Errorf("%q: %v", e, err)
		}
	}
	if err := (Settings{Enrollment: "badge"}).Validate(); err == nil {
		t.Error(`"enrollment": "badge" accepted`)
	}
	p := filepath.Join(t.TempDir(), SettingsFile)
	if err := SaveSettings(p, Settings{Enrollment: EnrollByPass}); err != nil {
		t.Fatal(err)
	}
	if s, err := LoadSettings(p); err != nil || s.Enrollment != EnrollByPass {
		t.Errorf("LoadSettings = %+v, %v", s, err)
	}
}
