package result

import "strings"

// Outcome is the result object of a ceremony, the same one the
// Authentication Cloud's fido2-client.js returns: success, code{statusCode,
// message} with the official short message, the transaction token on
// success, and a verbose message on failure. The token is a credential:
// show or log only Redacted copies.
type Outcome struct {
	Success bool        `json:"success"`
	Code    OutcomeCode `json:"code"`
	Token   string      `json:"token,omitempty"`
	Message string      `json:"message,omitempty"`
}

// OutcomeCode is the code member of an Outcome.
type OutcomeCode struct {
	StatusCode string `json:"statusCode"`
	Message    string `json:"message"`
}

// NewOutcome returns the result object for a fido2-client status code
// ("error-1001", "success-registration") with the catalogue's official
// message in code.message and message as the verbose description (as in
// "Error while trying to create new credential. NotAllowedError: …").
// Success is true exactly for the success-* codes. An unknown status code is
// kept verbatim, with an empty code.message.
func NewOutcome(statusCode, message string) Outcome {
	c := Nevis(statusCode)
	e := Lookup(c)
	o := Outcome{Code: OutcomeCode{StatusCode: c.Value}, Message: message}
	if !e.Generated {
		o.Code.Message = e.Message
	}
	o.Success = strings.HasPrefix(c.Value, "success-")
	return o
}

// Succeeded returns the success result object for code (SuccessRegistration
// or SuccessAuthentication) carrying the transaction token.
func Succeeded(code Code, token string) Outcome {
	o := NewOutcome(code.Value, "")
	o.Token = token
	return o
}

// Failed returns the failure result object for a fido2-client error code
// with detail as its verbose message.
func Failed(code Code, detail string) Outcome {
	return NewOutcome(code.Value, detail)
}

// Redacted returns a copy fit to show or log: the token replaced with
// "[redacted]" and secrets removed from the messages.
func (o Outcome) Redacted() Outcome {
	if o.Token != "" {
		o.Token = Redacted
	}
	o.Message = Redact(o.Message)
	o.Code.Message = Redact(o.Code.Message)
	return o
}

// Entry returns the catalogue entry of the outcome's status code.
func (o Outcome) Entry() Entry { return Lookup(Nevis(o.Code.StatusCode)) }

// Err returns nil for a successful outcome, else an *Error with the status
// code and the (redacted) verbose message as detail.
func (o Outcome) Err() error {
	if o.Success {
		return nil
	}
	return &Error{Code: Nevis(o.Code.StatusCode), Detail: Redact(o.Message)}
}
