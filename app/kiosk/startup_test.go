package kiosk

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/app/kiosk/station"
)

// TestStartupLogSaysWhatAUsernameKioskAllows: a kiosk.json without an
// "enrollment" member keeps enrolling by username, and the start-up log
// says in plain words what that allows; "username" written explicitly is
// the admin's choice and silences the warning (issue 14).
func TestStartupLogSaysWhatAUsernameKioskAllows(t *testing.T) {
	t.Setenv("LANGUAGE", "en")
	without := strings.Join(startupLog(OptionsFrom(station.Settings{})), "\n")
	for _, want := range []string{
		"enrollment by username",
		"WARNING: at this kiosk anyone can enroll a security key for any username they type",
		"holds the organisation's access key",
		`write "enrollment": "username"`,
	} {
		if !strings.Contains(without, want) {
			t.Errorf("without the member the log lacks %q:\n%s", want, without)
		}
	}
	with := strings.Join(startupLog(OptionsFrom(station.Settings{Enrollment: station.EnrollByUsername})), "\n")
	if strings.Contains(with, "WARNING") || !strings.Contains(with, `enrollment by username, as chosen in kiosk.json`) {
		t.Errorf(`with "enrollment": "username" the log is:\n%s`, with)
	}
	t.Setenv("LANGUAGE", "de")
	if de := strings.Join(startupLog(OptionsFrom(station.Settings{})), "\n"); !strings.Contains(de, "WARNUNG: An diesem Kiosk kann jeder") {
		t.Errorf("German:\n%s", de)
	}
}

// TestPassKioskDoesNotStartYet: a kiosk.json that requires passes is never
// run as a username kiosk; until the kiosk can redeem a pass it refuses to
// start (exit 2) before any window, Cloud or key.
func TestPassKioskDoesNotStartYet(t *testing.T) {
	t.Setenv("LANGUAGE", "en")
	d := t.TempDir()
	code := Run(Options{Enrollment: station.EnrollByPass, JournalPath: filepath.Join(d, "j"), AdminStatePath: filepath.Join(d, "a")})
	if code != 2 {
		t.Errorf("Run with enrollment pass = %d, want 2", code)
	}
}
