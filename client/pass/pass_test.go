package pass_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/pass"
	"github.com/keydesk/keydesk/client/result"
)

// Planted tokens: their appearance in any error or printed value fails.
const (
	plantedEnroll  = "eyJhbGciOiJIUzI1NiJ9.planted-enroll-token-7c1e.sig"
	plantedApprove = "eyJhbGciOiJIUzI1NiJ9.planted-approve-token-93ab.sig"
)

var issued = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func issue(t *testing.T, f pass.Fields) *pass.Pass {
	t.Helper()
	if f.Instance == "" {
		f.Instance = "https://acme.mauth.nevis.cloud/api/v1/"
	}
	if f.Username == "" {
		f.Username = "alice@example.com"
	}
	if f.EnrollToken == "" {
		f.EnrollToken = plantedEnroll
	}
	if f.Issued.IsZero() {
		f.Issued = issued
	}
	if f.Expires.IsZero() {
		f.Expires = f.Issued.Add(72 * time.Hour)
	}
	p, err := pass.Issue(f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// reseal re-encodes a pass text with its body changed by edit and a
// correct checksum: what someone who read this package could do.
func reseal(t *testing.T, text string, edit func(map[string]any)) string {
	t.Helper()
	payload, _, _ := strings.Cut(strings.TrimPrefix(text, pass.Prefix), ".")
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	raw, _ = json.Marshal(m)
	return pass.Reseal(base64.RawURLEncoding.EncodeToString(raw))
}

func TestRoundTrip(t *testing.T) {
	p := issue(t, pass.Fields{UserID: "31567ae2-2fb1-466e-84af-4dafa8f9ca78", DisplayName: "Alice Ä.", ApproveToken: plantedApprove})
	if !strings.HasPrefix(p.Encode(), "KDP1.") {
		t.Fatalf("text %q", p.Encode())
	}
	q, err := pass.Decode("  " + p.Encode() + "\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if q.Instance != "https://acme.mauth.nevis.cloud" || q.Username != "alice@example.com" || q.DisplayName != "Alice Ä." ||
		q.UserID != "31567ae2-2fb1-466e-84af-4dafa8f9ca78" || !q.Issued.Equal(issued) || !q.Expires.Equal(issued.Add(72*time.Hour)) ||
		q.Kind != pass.KindIntent || q.ID() != p.ID() || q.Encode() != p.Encode() {
		t.Errorf("decoded %+v", *q)
	}
	if tok, ok := q.Token(pass.Approve); !ok || tok != plantedApprove {
		t.Error("approve token lost")
	}
	if ops := q.Operations(); len(ops) != 2 || ops[0] != pass.Enroll {
		t.Errorf("operations %v", ops)
	}
	if len(p.ID()) != 12 || strings.Contains(plantedEnroll, p.ID()) {
		t.Errorf("ID %q", p.ID())
	}
}

// TestDecodeErrors: every way a text is not a usable pass has its own
// catalogue code, and no error quotes the text.
func TestDecodeErrors(t *testing.T) {
	good := issue(t, pass.Fields{}).Encode()
	payload, check, _ := strings.Cut(strings.TrimPrefix(good, pass.Prefix), ".")
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	for _, tc := range []struct {
		name, text string
		want       result.Code
	}{
		{"empty", "", result.CodePassMalformed},
		{"a username", "alice", result.CodePassMalformed},
		{"another version", "KDP2." + payload + "." + check, result.CodePassMalformed},
		{"lower-case prefix", "kdp1." + payload + "." + check, result.CodePassMalformed},
		{"no checksum", pass.Prefix + payload, result.CodePassMalformed},
		{"trailing garbage", good + ".x", result.CodePassMalformed},
		{"trailing text", good + " please", result.CodePassMalformed},
		{"bad base64", pass.Prefix + payload[:10] + "+/" + payload[12:] + "." + check, result.CodePassMalformed},
		{"too long", pass.Prefix + strings.Repeat("A", pass.MaxLen) + "." + check, result.CodePassMalformed},
		{"one character mistyped", pass.Prefix + flip(payload, 20) + "." + check, result.CodePassCorrupted},
		{"checksum mistyped", pass.Prefix + payload + "." + flip(check, 2), result.CodePassCorrupted},
		{"cut short", good[:len(good)-3], result.CodePassCorrupted},
		{"unknown member", reseal(t, good, func(m map[string]any) { m["admin"] = true }), result.CodePassMalformed},
		{"no enroll token", reseal(t, good, func(m map[string]any) { m["ops"] = map[string]any{"approve": "x"} }), result.CodePassMalformed},
		{"unknown operation", reseal(t, good, func(m map[string]any) { m["ops"].(map[string]any)["delete"] = "x" }), result.CodePassMalformed},
		{"unknown kind", reseal(t, good, func(m map[string]any) { m["kind"] = "master" }), result.CodePassMalformed},
		{"bad username", reseal(t, good, func(m map[string]any) { m["username"] = "alice\u202e" }), result.CodePassMalformed},
		{"no instance", reseal(t, good, func(m map[string]any) { m["instance"] = "" }), result.CodePassMalformed},
		{"expires before issue", reseal(t, good, func(m map[string]any) { m["expires"] = 1 }), result.CodePassMalformed},
		{"not JSON", pass.Reseal(base64.RawURLEncoding.EncodeToString([]byte("{not json"))), result.CodePassMalformed},
		{"two JSON values", pass.Reseal(base64.RawURLEncoding.EncodeToString([]byte(`{"kind":"intent"}{}`))), result.CodePassMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := pass.Decode(tc.text)
			if p != nil || err == nil {
				t.Fatalf("decoded: %v", p)
			}
			var re *result.Error
			if !errors.As(err, &re) || re.Code != tc.want {
				t.Errorf("error %v, want %s", err, tc.want)
			}
			if len(tc.text) > 8 && strings.Contains(err.Error(), tc.text[5:]) || strings.Contains(err.Error(), plantedEnroll) {
				t.Errorf("error quotes the input: %v", err)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	p := issue(t, pass.Fields{})
	now := issued.Add(time.Hour)
	for _, tc := range []struct {
		name     string
		now      time.Time
		instance string
		op       pass.Operation
		want     result.Code
	}{
		{"good", now, "https://ACME.mauth.nevis.cloud/", pass.Enroll, result.Code{}},
		{"the API base", now, "https://acme.mauth.nevis.cloud/api/v1", pass.Enroll, result.Code{}},
		{"expired", issued.Add(72 * time.Hour), "https://acme.mauth.nevis.cloud", pass.Enroll, result.CodePassExpired},
		{"another instance", now, "https://other.mauth.nevis.cloud", pass.Enroll, result.CodePassWrongInstance},
		{"demo station", now, pass.DemoInstance, pass.Enroll, result.CodePassWrongInstance},
		{"no instance configured", now, "", pass.Enroll, result.CodePassWrongInstance},
		{"no approve token", now, "https://acme.mauth.nevis.cloud", pass.Approve, result.CodePassWrongOperation},
	} {
		err := p.Check(tc.now, tc.instance, tc.op)
		if tc.want.IsZero() {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var re *result.Error
		if !errors.As(err, &re) || re.Code != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
}

// TestPassNeverPrinted plants a pass and looks for it (and its tokens) in
// every way a value ends up in a log line or a document.
func TestPassNeverPrinted(t *testing.T) {
	p := issue(t, pass.Fields{ApproveToken: plantedApprove})
	holder := struct {
		P    *pass.Pass
		Note string
	}{p, "x"}
	out := fmt.Sprintf("%v %+v %#v %s %q %x %v %+v %#v", p, p, p, p, p, p, holder, holder, holder)
	for _, secret := range []string{p.Encode(), plantedEnroll, plantedApprove, "planted"} {
		if strings.Contains(out, secret) {
			t.Errorf("printed pass leaks %q: %s", secret, out)
		}
	}
	if !strings.Contains(out, p.ID()) || !strings.Contains(out, "alice@example.com") {
		t.Errorf("printed pass names neither its ID nor its user: %s", out)
	}
	if b, err := json.Marshal(holder); err == nil || strings.Contains(string(b), "planted") {
		t.Errorf("JSON of a pass: %s, %v", b, err)
	}
	if _, err := pass.Issue(pass.Fields{Instance: "https://acme.mauth.nevis.cloud", Username: "alice", Issued: issued, Expires: issued.Add(time.Hour)}); err == nil {
		t.Error("a pass without an enroll token was issued")
	}
}

const plantedStatus = "eyJhbGciOiJIUzI1NiJ9.planted-status-token-55d1.sig"

// TestHandoffPass: a hand-off carries the creation options and the status
// token of a started enrollment, is an enrollment only, is named by a hash
// of its status token, and prints neither.
func TestHandoffPass(t *testing.T) {
	opts := json.RawMessage(`{"relyingParty": {"id": "", "name": "Portal"}, "challenge": "planted-challenge-9f", "timeout": 60000}`)
	p, err := pass.IssueHandoff(pass.HandoffFields{Instance: "https://acme.mauth.nevis.cloud", Username: "alice", UserID: "u-1",
		CreationOptions: opts, StatusToken: plantedStatus, Issued: issued, Expires: issued.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	q, err := pass.Decode(p.Encode())
	if err != nil {
		t.Fatal(err)
	}
	o, st, ok := q.Handoff()
	if !ok || st != plantedStatus || !strings.Contains(string(o), "planted-challenge-9f") || q.Kind != pass.KindHandoff || q.ID() != pass.IDOf(plantedStatus) {
		t.Errorf("hand-off %v %q %s", ok, st, o)
	}
	if err := q.Check(issued, "https://acme.mauth.nevis.cloud", pass.Enroll); err != nil {
		t.Errorf("check: %v", err)
	}
	if err := q.Check(issued, "https://acme.mauth.nevis.cloud", pass.Approve); err == nil {
		t.Error("a hand-off used for a sign-in")
	}
	if _, ok := q.Token(pass.Enroll); ok {
		t.Error("a hand-off has an intent token")
	}
	out := fmt.Sprintf("%v %+v %#v", q, q, q)
	if strings.Contains(out, "planted") {
		t.Errorf("printed hand-off leaks: %s", out)
	}
	good := p.Encode()
	for name, edit := range map[string]func(map[string]any){
		"mixed":          func(m map[string]any) { m["ops"] = map[string]any{"enroll": "x"} },
		"no options":     func(m map[string]any) { delete(m, "options") },
		"options a list": func(m map[string]any) { m["options"] = []any{1} },
		"no status":      func(m map[string]any) { delete(m, "statusToken") },
	} {
		if _, err := pass.Decode(reseal(t, good, edit)); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
	if _, err := pass.IssueHandoff(pass.HandoffFields{Instance: "https://acme.mauth.nevis.cloud", Username: "alice",
		CreationOptions: json.RawMessage(`{"challenge": "` + strings.Repeat("A", pass.MaxOptionsLen) + `"}`), StatusToken: "s", Issued: issued, Expires: issued.Add(time.Minute)}); err == nil {
		t.Error("oversized options accepted")
	}
}
