package cloud

import (
	"context"
	"errors"
	"net/http"
)

// AttestationResult finishes a registration: the new credential as the
// WebAuthn client produced it, with the enrollment's status token.
type AttestationResult struct {
	// ID is the credential ID, base64url.
	ID   string `json:"id"`
	Type string `json:"type"`
	// Response holds base64url attestationObject and clientDataJSON.
	Response         AttestationResponse `json:"response"`
	StatusToken      Token               `json:"statusToken"`
	UserFriendlyName string              `json:"userFriendlyName,omitempty"`
	UserAgent        string              `json:"userAgent,omitempty"`
}

// AttestationResponse is the authenticator's attestation response.
type AttestationResponse struct {
	AttestationObject string `json:"attestationObject"`
	ClientDataJSON    string `json:"clientDataJSON"`
}

// PostAttestation sends the attestation: POST {instance}/_app/attestation/result,
// without the access key, as a browser would. Never retried. Type defaults
// to "public-key" and UserAgent to the client's.
func (c *Client) PostAttestation(ctx context.Context, res AttestationResult) (*AppResult, error) {
	fillAppDefaults(&res.Type, &res.UserAgent, c.userAgent)
	return c.postApp(ctx, "attestation", "/attestation/result", res.StatusToken, res)
}

// fillAppDefaults sets an _app result's type to "public-key" and its user
// agent to the client's where the caller left them empty.
func fillAppDefaults(typ, userAgent *string, clientUA string) {
	if *typ == "" {
		*typ = "public-key"
	}
	if *userAgent == "" {
		*userAgent = clientUA
	}
}

// postApp posts a credential to an _app result endpoint, as a browser
// would: without the access key, never retried, the status token redacted
// from any error.
func (c *Client) postApp(ctx context.Context, op, path string, statusToken Token, body any) (*AppResult, error) {
	if statusToken == "" {
		return nil, errors.New("cloud: " + op + ": status token missing")
	}
	var out AppResult
	err := c.do(ctx, call{
		op: op, method: http.MethodPost, url: c.appURL(path),
		jsonBody: body, out: &out, secrets: []string{string(statusToken)},
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
