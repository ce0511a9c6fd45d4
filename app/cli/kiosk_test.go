package cli

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/app/kiosk/station"
)

// kioskRun runs `keydesk kiosk args…` with in as standard input, read
// as a script would feed it (one PIN per line), and no windows.
func kioskRun(args []string, in io.Reader, out, errw io.Writer) int {
	if in == nil {
		in = strings.NewReader("")
	}
	s := IO{In: in, Out: out, Err: errw, Getenv: func(string) string { return "" }, ReadSecret: secretReader(in, errw)}
	return Main(append([]string{"kiosk"}, args...), s, Windows{})
}

// TestKioskJournalCommand (moved from package kiosk with the command).
func TestKioskJournalCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("KEYDESK_CONFIG_DIR", dir)
	j := station.OpenJournal(filepath.Join(dir, station.JournalFile))
	_ = j.Append(station.JournalEntry{Time: time.Now().Add(-48 * time.Hour), Username: "old", Outcome: "error-1001"})
	_ = j.Append(station.JournalEntry{Time: time.Now(), Username: "new", Outcome: "success-registration"})
	var out, errw bytes.Buffer
	if code := kioskRun([]string{"journal", "-since", "24h", "-format", "csv"}, strings.NewReader(""), &out, &errw); code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	if !strings.Contains(out.String(), "new") || strings.Contains(out.String(), "old") {
		t.Errorf("journal -since 24h: %s", out.String())
	}
	if code := kioskRun([]string{"journal", "-since", "yesterday"}, nil, &out, &errw); code != 2 {
		t.Errorf("bad -since: exit %d", code)
	}
}

// TestKioskAdminPINCommand (moved from package kiosk with the command).
func TestKioskAdminPINCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("KEYDESK_CONFIG_DIR", dir)
	var out, errw bytes.Buffer
	if code := kioskRun([]string{"admin-pin"}, strings.NewReader("73915028\n73915029\n"), &out, &errw); code != 1 {
		t.Errorf("differing PINs: exit %d", code)
	}
	if code := kioskRun([]string{"admin-pin"}, strings.NewReader("73915028\n73915028\n"), &out, &errw); code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	if strings.Contains(errw.String()+out.String(), "7391") {
		t.Error("the admin PIN was printed")
	}
	s, err := station.LoadSettings(filepath.Join(dir, station.SettingsFile))
	if err != nil || !station.VerifyAdminPIN("73915028", s.AdminPINHash) {
		t.Errorf("settings: %+v %v", s, err)
	}
}

// TestKioskAdminPINMinimumLength: the command refuses an admin PIN under
// 8 characters and says so (the hash's own refusal is tested in package
// station).
func TestKioskAdminPINMinimumLength(t *testing.T) {
	t.Setenv("KEYDESK_CONFIG_DIR", t.TempDir())
	var out, errw bytes.Buffer
	if code := kioskRun([]string{"admin-pin"}, strings.NewReader("7391\n7391\n"), &out, &errw); code != 1 ||
		!strings.Contains(errw.String(), "at least 8 characters") || strings.Contains(errw.String(), "7391") {
		t.Errorf("a 4-character admin PIN: exit %d, %q", code, errw.String())
	}
}

// TestKioskGermanCommandLineRuns runs `keydesk kiosk help`, `journal` and
// `admin-pin` with LANGUAGE=de and with LANGUAGE=en: each message is
// German in the one and English in the other.
func TestKioskGermanCommandLineRuns(t *testing.T) {
	t.Setenv("KEYDESK_CONFIG_DIR", t.TempDir())
	cases := []struct {
		args   []string
		in     string
		de, en string
	}{
		{[]string{"help"}, "", "Aufruf: keydesk kiosk", "Usage: keydesk kiosk"},
		{[]string{"journal", "-h"}, "", "Optionen von journal", "journal options"},
		{[]string{"journal", "-format", "xml"}, "", "unbekanntes Format", "unknown format"},
		{[]string{"journal", "-since", "yesterday"}, "", "ist weder ein Zeitpunkt", "is neither a time"},
		{[]string{"journal", "-bogus"}, "", "unbekannte Option -bogus", "unknown flag -bogus"},
		{[]string{"frobnicate"}, "", "unbekannter Befehl", "unknown command"},
		{[]string{"run", "--bogus"}, "", "unbekannte Option --bogus", "unknown flag --bogus"},
		{[]string{"admin-pin"}, "73915028\n73915029\n", "Die beiden PINs sind verschieden", "the two PINs differ"},
		{[]string{"admin-pin"}, "7391\n7391\n", "Die Admin-PIN braucht mindestens 8 Zeichen", "the admin PIN needs at least 8 characters"},
		{[]string{"admin-pin"}, "73915028\n", "Keine PIN auf der Standardeingabe", "no PIN on standard input"},
		{[]string{"admin-pin"}, "73915028\n73915028\n", "Admin-PIN gesetzt", "Admin PIN set"},
	}
	for _, lang := range []string{"de", "en"} {
		t.Setenv("LANGUAGE", lang)
		for _, c := range cases {
			var out, errw strings.Builder
			kioskRun(c.args, strings.NewReader(c.in), &out, &errw)
			got := out.String() + errw.String()
			want, other := c.de, c.en
			if lang == "en" {
				want, other = c.en, c.de
			}
			if !strings.Contains(got, want) || strings.Contains(got, other) {
				t.Errorf("LANGUAGE=%s keydesk kiosk %s: %q, want %q", lang, strings.Join(c.args, " "), got, want)
			}
		}
	}
}

// TestWindowsOpenThroughOneDoor: `keydesk` and `keydesk kiosk [run]` reach
// the windows main.go hands in, and only with a display; without one they
// say what to do instead (in the CLI's language) and open nothing. The
// journal and admin-pin commands need no display.
func TestWindowsOpenThroughOneDoor(t *testing.T) {
	t.Setenv("KEYDESK_CONFIG_DIR", t.TempDir())
	var opened []string
	w := Windows{
		Main:  func() int { opened = append(opened, "main"); return 0 },
		Kiosk: func() int { opened = append(opened, "kiosk"); return 0 },
	}
	for _, c := range []struct {
		args    []string
		display string
		want    []string
		code    int
	}{
		{nil, ":0", []string{"main"}, 0},
		{[]string{"kiosk"}, ":0", []string{"kiosk"}, 0},
		{[]string{"kiosk", "run"}, ":0", []string{"kiosk"}, 0},
		{nil, "", nil, 1},
		{[]string{"kiosk"}, "", nil, 1},
		{[]string{"kiosk", "run"}, "", nil, 1},
		{[]string{"kiosk", "journal"}, "", nil, 0},
		{[]string{"help"}, "", nil, 0},
	} {
		opened = nil
		var out, errw bytes.Buffer
		env := map[string]string{"DISPLAY": c.display}
		s := IO{In: strings.NewReader(""), Out: &out, Err: &errw, Getenv: func(k string) string { return env[k] }}
		code := Main(c.args, s, w)
		if code != c.code || strings.Join(opened, ",") != strings.Join(c.want, ",") {
			t.Errorf("keydesk %v with DISPLAY=%q: exit %d, opened %v; want exit %d, opened %v", c.args, c.display, code, opened, c.code, c.want)
		}
		noDisplay := strings.Contains(errw.String(), "needs a graphical session")
		if noDisplay != (c.code == 1) {
			t.Errorf("keydesk %v with DISPLAY=%q: stderr %q", c.args, c.display, errw.String())
		}
	}
	if !haveDisplay("darwin", func(string) string { return "" }) || !haveDisplay("linux", func(k string) string {
		return map[string]string{"WAYLAND_DISPLAY": "wayland-0"}[k]
	}) || haveDisplay("linux", func(string) string { return "" }) {
		t.Error("haveDisplay")
	}
}
