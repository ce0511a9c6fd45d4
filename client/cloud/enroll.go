package cloud

import (
	"context"
	"errors"
	"net/http"

	"github.com/keydesk/keydesk/client/webauthn/options"
)

// ChannelFIDO2 is the channel of every KeyDesk call.
const ChannelFIDO2 = "fido2"

// EnrollRequest starts a registration. Channel is always "fido2".
type EnrollRequest struct {
	Username     string              `json:"username"`
	Channel      string              `json:"channel"`
	DisplayName  string              `json:"displayName,omitempty"`
	FIDO2Options *EnrollFIDO2Options `json:"fido2Options,omitempty"`
}

// EnrollFIDO2Options are the optional WebAuthn settings of an enrollment.
type EnrollFIDO2Options struct {
	AuthenticatorSelection *options.AuthenticatorSelectionCriteria `json:"authenticatorSelection,omitempty"`
	Attestation            string                                  `json:"attestation,omitempty"`
}

// EnrollResponse is the user with its pending enrollment.
type EnrollResponse struct {
	UserID         string          `json:"userId"`
	Username       string          `json:"username"`
	Status         string          `json:"status"`
	CreatedAt      string          `json:"createdAt,omitempty"`
	UpdatedAt      string          `json:"updatedAt,omitempty"`
	Authenticators []Authenticator `json:"authenticators"`
	Enrollment     Enrollment      `json:"enrollment"`
}

// Enrollment is the transaction of a registration: the status token to
// poll and the options for the WebAuthn client.
type Enrollment struct {
	TransactionID             string                    `json:"transactionId"`
	StatusToken               Token                     `json:"statusToken"`
	CredentialCreationOptions CredentialCreationOptions `json:"credentialCreationOptions"`
}

// Enroll starts a FIDO2 registration: POST {APIBASE}/users/enroll. It is
// never retried, since a second call would start a second enrollment.
func (c *Client) Enroll(ctx context.Context, req EnrollRequest) (*EnrollResponse, error) {
	if req.Username == "" {
		return nil, errors.New("cloud: enroll: username missing")
	}
	req.Channel = ChannelFIDO2
	var out EnrollResponse
	err := c.do(ctx, call{
		op: "enroll", method: http.MethodPost, url: c.apiURL("/users/enroll"),
		server: true, jsonBody: req, out: &out,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
