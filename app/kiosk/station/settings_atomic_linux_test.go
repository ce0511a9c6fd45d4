//go:build linux

package station

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// envSaveUnderLimit names the kiosk.json a child test process saves while
// the process's file size limit is below the new file's size.
const envSaveUnderLimit = "KEYDESK_TEST_SAVE_KIOSK_JSON_UNDER_FSIZE"

// TestKioskJSONSavedAtomically: a save that fails half-way (here a station
// whose file size limit the new kiosk.json exceeds, as a full disk would)
// leaves the old kiosk.json whole, admin-PIN hash included, and no
// temporary file beside it. The save runs in a child process so the limit
// touches no other test.
func TestKioskJSONSavedAtomically(t *testing.T) {
	if path := os.Getenv(envSaveUnderLimit); path != "" {
		saveUnderLimit(path)
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, SettingsFile)
	hash, err := HashAdminPIN("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	old := Settings{Organisation: "Acme Corp", Station: "lobby-1", AdminPINHash: hash}
	if err := SaveSettings(path, old); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestKioskJSONSavedAtomically$", "-test.count=1")
	cmd.Env = append(os.Environ(), envSaveUnderLimit+"="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "save failed:") {
		t.Fatalf("the save over the file size limit did not fail:\n%s", out)
	}

	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Errorf("a failed save changed kiosk.json: %d bytes before, %d after", len(before), len(after))
	}
	got, err := LoadSettings(path)
	if err != nil {
		t.Fatalf("kiosk.json after a failed save: %v", err)
	}
	if got.AdminPINHash != hash || got.Organisation != old.Organisation {
		t.Errorf("kiosk.json after a failed save lost its settings")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != SettingsFile {
			t.Errorf("a failed save left %s behind", e.Name())
		}
	}
}

// saveUnderLimit is the child: it lowers its file size limit to 4 KiB and
// saves a kiosk.json of 64 KiB at path. Go ignores SIGXFSZ, so the write
// fails with EFBIG instead of killing the process.
func saveUnderLimit(path string) {
	lim := syscall.Rlimit{Cur: 4096, Max: 4096}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		fmt.Println("setrlimit:", err)
		os.Exit(2)
	}
	s := Settings{Organisation: "Acme Corp", NextSteps: strings.Repeat("Take the key home. ", 64<<10/19)}
	err := SaveSettings(path, s)
	switch {
	case err == nil:
		fmt.Println("save succeeded")
	case errors.Is(err, syscall.EFBIG):
		fmt.Println("save failed: file too large")
	default:
		fmt.Println("save failed:", err)
	}
}
