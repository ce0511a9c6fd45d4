package testkit_test

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
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
