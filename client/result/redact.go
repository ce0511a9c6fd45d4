package result

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// Redacted replaces every secret Redact removes.
const Redacted = "[redacted]"

// secretKeyWords are parts of field names whose values are secrets: tokens
// (statusToken, access_token, id_token), keys, passwords, PINs, challenges
// and the clientDataJSON that carries one.
const secretKeyWords = `token|secret|passw(?:or)?d|passphrase|challenge|access[_-]?key|api[_-]?key|private[_-]?key|cookie|session[_-]?id|clientdatajson`

// secretKeyWholeWords are secret only as a whole field name (or its last
// part after "_", "-" or "."): "pin", "new_pin", but not "mapping".
const secretKeyWholeWords = `pin|otp|pin[_-]?code|new[_-]?pin|old[_-]?pin|current[_-]?pin`

// secretKeyCamel are camelCase field names ending in a PIN: clientPin,
// userPIN, adminPin; case-sensitive so that "mapping" stays a word.
const secretKeyCamel = `[A-Za-z0-9_.\-]*[a-z0-9](?-i:Pin|PIN)`

// secretKey matches a whole field name that holds a secret.
const secretKey = `(?:[A-Za-z0-9_.\-]*(?:` + secretKeyWords + `)[A-Za-z0-9_.\-]*|` + secretKeyCamel + `|(?:[A-Za-z0-9_.\-]*[_.\-])?(?:` + secretKeyWholeWords + `))`

var (
	rePrivateKey = regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)`)
	// Authorization: Bearer xxx, authorization=xxx, "Authorization": "Basic xxx".
	reAuthHeader = regexp.MustCompile(`(?i)(authorization["']?[ \t]*[:=][ \t]*["']?)(?:(?:bearer|basic|digest|token|negotiate)[ \t]+)?([^\s"',;]+)`)
	reBearer     = regexp.MustCompile(`(?i)\b(bearer|basic)([ \t]+)([A-Za-z0-9\-._~+/=$]{4,})`)
	// A JSON web token: from a word start with a dot-free header too, or
	// wherever it starts when it has its two dots.
	reJWT      = regexp.MustCompile(`\beyJ[A-Za-z0-9_\-.]{6,}|eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*`)
	reKeyValue = regexp.MustCompile(`(?i)((?:^|[^A-Za-z0-9_.\-])["']?` + secretKey + `["']?[ \t]*[:=][ \t]*)("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[^\s,;&}"'\]\[{]+)`)
	reBlob     = regexp.MustCompile(`[A-Za-z0-9_\-+/=]{40,}`)
	// A base64url run long enough for 24 random bytes, wherever it stands
	// (in a path, after a percent escape).
	reLongB64URL = regexp.MustCompile(`[A-Za-z0-9_-]{32,}`)
	reUUID       = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	reSecretKey  = regexp.MustCompile(`(?i)^(?:` + secretKey + `|authorization)$`)
	reHasDigit   = regexp.MustCompile(`[0-9]`)
	reHasLetter  = regexp.MustCompile(`[A-Za-z]`)
	// A PIN in prose: "PIN 482917", "pin is 1234", "PIN code: 0000".
	rePINProse = regexp.MustCompile(`(?i)(\bpin(?:[ \t]+(?:is|was|code))?[ \t]*[:=]?[ \t]*)(\d{4,63})\b`)
	// Userinfo in a URL: https://user:password@host.
	// Greedy up to the authority's last "@", so a password holding an
	// unescaped "@" goes too; also in text url.Parse rejects.
	reUserinfo = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s?#"'<>\\]+@`)
	// A shorter random token: a 16-byte challenge is 22 base64url characters.
	reToken = regexp.MustCompile(`[A-Za-z0-9_\-]{22,39}`)
	// reEscape is a JSON \uXXXX escape.
	reEscape = regexp.MustCompile(`\\u[0-9A-Fa-f]{4}`)
	// reErrorName is a libfido2 or CTAP error constant, never a secret.
	reLabel     = regexp.MustCompile(`^[A-Za-z_][A-Za-z_]*:$`)
	reErrorName = regexp.MustCompile(`^(?:FIDO|CTAP[12]?)_ERR_[A-Z0-9_]+$`)
)

// proseWords may follow "PIN:" or "password:" in a sentence ("this key
// already has a PIN: use 'keydesk pin change'"); they explain the error and
// are never taken for the secret.
var proseWords = map[string]bool{
	"use": true, "run": true, "try": true, "enter": true, "set": true, "change": true, "is": true,
	"was": true, "not": true, "none": true, "required": true, "invalid": true, "wrong": true,
	"incorrect": true, "blocked": true, "missing": true, "expired": true, "empty": true, "too": true,
	"the": true, "a": true, "an": true, "please": true, "see": true, "must": true, "cannot": true,
	"retry": true, "locked": true, "unknown": true, "no": true, "yes": true, "ok": true, "it": true,
	"this": true, "your": true, "type": true, "remove": true, "reinsert": true, "check": true,
}

// secrets are values known to be secret wherever they appear (the
// configured access key), scrubbed by value.
var secrets secretSet

type secretSet struct {
	sync.RWMutex
	vals   map[string]int
	sorted []string // the values and their percent-encoded forms, longest first
}

func (s *secretSet) resort() {
	s.sorted = s.sorted[:0]
	for v := range s.vals {
		s.sorted = append(s.sorted, v)
		if q := url.QueryEscape(v); q != v {
			s.sorted = append(s.sorted, q)
		}
	}
	sort.Slice(s.sorted, func(i, j int) bool { return len(s.sorted[i]) > len(s.sorted[j]) })
}

func (s *secretSet) scrub(text string) string {
	s.RLock()
	defer s.RUnlock()
	for _, v := range s.sorted {
		text = strings.ReplaceAll(text, v, Redacted)
	}
	return text
}

// minSecretLen is the shortest value RegisterSecret accepts: a shorter one
// would scrub ordinary words.
const minSecretLen = 8

// RegisterSecret makes Redact scrub v wherever it appears, also
// percent-encoded, whatever labels it. The CLI and the window register the
// configured access key. Values shorter than 8 characters are ignored.
// Each RegisterSecret is undone by one ForgetSecret.
func RegisterSecret(v string) {
	v = strings.TrimSpace(v)
	if len(v) < minSecretLen || strings.Contains(Redacted, v) {
		return
	}
	secrets.Lock()
	defer secrets.Unlock()
	if secrets.vals == nil {
		secrets.vals = map[string]int{}
	}
	secrets.vals[v]++
	secrets.resort()
}

// ForgetSecret undoes one RegisterSecret of v.
func ForgetSecret(v string) {
	v = strings.TrimSpace(v)
	secrets.Lock()
	defer secrets.Unlock()
	if secrets.vals[v] == 0 {
		return
	}
	if secrets.vals[v]--; secrets.vals[v] == 0 {
		delete(secrets.vals, v)
	}
	secrets.resort()
}

// Redact removes secrets from text before it is shown, logged or put in a
// report: JSON web tokens, Authorization headers and bearer credentials,
// values of fields whose names say they are secret ("token", "statusToken",
// "access_key", "challenge", "pin", …; quoted or not, with ":" or "="),
// private keys in PEM, values registered with RegisterSecret, and
// random-looking strings: base64 runs of 40 or more characters mixing
// letters and digits, base64url runs of 32 or more wherever they stand
// (not a UUID, an error constant or words), and standalone tokens of 22 to
// 39. Each secret becomes "[redacted]". Redact is idempotent and never
// panics.
func Redact(s string) string { return RedactKnown(s) }

// minKnownLen is the shortest value RedactKnown scrubs by value.
const minKnownLen = 4

// RedactKnown is Redact that also scrubs known: values secret for this use
// only (a Cloud call's access key, status token, transaction token),
// wherever they appear, also percent-encoded, whatever labels them. Values
// shorter than 4 characters are ignored. It is the one redactor: Redact is
// RedactKnown without known values, and the Cloud client scrubs its error
// bodies and transport errors with it.
func RedactKnown(s string, known ...string) string {
	if s == "" {
		return s
	}
	s = decodeEscapes(s)
	s = scrubKnown(s, known)
	s = secrets.scrub(s)
	s = reUserinfo.ReplaceAllString(s, "${1}"+Redacted+"@")
	s = rePrivateKey.ReplaceAllString(s, Redacted)
	s = reAuthHeader.ReplaceAllStringFunc(s, func(m string) string {
		sub := reAuthHeader.FindStringSubmatchIndex(m)
		if sub == nil || m[sub[4]:sub[5]] == Redacted {
			return m
		}
		// Keep the header name and scheme, drop the credential.
		return m[:sub[4]] + Redacted + m[sub[5]:]
	})
	s = reBearer.ReplaceAllString(s, "${1}${2}"+Redacted)
	s = reJWT.ReplaceAllString(s, Redacted)
	s = replaceKeyValues(s)
	s = reBlob.ReplaceAllStringFunc(s, func(m string) string {
		if reHasDigit.MatchString(m) && reHasLetter.MatchString(m) {
			return Redacted
		}
		return m
	})
	s = reLongB64URL.ReplaceAllStringFunc(s, func(m string) string {
		if reUUID.MatchString(m) || reErrorName.MatchString(m) || !looksRandomRun(m) {
			return m
		}
		return Redacted
	})
	s = rePINProse.ReplaceAllString(s, "${1}"+Redacted)
	s = redactTokens(s)
	return s
}

// scrubKnown replaces each of known (and its percent-encoded form),
// longest first, so a value holding another is removed whole.
func scrubKnown(s string, known []string) string {
	if len(known) == 0 {
		return s
	}
	var vals []string
	for _, v := range known {
		if len(v) < minKnownLen || strings.Contains(Redacted, v) {
			continue
		}
		vals = append(vals, v)
		if q := url.QueryEscape(v); q != v {
			vals = append(vals, q)
		}
	}
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	for _, v := range vals {
		s = strings.ReplaceAll(s, v, Redacted)
	}
	return s
}

// decodeEscapes turns JSON \uXXXX escapes of printable ASCII back into
// their characters, so a secret spelled as escapes is found like any other.
// Quotes and backslashes stay escaped so JSON keeps its shape.
func decodeEscapes(s string) string {
	if !strings.Contains(s, `\u`) && !strings.Contains(s, `\U`) {
		return s
	}
	return reEscape.ReplaceAllStringFunc(s, func(m string) string {
		if len(m) < 2 || m[1] != 'u' {
			return m
		}
		n, err := strconv.ParseUint(m[2:], 16, 16)
		if err != nil || n < 0x20 || n > 0x7e || n == '"' || n == '\\' {
			return m
		}
		return string(rune(n))
	})
}

// redactTokens replaces random-looking tokens of 22 to 39 base64url
// characters (a 16-byte challenge is 22) that stand alone and mix upper
// case, lower case and a digit, "_" or "-". Words, constants such as
// FIDO_ERR_PIN_INVALID, lower-case hex and UUIDs lack one of these.
func redactTokens(s string) string {
	idx := reToken.FindAllStringIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		start, end := m[0], m[1]
		if start > 0 && isTokenEdge(s[start-1]) || end < len(s) && isTokenEdge(s[end]) {
			continue
		}
		if !looksRandom(s[start:end]) {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(Redacted)
		last = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// isTokenEdge reports whether c continues a token (a longer run, a path or
// a base64 blob), so the run is not a token of its own.
func isTokenEdge(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c == '+' || c == '/' || c == '=' || c == '%' || c >= 0x80
}

// looksRandomRun reports whether a long base64url run is random rather
// than words: it mixes letters and digits, or upper and lower case with
// "-" or "_". A UUID (an identifier the helpdesk needs), an error constant
// and lower-case words joined by "-" are not.
func looksRandomRun(t string) bool {
	digit := strings.ContainsAny(t, "0123456789")
	return digit && reHasLetter.MatchString(t) || looksRandom(t)
}

func looksRandom(t string) bool {
	var upper, lower, other bool
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z':
			lower = true
		default:
			other = true
		}
	}
	return upper && lower && other
}

func replaceKeyValues(s string) string {
	idx := reKeyValue.FindAllStringSubmatchIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		vs, ve := m[4], m[5]
		v := s[vs:ve]
		b.WriteString(s[last:vs])
		key := strings.ToLower(strings.TrimLeftFunc(s[m[2]:vs], func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
		switch {
		case strings.HasPrefix(key, "fido_"), strings.HasPrefix(v, "fido_"), reLabel.MatchString(v),
			reErrorName.MatchString(v), proseWords[strings.ToLower(v)]:
			// A libfido2 function name ("fido2-token: fido_dev_set_pin:
			// …"), the next label, an error constant or a word of the
			// sentence, not a secret.
			b.WriteString(v)
		case v == Redacted, v == `"`+Redacted+`"`, v == `'`+Redacted+`'`,
			v == "null", v == "true", v == "false", v == `""`:
			b.WriteString(v)
		case strings.HasPrefix(v, `"`):
			b.WriteString(`"` + Redacted + `"`)
		case strings.HasPrefix(v, `'`):
			b.WriteString(`'` + Redacted + `'`)
		default:
			b.WriteString(Redacted)
		}
		last = ve
	}
	b.WriteString(s[last:])
	return b.String()
}

// redactJSON returns a redacted copy of a decoded JSON value: values of
// secret fields are replaced whole, every other string goes through Redact.
func redactJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			rk := Redact(k)
			if reSecretKey.MatchString(k) {
				switch val.(type) {
				case nil, bool:
					out[rk] = val
				case string, json.Number, float64:
					out[rk] = Redacted
				default:
					out[rk] = redactJSON(val)
				}
				continue
			}
			out[rk] = redactJSON(val)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			out[i] = redactJSON(val)
		}
		return out
	case string:
		return Redact(t)
	}
	return v
}

// marshalIndent writes v as indented JSON without HTML escaping.
func marshalIndent(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimRight(b.String(), "\n")
}

// StripUserinfo removes "user:password@" from every URL in s, also from
// text url.Parse rejects, so an echoed URL (a settings error) never
// carries a password; Redact marks the same place [redacted] instead.
func StripUserinfo(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	return reUserinfo.ReplaceAllString(s, "${1}")
}
