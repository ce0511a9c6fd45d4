package ceremony_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
)

// slowChooser never picks an account: it waits for its time to run out,
// or gives up at once (a person closing the choice).
type slowChooser struct {
	*testkit.Prompter
	giveUp bool
}

func (c *slowChooser) ChooseAccount(ctx context.Context, _ []ctap.UserEntity) (int, error) {
	if c.giveUp {
		return 0, errors.New("closed the choice")
	}
	<-ctx.Done()
	return 0, ctx.Err()
}

// TestAccountChoiceTimeoutIsNotCancel: an account choice that ran out of
// time ends as a timeout (not as a Cloud timeout, not as a cancel); one
// the person closed ends as a cancel.
func TestAccountChoiceTimeoutIsNotCancel(t *testing.T) {
	r := newRig(t, rigOptions{})
	for _, u := range []string{"bob", "carol"} {
		wantOutcome(t, r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: u}), "success-registration")
	}
	r.runner.StepTimes.Touch = 300 * time.Millisecond
	for _, c := range []struct {
		giveUp bool
		want   result.Code
	}{{false, result.CTAP(ctap.StatusUserActionTimeout)}, {true, result.CodeCancelled}} {
		r.runner.Prompter = &slowChooser{Prompter: r.prompter, giveUp: c.giveUp}
		res := r.runner.Approve(ctxT(t), ceremony.ApproveInput{})
		wantOutcome(t, res, "error-0001")
		if res.Cause != c.want || res.DOMException != webauthn.NotAllowedError {
			t.Errorf("gave up %v: cause %s (%s), want %s", c.giveUp, res.Cause, res.DOMException, c.want)
		}
	}
}
