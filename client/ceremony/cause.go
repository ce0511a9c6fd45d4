package ceremony

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap"
)

// causeOf names the most specific catalogue code behind err: the key's CTAP
// status, libfido2's host-side error, the Cloud's HTTP status or API code,
// or one of KeyDesk's own; result.NoCode when none names it (never the
// browser's UnknownError, which only a DOMError of that name gives). The
// fido2-client status code says which step failed; the cause says why.
func causeOf(err error) result.Code {
	if c, ok := result.CodeOf(err); ok {
		return c
	}
	var oe *webauthn.OptionsError
	if errors.As(err, &oe) {
		return result.DOMException(webauthn.TypeError)
	}
	if c, ok := ctap.ResultCodeOf(err); ok {
		return c
	}
	if errors.Is(err, context.Canceled) {
		return result.CodeCancelled
	}
	var de *webauthn.DOMError
	if errors.As(err, &de) {
		switch {
		case de.Name == webauthn.SecurityError:
			return result.CodeRPIDMismatch
		case de.Cause != nil:
			if c := causeOf(de.Cause); c != result.NoCode && !c.IsZero() {
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
		return result.CodeInsecureURL
	}
	var re *cloud.RedirectError
	if errors.As(err, &re) {
		return result.CodeRedirectRefused
	}
	var tle *cloud.BodyTooLargeError
	if errors.As(err, &tle) {
		return result.CodeResponseTooLarge
	}
	if isTLSTrustError(err) {
		return result.CodeTLSUntrusted
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return result.CodeCloudTimeout
	}
	var oe2 *net.OpError
	if errors.As(err, &ne) || errors.As(err, &oe2) {
		return result.CodeUnreachable
	}
	if errors.Is(err, cloud.ErrMalformedResponse) {
		return result.CodeBadResponse
	}
	return result.NoCode
}

// ended is the verbose message and the error of a wait on the
// Authentication Cloud that ctx ended: a person's cancel wraps ctap.ErrCancelled; a
// deadline stays what it is (causeOf names it a timeout, not a cancel).
func ended(ctx context.Context, err error) (string, error) {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return "Timed out while waiting for the Authentication Cloud.", err
	}
	return "Cancelled while waiting for the Authentication Cloud.", fmt.Errorf("%w: %w", ctap.ErrCancelled, err)
}

// isTLSTrustError reports a server certificate that did not verify:
// unknown authority, expired, or for another host.
func isTLSTrustError(err error) bool {
	var cve *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cve) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci)
}

// CauseOf names the most specific catalogue code behind an error of a
// ceremony's parts (ctap, the Cloud client, the WebAuthn client), as
// Result.Cause does: for callers reporting a failure outside a ceremony.
func CauseOf(err error) result.Code { return causeOf(err) }
