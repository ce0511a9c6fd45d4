package virtualkey

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"

	"github.com/fxamacker/cbor/v2"

	"github.com/keydesk/keydesk/ctap/protocol"
)

// pinProtocol is one PIN/UV auth protocol (CTAP 2.1 §6.5.6, §6.5.7): how a
// shared secret comes from the ECDH result, how PINs and tokens are
// encrypted, and how messages are authenticated.
type pinProtocol interface {
	version() int
	kdf(z []byte) []byte
	encrypt(key, pt []byte) ([]byte, error)
	decrypt(key, ct []byte) ([]byte, error)
	authenticate(key, msg []byte) []byte
}

var errCiphertext = errors.New("ciphertext is not a whole number of blocks")

// pinProtocolOne: SHA-256(Z.x) is both the AES-256-CBC key (zero IV) and the
// HMAC-SHA-256 key; authenticate keeps the left 16 bytes.
type pinProtocolOne struct{}

func (pinProtocolOne) version() int { return 1 }

func (pinProtocolOne) kdf(z []byte) []byte {
	s := sha256.Sum256(z)
	return s[:]
}

func (pinProtocolOne) encrypt(key, pt []byte) ([]byte, error) {
	if len(pt)%aes.BlockSize != 0 {
		return nil, errCiphertext
	}
	b, err := aes.NewCipher(key[:32])
	if err != nil {
		return nil, err
	}
	ct := make([]byte, len(pt))
	cipher.NewCBCEncrypter(b, make([]byte, aes.BlockSize)).CryptBlocks(ct, pt)
	return ct, nil
}

func (pinProtocolOne) decrypt(key, ct []byte) ([]byte, error) {
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, errCiphertext
	}
	b, err := aes.NewCipher(key[:32])
	if err != nil {
		return nil, err
	}
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(b, make([]byte, aes.BlockSize)).CryptBlocks(pt, ct)
	return pt, nil
}

func (pinProtocolOne) authenticate(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)[:16]
}

// pinProtocolTwo: HKDF-SHA-256 (salt 32 zero bytes) derives a 32-byte HMAC
// key ("CTAP2 HMAC key") and a 32-byte AES key ("CTAP2 AES key"); AES-256-CBC
// with a random IV prefixed to the ciphertext; the full 32-byte HMAC.
type pinProtocolTwo struct{}

func (pinProtocolTwo) version() int { return 2 }

func (pinProtocolTwo) kdf(z []byte) []byte {
	salt := make([]byte, 32)
	h, err := hkdf.Key(sha256.New, z, salt, "CTAP2 HMAC key", 32)
	if err != nil {
		panic(err)
	}
	a, err := hkdf.Key(sha256.New, z, salt, "CTAP2 AES key", 32)
	if err != nil {
		panic(err)
	}
	return append(h, a...)
}

func (pinProtocolTwo) encrypt(key, pt []byte) ([]byte, error) {
	if len(key) != 64 || len(pt)%aes.BlockSize != 0 {
		return nil, errCiphertext
	}
	b, err := aes.NewCipher(key[32:])
	if err != nil {
		return nil, err
	}
	out := make([]byte, aes.BlockSize+len(pt))
	if _, err := rand.Read(out[:aes.BlockSize]); err != nil {
		return nil, err
	}
	cipher.NewCBCEncrypter(b, out[:aes.BlockSize]).CryptBlocks(out[aes.BlockSize:], pt)
	return out, nil
}

func (pinProtocolTwo) decrypt(key, ct []byte) ([]byte, error) {
	if len(key) != 64 || len(ct) < 2*aes.BlockSize || len(ct)%aes.BlockSize != 0 {
		return nil, errCiphertext
	}
	b, err := aes.NewCipher(key[32:])
	if err != nil {
		return nil, err
	}
	pt := make([]byte, len(ct)-aes.BlockSize)
	cipher.NewCBCDecrypter(b, ct[:aes.BlockSize]).CryptBlocks(pt, ct[aes.BlockSize:])
	return pt, nil
}

func (pinProtocolTwo) authenticate(key, msg []byte) []byte {
	if len(key) > 32 {
		key = key[:32]
	}
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// verify checks sig = authenticate(key, msg) in constant time.
func verify(p pinProtocol, key, msg, sig []byte) bool {
	want := p.authenticate(key, msg)
	return len(sig) == len(want) && subtle.ConstantTimeCompare(want, sig) == 1
}

// protocol returns the PIN/UV auth protocol numbered n, or nil when the key
// does not offer it.
func (k *Key) protocol(n uint64) pinProtocol {
	for _, p := range k.opts.PINProtocols {
		if uint64(p) == n {
			if n == 1 {
				return pinProtocolOne{}
			}
			return pinProtocolTwo{}
		}
	}
	return nil
}

// platformKey is the platform's keyAgreement (CTAP 2.1 §6.5.6), a COSE_Key
// read with protocol.ParseCOSEKey, KeyDesk's one COSE parser. Key is nil
// when the key is malformed (INVALID_PARAMETER where it is used); present
// tells that from an absent or null one.
type platformKey struct {
	present bool
	key     *protocol.COSEKey
}

// UnmarshalCBOR parses the key. A value of the wrong CBOR type (not a map,
// a member of the wrong type) stays a type error, CBOR_UNEXPECTED_TYPE, as
// for every other parameter.
func (k *platformKey) UnmarshalCBOR(b []byte) error {
	*k = platformKey{}
	if len(b) == 1 && b[0] == 0xf6 { // null: absent
		return nil
	}
	key, err := protocol.ParseCOSEKey(b)
	var te *cbor.UnmarshalTypeError
	if errors.As(err, &te) {
		return te
	}
	k.present = true
	if err == nil {
		k.key = key
	}
	return nil
}

// sharedSecret runs ECDH between the key agreement key and the platform's
// COSE key; nil means the platform key is malformed or not on P-256.
func (k *Key) sharedSecret(p pinProtocol, platform platformKey) []byte {
	pk := platform.key
	if pk == nil || pk.KeyType != protocol.KeyTypeEC2 || pk.Curve != protocol.CurveP256 {
		return nil
	}
	// ParseCOSEKey checked the coordinates' length and the point.
	pub, err := ecdh.P256().NewPublicKey(append(append([]byte{4}, pk.X...), pk.Y...))
	if err != nil {
		return nil
	}
	z, err := k.kaKey.ECDH(pub)
	if err != nil {
		return nil
	}
	return p.kdf(z)
}

// keyAgreementCOSE is the key agreement public key as getKeyAgreement
// returns it.
func (k *Key) keyAgreementCOSE() coseKey {
	b := k.kaKey.PublicKey().Bytes()
	return coseKey{Kty: 2, Alg: algECDH, Crv: 1, X: b[1:33], Y: b[33:65]}
}
