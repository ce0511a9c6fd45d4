package client

import (
	"context"
	"errors"
	"net"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
)

// causeOf names the most specific catalogue code behind err: the key's CTAP
// status, libfido2's host-side error, the Cloud's HTTP status or API code,
// or one of KeyDesk's own. The fido2-client status code says which step
// failed; the cause says why.
func causeOf(err error) result.Code {
	if c, ok := result.CodeOf(err); ok {
		return c
	}
	var oe *OptionsError
	if errors.As(err, &oe) {
		return result.DOMException(TypeError)
	}
	if errors.Is(err, ctap.ErrCancelled) || errors.Is(err, context.Canceled) {
		return result.KeyDesk("cancelled")
	}
	if code, ok := ctap.CodeOf(err); ok {
		switch {
		case code == ctap.StatusUserActionTimeout || code == ctap.StatusActionTimeout:
			return result.CTAP(byte(code))
		case code > 0 && code <= 0xFF:
			return result.CTAP(byte(code))
		default:
			return result.Libfido2(code)
		}
	}
	var de *DOMError
	if errors.As(err, &de) {
		switch {
		case de.Name == SecurityError:
			return result.KeyDesk("rp-id-mismatch")
		case de.Cause != nil:
			if c := causeOf(de.Cause); !c.IsZero() {
				return c
			}
		}
		return result.DOMException(de.Name)
	}
	var ae *cloud.APIError
	if errors.As(err, &ae) {
		switch ae.Body.Style {
		case cloud.StyleTenant:
			if ae.Body.Code != "" {
				return result.TenantAPI(ae.Body.Code)
			}
		case cloud.StyleAppNative:
			if ae.Body.Code != "" {
				return result.AppNative(ae.Body.Code)
			}
		}
		return result.HTTP(ae.HTTPStatus)
	}
	var ce *cloud.ConfigError
	if errors.As(err, &ce) {
		return result.KeyDesk("insecure-url")
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return result.KeyDesk("unreachable")
	}
	var ne net.Error
	var oe2 *net.OpError
	if errors.As(err, &ne) || errors.As(err, &oe2) {
		return result.KeyDesk("unreachable")
	}
	if errors.Is(err, cloud.ErrMalformedResponse) {
		return result.KeyDesk("bad-response")
	}
	return result.DOMException(UnknownError)
}
