package webauthn

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Origin is a checked web origin: scheme, host and optional port.
type Origin struct {
	Scheme string
	Host   string // lower case, no port, no brackets
	Port   string
}

func (o Origin) String() string {
	h := o.Host
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if o.Port != "" {
		h += ":" + o.Port
	}
	return o.Scheme + "://" + h
}

// ParseOrigin checks an origin as a browser requires of a WebAuthn caller:
// https, or http on localhost / a loopback address; no path, query or user.
func ParseOrigin(raw string) (Origin, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return Origin{}, securityError("the origin %q is not a URL like https://portal.example.com", raw)
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return Origin{}, securityError("the origin %q must be scheme and host only", raw)
	}
	host := strings.ToLower(u.Hostname())
	o := Origin{Scheme: strings.ToLower(u.Scheme), Host: host, Port: u.Port()}
	switch {
	case o.Scheme == "https":
	case o.Scheme == "http" && isLoopback(host):
	default:
		return Origin{}, securityError("the origin %q is not secure: WebAuthn needs https (http only for localhost)", raw)
	}
	return o, nil
}

func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// EffectiveRPID returns the RP ID a browser would use for origin: rpID
// itself when it equals the origin's host or is a registrable suffix of it
// (not a public suffix such as "com" or "co.uk"), the host when rpID is
// empty, and a SecurityError otherwise. The check happens before any key
// is touched.
//
// Specification: WebAuthn §5.1.3 step 8 and §5.1.4.1 step 8; HTML "is a
// registrable domain suffix of or is equal to".
func EffectiveRPID(origin Origin, rpID string) (string, error) {
	rpID = strings.ToLower(strings.TrimSpace(rpID))
	if rpID == "" {
		return origin.Host, nil
	}
	if rpID == origin.Host {
		return rpID, nil
	}
	if net.ParseIP(origin.Host) != nil || net.ParseIP(rpID) != nil {
		return "", securityError("the RP ID %q does not match the origin %s", rpID, origin)
	}
	if !strings.HasSuffix(origin.Host, "."+rpID) {
		return "", securityError("the RP ID %q is not %s or a parent domain of it", rpID, origin.Host)
	}
	if rpID == "localhost" {
		return rpID, nil
	}
	if etld1, err := publicsuffix.EffectiveTLDPlusOne(rpID); err != nil || !strings.HasSuffix(rpID, etld1) {
		return "", securityError("the RP ID %q is a public suffix, which no site may claim", rpID)
	}
	if ps, icann := publicsuffix.PublicSuffix(rpID); ps == rpID && (icann || strings.Contains(rpID, ".")) {
		return "", securityError("the RP ID %q is a public suffix, which no site may claim", rpID)
	}
	return rpID, nil
}

func securityError(format string, args ...any) error {
	return &DOMError{Name: SecurityError, Message: fmt.Sprintf(format, args...)}
}
