package cloud

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Intent operations, as the intent endpoint page documents them
// (docs.nevis.net/authcloud/api-doc/api-reference/intent-ref: "Use enroll
// for registering new users, and approve to sign a transaction for
// existing users").
const (
	OperationEnroll  = "enroll"
	OperationApprove = "approve"
)

// IntentRequest asks for an intent token: Username or UserID (one is
// required) and Operation. The documented optional channels member is not
// sent: the page names app, push and sms, not fido2, and "by default, it
// adds all possible channels".
type IntentRequest struct {
	Username  string `json:"username,omitempty"`
	UserID    string `json:"userId,omitempty"`
	Operation string `json:"operation"`
}

// Intent is an issued intent token: "a one-time token to complete the
// transaction with the Authentication Cloud API" with "the user and the
// purpose encoded" (intent-ref). ExpiresAt is the token's own expiry when
// the token is a JSON web token that states one (the docs' example token
// starts "eyJhb", a JWT), else zero: the docs call intent tokens
// "short-living" (introspect-ref) without a number, so a caller never
// promises a pass longer than this.
type Intent struct {
	Token     Token
	ExpiresAt time.Time
}

// IssueIntent asks the intent endpoint for a one-time token:
// POST {APIBASE}/intent with the access key (helpdesk stations only).
// Never retried: a retry would issue a second token.
func (c *Client) IssueIntent(ctx context.Context, req IntentRequest) (*Intent, error) {
	if req.Username == "" && req.UserID == "" {
		return nil, errors.New("cloud: intent: username or userId missing")
	}
	if req.Operation != OperationEnroll && req.Operation != OperationApprove {
		return nil, fmt.Errorf("cloud: intent: operation must be %s or %s", OperationEnroll, OperationApprove)
	}
	var out struct {
		Token Token `json:"token"`
	}
	err := c.do(ctx, call{
		op: "intent", method: http.MethodPost, url: c.apiURL("/intent"),
		server: true, jsonBody: req, out: &out,
	})
	if err != nil {
		return nil, err
	}
	if out.Token == "" {
		return nil, fmt.Errorf("cloud: intent: %w: no token", ErrMalformedResponse)
	}
	return &Intent{Token: out.Token, ExpiresAt: jwtExpiry(string(out.Token))}, nil
}

// ExpiryOf is the expiry a token states, when it is a JSON web token with
// an exp claim (zero otherwise). It is read, not verified: KeyDesk uses it
// only to promise no more than the token itself states.
func ExpiryOf(tok Token) time.Time { return jwtExpiry(string(tok)) }

// jwtExpiry reads the exp claim of a JWT without verifying it (KeyDesk
// only uses it to promise no more than the token itself states); zero when
// the token is not a readable JWT.
func jwtExpiry(tok string) time.Time {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || len(parts[1]) > 4096 {
		return time.Time{}
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Exp json.Number `json:"exp"`
	}
	if json.Unmarshal(b, &claims) != nil {
		return time.Time{}
	}
	secs, err := claims.Exp.Int64()
	if err != nil || secs <= 0 {
		return time.Time{}
	}
	return time.Unix(secs, 0)
}

// PassHolderConfig is what a station without the access key (a user
// desktop, a kiosk in pass mode) needs to redeem a pass: the instance, the
// origin, and the pass's intent tokens. There is no access key member: a
// pass holder's Client cannot carry one.
type PassHolderConfig struct {
	InstanceURL string
	Origin      string
	// EnrollToken is the bearer of users/enroll; ApproveToken of approval
	// (either may be empty).
	EnrollToken  Token
	ApproveToken Token
}

// String implements fmt.Stringer without the tokens.
func (c PassHolderConfig) String() string {
	return fmt.Sprintf("cloud.PassHolderConfig{InstanceURL: %q, Origin: %q}", c.InstanceURL, c.Origin)
}

// GoString implements fmt.GoStringer.
func (c PassHolderConfig) GoString() string { return c.String() }

// Format implements fmt.Formatter: every verb prints String.
func (c PassHolderConfig) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// ErrNeedsAccessKey is wrapped when a pass holder's Client is asked for a
// call only the access key may make (users, authenticators, logs, intent,
// introspect). It never reaches the network.
var ErrNeedsAccessKey = errors.New("this call needs the organisation's access key, which a pass holder does not have")

// NewPassHolder returns a Client for a pass holder: Enroll carries the
// enroll intent token as its bearer and Approve the approve token (the
// registration page: "send your access key or intent token in the
// Authorization Bearer token header"); Status goes without Authorization,
// as the status page's example sends it; the _app results need none; every
// other server call fails with ErrNeedsAccessKey before it is sent.
func NewPassHolder(cfg PassHolderConfig, opts ...Option) (*Client, error) {
	c, err := New(Config{InstanceURL: cfg.InstanceURL, Origin: cfg.Origin}, opts...)
	if err != nil {
		return nil, err
	}
	c.intents = map[string]Token{}
	if cfg.EnrollToken != "" {
		c.intents["enroll"] = cfg.EnrollToken
	}
	if cfg.ApproveToken != "" {
		c.intents["approval"] = cfg.ApproveToken
	}
	return c, nil
}

// PassHolder reports whether c was made by NewPassHolder.
func (c *Client) PassHolder() bool { return c.intents != nil }

// bearer is what a server call carries in Authorization ("" for none), or
// an error when it may not be sent at all.
func (c *Client) bearer(cl call) (string, error) {
	if c.intents == nil {
		// A station's client: every server call needs the access key (a
		// missing key is a configuration error, said before sending).
		if c.cfg.AccessKey.IsZero() {
			return "", &ConfigError{Field: "access key", Reason: "missing (set it in the keyring or KEYDESK_ACCESS_KEY)"}
		}
		return c.cfg.AccessKey.Reveal(), nil
	}
	if tok, ok := c.intents[cl.op]; ok {
		return string(tok), nil
	}
	if cl.bearerOptional {
		return "", nil
	}
	if cl.op == "enroll" || cl.op == "approval" {
		return "", fmt.Errorf("cloud: %s: the pass has no token for this operation", cl.op)
	}
	return "", fmt.Errorf("cloud: %s: %w", cl.op, ErrNeedsAccessKey)
}
