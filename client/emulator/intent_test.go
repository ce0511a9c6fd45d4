package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/internal/testauthn"
)

// rawCall sends one request over loopback with bearer (none when empty)
// and returns the status and body.
func rawCall(t *testing.T, srv *emulator.Server, method, path, bearer, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		ct := "application/json"
		if strings.HasPrefix(body, "token=") {
			ct = "application/x-www-form-urlencoded"
		}
		req.Header.Set("Content-Type", ct)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// issueIntent asks the intent endpoint with the access key.
func issueIntent(t *testing.T, srv *emulator.Server, body string) string {
	t.Helper()
	code, out := rawCall(t, srv, http.MethodPost, "/api/v1/intent", srv.AccessKey(), body)
	if code != http.StatusOK {
		t.Fatalf("intent %s: HTTP %d %s", body, code, out)
	}
	var ans struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal([]byte(out), &ans); err != nil || ans.Token == "" {
		t.Fatalf("intent answer %q: %v", out, err)
	}
	return ans.Token
}

const (
	enrollAlice = `{"username":"alice","channel":"fido2","displayName":"Alice"}`
	enrollBob   = `{"username":"bob","channel":"fido2","displayName":"Bob"}`
)

// TestIntentEndpointRequests checks POST /api/v1/intent as the intent
// endpoint page documents it: the access key as bearer, username or
// userId, operation enroll|approve, an answer {"token"}.
func TestIntentEndpointRequests(t *testing.T) {
	srv, _ := start(t, emulator.Config{})
	tok := issueIntent(t, srv, `{"username":"alice","operation":"enroll"}`)
	for _, tc := range []struct {
		name, bearer, body string
		want               int
	}{
		{"no access key", "", `{"username":"alice","operation":"enroll"}`, http.StatusUnauthorized},
		{"wrong access key", "not-the-key", `{"username":"alice","operation":"enroll"}`, http.StatusUnauthorized},
		{"an intent token issues no intent token", tok, `{"username":"alice","operation":"enroll"}`, http.StatusForbidden},
		{"unknown operation", srv.AccessKey(), `{"username":"alice","operation":"delete"}`, http.StatusBadRequest},
		{"no user", srv.AccessKey(), `{"operation":"enroll"}`, http.StatusBadRequest},
		{"unknown channel", srv.AccessKey(), `{"username":"alice","operation":"enroll","channels":["fax"]}`, http.StatusBadRequest},
		{"approve for a user who does not exist", srv.AccessKey(), `{"username":"nobody","operation":"approve"}`, http.StatusNotFound},
		{"unknown userId", srv.AccessKey(), `{"userId":"00000000-0000-0000-0000-000000000000","operation":"enroll"}`, http.StatusNotFound},
		{"documented channels", srv.AccessKey(), `{"username":"alice","operation":"approve","channels":["push","sms"]}`, http.StatusNotFound},
		{"enroll for a new user", srv.AccessKey(), `{"username":"carol","operation":"enroll"}`, http.StatusOK},
	} {
		if code, body := rawCall(t, srv, http.MethodPost, "/api/v1/intent", tc.bearer, tc.body); code != tc.want {
			t.Errorf("%s: HTTP %d %s, want %d", tc.name, code, body, tc.want)
		}
	}
}

// TestIntentTokenAsBearer checks where an intent token stands in for the
// access key: the enroll call of its user (operation enroll, channel
// fido2) and the approval of its user (operation approve), once; and
// nowhere else.
func TestIntentTokenAsBearer(t *testing.T) {
	srv, c := start(t, emulator.Config{RecordRequests: true})
	key := testauthn.New(testauthn.FormatNone)
	dave := mustEnroll(t, c, key, "dave")

	aliceEnroll := issueIntent(t, srv, `{"username":"alice","operation":"enroll"}`)
	bobEnroll := issueIntent(t, srv, `{"username":"bob","operation":"enroll"}`)
	daveApprove := issueIntent(t, srv, `{"username":"dave","operation":"approve"}`)
	daveApprove2 := issueIntent(t, srv, `{"userId":"`+dave.Enroll.UserID+`","operation":"approve"}`)
	daveEnroll := issueIntent(t, srv, `{"username":"dave","operation":"enroll"}`)
	pushOnly := issueIntent(t, srv, `{"username":"erin","operation":"enroll","channels":["push"]}`)
	uid := dave.Enroll.UserID

	steps := []struct {
		name, method, path, bearer, body string
		want                             int
	}{
		// Bound to the user: bob's token enrolls nobody but bob, and the
		// refusal does not spend it.
		{"bob's token for alice", "POST", "/api/v1/users/enroll", bobEnroll, enrollAlice, http.StatusForbidden},
		{"bob's token for bob", "POST", "/api/v1/users/enroll", bobEnroll, enrollBob, http.StatusOK},
		{"bob's token again", "POST", "/api/v1/users/enroll", bobEnroll, enrollBob, http.StatusUnauthorized},
		// Bound to the operation.
		{"approve token on enroll", "POST", "/api/v1/users/enroll", daveApprove, `{"username":"dave","channel":"fido2","displayName":"Dave"}`, http.StatusForbidden},
		{"enroll token on approval", "POST", "/api/v1/approval", daveEnroll, `{"username":"dave","channel":"fido2"}`, http.StatusForbidden},
		// Restricted to channels without fido2.
		{"push-only token", "POST", "/api/v1/users/enroll", pushOnly, `{"username":"erin","channel":"fido2","displayName":"Erin"}`, http.StatusForbidden},
		// Refused everywhere else.
		{"users lookup", "GET", "/api/v1/users?username=dave", aliceEnroll, "", http.StatusForbidden},
		{"user read", "GET", "/api/v1/users/" + uid, aliceEnroll, "", http.StatusForbidden},
		{"user delete", "DELETE", "/api/v1/users/" + uid, aliceEnroll, "", http.StatusForbidden},
		{"authenticator delete", "DELETE", "/api/v1/authenticators/x", aliceEnroll, "", http.StatusForbidden},
		{"log export", "GET", "/api/v1/logs/export", aliceEnroll, "", http.StatusForbidden},
		{"intent", "POST", "/api/v1/intent", aliceEnroll, `{"username":"alice","operation":"enroll"}`, http.StatusForbidden},
		{"introspect", "POST", "/api/v1/introspect", aliceEnroll, "token=x", http.StatusForbidden},
		{"status with the token as bearer", "POST", "/api/v1/status", aliceEnroll, `{"statusToken":"x"}`, http.StatusForbidden},
		// None of those spent alice's token.
		{"alice's token for alice", "POST", "/api/v1/users/enroll", aliceEnroll, enrollAlice, http.StatusOK},
		// The approve tokens, by username and by userId.
		{"approve token for another user", "POST", "/api/v1/approval", daveApprove, `{"username":"bob","channel":"fido2"}`, http.StatusForbidden},
		{"approve token usernameless", "POST", "/api/v1/approval", daveApprove, `{"channel":"fido2"}`, http.StatusForbidden},
		{"approve token for dave", "POST", "/api/v1/approval", daveApprove, `{"username":"dave","channel":"fido2"}`, http.StatusOK},
		{"approve token again", "POST", "/api/v1/approval", daveApprove, `{"username":"dave","channel":"fido2"}`, http.StatusUnauthorized},
		{"approve token by userId", "POST", "/api/v1/approval", daveApprove2, `{"userId":"` + uid + `","channel":"fido2"}`, http.StatusOK},
		{"an unknown bearer", "POST", "/api/v1/users/enroll", "eyJ.not.issued", enrollAlice, http.StatusUnauthorized},
	}
	for _, st := range steps {
		if code, body := rawCall(t, srv, st.method, st.path, st.bearer, st.body); code != st.want {
			t.Errorf("%s: HTTP %d %s, want %d", st.name, code, body, st.want)
		}
	}
	// The test hook records which bearer each call carried.
	var sawIntent bool
	for _, r := range srv.Requests() {
		if r.BearerIntent {
			sawIntent = true
			if r.BearerValid {
				t.Errorf("%s %s: an intent token recorded as the access key", r.Method, r.Path)
			}
		}
	}
	if !sawIntent {
		t.Error("no request recorded with an intent token as bearer")
	}

	// The audit log records issue, redemption and refusal, never a token.
	code, csv := rawCall(t, srv, http.MethodGet, "/api/v1/logs/export", srv.AccessKey(), "")
	if code != http.StatusOK {
		t.Fatalf("log export: HTTP %d", code)
	}
	for _, ev := range []string{"intent.issued", "intent.redeemed", "intent.refused"} {
		if !strings.Contains(csv, ev) {
			t.Errorf("audit log lacks %s:\n%s", ev, csv)
		}
	}
	for _, tok := range []string{aliceEnroll, bobEnroll, daveApprove, daveEnroll} {
		if strings.Contains(csv, tok) {
			t.Error("audit log holds an intent token")
		}
	}
}

// TestIntentTokenExpires checks that an intent token past its lifetime is
// refused (401) even unused.
func TestIntentTokenExpires(t *testing.T) {
	srv, _ := start(t, emulator.Config{IntentTTL: 50 * time.Millisecond})
	tok := issueIntent(t, srv, `{"username":"alice","operation":"enroll"}`)
	time.Sleep(80 * time.Millisecond)
	if code, body := rawCall(t, srv, http.MethodPost, "/api/v1/users/enroll", tok, enrollAlice); code != http.StatusUnauthorized || !strings.Contains(body, "expired") {
		t.Errorf("expired token: HTTP %d %s, want 401 expired", code, body)
	}
}

// TestIntentRefusedForFIDO2 plays an instance that does not accept intent
// tokens for fido2 (the docs do not name the channel).
func TestIntentRefusedForFIDO2(t *testing.T) {
	srv, _ := start(t, emulator.Config{RefuseIntentForFIDO2: true})
	tok := issueIntent(t, srv, `{"username":"alice","operation":"enroll"}`)
	if code, _ := rawCall(t, srv, http.MethodPost, "/api/v1/users/enroll", tok, enrollAlice); code != http.StatusForbidden {
		t.Errorf("HTTP %d, want 403", code)
	}
}

// TestIntentTokensSurviveRestart: a demo pass issued in one run of the
// emulator (state file) redeems in the next, once.
func TestIntentTokensSurviveRestart(t *testing.T) {
	state := t.TempDir() + "/state.json"
	ctx := context.Background()
	first, err := emulator.Start(ctx, emulator.Config{StateFile: state, AccessKey: "k-1"})
	if err != nil {
		t.Fatal(err)
	}
	tok := issueIntent(t, first, `{"username":"alice","operation":"enroll"}`)
	first.Close()
	b, _ := os.ReadFile(state)
	if bytes.Contains(b, []byte(tok)) {
		t.Fatal("the state file holds the intent token")
	}
	second, err := emulator.Start(ctx, emulator.Config{StateFile: state, AccessKey: "k-2"})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if code, body := rawCall(t, second, http.MethodPost, "/api/v1/users/enroll", tok, enrollAlice); code != http.StatusOK {
		t.Fatalf("after restart: HTTP %d %s", code, body)
	}
	second.Close()
	third, err := emulator.Start(ctx, emulator.Config{StateFile: state, AccessKey: "k-3"})
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if code, _ := rawCall(t, third, http.MethodPost, "/api/v1/users/enroll", tok, enrollAlice); code != http.StatusUnauthorized {
		t.Errorf("spent token after restart: HTTP %d, want 401", code)
	}
}
