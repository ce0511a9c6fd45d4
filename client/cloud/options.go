package cloud

import (
	"encoding/json"
)

// RelyingParty is the relying party of credential creation options. An
// empty ID means the origin's host (Nevis sends "id": "").
type RelyingParty struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// UserEntity is the user of credential creation options; ID is base64url.
type UserEntity struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
}

// CredentialParameter is one entry of pubKeyCredParams: a COSE algorithm
// (-7 ES256, -8 EdDSA, -257 RS256) for type "public-key".
type CredentialParameter struct {
	Type string `json:"type"`
	Alg  int    `json:"alg"`
}

// CredentialDescriptor names a credential in excludeCredentials or
// allowCredentials; ID is base64url.
type CredentialDescriptor struct {
	Type       string   `json:"type"`
	ID         string   `json:"id"`
	Transports []string `json:"transports,omitempty"`
}

// AuthenticatorSelection is the WebAuthn authenticatorSelection member.
type AuthenticatorSelection struct {
	AuthenticatorAttachment string `json:"authenticatorAttachment,omitempty"`
	ResidentKey             string `json:"residentKey,omitempty"`
	RequireResidentKey      bool   `json:"requireResidentKey,omitempty"`
	UserVerification        string `json:"userVerification,omitempty"`
}

// CredentialCreationOptions are the options of a registration as the Cloud
// sends them. The relying party is "relyingParty" in Nevis's JSON and "rp"
// in standard WebAuthn JSON; both are accepted, and it marshals as
// "relyingParty".
//
// Specification: WebAuthn §5.4 PublicKeyCredentialCreationOptions.
type CredentialCreationOptions struct {
	RelyingParty           RelyingParty            `json:"relyingParty"`
	User                   UserEntity              `json:"user"`
	Challenge              string                  `json:"challenge"`
	PubKeyCredParams       []CredentialParameter   `json:"pubKeyCredParams"`
	Timeout                int                     `json:"timeout,omitempty"`
	ExcludeCredentials     []CredentialDescriptor  `json:"excludeCredentials,omitempty"`
	AuthenticatorSelection *AuthenticatorSelection `json:"authenticatorSelection,omitempty"`
	Attestation            string                  `json:"attestation,omitempty"`
	Extensions             map[string]any          `json:"extensions,omitempty"`
}

// UnmarshalJSON accepts "relyingParty" and, when that is absent, "rp".
func (o *CredentialCreationOptions) UnmarshalJSON(b []byte) error {
	type plain CredentialCreationOptions
	var aux struct {
		plain
		RP *RelyingParty `json:"rp"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*o = CredentialCreationOptions(aux.plain)
	var probe struct {
		RelyingParty json.RawMessage `json:"relyingParty"`
	}
	_ = json.Unmarshal(b, &probe)
	if probe.RelyingParty == nil && aux.RP != nil {
		o.RelyingParty = *aux.RP
	}
	return nil
}

// RequestOptions are the options of an authentication as the Cloud sends
// them. An empty AllowCredentials means usernameless (discoverable).
//
// Specification: WebAuthn §5.5 PublicKeyCredentialRequestOptions.
type RequestOptions struct {
	Challenge        string                 `json:"challenge"`
	Timeout          int                    `json:"timeout,omitempty"`
	RPID             string                 `json:"rpId,omitempty"`
	AllowCredentials []CredentialDescriptor `json:"allowCredentials,omitempty"`
	UserVerification string                 `json:"userVerification,omitempty"`
	Extensions       map[string]any         `json:"extensions,omitempty"`
}

// AppResult is the answer of the _app result endpoints. Status is
// "succeeded" with the transaction Token, or "failed" with ErrorMessage;
// treat anything but "succeeded" as a rejection even on HTTP 200.
type AppResult struct {
	Status       string `json:"status"`
	Token        Token  `json:"token,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
}
