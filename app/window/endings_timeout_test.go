package window

import (
	"testing"

	"github.com/keydesk/keydesk/client/result"
)

// TestEndingTimeouts: every code that says something ran out of time ends
// a ceremony as timed out, not failed: a PIN or a touch not given in time,
// the key's own wait (CTAP2_ERR_USER_ACTION_TIMEOUT, ACTION_TIMEOUT), the
// Cloud not answering in time, a station left idle. A person's cancel is
// not a timeout, nor is a refusal.
func TestEndingTimeouts(t *testing.T) {
	for _, c := range []result.Code{
		result.CodeTouchTimeout, result.CodePINTimeout, result.CTAP(0x2F), result.CTAP(0x3A),
		result.CodeCloudTimeout, result.CodeIdleTimeout,
	} {
		if got := endingOf(false, c); got != EndTimedOut {
			t.Errorf("%s ends as %s, want %s", c, endingNames[got], endingNames[EndTimedOut])
		}
	}
	for c, want := range map[result.Code]Ending{
		result.CodeCancelled: EndCancelled, result.CTAP(0x27): EndFailed, result.Nevis("error-1001"): EndFailed,
	} {
		if got := endingOf(false, c); got != want {
			t.Errorf("%s ends as %s, want %s", c, endingNames[got], endingNames[want])
		}
	}
}
