package passletter

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoWindowNoKeyDesk: the letter needs no display (the CLI prints letters
// on machines without one) and knows nothing of KeyDesk but safetext, so
// the window, the CLI and a bulk rollout all call it the same way.
func TestNoWindowNoKeyDesk(t *testing.T) {
	const self = "github.com/keydesk/keydesk/app/passletter"
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", self).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list -deps %s: %v: %s", self, err, stderr)
	}
	found := false
	for _, d := range strings.Fields(string(out)) {
		switch {
		case d == self:
			found = true
		case strings.HasPrefix(d, "fyne.io/"):
			t.Errorf("%s depends on %s: it must not need a window", self, d)
		case strings.HasPrefix(d, "github.com/keydesk/keydesk/") && d != "github.com/keydesk/keydesk/client/safetext":
			t.Errorf("%s depends on %s", self, d)
		}
	}
	if !found {
		t.Fatalf("go list did not list %s itself", self)
	}
}
