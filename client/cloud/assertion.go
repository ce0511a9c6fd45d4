package cloud

import (
	"context"
	"errors"
	"net/http"
)

// AssertionResult finishes an authentication: the assertion as the WebAuthn
// client produced it, with the approval's status token.
type AssertionResult struct {
	// ID is the credential ID, base64url.
	ID          string            `json:"id"`
	Type        string            `json:"type"`
	Response    AssertionResponse `json:"response"`
	StatusToken Token             `json:"statusToken"`
	UserAgent   string            `json:"userAgent,omitempty"`
}

// AssertionResponse is the authenticator's assertion response; every field
// is base64url, UserHandle empty when the key returned none.
type AssertionResponse struct {
	AuthenticatorData string `json:"authenticatorData"`
	ClientDataJSON    string `json:"clientDataJSON"`
	Signature         string `json:"signature"`
	UserHandle        string `json:"userHandle,omitempty"`
}

// PostAssertion sends the assertion: POST {instance}/_app/assertion/result,
// without the access key. Never retried. Type defaults to "public-key" and
// UserAgent to the client's.
func (c *Client) PostAssertion(ctx context.Context, res AssertionResult) (*AppResult, error) {
	if res.StatusToken == "" {
		return nil, errors.New("cloud: assertion: status token missing")
	}
	if res.Type == "" {
		res.Type = "public-key"
	}
	if res.UserAgent == "" {
		res.UserAgent = c.userAgent
	}
	var out AppResult
	err := c.do(ctx, call{
		op: "assertion", method: http.MethodPost, url: c.appURL("/assertion/result"),
		jsonBody: res, out: &out, secrets: []string{string(res.StatusToken)},
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
