package app

import (
	"crypto/sha256"
	"fmt"

	"github.com/keydesk/keydesk/assets/aaguid"
	"github.com/keydesk/keydesk/client"
	"github.com/keydesk/keydesk/ctap"
)

// CredentialInfo is the decoded attestation or authenticator data of a
// ceremony's credential, as the helpdesk reads it. It carries no
// credential ID, public key, challenge or signature.
type CredentialInfo struct {
	// Kind is "attestation" (enroll) or "assertion" (sign-in).
	Kind      string   `json:"kind"`
	Format    string   `json:"format,omitempty"`
	AAGUID    string   `json:"aaguid,omitempty"`
	Model     string   `json:"model,omitempty"`
	Flags     string   `json:"flags"`
	UP        bool     `json:"userPresent"`
	UV        bool     `json:"userVerified"`
	Counter   uint32   `json:"signCount"`
	Algorithm string   `json:"algorithm,omitempty"`
	Chain     []string `json:"certificateChain,omitempty"`
	// Verdict is the attestation signature verdict in words.
	Verdict string `json:"verdict,omitempty"`
	// Verified is true when the attestation statement verified.
	Verified bool `json:"verified"`
}

// ModelName returns the model for an AAGUID, or "unknown model".
func ModelName(id string) string {
	if n, ok := aaguid.Model(id); ok {
		return n
	}
	return "unknown model"
}

// DecodeCredential decodes what the key returned in a ceremony.
func DecodeCredential(c *client.PublicKeyCredential) *CredentialInfo {
	if att := c.AttestationObject(); len(att) > 0 {
		return decodeAttestation(att, c.ClientDataJSON())
	}
	ad := c.AuthenticatorData()
	if ad == nil {
		return nil
	}
	info := &CredentialInfo{Kind: "assertion"}
	fillAuthData(info, ad)
	return info
}

func fillAuthData(info *CredentialInfo, ad *ctap.AuthenticatorData) {
	info.Flags = ad.Flags.String()
	info.UP, info.UV = ad.Flags.UserPresent(), ad.Flags.UserVerified()
	info.Counter = ad.SignCount
	if acd := ad.AttestedCredentialData; acd != nil {
		info.AAGUID = acd.AAGUID.String()
		info.Model = ModelName(info.AAGUID)
		if acd.PublicKey != nil {
			info.Algorithm = ctap.AlgName(acd.PublicKey.Algorithm)
		}
	}
}

func decodeAttestation(att, clientDataJSON []byte) *CredentialInfo {
	info := &CredentialInfo{Kind: "attestation"}
	obj, err := ctap.ParseAttestationObject(att)
	if err != nil {
		info.Verdict = "unreadable attestation object"
		return info
	}
	info.Format = string(obj.Format)
	fillAuthData(info, obj.AuthData)
	h := sha256.Sum256(clientDataJSON)
	v, err := obj.Verify(h[:])
	switch {
	case err != nil:
		info.Verdict = "signature does not verify"
	case v.Format == ctap.AttestationFormat("none"):
		info.Verdict = "no attestation (format none)"
	case v.Verified:
		info.Verdict = fmt.Sprintf("signature verified (%s attestation)", v.Type)
		info.Verified = true
	default:
		info.Verdict = "recognised but not verified"
	}
	if v != nil {
		for _, c := range v.Chain {
			info.Chain = append(info.Chain, c.Subject.String())
		}
	}
	return info
}
