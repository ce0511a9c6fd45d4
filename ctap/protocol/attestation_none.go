package protocol

func init() {
	registerAttestationFormat(AttestationFormatNone, attestationFormatHandler{
		parse:  parseNoneStatement,
		verify: verifyNone,
	})
}

// NoneAttestationStatement is the none format's attStmt, an empty map.
//
// Specification: WebAuthn §8.7 None Attestation Statement Format (https://www.w3.org/TR/webauthn-3/#sctn-none-attestation)
type NoneAttestationStatement struct{}

// AttestationFormat returns none.
func (*NoneAttestationStatement) AttestationFormat() AttestationFormat {
	return AttestationFormatNone
}

func parseNoneStatement(raw RawCBOR) (AttestationStatement, error) {
	if _, err := attStmtMembers(AttestationFormatNone, raw); err != nil {
		return nil, err
	}
	return &NoneAttestationStatement{}, nil
}

func verifyNone(*AttestationObject, []byte) (*AttestationVerdict, error) {
	return &AttestationVerdict{Format: AttestationFormatNone, Type: AttestationTypeNone}, nil
}
