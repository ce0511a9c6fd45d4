package uitest

import (
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFailedGoldensIgnored: what Fyne's test writes when a golden does
// not match (testdata/failed/ beside the golden, in any package) is
// ignored by git, so a failed run leaves nothing to commit by mistake.
func TestFailedGoldensIgnored(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	var probes []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.IsDir() && d.Name() == "testdata" {
			rel, _ := filepath.Rel(root, path)
			probes = append(probes, filepath.ToSlash(filepath.Join(rel, "failed", "probe.png")))
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(probes) < 3 {
		t.Fatalf("found only %d testdata folders: %v", len(probes), probes)
	}
	for _, p := range probes {
		// --no-index: the probe need not exist, and nothing is tracked.
		cmd := exec.Command("git", "check-ignore", "--no-index", "-q", p)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s is not git-ignored (%v %s)", p, err, strings.TrimSpace(string(out)))
		}
	}
}
