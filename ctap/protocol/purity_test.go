package protocol

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCgoFree: the protocol package and everything it imports outside the
// standard library are pure Go, so that it builds with CGO_ENABLED=0 on any
// system, and it does not reach the device layer (package ctap) or
// libfido2. (The standard library's net and runtime/cgo have cgo files
// with pure Go fallbacks; they are not counted.)
func TestCgoFree(t *testing.T) {
	const self = "github.com/keydesk/keydesk/ctap/protocol"
	out, err := exec.Command("go", "list", "-deps",
		"-f", "{{.ImportPath}} {{.Standard}} {{len .CgoFiles}}", self).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list -deps %s: %v: %s", self, err, stderr)
	}
	found := false
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("go list: unexpected line %q", line)
		}
		path, standard, cgoFiles := f[0], f[1] == "true", f[2]
		if path == self {
			found = true
		}
		if !standard && cgoFiles != "0" {
			t.Errorf("%s depends on %s, which has %s cgo files", self, path, cgoFiles)
		}
		if path == "github.com/keydesk/keydesk/ctap" || strings.Contains(path, "go-libfido2") ||
			strings.HasPrefix(path, "github.com/keydesk/keydesk/ctap/internal/hidbridge") {
			t.Errorf("%s depends on the device layer (%s)", self, path)
		}
	}
	if !found {
		t.Fatalf("go list did not list %s itself", self)
	}
}
