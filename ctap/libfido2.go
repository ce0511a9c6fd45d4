package ctap

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	libfido2 "github.com/keys-pub/go-libfido2"

	"github.com/keydesk/keydesk/ctap/hidbridge"
)

// This file is the only one that imports go-libfido2.

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
// handle: every call opens and closes the key, as go-libfido2 does, so a
// key can be unplugged between calls.
type Device struct {
	path string
	dev  *libfido2.Device
}

var _ Authenticator = (*Device)(nil)

// Open returns the key at path (from ListDevices, or "virtual:…").
func Open(path string) (*Device, error) {
	if !testOnlyKeep(path) {
		return nil, errFilteredForTesting(path)
	}
	d, err := libfido2.NewDevice(path)
	if err != nil {
		return nil, fromGoLibfido2("open", err)
	}
	return &Device{path: path, dev: d}, nil
}

// Path is the key's libfido2 device path.
func (d *Device) Path() string { return d.path }

// Info returns the key's full getInfo.
func (d *Device) Info(ctx context.Context) (*Info, error) { return infoShim(ctx, d.path) }

// call runs a go-libfido2 call so that ctx cancels it on the key.
func (d *Device) call(ctx context.Context, op string, fn func() error) error {
	err, cancelled := cancellable(ctx, d.path, fn)
	if cancelled {
		return fromContext(op, ctx)
	}
	return fromGoLibfido2(op, err)
}

// PINRetries returns how many PIN attempts are left before the key blocks.
func (d *Device) PINRetries(ctx context.Context) (int, error) {
	var n int
	err := d.call(ctx, "read PIN retries", func() (err error) { n, err = d.dev.RetryCount(); return })
	return n, err
}

// ErrPINTooShort and ErrPINTooLong are wrapped by CheckPIN's errors: the
// PIN never reached the key, so the caller can say so (the code stays
// PIN_POLICY_VIOLATION, what a key would have answered).
var (
	ErrPINTooShort = errors.New("the PIN is too short")
	ErrPINTooLong  = errors.New("the PIN is too long")
)

// CheckPIN validates a new PIN against the key's policy before it is sent:
// at least minLen Unicode code points (4 when the key says nothing), at
// most 63 bytes of UTF-8 (CTAP 2.1 §6.5.5.5).
func CheckPIN(pin string, minLen int) error {
	if minLen < 4 {
		minLen = 4
	}
	switch {
	case !utf8.ValidString(pin):
		return &Error{Op: "check PIN", Code: StatusPINPolicyViolation, Err: errors.New("the PIN is not valid text")}
	case utf8.RuneCountInString(pin) < minLen:
		return &Error{Op: "check PIN", Code: StatusPINPolicyViolation, Err: fmt.Errorf("%w: it needs at least %d characters", ErrPINTooShort, minLen)}
	case len(pin) > 63:
		return &Error{Op: "check PIN", Code: StatusPINPolicyViolation, Err: fmt.Errorf("%w: it has more than 63 bytes", ErrPINTooLong)}
	}
	return nil
}

func (d *Device) minPINLength(ctx context.Context) int {
	if info, err := d.Info(ctx); err == nil && info.MinPINLength > 0 {
		return int(info.MinPINLength)
	}
	return 4
}

// SetPIN sets the first PIN of a key that has none.
func (d *Device) SetPIN(ctx context.Context, pin string) error {
	if err := CheckPIN(pin, d.minPINLength(ctx)); err != nil {
		return err
	}
	return d.call(ctx, "set PIN", func() error { return d.dev.SetPIN(pin, "") })
}

// ChangePIN replaces the key's PIN; old must be right.
func (d *Device) ChangePIN(ctx context.Context, old, pin string) error {
	if err := CheckPIN(pin, d.minPINLength(ctx)); err != nil {
		return err
	}
	if old == "" {
		return &Error{Op: "change PIN", Code: StatusPINRequired}
	}
	return d.call(ctx, "change PIN", func() error { return d.dev.SetPIN(pin, old) })
}

// Reset erases every credential and the PIN. Keys allow it only for a few
// seconds after being plugged in, and ask for a touch.
func (d *Device) Reset(ctx context.Context, p Prompter) error {
	p = orNoPrompter(p)
	done := p.Touch(TouchRequest{Device: d.path, Purpose: "reset", Deadline: deadline(ctx, 30*time.Second)})
	defer done()
	return d.call(ctx, "reset", d.dev.Reset)
}

// CredentialSlots are a key's discoverable-credential counts.
type CredentialSlots struct {
	Existing  int64 `json:"existing"`
	Remaining int64 `json:"remaining"`
}

// StoredCredential is a discoverable credential kept on a key.
type StoredCredential struct {
	RPID      string     `json:"rpId"`
	ID        []byte     `json:"id"`
	Algorithm int        `json:"algorithm"`
	User      UserEntity `json:"user"`
}

// CredentialSlots returns how many discoverable credentials the key holds
// and how many more fit. It needs the PIN.
func (d *Device) CredentialSlots(ctx context.Context, pin string) (CredentialSlots, error) {
	var ci *libfido2.CredentialsInfo
	err := d.call(ctx, "read credential slots", func() (err error) { ci, err = d.dev.CredentialsInfo(pin); return })
	if err != nil {
		return CredentialSlots{}, err
	}
	return CredentialSlots{Existing: ci.RKExisting, Remaining: ci.RKRemaining}, nil
}

// RelyingParties lists the relying parties with discoverable credentials.
func (d *Device) RelyingParties(ctx context.Context, pin string) ([]RelyingPartyEntity, error) {
	var rps []*libfido2.RelyingParty
	err := d.call(ctx, "list relying parties", func() (err error) { rps, err = d.dev.RelyingParties(pin); return })
	if errors.Is(err, ErrCode(StatusNoCredentials)) {
		return nil, nil // CTAP 2.1 §6.8.3: a key with none answers NO_CREDENTIALS
	}
	if err != nil {
		return nil, err
	}
	out := make([]RelyingPartyEntity, 0, len(rps))
	for _, rp := range rps {
		out = append(out, RelyingPartyEntity{ID: rp.ID, Name: rp.Name})
	}
	return out, nil
}

// Credentials lists the discoverable credentials of one relying party.
func (d *Device) Credentials(ctx context.Context, rpID, pin string) ([]StoredCredential, error) {
	var creds []*libfido2.Credential
	err := d.call(ctx, "list credentials", func() (err error) { creds, err = d.dev.Credentials(rpID, pin); return })
	if errors.Is(err, ErrCode(StatusNoCredentials)) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]StoredCredential, 0, len(creds))
	for _, c := range creds {
		out = append(out, StoredCredential{
			RPID: rpID, ID: c.ID, Algorithm: int(c.Type),
			User: UserEntity{ID: c.User.ID, Name: c.User.Name, DisplayName: c.User.DisplayName},
		})
	}
	return out, nil
}

// DeleteCredential removes one discoverable credential.
func (d *Device) DeleteCredential(ctx context.Context, id []byte, pin string) error {
	return d.call(ctx, "delete credential", func() error { return d.dev.DeleteCredential(id, pin) })
}

// ChooseAlgorithm returns the first of the RP's algorithms the key
// supports, as a browser picks from pubKeyCredParams; false when none.
func ChooseAlgorithm(rp []int, info *Info) (int, bool) {
	if len(rp) == 0 {
		rp = []int{int(AlgES256), int(AlgRS256)} // WebAuthn §5.1.3 default
	}
	for _, a := range rp {
		if info.SupportsAlgorithm(a) {
			return a, true
		}
	}
	return 0, false
}

// MakeCredential creates a credential. It asks the prompter for the PIN
// when user verification needs it (and for a new PIN when UV is required
// from a key that has none), tells it when the key waits for a touch, and
// asks again after a wrong PIN with the retries left. It opens the key
// once for all of it.
func (d *Device) MakeCredential(ctx context.Context, req MakeCredentialRequest, p Prompter) (res *MakeCredentialResult, err error) {
	const op = "make credential"
	p = orNoPrompter(p)
	if req.Timeout <= 0 {
		req.Timeout = DefaultTimeout
	}
	err = openSession(ctx, op, d.path, req.Timeout+5*time.Second, func(c *conn) error {
		info, err := c.info()
		if err != nil {
			return err
		}
		alg, ok := ChooseAlgorithm(req.Algorithms, info)
		if !ok {
			return &Error{Op: op, Code: StatusUnsupportedAlg, Err: errors.New("the key supports none of the algorithms the relying party accepts")}
		}
		if req.ResidentKeyPreferred {
			req.ResidentKey = info.Options["rk"]
		}
		needPIN, err := newPINIfRequired(ctx, c, info, req.UserVerification, p)
		if err != nil {
			return err
		}
		return withPIN(ctx, c, info, needPIN, p, "create a credential", req.Timeout, func(pin string) (err error) {
			res, err = c.makeCred(&req, alg, pin)
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
	if req.Timeout <= 0 {
		req.Timeout = DefaultTimeout
	}
	err = openSession(ctx, op, d.path, req.Timeout+5*time.Second, func(c *conn) error {
		info, err := c.info()
		if err != nil {
			return err
		}
		if req.UserVerification == UVRequired && !info.PINSet() && !info.BuiltInUV() {
			return &Error{Op: op, Code: StatusPINNotSet, Err: errors.New("the relying party requires user verification and the key has no PIN")}
		}
		needPIN := info.PINSet() && req.UserVerification != UVDiscouraged
		return withPIN(ctx, c, info, needPIN, p, "sign in", req.Timeout, func(pin string) (err error) {
			res, err = c.getAssert(&req, pin)
			return err
		})
	})
	return res, err
}

// newPINIfRequired decides, as a browser does, whether a registration
// verifies the user with the PIN; for "required" on a key without PIN it
// sets one first.
func newPINIfRequired(ctx context.Context, c *conn, info *Info, uv UserVerification, p Prompter) (bool, error) {
	switch {
	case info.PINSet():
		return uv != UVDiscouraged, nil
	case uv != UVRequired || info.BuiltInUV():
		return false, nil
	case !info.PINSupported():
		return false, &Error{Op: "make credential", Code: StatusUnsupportedOption, Err: errors.New("the relying party requires user verification and the key cannot verify users")}
	}
	minLen := max(int(info.MinPINLength), 4)
	pin, err := p.PIN(ctx, PINRequest{Reason: PINNew, Device: c.path, RetriesLeft: -1, MinLength: minLen})
	if err != nil {
		return false, &Error{Op: "set PIN", Code: StatusKeepaliveCancel, Err: fmt.Errorf("%w: %w", ErrCancelled, err)}
	}
	if err := CheckPIN(pin, minLen); err != nil {
		return false, err
	}
	if err := c.setPIN(pin); err != nil {
		return false, err
	}
	info.Options["clientPin"] = true
	return true, nil
}

// withPIN runs fn, with the PIN when needPIN, showing the touch prompt
// around it. A wrong PIN asks again with the retries left; a PIN the key
// turns out to require (PIN_REQUIRED) is asked for once.
func withPIN(ctx context.Context, c *conn, info *Info, needPIN bool, p Prompter, purpose string, timeout time.Duration, fn func(pin string) error) error {
	reason := PINEnter
	minLen := max(int(info.MinPINLength), 4)
	for {
		var pin string
		if needPIN {
			retries, _ := c.retries()
			if retries == 0 {
				// A blocked PIN cannot be typed right: ask for none.
				return &Error{Op: purpose, Code: StatusPINBlocked, Err: errors.New("the key's PIN is blocked: only a factory reset makes the key usable again")}
			}
			var err error
			pin, err = p.PIN(ctx, PINRequest{Reason: reason, Device: c.path, RetriesLeft: retries, MinLength: minLen})
			if err != nil {
				// Giving up after a wrong PIN is still a cancel, but the
				// code keeps the key's last word: PIN_INVALID.
				code := StatusKeepaliveCancel
				if reason == PINRetry {
					code = StatusPINInvalid
				}
				return &Error{Op: purpose, Code: code, Err: fmt.Errorf("%w: %w", ErrCancelled, err)}
			}
		}
		done := p.Touch(TouchRequest{Device: c.path, Purpose: purpose, Deadline: deadline(ctx, timeout)})
		err := fn(pin)
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
