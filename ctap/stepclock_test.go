package ctap_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// slowPrompter takes its time over the PIN (or never answers: wait 0),
// and records when the touch prompt opened and its deadline.
type slowPrompter struct {
	pin      string
	wait     time.Duration
	touchAt  time.Time
	deadline time.Time
}

func (p *slowPrompter) PIN(ctx context.Context, _ ctap.PINRequest) (string, error) {
	if p.wait == 0 {
		<-ctx.Done()
		return "", ctx.Err()
	}
	select {
	case <-time.After(p.wait):
		return p.pin, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (p *slowPrompter) Touch(req ctap.TouchRequest) func() {
	p.touchAt, p.deadline = time.Now(), req.Deadline
	return func() {}
}

// TestTouchClockStartsAfterThePIN: a PIN that takes longer than the whole
// touch time leaves the touch its full time; when nobody touches, the
// error is a touch timeout (USER_ACTION_TIMEOUT), not a cancel.
func TestTouchClockStartsAfterThePIN(t *testing.T) {
	tk := newKey(t, virtualkey.Options{PresenceTimeout: 20 * time.Second})
	if err := tk.dev.SetPIN(ctxT(t), "1234"); err != nil {
		t.Fatal(err)
	}
	tk.k.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
	req := mcRequest("ivy", false)
	req.UserVerification = ctap.UVRequired
	req.Timeout, req.PINTimeout = time.Second, 10*time.Second
	p := &slowPrompter{pin: "1234", wait: 1500 * time.Millisecond}
	_, err := tk.dev.MakeCredential(ctxT(t), req, p)
	if got := p.deadline.Sub(p.touchAt); got < 900*time.Millisecond {
		t.Fatalf("the touch got %s after a slow PIN", got)
	}
	code, _ := ctap.CodeOf(err)
	if !errors.Is(err, ctap.ErrTouchTimeout) || errors.Is(err, ctap.ErrCancelled) || code != ctap.StatusUserActionTimeout {
		t.Fatalf("err = %v", err)
	}
	if c, _ := ctap.ResultCodeOf(err); c != result.CodeTouchTimeout {
		t.Fatalf("a touch timeout has code %s", c)
	}
	if time.Since(p.touchAt) > 5*time.Second {
		t.Fatal("the key kept waiting after the touch time")
	}
}

// TestPINPromptHasItsOwnLimit: a PIN prompt nobody answers ends at its own
// limit as a PIN timeout, not a cancel, and the key is never asked for a
// touch.
func TestPINPromptHasItsOwnLimit(t *testing.T) {
	tk := newKey(t, virtualkey.Options{})
	if err := tk.dev.SetPIN(ctxT(t), "1234"); err != nil {
		t.Fatal(err)
	}
	req := mcRequest("joe", false)
	req.UserVerification = ctap.UVRequired
	req.Timeout, req.PINTimeout = 10*time.Second, 300*time.Millisecond
	p := &slowPrompter{}
	start := time.Now()
	_, err := tk.dev.MakeCredential(ctxT(t), req, p)
	code, _ := ctap.CodeOf(err)
	if !errors.Is(err, ctap.ErrPINTimeout) || errors.Is(err, ctap.ErrCancelled) || code != ctap.StatusUserActionTimeout {
		t.Fatalf("err = %v", err)
	}
	if c, _ := ctap.ResultCodeOf(err); c != result.CodePINTimeout {
		t.Fatalf("a PIN timeout has code %s", c)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("the PIN prompt waited %s", d)
	}
	if !p.touchAt.IsZero() {
		t.Fatal("touch asked after the PIN timed out")
	}
}
