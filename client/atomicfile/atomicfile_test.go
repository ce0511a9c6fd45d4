package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// halfWriter writes half of what it is given, then fails.
type halfWriter struct{ w io.Writer }

func (h halfWriter) Write(p []byte) (int, error) {
	n, _ := h.w.Write(p[:len(p)/2])
	return n, errors.New("disk gave up half-way")
}

func TestWriteFile(t *testing.T) {
	old := []byte("old content\n")
	cases := []struct {
		name     string
		setup    func(t *testing.T, path string) // may create the old file
		perm     fs.FileMode
		half     bool // the write fails half-way
		wantErr  bool
		want     []byte      // content of path afterwards (nil: no file)
		wantPerm fs.FileMode // mode of path afterwards
	}{
		{name: "new file", perm: 0o600, want: []byte("new\n"), wantPerm: 0o600},
		{name: "perm set exactly, umask not applied", perm: 0o666, want: []byte("new\n"), wantPerm: 0o666},
		{name: "overwrite takes the new perm", setup: writeOld(old, 0o644), perm: 0o600,
			want: []byte("new\n"), wantPerm: 0o600},
		{name: "write fails half-way: old file intact", setup: writeOld(old, 0o640), perm: 0o600, half: true,
			wantErr: true, want: old, wantPerm: 0o640},
		{name: "write fails half-way: no file", perm: 0o600, half: true, wantErr: true},
		{name: "rename fails (a folder is in the way)", setup: func(t *testing.T, path string) {
			if err := os.MkdirAll(filepath.Join(path, "inside"), 0o700); err != nil {
				t.Fatal(err)
			}
		}, perm: 0o600, wantErr: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "settings.json")
			if c.setup != nil {
				c.setup(t, path)
			}
			if c.half {
				testOnlyWriter = func(w io.Writer) io.Writer { return halfWriter{w} }
				t.Cleanup(func() { testOnlyWriter = nil })
			}
			err := WriteFile(path, []byte("new\n"), c.perm)
			if (err != nil) != c.wantErr {
				t.Fatalf("WriteFile error = %v, want error %v", err, c.wantErr)
			}
			fi, statErr := os.Lstat(path)
			switch {
			case c.want == nil && c.setup == nil:
				if !errors.Is(statErr, fs.ErrNotExist) {
					t.Errorf("a failed write left a file: %v", statErr)
				}
			case c.want != nil:
				got, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, c.want) {
					t.Errorf("content = %q, want %q", got, c.want)
				}
				if fi.Mode().Perm() != c.wantPerm {
					t.Errorf("perm = %v, want %v", fi.Mode().Perm(), c.wantPerm)
				}
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if e.Name() != "settings.json" {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
}

func writeOld(b []byte, perm fs.FileMode) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		t.Helper()
		if err := os.WriteFile(path, b, perm); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, perm); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWriteFileMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent", "x.json")
	if err := WriteFile(path, []byte("x"), 0o600); err == nil {
		t.Fatal("WriteFile into a missing folder succeeded")
	}
}
