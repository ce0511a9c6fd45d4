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
	if res.StatusToken == "" {
		return nil, errors.New("cloud: attestation: status token missing")
	}
	if res.Type == "" {
		res.Type = "public-key"
	}
	if res.UserAgent == "" {
		res.UserAgent = c.userAgent
	}
	var out AppResult
	err := c.do(ctx, call{
		op: "attestation", method: http.MethodPost, url: c.appURL("/attestation/result"),
		jsonBody: res, out: &out, secrets: []string{string(res.StatusToken)},
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
