package ceremony_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/result"
)

// TestApproveWithOneChosenAuthenticator: a test sign-in can name the
// authenticator (approval endpoint: authenticatorId, "The default is the
// last registered device"); the Cloud is asked for that one, and an
// unknown one fails at the Cloud before the key is touched.
func TestApproveWithOneChosenAuthenticator(t *testing.T) {
	r := newRig(t, rigOptions{})
	ctx := ctxT(t)
	en := r.runner.Enroll(ctx, ceremony.EnrollInput{Username: "vera"})
	wantOutcome(t, en, "success-registration")
	u, err := r.cl.User(ctx, en.UserID)
	if err != nil || len(u.Authenticators) != 1 {
		t.Fatalf("user: %+v %v", u, err)
	}
	id := u.Authenticators[0].AuthenticatorID
	ap := r.runner.Approve(ctx, ceremony.ApproveInput{Username: "vera", AuthenticatorID: id})
	wantOutcome(t, ap, "success-authentication")
	var sent struct {
		AuthenticatorID string `json:"authenticatorId"`
	}
	for _, q := range r.em.Requests() {
		if q.Endpoint == emulator.EndpointApproval {
			_ = json.Unmarshal(q.Body, &sent)
		}
	}
	if sent.AuthenticatorID != id {
		t.Fatalf("approval sent authenticatorId %q, want %q", sent.AuthenticatorID, id)
	}
	before := r.commands.Load()
	ap = r.runner.Approve(ctx, ceremony.ApproveInput{Username: "vera", AuthenticatorID: "00000000-0000-0000-0000-00000000beef"})
	if ap.Success() || ap.Cause != result.HTTP(404) || r.commands.Load() != before {
		t.Fatalf("unknown authenticator: %+v cause %s", ap.Outcome, ap.Cause)
	}
}

// TestEnrollStopsAtTheAuthenticatorLimit: a user may have up to 10
// authenticators (operator FAQ); when the enrollment answer already lists
// 10, KeyDesk stops before the key makes a credential the Cloud would not
// keep, and says what to do.
func TestEnrollStopsAtTheAuthenticatorLimit(t *testing.T) {
	r := newRig(t, rigOptions{})
	var ids []string
	for i := range ceremony.MaxAuthenticatorsPerUser {
		ids = append(ids, fmt.Sprintf(`"a%d"`, i))
	}
	body := `{"userId":"u1","username":"walt","status":"active","authenticators":[` + strings.Join(ids, ",") + `],"enrollment":{"transactionId":"t","statusToken":"st-123","credentialCreationOptions":{"relyingParty":{"id":"","name":"x"},"user":{"id":"dTE","name":"u1","displayName":"walt"},"challenge":"AAAAAAAAAAAAAAAAAAAAAA","pubKeyCredParams":[{"type":"public-key","alg":-7}]}}}`
	r.em.FailNext(emulator.EndpointEnroll, emulator.Fault{Status: 200, Body: body})
	before := r.commands.Load()
	res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "walt"})
	if res.Success() || res.Cause != result.CodeAuthenticatorLimit || r.commands.Load() != before {
		t.Fatalf("at the limit: %+v cause %s, %d key commands", res.Outcome, res.Cause, r.commands.Load()-before)
	}
	// Nine: the tenth may be enrolled.
	r.em.FailNext(emulator.EndpointEnroll, emulator.Fault{Status: 200, Body: strings.Replace(body, `"a0",`, "", 1)})
	res = r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "walt"})
	if res.Cause == result.CodeAuthenticatorLimit {
		t.Fatal("nine authenticators stopped at the limit")
	}
}
