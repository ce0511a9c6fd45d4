package ctap

import (
	"crypto/x509"
	"encoding/asn1"
	"slices"
	"strings"
)

func init() {
	registerAttestationFormat(AttestationFormatPacked, attestationFormatHandler{
		parse:  parsePackedStatement,
		verify: verifyPacked,
	})
}

// PackedAttestationStatement is the packed format's attStmt: full
// attestation when X5C is present, self attestation when not.
//
// Specification: WebAuthn §8.2 Packed Attestation Statement Format (https://www.w3.org/TR/webauthn-3/#sctn-packed-attestation)
type PackedAttestationStatement struct {
	Alg COSEAlgorithmIdentifier `cbor:"alg" json:"alg"`
	Sig []byte                  `cbor:"sig" json:"sig"`
	X5C [][]byte                `cbor:"x5c,omitempty" json:"x5c,omitempty"`
	// ECDAAKeyID is parsed only to be refused: ECDAA left WebAuthn in
	// Level 2.
	ECDAAKeyID []byte `cbor:"ecdaaKeyId,omitempty" json:"ecdaaKeyId,omitempty"`
}

// AttestationFormat returns packed.
func (*PackedAttestationStatement) AttestationFormat() AttestationFormat {
	return AttestationFormatPacked
}

func (s *PackedAttestationStatement) certificates() [][]byte             { return s.X5C }
func (s *PackedAttestationStatement) algorithm() COSEAlgorithmIdentifier { return s.Alg }

func parsePackedStatement(raw RawCBOR) (AttestationStatement, error) {
	const f = AttestationFormatPacked
	m, err := attStmtMembers(f, raw, "alg", "sig", "x5c", "ecdaaKeyId")
	if err != nil {
		return nil, err
	}
	s := &PackedAttestationStatement{}
	if err := stmtMember(f, m, "alg", &s.Alg, true); err != nil {
		return nil, err
	}
	if err := stmtMember(f, m, "sig", &s.Sig, true); err != nil {
		return nil, err
	}
	if len(s.Sig) == 0 {
		return nil, parseErr(stmtPart(f), "sig: empty signature")
	}
	if s.X5C, err = stmtX5C(f, m, false); err != nil {
		return nil, err
	}
	if err := stmtMember(f, m, "ecdaaKeyId", &s.ECDAAKeyID, false); err != nil {
		return nil, err
	}
	return s, nil
}

// verifyPacked is the packed verification procedure.
//
// Specification: WebAuthn §8.2 Packed Attestation Statement Format, verification procedure (https://www.w3.org/TR/webauthn-3/#sctn-packed-attestation)
func verifyPacked(obj *AttestationObject, clientDataHash []byte) (*AttestationVerdict, error) {
	const f = AttestationFormatPacked
	s, ok := obj.Statement.(*PackedAttestationStatement)
	if !ok {
		return nil, &VerificationError{Part: stmtPart(f), Reason: "statement not parsed"}
	}
	if len(s.ECDAAKeyID) != 0 {
		return nil, &VerificationError{Part: stmtPart(f), Reason: "ecdaa attestation is not supported"}
	}
	signed := slices.Concat(obj.AuthData.Raw, clientDataHash)
	acd := obj.AuthData.AttestedCredentialData
	verdict := &AttestationVerdict{Format: f, Algorithm: s.Alg}

	if len(s.X5C) == 0 {
		// Self attestation: the credential signs for itself.
		if s.Alg != acd.PublicKey.Algorithm {
			return nil, &VerificationError{Part: stmtPart(f), Reason: "self attestation alg " + AlgName(s.Alg) + " differs from the credential's " + AlgName(acd.PublicKey.Algorithm)}
		}
		pub, err := acd.PublicKey.PublicKey()
		if err != nil {
			return nil, &VerificationError{Part: stmtPart(f), Reason: "credential public key unusable", Err: err}
		}
		if err := VerifySignature(s.Alg, pub, signed, s.Sig); err != nil {
			return nil, signatureFailure(f, "self attestation ", err)
		}
		verdict.Type, verdict.Verified = AttestationTypeSelf, true
		return verdict, nil
	}

	chain, err := parseChain(f, s.X5C, true)
	if err != nil {
		return nil, err
	}
	leaf := chain[0]
	if err := VerifySignature(s.Alg, leaf.PublicKey, signed, s.Sig); err != nil {
		return nil, signatureFailure(f, "attestation ", err)
	}
	certAAGUID, err := checkPackedCertificate(leaf, acd.AAGUID)
	if err != nil {
		return nil, err
	}
	verdict.Chain, verdict.CertificateAAGUID = chain, certAAGUID
	// Basic and AttCA cannot be told apart from the statement; metadata
	// can. Basic is what security keys use.
	verdict.Type, verdict.Verified = AttestationTypeBasic, true
	return verdict, nil
}

// oidFIDOGenCEAAGUID is id-fido-gen-ce-aaguid, the attestation certificate
// extension naming the authenticator model.
var oidFIDOGenCEAAGUID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 45724, 1, 1, 4}

// checkPackedCertificate checks the attestation certificate requirements
// and returns the AAGUID of its id-fido-gen-ce-aaguid extension, if any.
//
// Specification: WebAuthn §8.2.1 Certificate Requirements for Packed Attestation Statements (https://www.w3.org/TR/webauthn-3/#sctn-packed-attestation-cert-requirements)
func checkPackedCertificate(c *x509.Certificate, aaguid AAGUID) (*AAGUID, error) {
	fail := func(reason string) error {
		return &VerificationError{Part: stmtPart(AttestationFormatPacked), Reason: "attestation certificate: " + reason}
	}
	if c.Version != 3 {
		return nil, fail("version is not 3")
	}
	if len(c.Subject.Country) != 1 || !isCountryCode(c.Subject.Country[0]) {
		return nil, fail("subject C is not one ISO 3166 country code")
	}
	if strings.Join(c.Subject.Organization, "") == "" {
		return nil, fail("subject O is empty")
	}
	if len(c.Subject.OrganizationalUnit) != 1 || c.Subject.OrganizationalUnit[0] != "Authenticator Attestation" {
		return nil, fail(`subject OU is not "Authenticator Attestation"`)
	}
	if c.Subject.CommonName == "" {
		return nil, fail("subject CN is empty")
	}
	if c.IsCA {
		return nil, fail("basic constraints allow a CA")
	}
	return certificateAAGUID(c, aaguid, fail)
}

// certificateAAGUID reads id-fido-gen-ce-aaguid, which must not be critical
// and must name the same AAGUID as the authenticator data.
func certificateAAGUID(c *x509.Certificate, aaguid AAGUID, fail func(string) error) (*AAGUID, error) {
	for _, ext := range c.Extensions {
		if !ext.Id.Equal(oidFIDOGenCEAAGUID) {
			continue
		}
		if ext.Critical {
			return nil, fail("aaguid extension is critical")
		}
		var value []byte
		rest, err := asn1.Unmarshal(ext.Value, &value)
		if err != nil || len(rest) != 0 || len(value) != len(aaguid) {
			return nil, fail("aaguid extension is not a 16-byte octet string")
		}
		var got AAGUID
		copy(got[:], value)
		if got != aaguid {
			return nil, fail("aaguid extension does not match the authenticator data")
		}
		return &got, nil
	}
	return nil, nil
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
