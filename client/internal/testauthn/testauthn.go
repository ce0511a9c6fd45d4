// Package testauthn is a TEST HELPER: a small software WebAuthn client and
// authenticator in pure Go, so the emulator and the Cloud client can be
// tested end to end with credentials go-webauthn verifies. It is not the
// virtual key (ctap/virtualkey, reached through libfido2) and not a
// security boundary: keys live in memory, user presence is always given,
// and nothing here belongs in production code.
//
// It builds what a browser and a key would: clientDataJSON, authenticator
// data, a COSE EC2 key, and an attestationObject in the "none", "packed"
// (self, or full with a certificate from a test CA) or "fido-u2f" format;
// assertions are ES256 signatures over authenticatorData || SHA-256(clientDataJSON).
package testauthn

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/keydesk/keydesk/ctap/protocol"
)

// Attestation statement formats the helper can produce.
const (
	FormatNone    = "none"
	FormatPacked  = "packed"
	FormatFIDOU2F = "fido-u2f"
)

// Authenticator flags (WebAuthn §6.1).
const (
	flagUP = 0x01
	flagUV = 0x04
	flagAT = 0x40
)

var b64 = base64.RawURLEncoding

// Authenticator is a software authenticator. The zero value is not usable;
// call New.
type Authenticator struct {
	// Format is the attestation format of new credentials.
	Format string
	// AAGUID is reported in attested credential data (zero for fido-u2f).
	AAGUID [16]byte
	// AttestationKey and AttestationChain (DER, leaf first) make packed
	// attestation "full" instead of self, and are required for fido-u2f.
	AttestationKey   *ecdsa.PrivateKey
	AttestationChain [][]byte

	mu    sync.Mutex
	creds map[string]*credential
}

type credential struct {
	id         []byte
	key        *ecdsa.PrivateKey
	rpID       string
	userHandle []byte
	counter    uint32
}

// encMode is KeyDesk's one CTAP2 canonical encoding, as a key would send it.
var encMode = protocol.EncMode()

// New returns an authenticator producing attestations of format.
func New(format string) *Authenticator {
	a := &Authenticator{Format: format, creds: map[string]*credential{}}
	copy(a.AAGUID[:], []byte("keydesk-testauth"))
	if format == FormatFIDOU2F {
		a.AAGUID = [16]byte{}
	}
	return a
}

// CreateArgs is what a WebAuthn client passes for navigator.credentials.create.
type CreateArgs struct {
	Origin string
	// RPID is the effective RP ID (the origin's host when the options' id is empty).
	RPID string
	// Challenge and UserID are base64url, as in the options.
	Challenge string
	UserID    string
	// ExcludeCredentials are base64url IDs; one known here fails the call.
	ExcludeCredentials []string
	UserVerified       bool
}

// Attestation is a new credential as the _app endpoint takes it (base64url).
type Attestation struct {
	ID                string
	ClientDataJSON    string
	AttestationObject string
}

// ErrExcluded is returned when a credential of ExcludeCredentials lives here
// (InvalidStateError in a browser).
var ErrExcluded = errors.New("testauthn: credential excluded")

// ErrNoCredential is returned when no credential matches (NotAllowedError).
var ErrNoCredential = errors.New("testauthn: no matching credential")

// ClientData builds clientDataJSON as a browser does (WebAuthn §5.8.1).
func ClientData(typ, challenge, origin string) []byte {
	b, _ := json.Marshal(struct {
		Type        string `json:"type"`
		Challenge   string `json:"challenge"`
		Origin      string `json:"origin"`
		CrossOrigin bool   `json:"crossOrigin"`
	}{typ, challenge, origin, false})
	return b
}

// Create makes a credential and its attestation.
func (a *Authenticator) Create(args CreateArgs) (*Attestation, error) {
	user, err := b64.DecodeString(args.UserID)
	if err != nil {
		return nil, fmt.Errorf("testauthn: user id: %w", err)
	}
	a.mu.Lock()
	for _, id := range args.ExcludeCredentials {
		raw, _ := b64.DecodeString(id)
		if c := a.creds[string(raw)]; c != nil && c.rpID == args.RPID {
			a.mu.Unlock()
			return nil, ErrExcluded
		}
	}
	a.mu.Unlock()

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	c := &credential{id: make([]byte, 32), key: key, rpID: args.RPID, userHandle: user}
	if _, err := rand.Read(c.id); err != nil {
		return nil, err
	}
	cose, err := coseKey(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	rpHash := sha256.Sum256([]byte(args.RPID))
	flags := byte(flagUP | flagAT)
	if args.UserVerified {
		flags |= flagUV
	}
	var ad bytes.Buffer
	ad.Write(rpHash[:])
	ad.WriteByte(flags)
	binary.Write(&ad, binary.BigEndian, c.counter)
	ad.Write(a.AAGUID[:])
	binary.Write(&ad, binary.BigEndian, uint16(len(c.id)))
	ad.Write(c.id)
	ad.Write(cose)
	authData := ad.Bytes()

	cdj := ClientData("webauthn.create", args.Challenge, args.Origin)
	cdh := sha256.Sum256(cdj)

	stmt := map[string]any{}
	switch a.Format {
	case FormatNone:
	case FormatPacked:
		msg := append(append([]byte{}, authData...), cdh[:]...)
		signer := key
		if a.AttestationKey != nil {
			signer = a.AttestationKey
			stmt["x5c"] = toAny(a.AttestationChain)
		}
		sig, err := sign(signer, msg)
		if err != nil {
			return nil, err
		}
		stmt["alg"] = -7
		stmt["sig"] = sig
	case FormatFIDOU2F:
		if a.AttestationKey == nil || len(a.AttestationChain) == 0 {
			return nil, errors.New("testauthn: fido-u2f needs an attestation key and certificate")
		}
		// The U2F wire format of the key is the uncompressed point.
		pub, err := key.PublicKey.Bytes()
		if err != nil {
			return nil, err
		}
		msg := bytes.Join([][]byte{{0x00}, rpHash[:], cdh[:], c.id, pub}, nil)
		sig, err := sign(a.AttestationKey, msg)
		if err != nil {
			return nil, err
		}
		stmt["sig"] = sig
		stmt["x5c"] = toAny(a.AttestationChain[:1])
	default:
		return nil, fmt.Errorf("testauthn: unknown format %q", a.Format)
	}
	obj, err := encMode.Marshal(map[string]any{"fmt": a.Format, "attStmt": stmt, "authData": authData})
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.creds[string(c.id)] = c
	a.mu.Unlock()
	return &Attestation{
		ID:                b64.EncodeToString(c.id),
		ClientDataJSON:    b64.EncodeToString(cdj),
		AttestationObject: b64.EncodeToString(obj),
	}, nil
}

// GetArgs is what a WebAuthn client passes for navigator.credentials.get.
type GetArgs struct {
	Origin    string
	RPID      string
	Challenge string
	// AllowCredentials are base64url IDs; empty means any discoverable
	// credential of the RP (usernameless).
	AllowCredentials []string
	UserVerified     bool
}

// Assertion is an assertion as the _app endpoint takes it (base64url).
type Assertion struct {
	ID                string
	ClientDataJSON    string
	AuthenticatorData string
	Signature         string
	UserHandle        string
}

// Get signs an assertion with a matching credential.
func (a *Authenticator) Get(args GetArgs) (*Assertion, error) {
	a.mu.Lock()
	var c *credential
	if len(args.AllowCredentials) == 0 {
		for _, x := range a.creds {
			if x.rpID == args.RPID {
				c = x
				break
			}
		}
	} else {
		for _, id := range args.AllowCredentials {
			raw, _ := b64.DecodeString(id)
			if x := a.creds[string(raw)]; x != nil && x.rpID == args.RPID {
				c = x
				break
			}
		}
	}
	if c == nil {
		a.mu.Unlock()
		return nil, ErrNoCredential
	}
	c.counter++
	counter := c.counter
	a.mu.Unlock()

	rpHash := sha256.Sum256([]byte(args.RPID))
	flags := byte(flagUP)
	if args.UserVerified {
		flags |= flagUV
	}
	var ad bytes.Buffer
	ad.Write(rpHash[:])
	ad.WriteByte(flags)
	binary.Write(&ad, binary.BigEndian, counter)
	authData := ad.Bytes()
	cdj := ClientData("webauthn.get", args.Challenge, args.Origin)
	cdh := sha256.Sum256(cdj)
	sig, err := sign(c.key, append(append([]byte{}, authData...), cdh[:]...))
	if err != nil {
		return nil, err
	}
	return &Assertion{
		ID:                b64.EncodeToString(c.id),
		ClientDataJSON:    b64.EncodeToString(cdj),
		AuthenticatorData: b64.EncodeToString(authData),
		Signature:         b64.EncodeToString(sig),
		UserHandle:        b64.EncodeToString(c.userHandle),
	}, nil
}

// Count reports how many credentials the authenticator holds.
func (a *Authenticator) Count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.creds)
}

func sign(k *ecdsa.PrivateKey, msg []byte) ([]byte, error) {
	h := sha256.Sum256(msg)
	return ecdsa.SignASN1(rand.Reader, k, h[:])
}

// coseKey encodes an EC2 P-256 ES256 key (RFC 9053 §7.1.1).
func coseKey(pub *ecdsa.PublicKey) ([]byte, error) {
	p, err := pub.Bytes() // 0x04 || x || y
	if err != nil || len(p) != 65 {
		return nil, fmt.Errorf("testauthn: encoding public key: %v", err)
	}
	return encMode.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: p[1:33], -3: p[33:]})
}

func toAny(chain [][]byte) []any {
	out := make([]any, len(chain))
	for i, c := range chain {
		out[i] = c
	}
	return out
}
