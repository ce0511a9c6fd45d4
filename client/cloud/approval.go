package cloud

import (
	"context"
	"net/http"

	"github.com/keydesk/keydesk/client/webauthn/options"
)

// ApprovalRequest starts an authentication. Set Username or UserID, or
// neither for a usernameless (discoverable credential) approval. Channel is
// always "fido2".
type ApprovalRequest struct {
	Username        string                `json:"username,omitempty"`
	UserID          string                `json:"userId,omitempty"`
	Channel         string                `json:"channel"`
	AuthenticatorID string                `json:"authenticatorId,omitempty"`
	FIDO2Options    *ApprovalFIDO2Options `json:"fido2Options,omitempty"`
}

// ApprovalFIDO2Options are the optional WebAuthn settings of an approval.
type ApprovalFIDO2Options struct {
	UserVerification string `json:"userVerification,omitempty"`
}

// ApprovalResponse is the transaction of an authentication.
type ApprovalResponse struct {
	TransactionID            string                                        `json:"transactionId"`
	UserID                   string                                        `json:"userId,omitempty"`
	StatusToken              Token                                         `json:"statusToken"`
	CredentialRequestOptions options.PublicKeyCredentialRequestOptionsJSON `json:"credentialRequestOptions"`
}

// Approve starts a FIDO2 authentication: POST {APIBASE}/approval. Never
// retried.
func (c *Client) Approve(ctx context.Context, req ApprovalRequest) (*ApprovalResponse, error) {
	req.Channel = ChannelFIDO2
	var out ApprovalResponse
	err := c.do(ctx, call{
		op: "approval", method: http.MethodPost, url: c.apiURL("/approval"),
		server: true, jsonBody: req, out: &out,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
