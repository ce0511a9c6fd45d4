// Package pass is the enrollment pass: what a helpdesk station hands a
// person so that their own KeyDesk (a user desktop or a kiosk, which hold
// no access key) can enroll a security key for them, and only for them.
//
// A pass of kind intent carries the Authentication Cloud's intent tokens (POST
// /api/v1/intent, docs.nevis.net/authcloud/api-doc/api-reference/intent-ref:
// "one-time tokens that are tied to a specific user and a specific
// intent", "to prevent exposing your access key") with what the person's
// station needs around them: the instance, the username (and user ID when
// known), the display name, when it was issued and when it expires.
//
// The text form is one line:
//
//	KDP1.<body>.<check>
//
// where <body> is the base64url (no padding) of a small JSON object and
// <check> the base64url of the first 6 bytes of SHA-256("KDP1." + <body>).
// The check catches a mistyped, misread or casually edited pass; it is a
// checksum, not a signature: anyone can re-compute it after changing the
// body. What stops an edited pass from enrolling someone else is the
// Cloud, which binds each token to the user it was issued for and refuses
// it for anyone else (keydesk:pass-refused).
//
// A pass is a secret (it enrolls a key for the person until it is used or
// expires): it never appears in errors, logs or String/GoString/%v output
// (which show its ID, a short hash from which the tokens cannot be
// recovered), and JSON encoding refuses it. Only Encode and Token reveal
// it, where it leaves KeyDesk on purpose.
//
// A pass of kind handoff carries instead an enrollment the helpdesk
// station started with its access key (for an instance that does not
// accept intent tokens for fido2): the creation options and the status
// token, what a page hands fido2-client.js. It is redeemed within the
// enrollment's lifetime, and the _app result and the status call need no
// access key.
//
// This package is cgo-free and imports only the result catalogue.
package pass

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/keydesk/keydesk/client/result"
)

// Prefix starts every pass of this version.
const Prefix = "KDP1."

// MaxLen is the longest pass text Decode reads (a pass with two JWT intent
// tokens is well under 2 KB; a QR code holds at most about 2.9 KB).
const MaxLen = 4096

// DemoInstance is the instance of a pass issued in demo mode, whose
// emulator listens on a different port each run.
const DemoInstance = "keydesk-demo"

// Operation is what a token of the pass is for (intent-ref's operation).
type Operation string

// The operations of a pass.
const (
	Enroll  Operation = "enroll"
	Approve Operation = "approve"
)

// Kind is how a pass redeems: with intent tokens, or (KindHandoff) as the
// live hand-off of an enrollment the helpdesk station started.
type Kind string

// The kinds of pass.
const (
	KindIntent  Kind = "intent"
	KindHandoff Kind = "handoff"
)

// Fields are what Issue puts into a pass.
type Fields struct {
	// Instance is the instance URL (https://{instance}.mauth.nevis.cloud,
	// also as the /api/v1 base) or DemoInstance.
	Instance    string
	Username    string
	UserID      string
	DisplayName string
	// EnrollToken is required; ApproveToken adds a test sign-in.
	EnrollToken  string
	ApproveToken string
	Issued       time.Time
	Expires      time.Time
}

// HandoffFields are what IssueHandoff puts into a pass of kind handoff:
// an enrollment the helpdesk station started with its access key, handed
// over as a page hands it to fido2-client.js (registration page: "forward
// the following attributes to the frontend … credentialCreationOptions,
// statusToken"). Expires is the end of the enrollment's lifetime.
type HandoffFields struct {
	Instance        string
	Username        string
	UserID          string
	DisplayName     string
	CreationOptions json.RawMessage
	StatusToken     string
	Issued          time.Time
	Expires         time.Time
}

// MaxOptionsLen bounds the creation options a hand-off pass carries.
const MaxOptionsLen = 2048

// Pass is a decoded (or issued) enrollment pass. Its fields are safe to
// show; the tokens are reachable through Token only.
type Pass struct {
	Kind        Kind
	Instance    string
	Username    string
	UserID      string
	DisplayName string
	Issued      time.Time
	Expires     time.Time
	tokens      map[Operation]string
	// options and statusToken are a hand-off's (KindHandoff).
	options     json.RawMessage
	statusToken string
	text        string
}

// body is the JSON inside the pass text. Times are Unix seconds.
type body struct {
	Kind        Kind                 `json:"kind"`
	Instance    string               `json:"instance"`
	Username    string               `json:"username"`
	UserID      string               `json:"userId,omitempty"`
	DisplayName string               `json:"displayName,omitempty"`
	Ops         map[Operation]string `json:"ops,omitempty"`
	// Options and StatusToken are a hand-off's (KindHandoff).
	Options     json.RawMessage `json:"options,omitempty"`
	StatusToken string          `json:"statusToken,omitempty"`
	Issued      int64           `json:"issued"`
	Expires     int64           `json:"expires"`
}

// Issue builds a pass of kind intent from f. It refuses fields that could
// not be redeemed (no enroll token, a bad username or instance, an expiry
// not after the issue).
func Issue(f Fields) (*Pass, error) {
	inst, err := NormaliseInstance(f.Instance)
	if err != nil {
		return nil, err
	}
	b := body{Kind: KindIntent, Instance: inst, Username: f.Username, UserID: f.UserID, DisplayName: f.DisplayName,
		Ops: map[Operation]string{Enroll: f.EnrollToken}, Issued: f.Issued.Unix(), Expires: f.Expires.Unix()}
	if f.ApproveToken != "" {
		b.Ops[Approve] = f.ApproveToken
	}
	return b.seal()
}

// IssueHandoff builds a pass of kind handoff from f.
func IssueHandoff(f HandoffFields) (*Pass, error) {
	inst, err := NormaliseInstance(f.Instance)
	if err != nil {
		return nil, err
	}
	var opts bytes.Buffer
	if err := json.Compact(&opts, f.CreationOptions); err != nil {
		return nil, malformed("the creation options are not JSON")
	}
	b := body{Kind: KindHandoff, Instance: inst, Username: f.Username, UserID: f.UserID, DisplayName: f.DisplayName,
		Options: opts.Bytes(), StatusToken: f.StatusToken, Issued: f.Issued.Unix(), Expires: f.Expires.Unix()}
	return b.seal()
}

func (b body) seal() (*Pass, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(b)
	if err != nil {
		return nil, malformed("cannot encode the pass")
	}
	payload := base64.RawURLEncoding.EncodeToString(raw)
	text := Prefix + payload + "." + checksum(payload)
	if len(text) > MaxLen {
		return nil, malformed("the pass would be longer than %d bytes", MaxLen)
	}
	return b.pass(text), nil
}

func checksum(payload string) string {
	h := sha256.Sum256([]byte(Prefix + payload))
	return base64.RawURLEncoding.EncodeToString(h[:6])
}

func (b body) pass(text string) *Pass {
	p := &Pass{Kind: b.Kind, Instance: b.Instance, Username: b.Username, UserID: b.UserID, DisplayName: b.DisplayName,
		Issued: time.Unix(b.Issued, 0).UTC(), Expires: time.Unix(b.Expires, 0).UTC(), tokens: map[Operation]string{}, text: text,
		options: b.Options, statusToken: b.StatusToken}
	for op, tok := range b.Ops {
		p.tokens[op] = tok
	}
	return p
}

// Decode reads a pass text strictly: surrounding white space (a file's
// final newline, a scanner's Enter) is ignored, anything else that is not
// exactly one pass of this version is an error: too long, another prefix
// or version, bad base64, a checksum that does not match
// (keydesk:pass-corrupted), unknown or missing members, trailing data.
// Errors never quote the input.
func Decode(s string) (*Pass, error) {
	if len(s) > MaxLen+64 {
		return nil, malformed("the text is longer than a pass can be")
	}
	s = strings.TrimSpace(s)
	if len(s) > MaxLen {
		return nil, malformed("the text is longer than a pass can be")
	}
	if !strings.HasPrefix(s, Prefix) {
		if v, _, ok := strings.Cut(s, "."); ok && len(v) == 4 && strings.HasPrefix(v, "KDP") {
			return nil, malformed("the pass is of version %s, which this KeyDesk does not read", safeVersion(v))
		}
		return nil, malformed("the text does not start with %s", Prefix)
	}
	payload, check, ok := strings.Cut(s[len(Prefix):], ".")
	if !ok || payload == "" || check == "" {
		return nil, malformed("the pass is incomplete")
	}
	if strings.Contains(check, ".") {
		return nil, malformed("the pass has data after its checksum")
	}
	if !base64url(payload) || !base64url(check) {
		return nil, malformed("the pass has characters that do not belong in it")
	}
	if subtle.ConstantTimeCompare([]byte(check), []byte(checksum(payload))) != 1 {
		return nil, result.Errorf(result.CodePassCorrupted, "the pass's checksum does not match its contents")
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(payload)
	if err != nil {
		return nil, malformed("the pass is not valid base64url")
	}
	var b body
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, malformed("the pass's contents are not readable")
	}
	if dec.More() {
		return nil, malformed("the pass's contents have trailing data")
	}
	if err := b.check(); err != nil {
		return nil, err
	}
	return b.pass(s), nil
}

func safeVersion(v string) string {
	for _, r := range v {
		if r < 0x21 || r > 0x7e {
			return "?"
		}
	}
	return v
}

func base64url(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// check is what every pass must satisfy.
func (b body) check() error {
	switch b.Kind {
	case KindIntent:
		if b.Ops[Enroll] == "" {
			return malformed("the pass has no enroll token")
		}
		if b.Options != nil || b.StatusToken != "" {
			return malformed("the pass mixes intent tokens and a hand-off")
		}
	case KindHandoff:
		if len(b.Ops) > 0 {
			return malformed("the pass mixes intent tokens and a hand-off")
		}
		if b.StatusToken == "" || !printableASCII(b.StatusToken) || len(b.StatusToken) > 2048 {
			return malformed("the hand-off has no readable status token")
		}
		if len(b.Options) == 0 || len(b.Options) > MaxOptionsLen || b.Options[0] != '{' || !json.Valid(b.Options) {
			return malformed("the hand-off has no readable creation options")
		}
	default:
		return malformed("the pass is of an unknown kind")
	}
	switch {
	case b.Instance == "":
		return malformed("the pass names no instance")
	case !validUsername(b.Username):
		return malformed("the pass's username is not a valid username")
	case len(b.DisplayName) > 64 || strings.ContainsFunc(b.DisplayName, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return malformed("the pass's display name is not valid")
	case len(b.UserID) > 64 || !printableASCII(b.UserID):
		return malformed("the pass's user ID is not valid")
	case b.Issued <= 0 || b.Expires <= b.Issued:
		return malformed("the pass's validity is not readable")
	}
	if _, err := NormaliseInstance(b.Instance); err != nil {
		return err
	}
	for op, tok := range b.Ops {
		if op != Enroll && op != Approve {
			return malformed("the pass holds a token for an unknown operation")
		}
		if tok == "" || !printableASCII(tok) {
			return malformed("the pass holds an unreadable token")
		}
	}
	return nil
}

// validUsername is the registration page's rule (registration-ref: "can
// only contain a-z, A-Z, 0-9, _-.@, and is limited to a maximum of 300
// characters"), as client/ceremony.CheckUsername applies it.
func validUsername(u string) bool {
	if u == "" || len(u) > 300 {
		return false
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.' || c == '@') {
			return false
		}
	}
	return true
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// NormaliseInstance returns the instance of an instance URL as a pass
// names it: lower-case scheme and host, no trailing slash, no /api/v1
// (the Management Console shows the API base). DemoInstance stays as it is.
func NormaliseInstance(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == DemoInstance {
		return raw, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
		(u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "HTTPS" && u.Scheme != "HTTP") {
		return "", malformed("the pass's instance is not an instance URL")
	}
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimRight(strings.TrimSuffix(p, "/api/v1"), "/")
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + p, nil
}

func malformed(format string, args ...any) error {
	return result.Errorf(result.CodePassMalformed, format, args...)
}

// Encode is the pass text: a secret, to be written to the file, the QR
// code or the letter the person receives, and nowhere else.
func (p *Pass) Encode() string { return p.text }

// Token is the intent token for op (false when the pass has none): the
// bearer of that one call.
func (p *Pass) Token(op Operation) (string, bool) {
	t, ok := p.tokens[op]
	return t, ok && t != ""
}

// Handoff is a hand-off pass's enrollment: the creation options (the
// Cloud's JSON, as the enroll answer carried them) and the status token;
// false for a pass of kind intent.
func (p *Pass) Handoff() (creationOptions json.RawMessage, statusToken string, ok bool) {
	if p.Kind != KindHandoff {
		return nil, "", false
	}
	return append(json.RawMessage(nil), p.options...), p.statusToken, true
}

// Operations are the operations the pass holds tokens for, enroll first
// (a hand-off is an enrollment).
func (p *Pass) Operations() []Operation {
	if p.Kind == KindHandoff {
		return []Operation{Enroll}
	}
	var out []Operation
	for _, op := range []Operation{Enroll, Approve} {
		if _, ok := p.Token(op); ok {
			out = append(out, op)
		}
	}
	return out
}

// ID is the pass's short name for records, timelines and the helpdesk's
// list: 12 hex digits of SHA-256 over the domain "keydesk-pass-id" and the
// enroll token. It cannot be turned back into the token (the token is
// random and far longer than the 48 bits kept).
func (p *Pass) ID() string {
	if p.Kind == KindHandoff {
		return IDOf(p.statusToken)
	}
	return IDOf(p.tokens[Enroll])
}

// IDOf is the pass ID of a pass whose enroll token is tok.
func IDOf(tok string) string {
	h := sha256.Sum256([]byte("keydesk-pass-id\x00" + tok))
	return hex.EncodeToString(h[:6])
}

// String implements fmt.Stringer: the pass's ID and what may be shown.
func (p *Pass) String() string {
	if p == nil {
		return "pass(nil)"
	}
	ops := make([]string, 0, 2)
	for _, op := range p.Operations() {
		ops = append(ops, string(op))
	}
	return fmt.Sprintf("pass %s for %s (%s), expires %s", p.ID(), p.Username, strings.Join(ops, ", "),
		p.Expires.UTC().Format(time.RFC3339))
}

// GoString implements fmt.GoStringer.
func (p *Pass) GoString() string { return p.String() }

// Format implements fmt.Formatter: every verb prints String.
func (p *Pass) Format(f fmt.State, _ rune) { fmt.Fprint(f, p.String()) }

// ErrNotMarshalable is returned by MarshalJSON: a pass is a secret and no
// document KeyDesk writes holds one.
var ErrNotMarshalable = errors.New("pass: a pass is not written into documents; record its ID")

// MarshalJSON refuses: see ErrNotMarshalable.
func (p *Pass) MarshalJSON() ([]byte, error) { return nil, ErrNotMarshalable }

// MarshalText refuses too, so encoders that prefer it cannot leak the pass.
func (p *Pass) MarshalText() ([]byte, error) { return nil, ErrNotMarshalable }

// Check says whether the pass may be used now at a station of
// instanceURL for op, before anything is sent or the key is touched:
// keydesk:pass-expired, keydesk:pass-wrong-instance,
// keydesk:pass-wrong-operation.
func (p *Pass) Check(now time.Time, instanceURL string, op Operation) error {
	inst, err := NormaliseInstance(instanceURL)
	if err != nil || inst != p.Instance {
		return result.Errorf(result.CodePassWrongInstance, "the pass is for another instance than this station's")
	}
	if !now.Before(p.Expires) {
		return result.Errorf(result.CodePassExpired, "the pass expired at %s", p.Expires.UTC().Format(time.RFC3339))
	}
	if !slices.Contains(p.Operations(), op) || (p.Kind == KindIntent && !p.hasToken(op)) {
		return result.Errorf(result.CodePassWrongOperation, "the pass holds no token for %s", safeOp(op))
	}
	return nil
}

func (p *Pass) hasToken(op Operation) bool { _, ok := p.Token(op); return ok }

func safeOp(op Operation) string {
	if op == Enroll || op == Approve {
		return string(op)
	}
	return "this operation"
}
