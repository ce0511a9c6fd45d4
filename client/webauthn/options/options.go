// Package options holds the standard WebAuthn JSON options: what a relying
// party's server sends a page for navigator.credentials.create and .get,
// with every byte field a base64url string, named as in the WebAuthn
// Level 3 IDL. The WebAuthn client (client/webauthn) takes them; the Cloud
// client (client/cloud) maps the Cloud's spelling into them. The package is
// cgo-free, so that the Cloud client, its emulator and the fuzzers use the
// same types without the device layer.
//
// Members KeyDesk does not act on (hints, attestationFormats) are not
// decoded.
package options

// PublicKeyCredentialRpEntity is the relying party of a registration. An
// empty ID means the origin's host (the Authentication Cloud sends
// "id": ""), so ID is always marshalled.
//
// Specification: WebAuthn §5.4.2.
type PublicKeyCredentialRpEntity struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// PublicKeyCredentialUserEntityJSON is the user of a registration; ID is
// the user handle, base64url.
//
// Specification: WebAuthn §5.1.8 (JSON form of §5.4.3).
type PublicKeyCredentialUserEntityJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
}

// PublicKeyCredentialParameters is one entry of pubKeyCredParams: a COSE
// algorithm (-7 ES256, -8 EdDSA, -257 RS256) for type "public-key".
//
// Specification: WebAuthn §5.3.
type PublicKeyCredentialParameters struct {
	Type string `json:"type"`
	Alg  int    `json:"alg"`
}

// PublicKeyCredentialDescriptorJSON names a credential in
// excludeCredentials or allowCredentials; ID is base64url.
//
// Specification: WebAuthn §5.1.8 (JSON form of §5.8.3).
type PublicKeyCredentialDescriptorJSON struct {
	Type       string   `json:"type"`
	ID         string   `json:"id"`
	Transports []string `json:"transports,omitempty"`
}

// AuthenticatorSelectionCriteria is the authenticatorSelection member:
// which keys may take part, whether the credential is discoverable
// (residentKey, or the older requireResidentKey), and user verification.
//
// Specification: WebAuthn §5.4.4.
type AuthenticatorSelectionCriteria struct {
	AuthenticatorAttachment string `json:"authenticatorAttachment,omitempty"`
	ResidentKey             string `json:"residentKey,omitempty"`
	RequireResidentKey      bool   `json:"requireResidentKey,omitempty"`
	UserVerification        string `json:"userVerification,omitempty"`
}

// PublicKeyCredentialCreationOptionsJSON are the options of a
// registration, as PublicKeyCredential.parseCreationOptionsFromJSON takes
// them. Extensions holds the client extension inputs as sent
// (AuthenticationExtensionsClientInputsJSON).
//
// Specification: WebAuthn §5.1.8 (JSON form of §5.4).
type PublicKeyCredentialCreationOptionsJSON struct {
	RP                     PublicKeyCredentialRpEntity         `json:"rp"`
	User                   PublicKeyCredentialUserEntityJSON   `json:"user"`
	Challenge              string                              `json:"challenge"`
	PubKeyCredParams       []PublicKeyCredentialParameters     `json:"pubKeyCredParams"`
	Timeout                int                                 `json:"timeout,omitempty"`
	ExcludeCredentials     []PublicKeyCredentialDescriptorJSON `json:"excludeCredentials,omitempty"`
	AuthenticatorSelection *AuthenticatorSelectionCriteria     `json:"authenticatorSelection,omitempty"`
	Attestation            string                              `json:"attestation,omitempty"`
	Extensions             map[string]any                      `json:"extensions,omitempty"`
}

// PublicKeyCredentialRequestOptionsJSON are the options of an
// authentication, as PublicKeyCredential.parseRequestOptionsFromJSON takes
// them. An empty AllowCredentials means usernameless (a discoverable
// credential); an empty RPID means the origin's host.
//
// Specification: WebAuthn §5.1.9 (JSON form of §5.5).
type PublicKeyCredentialRequestOptionsJSON struct {
	Challenge        string                              `json:"challenge"`
	Timeout          int                                 `json:"timeout,omitempty"`
	RPID             string                              `json:"rpId,omitempty"`
	AllowCredentials []PublicKeyCredentialDescriptorJSON `json:"allowCredentials,omitempty"`
	UserVerification string                              `json:"userVerification,omitempty"`
	Extensions       map[string]any                      `json:"extensions,omitempty"`
}
