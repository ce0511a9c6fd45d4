package ctap

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	libfido2 "github.com/keys-pub/go-libfido2"

	"github.com/keydesk/keydesk/ctap/internal/hidbridge"
	"github.com/keydesk/keydesk/ctap/protocol"
)

// go-libfido2 is used for one thing, here: listing keys (errors.go maps the
// errors that listing may return). Every operation on a key goes through
// the cgo shim (shim.go): one route into libfido2 per operation.

// ListDevices lists the keys libfido2 finds: hardware keys and registered
// virtual keys (in tests, only those SetDeviceFilterForTesting keeps).
func ListDevices() ([]DeviceDescriptor, error) {
	locs, err := libfido2.DeviceLocations()
	if err != nil {
		return nil, fromGoLibfido2("list keys", err)
	}
	out := make([]DeviceDescriptor, 0, len(locs))
	for _, l := range locs {
		if !testOnlyKeep(l.Path) {
			continue
		}
		out = append(out, DeviceDescriptor{
			Path: l.Path, Manufacturer: l.Manufacturer, Product: l.Product,
			VendorID: uint16(l.VendorID), ProductID: uint16(l.ProductID),
			Virtual: hidbridge.IsVirtual(l.Path),
		})
	}
	return out, nil
}

// Device is one security key reached through libfido2. It holds no open
// handle: every call opens and closes the key, so a key can be unplugged
// between calls. Every call goes through the cgo shim (shim.go), with a
// deadline on each wait for the key and PINs in memory that is zeroed
// after use; go-libfido2 is used only to list keys.
type Device struct {
	path string
}

var _ Authenticator = (*Device)(nil)

// Open returns the key at path (from ListDevices, or "virtual:…").
func Open(path string) (*Device, error) {
	if !testOnlyKeep(path) {
		return nil, errFilteredForTesting(path)
	}
	if path == "" {
		return nil, &Error{Op: "open", Code: ErrCodeInvalidArgument, Err: errors.New("empty device path")}
	}
	return &Device{path: path}, nil
}

// Path is the key's libfido2 device path.
func (d *Device) Path() string { return d.path }

// Info returns the key's full getInfo.
func (d *Device) Info(ctx context.Context) (*Info, error) { return infoShim(ctx, d.path) }

// call runs fn in a session of its own on the key (see openSession):
// ctx cancels it, and timeout bounds each wait for the key.
func (d *Device) call(ctx context.Context, op string, timeout time.Duration, fn func(c *conn) error) error {
	return openSession(ctx, op, d.path, timeout, fn)
}

// AlgorithmsToTry returns the relying party's algorithms (pubKeyCredParams,
// in its order) to offer the key, one makeCredential each, until the key
// accepts one. A browser sends the whole list and the key picks the first
// it supports (CTAP 2.1 §6.1.2 step 3); libfido2 1.12 sends one algorithm
// per request (fido_cred_set_type), so KeyDesk asks in turn. A key whose
// getInfo lists its algorithms is asked once, with the first of the RP's
// it lists; a key that lists none (every CTAP 2.0 key: the member is new
// in 2.1) is asked with each the RP accepts and libfido2 can name, because
// such keys often make more than ES256 (YubiKey 5 before 5.2: EdDSA). An
// empty result means the key cannot make any of them.
func AlgorithmsToTry(rp []int, info *Info) []int {
	if len(rp) == 0 {
		rp = []int{int(protocol.AlgES256), int(protocol.AlgRS256)} // WebAuthn §5.1.3 default
	}
	if len(info.Algorithms) > 0 {
		for _, a := range rp {
			if info.SupportsAlgorithm(a) {
				return []int{a}
			}
		}
		return nil
	}
	var out []int
	for _, a := range rp {
		if libfido2Algorithm(a) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// libfido2Algorithm reports whether libfido2 1.12 can ask a key for a
// credential of this COSE algorithm (fido_cred_set_type: COSE_ES256,
// COSE_ES384, COSE_RS256, COSE_EDDSA in fido/param.h).
func libfido2Algorithm(alg int) bool {
	switch alg {
	case -7, -35, -257, -8:
		return true
	}
	return false
}

// MakeCredential creates a credential. It asks the prompter for the PIN
// when user verification needs it (and for a new PIN when UV is required
// from a key that has none), tells it when the key waits for a touch, and
// asks again after a wrong PIN with the retries left. It opens the key
// once for all of it.
func (d *Device) MakeCredential(ctx context.Context, req MakeCredentialRequest, p Prompter) (res *MakeCredentialResult, err error) {
	const op = "make credential"
	p = orNoPrompter(p)
	clock, sctx, stop := newStepClock(ctx, req.Timeout, req.PINTimeout)
	defer stop()
	err = openSession(sctx, op, d.path, clock.touch+5*time.Second, func(c *conn) error {
		info, err := c.info()
		if err != nil {
			return err
		}
		algs := AlgorithmsToTry(req.Algorithms, info)
		if len(algs) == 0 {
			return &Error{Op: op, Code: StatusUnsupportedAlg, Err: errors.New("the key supports none of the algorithms the relying party accepts")}
		}
		if req.ResidentKeyPreferred {
			req.ResidentKey = info.Options["rk"]
		}
		if info.U2FOnly() {
			// A U2F key has no extensions; libfido2 would refuse the
			// request (UNSUPPORTED_OPTION) where a browser leaves out what
			// the key cannot do (WebAuthn §5.1.3 step 12: extensions are
			// the client's to drop).
			req.HMACSecret, req.CredProtect = false, 0
		}
		needPIN, newPIN, err := newPINIfRequired(sctx, clock, c, info, req.UserVerification, p)
		if err != nil {
			return err
		}
		return withPIN(sctx, clock, c, info, needPIN, newPIN, p, TouchMakeCredential, func(pin string) (err error) {
			for i, alg := range algs {
				res, err = c.makeCred(&req, alg, pin)
				// The key checks the algorithm before it waits for a touch
				// (CTAP 2.1 §6.1.2 step 3 before step 11): asking again
				// costs the person nothing.
				if code, _ := CodeOf(err); code == StatusUnsupportedAlg && i < len(algs)-1 {
					continue
				}
				return err
			}
			return err
		})
	})
	return res, err
}

// GetAssertion signs in with a credential of req.RPID, opening the key
// once.
func (d *Device) GetAssertion(ctx context.Context, req GetAssertionRequest, p Prompter) (res []AssertionResult, err error) {
	const op = "get assertion"
	p = orNoPrompter(p)
	clock, sctx, stop := newStepClock(ctx, req.Timeout, req.PINTimeout)
	defer stop()
	err = openSession(sctx, op, d.path, clock.touch+5*time.Second, func(c *conn) error {
		info, err := c.info()
		if err != nil {
			return err
		}
		if req.Silent {
			res, err = c.getAssert(&req, "")
			return err
		}
		if req.UserVerification == UVRequired && info.U2FOnly() {
			// As for a registration (newPINIfRequired): a U2F key cannot
			// verify users at all, so no PIN could be set to help.
			return &Error{Op: op, Code: StatusUnsupportedOption, Err: errors.New("the relying party requires user verification and the key cannot verify users (U2F only)")}
		}
		if req.UserVerification == UVRequired && !info.PINSet() && !info.BuiltInUV() {
			return &Error{Op: op, Code: StatusPINNotSet, Err: errors.New("the relying party requires user verification and the key has no PIN")}
		}
		needPIN := info.PINSet() && req.UserVerification != UVDiscouraged
		return withPIN(sctx, clock, c, info, needPIN, "", p, TouchGetAssertion, func(pin string) (err error) {
			res, err = c.getAssert(&req, pin)
			return err
		})
	})
	return res, err
}

// newPINIfRequired decides, as a browser does, whether a registration
// verifies the user with the PIN; for "required" on a key without PIN it
// sets one first and returns it, so that the person who just chose it
// (typed twice in one prompt) is not asked for it again.
func newPINIfRequired(ctx context.Context, clock stepClock, c *conn, info *Info, uv UserVerification, p Prompter) (needPIN bool, newPIN string, err error) {
	switch {
	case info.PINSet():
		return uv != UVDiscouraged, "", nil
	case uv != UVRequired || info.BuiltInUV():
		return false, "", nil
	case !PINSupported(info):
		return false, "", &Error{Op: "make credential", Code: StatusUnsupportedOption, Err: errors.New("the relying party requires user verification and the key cannot verify users")}
	}
	minLen := max(int(info.MinPINLength), 4)
	pin, err := clock.askPIN(ctx, p, PINRequest{Reason: PINNew, Device: c.path, RetriesLeft: -1, MinLength: minLen})
	if err != nil {
		return false, "", pinAborted("set PIN", StatusKeepaliveCancel, err)
	}
	if err := CheckPIN(pin, minLen); err != nil {
		return false, "", err
	}
	if err := c.setPIN(pin); err != nil {
		return false, "", err
	}
	info.Options["clientPin"] = true
	return true, pin, nil
}

// withPIN runs fn, with the PIN when needPIN, showing the touch prompt
// around it. A wrong PIN asks again with the retries left; a PIN the key
// turns out to require (PIN_REQUIRED) is asked for once. known, when not
// empty, is a PIN set a moment ago in this session: the first attempt uses
// it instead of asking.
func withPIN(ctx context.Context, clock stepClock, c *conn, info *Info, needPIN bool, known string, p Prompter, purpose TouchPurpose, fn func(pin string) error) error {
	reason := PINEnter
	minLen := max(int(info.MinPINLength), 4)
	for {
		var pin string
		if needPIN && known != "" {
			pin, known = known, ""
		} else if needPIN {
			retries, _ := c.retries()
			if retries == 0 {
				// A blocked PIN cannot be typed right: ask for none.
				return &Error{Op: purpose.String(), Code: StatusPINBlocked, Err: errors.New("the key's PIN is blocked: only a factory reset makes the key usable again")}
			}
			var err error
			pin, err = clock.askPIN(ctx, p, PINRequest{Reason: reason, Device: c.path, RetriesLeft: retries, MinLength: minLen})
			if err != nil {
				// Giving up after a wrong PIN is still a cancel, but the
				// code keeps the key's last word: PIN_INVALID.
				code := StatusKeepaliveCancel
				if reason == PINRetry {
					code = StatusPINInvalid
				}
				return pinAborted(purpose.String(), code, err)
			}
		}
		// The touch clock starts now, when the key starts waiting, however
		// long the PIN took.
		dl, stopClock := clock.startTouch(ctx)
		done := p.Touch(TouchRequest{Device: c.path, Purpose: purpose, Deadline: dl})
		err := fn(pin)
		stopClock()
		done()
		switch code, _ := CodeOf(err); {
		case code == StatusPINInvalid:
			needPIN, reason = true, PINRetry
			continue
		case code == StatusPINRequired && !needPIN:
			needPIN = true
			continue
		}
		return err
	}
}

// stepClock gives each step of a key operation its own time: the PIN
// prompt its limit, the touch its countdown from the moment the key starts
// waiting. When the touch time is up it ends the session's context with
// ErrTouchTimeout, which tells the key to stop waiting (CTAPHID_CANCEL).
type stepClock struct {
	pin, touch time.Duration
	expire     context.CancelCauseFunc
}

// newStepClock returns the clock and the context the session runs under;
// stop releases it.
func newStepClock(ctx context.Context, touch, pin time.Duration) (stepClock, context.Context, func()) {
	if touch <= 0 {
		touch = DefaultTimeout
	}
	if pin <= 0 {
		pin = DefaultPINTimeout
	}
	sctx, cancel := context.WithCancelCause(ctx)
	return stepClock{pin: pin, touch: touch, expire: cancel}, sctx, func() { cancel(nil) }
}

// askPIN asks p for the PIN within the PIN's own time; a prompt that ran
// out of time returns an error wrapping ErrPINTimeout.
func (s stepClock) askPIN(ctx context.Context, p Prompter, req PINRequest) (string, error) {
	pctx, cancel := context.WithTimeoutCause(ctx, s.pin, ErrPINTimeout)
	defer cancel()
	pin, err := p.PIN(pctx, req)
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(pctx), ErrPINTimeout) {
		return "", fmt.Errorf("%w: %w", ErrPINTimeout, err)
	}
	return pin, err
}

// startTouch starts the touch countdown: it returns its deadline and a
// func that stops it.
func (s stepClock) startTouch(ctx context.Context) (time.Time, func()) {
	// The timer runs the touch's own time; a caller's earlier deadline
	// ends the session by itself (and is reported as the caller's).
	t := time.AfterFunc(s.touch, func() { s.expire(ErrTouchTimeout) })
	return deadline(ctx, s.touch), func() { t.Stop() }
}

// pinAborted is the error of a PIN prompt that ended without a PIN: timed
// out (USER_ACTION_TIMEOUT: its own limit or the caller's deadline) or
// cancelled (code).
func pinAborted(op string, code int, err error) error {
	if errors.Is(err, ErrPINTimeout) || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Op: op, Code: StatusUserActionTimeout, Err: err}
	}
	return &Error{Op: op, Code: code, Err: fmt.Errorf("%w: %w", ErrCancelled, err)}
}

func deadline(ctx context.Context, timeout time.Duration) time.Time {
	d := time.Now().Add(timeout)
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		return cd
	}
	return d
}

// ErrNoPrompter is returned when a PIN is needed and nobody can be asked.
var ErrNoPrompter = errors.New("a PIN is needed and no prompt is available")

type noPrompter struct{}

func (noPrompter) PIN(context.Context, PINRequest) (string, error) { return "", ErrNoPrompter }
func (noPrompter) Touch(TouchRequest) func()                       { return func() {} }

func orNoPrompter(p Prompter) Prompter {
	if p == nil {
		return noPrompter{}
	}
	return p
}

func isVirtualPath(path string) bool { return hidbridge.IsVirtual(path) }
