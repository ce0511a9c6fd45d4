package ceremony_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/pass"
	"github.com/keydesk/keydesk/client/result"
)

// issuePass is the helpdesk station's part: intent tokens from the
// emulator with the access key, put into a pass.
func (r *rig) issuePass(t *testing.T, username string, approve bool, ttl time.Duration) *pass.Pass {
	t.Helper()
	ctx := context.Background()
	enr, err := r.cl.IssueIntent(ctx, cloud.IntentRequest{Username: username, Operation: cloud.OperationEnroll})
	if err != nil {
		t.Fatal(err)
	}
	f := pass.Fields{Instance: r.em.URL(), Username: username, EnrollToken: string(enr.Token), Issued: time.Now(), Expires: time.Now().Add(ttl)}
	if approve {
		apr, err := r.cl.IssueIntent(ctx, cloud.IntentRequest{Username: username, Operation: cloud.OperationApprove})
		if err != nil {
			t.Fatal(err)
		}
		f.ApproveToken = string(apr.Token)
	}
	p, err := pass.Issue(f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// holderRunner is the person's station: the same key, a pass holder's
// Cloud client with no access key.
func (r *rig) holderRunner(t *testing.T, p *pass.Pass) *ceremony.Runner {
	t.Helper()
	hc, err := cloud.NewPassHolder(ceremony.PassHolderConfig(p, r.em.URL(), r.em.Origin()))
	if err != nil {
		t.Fatal(err)
	}
	run := *r.runner
	run.Cloud = hc
	return &run
}

func causeIs(t *testing.T, what string, res *ceremony.Result, want result.Code) {
	t.Helper()
	if res.Success() || res.Cause != want {
		t.Errorf("%s: success=%v cause %s (%v), want %s", what, res.Success(), res.Cause, res.Err, want)
	}
}

// TestEnrollWithPass: a pass enrolls the key for the person it names, with
// no access key and no introspection; the record names the pass by its ID;
// a second use is refused by the Cloud; the pass's approve token signs in.
func TestEnrollWithPass(t *testing.T) {
	r := newRig(t, rigOptions{})
	p := r.issuePass(t, "alice", false, time.Hour)
	r.em.ResetRequests()
	run := r.holderRunner(t, p)
	in := ceremony.PassInput{Pass: p, Instance: r.em.URL() + "/api/v1/", FriendlyName: "Alice's key"}
	res := run.EnrollWithPass(context.Background(), in)
	if !res.Success() {
		t.Fatalf("enroll with pass: %v (%s)", res.Err, res.Cause)
	}
	if res.Username != "alice" || !res.NotIntrospected || res.Introspection != nil || res.PassID != p.ID() {
		t.Errorf("result %+v", res)
	}
	for _, st := range res.Steps {
		if st.Name == ceremony.StepIntrospectToken {
			t.Error("a pass holder introspected")
		}
	}
	for _, rq := range r.em.Requests() {
		if rq.BearerValid || rq.Endpoint == emulator.EndpointIntrospect {
			t.Errorf("%s %s: the access key or introspection", rq.Method, rq.Path)
		}
	}
	rec := ceremony.NewRecord(ceremony.KindEnroll, res)
	b, _ := json.Marshal(rec)
	if rec.PassID != p.ID() || !rec.NotIntrospected || strings.Contains(string(b), p.Encode()) {
		t.Errorf("record %s", b)
	}
	tok, _ := p.Token(pass.Enroll)
	if strings.Contains(r.logs.String(), tok) || strings.Contains(string(b), tok) || strings.Contains(fmt.Sprint(res.Steps), tok) {
		t.Error("the pass's token in the log, record or timeline")
	}
	// The helpdesk sees the new authenticator.
	u, err := r.cl.LookupUser(context.Background(), "alice")
	if err != nil || len(u.Authenticators) != 1 {
		t.Fatalf("alice: %+v, %v", u, err)
	}
	// Used: the Cloud refuses the token.
	causeIs(t, "second use", r.holderRunner(t, p).EnrollWithPass(context.Background(), in), result.CodePassUsed)
	// The station's own record.
	in2 := in
	in2.Pass = r.issuePass(t, "alice", false, time.Hour)
	in2.Redeemed = func(id string) bool { return id == in2.Pass.ID() }
	before := r.commands.Load()
	causeIs(t, "station's record", r.holderRunner(t, in2.Pass).EnrollWithPass(context.Background(), in2), result.CodePassUsed)
	if r.commands.Load() != before {
		t.Error("the key was touched for a used pass")
	}
	// An approve token (the intent page: approve is "for existing users",
	// so it is issued once alice exists) signs alice in.
	in.Pass = r.issuePass(t, "alice", true, time.Hour)
	sres := r.holderRunner(t, in.Pass).ApproveWithPass(context.Background(), in)
	if !sres.Success() || !sres.NotIntrospected {
		t.Fatalf("sign-in with pass: %v (%s)", sres.Err, sres.Cause)
	}
}

// TestPassRefusals: each way a pass cannot be used stops before the key is
// touched, with its own code.
func TestPassRefusals(t *testing.T) {
	r := newRig(t, rigOptions{})
	ctx := context.Background()
	p := r.issuePass(t, "bob", false, time.Hour)
	inst := r.em.URL()
	before := r.commands.Load()
	causeIs(t, "expired", r.holderRunner(t, p).EnrollWithPass(ctx, ceremony.PassInput{Pass: p, Instance: inst, Now: time.Now().Add(2 * time.Hour)}), result.CodePassExpired)
	causeIs(t, "another instance", r.holderRunner(t, p).EnrollWithPass(ctx, ceremony.PassInput{Pass: p, Instance: "https://other.mauth.nevis.cloud"}), result.CodePassWrongInstance)
	causeIs(t, "no approve token", r.holderRunner(t, p).ApproveWithPass(ctx, ceremony.PassInput{Pass: p, Instance: inst}), result.CodePassWrongOperation)
	causeIs(t, "no pass", r.holderRunner(t, p).EnrollWithPass(ctx, ceremony.PassInput{Instance: inst}), result.CodePassMalformed)
	if r.commands.Load() != before {
		t.Error("the key was touched")
	}

	// bob's pass with the username edited to mallory and re-checksummed:
	// it decodes (the checksum is not a signature), and the Cloud refuses
	// it because the token is bound to bob.
	payload, _, _ := strings.Cut(strings.TrimPrefix(p.Encode(), pass.Prefix), ".")
	raw, _ := base64.RawURLEncoding.DecodeString(payload)
	var m map[string]any
	json.Unmarshal(raw, &m)
	m["username"] = "mallory"
	raw, _ = json.Marshal(m)
	forged, err := pass.Decode(reseal(base64.RawURLEncoding.EncodeToString(raw)))
	if err != nil || forged.Username != "mallory" {
		t.Fatalf("forged pass: %v", err)
	}
	res := r.holderRunner(t, forged).EnrollWithPass(ctx, ceremony.PassInput{Pass: forged, Instance: inst})
	causeIs(t, "bob's pass renamed to mallory", res, result.CodePassRefused)
	if u, err := r.cl.LookupUser(ctx, "mallory"); !errors.Is(err, cloud.ErrUserNotFound) {
		t.Errorf("mallory exists: %+v %v", u, err)
	}
	if r.makeCreds.Load() != 0 {
		t.Error("the key made a credential for a refused pass")
	}
	// The refusal did not spend bob's token: bob enrolls.
	if res := r.holderRunner(t, p).EnrollWithPass(ctx, ceremony.PassInput{Pass: p, Instance: inst}); !res.Success() || res.Username != "bob" {
		t.Errorf("bob with his own pass: %v", res.Err)
	}
}

// reseal wraps payload into a pass text with the checksum the format
// documents: anyone can compute it.
func reseal(payload string) string {
	h := sha256.Sum256([]byte(pass.Prefix + payload))
	return pass.Prefix + payload + "." + base64.RawURLEncoding.EncodeToString(h[:6])
}

// TestHandoff: at an instance that refuses intent tokens for fido2 the
// helpdesk station starts the enrollment and hands it over; the person's
// station finishes it with no access key and no bearer at all (the _app
// result and the status), once, within the enrollment's lifetime.
func TestHandoff(t *testing.T) {
	r := newRig(t, rigOptions{emulator: emulator.Config{RefuseIntentForFIDO2: true}})
	ctx := context.Background()
	// The intent way is refused here.
	p0 := r.issuePass(t, "alice", false, time.Hour)
	causeIs(t, "intent token at this instance", r.holderRunner(t, p0).EnrollWithPass(ctx, ceremony.PassInput{Pass: p0, Instance: r.em.URL()}), result.CodePassRefused)

	p, err := ceremony.StartHandoff(ctx, r.cl, r.em.URL(), "alice", "Alice")
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != pass.KindHandoff || time.Until(p.Expires) > 61*time.Second || time.Until(p.Expires) < 30*time.Second {
		t.Errorf("hand-off pass %v, expires in %v", p, time.Until(p.Expires))
	}
	// Through its text, as the person's station receives it.
	q, err := pass.Decode(p.Encode())
	if err != nil {
		t.Fatal(err)
	}
	r.em.ResetRequests()
	in := ceremony.PassInput{Pass: q, Instance: r.em.URL()}
	res := r.holderRunner(t, q).EnrollWithPass(ctx, in)
	if !res.Success() || !res.NotIntrospected || res.Username != "alice" || res.PassID != q.ID() {
		t.Fatalf("hand-off enrollment: %v (%s) %+v", res.Err, res.Cause, res)
	}
	for _, rq := range r.em.Requests() {
		if rq.Bearer {
			t.Errorf("%s %s carried a bearer", rq.Method, rq.Path)
		}
		if rq.Endpoint == emulator.EndpointEnroll || rq.Endpoint == emulator.EndpointIntrospect {
			t.Errorf("the person's station called %s", rq.Path)
		}
	}
	if u, err := r.cl.LookupUser(ctx, "alice"); err != nil || len(u.Authenticators) != 1 {
		t.Fatalf("alice: %+v %v", u, err)
	}
	// Used: refused before the key makes a credential.
	before := r.makeCreds.Load()
	causeIs(t, "hand-off again", r.holderRunner(t, q).EnrollWithPass(ctx, in), result.CodePassUsed)
	if r.makeCreds.Load() != before {
		t.Error("the key made a credential for a used hand-off")
	}
	// Past its lifetime: refused by the pass's own expiry.
	causeIs(t, "late", r.holderRunner(t, q).EnrollWithPass(ctx, ceremony.PassInput{Pass: q, Instance: r.em.URL(), Now: q.Expires}), result.CodePassExpired)
	if _, ok := q.Token(pass.Enroll); ok {
		t.Error("a hand-off carries an intent token")
	}
}
