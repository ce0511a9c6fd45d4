package ceremony_test

import (
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/emulator"
)

// TestFailureAfterTheCloudAccepted: when the Cloud accepted the attestation
// and a later step fails (the status poll, the introspection), the key may
// already be registered: the result says so and how to check, and the
// record carries it for every front-end. A failure before the Cloud
// accepted says nothing of the kind.
func TestFailureAfterTheCloudAccepted(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(r *rig)
	}{
		{"status failed", func(r *rig) {
			r.em.FailNext(emulator.EndpointStatus, emulator.Fault{Status: 200, Body: `{"status":"failed"}`})
		}},
		{"status error", func(r *rig) {
			r.em.FailNext(emulator.EndpointStatus, emulator.CloudError(500, "internal_error", "boom"))
		}},
		{"introspection inactive", func(r *rig) { r.em.SetIntrospectInactive(true) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, rigOptions{})
			tc.setup(r)
			res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "hal"})
			if res.Success() {
				t.Fatal("enroll succeeded")
			}
			if !res.AcceptedByCloud || !ceremony.NewRecord(ceremony.KindEnroll, res).AcceptedByCloud {
				t.Errorf("AcceptedByCloud not set: %+v", res.Outcome)
			}
			if !strings.Contains(res.Outcome.Message, "may already be registered") || !strings.Contains(res.Outcome.Message, "test sign-in") {
				t.Errorf("message does not say the key may be registered and how to check: %q", res.Outcome.Message)
			}
		})
	}
	r := newRig(t, rigOptions{})
	r.em.FailNext(emulator.EndpointAttestation, emulator.CloudError(400, "bad_request", "nope"))
	res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "hal"})
	if res.AcceptedByCloud || strings.Contains(res.Outcome.Message, "may already be registered") {
		t.Errorf("a refused attestation claims the key may be registered: %q", res.Outcome.Message)
	}
}
