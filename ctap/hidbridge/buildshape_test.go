package hidbridge_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// listedPackage is what goList reads of `go list -json`.
type listedPackage struct {
	ImportPath   string
	GoFiles      []string
	CgoFiles     []string
	CFiles       []string
	CgoPkgConfig []string
	CgoCFLAGS    []string
	CgoLDFLAGS   []string
}

// goList runs `go list -json` for pkgs with extra environment (GOOS,
// CGO_ENABLED): the build as the go tool would see it on that system,
// without compiling anything.
func goList(t *testing.T, env []string, pkgs ...string) map[string]listedPackage {
	t.Helper()
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), append([]string{"list", "-json"}, pkgs...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list %v (%v): %v: %s", pkgs, env, err, stderr)
	}
	got := map[string]listedPackage{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p listedPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		got[p.ImportPath] = p
	}
	return got
}

const (
	ctapPkg      = "github.com/keydesk/keydesk/ctap"
	hidbridgePkg = "github.com/keydesk/keydesk/ctap/hidbridge"
)

// TestCgoFlagsComeFromPkgConfig: the packages that link libfido2 ask
// pkg-config for its flags, so that the build works wherever the system
// keeps libfido2, not only on Debian amd64's paths.
func TestCgoFlagsComeFromPkgConfig(t *testing.T) {
	for path, p := range goList(t, nil, ctapPkg, hidbridgePkg) {
		if !contains(p.CgoPkgConfig, "libfido2") {
			t.Errorf("%s: #cgo pkg-config lists %v, want libfido2", path, p.CgoPkgConfig)
		}
		for _, f := range append(append([]string{}, p.CgoCFLAGS...), p.CgoLDFLAGS...) {
			if strings.HasPrefix(f, "-I") || strings.HasPrefix(f, "-L") {
				t.Errorf("%s: hard-coded search path %q in the cgo flags", path, f)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
