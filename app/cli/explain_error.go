package cli

import (
	"errors"
	"fmt"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap"
)

// explainError is the one place the CLI turns an error into words for a
// person: the catalogue's title and end-user advice where the error has a
// code, else the (redacted) error text.
func explainError(err error) string {
	c := errorCode(err)
	var de *webauthn.DOMError
	if c.IsZero() && errors.As(err, &de) {
		return result.Redact(de.Error())
	}
	if c.IsZero() {
		return result.Redact(localText(err))
	}
	e := result.Lookup(c).In(language())
	detail := ""
	var ce *ctap.Error
	var re *result.Error
	switch {
	case errors.As(err, &ce) && ce.Err != nil:
		detail = " (" + result.Redact(ce.Err.Error()) + ")"
	case errors.As(err, &re) && re.Detail != "" && re.Code.Source == result.SourceKeyDesk:
		// KeyDesk's own details name what went wrong ("no security key at
		// /dev/hidraw99"), in the CLI's language when made of its words.
		detail = " (" + re.Detail + ")"
		var we *wordError
		if errors.As(re.Err, &we) && re.Detail == result.Redact(we.Error()) {
			detail = " (" + result.Redact(we.local()) + ")"
		}
	}
	return fmt.Sprintf("%s%s\n%s", e.Title(), detail, e.Text(result.User))
}

// errorCode is err's result code: its own, or the catalogue code of a
// key error (ctap.ResultCodeOf, the mapper the ceremonies and the kiosk
// use too); zero when it has none.
func errorCode(err error) result.Code {
	if rc, ok := result.CodeOf(err); ok {
		return rc
	}
	c, _ := ctap.ResultCodeOf(err)
	return c
}
