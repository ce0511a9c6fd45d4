package cloud

import (
	"context"
	"encoding/json"
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
	UserID    string `json:"userId"`
	Username  string `json:"username"`
	Status    string `json:"status"`
	CreatedAt string `json:"createdAt,omitempty"`
	UpdatedAt string `json:"updatedAt,omitempty"`
	// Authenticators are the user's authenticators before this enrollment,
	// decoded leniently (see AuthenticatorList).
	Authenticators AuthenticatorList `json:"authenticators"`
	Enrollment     Enrollment        `json:"enrollment"`
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

// AuthenticatorList is the enroll answer's authenticators. The official iOS
// sample reads them as identifiers (nevis-mobile-authentication-fido2-example-ios,
// FIDO2/Data/Model/AuthenticationCloud/Registration/RegistrationResponse.swift:
// "authenticators: Set<String>"), the users endpoint documents objects with
// an authenticatorId (docs.nevis.net/authcloud/api-doc/api-reference/users-endpoint-ref),
// and the registration page's example shows only an empty list. Both shapes
// (and a mix) decode; an element of neither shape, or without an
// identifier, is skipped, and null is an empty list: KeyDesk only counts
// and names them, so an odd list must never fail an enrollment.
type AuthenticatorList []Authenticator

// UnmarshalJSON decodes identifiers, objects, or a mix.
func (l *AuthenticatorList) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		// Not a list (null, or another shape): nothing KeyDesk can use.
		*l = nil
		return nil
	}
	out := make(AuthenticatorList, 0, len(raw))
	for _, r := range raw {
		var id string
		if json.Unmarshal(r, &id) == nil {
			if id != "" {
				out = append(out, Authenticator{AuthenticatorID: id})
			}
			continue
		}
		var a Authenticator
		if json.Unmarshal(r, &a) == nil && a.AuthenticatorID != "" {
			out = append(out, a)
		}
	}
	*l = out
	return nil
}
