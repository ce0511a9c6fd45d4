package ctap

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/result"
)

// TestResultCodeOfEveryError: every CTAP status and FIDO_ERR value KeyDesk
// names, and every condition KeyDesk tells apart itself, has the one
// catalogue code ResultCodeOf gives; the method and the function agree,
// and the code is in the catalogue.
func TestResultCodeOfEveryError(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	touched, expire := context.WithCancelCause(context.Background())
	expire(ErrTouchTimeout)
	pinTimeout := fmt.Errorf("%w: %w", ErrPINTimeout, context.DeadlineExceeded)

	cases := []struct {
		name string
		err  error
		want result.Code
	}{
		{"cancelled", fromContext("make credential", cancelled), result.CodeCancelled},
		{"caller's deadline", fromContext("make credential", expired), result.CTAP(StatusUserActionTimeout)},
		{"touch countdown", fromContext("make credential", touched), result.CodeTouchTimeout},
		{"PIN prompt's limit", pinAborted("make credential", StatusKeepaliveCancel, pinTimeout), result.CodePINTimeout},
		{"PIN prompt cancelled", pinAborted("make credential", StatusKeepaliveCancel, context.Canceled), result.CodeCancelled},
		{"PIN prompt at the caller's deadline", pinAborted("make credential", StatusKeepaliveCancel, context.DeadlineExceeded), result.CTAP(StatusUserActionTimeout)},
		{"gave up after a wrong PIN", pinAborted("make credential", StatusPINInvalid, context.Canceled), result.CTAP(StatusPINInvalid)},
		{"removed", &Error{Op: "make credential", Code: ErrCodeRX, Err: ErrKeyRemoved}, result.CodeKeyRemoved},
		{"hung key", &Error{Op: "get info", Code: ErrCodeRX}, result.Libfido2(ErrCodeRX)},
		{"PIN too short", CheckPIN("12", 4), result.CodePINTooShort},
		{"PIN too long", CheckPIN(strings.Repeat("1", 64), 4), result.CodePINTooLong},
		{"wrapped", fmt.Errorf("enroll: %w", &Error{Op: "make credential", Code: StatusCredentialExcluded}), result.CTAP(StatusCredentialExcluded)},
		{"unnamed status", &Error{Op: "make credential", Code: 0x6A}, result.CTAP(0x6A)},
		{"unnamed FIDO_ERR", &Error{Op: "make credential", Code: -99}, result.Libfido2(-99)},
	}
	for code := range codeNames {
		want := result.Libfido2(code)
		if code > 0 {
			want = result.CTAP(byte(code))
		}
		cases = append(cases, struct {
			name string
			err  error
			want result.Code
		}{CodeName(code), &Error{Op: "op", Code: code}, want})
	}
	for _, c := range cases {
		got, ok := ResultCodeOf(c.err)
		if !ok || got != c.want {
			t.Errorf("%s: ResultCodeOf(%v) = %s, %v; want %s", c.name, c.err, got, ok, c.want)
		}
		var e *Error
		if errors.As(c.err, &e) && e.ResultCode() != got {
			t.Errorf("%s: ResultCode() = %s, ResultCodeOf %s", c.name, e.ResultCode(), got)
		}
		if result.Lookup(got).Generated && got.Source == result.SourceKeyDesk {
			t.Errorf("%s: %s is not in the catalogue", c.name, got)
		}
	}
	for _, err := range []error{nil, errors.New("not a key error"), context.Canceled} {
		if c, ok := ResultCodeOf(err); ok || !c.IsZero() {
			t.Errorf("ResultCodeOf(%v) = %s, %v; want no code", err, c, ok)
		}
	}
}

// TestDeadlineIsNotCancel: the caller's deadline and a person's cancel end
// an operation with different errors and different codes.
func TestDeadlineIsNotCancel(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithTimeout(context.Background(), 0)
	defer cancel2()
	<-expired.Done()
	c := fromContext("op", cancelled)
	d := fromContext("op", expired)
	if !errors.Is(c, ErrCancelled) || errors.Is(d, ErrCancelled) || !errors.Is(d, context.DeadlineExceeded) {
		t.Fatalf("cancel %v, deadline %v", c, d)
	}
	cc, _ := ResultCodeOf(c)
	dc, _ := ResultCodeOf(d)
	if cc == dc {
		t.Fatalf("cancel and deadline both %s", cc)
	}
}
