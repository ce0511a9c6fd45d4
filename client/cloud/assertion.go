package cloud

import (
	"context"
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
	fillAppDefaults(&res.Type, &res.UserAgent, c.userAgent)
	return c.postApp(ctx, "assertion", "/assertion/result", res.StatusToken, res)
}
