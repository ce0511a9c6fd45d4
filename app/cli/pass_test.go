package cli

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/pass"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// passCloud is a configured instance (an emulator on loopback recording
// each call's bearer), the helpdesk's access key in the environment, and
// a virtual key on its own socket. The station is a user desktop (the
// person redeeming); issueTo plays the helpdesk station for its one call.
func passCloud(t *testing.T, cfgs ...emulator.Config) (*emulator.Server, *cloud.Client, string) {
	t.Helper()
	useConfigDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	cfg := emulator.Config{}
	if len(cfgs) > 0 {
		cfg = cfgs[0]
	}
	cfg.AccessKey, cfg.Origin, cfg.RecordRequests = "pass-test-access-key-0193", "https://portal.example.com", true
	srv, err := emulator.Start(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); srv.Close() })
	if err := config.Save(config.Settings{InstanceURL: srv.URL(), Origin: srv.Origin(), Station: config.StationDesktop}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KEYDESK_ACCESS_KEY", srv.AccessKey())
	cl, err := cloud.New(cloud.Config{InstanceURL: srv.URL(), Origin: srv.Origin(), AccessKey: cloud.NewSecret(srv.AccessKey())})
	if err != nil {
		t.Fatal(err)
	}
	key := testkit.NewKey(t, virtualkey.Options{})
	return srv, cl, key.Path
}

// ceremonyCode runs a ceremony command with --json and returns its error
// code ("" on success).
func ceremonyCode(t *testing.T, args ...string) (string, ceremonyReport) {
	t.Helper()
	code, out, errs := run(t, "", nil, append(args, "--json")...)
	var rep ceremonyReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: exit %d, not a report: %v\n%s\n%s", args, code, err, out, errs)
	}
	if rep.Error == nil {
		if code != 0 {
			t.Fatalf("%v: exit %d without an error", args, code)
		}
		return "", rep
	}
	return rep.Error.Code, rep
}

// setStation makes the saved settings' station st.
func setStation(t *testing.T, st config.Station) {
	t.Helper()
	set, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	set.Station = st
	if err := config.Save(set); err != nil {
		t.Fatal(err)
	}
}

// issueTo issues a pass as the helpdesk station and turns the station
// back into the person's user desktop.
func issueTo(t *testing.T, file string, args ...string) {
	t.Helper()
	setStation(t, config.StationHelpdesk)
	defer setStation(t, config.StationDesktop)
	code, out, errs := run(t, "", nil, append([]string{"pass", "issue", "--out", file}, args...)...)
	if code != 0 {
		t.Fatalf("pass issue %v: exit %d\n%s\n%s", args, code, out, errs)
	}
	if strings.Contains(out, "KDP1.") || strings.Contains(errs, "KDP1.") {
		t.Errorf("pass issue --out printed the pass:\n%s\n%s", out, errs)
	}
}

// TestPassIssueAndEnroll is the whole flow at a configured instance: the
// helpdesk issues a pass for alice (the access key), alice's KeyDesk
// enrolls with it sending no access key, the helpdesk sees the new
// authenticator, and the pass does not work twice.
func TestPassIssueAndEnroll(t *testing.T) {
	srv, cl, keyPath := passCloud(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "alice.pass")
	issueTo(t, file, "--user", "alice", "--display-name", "Alice Example")
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("pass file: %v %v", fi, err)
	}
	b, _ := os.ReadFile(file)
	p, err := pass.Decode(string(b))
	if err != nil || p.Username != "alice" || p.DisplayName != "Alice Example" {
		t.Fatalf("pass file: %v", err)
	}
	tok, _ := p.Token(pass.Enroll)

	srv.ResetRequests()
	code, rep := ceremonyCode(t, "enroll", "--pass", file, "--device", keyPath)
	if code != "" || !rep.Result.Success || !rep.NotIntrospected || rep.PassID != p.ID() || rep.Username != "alice" {
		t.Fatalf("enroll --pass: %q %+v", code, rep)
	}
	sawIntent := false
	for _, r := range srv.Requests() {
		if r.BearerValid {
			t.Errorf("the pass holder sent the access key: %s %s", r.Method, r.Path)
		}
		if r.Endpoint == emulator.EndpointIntrospect || r.Endpoint == emulator.EndpointIntent {
			t.Errorf("the pass holder called %s", r.Path)
		}
		sawIntent = sawIntent || (r.Endpoint == emulator.EndpointEnroll && r.BearerIntent)
	}
	if !sawIntent {
		t.Error("enroll did not carry the intent token")
	}
	u, err := cl.LookupUser(context.Background(), "alice")
	if err != nil || len(u.Authenticators) != 1 {
		t.Fatalf("alice at the Cloud: %+v %v", u, err)
	}
	// The words claim no more than was checked.
	_, out, _ := run(t, "", nil, "enroll", "--pass", file, "--device", keyPath)
	if strings.Contains(out, tok) || strings.Contains(out, string(b[:40])) {
		t.Error("the report shows the pass")
	}

	// The helpdesk's record: the pass ID, never the pass; redeemed (the
	// helpdesk station looks the user up).
	setStation(t, config.StationHelpdesk)
	code2, listOut, errs := run(t, "", nil, "pass", "list", "--json")
	var recs []issuedPass
	if code2 != 0 || json.Unmarshal([]byte(listOut), &recs) != nil || len(recs) != 1 {
		t.Fatalf("pass list: exit %d\n%s\n%s", code2, listOut, errs)
	}
	if recs[0].ID != p.ID() || recs[0].Redeemed == nil || !*recs[0].Redeemed || strings.Contains(listOut, tok) {
		t.Errorf("record %+v", recs[0])
	}
	rec, _ := os.ReadFile(filepath.Join(os.Getenv("KEYDESK_CONFIG_DIR"), issuedPassesFile))
	if fi, _ := os.Stat(filepath.Join(os.Getenv("KEYDESK_CONFIG_DIR"), issuedPassesFile)); fi == nil || fi.Mode().Perm() != 0o600 || strings.Contains(string(rec), tok) {
		t.Errorf("the record file is not private or holds the token: %s", rec)
	}

	// Used: the station's own record says so before the Cloud is asked;
	// without that record the Cloud refuses the token.
	if code, _ := ceremonyCode(t, "enroll", "--pass", file, "--device", keyPath); code != result.CodePassUsed.String() {
		t.Errorf("second use: %q", code)
	}
	os.Remove(filepath.Join(os.Getenv("KEYDESK_CONFIG_DIR"), redeemedPassesFile))
	if code, _ := ceremonyCode(t, "enroll", "--pass", file, "--device", keyPath); code != result.CodePassUsed.String() {
		t.Errorf("second use, the Cloud's refusal: %q", code)
	}
}

// TestPassRefusedCases: a pass for another operation, an expired pass, a
// tampered text, a pass for another instance, and bob's pass renamed to
// alice each fail with their own code, and nobody but bob is enrolled.
func TestPassRefusedCases(t *testing.T) {
	_, cl, keyPath := passCloud(t)
	dir := t.TempDir()
	bob := filepath.Join(dir, "bob.pass")
	issueTo(t, bob, "--user", "bob")
	b, _ := os.ReadFile(bob)
	text := strings.TrimSpace(string(b))

	if code, _ := ceremonyCode(t, "approve", "--pass", bob, "--device", keyPath); code != result.CodePassWrongOperation.String() {
		t.Errorf("enroll pass for a sign-in: %q", code)
	}
	short := filepath.Join(dir, "short.pass")
	issueTo(t, short, "--user", "carol", "--expires", "1s")
	time.Sleep(1100 * time.Millisecond)
	if code, _ := ceremonyCode(t, "enroll", "--pass", short, "--device", keyPath); code != result.CodePassExpired.String() {
		t.Errorf("expired: %q", code)
	}
	tampered := filepath.Join(dir, "tampered.pass")
	i := len(pass.Prefix) + 10
	c := byte('A')
	if text[i] == 'A' {
		c = 'B'
	}
	os.WriteFile(tampered, []byte(text[:i]+string(c)+text[i+1:]), 0o600)
	if code, _ := ceremonyCode(t, "enroll", "--pass", tampered, "--device", keyPath); code != result.CodePassCorrupted.String() {
		t.Errorf("tampered: %q", code)
	}
	// At a demo station a pass for the configured instance is another
	// instance's.
	if code, _ := ceremonyCode(t, "enroll", "--pass", bob, "--demo"); code != result.CodePassWrongInstance.String() {
		t.Errorf("another instance: %q", code)
	}
	// Rename bob's pass to alice and re-compute the checksum (it is not a
	// signature): the Cloud refuses it, because the token is bob's.
	payload, _, _ := strings.Cut(strings.TrimPrefix(text, pass.Prefix), ".")
	raw, _ := base64.RawURLEncoding.DecodeString(payload)
	var m map[string]any
	json.Unmarshal(raw, &m)
	m["username"] = "alice"
	raw, _ = json.Marshal(m)
	payload = base64.RawURLEncoding.EncodeToString(raw)
	h := sha256.Sum256([]byte(pass.Prefix + payload))
	forged := filepath.Join(dir, "forged.pass")
	os.WriteFile(forged, []byte(pass.Prefix+payload+"."+base64.RawURLEncoding.EncodeToString(h[:6])+"\n"), 0o600)
	if code, _ := ceremonyCode(t, "enroll", "--pass", forged, "--device", keyPath); code != result.CodePassRefused.String() {
		t.Errorf("bob's pass renamed to alice: %q", code)
	}
	if _, err := cl.LookupUser(context.Background(), "alice"); err == nil {
		t.Error("alice was registered with bob's pass")
	}
	// Bob's own pass still works, for bob.
	if code, rep := ceremonyCode(t, "enroll", "--pass", bob, "--device", keyPath); code != "" || rep.Username != "bob" {
		t.Errorf("bob's own pass: %q %+v", code, rep)
	}
	// A pass on standard input, and --user with --pass is refused.
	if code, _, _ := run(t, "", nil, "enroll", "--pass", bob, "--user", "bob"); code != 2 {
		t.Errorf("--user with --pass: exit %d", code)
	}
	if code, out, _ := run(t, text+"\n", nil, "enroll", "--pass", "-", "--device", keyPath, "--json"); code != 1 || !strings.Contains(out, result.CodePassUsed.String()) {
		t.Errorf("bob's pass from standard input, used: exit %d\n%s", code, out)
	}
}

// TestPassDemoFlow: with nothing configured the whole flow runs on the
// demo (emulator + virtual key), across separate runs of KeyDesk: issue a
// pass with a test sign-in to standard output, enroll with it, sign in
// with it.
func TestPassDemoFlow(t *testing.T) {
	useConfigDir(t)
	code, out, errs := run(t, "", nil, "pass", "issue", "--user", "dana", "--out", "-")
	if code != 0 || !strings.HasPrefix(out, "KDP1.") || !strings.Contains(errs, "Treat the pass like a password") {
		t.Fatalf("pass issue to stdout: exit %d\n%s\n%s", code, out, errs)
	}
	file := filepath.Join(t.TempDir(), "dana.pass")
	os.WriteFile(file, []byte(out), 0o600)
	code, out, errs = run(t, "", nil, "enroll", "--pass", file)
	if code != 0 || !strings.Contains(out, "your organisation confirms it") || !strings.Contains(out, "Pass: ") {
		t.Fatalf("enroll --pass in the demo: exit %d\n%s\n%s", code, out, errs)
	}
	// A test sign-in needs a registered user (the intent page: approve is
	// "for existing users"): dana is one now; erin is not.
	if code, _, errs := run(t, "", nil, "pass", "issue", "--user", "erin", "--approve"); code != 1 || !strings.Contains(errs, "without --approve") {
		t.Errorf("--approve for a new user: exit %d\n%s", code, errs)
	}
	code, out, errs = run(t, "", nil, "pass", "issue", "--user", "dana", "--approve", "--json")
	var rec issuedPass
	if code != 0 || json.Unmarshal([]byte(out), &rec) != nil || rec.Pass == "" || len(rec.Operations) != 2 {
		t.Fatalf("pass issue --approve --json: exit %d\n%s\n%s", code, out, errs)
	}
	os.WriteFile(file, []byte(rec.Pass), 0o600)
	if code, rep := ceremonyCode(t, "approve", "--pass", file); code != "" || !rep.NotIntrospected || rep.Username != "dana" {
		t.Errorf("approve --pass in the demo: %q %+v", code, rep)
	}
}

// TestPassIssueBulkAndRefusals: a rollout list makes one private pass file
// per person and a summary with IDs and expiry, never a token; a letter or
// QR code output is refused, not faked.
func TestPassIssueBulkAndRefusals(t *testing.T) {
	useConfigDir(t)
	dir := t.TempDir()
	list := filepath.Join(dir, "users.csv")
	os.WriteFile(list, []byte("username,displayName\nerin,Erin E.\nfrank\n"), 0o600)
	out := filepath.Join(dir, "passes")
	code, stdout, errs := run(t, "", nil, "pass", "issue", "--users", list, "--out", out)
	if code != 0 {
		t.Fatalf("bulk: exit %d\n%s\n%s", code, stdout, errs)
	}
	sum, _ := os.ReadFile(filepath.Join(out, "summary.csv"))
	lines := strings.Split(strings.TrimSpace(string(sum)), "\n")
	if len(lines) != 3 || lines[0] != "username,passId,expires,error" || strings.Contains(string(sum), "KDP1.") || strings.Contains(string(sum), "eyJ") {
		t.Errorf("summary.csv:\n%s", sum)
	}
	for _, u := range []string{"erin", "frank"} {
		b, err := os.ReadFile(filepath.Join(out, u+".pass"))
		p, derr := pass.Decode(string(b))
		if err != nil || derr != nil || p.Username != u || !strings.Contains(string(sum), u+","+p.ID()+",") {
			t.Errorf("%s: %v %v", u, err, derr)
		}
	}
	for _, args := range [][]string{
		{"pass", "issue", "--user", "erin", "--out", filepath.Join(dir, "letter.pdf")},
		{"pass", "issue", "--user", "erin", "--out", filepath.Join(dir, "qr.PNG")},
		{"pass", "issue"},
		{"pass", "issue", "--user", "erin", "--users", list},
		{"pass", "issue", "--users", list},
		{"pass", "issue", "--user", "erin", "--expires", "2000h"},
		{"pass", "frobnicate"},
	} {
		if code, _, _ := run(t, "", nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "letter.pdf")); err == nil {
		t.Error("a letter was written")
	}
}

// TestPassHandoff: at an instance that refuses intent tokens for fido2, a
// pass is refused, and the live hand-off works: the helpdesk station
// starts the enrollment, the person's KeyDesk finishes it sending no
// bearer at all, once.
func TestPassHandoff(t *testing.T) {
	srv, cl, keyPath := passCloud(t, emulator.Config{RefuseIntentForFIDO2: true})
	dir := t.TempDir()
	intent := filepath.Join(dir, "intent.pass")
	issueTo(t, intent, "--user", "alice")
	if code, _ := ceremonyCode(t, "enroll", "--pass", intent, "--device", keyPath); code != result.CodePassRefused.String() {
		t.Errorf("intent pass at this instance: %q", code)
	}
	h := filepath.Join(dir, "handoff.pass")
	issueTo(t, h, "--handoff", "--user", "alice", "--display-name", "Alice")
	srv.ResetRequests()
	code, rep := ceremonyCode(t, "enroll", "--pass", h, "--device", keyPath)
	if code != "" || !rep.NotIntrospected || rep.Username != "alice" {
		t.Fatalf("hand-off: %q %+v", code, rep)
	}
	for _, r := range srv.Requests() {
		if r.Bearer {
			t.Errorf("%s %s carried a bearer", r.Method, r.Path)
		}
	}
	if u, err := cl.LookupUser(context.Background(), "alice"); err != nil || len(u.Authenticators) != 1 {
		t.Fatalf("alice: %+v %v", u, err)
	}
	os.Remove(filepath.Join(os.Getenv("KEYDESK_CONFIG_DIR"), redeemedPassesFile))
	if code, _ := ceremonyCode(t, "enroll", "--pass", h, "--device", keyPath); code != result.CodePassUsed.String() {
		t.Errorf("hand-off again: %q", code)
	}
	for _, args := range [][]string{
		{"pass", "issue", "--handoff", "--user", "alice", "--approve"},
		{"pass", "issue", "--handoff", "--user", "alice", "--expires", "1h"},
	} {
		if code, _, _ := run(t, "", nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, errs := run(t, "", nil, "pass", "issue", "--handoff", "--user", "alice", "--demo"); code != 1 || !strings.Contains(errs, "without --handoff") {
		t.Errorf("--handoff in demo mode: exit %d\n%s", code, errs)
	}
}

// TestUserDesktopIssuesNoPass: issuing a pass takes the access key, so a
// user desktop refuses before the Cloud is called, even with
// KEYDESK_ACCESS_KEY set, and the emulator sees no request.
func TestUserDesktopIssuesNoPass(t *testing.T) {
	srv, _, _ := passCloud(t)
	before := len(srv.Requests())
	file := filepath.Join(t.TempDir(), "x.pass")
	code, out, errs := run(t, "", nil, "pass", "issue", "--user", "alice", "--out", file)
	if code == 0 || !strings.Contains(out+errs, result.CodeStationNotAllowed.String()) && !strings.Contains(out+errs, "helpdesk") {
		t.Fatalf("pass issue on a user desktop: exit %d\n%s\n%s", code, out, errs)
	}
	if n := len(srv.Requests()); n != before {
		t.Errorf("the emulator saw %d calls from a refused pass issue", n-before)
	}
	if _, err := os.Stat(file); err == nil {
		t.Error("a refused pass issue wrote a pass file")
	}
}
