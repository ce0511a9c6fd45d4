package cloud

import (
	"encoding/json"

	"github.com/keydesk/keydesk/client/webauthn/options"
)

// CredentialCreationOptions are the standard creation options
// (options.PublicKeyCredentialCreationOptionsJSON) in the Cloud's spelling:
// its relying party is "relyingParty", where standard WebAuthn JSON has
// "rp", and its id may be empty (the origin's host). Decoding maps
// "relyingParty" into RP and, when "relyingParty" is absent, accepts "rp";
// encoding writes "relyingParty" as the Cloud does. Every other member is
// the standard one.
//
// Specification: WebAuthn §5.1.8; the Cloud's enrollment answer
// (credentialCreationOptions).
type CredentialCreationOptions struct {
	options.PublicKeyCredentialCreationOptionsJSON
}

// UnmarshalJSON reads the Cloud's "relyingParty", or "rp" when that is
// absent.
func (o *CredentialCreationOptions) UnmarshalJSON(b []byte) error {
	type standard options.PublicKeyCredentialCreationOptionsJSON // without these methods
	var aux struct {
		standard
		RelyingParty json.RawMessage `json:"relyingParty"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	std := options.PublicKeyCredentialCreationOptionsJSON(aux.standard)
	if aux.RelyingParty != nil {
		std.RP = options.PublicKeyCredentialRpEntity{}
		if err := json.Unmarshal(aux.RelyingParty, &std.RP); err != nil {
			return err
		}
	}
	o.PublicKeyCredentialCreationOptionsJSON = std
	return nil
}

// MarshalJSON writes the relying party as "relyingParty", as the Cloud
// sends it.
func (o CredentialCreationOptions) MarshalJSON() ([]byte, error) {
	type standard options.PublicKeyCredentialCreationOptionsJSON
	return json.Marshal(struct {
		RelyingParty options.PublicKeyCredentialRpEntity `json:"relyingParty"`
		standard
		RP *struct{} `json:"rp,omitempty"` // hides the standard "rp"
	}{RelyingParty: o.RP, standard: standard(o.PublicKeyCredentialCreationOptionsJSON)})
}

// AppResult is the answer of the _app result endpoints. Status is
// "succeeded" with the transaction Token, or "failed" with ErrorMessage;
// treat anything but "succeeded" as a rejection even on HTTP 200.
type AppResult struct {
	Status       string `json:"status"`
	Token        Token  `json:"token,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
}
