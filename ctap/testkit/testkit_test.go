package testkit_test

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestPrompterScript: PINs are answered in order and then the prompter
// gives up; every request is recorded.
func TestPrompterScript(t *testing.T) {
	p := testkit.NewPrompter("1111", "2222")
	for _, want := range []string{"1111", "2222"} {
		if got, err := p.PIN(context.Background(), ctap.PINRequest{}); err != nil || got != want {
			t.Fatalf("PIN = %q, %v; want %q", got, err, want)
		}
	}
	if _, err := p.PIN(context.Background(), ctap.PINRequest{Reason: ctap.PINRetry}); !errors.Is(err, context.Canceled) {
		t.Fatalf("out of PINs: %v, want a cancel", err)
	}
	if asked := p.PINRequests(); len(asked) != 3 || asked[2].Reason != ctap.PINRetry {
		t.Fatalf("recorded %+v", asked)
	}
	a := testkit.AlwaysPIN("4711")
	for range 3 {
		if got, _ := a.PIN(context.Background(), ctap.PINRequest{}); got != "4711" {
			t.Fatalf("AlwaysPIN answered %q", got)
		}
	}
	done := p.Touch(ctap.TouchRequest{Purpose: ctap.TouchReset})
	if p.TouchesEnded() != 0 {
		t.Fatal("a touch ended before its done")
	}
	done()
	if r := p.TouchRequests(); len(r) != 1 || r[0].Purpose != ctap.TouchReset || p.TouchesEnded() != 1 {
		t.Fatalf("touches %+v ended %d", r, p.TouchesEnded())
	}
}

// TestNoProductImportsTheKit: the test kit is for tests only: the keydesk
// binary does not link it.
func TestNoProductImportsTheKit(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/keydesk/keydesk").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "github.com/keydesk/keydesk/ctap\n") {
		t.Fatalf("go list did not list keydesk's packages:\n%s", out)
	}
	for _, kit := range []string{"github.com/keydesk/keydesk/ctap/testkit", "github.com/keydesk/keydesk/app/internal/uitest"} {
		if strings.Contains(string(out), kit+"\n") {
			t.Errorf("the keydesk binary imports the test kit %s", kit)
		}
	}
}

// TestU2FKeyFailuresHaveTheCTAP2Codes: each way a key operation ends
// without an answer that a U2F-only key can have ends, through libfido2's
// U2F path, with the code it has on a CTAP2 key; a person's cancel ends the
// polling at once (a U2F key has no CTAPHID_CANCEL to wait for).
func TestU2FKeyFailuresHaveTheCTAP2Codes(t *testing.T) {
	start := time.Now()
	errs := testkit.KeyFailuresOn(t, virtualkey.ProfileU2F)
	if len(errs) != len(testkit.U2FKeyFailures) {
		t.Fatalf("failures %v, want %v", errs, testkit.U2FKeyFailures)
	}
	for _, what := range testkit.U2FKeyFailures {
		got, _ := ctap.ResultCodeOf(errs[what])
		if want := testkit.KeyFailureCodes[what]; got != want {
			t.Errorf("%s on a U2F key: %s (%v), want %s as on a CTAP2 key", what, got, errs[what], want)
		}
	}
	// Three waits of 300 ms and a silent key's 300 ms: a cancel that waited
	// for the key's answer to CTAPHID_CANCEL (1 s each) would show.
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the U2F failures took %v", d)
	}
}
