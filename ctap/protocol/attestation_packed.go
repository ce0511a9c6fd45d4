package protocol

import (
	"crypto/x509"
	"encoding/asn1"
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
	if s, ok := decodePackedOnePass(raw); ok && !testOnlyMembersOnly {
		return s, nil
	}
	s, err := parsePackedMembers(raw)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// parsePackedMembers is the member-by-member parse of a packed statement,
// the one that names what is wrong with it.
func parsePackedMembers(raw RawCBOR) (*PackedAttestationStatement, error) {
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

// packedStmtWire is a packed statement decoded in one pass. Alg is a
// pointer so that a missing or null alg tells from 0.
type packedStmtWire struct {
	Alg        *COSEAlgorithmIdentifier `cbor:"alg"`
	Sig        []byte                   `cbor:"sig"`
	X5C        [][]byte                 `cbor:"x5c"`
	ECDAAKeyID cborItem                 `cbor:"ecdaaKeyId"`
}

// decodePackedOnePass decodes a packed statement in one pass of the
// decoder. It reports ok only for a statement that the member-by-member
// parse in parsePackedStatement accepts with the same result: a map of alg,
// a non-empty sig and, if present, a non-empty x5c of non-empty
// certificates, and nothing else (an ecdaaKeyId, refused later anyway, goes
// the long way). Anything else, valid or not, is left to that parse, which
// also names what is wrong.
func decodePackedOnePass(raw []byte) (*PackedAttestationStatement, bool) {
	var w packedStmtWire
	if decMode.Unmarshal(raw, &w) != nil || w.Alg == nil || len(w.Sig) == 0 || w.ECDAAKeyID != nil {
		return nil, false
	}
	members := uint64(2)
	if w.X5C != nil {
		if len(w.X5C) == 0 {
			return nil, false
		}
		for _, c := range w.X5C {
			if len(c) == 0 {
				return nil, false
			}
		}
		members++
	}
	// Every pair of the map went into a field (see decodeAttObjOnePass).
	if n, isMap := cborMapLen(raw); !isMap || n != members {
		return nil, false
	}
	return &PackedAttestationStatement{Alg: *w.Alg, Sig: w.Sig, X5C: w.X5C}, true
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
	// The signature covers authData || clientDataHash; verifySignature
	// hashes the two in turn rather than joining them.
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
		if err := verifySignature(s.Alg, pub, obj.AuthData.Raw, clientDataHash, s.Sig); err != nil {
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
	if err := verifySignature(s.Alg, leaf.PublicKey, obj.AuthData.Raw, clientDataHash, s.Sig); err != nil {
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
