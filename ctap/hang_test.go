package ctap_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// These tests use a key that takes a connection and never answers (not
// even CTAPHID_INIT): every operation must end by its deadline or its
// cancel, never hang.

// returnsWithin runs fn and fails the test when it has not returned after
// limit (the call is then left behind: a hang is the bug).
func returnsWithin[T any](t *testing.T, limit time.Duration, fn func() T) T {
	t.Helper()
	ch := make(chan T, 1)
	go func() { ch <- fn() }()
	select {
	case v := <-ch:
		return v
	case <-time.After(limit):
		t.Fatalf("still waiting on the key after %v", limit)
		panic("unreachable")
	}
}

func TestSilentKeyEveryOperationEndsAtItsDeadline(t *testing.T) {
	defer ctap.SetMaxTimeoutForTesting(300 * time.Millisecond)()
	k := newKey(t, virtualkey.Options{})
	k.k.SetSilent(true)
	ctx := ctxT(t)
	p := testkit.NewPrompter("1234")
	ops := map[string]func() error{
		"info":            func() error { _, err := k.dev.Info(ctx); return err },
		"retries":         func() error { _, err := k.dev.PINRetries(ctx); return err },
		"set PIN":         func() error { return k.dev.SetPIN(ctx, "123456") },
		"change PIN":      func() error { return k.dev.ChangePIN(ctx, "123456", "654321") },
		"reset":           func() error { return k.dev.Reset(ctx, p) },
		"slots":           func() error { _, err := k.dev.CredentialSlots(ctx, "1234"); return err },
		"relying parties": func() error { _, err := k.dev.RelyingParties(ctx, "1234"); return err },
		"credentials":     func() error { _, err := k.dev.Credentials(ctx, "rp.example", "1234"); return err },
		"delete":          func() error { return k.dev.DeleteCredential(ctx, []byte{1}, "1234") },
		"make credential": func() error {
			_, err := k.dev.MakeCredential(ctx, ctap.MakeCredentialRequest{
				ClientDataHash: make([]byte, 32), RP: ctap.RelyingPartyEntity{ID: "rp.example"},
				User: ctap.UserEntity{ID: []byte{1}, Name: "u"},
			}, p)
			return err
		},
		"get assertion": func() error {
			_, err := k.dev.GetAssertion(ctx, ctap.GetAssertionRequest{RPID: "rp.example", ClientDataHash: make([]byte, 32)}, p)
			return err
		},
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			err := returnsWithin(t, 5*time.Second, op)
			code, ok := ctap.CodeOf(err)
			if !ok || code != ctap.ErrCodeRX {
				t.Fatalf("err = %v, want FIDO_ERR_RX (the key did not answer)", err)
			}
			if errors.Is(err, ctap.ErrKeyRemoved) {
				t.Errorf("a key that does not answer is reported as removed: %v", err)
			}
			if c, _ := ctap.ResultCodeOf(err); c != result.Libfido2(ctap.ErrCodeRX) {
				t.Errorf("a key that does not answer has code %s", c)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v with a 300 ms deadline", d)
			}
		})
	}
}

// TestCancelledBeforeOpenNeverOpens: a context that has ended before the
// call starts must not reach the key at all.
func TestCancelledBeforeOpenNeverOpens(t *testing.T) {
	k := newKey(t, virtualkey.Options{})
	var connects atomic.Int32
	k.k.OnEvent(func(e virtualkey.Event) {
		if e.Kind == virtualkey.EventConnected {
			connects.Add(1)
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 20 {
		if _, err := k.dev.Info(ctx); !errors.Is(err, ctap.ErrCancelled) {
			t.Fatalf("Info after cancel: %v, want cancelled", err)
		}
		if err := k.dev.Reset(ctx, nil); !errors.Is(err, ctap.ErrCancelled) {
			t.Fatalf("Reset after cancel: %v, want cancelled", err)
		}
	}
	if n := connects.Load(); n != 0 {
		t.Errorf("the key was opened %d times after the cancel", n)
	}
}

// TestCancelReachesKeyBeingOpened: a key that never answers the open's
// CTAPHID_INIT cannot take a CTAPHID_CANCEL; cancel must still end the
// call at once, long before the deadline.
func TestCancelReachesKeyBeingOpened(t *testing.T) {
	defer ctap.SetMaxTimeoutForTesting(20 * time.Second)()
	k := newKey(t, virtualkey.Options{})
	k.k.SetSilent(true)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	err := returnsWithin(t, 10*time.Second, func() error { _, err := k.dev.Info(ctx); return err })
	if !errors.Is(err, ctap.ErrCancelled) {
		t.Fatalf("err = %v, want cancelled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancel took %v to reach a key being opened", d)
	}
}

// TestCancelEndsWaitOnKeyThatStopsAnswering: the key opens, then hangs in
// a command and ignores CTAPHID_CANCEL; cancel still ends the call.
func TestCancelEndsWaitOnKeyThatStopsAnswering(t *testing.T) {
	defer ctap.SetMaxTimeoutForTesting(20 * time.Second)()
	k := newKey(t, virtualkey.Options{})
	k.k.OnEvent(func(e virtualkey.Event) {
		if e.Kind == virtualkey.EventCommand && e.Command == 0x06 { // clientPIN: the retries
			k.k.SetSilent(true)
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	err := returnsWithin(t, 10*time.Second, func() error { _, err := k.dev.PINRetries(ctx); return err })
	if !errors.Is(err, ctap.ErrCancelled) {
		t.Fatalf("err = %v, want cancelled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("cancel took %v on a key that ignores CTAPHID_CANCEL", d)
	}
}
