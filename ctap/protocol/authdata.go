package protocol

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
)

// AuthenticatorFlags is the flags byte of the authenticator data.
//
// Specification: WebAuthn §6.1 Authenticator Data, flags (https://www.w3.org/TR/webauthn-3/#authdata-flags)
type AuthenticatorFlags byte

// The flags. Bits 1 and 5 are reserved.
const (
	FlagUserPresent            AuthenticatorFlags = 1 << 0 // UP
	FlagUserVerified           AuthenticatorFlags = 1 << 2 // UV
	FlagBackupEligible         AuthenticatorFlags = 1 << 3 // BE
	FlagBackupState            AuthenticatorFlags = 1 << 4 // BS
	FlagAttestedCredentialData AuthenticatorFlags = 1 << 6 // AT
	FlagExtensionData          AuthenticatorFlags = 1 << 7 // ED
)

// UserPresent reports the UP flag.
func (f AuthenticatorFlags) UserPresent() bool { return f&FlagUserPresent != 0 }

// UserVerified reports the UV flag.
func (f AuthenticatorFlags) UserVerified() bool { return f&FlagUserVerified != 0 }

// BackupEligible reports the BE flag.
func (f AuthenticatorFlags) BackupEligible() bool { return f&FlagBackupEligible != 0 }

// BackupState reports the BS flag.
func (f AuthenticatorFlags) BackupState() bool { return f&FlagBackupState != 0 }

// AttestedCredentialData reports the AT flag.
func (f AuthenticatorFlags) AttestedCredentialData() bool {
	return f&FlagAttestedCredentialData != 0
}

// ExtensionData reports the ED flag.
func (f AuthenticatorFlags) ExtensionData() bool { return f&FlagExtensionData != 0 }

// String lists the set flags, "UP|UV|AT", with reserved bits as RFU1, RFU2.
func (f AuthenticatorFlags) String() string {
	names := []struct {
		bit  AuthenticatorFlags
		name string
	}{
		{FlagUserPresent, "UP"}, {1 << 1, "RFU1"}, {FlagUserVerified, "UV"},
		{FlagBackupEligible, "BE"}, {FlagBackupState, "BS"}, {1 << 5, "RFU2"},
		{FlagAttestedCredentialData, "AT"}, {FlagExtensionData, "ED"},
	}
	var set []string
	for _, n := range names {
		if f&n.bit != 0 {
			set = append(set, n.name)
		}
	}
	if len(set) == 0 {
		return "none"
	}
	return strings.Join(set, "|")
}

// AAGUID identifies an authenticator model.
//
// Specification: WebAuthn §6.5.1 Attested Credential Data (https://www.w3.org/TR/webauthn-3/#aaguid)
type AAGUID [16]byte

// String formats the AAGUID as a UUID, lowercase.
func (a AAGUID) String() string {
	h := hex.EncodeToString(a[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// IsZero reports the all-zero AAGUID that keys without a model identity (and
// U2F keys) send.
func (a AAGUID) IsZero() bool { return a == AAGUID{} }

// MaxCredentialIDLength is the longest credential ID WebAuthn allows.
//
// Specification: WebAuthn §6.5.1 Attested Credential Data, credentialIdLength (https://www.w3.org/TR/webauthn-3/#credentialidlength)
const MaxCredentialIDLength = 1023

// AttestedCredentialData is the part of the authenticator data that a key
// adds when it makes a credential.
//
// Specification: WebAuthn §6.5.1 Attested Credential Data (https://www.w3.org/TR/webauthn-3/#sctn-attested-credential-data)
type AttestedCredentialData struct {
	AAGUID       AAGUID
	CredentialID []byte
	// CredentialPublicKey is the COSE_Key as the authenticator encoded it;
	// PublicKey is its parsed form.
	CredentialPublicKey []byte
	PublicKey           *COSEKey
}

// AuthenticatorData is the authenticator's signed statement of the RP ID
// hash, flags, signature counter, and (when it makes a credential) the new
// credential, with any extension outputs.
//
// Specification: WebAuthn §6.1 Authenticator Data (https://www.w3.org/TR/webauthn-3/#sctn-authenticator-data)
type AuthenticatorData struct {
	RPIDHash  [32]byte
	Flags     AuthenticatorFlags
	SignCount uint32

	// AttestedCredentialData is set exactly when the AT flag is.
	AttestedCredentialData *AttestedCredentialData
	// Extensions is set exactly when the ED flag is.
	Extensions *AuthenticatorExtensions

	// Raw is the authenticator data as parsed: the bytes signatures cover.
	Raw []byte
}

const (
	authDataPart      = "authenticator data"
	authDataMinLength = 32 + 1 + 4
)

// ParseAuthenticatorData parses authenticator data strictly: the AT and ED
// flags must match what follows the counter, lengths must fit, the credential
// public key must be a valid COSE key, the extensions must be a map with
// text keys, and nothing may follow. Go-libfido2 hands out authenticator
// data wrapped in a CBOR byte string: UnwrapAuthData first.
//
// Specification: WebAuthn §6.1 Authenticator Data (https://www.w3.org/TR/webauthn-3/#sctn-authenticator-data)
func ParseAuthenticatorData(data []byte) (*AuthenticatorData, error) {
	return parseAuthenticatorData(data, true)
}

// parseAuthenticatorData is ParseAuthenticatorData; without clone, the
// result keeps data as its Raw (and its credential ID and public key point
// into it), for a caller whose data is a copy of its own.
func parseAuthenticatorData(data []byte, clone bool) (*AuthenticatorData, error) {
	if len(data) < authDataMinLength {
		return nil, parseErr(authDataPart, "too short")
	}
	if clone {
		data = bytes.Clone(data)
	}
	ad := &AuthenticatorData{
		Flags:     AuthenticatorFlags(data[32]),
		SignCount: binary.BigEndian.Uint32(data[33:37]),
		Raw:       data,
	}
	copy(ad.RPIDHash[:], data[:32])
	rest := ad.Raw[authDataMinLength:]

	if ad.Flags.AttestedCredentialData() {
		acd, n, err := parseAttestedCredentialData(rest)
		if err != nil {
			return nil, err
		}
		ad.AttestedCredentialData = acd
		rest = rest[n:]
	}
	if ad.Flags.ExtensionData() {
		if len(rest) == 0 {
			return nil, parseErr(authDataPart, "extension data flag set but no extensions")
		}
		ext, err := parseAuthenticatorExtensions(rest)
		if err != nil {
			return nil, err
		}
		ad.Extensions = ext
		rest = nil
	}
	if len(rest) != 0 {
		if !ad.Flags.AttestedCredentialData() && !ad.Flags.ExtensionData() {
			return nil, parseErr(authDataPart, "data after the counter but neither AT nor ED flag set")
		}
		return nil, parseErr(authDataPart, "trailing bytes")
	}
	return ad, nil
}

// parseAttestedCredentialData parses the attested credential data at the
// start of data and returns how many bytes it took.
func parseAttestedCredentialData(data []byte) (*AttestedCredentialData, int, error) {
	const part = authDataPart + ": attested credential data"
	if len(data) == 0 {
		return nil, 0, parseErr(authDataPart, "attested credential data flag set but no attested credential data")
	}
	if len(data) < 16+2 {
		return nil, 0, parseErr(part, "truncated")
	}
	acd := &AttestedCredentialData{}
	copy(acd.AAGUID[:], data[:16])
	idLen := int(binary.BigEndian.Uint16(data[16:18]))
	if idLen > MaxCredentialIDLength {
		return nil, 0, parseErr(part, "credential id longer than 1023 bytes")
	}
	if idLen == 0 {
		return nil, 0, parseErr(part, "empty credential id")
	}
	if len(data) < 18+idLen {
		return nil, 0, parseErr(part, "truncated credential id")
	}
	acd.CredentialID = data[18 : 18+idLen]
	keyData := data[18+idLen:]
	if len(keyData) == 0 {
		return nil, 0, parseErr(part, "missing credential public key")
	}
	key, n, err := parseCOSEKeyFirst(keyData)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			return nil, 0, &ParseError{Part: part + ": credential public key", Reason: pe.Reason, Err: pe.Err}
		}
		return nil, 0, err
	}
	acd.CredentialPublicKey = keyData[:n]
	acd.PublicKey = key
	return acd, 18 + idLen + n, nil
}

// Marshal encodes the authenticator data. The AT and ED flags are set from
// whether AttestedCredentialData and Extensions are present, so the result
// is always consistent; the other flag bits are taken as they are. The
// credential public key is CredentialPublicKey if set, else PublicKey
// encoded; extensions are Extensions.Raw. Raw is neither read nor updated.
func (ad *AuthenticatorData) Marshal() ([]byte, error) {
	flags := ad.Flags &^ (FlagAttestedCredentialData | FlagExtensionData)
	out := make([]byte, authDataMinLength, 256)
	copy(out, ad.RPIDHash[:])
	binary.BigEndian.PutUint32(out[33:37], ad.SignCount)
	if acd := ad.AttestedCredentialData; acd != nil {
		flags |= FlagAttestedCredentialData
		if len(acd.CredentialID) == 0 || len(acd.CredentialID) > MaxCredentialIDLength {
			return nil, errors.New("authenticator data: credential id length must be 1 to 1023 bytes")
		}
		key := acd.CredentialPublicKey
		if len(key) == 0 {
			if acd.PublicKey == nil {
				return nil, errors.New("authenticator data: no credential public key")
			}
			var err error
			if key, err = acd.PublicKey.Marshal(); err != nil {
				return nil, err
			}
		}
		out = append(out, acd.AAGUID[:]...)
		out = binary.BigEndian.AppendUint16(out, uint16(len(acd.CredentialID)))
		out = append(out, acd.CredentialID...)
		out = append(out, key...)
	}
	if ad.Extensions != nil {
		if len(ad.Extensions.Raw) == 0 {
			return nil, errors.New("authenticator data: extensions have no encoding")
		}
		flags |= FlagExtensionData
		out = append(out, ad.Extensions.Raw...)
	}
	out[32] = byte(flags)
	return out, nil
}

// UnwrapAuthData returns the authenticator data inside a CBOR byte string,
// the form in which go-libfido2's Attestation.AuthData and
// Assertion.AuthDataCBOR (libfido2's fido_cred_authdata_ptr) carry it. The
// result is not parsed.
func UnwrapAuthData(wrapped []byte) ([]byte, error) {
	var ad []byte
	if err := decodeCBOR(wrapped, &ad); err != nil {
		return nil, cborErr("wrapped authenticator data", "", err)
	}
	if len(ad) < authDataMinLength {
		return nil, parseErr("wrapped authenticator data", "too short")
	}
	return ad, nil
}

// WrapAuthData is the reverse of UnwrapAuthData: authenticator data as a
// CBOR byte string.
func WrapAuthData(authData []byte) ([]byte, error) {
	return EncodeCBOR(authData)
}

// AuthenticatorExtensions are the authenticator extension outputs carried
// in the authenticator data: the raw CBOR map, every output by identifier,
// and the CTAP extensions KeyDesk shows decoded and type-checked. credProps
// is a client extension and never appears here; the WebAuthn client makes it.
//
// Specification: WebAuthn §9 WebAuthn Extensions, authenticator extension outputs (https://www.w3.org/TR/webauthn-3/#authenticator-extension-output)
type AuthenticatorExtensions struct {
	Raw     []byte
	Outputs map[string]RawCBOR

	// CredProtect is the credProtect policy (1, 2 or 3), 0 when absent.
	CredProtect uint8
	// HMACSecret is the makeCredential output of hmac-secret: whether the key
	// made the credential with a CredRandom. Nil when absent.
	HMACSecret *bool
	// HMACSecretOutput is the getAssertion output of hmac-secret, encrypted
	// under the shared secret.
	HMACSecretOutput []byte
	// MinPINLength is the minPinLength output, nil when absent.
	MinPINLength *uint64
	// CredBlob is the makeCredential output of credBlob (whether it was
	// stored); CredBlobData the getAssertion output.
	CredBlob     *bool
	CredBlobData []byte
}

// parseAuthenticatorExtensions parses the extensions map, which must be all
// of data.
//
// Specification: CTAP 2.1 §12 Defined Extensions (https://fidoalliance.org/specs/fido-v2.1-ps-20210615/fido-client-to-authenticator-protocol-v2.1-ps-20210615.html#sctn-defined-extensions)
func parseAuthenticatorExtensions(data []byte) (*AuthenticatorExtensions, error) {
	const part = authDataPart + ": extensions"
	var m map[string]RawCBOR
	if err := decodeCBOR(data, &m); err != nil {
		return nil, cborErr(part, "", err)
	}
	if m == nil {
		return nil, parseErr(part, "not a map")
	}
	ext := &AuthenticatorExtensions{Raw: data, Outputs: m}
	for id, raw := range m {
		var err error
		switch id {
		case "credProtect":
			var v uint64
			if err = decodeCBORValue(raw, &v); err == nil && (v < 1 || v > 3) {
				return nil, parseErr(part, "credProtect: policy out of range")
			}
			ext.CredProtect = uint8(v)
		case "hmac-secret":
			ext.HMACSecret, ext.HMACSecretOutput, err = boolOrBytes(raw)
		case "credBlob":
			ext.CredBlob, ext.CredBlobData, err = boolOrBytes(raw)
		case "minPinLength":
			var v uint64
			err = decodeCBORValue(raw, &v)
			ext.MinPINLength = &v
		default:
			continue
		}
		if err != nil {
			return nil, cborErr(part, id, err)
		}
	}
	return ext, nil
}

// boolOrBytes decodes an extension output that is a boolean at
// makeCredential and a byte string at getAssertion.
func boolOrBytes(raw RawCBOR) (*bool, []byte, error) {
	if len(raw) > 0 && (raw[0] == 0xf4 || raw[0] == 0xf5) {
		var b bool
		if err := decodeCBOR(raw, &b); err != nil {
			return nil, nil, err
		}
		return &b, nil, nil
	}
	var data []byte
	if err := decodeCBORValue(raw, &data); err != nil {
		return nil, nil, err
	}
	return nil, data, nil
}

// NewAuthenticatorExtensions encodes extension outputs (identifier → value,
// such as {"credProtect": 2, "hmac-secret": true}) in canonical form and
// parses them back, for building authenticator data.
func NewAuthenticatorExtensions(outputs map[string]any) (*AuthenticatorExtensions, error) {
	raw, err := EncodeCBOR(outputs)
	if err != nil {
		return nil, err
	}
	return parseAuthenticatorExtensions(raw)
}
