package emulator_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/internal/testauthn"
)

// start runs an emulator for the test and a Cloud client pointed at it.
func start(t testing.TB, cfg emulator.Config) (*emulator.Server, *cloud.Client) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := emulator.Start(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); srv.Close() })
	c, err := cloud.New(cloud.Config{
		InstanceURL: srv.URL(), Origin: srv.Origin(), AccessKey: cloud.NewSecret(srv.AccessKey()),
	}, cloud.WithTimeout(10*time.Second), cloud.WithRetries(2, 100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func mustEnroll(t *testing.T, c *cloud.Client, a *testauthn.Authenticator, username string) *testauthn.EnrollResult {
	t.Helper()
	res, err := testauthn.Enroll(context.Background(), c, a, cloud.EnrollRequest{Username: username, DisplayName: "Alice A."}, nil)
	if err != nil {
		t.Fatalf("enroll %s: %v", username, err)
	}
	if res.Attestation.Status != cloud.StatusSucceeded || res.Attestation.Token == "" {
		t.Fatalf("attestation result = %+v", res.Attestation)
	}
	if res.Status.Status != cloud.StatusSucceeded || res.Status.Token != res.Attestation.Token {
		t.Fatalf("status = %+v", res.Status)
	}
	return res
}

func mustApprove(t *testing.T, c *cloud.Client, a *testauthn.Authenticator, req cloud.ApprovalRequest) *testauthn.ApproveResult {
	t.Helper()
	res, err := testauthn.Approve(context.Background(), c, a, req, nil)
	if err != nil {
		t.Fatalf("approve %+v: %v", req, err)
	}
	if res.Assertion.Status != cloud.StatusSucceeded || res.Status.Status != cloud.StatusSucceeded || res.Status.Token == "" {
		t.Fatalf("approve: assertion %+v, status %+v", res.Assertion, res.Status)
	}
	return res
}

func introspect(t *testing.T, c *cloud.Client, tok cloud.Token) *cloud.Introspection {
	t.Helper()
	in, err := c.Introspect(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestEnrollApproveEndToEnd(t *testing.T) {
	srv, c := start(t, emulator.Config{})
	ctx := context.Background()
	key := testauthn.New(testauthn.FormatNone)

	en := mustEnroll(t, c, key, "alice")
	userID := en.Enroll.UserID
	if en.Enroll.Status != "new" || en.Enroll.Username != "alice" {
		t.Errorf("enroll response = %+v", en.Enroll)
	}
	in := introspect(t, c, en.Status.Token)
	if !in.Active || in.Subject != userID || in.ExpiresAt <= in.IssuedAt || in.Username != "alice" {
		t.Errorf("introspection = %+v", in)
	}

	byName := mustApprove(t, c, key, cloud.ApprovalRequest{Username: "alice"})
	if byName.Approval.UserID != userID || len(byName.Approval.CredentialRequestOptions.AllowCredentials) != 1 {
		t.Errorf("approval = %+v", byName.Approval)
	}
	if in := introspect(t, c, byName.Status.Token); !in.Active || in.Subject != userID {
		t.Errorf("approve introspection = %+v", in)
	}
	mustApprove(t, c, key, cloud.ApprovalRequest{UserID: userID})
	discoverable := mustApprove(t, c, key, cloud.ApprovalRequest{})
	if n := len(discoverable.Approval.CredentialRequestOptions.AllowCredentials); n != 0 || discoverable.Approval.UserID != "" {
		t.Errorf("usernameless approval has %d allowCredentials, user %q", n, discoverable.Approval.UserID)
	}
	if discoverable.Status.UserID != userID {
		t.Errorf("usernameless status user = %q, want %q", discoverable.Status.UserID, userID)
	}
	if in := introspect(t, c, discoverable.Status.Token); !in.Active || in.Subject != userID {
		t.Errorf("usernameless introspection = %+v", in)
	}

	u, err := c.User(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	if u.Status != "active" || len(u.Authenticators) != 1 {
		t.Fatalf("user = %+v", u)
	}
	a := u.Authenticators[0]
	// docs: users-endpoint-ref — authenticatorType is app or fido2; type is
	// a mobile app authenticator's platform, so a FIDO2 key has none.
	if a.Name != "Test key" || a.Type != "" || a.AuthenticatorType != "fido2" || a.State != "ACTIVE" || a.EnrolledAt == "" || a.AuthenticatorID == "" {
		t.Errorf("authenticator = %+v", a)
	}
	mustApprove(t, c, key, cloud.ApprovalRequest{UserID: userID, AuthenticatorID: a.AuthenticatorID})

	if err := c.DeleteAuthenticator(ctx, a.AuthenticatorID); err != nil {
		t.Fatal(err)
	}
	var apiErr *cloud.APIError
	if err := c.DeleteAuthenticator(ctx, a.AuthenticatorID); !errors.As(err, &apiErr) || apiErr.HTTPStatus != 404 {
		t.Errorf("second delete: %v", err)
	}
	if _, err := c.Approve(ctx, cloud.ApprovalRequest{Username: "alice"}); !errors.As(err, &apiErr) || apiErr.HTTPStatus != 400 || apiErr.Body.Error != "no_authenticator" {
		t.Errorf("approve without keys: %v", err)
	}
	if _, err := c.User(ctx, "no-such-user"); !errors.As(err, &apiErr) || apiErr.HTTPStatus != 404 {
		t.Errorf("unknown user: %v", err)
	}
	if _, err := c.Approve(ctx, cloud.ApprovalRequest{Username: "bob"}); !errors.As(err, &apiErr) || apiErr.HTTPStatus != 404 {
		t.Errorf("approve unknown user: %v", err)
	}
	_ = srv
}

func TestEnrollExcludesExistingKeys(t *testing.T) {
	_, c := start(t, emulator.Config{})
	key := testauthn.New(testauthn.FormatNone)
	mustEnroll(t, c, key, "alice")
	res, err := testauthn.Enroll(context.Background(), c, key, cloud.EnrollRequest{Username: "alice"}, nil)
	if !errors.Is(err, testauthn.ErrExcluded) {
		t.Fatalf("second enroll with the same key: %v", err)
	}
	if n := len(res.Enroll.Enrollment.CredentialCreationOptions.ExcludeCredentials); n != 1 {
		t.Errorf("excludeCredentials has %d entries, want 1", n)
	}
	// Another key for the same user is fine and the user then has two.
	mustEnroll(t, c, testauthn.New(testauthn.FormatNone), "alice")
	u, _ := c.User(context.Background(), res.Enroll.UserID)
	if len(u.Authenticators) != 2 {
		t.Errorf("user has %d authenticators, want 2", len(u.Authenticators))
	}
}

func TestAttestationFormats(t *testing.T) {
	ca, err := testauthn.NewTestCA("KeyDesk test root")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := testauthn.NewTestCA("someone else")
	equipped := func(format string, by *testauthn.TestCA) *testauthn.Authenticator {
		a := testauthn.New(format)
		if err := by.Equip(a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	cases := []struct {
		name    string
		cfg     emulator.Config
		key     *testauthn.Authenticator
		wantErr string
	}{
		{"none", emulator.Config{}, testauthn.New(testauthn.FormatNone), ""},
		{"packed self", emulator.Config{}, testauthn.New(testauthn.FormatPacked), ""},
		{"packed full, no roots configured", emulator.Config{}, equipped(testauthn.FormatPacked, ca), ""},
		{"packed full, trusted root", emulator.Config{AttestationRoots: ca.Pool()}, equipped(testauthn.FormatPacked, ca), ""},
		{"packed full, untrusted root", emulator.Config{AttestationRoots: ca.Pool()}, equipped(testauthn.FormatPacked, other), "not trusted"},
		{"fido-u2f, trusted root", emulator.Config{AttestationRoots: ca.Pool()}, equipped(testauthn.FormatFIDOU2F, ca), ""},
		{"fido-u2f, untrusted root", emulator.Config{AttestationRoots: ca.Pool()}, equipped(testauthn.FormatFIDOU2F, other), "not trusted"},
		{"none when trust required", emulator.Config{AttestationRoots: ca.Pool(), RequireTrustedAttestation: true}, testauthn.New(testauthn.FormatNone), "not trusted"},
		{"packed full when trust required", emulator.Config{AttestationRoots: ca.Pool(), RequireTrustedAttestation: true}, equipped(testauthn.FormatPacked, ca), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, c := start(t, tc.cfg)
			res, err := testauthn.Enroll(context.Background(), c, tc.key, cloud.EnrollRequest{Username: "u"}, nil)
			if tc.wantErr == "" {
				if err != nil || res.Status.Status != cloud.StatusSucceeded {
					t.Fatalf("enroll: %v (%+v)", err, res.Status)
				}
				return
			}
			if msg, ok := rejection(res.Attestation, err); !ok || !strings.Contains(msg, tc.wantErr) {
				t.Fatalf("enroll error = %v, want a failed attestation mentioning %q", err, tc.wantErr)
			}
			st, err := c.Status(context.Background(), res.Enroll.Enrollment.StatusToken)
			if err != nil || st.Status != cloud.StatusFailed || st.Token != "" {
				t.Errorf("status after rejection = %+v, %v", st, err)
			}
		})
	}
}

func TestEnrollRejectsWrongClientData(t *testing.T) {
	_, c := start(t, emulator.Config{Origin: "https://portal.example.com"})
	cases := map[string]func(*testauthn.CreateArgs){
		"wrong origin":    func(a *testauthn.CreateArgs) { a.Origin = "https://evil.example.com" },
		"wrong challenge": func(a *testauthn.CreateArgs) { a.Challenge = base64.RawURLEncoding.EncodeToString(make([]byte, 32)) },
		"wrong RP ID":     func(a *testauthn.CreateArgs) { a.RPID = "evil.example.com" },
	}
	for name, tweak := range cases {
		t.Run(name, func(t *testing.T) {
			res, err := testauthn.Enroll(context.Background(), c, testauthn.New(testauthn.FormatNone), cloud.EnrollRequest{Username: "u-" + name}, tweak)
			if _, ok := rejection(res.Attestation, err); !ok {
				t.Fatalf("got %v, want a failed attestation", err)
			}
			st, _ := c.Status(context.Background(), res.Enroll.Enrollment.StatusToken)
			if st.Status != cloud.StatusFailed {
				t.Errorf("status = %q, want failed", st.Status)
			}
			// The transaction is over: a correct retry with the same token fails too.
			if msg, ok := rejection(c.PostAttestation(context.Background(), cloud.AttestationResult{ID: "AAAA", StatusToken: res.Enroll.Enrollment.StatusToken})); !ok ||
				!strings.Contains(msg, "not pending") {
				t.Errorf("replay: %v", err)
			}
		})
	}
}

func TestApproveRejectsWrongClientData(t *testing.T) {
	_, c := start(t, emulator.Config{Origin: "https://portal.example.com"})
	key := testauthn.New(testauthn.FormatNone)
	mustEnroll(t, c, key, "alice")
	cases := map[string]func(*testauthn.GetArgs){
		"wrong origin":    func(a *testauthn.GetArgs) { a.Origin = "https://portal.example.com.evil.net" },
		"wrong challenge": func(a *testauthn.GetArgs) { a.Challenge = base64.RawURLEncoding.EncodeToString(make([]byte, 32)) },
	}
	for name, tweak := range cases {
		t.Run(name, func(t *testing.T) {
			res, err := testauthn.Approve(context.Background(), c, key, cloud.ApprovalRequest{Username: "alice"}, tweak)
			if _, ok := rejection(res.Assertion, err); !ok {
				t.Fatalf("got %v, want a failed assertion", err)
			}
			st, _ := c.Status(context.Background(), res.Approval.StatusToken)
			if st.Status != cloud.StatusFailed {
				t.Errorf("status = %q, want failed", st.Status)
			}
		})
	}
	// A key the user never enrolled.
	stranger := testauthn.New(testauthn.FormatNone)
	mustEnroll(t, c, stranger, "mallory")
	res, err := testauthn.Approve(context.Background(), c, stranger, cloud.ApprovalRequest{Username: "alice"}, func(a *testauthn.GetArgs) { a.AllowCredentials = nil })
	if _, ok := rejection(res.Assertion, err); !ok {
		t.Fatalf("foreign credential: %v", err)
	}
}

func TestInactiveTokens(t *testing.T) {
	srv, c := start(t, emulator.Config{})
	key := testauthn.New(testauthn.FormatNone)
	en := mustEnroll(t, c, key, "alice")

	srv.SetIntrospectInactive(true)
	if in := introspect(t, c, en.Status.Token); in.Active || in.Subject != "" {
		t.Errorf("introspection while inactive = %+v", in)
	}
	srv.SetIntrospectInactive(false)
	if in := introspect(t, c, en.Status.Token); !in.Active {
		t.Errorf("introspection after reset = %+v", in)
	}
	// A status token is not a transaction token; a forged one is nothing.
	for _, tok := range []cloud.Token{en.Enroll.Enrollment.StatusToken, "eyJhbGciOiJIUzI1NiJ9.e30.AAAA", "garbage"} {
		if in := introspect(t, c, tok); in.Active {
			t.Errorf("introspect(%q…) active", tok.Reveal()[:5])
		}
	}
	// A token signed by another emulator is not active here.
	_, c2 := start(t, emulator.Config{})
	en2 := mustEnroll(t, c2, testauthn.New(testauthn.FormatNone), "bob")
	if in := introspect(t, c, en2.Status.Token); in.Active {
		t.Error("foreign emulator's token is active")
	}
}

func TestExpiredTransaction(t *testing.T) {
	_, c := start(t, emulator.Config{Timeout: 300 * time.Millisecond, TokenTTL: time.Second})
	key := testauthn.New(testauthn.FormatNone)
	er, err := c.Enroll(context.Background(), cloud.EnrollRequest{Username: "slow"})
	if err != nil {
		t.Fatal(err)
	}
	if er.Enrollment.CredentialCreationOptions.Timeout != 300 {
		t.Errorf("timeout in options = %d ms, want 300", er.Enrollment.CredentialCreationOptions.Timeout)
	}
	o := er.Enrollment.CredentialCreationOptions
	att, err := key.Create(testauthn.CreateArgs{Origin: c.Origin(), RPID: testauthn.EffectiveRPID(o.RP.ID, c.Origin()), Challenge: o.Challenge, UserID: o.User.ID})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	late, err := c.PostAttestation(context.Background(), cloud.AttestationResult{
		ID: att.ID, Response: cloud.AttestationResponse{AttestationObject: att.AttestationObject, ClientDataJSON: att.ClientDataJSON},
		StatusToken: er.Enrollment.StatusToken,
	})
	if msg, ok := rejection(late, err); !ok || !strings.Contains(msg, "timed out") {
		t.Fatalf("late attestation: %v", err)
	}
	if st, _ := c.Status(context.Background(), er.Enrollment.StatusToken); st.Status != cloud.StatusFailed {
		t.Errorf("status = %q, want failed", st.Status)
	}

	// A transaction token expires too.
	_, c = start(t, emulator.Config{TokenTTL: time.Second})
	en := mustEnroll(t, c, key, "alice")
	time.Sleep(2100 * time.Millisecond) // JWT times have one-second resolution
	if in := introspect(t, c, en.Status.Token); in.Active {
		t.Error("expired transaction token is active")
	}
}

func TestStatusStaysPending(t *testing.T) {
	srv, c := start(t, emulator.Config{})
	srv.SetStatusPending(true)
	res, err := testauthn.Enroll(context.Background(), c, testauthn.New(testauthn.FormatNone), cloud.EnrollRequest{Username: "alice"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Attestation.Status != cloud.StatusSucceeded || res.Status.Status != cloud.StatusPending || res.Status.Token != "" {
		t.Errorf("attestation %+v, status %+v", res.Attestation, res.Status)
	}
	st, err := c.Status(context.Background(), "eyJhbGciOiJIUzI1NiJ9.e30.AAAA")
	if err != nil || st.Status != cloud.StatusUnknown {
		t.Errorf("status of a forged token = %+v, %v", st, err)
	}
}

func TestOptionsShape(t *testing.T) {
	srv, _ := start(t, emulator.Config{RPName: "Example Customer Portal"})
	raw := postRaw(t, srv, "/api/v1/users/enroll", `{"username":"u_1654","channel":"fido2","displayName":"John Doe"}`, true)
	var got struct {
		UserID     string `json:"userId"`
		Status     string `json:"status"`
		Enrollment struct {
			TransactionID             string                     `json:"transactionId"`
			StatusToken               string                     `json:"statusToken"`
			CredentialCreationOptions map[string]json.RawMessage `json:"credentialCreationOptions"`
		} `json:"enrollment"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	o := got.Enrollment.CredentialCreationOptions
	if _, hasRP := o["rp"]; hasRP {
		t.Error("options use rp; Nevis uses relyingParty")
	}
	if s := string(o["relyingParty"]); s != `{"id":"","name":"Example Customer Portal"}` {
		t.Errorf("relyingParty = %s", s)
	}
	wantUser := fmt.Sprintf(`{"id":%q,"displayName":"John Doe","name":%q}`, base64.RawURLEncoding.EncodeToString([]byte(got.UserID)), got.UserID)
	if s := string(o["user"]); s != wantUser {
		t.Errorf("user = %s, want %s", s, wantUser)
	}
	if s := string(o["pubKeyCredParams"]); s != `[{"alg":-7,"type":"public-key"},{"alg":-8,"type":"public-key"},{"alg":-257,"type":"public-key"}]` {
		t.Errorf("pubKeyCredParams = %s", s)
	}
	if s := string(o["attestation"]); s != `"direct"` {
		t.Errorf("attestation = %s", s)
	}
	var challenge string
	json.Unmarshal(o["challenge"], &challenge)
	if b, err := base64.RawURLEncoding.DecodeString(challenge); err != nil || len(b) < 16 {
		t.Errorf("challenge %q is not base64url of 16+ bytes", challenge)
	}
	if got.Status != "new" || got.Enrollment.TransactionID == "" || strings.Count(got.Enrollment.StatusToken, ".") != 2 {
		t.Errorf("enroll answer = %+v", got)
	}

	srv.SetOptionsRPID("evil.example")
	raw = postRaw(t, srv, "/api/v1/users/enroll", `{"username":"u_1654","channel":"fido2"}`, true)
	if !strings.Contains(string(raw), `"relyingParty":{"id":"evil.example"`) {
		t.Errorf("wrong RP ID not sent: %s", raw)
	}
	srv.SetOptionsRPID("")

	srv2, _ := start(t, emulator.Config{Origin: "https://login.example.com:8443", ExplicitRPID: true})
	raw = postRaw(t, srv2, "/api/v1/users/enroll", `{"username":"x","channel":"fido2"}`, true)
	if !strings.Contains(string(raw), `"relyingParty":{"id":"login.example.com"`) {
		t.Errorf("explicit RP ID not sent: %s", raw)
	}
}

func TestWrongRPIDInApprovalOptions(t *testing.T) {
	srv, c := start(t, emulator.Config{})
	key := testauthn.New(testauthn.FormatNone)
	mustEnroll(t, c, key, "alice")
	srv.SetOptionsRPID("evil.example")
	ap, err := c.Approve(context.Background(), cloud.ApprovalRequest{Username: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if ap.CredentialRequestOptions.RPID != "evil.example" {
		t.Errorf("rpId = %q", ap.CredentialRequestOptions.RPID)
	}
}

func postRaw(t *testing.T, srv *emulator.Server, path, body string, bearer bool) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if bearer {
		req.Header.Set("Authorization", "Bearer "+srv.AccessKey())
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("POST %s: %d %s", path, resp.StatusCode, b)
	}
	return b
}

func TestAccessKeyRequired(t *testing.T) {
	srv, _ := start(t, emulator.Config{AccessKey: "the-right-key-0123456789"})
	// Approval stands for the server endpoints whose documented examples
	// send the key; status, whose examples send none, is in
	// TestDocumentedExamples.
	for _, auth := range []string{"", "Bearer wrong", "Basic dXNlcjpwYXNz", "Bearer the-right-key-0123456789x"} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/api/v1/approval", strings.NewReader(`{"channel":"fido2"}`))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Error  string `json:"error"`
			Status int    `json:"status"`
		}
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != 401 || body.Error != "unauthorized" || body.Status != 401 || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("Authorization %q: %d %+v", auth, resp.StatusCode, body)
		}
	}
	// _app endpoints need no key: they answer about the status token instead.
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/_app/attestation/result", strings.NewReader(`{"id":"AA","type":"public-key","statusToken":"bad"}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// An _app failure is 200 with errorMessage, as the samples read it.
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"status":"failed"`) || !strings.Contains(string(b), `"errorMessage":`) {
		t.Errorf("_app with a bad token: %d %s", resp.StatusCode, b)
	}
}

func TestBadRequests(t *testing.T) {
	srv, _ := start(t, emulator.Config{})
	cases := []struct {
		method, path, ctype, body string
		want                      int
	}{
		{"POST", "/api/v1/users/enroll", "application/json", `{"username":`, 400},
		{"POST", "/api/v1/users/enroll", "application/json", `{"username":"a","channel":"sms"}`, 400},
		// Unknown members are tolerated as by the Cloud (documented.go);
		// RejectUnknownMembers is tested in TestUnknownMembers.
		{"POST", "/api/v1/users/enroll", "application/json", `{"username":"a","channel":"fido2","usrname":"typo"}`, 200},
		{"POST", "/api/v1/users/enroll", "application/json", `{"channel":"fido2"}`, 400},
		{"POST", "/api/v1/approval", "application/json", `{"channel":"fido2","fido2Options":{"userVerification":"always"}}`, 400},
		{"POST", "/api/v1/status", "application/json", `{}`, 400},
		{"POST", "/api/v1/introspect", "application/json", `{"token":"x"}`, 400},
		{"POST", "/api/v1/introspect", "application/x-www-form-urlencoded", `nothing=here`, 400},
		{"GET", "/api/v1/users/enroll", "", ``, 404},
		{"PUT", "/api/v1/status", "application/json", `{}`, 405},
		{"GET", "/api/v2/anything", "", ``, 404},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(tc.method, srv.URL()+tc.path, strings.NewReader(tc.body))
		if tc.ctype != "" {
			req.Header.Set("Content-Type", tc.ctype)
		}
		req.Header.Set("Authorization", "Bearer "+srv.AccessKey())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s %s %s: %d, want %d", tc.method, tc.path, tc.body, resp.StatusCode, tc.want)
		}
	}
}

func TestPersistenceAcrossRuns(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sub", "state.json")
	key := testauthn.New(testauthn.FormatPacked)

	srv1, c1 := start(t, emulator.Config{StateFile: state})
	en := mustEnroll(t, c1, key, "alice")
	mustApprove(t, c1, key, cloud.ApprovalRequest{Username: "alice"})
	if err := srv1.Close(); err != nil {
		t.Fatal(err)
	}

	_, c2 := start(t, emulator.Config{StateFile: state})
	mustApprove(t, c2, key, cloud.ApprovalRequest{Username: "alice"})
	mustApprove(t, c2, key, cloud.ApprovalRequest{})
	u, err := c2.User(context.Background(), en.Enroll.UserID)
	if err != nil || len(u.Authenticators) != 1 {
		t.Fatalf("user after restart = %+v, %v", u, err)
	}
	// Tokens of the first run are not honoured by the second.
	if in := introspect(t, c2, en.Status.Token); in.Active {
		t.Error("token from a previous run is active")
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0", "192.0.2.1:0", "example.com:0"} {
		if srv, err := emulator.Start(context.Background(), emulator.Config{Addr: addr}); err == nil {
			srv.Close()
			t.Errorf("Start(%q) succeeded", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "127.0.0.2:0"} {
		srv, err := emulator.Start(context.Background(), emulator.Config{Addr: addr})
		if err != nil {
			t.Errorf("Start(%q): %v", addr, err)
			continue
		}
		srv.Close()
	}
}

func TestStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := emulator.Start(ctx, emulator.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := http.Get(srv.URL() + "/"); err != nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("emulator still serving after its context ended")
}

func TestConfigPrintsNoAccessKey(t *testing.T) {
	cfg := emulator.Config{AccessKey: "planted-emulator-key-42"}
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		if s := fmt.Sprintf(f, cfg); strings.Contains(s, "planted") {
			t.Errorf("%s prints the key: %s", f, s)
		}
	}
}

// rejection reports whether an _app result post was refused, and the
// Cloud's errorMessage: from a 2xx answer with status failed (as the
// emulator answers, documented.go), or from an error that carries it.
func rejection(app *cloud.AppResult, err error) (string, bool) {
	var apiErr *cloud.APIError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.Body.ErrorMessage, apiErr.Body.ErrorMessage != ""
	case err == nil && app != nil && app.Status != cloud.StatusSucceeded:
		return app.ErrorMessage, true
	}
	return "", false
}
