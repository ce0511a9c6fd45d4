package kiosk

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/keydesk/keydesk/app/kiosk/station"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// envSubprocess makes the test binary run the kiosk (Run, the real GLFW
// window on the test's X display) instead of the tests; its value is the
// journal file.
const envSubprocess = "KEYDESK_KIOSK_TEST_RUN"

// envSubprocessEarly makes that kiosk report "ready" as Run starts.
const envSubprocessEarly = "KEYDESK_KIOSK_TEST_EARLY"

// runSubprocessKiosk is TestMain's branch for envSubprocess: a demo station
// that, once its window is up, has a person half way through (username
// typed, waiting for a key) and says "ready" on standard output.
func runSubprocessKiosk(journal string) int {
	if os.Getenv(envSubprocessEarly) != "" {
		// Stopped while starting: say so, and give the signal time to
		// arrive before the window is up.
		testOnlyStarting = func() {
			fmt.Println("ready")
			time.Sleep(300 * time.Millisecond)
		}
		return Run(Options{JournalPath: journal, AdminPINHash: testAdminHash})
	}
	testOnlyStarted = func(k *Kiosk) {
		k.mu.Lock()
		k.begin()
		k.w.username.SetText("kim")
		k.submitUsername()
		k.mu.Unlock()
		fmt.Println("ready")
	}
	return Run(Options{JournalPath: journal, AdminPINHash: testAdminHash})
}

// TestSIGTERMStopsCleanly: systemd's stop (or a logout) sends SIGTERM; the
// station closes its window, records the person it interrupted and exits
// 0, with no panic from a GLFW call after the driver stopped.
func TestSIGTERMStopsCleanly(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no X display: run the kiosk tests under .ci/with-display")
	}
	dir := t.TempDir()
	journal := filepath.Join(dir, station.JournalFile)
	before := `{"time":"2026-01-02T03:04:05Z","username":"earlier","outcome":"success-registration","durationMs":1}` + "\n"
	if err := os.WriteFile(journal, []byte(before), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sig   syscall.Signal
		early bool // while Run starts, before the window is up
	}{{syscall.SIGTERM, false}, {syscall.SIGINT, false}, {syscall.SIGTERM, true}} {
		sig := c.sig
		name := sig.String()
		if c.early {
			name += " while starting"
		}
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), envSubprocess+"="+journal, "KEYDESK_CONFIG_DIR="+filepath.Join(dir, "config"))
			if c.early {
				cmd.Env = append(cmd.Env, envSubprocessEarly+"=1")
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			ready := make(chan bool, 1)
			go func() {
				sc := bufio.NewScanner(out)
				for sc.Scan() {
					if sc.Text() == "ready" {
						ready <- true
					}
				}
				close(ready)
			}()
			select {
			case ok := <-ready:
				if !ok {
					_ = cmd.Wait()
					t.Fatalf("the kiosk ended before its window was up: %s", stderr.String())
				}
			case <-time.After(60 * time.Second):
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				t.Fatalf("the kiosk's window did not come up: %s", stderr.String())
			}
			if !c.early {
				time.Sleep(300 * time.Millisecond) // let the key watcher run
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("the kiosk did not stop on %s: %s", sig, stderr.String())
			}
			if err != nil || strings.Contains(stderr.String(), "panic") {
				t.Fatalf("%s: exit %v, stderr:\n%s", sig, err, stderr.String())
			}
		})
	}
	b, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), before) || !strings.HasSuffix(string(b), "\n") {
		t.Fatalf("journal damaged:\n%s", b)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	var kims int
	for _, l := range lines {
		var e station.JournalEntry
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("journal line %q: %v", l, err)
		}
		if e.Username == "kim" && e.Outcome == station.OutcomeAbandoned {
			kims++
		}
	}
	if kims != 2 {
		t.Errorf("the interrupted sessions are not in the journal (want 2 abandoned for kim):\n%s", b)
	}
}
