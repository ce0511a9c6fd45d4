package ctap

import (
	"context"
	"errors"
	"fmt"

	libfido2 "github.com/keys-pub/go-libfido2"

	"github.com/keydesk/keydesk/client/result"
)

// libfido2 FIDO_ERR_* values that KeyDesk branches on (fido/err.h). The
// positive ones are CTAP2 status codes: libfido2 passes a key's status
// through unchanged.
const (
	ErrCodeTX                   = -1
	ErrCodeRX                   = -2
	ErrCodeRXNotCBOR            = -3
	ErrCodeRXInvalidCBOR        = -4
	ErrCodeInvalidParam         = -5
	ErrCodeInvalidSig           = -6
	ErrCodeInvalidArgument      = -7
	ErrCodeUserPresenceRequired = -8
	ErrCodeInternal             = -9
	ErrCodeNotFIDO              = -10
	ErrCodeUnsupportedOption    = 0x2B // CTAP2_ERR_UNSUPPORTED_OPTION

	StatusInvalidCommand      = 0x01
	StatusInvalidLength       = 0x03
	StatusInvalidCBOR         = 0x12
	StatusMissingParameter    = 0x14
	StatusCredentialExcluded  = 0x19
	StatusUnsupportedAlg      = 0x26
	StatusOperationDenied     = 0x27
	StatusKeyStoreFull        = 0x28
	StatusNoCredentials       = 0x2E
	StatusUserActionTimeout   = 0x2F
	StatusNotAllowed          = 0x30
	StatusPINInvalid          = 0x31
	StatusPINBlocked          = 0x32
	StatusPINAuthInvalid      = 0x33
	StatusPINAuthBlocked      = 0x34
	StatusPINNotSet           = 0x35
	StatusPINRequired         = 0x36
	StatusPINPolicyViolation  = 0x37
	StatusUVBlocked           = 0x3C
	StatusKeepaliveCancel     = 0x2D
	StatusActionTimeout       = 0x3A
	StatusUPRequired          = 0x3B
	StatusRequestTooLarge     = 0x39
	StatusInvalidCredential   = 0x22
	StatusUnsupportedOption   = 0x2B
	StatusInvalidOption       = 0x2C
	StatusOther               = 0x7F
	StatusIntegrityFailure    = 0x3D
	StatusInvalidSubcommand   = 0x3E
	StatusUnauthorizedPermiss = 0x40
)

// Error is a failure of a security-key operation. Code is libfido2's
// FIDO_ERR_* value: negative for host-side failures (transport, parsing),
// and for a key's answer the CTAP2 status byte itself. The UI shows the
// catalogue's text for Code, never Error().
type Error struct {
	Op   string // what KeyDesk was doing, e.g. "make credential"
	Code int
	Err  error // the underlying error, if any (never carries a secret)
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Op, CodeName(e.Code))
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, &Error{Code: c}) compare codes, whatever the Op.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Status returns the CTAP2 status byte, or false for host-side failures.
func (e *Error) Status() (byte, bool) {
	if e.Code > 0 && e.Code <= 0xFF {
		return byte(e.Code), true
	}
	return 0, false
}

// ResultCode is the failure's catalogue code, as ResultCodeOf names it.
func (e *Error) ResultCode() result.Code {
	c, _ := ResultCodeOf(e)
	return c
}

// ErrCode is a sentinel for errors.Is: errors.Is(err, ctap.ErrCode(0x31)).
func ErrCode(code int) error { return &Error{Code: code} }

// ErrKeyRemoved is wrapped in the *Error of an operation the key stopped
// answering because it was unplugged (it can no longer be opened).
var ErrKeyRemoved = errors.New("the security key was removed")

// ErrCancelled is returned (wrapped in *Error) when the caller's context
// ended the operation.
var ErrCancelled = errors.New("cancelled")

// ErrTouchTimeout and ErrPINTimeout are wrapped in the *Error of an
// operation whose step ran out of time: nobody touched the key before its
// countdown ended, or nobody entered the PIN in time. Each step has its
// own clock (MakeCredentialRequest.Timeout, PINTimeout), so a slow PIN
// does not shorten the touch. Neither wraps ErrCancelled: a timeout is
// not a person's cancel.
var (
	ErrTouchTimeout = errors.New("the key was not touched in time")
	ErrPINTimeout   = errors.New("the PIN was not entered in time")
)

// CodeOf returns the FIDO_ERR code carried by err, if any.
func CodeOf(err error) (int, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e.Code, true
	}
	return 0, false
}

// ResultCodeOf is the one place a key failure becomes a catalogue code;
// the ceremonies' cause, the CLI and the kiosk all ask it. KeyDesk's own
// code wins where KeyDesk knows more than the status it carries (a PIN
// outside the rules, a step that ran out of time, a person's cancel, a key
// that was pulled), else the key's CTAP status or libfido2's FIDO_ERR.
// A timeout is never a cancel: the caller's deadline, the touch countdown
// and the PIN prompt's limit each keep their own code. It returns false
// when err holds neither an *Error nor one of the sentinels above.
func ResultCodeOf(err error) (result.Code, bool) {
	var e *Error
	isKey := errors.As(err, &e) && e != nil
	switch {
	case err == nil:
		return result.Code{}, false
	case errors.Is(err, ErrPINTooShort):
		return result.CodePINTooShort, true
	case errors.Is(err, ErrPINTooLong):
		return result.CodePINTooLong, true
	case isKey && e.Code == StatusPINInvalid:
		// A person who gives up after a wrong PIN cancels, but the wrong
		// PIN is why the operation ended: that is what the helpdesk needs.
		return result.CTAP(StatusPINInvalid), true
	case errors.Is(err, ErrTouchTimeout):
		return result.CodeTouchTimeout, true
	case errors.Is(err, ErrPINTimeout):
		return result.CodePINTimeout, true
	case errors.Is(err, ErrCancelled):
		return result.CodeCancelled, true
	case errors.Is(err, ErrKeyRemoved):
		return result.CodeKeyRemoved, true
	case errors.Is(err, ErrNotSupported):
		// The key lacks the feature (Unsupported): worded for the key,
		// not as a service's requirement (0x2B).
		return result.CodeKeyUnsupported, true
	case !isKey:
		return result.Code{}, false
	}
	if s, ok := e.Status(); ok {
		return result.CTAP(s), true
	}
	return result.Libfido2(e.Code), true
}

// CodeName names a FIDO_ERR code the way libfido2's fido_strerr does, for
// logs and error strings; the catalogue in client/result explains it.
func CodeName(code int) string {
	if n, ok := codeNames[code]; ok {
		return fmt.Sprintf("%s (%s)", n, codeNumber(code))
	}
	return "FIDO error " + codeNumber(code)
}

func codeNumber(code int) string {
	if code < 0 {
		return fmt.Sprint(code)
	}
	return fmt.Sprintf("0x%02X", code)
}

var codeNames = map[int]string{
	0x00: "FIDO_OK", ErrCodeTX: "FIDO_ERR_TX", ErrCodeRX: "FIDO_ERR_RX",
	ErrCodeRXNotCBOR: "FIDO_ERR_RX_NOT_CBOR", ErrCodeRXInvalidCBOR: "FIDO_ERR_RX_INVALID_CBOR",
	ErrCodeInvalidParam: "FIDO_ERR_INVALID_PARAM", ErrCodeInvalidSig: "FIDO_ERR_INVALID_SIG",
	ErrCodeInvalidArgument: "FIDO_ERR_INVALID_ARGUMENT", ErrCodeUserPresenceRequired: "FIDO_ERR_USER_PRESENCE_REQUIRED",
	ErrCodeInternal: "FIDO_ERR_INTERNAL", ErrCodeNotFIDO: "FIDO_ERR_NOTFOUND",
	StatusInvalidCommand: "FIDO_ERR_INVALID_COMMAND", StatusInvalidLength: "FIDO_ERR_INVALID_LENGTH",
	StatusInvalidCBOR: "FIDO_ERR_INVALID_CBOR", StatusMissingParameter: "FIDO_ERR_MISSING_PARAMETER",
	StatusCredentialExcluded: "FIDO_ERR_CREDENTIAL_EXCLUDED", StatusUnsupportedAlg: "FIDO_ERR_UNSUPPORTED_ALGORITHM",
	StatusOperationDenied: "FIDO_ERR_OPERATION_DENIED", StatusKeyStoreFull: "FIDO_ERR_KEY_STORE_FULL",
	StatusNoCredentials: "FIDO_ERR_NO_CREDENTIALS", StatusUserActionTimeout: "FIDO_ERR_USER_ACTION_TIMEOUT",
	StatusNotAllowed: "FIDO_ERR_NOT_ALLOWED", StatusPINInvalid: "FIDO_ERR_PIN_INVALID",
	StatusPINBlocked: "FIDO_ERR_PIN_BLOCKED", StatusPINAuthInvalid: "FIDO_ERR_PIN_AUTH_INVALID",
	StatusPINAuthBlocked: "FIDO_ERR_PIN_AUTH_BLOCKED", StatusPINNotSet: "FIDO_ERR_PIN_NOT_SET",
	StatusPINRequired: "FIDO_ERR_PIN_REQUIRED", StatusPINPolicyViolation: "FIDO_ERR_PIN_POLICY_VIOLATION",
	StatusUVBlocked: "FIDO_ERR_UV_BLOCKED", StatusKeepaliveCancel: "FIDO_ERR_KEEPALIVE_CANCEL",
	StatusActionTimeout: "FIDO_ERR_ACTION_TIMEOUT", StatusUPRequired: "FIDO_ERR_UP_REQUIRED",
	StatusRequestTooLarge: "FIDO_ERR_REQUEST_TOO_LARGE", StatusInvalidCredential: "FIDO_ERR_INVALID_CREDENTIAL",
	StatusUnsupportedOption: "FIDO_ERR_UNSUPPORTED_OPTION", StatusInvalidOption: "FIDO_ERR_INVALID_OPTION",
	StatusOther: "FIDO_ERR_ERR_OTHER", StatusIntegrityFailure: "FIDO_ERR_INTEGRITY_FAILURE",
	StatusInvalidSubcommand: "FIDO_ERR_INVALID_SUBCOMMAND", StatusUnauthorizedPermiss: "FIDO_ERR_UNAUTHORIZED_PERM",
}

// goLibfido2Codes maps go-libfido2's sentinel errors back to the FIDO_ERR
// codes it dropped (go-libfido2 errFromCode).
var goLibfido2Codes = map[error]int{
	libfido2.ErrTX: ErrCodeTX, libfido2.ErrRX: ErrCodeRX,
	libfido2.ErrInvalidArgument: ErrCodeInvalidArgument, libfido2.ErrUserPresenceRequired: ErrCodeUserPresenceRequired,
	libfido2.ErrInvalidCommand: StatusInvalidCommand, libfido2.ErrInvalidLength: StatusInvalidLength,
	libfido2.ErrMissingParameter: StatusMissingParameter, libfido2.ErrNotAllowed: StatusNotAllowed,
	libfido2.ErrActionTimeout: StatusActionTimeout, libfido2.ErrPinNotSet: StatusPINNotSet,
	libfido2.ErrInvalidCredential: StatusInvalidCredential, libfido2.ErrUnsupportedOption: StatusUnsupportedOption,
	libfido2.ErrPinInvalid: StatusPINInvalid, libfido2.ErrRXNotCBOR: ErrCodeRXNotCBOR,
	libfido2.ErrInternal: ErrCodeInternal, libfido2.ErrPinPolicyViolation: StatusPINPolicyViolation,
	libfido2.ErrNoCredentials: StatusNoCredentials, libfido2.ErrPinAuthBlocked: StatusPINAuthBlocked,
	libfido2.ErrPinRequired: StatusPINRequired, libfido2.ErrUPRequired: StatusUPRequired,
	libfido2.ErrRXInvalidCBOR: ErrCodeRXInvalidCBOR, libfido2.ErrOperationDenied: StatusOperationDenied,
	libfido2.ErrKeepaliveCancel: StatusKeepaliveCancel, libfido2.ErrInvalidOption: StatusInvalidOption,
	libfido2.ErrOther: StatusOther, libfido2.ErrNotFIDO2: ErrCodeNotFIDO,
}

// fromGoLibfido2 translates a go-libfido2 error into *Error with its code.
func fromGoLibfido2(op string, err error) error {
	if err == nil {
		return nil
	}
	var ge libfido2.Error
	if errors.As(err, &ge) {
		return &Error{Op: op, Code: ge.Code}
	}
	for sentinel, code := range goLibfido2Codes {
		if errors.Is(err, sentinel) {
			return &Error{Op: op, Code: code}
		}
	}
	// go-libfido2's own argument checks ("no rp id specified") and anything
	// else: an invalid argument, with the text kept for the helpdesk.
	return &Error{Op: op, Code: ErrCodeInvalidArgument, Err: err}
}

// fromContext wraps a context's end: a person's cancel as a cancelled
// operation; the touch countdown, or the caller's own deadline, as a
// timed-out one (USER_ACTION_TIMEOUT, what a key answers when its own wait
// runs out). A deadline is not a cancel: only a cancel wraps ErrCancelled.
func fromContext(op string, ctx context.Context) error {
	cause := context.Cause(ctx)
	if errors.Is(cause, ErrTouchTimeout) || errors.Is(cause, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &Error{Op: op, Code: StatusUserActionTimeout, Err: cause}
	}
	return &Error{Op: op, Code: StatusKeepaliveCancel, Err: fmt.Errorf("%w: %w", ErrCancelled, cause)}
}
