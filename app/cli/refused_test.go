package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/result"
)

// withDemoFault makes the demo environment of the next commands answer
// the next call to ep with f.
func withDemoFault(t *testing.T, ep emulator.Endpoint, f emulator.Fault) {
	t.Helper()
	prev := startDemoEnv
	t.Cleanup(func() { startDemoEnv = prev })
	startDemoEnv = func(ctx context.Context, o demo.Options) (*demo.Env, error) {
		env, err := prev(ctx, o)
		if err == nil {
			env.Cloud.FailNext(ep, f)
		}
		return env, err
	}
}

// TestRefusedAttestationExplainAgrees: the Cloud refuses the attestation
// with an errorMessage (as a 2xx answer, the way the official samples read
// it, and as a 4xx answer). The CLI prints the Cloud's words as the cause,
// and `keydesk explain` on that very output names the same cause.
func TestRefusedAttestationExplainAgrees(t *testing.T) {
	for _, status := range []int{200, 400} {
		t.Run(fmt.Sprint(status), func(t *testing.T) { refusedAttestation(t, status) })
	}
}

func refusedAttestation(t *testing.T, status int) {
	{
		useConfigDir(t)
		withDemoFault(t, emulator.EndpointAttestation, emulator.Fault{Status: status,
			Body: `{"status":"failed","errorMessage":"attestation statement not accepted"}`})
		code, out, errs := run(t, "", nil, "enroll", "--demo", "--user", "dora")
		if code != 1 || !strings.Contains(out, "error-1002") || !strings.Contains(out, "attestation statement not accepted") {
			t.Fatalf("HTTP %d: enroll exit %d\n%s\n%s", status, code, out, errs)
		}
		if strings.Contains(out, "Bad Request") {
			t.Errorf("HTTP %d: the cause is the HTTP status, not the Cloud's refusal:\n%s", status, out)
		}
		want := result.Lookup(result.CloudAPI("rejected"))
		if !strings.Contains(out, want.Title()) {
			t.Errorf("HTTP %d: printed cause is not %q:\n%s", status, want.Title(), out)
		}
		ecode, eout, eerrs := run(t, out, nil, "explain", "--json", "--file", "-")
		if ecode != 0 {
			t.Fatalf("explain exit %d: %s", ecode, eerrs)
		}
		var d struct {
			Causes []struct {
				ID string `json:"id"`
			} `json:"causes"`
		}
		if err := json.Unmarshal([]byte(eout), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Causes) == 0 || d.Causes[0].ID != want.Causes[0] {
			t.Errorf("HTTP %d: explain's causes %+v, the printed cause is %s (%v)\n%s", status, d.Causes, want.Code, want.Causes, eout)
		}
	}
}

// TestEnrollFailedAfterAcceptHint: an enrollment that fails after the Cloud
// accepted the credential tells the person the key may already be
// registered and how to check, in English and in German, and --json
// carries it.
func TestEnrollFailedAfterAcceptHint(t *testing.T) {
	useConfigDir(t)
	withDemoFault(t, emulator.EndpointStatus, emulator.Fault{Status: 200, Body: `{"status":"failed"}`})
	code, out, errs := run(t, "", nil, "enroll", "--demo", "--user", "hana")
	if code != 1 || !strings.Contains(out, fmt.Sprintf(wordMayBeRegistered.en, "hana")) || !strings.Contains(out, "keydesk approve --user hana") {
		t.Fatalf("enroll exit %d\n%s\n%s", code, out, errs)
	}
	t.Setenv("LANGUAGE", "de")
	useConfigDir(t)
	withDemoFault(t, emulator.EndpointStatus, emulator.Fault{Status: 200, Body: `{"status":"failed"}`})
	_, out, _ = run(t, "", nil, "enroll", "--demo", "--user", "hana")
	if !strings.Contains(out, wordMayBeRegistered.de[:40]) {
		t.Fatalf("German hint missing:\n%s", out)
	}
	t.Setenv("LANGUAGE", "")
	useConfigDir(t)
	withDemoFault(t, emulator.EndpointStatus, emulator.Fault{Status: 200, Body: `{"status":"failed"}`})
	_, out, _ = run(t, "", nil, "enroll", "--demo", "--user", "hana", "--json")
	var rep ceremonyReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || !rep.MayBeRegistered {
		t.Fatalf("--json lacks mayBeRegistered (%v):\n%s", err, out)
	}
}

// TestUsernamelessApproveNamesTheAccount: a usernameless test sign-in
// prints which account signed in (text, German, --json).
func TestUsernamelessApproveNamesTheAccount(t *testing.T) {
	useConfigDir(t)
	if code, out, errs := run(t, "", nil, "enroll", "--demo", "--user", "rosa"); code != 0 {
		t.Fatalf("enroll exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs := run(t, "", nil, "approve", "--demo")
	if code != 0 || !strings.Contains(out, "Signed in as: rosa (user ID ") {
		t.Fatalf("approve exit %d\n%s\n%s", code, out, errs)
	}
	t.Setenv("LANGUAGE", "de")
	if _, out, _ = run(t, "", nil, "approve", "--demo"); !strings.Contains(out, "Angemeldet als: rosa (Benutzer-ID ") {
		t.Fatalf("German:\n%s", out)
	}
	_, out, _ = run(t, "", nil, "approve", "--demo", "--json")
	var rep ceremonyReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Username != "rosa" || rep.UserID == "" {
		t.Fatalf("--json (%v):\n%s", err, out)
	}
}

// TestApproveWithAuthenticatorID: --authenticator-id asks the Cloud for
// that one authenticator (an unknown one: 404 before the key is touched),
// and needs a user.
func TestApproveWithAuthenticatorID(t *testing.T) {
	useConfigDir(t)
	if code, out, errs := run(t, "", nil, "enroll", "--demo", "--user", "sven"); code != 0 {
		t.Fatalf("enroll exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs := run(t, "", nil, "approve", "--demo", "--user", "sven", "--authenticator-id", "00000000-0000-0000-0000-00000000beef")
	if code != 1 || !strings.Contains(out, "http:404") || strings.Contains(out, "get assertion from key") {
		t.Fatalf("unknown authenticator: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := run(t, "", nil, "approve", "--demo", "--authenticator-id", "x"); code != 2 || !strings.Contains(errs, "--authenticator-id needs") {
		t.Fatalf("without a user: exit %d %s", code, errs)
	}
}
