package kiosk

import (
	"testing"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/ctap/testkit"
)

// TestKeyCauseAgreesWithCeremonyCause: the kiosk names a key failure with
// the code the ceremonies' cause (and so the window) gives it, for real
// failures of a virtual key.
func TestKeyCauseAgreesWithCeremonyCause(t *testing.T) {
	errs := testkit.KeyFailures(t)
	for what, want := range testkit.KeyFailureCodes {
		err := errs[what]
		if got := keyCause(err); got != want || ceremony.CauseOf(err) != want {
			t.Errorf("%s (%v): kiosk %s, ceremony cause %s, want %s", what, err, got, ceremony.CauseOf(err), want)
		}
	}
}
