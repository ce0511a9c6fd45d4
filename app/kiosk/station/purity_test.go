package station

import (
	"os/exec"
	"strings"
	"testing"
)

// windowFree are the packages that must run without a display: this one
// and the command line, which dispatches every `keydesk kiosk …` command
// and reaches the windows only through the functions main.go hands it.
var windowFree = []string{
	"github.com/keydesk/keydesk/app/kiosk/station",
	"github.com/keydesk/keydesk/app/cli",
}

// TestNoFyne: neither the station's window-free part nor the command line
// imports Fyne, directly or through another package, so the journal and
// admin-PIN commands (and every other command) run on machines without a
// display.
func TestNoFyne(t *testing.T) {
	for _, pkg := range windowFree {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("go list -deps %s: %v: %s", pkg, err, stderr)
		}
		deps := strings.Fields(string(out))
		found := false
		for _, d := range deps {
			if d == pkg {
				found = true
			}
			if strings.HasPrefix(d, "fyne.io/") {
				t.Errorf("%s depends on %s: it must not need a window", pkg, d)
			}
		}
		if !found {
			t.Fatalf("go list did not list %s itself", pkg)
		}
	}
}
