package ctap

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"
)

// The client PIN (CTAP 2.1 §6.5 authenticatorClientPIN): whether a key can
// have one, setting and changing it, the tries left, the new PIN's policy.
// The PIN/UV auth protocol (1 or 2, Info.PINUVAuthProtocols) is libfido2's
// choice: it takes the newest the key offers.

// PINSupported reports whether a key with this getInfo can have a client
// PIN: it lists the clientPin option, true (set) or false (not yet set).
// A key that does not list it has no PIN to set, change or ask for. As
// python-fido2's ClientPin.is_supported.
func PINSupported(info *Info) bool {
	if info == nil {
		return false
	}
	_, ok := info.Options["clientPin"]
	return ok
}

// CanSetPIN reports whether a first PIN can be set: the key supports a
// client PIN and has none yet (clientPin present and false).
func CanSetPIN(info *Info) bool { return PINSupported(info) && !info.PINSet() }

// CanChangePIN reports whether the key has a PIN that can be changed
// (clientPin true).
func CanChangePIN(info *Info) bool { return info != nil && info.PINSet() }

// PINRetries returns how many PIN attempts are left before the key blocks.
func (d *Device) PINRetries(ctx context.Context) (int, error) {
	var n int
	err := d.call(ctx, "read PIN retries", infoTimeout, func(c *conn) (err error) { n, err = c.retries(); return })
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

// pinInfo reads what a new PIN depends on: whether the key can have one,
// and its minimum length. When getInfo fails the key has the last word
// (supported, 4).
func (d *Device) pinInfo(ctx context.Context) (minLen int, supported bool) {
	info, err := d.Info(ctx)
	if err != nil {
		return 4, true
	}
	return max(int(info.MinPINLength), 4), PINSupported(info)
}

// SetPIN sets the first PIN of a key that has none.
// A key without client PIN (PINSupported) is not asked.
func (d *Device) SetPIN(ctx context.Context, pin string) error {
	minLen, ok := d.pinInfo(ctx)
	if !ok {
		return Unsupported("set PIN", "the key cannot have a PIN (no clientPin option)")
	}
	if err := CheckPIN(pin, minLen); err != nil {
		return err
	}
	return d.call(ctx, "set PIN", infoTimeout, func(c *conn) error { return c.setPIN(pin) })
}

// ChangePIN replaces the key's PIN; old must be right.
// A key without client PIN (PINSupported) is not asked.
func (d *Device) ChangePIN(ctx context.Context, old, pin string) error {
	minLen, ok := d.pinInfo(ctx)
	if !ok {
		return Unsupported("change PIN", "the key cannot have a PIN (no clientPin option)")
	}
	if err := CheckPIN(pin, minLen); err != nil {
		return err
	}
	if old == "" {
		return &Error{Op: "change PIN", Code: StatusPINRequired}
	}
	return d.call(ctx, "change PIN", infoTimeout, func(c *conn) error { return c.changePIN(old, pin) })
}
