package result

import (
	"errors"
	"fmt"
)

// Error is a failure translated into a catalogue code. Each layer of KeyDesk
// returns one at its boundary; the UI shows the entry's text (Lookup of
// Code), never Error().
//
// errors.Is(err, target) is true when target is an *Error with the same Code,
// whatever the detail or wrapped error:
//
//	if errors.Is(err, result.New(result.CTAP(0x31))) { … wrong PIN … }
type Error struct {
	Code Code
	// Detail is technical context for logs and the helpdesk view, already
	// redacted.
	Detail string
	// Err is the underlying error, if any.
	Err error
}

// New returns an error with the given code and no detail.
func New(code Code) *Error {
	return &Error{Code: code}
}

// Errorf returns an error with the given code and a detail formatted as by
// fmt.Errorf; a %w verb wraps its operand, which Unwrap returns. The detail
// is redacted.
func Errorf(code Code, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	e := &Error{Code: code, Detail: Redact(err.Error())}
	if u := errors.Unwrap(err); u != nil {
		e.Err = u
	} else if w, ok := err.(interface{ Unwrap() []error }); ok {
		e.Err = errors.Join(w.Unwrap()...)
	}
	return e
}

// Wrap returns an *Error with the given code wrapping err; nil when err is
// nil. It returns error, not *Error, so that a nil result stays a nil
// interface.
func Wrap(code Code, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Code: code, Err: err}
}

// Error returns "code name: detail" for logs, redacted.
func (e *Error) Error() string {
	ent := Lookup(e.Code)
	s := e.Code.String()
	if ent.Name != "" && ent.Name != e.Code.Value {
		s += " " + ent.Name
	}
	switch {
	case e.Detail != "":
		s += ": " + e.Detail
	case e.Err != nil:
		s += ": " + Redact(e.Err.Error())
	}
	return s
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && e != nil && t.Code == e.Code
}

// Entry returns the catalogue entry of the error's code.
func (e *Error) Entry() Entry { return Lookup(e.Code) }

// CodeOf returns the code of the first *Error in err's chain.
func CodeOf(err error) (Code, bool) {
	var e *Error
	if errors.As(err, &e) && e != nil {
		return e.Code, true
	}
	return Code{}, false
}
