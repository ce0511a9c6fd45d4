package cloud_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/internal/testauthn"
)

// TestIssueIntent asks the emulator's intent endpoint with the access key
// and reads the token's own expiry.
func TestIssueIntent(t *testing.T) {
	srv, c := startEmulator(t)
	ctx := context.Background()
	in, err := c.IssueIntent(ctx, cloud.IntentRequest{Username: "alice", Operation: cloud.OperationEnroll})
	if err != nil {
		t.Fatal(err)
	}
	if in.Token == "" {
		t.Fatal("no token")
	}
	want := time.Now().Add(emulator.DefaultIntentTTL)
	if d := in.ExpiresAt.Sub(want); d < -5*time.Second || d > 5*time.Second {
		t.Errorf("ExpiresAt = %v, want about %v", in.ExpiresAt, want)
	}
	assertClean(t, "intent printed", fmt.Sprintf("%v %+v %#v", in, in, in), string(in.Token))
	if _, err := c.IssueIntent(ctx, cloud.IntentRequest{Username: "alice", Operation: "delete"}); err == nil {
		t.Error("operation delete accepted")
	}
	if _, err := c.IssueIntent(ctx, cloud.IntentRequest{Operation: cloud.OperationEnroll}); err == nil {
		t.Error("intent without a user accepted")
	}
	// approve for a user who does not exist: the Cloud's 404.
	_, err = c.IssueIntent(ctx, cloud.IntentRequest{Username: "nobody", Operation: cloud.OperationApprove})
	var ae *cloud.APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 404 {
		t.Errorf("approve intent for nobody: %v", err)
	}
	_ = srv
}

// TestPassHolderSendsNoAccessKey runs a whole enrollment and a sign-in
// with a pass holder's client: the intent tokens are the bearers of
// enroll and approval, status goes without Authorization, and the calls
// only the access key may make fail before they are sent.
func TestPassHolderSendsNoAccessKey(t *testing.T) {
	srv, helpdesk := startEmulator(t)
	ctx := context.Background()
	enr, err := helpdesk.IssueIntent(ctx, cloud.IntentRequest{Username: "alice", Operation: cloud.OperationEnroll})
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	holder, err := cloud.NewPassHolder(cloud.PassHolderConfig{InstanceURL: srv.URL(), Origin: srv.Origin(), EnrollToken: enr.Token})
	if err != nil {
		t.Fatal(err)
	}
	if !holder.PassHolder() || !holder.Config().AccessKey.IsZero() {
		t.Fatal("a pass holder's client has an access key")
	}
	assertClean(t, "pass holder config", fmt.Sprintf("%v %+v %#v %s", holder, holder.Config(),
		cloud.PassHolderConfig{EnrollToken: enr.Token}, cloud.PassHolderConfig{EnrollToken: enr.Token}), string(enr.Token))
	key := testauthn.New(testauthn.FormatNone)
	res, err := testauthn.Enroll(ctx, holder, key, cloud.EnrollRequest{Username: "alice", DisplayName: "Alice"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status.Status != cloud.StatusSucceeded {
		t.Fatalf("status %+v", res.Status)
	}
	for _, r := range srv.Requests() {
		if r.BearerValid {
			t.Errorf("%s %s carried the access key", r.Method, r.Path)
		}
		switch r.Endpoint {
		case emulator.EndpointEnroll:
			if !r.BearerIntent {
				t.Errorf("enroll without the intent token")
			}
		case emulator.EndpointStatus, emulator.EndpointAttestation:
			if r.Bearer {
				t.Errorf("%s carried a bearer", r.Path)
			}
		}
	}
	// Calls only the access key may make never leave the client.
	srv.ResetRequests()
	if _, err := holder.Introspect(ctx, res.Status.Token); !errors.Is(err, cloud.ErrNeedsAccessKey) {
		t.Errorf("introspect: %v", err)
	}
	if _, err := holder.LookupUser(ctx, "alice"); !errors.Is(err, cloud.ErrNeedsAccessKey) {
		t.Errorf("lookup: %v", err)
	}
	if _, err := holder.IssueIntent(ctx, cloud.IntentRequest{Username: "alice", Operation: cloud.OperationEnroll}); !errors.Is(err, cloud.ErrNeedsAccessKey) {
		t.Errorf("intent: %v", err)
	}
	if _, err := holder.Approve(ctx, cloud.ApprovalRequest{Username: "alice"}); err == nil {
		t.Error("approval without an approve token was sent")
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the Cloud", n)
	}
	// Reuse: the Cloud refuses the spent token.
	_, err = holder.Enroll(ctx, cloud.EnrollRequest{Username: "alice", DisplayName: "Alice"})
	var ae *cloud.APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 401 {
		t.Errorf("second enroll: %v", err)
	}
	assertClean(t, "refusal", fmt.Sprint(err), string(enr.Token))

	// A sign-in with an approve token.
	apr, err := helpdesk.IssueIntent(ctx, cloud.IntentRequest{Username: "alice", Operation: cloud.OperationApprove})
	if err != nil {
		t.Fatal(err)
	}
	signer, err := cloud.NewPassHolder(cloud.PassHolderConfig{InstanceURL: srv.URL(), Origin: srv.Origin(), ApproveToken: apr.Token})
	if err != nil {
		t.Fatal(err)
	}
	ar, err := testauthn.Approve(ctx, signer, key, cloud.ApprovalRequest{Username: "alice"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ar.Status.Status != cloud.StatusSucceeded {
		t.Errorf("sign-in status %+v", ar.Status)
	}
}
