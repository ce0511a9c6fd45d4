package result

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
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

// secretKey matches a whole field name that holds a secret.
const secretKey = `(?:[A-Za-z0-9_.\-]*(?:` + secretKeyWords + `)[A-Za-z0-9_.\-]*|(?:[A-Za-z0-9_.\-]*[_.\-])?(?:` + secretKeyWholeWords + `))`

var (
	rePrivateKey = regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)`)
	// Authorization: Bearer xxx, authorization=xxx, "Authorization": "Basic xxx".
	reAuthHeader = regexp.MustCompile(`(?i)(authorization["']?[ \t]*[:=][ \t]*["']?)(?:(?:bearer|basic|digest|token|negotiate)[ \t]+)?([^\s"',;]+)`)
	reBearer     = regexp.MustCompile(`(?i)\b(bearer|basic)([ \t]+)([A-Za-z0-9\-._~+/=$]{4,})`)
	reJWT        = regexp.MustCompile(`\beyJ[A-Za-z0-9_\-.]{6,}`)
	reKeyValue   = regexp.MustCompile(`(?i)((?:^|[^A-Za-z0-9_.\-])["']?` + secretKey + `["']?[ \t]*[:=][ \t]*)("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[^\s,;&}"'\]\[{]+)`)
	reBlob       = regexp.MustCompile(`[A-Za-z0-9_\-+/=]{40,}`)
	reSecretKey  = regexp.MustCompile(`(?i)^(?:` + secretKey + `|authorization)$`)
	reHasDigit   = regexp.MustCompile(`[0-9]`)
	reHasLetter  = regexp.MustCompile(`[A-Za-z]`)
)

// Redact removes secrets from text before it is shown, logged or put in a
// report: JSON web tokens, Authorization headers and bearer credentials,
// values of fields whose names say they are secret ("token", "statusToken",
// "access_key", "challenge", "pin", …; quoted or not, with ":" or "="),
// private keys in PEM, and long random-looking strings (40 or more
// base64url characters mixing letters and digits). Each secret becomes
// "[redacted]". Redact is idempotent and never panics.
func Redact(s string) string {
	if s == "" {
		return s
	}
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
	return s
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
		switch {
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
