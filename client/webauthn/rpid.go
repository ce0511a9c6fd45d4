package webauthn

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Origin is a checked web origin: scheme, host and optional port, as a
// browser serialises it (WHATWG URL §4.4 "origin", HTML "serialization of
// an origin"): the host in its ASCII form, an IPv4 address in dotted
// decimal, and no port when it is the scheme's default.
type Origin struct {
	Scheme string
	Host   string // lower case ASCII, no port, no brackets
	Port   string // empty for the scheme's default port
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

// defaultPorts are the special schemes' default ports, which an origin's
// serialisation leaves out (WHATWG URL §4.1 "default port").
var defaultPorts = map[string]string{"https": "443", "http": "80"}

// ParseOrigin checks an origin as a browser requires of a WebAuthn caller:
// https, or http on localhost / a loopback address; no path, query or user.
// The host is parsed as the URL standard parses it (see parseHost); a
// default port is dropped. Surrounding whitespace is refused, not trimmed:
// a browser never produces an origin with it, so it is a mistake in the
// configuration that must be seen.
func ParseOrigin(raw string) (Origin, error) {
	if raw != strings.TrimSpace(raw) {
		return Origin{}, securityError("the origin %q has surrounding spaces", raw)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return Origin{}, securityError("the origin %q is not a URL like https://portal.example.com", raw)
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return Origin{}, securityError("the origin %q must be scheme and host only", raw)
	}
	scheme := strings.ToLower(u.Scheme)
	host, _, err := parseHost(u.Hostname(), strings.HasPrefix(u.Host, "["))
	if err != nil {
		return Origin{}, securityError("the origin %q has an invalid host: %v", raw, err)
	}
	o := Origin{Scheme: scheme, Host: host, Port: u.Port()}
	if o.Port != "" {
		// WHATWG URL §4.4 port state: leading zeros are not part of the
		// number; a port equal to the default port is null.
		n, err := strconv.ParseUint(o.Port, 10, 16)
		if err != nil {
			return Origin{}, securityError("the origin %q has an invalid port", raw)
		}
		o.Port = strconv.FormatUint(n, 10)
		if defaultPorts[scheme] == o.Port {
			o.Port = ""
		}
	}
	switch {
	case o.Scheme == "https":
	case o.Scheme == "http" && isLoopback(o.Host):
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

// hostKind says what parseHost found.
type hostKind int

const (
	hostDomain hostKind = iota
	hostIPv4
	hostIPv6
)

// domainToASCII is UTS #46 ToASCII with the URL standard's settings for
// "domain to ASCII" with beStrict false (WHATWG URL §3.3): non-transitional
// processing, CheckHyphens false, CheckBidi and CheckJoiners true,
// UseSTD3ASCIIRules false, VerifyDnsLength false. Its mapping also lower-cases.
var domainToASCII = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.CheckHyphens(false),
	idna.BidiRule(),
	idna.CheckJoiners(true),
	idna.StrictDomainName(false),
	idna.VerifyDNSLength(false),
)

// parseHost is the URL standard's host parser (WHATWG URL §3.5) for a
// special scheme's host, already percent-decoded: an IPv6 literal (given
// without its brackets, bracketed true); otherwise the domain is converted
// to ASCII (UTS #46), refused when it holds a forbidden domain code point,
// and read as an IPv4 address when it ends in a number ("0x7f.0.0.1",
// "2130706433" and "127.1" are all 127.0.0.1).
func parseHost(host string, bracketed bool) (string, hostKind, error) {
	if bracketed {
		ip := net.ParseIP(host)
		if ip == nil || ip.To4() != nil && !strings.Contains(host, ":") {
			return "", 0, fmt.Errorf("%q is not an IPv6 address", host)
		}
		return ip.String(), hostIPv6, nil
	}
	if host == "" {
		return "", 0, fmt.Errorf("empty host")
	}
	ascii, err := domainToASCII.ToASCII(host)
	if err != nil || ascii == "" {
		return "", 0, fmt.Errorf("%q is not a valid domain name", host)
	}
	if i := strings.IndexFunc(ascii, forbiddenDomainCodePoint); i >= 0 {
		return "", 0, fmt.Errorf("%q holds the forbidden character %q", host, ascii[i])
	}
	if endsInANumber(ascii) {
		ip, err := parseIPv4(ascii)
		if err != nil {
			return "", 0, fmt.Errorf("%q: %v", host, err)
		}
		return ip, hostIPv4, nil
	}
	return ascii, hostDomain, nil
}

// forbiddenDomainCodePoint is the URL standard's forbidden domain code
// point (WHATWG URL §3.2): the forbidden host code points, C0 controls,
// "%" and DEL.
func forbiddenDomainCodePoint(r rune) bool {
	return r <= 0x20 || r == 0x7f || strings.ContainsRune("#/:<>?@[\\]^|%", r)
}

// endsInANumber is the URL standard's "ends in a number checker" (WHATWG
// URL §3.5): the last label (ignoring one trailing dot) is all ASCII
// digits, or an IPv4 number such as "0x7f".
func endsInANumber(s string) bool {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" {
		if len(parts) == 1 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, err := parseIPv4Number(last)
	return err == nil
}

// parseIPv4Number is the URL standard's IPv4 number parser: "0x" or "0X"
// prefix hexadecimal, a leading "0" octal, else decimal; empty after the
// prefix is 0.
func parseIPv4Number(s string) (uint64, error) {
	if s == "" {
		return 0, fmt.Errorf("empty IPv4 part")
	}
	base := 10
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	if s == "" {
		return 0, nil
	}
	if strings.ContainsAny(s, "+-_") {
		return 0, fmt.Errorf("invalid IPv4 part")
	}
	n, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		// Out of range is still a number: the caller refuses it.
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return math.MaxUint64, nil
		}
		return 0, fmt.Errorf("invalid IPv4 part")
	}
	return n, nil
}

// parseIPv4 is the URL standard's IPv4 parser (WHATWG URL §3.5): one to
// four numbers, each but the last at most 255, the last filling the
// remaining bytes. It returns the address in dotted decimal.
func parseIPv4(s string) (string, error) {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return "", fmt.Errorf("more than four IPv4 parts")
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		n, err := parseIPv4Number(p)
		if err != nil {
			return "", err
		}
		nums[i] = n
	}
	for _, n := range nums[:len(nums)-1] {
		if n > 255 {
			return "", fmt.Errorf("IPv4 part out of range")
		}
	}
	last := nums[len(nums)-1]
	if last >= uint64(1)<<(8*(5-len(nums))) {
		return "", fmt.Errorf("IPv4 address out of range")
	}
	addr := last
	for i, n := range nums[:len(nums)-1] {
		addr += n << (8 * (3 - i))
	}
	return fmt.Sprintf("%d.%d.%d.%d", byte(addr>>24), byte(addr>>16), byte(addr>>8), byte(addr)), nil
}

// EffectiveRPID returns the RP ID a browser would use for origin, in its
// ASCII form (the form that is compared, hashed into rpIdHash and sent to
// the key): rpID itself when it equals the origin's host or is a
// registrable suffix of it (not a public suffix such as "com" or "co.uk"),
// the host when rpID is empty, and a SecurityError otherwise. An IP
// address is never an RP ID, also when the origin's host is one. rpID with
// surrounding whitespace is refused, not trimmed. The check happens before
// any key is touched.
//
// Specification: WebAuthn §5.1.3 steps 7–8 and §5.1.4.1 steps 7–8 (the
// effective domain must be a valid domain; the RP ID must be "a registrable
// domain suffix of or is equal to" it, HTML §7.1.1); WHATWG URL §3.5 (host
// parsing, IDNA, IPv4).
func EffectiveRPID(origin Origin, rpID string) (string, error) {
	if rpID != strings.TrimSpace(rpID) {
		return "", securityError("the RP ID %q has surrounding spaces", rpID)
	}
	if net.ParseIP(origin.Host) != nil {
		// WebAuthn §5.1.3 step 7: an IP address is not a valid domain.
		return "", securityError("the origin %s is an IP address, which cannot be a relying party: use a host name", origin)
	}
	if rpID == "" {
		return origin.Host, nil
	}
	id, kind, err := parseHost(strings.TrimSuffix(strings.TrimPrefix(rpID, "["), "]"), strings.HasPrefix(rpID, "["))
	if err != nil {
		return "", securityError("the RP ID %q is not a valid domain: %v", rpID, err)
	}
	if kind != hostDomain || net.ParseIP(id) != nil {
		return "", securityError("the RP ID %q is an IP address, which cannot be a relying party", rpID)
	}
	if id == origin.Host {
		return id, nil
	}
	if !strings.HasSuffix(origin.Host, "."+id) {
		return "", securityError("the RP ID %q is not %s or a parent domain of it", rpID, origin.Host)
	}
	if id == "localhost" {
		return id, nil
	}
	if etld1, err := publicsuffix.EffectiveTLDPlusOne(id); err != nil || !strings.HasSuffix(id, etld1) {
		return "", securityError("the RP ID %q is a public suffix, which no site may claim", rpID)
	}
	if ps, icann := publicsuffix.PublicSuffix(id); ps == id && (icann || strings.Contains(id, ".")) {
		return "", securityError("the RP ID %q is a public suffix, which no site may claim", rpID)
	}
	return id, nil
}

func securityError(format string, args ...any) error {
	return &DOMError{Name: SecurityError, Message: fmt.Sprintf(format, args...)}
}
