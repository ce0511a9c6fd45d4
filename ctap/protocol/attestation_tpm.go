package protocol

func init() {
	registerAttestationFormat(AttestationFormatTPM, attestationFormatHandler{parse: parseTPMStatement})
}

// TPMAttestationStatement is the tpm format's attStmt. KeyDesk parses it
// and shows it but does not run its verification procedure (TPMS_ATTEST and
// TPMT_PUBLIC decoding): Verify reports it as not verified.
//
// Specification: WebAuthn §8.3 TPM Attestation Statement Format (https://www.w3.org/TR/webauthn-3/#sctn-tpm-attestation)
type TPMAttestationStatement struct {
	Ver      string                  `cbor:"ver" json:"ver"`
	Alg      COSEAlgorithmIdentifier `cbor:"alg" json:"alg"`
	X5C      [][]byte                `cbor:"x5c" json:"x5c"`
	Sig      []byte                  `cbor:"sig" json:"sig"`
	CertInfo []byte                  `cbor:"certInfo" json:"certInfo"` // TPMS_ATTEST
	PubArea  []byte                  `cbor:"pubArea" json:"pubArea"`   // TPMT_PUBLIC
}

// AttestationFormat returns tpm.
func (*TPMAttestationStatement) AttestationFormat() AttestationFormat {
	return AttestationFormatTPM
}

func (s *TPMAttestationStatement) certificates() [][]byte             { return s.X5C }
func (s *TPMAttestationStatement) algorithm() COSEAlgorithmIdentifier { return s.Alg }

func parseTPMStatement(raw RawCBOR) (AttestationStatement, error) {
	const f = AttestationFormatTPM
	m, err := attStmtMembers(f, raw, "ver", "alg", "x5c", "sig", "certInfo", "pubArea")
	if err != nil {
		return nil, err
	}
	s := &TPMAttestationStatement{}
	for _, mem := range []struct {
		name string
		v    any
	}{{"ver", &s.Ver}, {"alg", &s.Alg}, {"sig", &s.Sig}, {"certInfo", &s.CertInfo}, {"pubArea", &s.PubArea}} {
		if err := stmtMember(f, m, mem.name, mem.v, true); err != nil {
			return nil, err
		}
	}
	if s.Ver != "2.0" {
		return nil, parseErr(stmtPart(f), "ver: not 2.0")
	}
	if s.X5C, err = stmtX5C(f, m, true); err != nil {
		return nil, err
	}
	return s, nil
}
