package cloud

import (
	"context"
	"errors"
	"net/http"
	"net/url"
)

// Introspection is an RFC 7662 introspection answer. A ceremony succeeds only
// when Active is true; every other member is meaningful only then.
type Introspection struct {
	Active    bool   `json:"active"`
	IssuedAt  int64  `json:"iat,omitempty"`
	ExpiresAt int64  `json:"exp,omitempty"`
	Subject   string `json:"sub,omitempty"`
	Issuer    string `json:"iss,omitempty"`
	TokenID   string `json:"jti,omitempty"`
	TokenType string `json:"token_type,omitempty"`
	Username  string `json:"username,omitempty"`
}

// Introspect checks a transaction token: POST {APIBASE}/introspect with a
// form body token=… (RFC 7662 §2.1). Retried after 429/503.
func (c *Client) Introspect(ctx context.Context, token Token) (*Introspection, error) {
	if token == "" {
		return nil, errors.New("cloud: introspect: token missing")
	}
	var out Introspection
	err := c.do(ctx, call{
		op: "introspect", method: http.MethodPost, url: c.apiURL("/introspect"),
		server: true, idempotent: true, form: url.Values{"token": {string(token)}}, out: &out,
		secrets: []string{string(token)}, // also percent-encoded: RedactKnown
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
