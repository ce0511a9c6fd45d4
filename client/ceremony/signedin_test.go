package ceremony_test

import (
	"testing"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/emulator"
)

// TestUsernamelessSignInNamesTheAccountFromStatus: the account that signed
// in comes from the documented status answer (username, userId: "In case
// of usernameless authentication … only present when the status is
// succeeded", status endpoint page), not from an introspection member the
// docs do not list: an introspection answer without a username changes
// nothing.
func TestUsernamelessSignInNamesTheAccountFromStatus(t *testing.T) {
	r := newRig(t, rigOptions{})
	ctx := ctxT(t)
	en := r.runner.Enroll(ctx, ceremony.EnrollInput{Username: "quinn"})
	wantOutcome(t, en, "success-registration")
	r.em.FailNext(emulator.EndpointIntrospect, emulator.Fault{Status: 200, Body: `{"active":true}`})
	ap := r.runner.Approve(ctx, ceremony.ApproveInput{})
	wantOutcome(t, ap, "success-authentication")
	if ap.Username != "quinn" || ap.UserID != en.UserID {
		t.Fatalf("signed in as %q (%s), want quinn (%s)", ap.Username, ap.UserID, en.UserID)
	}
}
