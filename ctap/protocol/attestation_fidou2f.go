package protocol

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"slices"
)

func init() {
	registerAttestationFormat(AttestationFormatFIDOU2F, attestationFormatHandler{
		parse:  parseFIDOU2FStatement,
		verify: verifyFIDOU2F,
	})
}

// FIDOU2FAttestationStatement is the fido-u2f format's attStmt: a U2F
// registration signature and the one attestation certificate.
//
// Specification: WebAuthn §8.6 FIDO U2F Attestation Statement Format (https://www.w3.org/TR/webauthn-3/#sctn-fido-u2f-attestation)
type FIDOU2FAttestationStatement struct {
	Sig []byte   `cbor:"sig" json:"sig"`
	X5C [][]byte `cbor:"x5c" json:"x5c"`
}

// AttestationFormat returns fido-u2f.
func (*FIDOU2FAttestationStatement) AttestationFormat() AttestationFormat {
	return AttestationFormatFIDOU2F
}

func (s *FIDOU2FAttestationStatement) certificates() [][]byte             { return s.X5C }
func (s *FIDOU2FAttestationStatement) algorithm() COSEAlgorithmIdentifier { return AlgES256 }

func parseFIDOU2FStatement(raw RawCBOR) (AttestationStatement, error) {
	const f = AttestationFormatFIDOU2F
	m, err := attStmtMembers(f, raw, "sig", "x5c")
	if err != nil {
		return nil, err
	}
	s := &FIDOU2FAttestationStatement{}
	if err := stmtMember(f, m, "sig", &s.Sig, true); err != nil {
		return nil, err
	}
	if len(s.Sig) == 0 {
		return nil, parseErr(stmtPart(f), "sig: empty signature")
	}
	if s.X5C, err = stmtX5C(f, m, true); err != nil {
		return nil, err
	}
	if len(s.X5C) != 1 {
		return nil, parseErr(stmtPart(f), "x5c: must hold exactly one certificate")
	}
	return s, nil
}

// verifyFIDOU2F is the fido-u2f verification procedure: the certificate's
// P-256 key signs 0x00 || rpIdHash || clientDataHash || credentialId ||
// publicKeyU2F, the credential key as a 65-byte uncompressed point.
//
// Specification: WebAuthn §8.6 FIDO U2F Attestation Statement Format, verification procedure (https://www.w3.org/TR/webauthn-3/#sctn-fido-u2f-attestation)
func verifyFIDOU2F(obj *AttestationObject, clientDataHash []byte) (*AttestationVerdict, error) {
	const f = AttestationFormatFIDOU2F
	s, ok := obj.Statement.(*FIDOU2FAttestationStatement)
	if !ok {
		return nil, &VerificationError{Part: stmtPart(f), Reason: "statement not parsed"}
	}
	chain, err := parseChain(f, s.X5C, true)
	if err != nil {
		return nil, err
	}
	certKey, ok := chain[0].PublicKey.(*ecdsa.PublicKey)
	if !ok || certKey.Curve != elliptic.P256() {
		return nil, &VerificationError{Part: stmtPart(f), Reason: "attestation certificate key is not P-256"}
	}
	acd := obj.AuthData.AttestedCredentialData
	key := acd.PublicKey
	if key.KeyType != KeyTypeEC2 || key.Curve != CurveP256 || len(key.X) != 32 || len(key.Y) != 32 {
		return nil, &VerificationError{Part: stmtPart(f), Reason: "credential public key is not P-256"}
	}
	signed := slices.Concat([]byte{0}, obj.AuthData.RPIDHash[:], clientDataHash, acd.CredentialID, []byte{4}, key.X, key.Y)
	if err := VerifySignature(AlgES256, certKey, signed, s.Sig); err != nil {
		return nil, signatureFailure(f, "attestation ", err)
	}
	return &AttestationVerdict{Format: f, Type: AttestationTypeBasic, Algorithm: AlgES256, Chain: chain, Verified: true}, nil
}
