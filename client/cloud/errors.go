package cloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/safetext"
)

// ErrInsecureURL is wrapped by a *ConfigError when a URL is plain http on a
// host that is not loopback: the access key and the tokens would then cross
// the network in clear text.
var ErrInsecureURL = errors.New("https required except on loopback")

// ConfigError reports an unusable configuration value. Field names the
// setting ("instance URL", "origin", "access key"); Value is the offending
// value with any userinfo removed (never the access key).
type ConfigError struct {
	Field  string
	Value  string
	Reason string
	Err    error
}

func (e *ConfigError) Error() string {
	msg := "cloud: " + e.Field
	if v := result.StripUserinfo(e.Value); v != "" {
		msg += " " + strconv.Quote(v)
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *ConfigError) Unwrap() error { return e.Err }

// BodyTooLargeError reports a response body larger than the client's limit.
// The body is not decoded: a Cloud answer is small, so a huge one is a
// misconfigured proxy or an attack, not data.
type BodyTooLargeError struct {
	Op         string
	HTTPStatus int
	Limit      int64
}

func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("cloud: %s: response body larger than %d bytes", e.Op, e.Limit)
}

// RedirectError reports a redirect the client refused to follow: to another
// host, or from https down to http. Following it would send the access key,
// or a token in the body, to a party the configuration did not name.
type RedirectError struct {
	Op string
	// From and To are scheme://host[:port] only; paths are left out.
	From, To string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("cloud: %s: refused redirect from %s to %s", e.Op, e.From, e.To)
}

// ErrorStyle tells which error vocabulary an error body used.
type ErrorStyle int

const (
	// StyleUnknown is a body that matched no known shape (or no body); Raw
	// holds it verbatim, redacted.
	StyleUnknown ErrorStyle = iota
	// StyleCloud is the Authentication Cloud's {error, message, status}.
	StyleCloud
	// StyleTenant is the tenant API's {code, message, details, notices}
	// (seed 003), e.g. code "tenant_mismatch" or "not_found".
	StyleTenant
	// StyleAppNative is the app-native authentication API's {code, message,
	// description, traceId} (seed 004), e.g. code "60001" or "ABA-60001".
	StyleAppNative
	// StyleAppResult is an _app result {status:"failed", errorMessage}.
	StyleAppResult
)

func (s ErrorStyle) String() string {
	switch s {
	case StyleCloud:
		return "cloud"
	case StyleTenant:
		return "tenant"
	case StyleAppNative:
		return "app-native"
	case StyleAppResult:
		return "app-result"
	}
	return "unknown"
}

// ErrorBody is an error response body decoded leniently: whichever of the
// known shapes the server used, the fields it sent are filled and the rest
// stay zero. Every string has been redacted.
type ErrorBody struct {
	Style ErrorStyle
	// Error is the short error name of the {error, message, status} shape.
	Error string
	// Code is the machine-readable code of the tenant and app-native shapes;
	// numeric codes are rendered in decimal.
	Code    string
	Message string
	// Status is the status member of the {error, message, status} shape (an
	// HTTP status), or of an _app result ("failed").
	Status       string
	Description  string
	TraceID      string
	ErrorMessage string
	Details      map[string]any
	Notices      []string
}

// APIError is a non-2xx answer of the Authentication Cloud (or of the
// emulator). Callers branch on HTTPStatus and Body; Raw is for the helpdesk
// view. Neither ever holds the access key, a token or a challenge.
type APIError struct {
	// Op is the call that failed: "enroll", "attestation", "approval",
	// "assertion", "status", "introspect", "user", "delete authenticator".
	Op         string
	HTTPStatus int
	Body       ErrorBody
	// Raw is the response body, redacted and truncated to maxRawError bytes.
	Raw string
	// RetryAfter is the server's Retry-After on 429 and 503, capped; zero
	// when absent.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cloud: %s: HTTP %d", e.Op, e.HTTPStatus)
	for _, s := range []string{e.Body.Code, e.Body.Error, e.Body.Message, e.Body.Description, e.Body.ErrorMessage} {
		if s != "" {
			b.WriteString(": ")
			b.WriteString(s)
		}
	}
	if e.Body.Style == StyleUnknown && e.Raw != "" {
		b.WriteString(": ")
		b.WriteString(e.Raw)
	}
	return b.String()
}

const maxRawError = 512

// decodeErrorBody decodes any of the known error shapes. It never fails: a
// body that is not a JSON object is kept only in Raw.
func decodeErrorBody(raw []byte, scrub func(string) string) ErrorBody {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return ErrorBody{}
	}
	str := func(k string) string {
		v, ok := m[k]
		if !ok {
			return ""
		}
		var s string
		if json.Unmarshal(v, &s) == nil {
			return scrub(s)
		}
		var n json.Number
		if json.Unmarshal(v, &n) == nil {
			return n.String()
		}
		return ""
	}
	b := ErrorBody{
		Error:        str("error"),
		Code:         str("code"),
		Message:      str("message"),
		Status:       str("status"),
		Description:  str("description"),
		TraceID:      str("traceId"),
		ErrorMessage: str("errorMessage"),
	}
	if v, ok := m["details"]; ok {
		var d map[string]any
		if json.Unmarshal(v, &d) == nil && len(d) > 0 {
			b.Details = scrubMap(d, scrub)
		}
	}
	if v, ok := m["notices"]; ok {
		var n []string
		if json.Unmarshal(v, &n) == nil {
			for i := range n {
				n[i] = scrub(n[i])
			}
			b.Notices = n
		}
	}
	_, hasDetails := m["details"]
	_, hasNotices := m["notices"]
	switch {
	case b.ErrorMessage != "" || (b.Status == "failed" && b.Code == ""):
		b.Style = StyleAppResult
	case b.Code != "" && (b.Description != "" || b.TraceID != ""):
		b.Style = StyleAppNative
	case b.Code != "" && (hasDetails || hasNotices || b.Message != ""):
		b.Style = StyleTenant
	case b.Code != "":
		b.Style = StyleAppNative
	case b.Error != "" || b.Message != "":
		b.Style = StyleCloud
	}
	return b
}

func scrubMap(m map[string]any, scrub func(string) string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		// Keys too: a server may echo a token as a member name.
		out[scrub(k)] = scrubAny(v, scrub)
	}
	return out
}

func scrubAny(v any, scrub func(string) string) any {
	switch x := v.(type) {
	case string:
		return scrub(x)
	case map[string]any:
		return scrubMap(x, scrub)
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = scrubAny(x[i], scrub)
		}
		return out
	}
	return v
}

// callSecrets are the values one call knows to be secret: the access key
// and the call's tokens. Error bodies and transport errors go through the
// one redactor, result.RedactKnown, with them: it also removes what the
// call does not know (JSON web tokens, bearer credentials, random-looking
// runs such as challenges, PINs).
type callSecrets []string

func (k callSecrets) scrub(s string) string { return result.RedactKnown(s, k...) }

func (k callSecrets) raw(body []byte) string {
	s := k.scrub(string(body))
	if len(s) > maxRawError {
		// Cut on a rune boundary so the helpdesk view shows valid text.
		s = safetext.Cut(s, maxRawError) + "…"
	}
	return s
}
