package protocol

// The file is not named attestation_android.go: a _android suffix is a
// GOOS build constraint and would leave it out of every non-Android build.

func init() {
	registerAttestationFormat(AttestationFormatAndroidKey, attestationFormatHandler{parse: parseAndroidKeyStatement})
	registerAttestationFormat(AttestationFormatAndroidSafetyNet, attestationFormatHandler{parse: parseAndroidSafetyNetStatement})
}

// AndroidKeyAttestationStatement is the android-key format's attStmt,
// parsed but not verified (platform authenticators are not what KeyDesk
// manages).
//
// Specification: WebAuthn §8.4 Android Key Attestation Statement Format (https://www.w3.org/TR/webauthn-3/#sctn-android-key-attestation)
type AndroidKeyAttestationStatement struct {
	Alg COSEAlgorithmIdentifier `cbor:"alg" json:"alg"`
	Sig []byte                  `cbor:"sig" json:"sig"`
	X5C [][]byte                `cbor:"x5c" json:"x5c"`
}

// AttestationFormat returns android-key.
func (*AndroidKeyAttestationStatement) AttestationFormat() AttestationFormat {
	return AttestationFormatAndroidKey
}

func (s *AndroidKeyAttestationStatement) certificates() [][]byte             { return s.X5C }
func (s *AndroidKeyAttestationStatement) algorithm() COSEAlgorithmIdentifier { return s.Alg }

func parseAndroidKeyStatement(raw RawCBOR) (AttestationStatement, error) {
	const f = AttestationFormatAndroidKey
	m, err := attStmtMembers(f, raw, "alg", "sig", "x5c")
	if err != nil {
		return nil, err
	}
	s := &AndroidKeyAttestationStatement{}
	if err := stmtMember(f, m, "alg", &s.Alg, true); err != nil {
		return nil, err
	}
	if err := stmtMember(f, m, "sig", &s.Sig, true); err != nil {
		return nil, err
	}
	if s.X5C, err = stmtX5C(f, m, true); err != nil {
		return nil, err
	}
	return s, nil
}

// AndroidSafetyNetAttestationStatement is the android-safetynet format's
// attStmt: the SafetyNet API's JWS response, recognised and kept, not
// verified (the service is retired).
//
// Specification: WebAuthn §8.5 Android SafetyNet Attestation Statement Format (https://www.w3.org/TR/webauthn-3/#sctn-android-safetynet-attestation)
type AndroidSafetyNetAttestationStatement struct {
	Ver      string `cbor:"ver" json:"ver"`
	Response []byte `cbor:"response" json:"response"`
}

// AttestationFormat returns android-safetynet.
func (*AndroidSafetyNetAttestationStatement) AttestationFormat() AttestationFormat {
	return AttestationFormatAndroidSafetyNet
}

func parseAndroidSafetyNetStatement(raw RawCBOR) (AttestationStatement, error) {
	const f = AttestationFormatAndroidSafetyNet
	m, err := attStmtMembers(f, raw, "ver", "response")
	if err != nil {
		return nil, err
	}
	s := &AndroidSafetyNetAttestationStatement{}
	if err := stmtMember(f, m, "ver", &s.Ver, true); err != nil {
		return nil, err
	}
	if err := stmtMember(f, m, "response", &s.Response, true); err != nil {
		return nil, err
	}
	if s.Ver == "" || len(s.Response) == 0 {
		return nil, parseErr(stmtPart(f), "empty ver or response")
	}
	return s, nil
}
