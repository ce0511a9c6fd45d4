package ceremony_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func wantOutcome(t *testing.T, res *ceremony.Result, status string) {
	t.Helper()
	if res.Outcome.Code.StatusCode != status {
		t.Fatalf("status code = %s (%s; cause %s, err %v), want %s", res.Outcome.Code.StatusCode, res.Outcome.Message, res.Cause, res.Err, status)
	}
	if want := result.Lookup(result.Nevis(status)).Message; res.Outcome.Code.Message != want {
		t.Errorf("code.message = %q, want the catalogue's %q", res.Outcome.Code.Message, want)
	}
	if res.Outcome.Success != strings.HasPrefix(status, "success-") {
		t.Errorf("success = %v for %s", res.Outcome.Success, status)
	}
}

func TestEnrollThenApprove(t *testing.T) {
	r := newRig(t, rigOptions{})
	ctx := ctxT(t)
	res := r.runner.Enroll(ctx, ceremony.EnrollInput{Username: "alice", DisplayName: "Alice Example", FriendlyName: "Alice's key"})
	wantOutcome(t, res, "success-registration")
	if res.Outcome.Token == "" || res.Introspection == nil || !res.Introspection.Active {
		t.Fatalf("success without an active introspected token: %+v", res.Introspection)
	}
	if red := res.Outcome.Redacted(); red.Token == res.Outcome.Token {
		t.Fatal("Redacted() kept the token")
	}
	names := stepNames(res.Steps)
	for _, want := range []string{"start enrollment", "create credential on key", "send attestation", "poll status", "introspect token"} {
		if !strings.Contains(names, want) {
			t.Errorf("timeline %q lacks %q", names, want)
		}
	}
	for _, s := range res.Steps {
		if !s.OK() || s.Duration <= 0 || s.Start.IsZero() {
			t.Errorf("step %+v", s)
		}
	}
	// The Cloud has the authenticator under the user.
	u, err := r.cl.User(ctx, res.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Authenticators) != 1 {
		t.Fatalf("user has %d authenticators", len(u.Authenticators))
	}

	ap := r.runner.Approve(ctx, ceremony.ApproveInput{Username: "alice"})
	wantOutcome(t, ap, "success-authentication")
	if ap.UserID != res.UserID {
		t.Errorf("approve userId %q, enroll %q", ap.UserID, res.UserID)
	}
	// The counter moved on: a second sign-in verifies too (go-webauthn
	// rejects a counter that does not increase).
	ap2 := r.runner.Approve(ctx, ceremony.ApproveInput{UserID: res.UserID})
	wantOutcome(t, ap2, "success-authentication")
	if ap2.Credential.AuthenticatorData().SignCount <= ap.Credential.AuthenticatorData().SignCount {
		t.Errorf("sign counter did not increase: %d then %d", ap.Credential.AuthenticatorData().SignCount, ap2.Credential.AuthenticatorData().SignCount)
	}
}

func stepNames(steps []ceremony.Step) string {
	var n []string
	for _, s := range steps {
		n = append(n, string(s.Name))
	}
	return strings.Join(n, ", ")
}

func TestUsernamelessApprove(t *testing.T) {
	r := newRig(t, rigOptions{})
	ctx := ctxT(t)
	ids := map[string]bool{}
	for _, u := range []string{"bob", "carol"} {
		res := r.runner.Enroll(ctx, ceremony.EnrollInput{Username: u})
		wantOutcome(t, res, "success-registration")
		ids[res.UserID] = true
	}
	// The key holds two discoverable credentials for the site; the
	// chooser picks the second in the key's order.
	r.prompter.SetChoice(1)
	ap := r.runner.Approve(ctx, ceremony.ApproveInput{})
	wantOutcome(t, ap, "success-authentication")
	if !ids[ap.UserID] {
		t.Fatalf("usernameless sign-in as user %q, not one of %v", ap.UserID, ids)
	}
	if ap.Credential.Response.UserHandle == "" {
		t.Fatal("no userHandle in a usernameless assertion")
	}
	r.prompter.SetChoice(0)
	first := r.runner.Approve(ctx, ceremony.ApproveInput{})
	wantOutcome(t, first, "success-authentication")
	if first.UserID == ap.UserID || !ids[first.UserID] {
		t.Fatalf("choosing the other account signed in as %q (before: %q)", first.UserID, ap.UserID)
	}
}

func TestEnrollWithPIN(t *testing.T) {
	r := newRig(t, rigOptions{})
	ctx := ctxT(t)
	if err := r.dev.SetPIN(ctx, "4711-kd"); err != nil {
		t.Fatal(err)
	}
	// A wrong PIN first: the prompter is asked again with retries left.
	r.prompter.SetPINs("0000-no", "4711-kd")
	res := r.runner.Enroll(ctx, ceremony.EnrollInput{Username: "dave"})
	wantOutcome(t, res, "success-registration")
	asked := r.prompter.PINRequests()
	if len(asked) != 2 || asked[0].Reason != ctap.PINEnter || asked[1].Reason != ctap.PINRetry {
		t.Fatalf("PIN prompts %+v", asked)
	}
	if asked[0].RetriesLeft != 8 || asked[1].RetriesLeft != 7 {
		t.Errorf("retries shown %d then %d, want 8 then 7", asked[0].RetriesLeft, asked[1].RetriesLeft)
	}
	if !res.Credential.AuthenticatorData().Flags.UserVerified() {
		t.Error("UV flag not set although the PIN was used")
	}
}

// Each fido2-client error code, produced by its real cause.
func TestErrorCodes(t *testing.T) {
	type tc struct {
		name   string
		setup  func(r *rig)
		run    func(ctx context.Context, r *rig) *ceremony.Result
		status string
		cause  result.Code
		dom    string
	}
	enroll := func(ctx context.Context, r *rig) *ceremony.Result {
		return r.runner.Enroll(ctx, ceremony.EnrollInput{Username: "erin"})
	}
	enrolled := func(r *rig) {
		if res := r.runner.Enroll(context.Background(), ceremony.EnrollInput{Username: "erin"}); !res.Success() {
			panic("setup enroll failed: " + res.Outcome.Message)
		}
	}
	approve := func(ctx context.Context, r *rig) *ceremony.Result {
		return r.runner.Approve(ctx, ceremony.ApproveInput{Username: "erin"})
	}
	cases := []tc{
		{name: "1000 options without challenge", setup: func(r *rig) {
			r.em.FailNext(emulator.EndpointEnroll, emulator.Fault{Status: 200, Body: `{"userId":"u1","username":"erin","status":"new","enrollment":{"transactionId":"t","statusToken":"st-123","credentialCreationOptions":{"relyingParty":{"id":"","name":"x"},"user":{"id":"dTE","name":"u1","displayName":"erin"},"pubKeyCredParams":[{"type":"public-key","alg":-7}]}}}`})
		}, run: enroll, status: "error-1000", cause: result.DOMException("TypeError")},
		{name: "1001 presence denied", setup: func(r *rig) {
			r.key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
		}, run: enroll, status: "error-1001", cause: result.CTAP(0x27), dom: "NotAllowedError"},
		{name: "1001 presence timeout", setup: func(r *rig) {
			r.key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceNever})
		}, run: enroll, status: "error-1001", cause: result.CTAP(0x2F), dom: "NotAllowedError"},
		{name: "1001 already registered", setup: enrolled, run: enroll, status: "error-1001", cause: result.CTAP(0x19), dom: "InvalidStateError"},
		{name: "1001 rp id not valid for origin", setup: func(r *rig) {
			r.em.SetOptionsRPID("evil.example")
		}, run: enroll, status: "error-1001", cause: result.KeyDesk("rp-id-mismatch"), dom: "SecurityError"},
		{name: "1002 attestation rejected", setup: func(r *rig) {
			r.em.FailNext(emulator.EndpointAttestation, emulator.CloudError(400, "bad_request", "attestation verification failed"))
		}, run: enroll, status: "error-1002", cause: result.HTTP(400)},
		{name: "1003 no status token", setup: func(r *rig) {
			r.em.FailNext(emulator.EndpointEnroll, emulator.Fault{Status: 200, Body: `{"userId":"u1","username":"erin","status":"new","enrollment":{"transactionId":"t","credentialCreationOptions":{}}}`})
		}, run: enroll, status: "error-1003", cause: result.KeyDesk("bad-response")},
		// No key connected is what a browser reports when nobody touches a
		// key: NotAllowedError after the timeout, so error-1001/0001 (as
		// fido2-client.js would give it), never 1004/0005 "WebAuthn is not
		// supported".
		{name: "1001 no key", setup: func(r *rig) {
			r.runner.Key = nil
			r.runner.FindKey = func(context.Context) (ctap.Authenticator, error) { return nil, nil }
		}, run: enroll, status: "error-1001", cause: result.KeyDesk("no-key"), dom: "NotAllowedError"},
		{name: "1099 token inactive", setup: func(r *rig) { r.em.SetIntrospectInactive(true) },
			run: enroll, status: "error-1099", cause: result.KeyDesk("token-inactive")},
		{name: "0000 options without challenge", setup: func(r *rig) {
			enrolled(r)
			r.em.FailNext(emulator.EndpointApproval, emulator.Fault{Status: 200, Body: `{"transactionId":"t","userId":"u1","statusToken":"st-1","credentialRequestOptions":{"rpId":"portal.example.com"}}`})
		}, run: approve, status: "error-0000", cause: result.DOMException("TypeError")},
		{name: "0001 no credential on key", setup: func(r *rig) {
			enrolled(r)
			r.key.FailNext(0x2E)
		}, run: approve, status: "error-0001", cause: result.CTAP(0x2E), dom: "NotAllowedError"},
		{name: "0002 assertion rejected", setup: func(r *rig) {
			enrolled(r)
			r.em.FailNext(emulator.EndpointAssertion, emulator.CloudError(401, "unauthorized", "signature invalid"))
		}, run: approve, status: "error-0002", cause: result.HTTP(401)},
		{name: "0003 no userId", setup: func(r *rig) {
			enrolled(r)
			r.em.FailNext(emulator.EndpointApproval, emulator.Fault{Status: 200, Body: `{"transactionId":"t","statusToken":"st-1","credentialRequestOptions":{"challenge":"AAAAAAAAAAAAAAAAAAAAAA"}}`})
		}, run: approve, status: "error-0003", cause: result.KeyDesk("bad-response")},
		{name: "0004 no status token", setup: func(r *rig) {
			enrolled(r)
			r.em.FailNext(emulator.EndpointApproval, emulator.Fault{Status: 200, Body: `{"transactionId":"t","userId":"u1","credentialRequestOptions":{"challenge":"AAAAAAAAAAAAAAAAAAAAAA"}}`})
		}, run: approve, status: "error-0004", cause: result.KeyDesk("bad-response")},
		{name: "0001 no key", setup: func(r *rig) {
			enrolled(r)
			r.runner.Key = nil
			r.runner.FindKey = func(context.Context) (ctap.Authenticator, error) { return nil, nil }
		}, run: approve, status: "error-0001", cause: result.KeyDesk("no-key"), dom: "NotAllowedError"},
		{name: "0099 token inactive", setup: func(r *rig) { enrolled(r); r.em.SetIntrospectInactive(true) },
			run: approve, status: "error-0099", cause: result.KeyDesk("token-inactive")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, rigOptions{})
			c.setup(r)
			res := c.run(ctxT(t), r)
			wantOutcome(t, res, c.status)
			if res.Cause != c.cause {
				t.Errorf("cause = %s, want %s (err %v)", res.Cause, c.cause, res.Err)
			}
			if res.DOMException != c.dom {
				t.Errorf("DOMException = %q, want %q", res.DOMException, c.dom)
			}
			if c.dom != "" && !strings.Contains(res.Outcome.Message, c.dom+":") {
				t.Errorf("message %q does not name %s as fido2-client does", res.Outcome.Message, c.dom)
			}
			if res.Outcome.Token != "" {
				t.Error("a failed ceremony carries a token")
			}
			if len(res.Steps) == 0 || res.Steps[len(res.Steps)-1].OK() && c.status != "error-1003" && c.status != "error-0003" && c.status != "error-0004" {
				t.Errorf("the last step should carry the failure: %+v", res.Steps)
			}
		})
	}
}

func TestRPIDMismatchNeverTouchesKey(t *testing.T) {
	r := newRig(t, rigOptions{})
	r.em.SetOptionsRPID("example.com.evil.example")
	before := r.commands.Load()
	res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "frank"})
	wantOutcome(t, res, "error-1001")
	if n := r.commands.Load() - before; n != 0 {
		t.Fatalf("the key received %d commands although the RP ID was refused", n)
	}
	if res.DOMException != "SecurityError" {
		t.Fatalf("DOMException %q", res.DOMException)
	}
}

func TestBadUsernames(t *testing.T) {
	r := newRig(t, rigOptions{})
	for _, u := range []string{"", strings.Repeat("x", ceremony.MaxUsernameLength+1), "bad\x00name"} {
		res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: u})
		wantOutcome(t, res, "error-1000")
		if len(r.em.Requests()) != 0 {
			t.Fatalf("username %q reached the Cloud", u)
		}
	}
}

func TestCancelWhileWaitingForTouch(t *testing.T) {
	r := newRig(t, rigOptions{key: virtualkey.Options{PresenceTimeout: 20 * time.Second}})
	r.key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r.key.OnEvent(func(e virtualkey.Event) {
		if e.Kind == virtualkey.EventWaitingPresence {
			go cancel()
		}
	})
	start := time.Now()
	res := r.runner.Enroll(ctx, ceremony.EnrollInput{Username: "gina"})
	wantOutcome(t, res, "error-1001")
	if res.DOMException != "AbortError" || res.Cause != result.KeyDesk("cancelled") {
		t.Fatalf("DOMException %q cause %s", res.DOMException, res.Cause)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("cancel took %s", d)
	}
	// The key is usable right after.
	r.key.SetPresence(virtualkey.Presence{})
	r.key.OnEvent(nil)
	wantOutcome(t, r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "gina"}), "success-registration")
}

// TestNoSecretsInLogs captures every log line of full ceremonies, with a
// PIN, and checks that no secret appears.
func TestNoSecretsInLogs(t *testing.T) {
	r := newRig(t, rigOptions{})
	ctx := ctxT(t)
	const pin = "s3cret-PIN-91"
	if err := r.dev.SetPIN(ctx, pin); err != nil {
		t.Fatal(err)
	}
	r.prompter.SetPINs(pin, pin, pin)
	var secrets []string
	enr := r.runner.Enroll(ctx, ceremony.EnrollInput{Username: "hank"})
	wantOutcome(t, enr, "success-registration")
	ap := r.runner.Approve(ctx, ceremony.ApproveInput{Username: "hank"})
	wantOutcome(t, ap, "success-authentication")
	secrets = append(secrets, pin, r.em.AccessKey(), enr.Outcome.Token, ap.Outcome.Token)
	for _, req := range r.em.Requests() {
		secrets = append(secrets, requestSecrets(req.Body)...)
	}
	if len(secrets) < 8 {
		t.Fatalf("found only %d secrets to look for", len(secrets))
	}
	for _, res := range []*ceremony.Result{enr, ap} {
		var cd webauthn.CollectedClientData
		if err := json.Unmarshal(res.Credential.ClientDataJSON(), &cd); err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, cd.Challenge)
	}
	logs := r.logs.String()
	if !strings.Contains(logs, "introspect token") {
		t.Fatalf("the log does not show the ceremony: %q", logs)
	}
	timeline, _ := json.Marshal([]any{enr, ap, enr.Outcome.Redacted(), ap.Outcome.Redacted()})
	for _, s := range secrets {
		if len(s) < 6 {
			t.Fatalf("secret %q too short to search for", s)
		}
		if strings.Contains(logs, s) {
			t.Errorf("log contains a secret %.6s…", s)
		}
		if strings.Contains(string(timeline), s) {
			t.Errorf("result JSON contains a secret %.6s…", s)
		}
	}
}

// requestSecrets pulls the status and transaction tokens out of a recorded
// request body (JSON, or the introspection form).
func requestSecrets(body []byte) []string {
	var m map[string]any
	if json.Unmarshal(body, &m) == nil {
		var out []string
		for _, k := range []string{"statusToken", "token"} {
			if v, ok := m[k].(string); ok && v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	if v, err := url.ParseQuery(string(body)); err == nil && v.Get("token") != "" {
		return []string{v.Get("token")}
	}
	return nil
}
