package result

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	reNevisCode  = regexp.MustCompile(`(?i)^(?:success-registration|success-authentication|error-\d+)$`)
	reHex        = regexp.MustCompile(`(?i)^0x[0-9a-f]+$`)
	reInt        = regexp.MustCompile(`^[-+]?\d+$`)
	reABA        = regexp.MustCompile(`(?i)^aba-\d+$`)
	reCTAPName   = regexp.MustCompile(`(?i)^ctap[12]_(?:err_[a-z0-9_]+|ok)$`)
	reFIDOName   = regexp.MustCompile(`(?i)^fido_(?:err_[a-z0-9_]+|ok)$`)
	reDOMName    = regexp.MustCompile(`^[A-Z][A-Za-z]*Error$`)
	reSnakeCode  = regexp.MustCompile(`^[a-z]+(?:_[a-z]+)+$`)
	reKebabValue = regexp.MustCompile(`^[a-z]+(?:-[a-z]+)+$`)
)

// ParseCode reads one code as people write it and returns the codes it can
// name, the most likely reading first; nil when s does not look like a code.
// It accepts "source:value" (as Code.String writes it), fido2-client codes
// (error-1001), CTAP statuses in hex (0x31) or by name
// (CTAP2_ERR_PIN_INVALID), libfido2 names (FIDO_ERR_PIN_INVALID), app-native
// codes (ABA-60008, 60008), DOMException names, tenant API codes
// (tenant_mismatch) and KeyDesk's own codes (rp-id-mismatch).
//
// Bare numbers are read by range: negative and below 100 as libfido2 values
// (whose positive values equal CTAP statuses; CTAP statuses themselves are
// written in hex), 100–599 as HTTP statuses (and, for 401, the app-native
// code), 60000–65999 as app-native codes.
//
// Codes that are well-formed but not catalogued are returned too: Lookup
// gives them generated entries.
func ParseCode(s string) []Code {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), `"'`+"`,;."))
	if s == "" || len(s) > 80 {
		return nil
	}
	if i := strings.IndexByte(s, ':'); i > 0 {
		if src, ok := ParseSource(s[:i]); ok && src != SourceUnknown {
			c, err := normalise(src, s[i+1:])
			if err != nil {
				c = Code{src, strings.TrimSpace(s[i+1:])}
			}
			return []Code{c}
		}
	}
	switch {
	case reNevisCode.MatchString(s):
		return []Code{Nevis(s)}
	case reHex.MatchString(s):
		n, err := strconv.ParseUint(s[2:], 16, 64)
		if err == nil && n <= 0xFF {
			return []Code{CTAP(byte(n))}
		}
		return []Code{{SourceCTAP, s}}
	case reABA.MatchString(s):
		return []Code{AppNative(s)}
	case reInt.MatchString(s):
		return parseNumber(s)
	}
	if cs := cat().names[strings.ToLower(s)]; len(cs) > 0 {
		return append([]Code(nil), cs...)
	}
	switch {
	case reCTAPName.MatchString(s):
		return []Code{{SourceCTAP, strings.ToUpper(s)}}
	case reFIDOName.MatchString(s):
		return []Code{{SourceLibfido2, strings.ToUpper(s)}}
	case reDOMName.MatchString(s):
		return []Code{DOMException(s)}
	case reSnakeCode.MatchString(s):
		return []Code{TenantAPI(s)}
	case reKebabValue.MatchString(s) && Known(KeyDesk(s)):
		return []Code{KeyDesk(s)}
	}
	return nil
}

func parseNumber(s string) []Code {
	n, err := strconv.Atoi(s)
	if err != nil {
		return []Code{{SourceUnknown, s}}
	}
	switch {
	case n < 100:
		return []Code{Libfido2(n)}
	case n <= 599:
		out := []Code{HTTP(n)}
		for _, c := range []Code{CloudAPI(s), AppNative(s)} {
			if Known(c) {
				out = append(out, c)
			}
		}
		return out
	case n >= 60000 && n <= 65999:
		return []Code{AppNative(s)}
	}
	return []Code{{SourceUnknown, s}}
}
