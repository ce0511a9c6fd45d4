package ctap

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// An RX/TX failure is "removed" only when the key can no longer be opened.
func TestMarkRemovedOnlyWhenTheKeyIsGone(t *testing.T) {
	k, err := virtualkey.New(virtualkey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("/tmp", "kdr")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	srv, err := k.Serve(filepath.Join(dir, "k"))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	rx := &Error{Op: "make credential", Code: ErrCodeRX}
	if errors.Is(markRemoved(srv.Path(), rx), ErrKeyRemoved) {
		t.Fatal("a connected key reported as removed")
	}
	k.Unplug()
	got := markRemoved(srv.Path(), rx)
	if !errors.Is(got, ErrKeyRemoved) || !errors.Is(got, ErrCode(ErrCodeRX)) {
		t.Fatalf("an unplugged key: %v", got)
	}
	other := &Error{Op: "make credential", Code: StatusOperationDenied}
	if markRemoved(srv.Path(), other) != error(other) {
		t.Fatal("a key's own answer was rewritten")
	}
	if markRemoved(srv.Path(), nil) != nil {
		t.Fatal("nil became an error")
	}
}
