package hidbridge_test

import (
	"encoding/json"
	"os"
	"os/exec"
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
	cmd := exec.Command("go", append([]string{"list", "-json"}, pkgs...)...)
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
	hidbridgePkg = "github.com/keydesk/keydesk/ctap/internal/hidbridge"
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

// TestBridgeOnlyOnLinux: the C bridge (which replaces libfido2's
// fido_dev_open) is built on Linux only; elsewhere the package is a pure Go
// stub, so a hardware key on another system never goes through it.
func TestBridgeOnlyOnLinux(t *testing.T) {
	linux := goList(t, []string{"GOOS=linux", "CGO_ENABLED=1"}, hidbridgePkg)[hidbridgePkg]
	if len(linux.CgoFiles) == 0 || !contains(linux.CFiles, "bridge.c") {
		t.Errorf("linux: cgo files %v, C files %v: want the bridge", linux.CgoFiles, linux.CFiles)
	}
	for _, goos := range []string{"darwin", "windows", "freebsd"} {
		for _, cgo := range []string{"1", "0"} {
			env := []string{"GOOS=" + goos, "CGO_ENABLED=" + cgo}
			p := goList(t, env, hidbridgePkg)[hidbridgePkg]
			if len(p.CgoFiles) != 0 || len(p.CFiles) != 0 {
				t.Errorf("%v: cgo files %v, C files %v: want none", env, p.CgoFiles, p.CFiles)
			}
			if len(p.GoFiles) == 0 {
				t.Errorf("%v: no Go files: the package does not build there", env)
			}
		}
	}
	// Linux without cgo (go vet, pure builds) gets the stub too.
	p := goList(t, []string{"GOOS=linux", "CGO_ENABLED=0"}, hidbridgePkg)[hidbridgePkg]
	if len(p.CFiles) != 0 || len(p.GoFiles) == 0 {
		t.Errorf("linux without cgo: Go files %v, C files %v: want the stub alone", p.GoFiles, p.CFiles)
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
