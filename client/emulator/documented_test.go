package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/internal/testauthn"
)

// docExample reads testdata/docs/name (sources in testdata/docs/README.md)
// with its $variables replaced.
func docExample(t *testing.T, name string, vars map[string]string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "docs", name))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for k, v := range vars {
		s = strings.ReplaceAll(s, "$"+k, v)
	}
	return s
}

// call sends body to path (bearer: with the access key) and returns the
// status and body.
func call(t *testing.T, srv *emulator.Server, path, body string, bearer bool) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json;charset=utf-8")
	if bearer {
		req.Header.Set("Authorization", "Bearer "+srv.AccessKey())
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// sameMembers fails unless got has every member want has, recursively
// through objects.
func sameMembers(t *testing.T, where string, want, got map[string]any) {
	t.Helper()
	for k, wv := range want {
		gv, ok := got[k]
		if !ok {
			t.Errorf("%s: member %q missing", where, k)
			continue
		}
		if wm, ok := wv.(map[string]any); ok && !optionalMembers[k] {
			gm, ok := gv.(map[string]any)
			if !ok {
				t.Errorf("%s.%s: not an object: %v", where, k, gv)
				continue
			}
			sameMembers(t, where+"."+k, wm, gm)
		}
	}
}

// optionalMembers are objects whose members depend on the request (the
// docs' example was made with fido2Options the example request does not
// show): WebAuthn §5.4.4 makes every member of authenticatorSelection
// optional.
var optionalMembers = map[string]bool{"authenticatorSelection": true}

// documentedSelection fails unless the emulator's creation options, for
// the docs' request (no fido2Options), ask what the docs' answer asks: a
// discoverable credential (requireResidentKey true, and residentKey
// "required", its WebAuthn Level 2 spelling, §5.4.4), userVerification
// and attestation as documented. authenticatorAttachment "platform" is
// left out: KeyDesk enrolls roaming security keys.
func documentedSelection(t *testing.T, want, got map[string]any) {
	t.Helper()
	opts := func(m map[string]any) map[string]any {
		enr, _ := m["enrollment"].(map[string]any)
		o, _ := enr["credentialCreationOptions"].(map[string]any)
		return o
	}
	wo, gotOpts := opts(want), opts(got)
	ws, _ := wo["authenticatorSelection"].(map[string]any)
	gs, _ := gotOpts["authenticatorSelection"].(map[string]any)
	for _, k := range []string{"requireResidentKey", "userVerification"} {
		if gs[k] != ws[k] {
			t.Errorf("authenticatorSelection.%s: %v, the docs' example %v", k, gs[k], ws[k])
		}
	}
	if gs["residentKey"] != "required" {
		t.Errorf("authenticatorSelection.residentKey: %v, want required (requireResidentKey true)", gs["residentKey"])
	}
	if gotOpts["attestation"] != wo["attestation"] {
		t.Errorf("attestation: %v, the docs' example %v", gotOpts["attestation"], wo["attestation"])
	}
}

// TestDocumentedExamples sends the documentation's own example requests
// to the emulator and checks its answers against the documented ones.
func TestDocumentedExamples(t *testing.T) {
	srv, c := start(t, emulator.Config{RPName: "Example Customer Portal"})

	// register-the-device: the docs' request, the docs' answer's members.
	st, raw := call(t, srv, "/api/v1/users/enroll", docExample(t, "register-the-device.request.json", nil), true)
	if st != 200 {
		t.Fatalf("documented enroll request: %d %s", st, raw) // an error body: no token in it
	}
	var want, got map[string]any
	if err := json.Unmarshal([]byte(docExample(t, "register-the-device.response.json", nil)), &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	sameMembers(t, "enroll answer", want, got)
	documentedSelection(t, want, got)
	var enr struct {
		Enrollment struct {
			StatusToken string `json:"statusToken"`
		} `json:"enrollment"`
	}
	json.Unmarshal(raw, &enr)

	// registration-ref: documented optional members (message, phone) and
	// members the emulator does not know are accepted.
	if st, raw := call(t, srv, "/api/v1/users/enroll", docExample(t, "registration-ref.optional-members.request.json", nil), true); st != 200 {
		t.Errorf("enroll with optional and unknown members: %d %s", st, raw)
	}

	// status-ref: the documented example sends no Authorization header.
	st, raw = call(t, srv, "/api/v1/status", docExample(t, "status-ref.request.json", map[string]string{"statusToken": enr.Enrollment.StatusToken}), false)
	if st != 200 || !strings.Contains(string(raw), `"status":"pending"`) {
		t.Errorf("status without Authorization: %d %s", st, raw)
	}
	// … but a wrong key is still refused.
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/api/v1/status", strings.NewReader(`{"statusToken":"x"}`))
	req.Header.Set("Authorization", "Bearer wrong")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Errorf("status with a wrong key: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	// Android sample: the same endpoints with a trailing slash.
	for _, line := range strings.Split(strings.TrimSpace(docExample(t, "android-paths.txt", nil)), "\n") {
		path := "/" + strings.TrimPrefix(line, "POST ")
		body, bearer := `{"username":"u_slash","channel":"fido2","displayName":"S"}`, true
		switch {
		case strings.Contains(path, "approval"):
			body = `{"channel":"fido2"}`
		case strings.HasPrefix(path, "/_app/"):
			body, bearer = `{"id":"AA","type":"public-key","statusToken":"bad"}`, false
		}
		if st, raw := call(t, srv, path, body, bearer); st != 200 {
			t.Errorf("POST %s: %d %s", path, st, raw)
		}
	}

	// assertion-ref: userHandle "cannot be null or empty"; the failure is
	// a 2xx answer with errorMessage, as the samples read it.
	key := testauthn.New(testauthn.FormatNone)
	mustEnroll(t, c, key, "alice")
	ap, err := c.Approve(context.Background(), cloud.ApprovalRequest{Username: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	json.Unmarshal([]byte(docExample(t, "assertion-ref.request.json", map[string]string{
		"id": "AAAA", "authenticatorData": "AAAA", "clientDataJSON": "AAAA", "signature": "AAAA", "userHandle": "",
	})), &body)
	body["statusToken"] = ap.StatusToken.Reveal() // the docs' body has none; the samples send it
	b, _ := json.Marshal(body)
	st, raw = call(t, srv, "/_app/assertion/result", string(b), false)
	if st != 200 || !strings.Contains(string(raw), `"status":"failed"`) || !strings.Contains(string(raw), "userHandle") {
		t.Errorf("assertion without userHandle: %d %s", st, raw)
	}
}

// TestAuthenticatorLimit: "A user can register up to 10 authenticators"
// (docs: operator-faq); the 11th enrollment is refused before a key is
// asked for a credential.
func TestAuthenticatorLimit(t *testing.T) {
	_, c := start(t, emulator.Config{})
	for range emulator.MaxAuthenticatorsPerUser {
		mustEnroll(t, c, testauthn.New(testauthn.FormatNone), "many")
	}
	_, err := c.Enroll(context.Background(), cloud.EnrollRequest{Username: "many", DisplayName: "M"})
	var apiErr *cloud.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatus != 400 || !strings.Contains(apiErr.Body.Message, "maximum") {
		t.Fatalf("11th enrollment: %v", err)
	}
}

// TestApprovalGoesToLastRegistered: without authenticatorId an approval
// allows only the last registered device (docs: approval-ref), not every
// key of the user; with it, that one.
func TestApprovalGoesToLastRegistered(t *testing.T) {
	_, c := start(t, emulator.Config{})
	first, second := testauthn.New(testauthn.FormatNone), testauthn.New(testauthn.FormatNone)
	en := mustEnroll(t, c, first, "alice")
	mustEnroll(t, c, second, "alice")
	ap, err := c.Approve(context.Background(), cloud.ApprovalRequest{Username: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ap.CredentialRequestOptions.AllowCredentials); n != 1 {
		t.Fatalf("approval without authenticatorId allows %d credentials, want 1 (the last registered)", n)
	}
	mustApprove(t, c, second, cloud.ApprovalRequest{Username: "alice"})
	u, err := c.User(context.Background(), en.Enroll.UserID)
	if err != nil || len(u.Authenticators) != 2 {
		t.Fatalf("user %+v, %v", u, err)
	}
	mustApprove(t, c, first, cloud.ApprovalRequest{Username: "alice", AuthenticatorID: u.Authenticators[0].AuthenticatorID})
}

// TestRPStyle: the docs name the relying party "relyingParty", the
// samples "rp"; the emulator speaks either, and KeyDesk's client reads both.
func TestRPStyle(t *testing.T) {
	srv, c := start(t, emulator.Config{RPStyle: emulator.RPStyleRP, RPName: "Portal"})
	raw := postRaw(t, srv, "/api/v1/users/enroll", `{"username":"u","channel":"fido2","displayName":"U"}`, true)
	if !strings.Contains(string(raw), `"rp":{"id":"","name":"Portal"}`) || strings.Contains(string(raw), "relyingParty") {
		// The answer holds a status token: not printed.
		t.Errorf("rp style answer has no \"rp\" member, or still \"relyingParty\"")
	}
	mustEnroll(t, c, testauthn.New(testauthn.FormatNone), "rpstyle")
	if _, err := emulator.Start(context.Background(), emulator.Config{RPStyle: "relying_party"}); err == nil {
		t.Error("an unknown rp style was accepted")
	}
}

// TestUnknownMembers: tolerated by default, refused with
// RejectUnknownMembers.
func TestUnknownMembers(t *testing.T) {
	const typo = `{"username":"a","channel":"fido2","usrname":"typo"}`
	srv, _ := start(t, emulator.Config{})
	if st, raw := call(t, srv, "/api/v1/users/enroll", typo, true); st != 200 {
		t.Errorf("default: %d %s", st, raw)
	}
	strict, _ := start(t, emulator.Config{RejectUnknownMembers: true})
	if st, raw := call(t, strict, "/api/v1/users/enroll", typo, true); st != 400 {
		t.Errorf("RejectUnknownMembers: %d %s", st, raw)
	}
}

// TestOlderStateFileKinds: a state file written before the documented
// kinds (type "fido2", authenticatorType "cross-platform") is read with
// the documented ones (docs: users-endpoint-ref).
func TestOlderStateFileKinds(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	old := `{"version":1,"users":[{"userId":"u-1","username":"old","status":"active","createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z",
	"authenticators":[{"authenticatorId":"a-1","name":"Key","type":"fido2","authenticatorType":"cross-platform","state":"ACTIVE","enrolledAt":"2025-01-01T00:00:00Z","credential":{"id":"AQID"}}]}]}`
	if err := os.WriteFile(state, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	_, c := start(t, emulator.Config{StateFile: state})
	u, err := c.User(context.Background(), "u-1")
	if err != nil || len(u.Authenticators) != 1 {
		t.Fatalf("user %+v, %v", u, err)
	}
	if a := u.Authenticators[0]; a.Type != "" || a.AuthenticatorType != "fido2" {
		t.Errorf("authenticator kinds type %q, authenticatorType %q; want none and fido2", a.Type, a.AuthenticatorType)
	}
}

// TestOriginAsBrowsersSerialiseIt: the emulator verifies clientDataJSON's
// origin and the rpIdHash against the forms a browser produces: the host
// in ASCII (UTS #46) and no default port (WHATWG URL §4.4), whatever
// spelling Config.Origin uses.
func TestOriginAsBrowsersSerialiseIt(t *testing.T) {
	for _, tc := range []struct{ origin, wantOrigin, wantRPID string }{
		{"https://Bücher.example:443", "https://xn--bcher-kva.example", "xn--bcher-kva.example"},
		{"https://login.example.com:8443", "https://login.example.com:8443", "login.example.com"},
		{"http://localhost:80", "http://localhost", "localhost"},
	} {
		srv, c := start(t, emulator.Config{Origin: tc.origin})
		if srv.Origin() != tc.wantOrigin || srv.RPID() != tc.wantRPID {
			t.Errorf("Origin %q: origin %q, RP ID %q; want %q, %q", tc.origin, srv.Origin(), srv.RPID(), tc.wantOrigin, tc.wantRPID)
			continue
		}
		mustEnroll(t, c, testauthn.New(testauthn.FormatNone), "idn")
	}
}

// TestEnrollUserID: userId is a documented member of the enroll request;
// for channel fido2 the username is still required (docs:
// registration-ref), and a userId that names another user than the
// username is refused (the docs are silent; refusing fails safe).
func TestEnrollUserID(t *testing.T) {
	srv, c := start(t, emulator.Config{})
	alice := mustEnroll(t, c, testauthn.New(testauthn.FormatNone), "alice")
	mustEnroll(t, c, testauthn.New(testauthn.FormatNone), "bob")
	id := alice.Enroll.UserID
	for _, tc := range []struct {
		body string
		want int
	}{
		{`{"userId":"` + id + `","username":"alice","channel":"fido2","displayName":"A"}`, 200},
		{`{"userId":"` + id + `","channel":"fido2","displayName":"A"}`, 400},
		{`{"userId":"` + id + `","username":"bob","channel":"fido2","displayName":"B"}`, 400},
		{`{"userId":"00000000-0000-0000-0000-000000000000","username":"carol","channel":"fido2","displayName":"C"}`, 400},
	} {
		if st, raw := call(t, srv, "/api/v1/users/enroll", tc.body, true); st != tc.want {
			t.Errorf("%s: %d, want %d (%.80s)", tc.body, st, tc.want, raw)
		}
	}
}
