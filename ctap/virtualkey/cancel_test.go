package virtualkey_test

import (
	"testing"

	"github.com/keydesk/keydesk/ctap/internal/hidbridge"
)

// cancelVia sends CTAPHID_CANCEL through the bridge to the waiting handle.
func cancelVia(t *testing.T, f *fixture) {
	t.Helper()
	if n := hidbridge.Cancel(f.srv.Path()); n == 0 {
		t.Fatal("hidbridge.Cancel reached no open handle")
	}
}
