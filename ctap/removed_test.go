package ctap_test

import (
	"errors"
	"testing"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// An RX/TX failure is "removed" only when the key can no longer be opened.
func TestMarkRemovedOnlyWhenTheKeyIsGone(t *testing.T) {
	k := testkit.NewKey(t, virtualkey.Options{})
	rx := &ctap.Error{Op: "make credential", Code: ctap.ErrCodeRX}
	if errors.Is(ctap.MarkRemoved(k.Path, rx), ctap.ErrKeyRemoved) {
		t.Fatal("a connected key reported as removed")
	}
	k.Unplug()
	got := ctap.MarkRemoved(k.Path, rx)
	if !errors.Is(got, ctap.ErrKeyRemoved) || !errors.Is(got, ctap.ErrCode(ctap.ErrCodeRX)) {
		t.Fatalf("an unplugged key: %v", got)
	}
	other := &ctap.Error{Op: "make credential", Code: ctap.StatusOperationDenied}
	if ctap.MarkRemoved(k.Path, other) != error(other) {
		t.Fatal("a key's own answer was rewritten")
	}
	if ctap.MarkRemoved(k.Path, nil) != nil {
		t.Fatal("nil became an error")
	}
}
