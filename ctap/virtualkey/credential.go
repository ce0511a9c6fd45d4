package virtualkey

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
)

// COSE algorithm identifiers (RFC 9053).
const (
	algES256 = -7
	algEdDSA = -8
	algECDH  = -25 // ECDH-ES+HKDF-256, the key agreement key's alg
)

// credKey is a credential's secret part, carried inside its credential ID.
type credKey struct {
	alg         int
	credProtect byte // 1..3
	hmacSecret  bool
	resident    bool
	ec          *ecdsa.PrivateKey
	ed          ed25519.PrivateKey
	credRandom  []byte // 32 bytes, hmac-secret
}

// Credential ID layout: version 0x01 | 12-byte nonce | AES-256-GCM of
// (alg | credProtect | flags | 32-byte private key | 32-byte CredRandom),
// with the RP ID hash as additional data, so an ID only opens for its RP.
const (
	credIDVersion = 0x01
	credPlainLen  = 3 + 32 + 32
	credIDLen     = 1 + 12 + credPlainLen + 16
)

func newCredKey(alg int, credProtect byte, hmacSecret, resident bool) (*credKey, error) {
	c := &credKey{alg: alg, credProtect: credProtect, hmacSecret: hmacSecret, resident: resident, credRandom: make([]byte, 32)}
	if _, err := rand.Read(c.credRandom); err != nil {
		return nil, err
	}
	var err error
	switch alg {
	case algES256:
		c.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case algEdDSA:
		_, c.ed, err = ed25519.GenerateKey(rand.Reader)
	default:
		err = errors.New("unsupported algorithm")
	}
	return c, err
}

func (k *Key) wrapAEAD() cipher.AEAD {
	b, err := aes.NewCipher(k.st.WrapKey)
	if err != nil {
		panic(err) // the key is 32 bytes by construction
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		panic(err)
	}
	return g
}

// wrap returns the credential ID of c for the RP with the given ID hash.
func (k *Key) wrap(c *credKey, rpIDHash []byte) ([]byte, error) {
	pt := make([]byte, 0, credPlainLen)
	var a byte = 1
	if c.alg == algEdDSA {
		a = 2
	}
	var flags byte
	if c.hmacSecret {
		flags |= 1
	}
	if c.resident {
		flags |= 2
	}
	pt = append(pt, a, c.credProtect, flags)
	if c.ec != nil {
		b, err := c.ec.Bytes()
		if err != nil {
			return nil, err
		}
		pt = append(pt, b...)
	} else {
		pt = append(pt, c.ed.Seed()...)
	}
	pt = append(pt, c.credRandom...)
	id := make([]byte, 13, credIDLen)
	id[0] = credIDVersion
	if _, err := rand.Read(id[1:13]); err != nil {
		return nil, err
	}
	return k.wrapAEAD().Seal(id, id[1:13], pt, rpIDHash), nil
}

// unwrap opens a credential ID; nil means "not ours, or not for this RP".
func (k *Key) unwrap(id, rpIDHash []byte) *credKey {
	if len(id) != credIDLen || id[0] != credIDVersion {
		return nil
	}
	pt, err := k.wrapAEAD().Open(nil, id[1:13], id[13:], rpIDHash)
	if err != nil || len(pt) != credPlainLen {
		return nil
	}
	c := &credKey{credProtect: pt[1], hmacSecret: pt[2]&1 != 0, resident: pt[2]&2 != 0, credRandom: pt[35:67]}
	switch pt[0] {
	case 1:
		c.alg = algES256
		if c.ec, err = ecdsa.ParseRawPrivateKey(elliptic.P256(), pt[3:35]); err != nil {
			return nil
		}
	case 2:
		c.alg = algEdDSA
		c.ed = ed25519.NewKeyFromSeed(pt[3:35])
	default:
		return nil
	}
	return c
}

// sign signs msg as WebAuthn expects for the credential's algorithm: ECDSA
// over SHA-256 in ASN.1 DER, or pure Ed25519.
func (c *credKey) sign(msg []byte) ([]byte, error) {
	if c.ed != nil {
		return ed25519.Sign(c.ed, msg), nil
	}
	d := sha256.Sum256(msg)
	return c.ec.Sign(rand.Reader, d[:], crypto.SHA256)
}

// coseKey is a COSE_Key as CTAP encodes it (integer labels).
type coseKey struct {
	Kty int    `cbor:"1,keyasint"`
	Alg int    `cbor:"3,keyasint"`
	Crv int    `cbor:"-1,keyasint"`
	X   []byte `cbor:"-2,keyasint"`
	Y   []byte `cbor:"-3,keyasint,omitempty"`
}

// publicKey is the credential public key in COSE form.
func (c *credKey) publicKey() coseKey {
	if c.ed != nil {
		return coseKey{Kty: 1, Alg: algEdDSA, Crv: 6, X: []byte(c.ed.Public().(ed25519.PublicKey))}
	}
	b, _ := c.ec.PublicKey.Bytes() // 0x04 | X | Y
	return coseKey{Kty: 2, Alg: algES256, Crv: 1, X: b[1:33], Y: b[33:65]}
}

// hmacSecretKey is CredRandomWithUV or CredRandomWithoutUV (CTAP 2.1
// §12.5): two secrets per credential, so a salt answered without UV says
// nothing about the answer with UV.
func (c *credKey) hmacSecretKey(uv bool) []byte {
	m := hmac.New(sha256.New, c.credRandom)
	if uv {
		m.Write([]byte("with uv"))
	} else {
		m.Write([]byte("without uv"))
	}
	return m.Sum(nil)
}
