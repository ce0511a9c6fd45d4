package ceremony_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/result"
)

// TestEnrollNamesCheckedBeforeTheCloud: a username outside the documented
// alphabet and a display name over 64 bytes stop the enrollment before
// anything is sent; an empty display name becomes the username, as the
// Cloud requires one for fido2.
func TestEnrollNamesCheckedBeforeTheCloud(t *testing.T) {
	r := newRig(t, rigOptions{})
	for _, in := range []ceremony.EnrollInput{
		{Username: "zoë"},
		{Username: "a b"},
		{Username: "zoe", DisplayName: strings.Repeat("ü", 33)},
	} {
		res := r.runner.Enroll(ctxT(t), in)
		wantOutcome(t, res, "error-1000")
		if res.Cause != result.CodeUsernameInvalid && res.Cause != result.CodeDisplayNameInvalid {
			t.Errorf("%+v: cause %s", in, res.Cause)
		}
		if len(r.em.Requests()) != 0 {
			t.Fatalf("%+v reached the Cloud", in)
		}
	}
	if res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "zoe.m@example.com"}); !res.Success() {
		t.Fatalf("enroll: %+v %v", res.Outcome, res.Err)
	}
	var sent struct {
		DisplayName *string `json:"displayName"`
	}
	for _, q := range r.em.Requests() {
		if q.Endpoint == emulator.EndpointEnroll {
			if err := json.Unmarshal(q.Body, &sent); err != nil {
				t.Fatal(err)
			}
		}
	}
	if sent.DisplayName == nil || *sent.DisplayName != "zoe.m@example.com" {
		t.Fatalf("displayName sent: %v, want the username", sent.DisplayName)
	}
}
