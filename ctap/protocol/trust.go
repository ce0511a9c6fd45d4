package protocol

import "crypto/x509"

// Trust is a relying party's verdict on an attestation whose signature
// verified: how far it can believe what the key says it is. Which
// attestations to accept is the relying party's policy (WebAuthn §7.1
// step 23: "assess the attestation trustworthiness … using the
// attestation trust anchors"; §13.4.1 leaves the choice of anchors to it).
type Trust string

const (
	// TrustRoot: the certificate chain leads to a root the relying party
	// trusts.
	TrustRoot Trust = "trusted-root"
	// TrustKnownModel: the AAGUID names a model the relying party knows,
	// but the chain leads to no root it trusts (or there is none), so the
	// model is the key's claim.
	TrustKnownModel Trust = "known-model"
	// TrustUntrusted: neither; self and none attestations of unknown
	// models, and every chain to an unknown root.
	TrustUntrusted Trust = "untrusted"
)

// TrustOf judges a verified attestation: its chain (leaf first; none for
// self and none attestation) against roots, then its AAGUID against
// knownModel. A nil roots pool trusts no root; a nil knownModel knows no
// model. The verdict only reads certificates that already verified the
// attestation signature (Verify); it checks the chain to a root here.
func TrustOf(chain []*x509.Certificate, aaguid AAGUID, roots *x509.CertPool, knownModel func(AAGUID) bool) Trust {
	if len(chain) > 0 && roots != nil {
		inter := x509.NewCertPool()
		for _, c := range chain[1:] {
			inter.AddCert(c)
		}
		// Attestation certificates carry no extended key usage of their
		// own (WebAuthn §8.2.1), so any is accepted.
		if _, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}, CurrentTime: testOnlyNow()}); err == nil {
			return TrustRoot
		}
	}
	if !aaguid.IsZero() && knownModel != nil && knownModel(aaguid) {
		return TrustKnownModel
	}
	return TrustUntrusted
}
