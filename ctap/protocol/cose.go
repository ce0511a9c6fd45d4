package protocol

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	_ "crypto/sha1" // RS1, which TPMs still use for attestation
	_ "crypto/sha256"
	_ "crypto/sha512"
	"errors"
	"math/big"
	"slices"
	"strconv"
)

// COSEAlgorithmIdentifier names a cryptographic algorithm by its IANA COSE
// Algorithms registry value.
//
// Specification: WebAuthn §5.8.5 Cryptographic Algorithm Identifier (https://www.w3.org/TR/webauthn-3/#sctn-alg-identifier)
type COSEAlgorithmIdentifier int64

// The algorithms KeyDesk knows. ECDH-ES+HKDF-256 is not a signature
// algorithm: CTAP's clientPIN key agreement keys carry it.
const (
	AlgES256         COSEAlgorithmIdentifier = -7
	AlgEdDSA         COSEAlgorithmIdentifier = -8
	AlgEd25519       COSEAlgorithmIdentifier = -19
	AlgECDHESHKDF256 COSEAlgorithmIdentifier = -25
	AlgES384         COSEAlgorithmIdentifier = -35
	AlgES512         COSEAlgorithmIdentifier = -36
	AlgPS256         COSEAlgorithmIdentifier = -37
	AlgPS384         COSEAlgorithmIdentifier = -38
	AlgPS512         COSEAlgorithmIdentifier = -39
	AlgRS256         COSEAlgorithmIdentifier = -257
	AlgRS384         COSEAlgorithmIdentifier = -258
	AlgRS512         COSEAlgorithmIdentifier = -259
	AlgRS1           COSEAlgorithmIdentifier = -65535
)

// COSEKeyType is a COSE key's kty.
//
// Specification: RFC 9053 §7 Key Object Parameters (https://www.rfc-editor.org/rfc/rfc9053#section-7)
type COSEKeyType int64

// Key types WebAuthn uses.
const (
	KeyTypeOKP COSEKeyType = 1
	KeyTypeEC2 COSEKeyType = 2
	KeyTypeRSA COSEKeyType = 3
)

// COSEEllipticCurve is the crv parameter of an EC2 or OKP key.
//
// Specification: RFC 9053 §7.1 Elliptic Curve Keys (https://www.rfc-editor.org/rfc/rfc9053#section-7.1)
type COSEEllipticCurve int64

// Curves KeyDesk can use.
const (
	CurveP256    COSEEllipticCurve = 1
	CurveP384    COSEEllipticCurve = 2
	CurveP521    COSEEllipticCurve = 3
	CurveEd25519 COSEEllipticCurve = 6
)

type coseAlgInfo struct {
	name string
	kty  COSEKeyType
	crv  COSEEllipticCurve // EC2 and OKP only
	hash crypto.Hash       // zero for EdDSA and for non-signature algorithms
	pss  bool
	sign bool
}

var coseAlgs = map[COSEAlgorithmIdentifier]coseAlgInfo{
	AlgES256:         {name: "ES256", kty: KeyTypeEC2, crv: CurveP256, hash: crypto.SHA256, sign: true},
	AlgES384:         {name: "ES384", kty: KeyTypeEC2, crv: CurveP384, hash: crypto.SHA384, sign: true},
	AlgES512:         {name: "ES512", kty: KeyTypeEC2, crv: CurveP521, hash: crypto.SHA512, sign: true},
	AlgEdDSA:         {name: "EdDSA", kty: KeyTypeOKP, crv: CurveEd25519, sign: true},
	AlgEd25519:       {name: "Ed25519", kty: KeyTypeOKP, crv: CurveEd25519, sign: true},
	AlgECDHESHKDF256: {name: "ECDH-ES+HKDF-256", kty: KeyTypeEC2, crv: CurveP256},
	AlgRS256:         {name: "RS256", kty: KeyTypeRSA, hash: crypto.SHA256, sign: true},
	AlgRS384:         {name: "RS384", kty: KeyTypeRSA, hash: crypto.SHA384, sign: true},
	AlgRS512:         {name: "RS512", kty: KeyTypeRSA, hash: crypto.SHA512, sign: true},
	AlgRS1:           {name: "RS1", kty: KeyTypeRSA, hash: crypto.SHA1, sign: true},
	AlgPS256:         {name: "PS256", kty: KeyTypeRSA, hash: crypto.SHA256, pss: true, sign: true},
	AlgPS384:         {name: "PS384", kty: KeyTypeRSA, hash: crypto.SHA384, pss: true, sign: true},
	AlgPS512:         {name: "PS512", kty: KeyTypeRSA, hash: crypto.SHA512, pss: true, sign: true},
}

// AlgName returns the registry name of alg ("ES256" for -7), or "COSE
// algorithm N" for an algorithm KeyDesk does not know.
func AlgName(alg COSEAlgorithmIdentifier) string {
	if info, ok := coseAlgs[alg]; ok {
		return info.name
	}
	return "COSE algorithm " + strconv.FormatInt(int64(alg), 10)
}

// String returns AlgName(a).
func (a COSEAlgorithmIdentifier) String() string { return AlgName(a) }

// COSEKey is a credential public key (or a CTAP key agreement key) in COSE_Key
// form. Keys of the types and algorithms KeyDesk knows are checked when parsed
// (lengths, curve, point on the curve, algorithm fitting the key); a key of an
// unknown type or algorithm is kept with its kty and alg so that the
// authenticator data around it still parses, and PublicKey reports it as
// unsupported.
//
// Specification: WebAuthn §6.5.1.1 Examples of credentialPublicKey Values Encoded in COSE_Key Format (https://www.w3.org/TR/webauthn-3/#sctn-encoded-credPubKey-examples)
type COSEKey struct {
	KeyType   COSEKeyType
	Algorithm COSEAlgorithmIdentifier
	Curve     COSEEllipticCurve // EC2 and OKP keys
	X, Y      []byte            // EC2: affine coordinates; OKP: X is the public key
	N, E      []byte            // RSA: modulus and public exponent, big-endian

	// Raw is the key's encoding as it was parsed or built.
	Raw []byte
}

// COSE_Key labels.
const (
	coseLabelKty = 1
	coseLabelKid = 2
	coseLabelAlg = 3
	coseLabelOps = 4
	coseLabelCrv = -1 // n for RSA
	coseLabelX   = -2 // e for RSA
	coseLabelY   = -3

	// cosePrivateKeyLbl is d of EC2 and OKP keys; RSA's private parameters
	// are every label below e.
	cosePrivateKeyLbl = -4
)

const coseKeyPart = "COSE key"

// ParseCOSEKey parses one COSE_Key and nothing after it.
//
// Specification: RFC 9052 §7 Key Objects (https://www.rfc-editor.org/rfc/rfc9052#section-7)
func ParseCOSEKey(data []byte) (*COSEKey, error) {
	k, n, err := parseCOSEKeyFirst(data)
	if err != nil {
		return nil, err
	}
	if n != len(data) {
		return nil, parseErr(coseKeyPart, "trailing bytes")
	}
	return k, nil
}

// parseCOSEKeyFirst parses the COSE_Key at the start of data and returns the
// number of bytes it took.
func parseCOSEKeyFirst(data []byte) (*COSEKey, int, error) {
	if k, n, ok := decodeCOSEKeyOnePass(data); ok && !testOnlyMembersOnly {
		return k, n, nil
	}
	return parseCOSEKeyMembers(data)
}

// parseCOSEKeyMembers is the parameter-by-parameter parse of the COSE_Key
// at the start of data, the one that names what is wrong with it.
func parseCOSEKeyMembers(data []byte) (*COSEKey, int, error) {
	// The parameters alias data; fill decodes each into the key's own
	// fields.
	var m map[int64]cborItem
	rest, err := decMode.UnmarshalFirst(data, &m)
	if err != nil {
		return nil, 0, cborErr(coseKeyPart, "", err)
	}
	n := len(data) - len(rest)
	if m == nil {
		return nil, 0, parseErr(coseKeyPart, "not a map")
	}
	k := &COSEKey{Raw: bytes.Clone(data[:n])}
	if err := k.fill(m); err != nil {
		return nil, 0, err
	}
	return k, n, nil
}

func (k *COSEKey) fill(m map[int64]cborItem) error {
	var kty, alg int64
	if err := coseInt(m, coseLabelKty, "kty", &kty, true); err != nil {
		return err
	}
	if err := coseInt(m, coseLabelAlg, "alg", &alg, true); err != nil {
		return err
	}
	k.KeyType, k.Algorithm = COSEKeyType(kty), COSEAlgorithmIdentifier(alg)

	info, known := coseAlgs[k.Algorithm]
	if known && info.kty != k.KeyType {
		return parseErr(coseKeyPart, "algorithm "+info.name+" does not fit key type "+strconv.FormatInt(kty, 10))
	}

	switch k.KeyType {
	case KeyTypeEC2:
		if err := k.readCurveAndX(m); err != nil {
			return err
		}
		if err := coseBytes(m, coseLabelY, "y", &k.Y); err != nil {
			return parseErr(coseKeyPart, "y: compressed or missing point coordinate")
		}
		if err := k.checkEC2(info, known); err != nil {
			return err
		}
	case KeyTypeOKP:
		if err := k.readCurveAndX(m); err != nil {
			return err
		}
		if err := k.checkOKP(); err != nil {
			return err
		}
	case KeyTypeRSA:
		if err := coseBytes(m, coseLabelCrv, "n", &k.N); err != nil {
			return err
		}
		if err := coseBytes(m, coseLabelX, "e", &k.E); err != nil {
			return err
		}
		if _, err := k.rsaKey(); err != nil {
			return err
		}
	default:
		// A key type KeyDesk does not know (ML-DSA's AKP, say): keep what
		// was parsed; PublicKey will say it is unsupported.
		return nil
	}
	for label := range m {
		if label == cosePrivateKeyLbl || (k.KeyType == KeyTypeRSA && label < coseLabelX) {
			return parseErr(coseKeyPart, "private key parameter present")
		}
		if !coseLabelAllowed(k.KeyType, label) {
			return parseErr(coseKeyPart, "unexpected parameter "+strconv.FormatInt(label, 10))
		}
	}
	return nil
}

// checkEC2 checks an EC2 key's curve, coordinates and point, and that its
// algorithm (info, when known) fits the curve.
func (k *COSEKey) checkEC2(info coseAlgInfo, known bool) error {
	crv := int64(k.Curve)
	curve := ecCurve(k.Curve)
	if curve == nil {
		return parseErr(coseKeyPart, "unsupported EC2 curve "+strconv.FormatInt(crv, 10))
	}
	if known && info.crv != k.Curve {
		return parseErr(coseKeyPart, "algorithm "+info.name+" does not fit curve "+strconv.FormatInt(crv, 10))
	}
	size := (curve.Params().BitSize + 7) / 8
	if len(k.X) != size || len(k.Y) != size {
		return parseErr(coseKeyPart, "wrong coordinate length for curve")
	}
	if _, err := k.ecdsaKey(); err != nil {
		return parseErr(coseKeyPart, "point is not on the curve")
	}
	return nil
}

// checkOKP checks an OKP key's curve and key length.
func (k *COSEKey) checkOKP() error {
	if k.Curve != CurveEd25519 {
		return parseErr(coseKeyPart, "unsupported OKP curve "+strconv.FormatInt(int64(k.Curve), 10))
	}
	if len(k.X) != ed25519.PublicKeySize {
		return parseErr(coseKeyPart, "wrong Ed25519 key length")
	}
	return nil
}

// coseKeyWire is an EC2 or OKP COSE_Key decoded in one pass; the integer
// parameters are pointers so that a missing or null one tells from 0.
type coseKeyWire struct {
	Kty *int64 `cbor:"1,keyasint"`
	Alg *int64 `cbor:"3,keyasint"`
	Crv *int64 `cbor:"-1,keyasint"`
	X   []byte `cbor:"-2,keyasint"`
	Y   []byte `cbor:"-3,keyasint"`
}

// decodeCOSEKeyOnePass decodes the COSE_Key at the start of data in one
// pass of the decoder. It reports ok only for a key that the
// parameter-by-parameter parse (parseCOSEKeyFirst's map and fill) accepts
// with the same result: an EC2 key of exactly kty, alg, crv, x and y, or an
// OKP key of exactly kty, alg, crv and x, that pass the same checks. RSA
// keys, keys with kid or key_ops, keys of other types, and anything
// invalid are left to that parse, which also names what is wrong.
func decodeCOSEKeyOnePass(data []byte) (*COSEKey, int, bool) {
	var w coseKeyWire
	rest, err := decMode.UnmarshalFirst(data, &w)
	if err != nil || w.Kty == nil || w.Alg == nil || w.Crv == nil {
		return nil, 0, false
	}
	n := len(data) - len(rest)
	k := &COSEKey{
		KeyType: COSEKeyType(*w.Kty), Algorithm: COSEAlgorithmIdentifier(*w.Alg), Curve: COSEEllipticCurve(*w.Crv),
		X: w.X, Y: w.Y,
	}
	info, known := coseAlgs[k.Algorithm]
	if known && info.kty != k.KeyType {
		return nil, 0, false
	}
	var members uint64
	switch k.KeyType {
	case KeyTypeEC2:
		if k.checkEC2(info, known) != nil {
			return nil, 0, false
		}
		members = 5
	case KeyTypeOKP:
		if w.Y != nil || k.checkOKP() != nil {
			return nil, 0, false
		}
		members = 4
	default:
		return nil, 0, false
	}
	// Every pair of the map went into a field (see decodeAttObjOnePass),
	// so there is no private or unexpected parameter.
	if pairs, isMap := cborMapLen(data); !isMap || pairs != members {
		return nil, 0, false
	}
	k.Raw = bytes.Clone(data[:n])
	return k, n, true
}

// coseLabelAllowed reports whether a key of type kty (EC2, OKP or RSA) may
// carry label: the common parameters and the key type's public ones.
func coseLabelAllowed(kty COSEKeyType, label int64) bool {
	switch label {
	case coseLabelKty, coseLabelKid, coseLabelAlg, coseLabelOps, coseLabelCrv, coseLabelX:
		return true
	case coseLabelY:
		return kty == KeyTypeEC2
	}
	return false
}

// readCurveAndX reads the crv and x members that EC2 and OKP keys share.
func (k *COSEKey) readCurveAndX(m map[int64]cborItem) error {
	var crv int64
	if err := coseInt(m, coseLabelCrv, "crv", &crv, true); err != nil {
		return err
	}
	k.Curve = COSEEllipticCurve(crv)
	return coseBytes(m, coseLabelX, "x", &k.X)
}

func coseInt(m map[int64]cborItem, label int64, name string, v *int64, required bool) error {
	raw, ok := m[label]
	if !ok {
		if required {
			return parseErr(coseKeyPart, "missing "+name)
		}
		return nil
	}
	if err := decodeMember(raw, v); err != nil {
		return cborErr(coseKeyPart, name, err)
	}
	return nil
}

func coseBytes(m map[int64]cborItem, label int64, name string, v *[]byte) error {
	raw, ok := m[label]
	if !ok {
		return parseErr(coseKeyPart, "missing "+name)
	}
	if err := decodeMember(raw, v); err != nil {
		return cborErr(coseKeyPart, name, err)
	}
	if *v == nil {
		*v = []byte{}
	}
	return nil
}

func ecCurve(c COSEEllipticCurve) elliptic.Curve {
	switch c {
	case CurveP256:
		return elliptic.P256()
	case CurveP384:
		return elliptic.P384()
	case CurveP521:
		return elliptic.P521()
	}
	return nil
}

func (k *COSEKey) ecdsaKey() (*ecdsa.PublicKey, error) {
	curve := ecCurve(k.Curve)
	if curve == nil {
		return nil, parseErr(coseKeyPart, "unsupported EC2 curve")
	}
	point := make([]byte, 0, 1+len(k.X)+len(k.Y))
	point = append(append(append(point, 4), k.X...), k.Y...)
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, point)
	if err != nil {
		return nil, &ParseError{Part: coseKeyPart, Reason: "point is not on the curve", Err: err}
	}
	return pub, nil
}

// RSA modulus sizes KeyDesk accepts, in bits.
const (
	rsaMinBits = 1024
	rsaMaxBits = 8192
)

func (k *COSEKey) rsaKey() (*rsa.PublicKey, error) {
	n := new(big.Int).SetBytes(k.N)
	if bits := n.BitLen(); bits < rsaMinBits || bits > rsaMaxBits {
		return nil, parseErr(coseKeyPart, "rsa modulus size out of range")
	}
	if n.Bit(0) == 0 {
		return nil, parseErr(coseKeyPart, "rsa modulus is even")
	}
	if len(k.E) == 0 || len(k.E) > 4 {
		return nil, parseErr(coseKeyPart, "rsa exponent size out of range")
	}
	var e int64
	for _, b := range k.E {
		e = e<<8 | int64(b)
	}
	if e < 3 || e&1 == 0 || e > 1<<31-1 {
		return nil, parseErr(coseKeyPart, "invalid rsa exponent")
	}
	return &rsa.PublicKey{N: n, E: int(e)}, nil
}

// PublicKey returns the key as a Go crypto key: *ecdsa.PublicKey,
// ed25519.PublicKey or *rsa.PublicKey.
func (k *COSEKey) PublicKey() (crypto.PublicKey, error) {
	switch k.KeyType {
	case KeyTypeEC2:
		return k.ecdsaKey()
	case KeyTypeOKP:
		if k.Curve != CurveEd25519 || len(k.X) != ed25519.PublicKeySize {
			return nil, parseErr(coseKeyPart, "unsupported OKP key")
		}
		return ed25519.PublicKey(bytes.Clone(k.X)), nil
	case KeyTypeRSA:
		return k.rsaKey()
	}
	return nil, parseErr(coseKeyPart, "unsupported key type "+strconv.FormatInt(int64(k.KeyType), 10))
}

// Marshal encodes the key's parameters as a COSE_Key in CTAP2 canonical
// form (kty, alg, then the key-type parameters). It ignores Raw.
func (k *COSEKey) Marshal() ([]byte, error) {
	m := map[int64]any{coseLabelKty: int64(k.KeyType), coseLabelAlg: int64(k.Algorithm)}
	switch k.KeyType {
	case KeyTypeEC2:
		m[coseLabelCrv], m[coseLabelX], m[coseLabelY] = int64(k.Curve), k.X, k.Y
	case KeyTypeOKP:
		m[coseLabelCrv], m[coseLabelX] = int64(k.Curve), k.X
	case KeyTypeRSA:
		m[coseLabelCrv], m[coseLabelX] = k.N, k.E
	default:
		return nil, errors.New("cose key: cannot marshal key type " + strconv.FormatInt(int64(k.KeyType), 10))
	}
	return EncodeCBOR(m)
}

// NewCOSEKey converts a Go public key (*ecdsa.PublicKey on P-256, P-384 or
// P-521, ed25519.PublicKey, *rsa.PublicKey) to a COSEKey for alg, with Raw
// set to its canonical encoding.
func NewCOSEKey(pub crypto.PublicKey, alg COSEAlgorithmIdentifier) (*COSEKey, error) {
	info, ok := coseAlgs[alg]
	if !ok {
		return nil, errors.New("cose key: unsupported algorithm " + AlgName(alg))
	}
	k := &COSEKey{KeyType: info.kty, Algorithm: alg, Curve: info.crv}
	mismatch := errors.New("cose key: " + AlgName(alg) + " does not fit the public key")
	switch p := pub.(type) {
	case *ecdsa.PublicKey:
		if info.kty != KeyTypeEC2 || ecCurve(info.crv) != p.Curve {
			return nil, mismatch
		}
		point, err := p.Bytes()
		if err != nil {
			return nil, errors.New("cose key: invalid ecdsa public key")
		}
		size := (len(point) - 1) / 2
		k.X, k.Y = point[1:1+size], point[1+size:]
	case ed25519.PublicKey:
		if info.kty != KeyTypeOKP || len(p) != ed25519.PublicKeySize {
			return nil, mismatch
		}
		k.X = bytes.Clone(p)
	case *rsa.PublicKey:
		if info.kty != KeyTypeRSA {
			return nil, mismatch
		}
		k.N, k.E = p.N.Bytes(), big.NewInt(int64(p.E)).Bytes()
	default:
		return nil, errors.New("cose key: unsupported public key type")
	}
	raw, err := k.Marshal()
	if err != nil {
		return nil, err
	}
	k.Raw = raw
	return k, nil
}

// MarshalCOSEKey encodes a Go public key as a COSE_Key for alg.
func MarshalCOSEKey(pub crypto.PublicKey, alg COSEAlgorithmIdentifier) ([]byte, error) {
	k, err := NewCOSEKey(pub, alg)
	if err != nil {
		return nil, err
	}
	return k.Raw, nil
}

// ErrSignatureMismatch is wrapped by the errors VerifySignature and
// attestation verification return when a well-formed signature does not
// verify.
var ErrSignatureMismatch = errors.New("signature does not verify")

// VerificationError reports a signature or attestation that did not verify:
// Part names what was being verified, Reason why it failed.
type VerificationError struct {
	Part   string
	Reason string
	Err    error
}

func (e *VerificationError) Error() string { return e.Part + ": " + e.Reason }

func (e *VerificationError) Unwrap() error { return e.Err }

// VerifySignature checks sig over data with pub under the COSE algorithm
// alg: ECDSA signatures are ASN.1 DER, EdDSA pure Ed25519, RSA PKCS #1 v1.5
// or PSS. The key must be of the algorithm's type (and curve).
//
// Specification: WebAuthn §6.5.6 Signature Formats for Packed Attestation, FIDO U2F Attestation, and Assertion Signatures (https://www.w3.org/TR/webauthn-3/#sctn-signature-attestation-types)
func VerifySignature(alg COSEAlgorithmIdentifier, pub crypto.PublicKey, data, sig []byte) error {
	return verifySignature(alg, pub, data, nil, sig)
}

// verifySignature is VerifySignature over data1 followed by data2, the way
// attestation signatures cover authenticator data and clientDataHash: the
// hashing algorithms hash the two in turn, and only EdDSA, which takes the
// message itself, gets them joined.
func verifySignature(alg COSEAlgorithmIdentifier, pub crypto.PublicKey, data1, data2, sig []byte) error {
	const part = "signature"
	info, ok := coseAlgs[alg]
	if !ok || !info.sign {
		return &VerificationError{Part: part, Reason: "unsupported algorithm " + AlgName(alg)}
	}
	mismatch := func() error {
		return &VerificationError{Part: part, Reason: "key does not fit algorithm " + info.name}
	}
	var digest []byte
	if info.hash != 0 {
		h := info.hash.New()
		h.Write(data1)
		h.Write(data2)
		digest = h.Sum(make([]byte, 0, 64))
	}
	bad := func() error {
		return &VerificationError{Part: part, Reason: info.name + " signature does not verify", Err: ErrSignatureMismatch}
	}
	switch p := pub.(type) {
	case *ecdsa.PublicKey:
		if info.kty != KeyTypeEC2 || p.Curve != ecCurve(info.crv) {
			return mismatch()
		}
		if !ecdsa.VerifyASN1(p, digest, sig) {
			return bad()
		}
	case ed25519.PublicKey:
		if info.kty != KeyTypeOKP || len(p) != ed25519.PublicKeySize {
			return mismatch()
		}
		msg := data1
		if len(data2) != 0 {
			msg = slices.Concat(data1, data2)
		}
		if !ed25519.Verify(p, msg, sig) {
			return bad()
		}
	case *rsa.PublicKey:
		if info.kty != KeyTypeRSA {
			return mismatch()
		}
		var err error
		if info.pss {
			err = rsa.VerifyPSS(p, info.hash, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		} else {
			err = rsa.VerifyPKCS1v15(p, info.hash, digest, sig)
		}
		if err != nil {
			return bad()
		}
	default:
		return mismatch()
	}
	return nil
}
