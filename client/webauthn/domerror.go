package webauthn

import (
	"context"
	"errors"
	"fmt"

	"github.com/keydesk/keydesk/ctap"
)

// DOMException names a browser's navigator.credentials would throw.
// WebAuthn §5.1.3 and §5.1.4.1; WebIDL §3.14.1.
const (
	NotAllowedError   = "NotAllowedError"
	InvalidStateError = "InvalidStateError"
	SecurityError     = "SecurityError"
	NotSupportedError = "NotSupportedError"
	AbortError        = "AbortError"
	ConstraintError   = "ConstraintError"
	UnknownError      = "UnknownError"
	TypeError         = "TypeError"
)

// DOMError is a WebAuthn client failure named as a browser names it. Cause
// is the key's or the host's error (a *ctap.Error), for the helpdesk.
type DOMError struct {
	Name    string
	Message string
	Cause   error
}

func (e *DOMError) Error() string { return e.Name + ": " + e.Message }
func (e *DOMError) Unwrap() error { return e.Cause }

// Browser messages for the common cases, as Chromium words them.
const (
	msgNotAllowed = "The operation either timed out or was not allowed."
	msgExcluded   = "The user attempted to register an authenticator that contains one of the credentials already registered with the relying party."
	msgAbort      = "The operation was aborted."
	msgNoAlg      = "The authenticator supports none of the requested algorithms."
	msgNoKey      = "No security key is connected."
	msgNoRK       = "The security key cannot store a discoverable credential (passkey), which the relying party requires."
)

// noResidentKey is the refusal of a creation whose options require a
// discoverable credential on a key whose getInfo lacks the rk option
// (CTAP 2.1 §6.4: absent means false). A browser ignores such a key
// (WebAuthn §5.1.3 step 20, residentKey "required"); the key itself would
// answer CTAP2_ERR_UNSUPPORTED_OPTION, which WebAuthn §6.3.2 step 3 makes
// a ConstraintError. KeyDesk has the one key, so it refuses before the key
// is asked for a PIN or a touch, with the key's status as the cause.
func noResidentKey() *DOMError {
	return &DOMError{Name: ConstraintError, Message: msgNoRK,
		Cause: &ctap.Error{Op: "make credential", Code: ctap.StatusUnsupportedOption,
			Err: errors.New("the key cannot store a discoverable credential, which the relying party requires")}}
}

// fromKeyError maps a key or transport failure to the DOMException a
// browser would raise, keeping the cause.
func fromKeyError(ctx context.Context, err error) *DOMError {
	var de *DOMError
	if errors.As(err, &de) {
		return de
	}
	if errors.Is(err, ctap.ErrCancelled) || ctx.Err() != nil {
		if errors.Is(context.Cause(ctx), context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return &DOMError{Name: NotAllowedError, Message: msgNotAllowed, Cause: err}
		}
		return &DOMError{Name: AbortError, Message: msgAbort, Cause: err}
	}
	code, ok := ctap.CodeOf(err)
	if !ok {
		return &DOMError{Name: UnknownError, Message: "The operation failed for an unknown transient reason.", Cause: err}
	}
	switch code {
	case ctap.StatusCredentialExcluded:
		return &DOMError{Name: InvalidStateError, Message: msgExcluded, Cause: err}
	case ctap.StatusUnsupportedAlg:
		return &DOMError{Name: NotSupportedError, Message: msgNoAlg, Cause: err}
	case ctap.StatusKeyStoreFull:
		return &DOMError{Name: ConstraintError, Message: "The security key has no room for another discoverable credential.", Cause: err}
	case ctap.ErrCodeTX, ctap.ErrCodeRX, ctap.ErrCodeRXNotCBOR, ctap.ErrCodeRXInvalidCBOR, ctap.ErrCodeInternal, ctap.ErrCodeNotFIDO, ctap.ErrCodeInvalidParam:
		return &DOMError{Name: UnknownError, Message: "The security key stopped answering or answered something invalid.", Cause: err}
	default:
		// Denied, timed out, PIN trouble, no credentials: browsers give
		// one indistinct answer so that sites learn nothing.
		return &DOMError{Name: NotAllowedError, Message: msgNotAllowed, Cause: err}
	}
}

// choiceEnded is the cause of an account choice that ended without one:
// its time ran out (USER_ACTION_TIMEOUT, as a key names nobody acting in
// time; the chooser's deadline is not the Cloud's) or the person
// cancelled.
func choiceEnded(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &ctap.Error{Op: "choose account", Code: ctap.StatusUserActionTimeout, Err: err}
	case errors.Is(err, ctap.ErrCancelled):
		return err
	}
	return fmt.Errorf("%w: %w", ctap.ErrCancelled, err)
}
