package protocol

import (
	"crypto"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/asn1"
	"slices"
)

func init() {
	registerAttestationFormat(AttestationFormatApple, attestationFormatHandler{
		parse:  parseAppleStatement,
		verify: verifyApple,
	})
}

// AppleAttestationStatement is the apple format's attStmt: a certificate
// chain whose leaf certifies the credential key and a nonce.
//
// Specification: WebAuthn §8.8 Apple Anonymous Attestation Statement Format (https://www.w3.org/TR/webauthn-3/#sctn-apple-anonymous-attestation)
type AppleAttestationStatement struct {
	X5C [][]byte `cbor:"x5c" json:"x5c"`
}

// AttestationFormat returns apple.
func (*AppleAttestationStatement) AttestationFormat() AttestationFormat {
	return AttestationFormatApple
}

func (s *AppleAttestationStatement) certificates() [][]byte             { return s.X5C }
func (s *AppleAttestationStatement) algorithm() COSEAlgorithmIdentifier { return 0 }

func parseAppleStatement(raw RawCBOR) (AttestationStatement, error) {
	const f = AttestationFormatApple
	m, err := attStmtMembers(f, raw, "x5c")
	if err != nil {
		return nil, err
	}
	s := &AppleAttestationStatement{}
	if s.X5C, err = stmtX5C(f, m, true); err != nil {
		return nil, err
	}
	return s, nil
}

// oidAppleNonce is the extension of Apple's credential certificate that
// holds the nonce.
var oidAppleNonce = asn1.ObjectIdentifier{1, 2, 840, 113635, 100, 8, 2}

// verifyApple is the apple verification procedure: the credential
// certificate's nonce extension holds SHA-256(authenticatorData ||
// clientDataHash) and its key is the credential public key.
//
// Specification: WebAuthn §8.8 Apple Anonymous Attestation Statement Format, verification procedure (https://www.w3.org/TR/webauthn-3/#sctn-apple-anonymous-attestation)
func verifyApple(obj *AttestationObject, clientDataHash []byte) (*AttestationVerdict, error) {
	const f = AttestationFormatApple
	s, ok := obj.Statement.(*AppleAttestationStatement)
	if !ok {
		return nil, &VerificationError{Part: stmtPart(f), Reason: "statement not parsed"}
	}
	chain, err := parseChain(f, s.X5C, true)
	if err != nil {
		return nil, err
	}
	want := sha256.Sum256(slices.Concat(obj.AuthData.Raw, clientDataHash))
	var nonce []byte
	for _, ext := range chain[0].Extensions {
		if !ext.Id.Equal(oidAppleNonce) {
			continue
		}
		var v struct {
			Nonce []byte `asn1:"tag:1,explicit"`
		}
		rest, err := asn1.Unmarshal(ext.Value, &v)
		if err != nil || len(rest) != 0 {
			return nil, &VerificationError{Part: stmtPart(f), Reason: "credential certificate: malformed nonce extension"}
		}
		nonce = v.Nonce
	}
	if nonce == nil {
		return nil, &VerificationError{Part: stmtPart(f), Reason: "credential certificate: no nonce extension"}
	}
	if subtle.ConstantTimeCompare(nonce, want[:]) != 1 {
		return nil, &VerificationError{Part: stmtPart(f), Reason: "credential certificate: nonce does not match", Err: ErrSignatureMismatch}
	}
	credKey, err := obj.AuthData.AttestedCredentialData.PublicKey.PublicKey()
	if err != nil {
		return nil, &VerificationError{Part: stmtPart(f), Reason: "credential public key unusable", Err: err}
	}
	if k, ok := credKey.(interface{ Equal(crypto.PublicKey) bool }); !ok || !k.Equal(chain[0].PublicKey) {
		return nil, &VerificationError{Part: stmtPart(f), Reason: "credential certificate key is not the credential public key"}
	}
	return &AttestationVerdict{Format: f, Type: AttestationTypeAnonCA, Chain: chain, Verified: true}, nil
}
