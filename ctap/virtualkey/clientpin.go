package virtualkey

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"time"
	"unicode/utf8"
)

// clientPIN subcommands (CTAP 2.1 §6.5.5).
const (
	pinGetRetries       = 0x01
	pinGetKeyAgreement  = 0x02
	pinSetPIN           = 0x03
	pinChangePIN        = 0x04
	pinGetPinToken      = 0x05
	pinGetTokenUsingUV  = 0x06
	pinGetUVRetries     = 0x07
	pinGetTokenUsingPIN = 0x09
)

// pinUvAuthToken permissions (CTAP 2.1 §6.5.5.7).
const (
	permMakeCredential byte = 0x01
	permGetAssertion   byte = 0x02
	permCredMgmt       byte = 0x04
	permsSupported          = permMakeCredential | permGetAssertion | permCredMgmt
)

// tokenLifetime bounds how long a pinUvAuthToken stays usable.
const tokenLifetime = 10 * time.Minute

// pinToken is the current pinUvAuthToken and its state (CTAP 2.1 §6.5.2.1).
type pinToken struct {
	value    []byte // nil: no token in use
	protocol int
	perms    byte
	rpID     string // "" until bound
	issued   time.Time
}

// clientPIN is authenticatorClientPIN (0x06).
func (k *Key) clientPIN(p params) []byte {
	var sub uint64
	if st := mustField(p, 0x02, &sub); st != statusOK {
		return fail(st)
	}
	var pn uint64
	hasProto, st := field(p, 0x01, &pn)
	if st != statusOK {
		return fail(st)
	}
	var proto pinProtocol
	if hasProto {
		if proto = k.protocol(pn); proto == nil {
			return fail(errInvalidParameter)
		}
	} else if sub != pinGetRetries && sub != pinGetUVRetries {
		return fail(errMissingParameter)
	}
	switch sub {
	case pinGetRetries:
		return reply(map[int]any{0x03: k.st.Retries, 0x04: k.failures >= pinAttemptsPerBoot})
	case pinGetKeyAgreement:
		return reply(map[int]any{0x01: k.keyAgreementCOSE()})
	case pinSetPIN:
		return k.setPIN(proto, p)
	case pinChangePIN:
		return k.changePIN(proto, p)
	case pinGetTokenUsingPIN:
		if !k.opts.Profile.pinUvAuthToken() {
			return fail(errInvalidSubcommand) // new in CTAP 2.1
		}
		return k.getPinToken(proto, p, true)
	case pinGetPinToken:
		return k.getPinToken(proto, p, false)
	case pinGetTokenUsingUV, pinGetUVRetries:
		return fail(errInvalidSubcommand) // no built-in user verification
	default:
		return fail(errInvalidSubcommand)
	}
}

// platformSecret reads the platform's keyAgreement (0x03) and derives the
// shared secret.
func (k *Key) platformSecret(proto pinProtocol, p params) ([]byte, byte) {
	var ka platformKey
	if st := mustField(p, 0x03, &ka); st != statusOK {
		return nil, st
	}
	s := k.sharedSecret(proto, ka)
	if s == nil {
		return nil, errInvalidParameter
	}
	return s, statusOK
}

func (k *Key) setPIN(proto pinProtocol, p params) []byte {
	var auth, newPinEnc []byte
	for _, f := range []struct {
		key uint64
		dst *[]byte
	}{{0x04, &auth}, {0x05, &newPinEnc}} {
		if st := mustField(p, f.key, f.dst); st != statusOK {
			return fail(st)
		}
	}
	if _, st := k.platformSecret(proto, p); st == errMissingParameter || st == errCBORUnexpectedType {
		return fail(st)
	}
	if k.st.PINHash != nil {
		return fail(errNotAllowed)
	}
	shared, st := k.platformSecret(proto, p)
	if st != statusOK {
		return fail(st)
	}
	if !verify(proto, shared, newPinEnc, auth) {
		return fail(errPINAuthInvalid)
	}
	pin, st := decryptNewPIN(proto, shared, newPinEnc)
	if st != statusOK {
		return fail(st)
	}
	h := sha256.Sum256(pin)
	clear(pin[:cap(pin)]) // the decrypted PIN and its padding: a key keeps only the hash
	k.st.PINHash = h[:16]
	k.st.Retries = pinRetriesMax
	if err := k.save(); err != nil {
		return fail(errOther)
	}
	return fail(statusOK)
}

func (k *Key) changePIN(proto pinProtocol, p params) []byte {
	var auth, newPinEnc, pinHashEnc []byte
	for _, f := range []struct {
		key uint64
		dst *[]byte
	}{{0x04, &auth}, {0x05, &newPinEnc}, {0x06, &pinHashEnc}} {
		if st := mustField(p, f.key, f.dst); st != statusOK {
			return fail(st)
		}
	}
	if _, st := k.platformSecret(proto, p); st == errMissingParameter || st == errCBORUnexpectedType {
		return fail(st)
	}
	if k.st.PINHash == nil {
		return fail(errPINNotSet)
	}
	if st := k.pinUsable(); st != statusOK {
		return fail(st)
	}
	shared, st := k.platformSecret(proto, p)
	if st != statusOK {
		return fail(st)
	}
	if !verify(proto, shared, append(append([]byte{}, newPinEnc...), pinHashEnc...), auth) {
		return fail(errPINAuthInvalid)
	}
	if st := k.checkPINHash(proto, shared, pinHashEnc); st != statusOK {
		return fail(st)
	}
	pin, st := decryptNewPIN(proto, shared, newPinEnc)
	if st != statusOK {
		return fail(st)
	}
	h := sha256.Sum256(pin)
	clear(pin[:cap(pin)]) // the decrypted PIN and its padding: a key keeps only the hash
	k.st.PINHash = h[:16]
	k.token = pinToken{}
	if err := k.save(); err != nil {
		return fail(errOther)
	}
	return fail(statusOK)
}

func (k *Key) getPinToken(proto pinProtocol, p params, withPerms bool) []byte {
	var pinHashEnc []byte
	if st := mustField(p, 0x06, &pinHashEnc); st != statusOK {
		return fail(st)
	}
	if _, st := k.platformSecret(proto, p); st == errMissingParameter || st == errCBORUnexpectedType {
		return fail(st)
	}
	var perms uint64
	var rpID string
	hasPerms, st := field(p, 0x09, &perms)
	if st != statusOK {
		return fail(st)
	}
	hasRP, st := field(p, 0x0A, &rpID)
	if st != statusOK {
		return fail(st)
	}
	if withPerms {
		if !hasPerms {
			return fail(errMissingParameter)
		}
		if perms == 0 {
			return fail(errInvalidParameter)
		}
		if perms&^uint64(permsSupported) != 0 {
			return fail(errUnauthorizedPermission)
		}
	} else {
		if hasPerms || hasRP {
			return fail(errInvalidParameter)
		}
		perms = uint64(permMakeCredential | permGetAssertion)
		if k.opts.Profile == ProfileCTAP21Pre {
			// The draft has no permissions: its pinToken also manages
			// credentials (the preview command 0x41).
			perms |= uint64(permCredMgmt)
		}
	}
	if k.st.PINHash == nil {
		return fail(errPINNotSet)
	}
	if st := k.pinUsable(); st != statusOK {
		return fail(st)
	}
	shared, st := k.platformSecret(proto, p)
	if st != statusOK {
		return fail(st)
	}
	if st := k.checkPINHash(proto, shared, pinHashEnc); st != statusOK {
		return fail(st)
	}
	tok := make([]byte, 32)
	if _, err := rand.Read(tok); err != nil {
		return fail(errOther)
	}
	k.token = pinToken{value: tok, protocol: proto.version(), perms: byte(perms), rpID: rpID, issued: k.opts.Now()}
	enc, err := proto.encrypt(shared, tok)
	if err != nil {
		return fail(errOther)
	}
	return reply(map[int]any{0x02: enc})
}

// pinUsable reports whether a PIN may be tried now.
func (k *Key) pinUsable() byte {
	if k.st.Retries <= 0 {
		return errPINBlocked
	}
	if k.failures >= pinAttemptsPerBoot {
		return errPINAuthBlocked
	}
	return statusOK
}

// checkPINHash is the PIN check of CTAP 2.1 §6.5.5.5 step 6: the retry
// counter goes down before the comparison and back to 8 on success; a
// mismatch regenerates the key agreement key, and three in a row block PIN
// use until the key is replugged.
func (k *Key) checkPINHash(proto pinProtocol, shared, pinHashEnc []byte) byte {
	k.st.Retries--
	if err := k.save(); err != nil {
		return errOther
	}
	pt, err := proto.decrypt(shared, pinHashEnc)
	if err != nil || len(pt) != 16 || subtle.ConstantTimeCompare(pt, k.st.PINHash) != 1 {
		if err := k.newKeyAgreement(); err != nil {
			return errOther
		}
		k.failures++
		switch {
		case k.st.Retries <= 0:
			return errPINBlocked
		case k.failures >= pinAttemptsPerBoot:
			return errPINAuthBlocked
		default:
			return errPINInvalid
		}
	}
	k.st.Retries = pinRetriesMax
	k.failures = 0
	if err := k.save(); err != nil {
		return errOther
	}
	return statusOK
}

// newKeyAgreement replaces the key agreement key, so a platform must fetch
// the new one before its next PIN attempt.
func (k *Key) newKeyAgreement() error {
	ka, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	k.kaKey = ka
	return nil
}

// decryptNewPIN recovers a new PIN from newPinEnc and checks the policy:
// 64 bytes padded with zeros, at most 63 bytes of UTF-8, at least
// MinPINLength code points.
func decryptNewPIN(proto pinProtocol, shared, newPinEnc []byte) ([]byte, byte) {
	want := 64
	if proto.version() == 2 {
		want += 16
	}
	if len(newPinEnc) != want {
		return nil, errInvalidParameter
	}
	padded, err := proto.decrypt(shared, newPinEnc)
	if err != nil || len(padded) != 64 {
		clear(padded)
		return nil, errInvalidParameter
	}
	pin := bytes.TrimRight(padded, "\x00")
	if len(pin) > maxPINBytes || !utf8.Valid(pin) || utf8.RuneCount(pin) < MinPINLength {
		clear(padded)
		return nil, errPINPolicyViolation
	}
	return pin, statusOK
}

// checkPinUvAuth verifies a command's pinUvAuthParam over msg with the
// current token, requiring permission perm and, when rpID is not empty, the
// token's RP binding (binding it on first use, CTAP 2.1 §6.1.2 step 6).
func (k *Key) checkPinUvAuth(proto pinProtocol, param, msg []byte, perm byte, rpID string) byte {
	t := &k.token
	if t.value == nil || t.protocol != proto.version() || k.opts.Now().Sub(t.issued) > tokenLifetime {
		return errPINAuthInvalid
	}
	if !verify(proto, t.value, msg, param) {
		return errPINAuthInvalid
	}
	if t.perms&perm == 0 {
		return errPINAuthInvalid
	}
	if rpID != "" {
		if t.rpID != "" && t.rpID != rpID {
			return errPINAuthInvalid
		}
		t.rpID = rpID
	}
	return statusOK
}

// pinUvAuthParams reads a command's pinUvAuthParam and pinUvAuthProtocol.
// present is false when the platform sent no pinUvAuthParam.
func (k *Key) pinUvAuthParams(p params, paramKey, protoKey uint64) (param []byte, proto pinProtocol, present bool, status byte) {
	has, st := field(p, paramKey, &param)
	if st != statusOK || !has {
		return nil, nil, false, st
	}
	var n uint64
	if st := mustField(p, protoKey, &n); st != statusOK {
		return nil, nil, true, st
	}
	if proto = k.protocol(n); proto == nil {
		return nil, nil, true, errInvalidParameter
	}
	return param, proto, true, statusOK
}
