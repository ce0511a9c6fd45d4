// Package atomicfile is the one way KeyDesk writes a file: settings, the
// kiosk's kiosk.json and admin lockout state, the emulator's and the
// virtual key's state, exported reports. A reader, or a crash, sees either
// the old content or the new, never half a file. It imports only the
// standard library so that every layer (app, client, ctap) may use it. The
// kiosk journal, which appends, is the one file written otherwise.
package atomicfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// testOnlyWriter, when set, wraps the temporary file's writer so a test can
// make a write fail half-way.
var testOnlyWriter func(io.Writer) io.Writer

// WriteFile writes data to path with mode perm, atomically: it writes a
// temporary file in the same directory, syncs it, sets perm (exactly, the
// umask is not applied), renames it over path and syncs the directory. On
// any error before the rename the temporary file is removed and the old
// file, if any, is left as it was; an error syncing the directory comes
// after the new content is in place. The directory must exist.
func WriteFile(path string, data []byte, perm fs.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("atomic write: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("atomic write %s: %w", base, err)
		}
	}()
	var w io.Writer = f
	if testOnlyWriter != nil {
		w = testOnlyWriter(f)
	}
	if _, err = w.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes the rename durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return err
	}
	return d.Close()
}
