package ceremony

import (
	"crypto/sha256"
	"crypto/x509"

	"github.com/keydesk/keydesk/assets/aaguid"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap/protocol"
)

// attestationTrust judges the attestation of a new credential as a relying
// party with roots as its trust anchors would (protocol.TrustOf): a chain
// to one of them, a model KeyDesk's AAGUID table knows, or untrusted. An
// attestation that does not verify is untrusted.
func attestationTrust(cred *webauthn.PublicKeyCredential, roots *x509.CertPool) protocol.Trust {
	obj, err := protocol.ParseAttestationObject(cred.AttestationObject())
	if err != nil {
		return protocol.TrustUntrusted
	}
	h := sha256.Sum256(cred.ClientDataJSON())
	v, err := obj.Verify(h[:])
	if err != nil {
		return protocol.TrustUntrusted
	}
	var id protocol.AAGUID
	if acd := obj.AuthData.AttestedCredentialData; acd != nil {
		id = acd.AAGUID
	}
	return protocol.TrustOf(v.Chain, id, roots, func(a protocol.AAGUID) bool {
		_, ok := aaguid.Model(a.String())
		return ok
	})
}
