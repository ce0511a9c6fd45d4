package cli

import (
	"errors"
	"fmt"

	"github.com/keydesk/keydesk/client"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
)

// explainError is the one place the CLI turns an error into words for a
// person: the catalogue's title and end-user advice where the error has a
// code, else the (redacted) error text.
func explainError(err error) string {
	var c result.Code
	if rc, ok := result.CodeOf(err); ok {
		c = rc
	} else if code, ok := ctap.CodeOf(err); ok {
		if code > 0 && code <= 0xFF {
			c = result.CTAP(byte(code))
		} else {
			c = result.Libfido2(code)
		}
	}
	var de *client.DOMError
	if c.IsZero() && errors.As(err, &de) {
		return result.Redact(de.Error())
	}
	if c.IsZero() {
		return result.Redact(err.Error())
	}
	e := result.Lookup(c)
	detail := ""
	var ce *ctap.Error
	if errors.As(err, &ce) && ce.Err != nil {
		detail = " (" + result.Redact(ce.Err.Error()) + ")"
	}
	return fmt.Sprintf("%s%s\n%s", e.Title(), detail, e.Text(result.User))
}
