package emulator

import (
	"crypto/x509"

	"github.com/go-webauthn/webauthn/protocol"

	"github.com/keydesk/keydesk/assets/aaguid"
	ctapprotocol "github.com/keydesk/keydesk/ctap/protocol"
)

// AttestationPolicy is what the emulator does with an attestation whose
// signature verifies but whose certificate chain leads to none of
// Config.AttestationRoots. Trust in attestation is the relying party's
// policy (WebAuthn §7.1 step 23–24); the Authentication Cloud's
// documentation does not say which attestations it accepts (README,
// "Where the documentation is silent").
type AttestationPolicy int

const (
	// RefuseUntrusted rejects a chain to an unknown root (the default:
	// integrators' tests see the strictest relying party).
	RefuseUntrusted AttestationPolicy = iota
	// RecordTrust accepts every attestation whose signature verifies and
	// keeps a verdict with the authenticator (protocol.Trust): the demo,
	// where a person's own hardware key must enroll although the emulator
	// knows only the virtual key's CA.
	RecordTrust
)

// trustVerdict judges an attestation go-webauthn has verified: its x5c
// against Config.AttestationRoots, its AAGUID against KeyDesk's model
// table.
func (s *Server) trustVerdict(p *protocol.ParsedCredentialCreationData) ctapprotocol.Trust {
	var chain []*x509.Certificate
	x5c, _ := p.Response.AttestationObject.AttStatement["x5c"].([]any)
	for _, c := range x5c {
		der, ok := c.([]byte)
		if !ok {
			return ctapprotocol.TrustUntrusted
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return ctapprotocol.TrustUntrusted
		}
		chain = append(chain, cert)
	}
	var id ctapprotocol.AAGUID
	copy(id[:], p.Response.AttestationObject.AuthData.AttData.AAGUID)
	return ctapprotocol.TrustOf(chain, id, s.cfg.AttestationRoots, knownModel)
}

func knownModel(id ctapprotocol.AAGUID) bool {
	_, ok := aaguid.Model(id.String())
	return ok
}

// AttestationRoots are the configured trust anchors (nil: none).
func (s *Server) AttestationRoots() *x509.CertPool { return s.cfg.AttestationRoots }

// AttestationTrust returns the trust verdicts of a user's authenticators,
// in the order they were enrolled ("" for one enrolled under
// RefuseUntrusted, which keeps none). For the demo and tests: the
// Authentication Cloud's API has no such member.
func (s *Server) AttestationTrust(username string) []ctapprotocol.Trust {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.store.byName[username]
	if u == nil {
		return nil
	}
	var out []ctapprotocol.Trust
	for _, a := range u.Authenticators {
		out = append(out, a.Trust)
	}
	return out
}
