package emulator_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/internal/testauthn"
)

// auditEnv is one emulator for one failure path, with what the path used
// that must never reach the audit log.
type auditEnv struct {
	t       *testing.T
	srv     *emulator.Server
	c       *cloud.Client
	key     *testauthn.Authenticator
	secrets []string
	userID  string // the user the path names, when it names one
}

// do sends one request over loopback; auth is the Authorization header
// ("" for none, "key" for the emulator's access key).
func (e *auditEnv) do(method, path, ctype, auth, body string) (int, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL()+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	switch auth {
	case "":
	case "key":
		req.Header.Set("Authorization", "Bearer "+e.srv.AccessKey())
	default:
		req.Header.Set("Authorization", auth)
		e.secrets = append(e.secrets, strings.TrimPrefix(auth, "Bearer "))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (e *auditEnv) postJSON(path, auth string, body any) (int, string) {
	e.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.do(http.MethodPost, path, "application/json", auth, string(b))
}

// enrolled enrolls username with the env's key and keeps its tokens and
// challenge as secrets.
func (e *auditEnv) enrolled(username string) *testauthn.EnrollResult {
	e.t.Helper()
	res := mustEnroll(e.t, e.c, e.key, username)
	e.userID = res.Enroll.UserID
	e.secrets = append(e.secrets, res.Enroll.Enrollment.StatusToken.Reveal(), res.Status.Token.Reveal(),
		res.Enroll.Enrollment.CredentialCreationOptions.Challenge)
	return res
}

// pendingEnroll starts an enrollment for username and makes the key's
// attestation for it without posting it.
func (e *auditEnv) pendingEnroll(username string) (*cloud.EnrollResponse, cloud.AttestationResult) {
	e.t.Helper()
	er, err := e.c.Enroll(context.Background(), cloud.EnrollRequest{Username: username, DisplayName: username})
	if err != nil {
		e.t.Fatal(err)
	}
	e.userID = er.UserID
	o := er.Enrollment.CredentialCreationOptions
	e.secrets = append(e.secrets, er.Enrollment.StatusToken.Reveal(), o.Challenge)
	att, err := e.key.Create(testauthn.CreateArgs{Origin: e.c.Origin(), RPID: testauthn.EffectiveRPID(o.RP.ID, e.c.Origin()),
		Challenge: o.Challenge, UserID: o.User.ID, UserVerified: true})
	if err != nil {
		e.t.Fatal(err)
	}
	return er, cloud.AttestationResult{ID: att.ID, Type: "public-key",
		Response:    cloud.AttestationResponse{AttestationObject: att.AttestationObject, ClientDataJSON: att.ClientDataJSON},
		StatusToken: er.Enrollment.StatusToken, UserFriendlyName: "Key"}
}

// pendingApprove starts an approval for username and makes the key's
// assertion for it without posting it.
func (e *auditEnv) pendingApprove(username string) (*cloud.ApprovalResponse, cloud.AssertionResult) {
	e.t.Helper()
	ap, err := e.c.Approve(context.Background(), cloud.ApprovalRequest{Username: username})
	if err != nil {
		e.t.Fatal(err)
	}
	o := ap.CredentialRequestOptions
	e.secrets = append(e.secrets, ap.StatusToken.Reveal(), o.Challenge)
	args := testauthn.GetArgs{Origin: e.c.Origin(), RPID: testauthn.EffectiveRPID(o.RPID, e.c.Origin()), Challenge: o.Challenge, UserVerified: true}
	for _, d := range o.AllowCredentials {
		args.AllowCredentials = append(args.AllowCredentials, d.ID)
	}
	as, err := e.key.Get(args)
	if err != nil {
		e.t.Fatal(err)
	}
	return ap, cloud.AssertionResult{ID: as.ID, Type: "public-key",
		Response: cloud.AssertionResponse{AuthenticatorData: as.AuthenticatorData, ClientDataJSON: as.ClientDataJSON,
			Signature: as.Signature, UserHandle: as.UserHandle},
		StatusToken: ap.StatusToken}
}

func (e *auditEnv) authenticatorID() string {
	e.t.Helper()
	u, err := e.c.User(context.Background(), e.userID)
	if err != nil || len(u.Authenticators) == 0 {
		e.t.Fatalf("user %+v %v", u, err)
	}
	return u.Authenticators[0].AuthenticatorID
}

// export reads the whole audit log as rows keyed by column name, and the
// raw CSV.
func (e *auditEnv) export() ([]map[string]string, string) {
	e.t.Helper()
	code, body := e.do(http.MethodGet, "/api/v1/logs/export?timespan=P1D", "", "key", "")
	if code != http.StatusOK {
		e.t.Fatalf("export: HTTP %d %s", code, body)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(recs) == 0 {
		e.t.Fatalf("export CSV: %v\n%s", err, body)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, col := range recs[0] {
			row[col] = r[i]
		}
		rows = append(rows, row)
	}
	return rows, body
}

// TestEveryFailureIsAudited drives each failure path of each emulated
// endpoint over loopback and finds its failed event in the log export:
// the event of the operation (docs.nevis.net/authcloud/logs: a
// registration's and an authentication's events are logged separately,
// each succeeded or failed; the target user, when known), and never a
// status token, transaction token, challenge or access key in any row.
// Before the fix only a rejected attestation or assertion was logged.
func TestEveryFailureIsAudited(t *testing.T) {
	const wrongKey = "Bearer wrong-access-key-0123456789"
	cases := []struct {
		name     string
		cfg      emulator.Config
		run      func(e *auditEnv)
		event    string
		category string
		withUser bool // the event names the path's user
	}{
		// POST /api/v1/users/enroll
		{name: "enroll malformed", event: "registration.created", category: "registration",
			run: func(e *auditEnv) { e.do("POST", "/api/v1/users/enroll", "application/json", "key", `{"username":`) }},
		{name: "enroll wrong channel", event: "registration.created", category: "registration",
			run: func(e *auditEnv) {
				e.postJSON("/api/v1/users/enroll", "key", map[string]any{"username": "ann", "channel": "sms"})
			}},
		{name: "enroll without access key", event: "registration.created", category: "registration",
			run: func(e *auditEnv) {
				e.postJSON("/api/v1/users/enroll", wrongKey, map[string]any{"username": "ann", "channel": "fido2"})
			}},
		{name: "enroll userId mismatch", event: "registration.created", category: "registration", withUser: true,
			run: func(e *auditEnv) {
				e.enrolled("ann")
				e.postJSON("/api/v1/users/enroll", "key", map[string]any{"username": "ann", "userId": "00000000-0000-0000-0000-000000000001", "channel": "fido2", "displayName": "Ann"})
			}},
		{name: "enroll 11th authenticator", event: "registration.created", category: "registration", withUser: true,
			run: func(e *auditEnv) {
				for range emulator.MaxAuthenticatorsPerUser {
					e.key = testauthn.New(testauthn.FormatNone) // a new key each time: the enrolled ones are excluded
					e.enrolled("ann")
				}
				e.postJSON("/api/v1/users/enroll", "key", map[string]any{"username": "ann", "channel": "fido2", "displayName": "Ann"})
			}},
		{name: "enroll body too large", event: "registration.created", category: "registration",
			run: func(e *auditEnv) {
				e.do("POST", "/api/v1/users/enroll", "application/json", "key", `{"username":"`+strings.Repeat("a", 2<<20)+`"}`)
			}},
		{name: "enroll fault 503", event: "registration.created", category: "registration",
			run: func(e *auditEnv) {
				e.srv.FailNext(emulator.EndpointEnroll, emulator.CloudError(503, "unavailable", "try later"))
				e.postJSON("/api/v1/users/enroll", "key", map[string]any{"username": "ann", "channel": "fido2"})
			}},
		// POST /_app/attestation/result
		{name: "attestation malformed", event: "registration", category: "registration",
			run: func(e *auditEnv) { e.do("POST", "/_app/attestation/result", "application/json", "", `{"id":`) }},
		{name: "attestation unknown status token", event: "registration", category: "registration",
			run: func(e *auditEnv) {
				e.secrets = append(e.secrets, "eyJhbGciOiJIUzI1NiJ9.e30.AAAA")
				e.postJSON("/_app/attestation/result", "", map[string]any{"id": "AA", "type": "public-key", "statusToken": "eyJhbGciOiJIUzI1NiJ9.e30.AAAA"})
			}},
		{name: "attestation rejected", event: "registration", category: "registration", withUser: true,
			run: func(e *auditEnv) {
				_, att := e.pendingEnroll("ann")
				att.Response.ClientDataJSON = att.Response.AttestationObject
				e.postJSON("/_app/attestation/result", "", att)
			}},
		{name: "attestation replayed", event: "registration", category: "registration", withUser: true,
			run: func(e *auditEnv) {
				_, att := e.pendingEnroll("ann")
				e.postJSON("/_app/attestation/result", "", att)
				e.postJSON("/_app/attestation/result", "", att)
			}},
		{name: "attestation too late", cfg: emulator.Config{Timeout: 200 * time.Millisecond}, event: "registration", category: "registration", withUser: true,
			run: func(e *auditEnv) {
				_, att := e.pendingEnroll("ann")
				time.Sleep(300 * time.Millisecond)
				e.postJSON("/_app/attestation/result", "", att)
			}},
		{name: "attestation fault", event: "registration", category: "registration",
			run: func(e *auditEnv) {
				e.srv.FailNext(emulator.EndpointAttestation, emulator.MalformedJSON())
				e.postJSON("/_app/attestation/result", "", map[string]any{"id": "AA"})
			}},
		// POST /api/v1/approval
		{name: "approval malformed", event: "authentication.created", category: "authentication",
			run: func(e *auditEnv) { e.do("POST", "/api/v1/approval", "application/json", "key", `[`) }},
		{name: "approval unknown user", event: "authentication.created", category: "authentication",
			run: func(e *auditEnv) {
				e.postJSON("/api/v1/approval", "key", map[string]any{"username": "nobody", "channel": "fido2"})
			}},
		{name: "approval unknown authenticator", event: "authentication.created", category: "authentication", withUser: true,
			run: func(e *auditEnv) {
				e.enrolled("ann")
				e.postJSON("/api/v1/approval", "key", map[string]any{"username": "ann", "channel": "fido2", "authenticatorId": "00000000-0000-0000-0000-000000000002"})
			}},
		{name: "approval without a key", event: "authentication.created", category: "authentication", withUser: true,
			run: func(e *auditEnv) {
				e.enrolled("ann")
				e.do("DELETE", "/api/v1/authenticators/"+e.authenticatorID(), "", "key", "")
				e.postJSON("/api/v1/approval", "key", map[string]any{"username": "ann", "channel": "fido2"})
			}},
		{name: "approval without access key", event: "authentication.created", category: "authentication",
			run: func(e *auditEnv) { e.postJSON("/api/v1/approval", wrongKey, map[string]any{"channel": "fido2"}) }},
		{name: "approval rate limited", event: "authentication.created", category: "authentication",
			run: func(e *auditEnv) {
				e.srv.FailNext(emulator.EndpointApproval, emulator.RateLimited("1"))
				e.postJSON("/api/v1/approval", "key", map[string]any{"channel": "fido2"})
			}},
		// POST /_app/assertion/result
		{name: "assertion malformed", event: "authentication", category: "authentication",
			run: func(e *auditEnv) { e.do("POST", "/_app/assertion/result", "application/json", "", `{`) }},
		{name: "assertion unknown status token", event: "authentication", category: "authentication",
			run: func(e *auditEnv) {
				e.postJSON("/_app/assertion/result", "", map[string]any{"id": "AA", "statusToken": "garbage-token"})
			}},
		{name: "assertion without userHandle", event: "authentication", category: "authentication", withUser: true,
			run: func(e *auditEnv) {
				e.enrolled("ann")
				_, as := e.pendingApprove("ann")
				as.Response.UserHandle = ""
				e.postJSON("/_app/assertion/result", "", as)
			}},
		{name: "assertion replayed", event: "authentication", category: "authentication", withUser: true,
			run: func(e *auditEnv) {
				e.enrolled("ann")
				_, as := e.pendingApprove("ann")
				e.postJSON("/_app/assertion/result", "", as)
				e.postJSON("/_app/assertion/result", "", as)
			}},
		{name: "assertion too late", cfg: emulator.Config{Timeout: 300 * time.Millisecond}, event: "authentication", category: "authentication", withUser: true,
			run: func(e *auditEnv) {
				e.enrolled("ann")
				_, as := e.pendingApprove("ann")
				time.Sleep(400 * time.Millisecond)
				e.postJSON("/_app/assertion/result", "", as)
			}},
		// POST /api/v1/status
		{name: "status malformed", event: "status", category: "none",
			run: func(e *auditEnv) { e.do("POST", "/api/v1/status", "application/json", "", `{}`) }},
		{name: "status unknown token", event: "status", category: "none",
			run: func(e *auditEnv) {
				e.postJSON("/api/v1/status", "", map[string]any{"statusToken": "forged-status-token"})
			}},
		{name: "status finds the ceremony timed out", cfg: emulator.Config{Timeout: 200 * time.Millisecond}, event: "registration", category: "registration", withUser: true,
			run: func(e *auditEnv) {
				er, _ := e.pendingEnroll("ann")
				time.Sleep(300 * time.Millisecond)
				e.postJSON("/api/v1/status", "", map[string]any{"statusToken": er.Enrollment.StatusToken.Reveal()})
			}},
		{name: "status fault", event: "status", category: "none",
			run: func(e *auditEnv) {
				e.srv.FailNext(emulator.EndpointStatus, emulator.CloudError(500, "internal_error", "boom"))
				e.postJSON("/api/v1/status", "", map[string]any{"statusToken": "x"})
			}},
		// POST /api/v1/introspect
		{name: "introspect not a form", event: "introspection", category: "none",
			run: func(e *auditEnv) { e.postJSON("/api/v1/introspect", "key", map[string]any{"token": "x"}) }},
		{name: "introspect forged token", event: "introspection", category: "none",
			run: func(e *auditEnv) {
				e.do("POST", "/api/v1/introspect", "application/x-www-form-urlencoded", "key", "token=forged-transaction-token")
			}},
		{name: "introspect inactive", event: "introspection", category: "none", withUser: true,
			run: func(e *auditEnv) {
				res := e.enrolled("ann")
				e.srv.SetIntrospectInactive(true)
				e.do("POST", "/api/v1/introspect", "application/x-www-form-urlencoded", "key", "token="+res.Status.Token.Reveal())
			}},
		// users: lookup, get, delete
		{name: "user lookup without a name", event: "user.read", category: "none",
			run: func(e *auditEnv) { e.do("GET", "/api/v1/users?username=", "", "key", "") }},
		{name: "user get unknown", event: "user.read", category: "none",
			run: func(e *auditEnv) { e.do("GET", "/api/v1/users/00000000-0000-0000-0000-000000000000", "", "key", "") }},
		{name: "user get without access key", event: "user.read", category: "none",
			run: func(e *auditEnv) { e.do("GET", "/api/v1/users/00000000-0000-0000-0000-000000000000", "", wrongKey, "") }},
		{name: "user delete unknown", event: "user.deleted", category: "management",
			run: func(e *auditEnv) { e.do("DELETE", "/api/v1/users/00000000-0000-0000-0000-000000000000", "", "key", "") }},
		{name: "user delete fault", event: "user.deleted", category: "management",
			run: func(e *auditEnv) {
				e.srv.FailNext(emulator.EndpointDeleteUser, emulator.CloudError(500, "internal_error", "boom"))
				e.do("DELETE", "/api/v1/users/00000000-0000-0000-0000-000000000000", "", "key", "")
			}},
		// authenticators: rename, delete
		{name: "rename unknown", event: "authenticator.renamed", category: "management",
			run: func(e *auditEnv) {
				e.do("PATCH", "/api/v1/authenticators/00000000-0000-0000-0000-000000000003", "application/json", "key", `{"name":"x"}`)
			}},
		{name: "rename invalid name", event: "authenticator.renamed", category: "management", withUser: true,
			run: func(e *auditEnv) {
				e.enrolled("ann")
				e.do("PATCH", "/api/v1/authenticators/"+e.authenticatorID(), "application/json", "key", `{"name":"   "}`)
			}},
		{name: "delete authenticator unknown", event: "authenticator.deleted", category: "management",
			run: func(e *auditEnv) {
				e.do("DELETE", "/api/v1/authenticators/00000000-0000-0000-0000-000000000004", "", "key", "")
			}},
		// ping, log export
		{name: "ping fault", event: "ping", category: "none",
			run: func(e *auditEnv) {
				e.srv.FailNext(emulator.EndpointPing, emulator.CloudError(503, "unavailable", "maintenance"))
				e.do("GET", "/ping", "", "", "")
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := start(t, tc.cfg)
			e := &auditEnv{t: t, srv: srv, c: c, key: testauthn.New(testauthn.FormatPacked), secrets: []string{srv.AccessKey()}}
			tc.run(e)
			rows, raw := e.export()
			found := false
			for _, r := range rows {
				if r["event"] != tc.event || r["status"] != "failed" || r["category"] != tc.category {
					continue
				}
				if tc.withUser && (r["userId"] != e.userID || r["username"] != "ann") {
					continue
				}
				found = true
			}
			if !found {
				t.Errorf("no failed %s event (category %s, user %v) in the export:\n%s", tc.event, tc.category, tc.withUser, raw)
			}
			for _, s := range e.secrets {
				if s != "" && strings.Contains(raw, s) {
					t.Errorf("the export carries a secret (%d characters)", len(s))
				}
			}
		})
	}
}
