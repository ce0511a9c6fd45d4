package ceremony_test

import (
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/result"
)

// unsetOrigin makes the rig's runner talk to the emulator with a client
// that has no origin configured.
func unsetOrigin(t *testing.T, r *rig) {
	t.Helper()
	cl, err := cloud.New(cloud.Config{InstanceURL: r.em.URL(), AccessKey: cloud.NewSecret(r.em.AccessKey())})
	if err != nil {
		t.Fatal(err)
	}
	r.runner.Cloud = cl
}

// TestOriginDefaultsToTheAnnouncedRelyingParty: with no origin configured,
// KeyDesk claims https://<rpId> of the relying party the instance
// announces in its options, and enrolls and signs in.
func TestOriginDefaultsToTheAnnouncedRelyingParty(t *testing.T) {
	r := newRig(t, rigOptions{emulator: emulator.Config{ExplicitRPID: true}})
	unsetOrigin(t, r)
	if res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "uma"}); !res.Success() {
		t.Fatalf("enroll: %+v %v", res.Outcome, res.Err)
	}
	if res := r.runner.Approve(ctxT(t), ceremony.ApproveInput{Username: "uma"}); !res.Success() {
		t.Fatalf("approve: %+v %v", res.Outcome, res.Err)
	}
}

// TestNoOriginAndNoRelyingParty: the docs' own example announces an empty
// relying party id ("the origin's host"); with no origin configured there
// is nothing to claim, so KeyDesk stops before touching the key and says
// what to set.
func TestNoOriginAndNoRelyingParty(t *testing.T) {
	r := newRig(t, rigOptions{})
	unsetOrigin(t, r)
	r.em.FailNext(emulator.EndpointEnroll, emulator.Fault{Status: 200, Body: `{"userId":"u1","username":"uma","status":"new","enrollment":{"transactionId":"t","statusToken":"st-123","credentialCreationOptions":{"relyingParty":{"id":"","name":"x"},"user":{"id":"dTE","name":"u1","displayName":"uma"},"challenge":"AAAAAAAAAAAAAAAAAAAAAA","pubKeyCredParams":[{"type":"public-key","alg":-7}]}}}`})
	before := r.commands.Load()
	res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "uma"})
	wantOutcome(t, res, "error-1001")
	if res.Cause != result.CodeOriginUnknown || res.DOMException != "SecurityError" {
		t.Fatalf("cause %s DOMException %q", res.Cause, res.DOMException)
	}
	if n := r.commands.Load() - before; n != 0 {
		t.Fatalf("the key received %d commands", n)
	}
}

// TestOriginMismatchInHelpdeskWords: a configured origin the announced
// relying party does not cover stops the ceremony (SecurityError); the
// message names both, and the catalogue tells the helpdesk what to change,
// in English and German.
func TestOriginMismatchInHelpdeskWords(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.em.SetOptionsRPID("login.other.example")
	res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "uma"})
	wantOutcome(t, res, "error-1001")
	if res.Cause != result.CodeRPIDMismatch || !strings.Contains(res.Outcome.Message, "login.other.example") || !strings.Contains(res.Outcome.Message, "portal.example.com") {
		t.Fatalf("cause %s message %q", res.Cause, res.Outcome.Message)
	}
	e := result.Lookup(result.CodeRPIDMismatch)
	if h := e.Text(result.Helpdesk); !strings.Contains(h, "Settings") || !strings.Contains(h, "Management Console") {
		t.Errorf("helpdesk text %q does not say what to change", h)
	}
	if h := e.In(result.German).Text(result.Helpdesk); !strings.Contains(h, "Einstellungen") {
		t.Errorf("German helpdesk text %q", h)
	}
}
