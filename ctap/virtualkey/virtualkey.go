// Package virtualkey is a software CTAP 2.1 security key. It speaks CTAPHID
// over a SOCK_SEQPACKET Unix socket (one 64-byte report per packet), which
// package ctap/internal/hidbridge connects to libfido2, so the real libfido2 and
// go-libfido2 drive it exactly as they drive hardware.
//
// The key implements getInfo, makeCredential (ES256 and EdDSA; packed
// attestation by a batch certificate from a test CA it creates and keeps, self
// attestation or none), getAssertion and getNextAssertion, clientPIN with PIN/UV
// auth protocols 1 and 2, reset, credential management (0x0A and the 0x41
// preview libfido2 1.12 uses) and selection. Its state lives in memory (New)
// or in a JSON file (Open), and tests and demos script it: user presence
// granted, delayed, denied or never given, unplug and replug, a chosen status
// for the next command, a corrupted response. Profiles (profile.go) make it
// one of a family of real keys, down to a U2F-only key that speaks no CTAP2
// at all (u2f.go).
//
// Choices a real key also has to make, stated once:
//   - The signature counter is global: one counter for all credentials,
//     incremented by every makeCredential and every signature.
//   - Non-discoverable credentials are not stored: the credential ID wraps the
//     private key with AES-256-GCM under a per-key secret, bound to the RP ID
//     hash. A reset replaces the secret, so old IDs stop working.
//   - There is no built-in user verification; UV means a PIN/UV auth token.
//
// It is a test and demo instrument, not part of the product: outside
// _test.go files only package app/demo imports it (the product's one door
// to it; app/demo's TestOneDoorToInstruments checks every file).
package virtualkey

import (
	"crypto/ecdh"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// AAGUID identifies the virtual key's model (0136b746-c2e7-49fc-9de4-a58dd965cdfe).
// It was generated once at random for KeyDesk; it is in the batch certificate's
// id-fido-gen-ce-aaguid extension and in every attested credential.
var AAGUID = [16]byte{0x01, 0x36, 0xb7, 0x46, 0xc2, 0xe7, 0x49, 0xfc, 0x9d, 0xe4, 0xa5, 0x8d, 0xd9, 0x65, 0xcd, 0xfe}

// AAGUIDString is AAGUID in its usual textual form.
func AAGUIDString() string {
	h := hex.EncodeToString(AAGUID[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// Limits the key advertises in getInfo and enforces.
const (
	MaxMsgSize               = 1200 // CTAP maxMsgSize
	MaxCredentialCountInList = 8
	MaxCredentialIDLength    = 128
	MinPINLength             = 4
	maxPINBytes              = 63
	pinRetriesMax            = 8
	pinAttemptsPerBoot       = 3
	FirmwareVersion          = 0x00010000
)

// AttestationMode selects the attestation statement makeCredential returns.
type AttestationMode int

const (
	// AttestationPacked signs with the batch certificate (x5c), the default.
	AttestationPacked AttestationMode = iota
	// AttestationSelf signs with the credential's own key (packed, no x5c).
	AttestationSelf
	// AttestationNone returns fmt "none" with an empty statement.
	AttestationNone
)

// Options configure a Key. The zero value is a sensible real-key behaviour.
type Options struct {
	// Attestation is the statement format of new credentials.
	Attestation AttestationMode
	// MaxResident is how many discoverable credentials fit (default 25).
	MaxResident int
	// ResetWindow is how long after power-up authenticatorReset is allowed
	// (default 10 s, as CTAP requires).
	ResetWindow time.Duration
	// PresenceTimeout ends a wait for user presence with
	// CTAP2_ERR_USER_ACTION_TIMEOUT (default 30 s).
	PresenceTimeout time.Duration
	// CommandTimeout is the watchdog of one CTAP command (default
	// PresenceTimeout + 5 s): a command still running then is answered with
	// an error, so a caller without a timeout (go-libfido2) never hangs.
	CommandTimeout time.Duration
	// MessageTimeout is how long the key waits for the next continuation
	// packet of a CTAPHID message before ERR_MSG_TIMEOUT (default 500 ms).
	MessageTimeout time.Duration
	// PINProtocols are the PIN/UV auth protocols offered, in preference
	// order (default [2, 1]). libfido2 uses 2 when offered, so [1] makes it
	// use protocol 1.
	PINProtocols []int
	// Presence is the initial user-presence behaviour (default: granted at
	// once).
	Presence Presence
	// Now replaces the clock (tests of the reset window).
	Now func() time.Time
	// NoClientPIN makes the key one without a client PIN, as some CTAP 2.0
	// keys are: getInfo lists no clientPin option, no pinUvAuthToken and
	// no PIN/UV auth protocol, and authenticatorClientPIN is an invalid
	// command.
	NoClientPIN bool
	// NoCredMgmt makes the key one without credential management: getInfo
	// lists neither credMgmt nor credentialMgmtPreview, and both commands
	// are invalid.
	NoCredMgmt bool
	// Profile makes the key one of a family of real keys (see Profile);
	// default ProfileCTAP21.
	Profile Profile
}

func (o *Options) fill() {
	o.Profile.apply(o)
	if o.MaxResident <= 0 {
		o.MaxResident = 25
	}
	if o.ResetWindow <= 0 {
		o.ResetWindow = 10 * time.Second
	}
	if o.PresenceTimeout <= 0 {
		o.PresenceTimeout = 30 * time.Second
	}
	if o.CommandTimeout <= 0 {
		o.CommandTimeout = o.PresenceTimeout + 5*time.Second
	}
	if o.MessageTimeout <= 0 {
		o.MessageTimeout = 500 * time.Millisecond
	}
	if len(o.PINProtocols) == 0 {
		o.PINProtocols = []int{2, 1}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Key is one virtual security key: its persistent state (credentials, PIN,
// counter, attestation material) and its volatile power-cycle state (PIN
// attempts since boot, key agreement key, PIN/UV auth token).
type Key struct {
	opts      Options
	statePath string // "" keeps the state in memory

	mu sync.Mutex // guards everything below, and the script fields in script.go
	st state

	att      attestation
	powerUp  time.Time
	failures int // consecutive wrong PINs since power-up
	kaKey    *ecdh.PrivateKey
	token    pinToken
	next     *assertionBatch
	cmState  *cmEnumeration

	script scriptState
	hook   atomic.Pointer[func(Event)]

	busy chan struct{} // one CTAP command at a time across all channels

	cidMu   sync.Mutex
	cidBase uint32
	nextCID uint32
	conns   map[*hidConn]struct{}
}

// New returns a key whose state lives in memory only, created fresh.
func New(opts Options) (*Key, error) {
	st, err := newState(opts.Profile)
	if err != nil {
		return nil, err
	}
	return newKey(opts, "", st)
}

// Open returns the key whose state is in stateFile, creating the file (mode
// 0600) with a fresh key when it does not exist. Every state change is
// written back before the command that made it answers.
func Open(stateFile string, opts Options) (*Key, error) {
	st, err := loadState(stateFile)
	if errors.Is(err, errNoState) {
		if st, err = newState(opts.Profile); err != nil {
			return nil, err
		}
		if err := st.save(stateFile); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	return newKey(opts, stateFile, st)
}

func newKey(opts Options, path string, st state) (*Key, error) {
	opts.fill()
	for _, p := range opts.PINProtocols {
		if p != 1 && p != 2 {
			return nil, fmt.Errorf("virtualkey: unsupported PIN/UV auth protocol %d", p)
		}
	}
	att, err := st.attestation()
	if err != nil {
		return nil, err
	}
	k := &Key{
		opts:      opts,
		statePath: path,
		st:        st,
		att:       att,
		busy:      make(chan struct{}, 1),
		conns:     map[*hidConn]struct{}{},
		nextCID:   1,
		cidBase:   1,
	}
	k.script.presence = opts.Presence
	k.script.touch = make(chan struct{}, 1)
	if err := k.powerCycle(); err != nil {
		return nil, err
	}
	return k, nil
}

// powerCycle resets what a real key forgets when unplugged. Called with mu
// held (or before the key is shared).
func (k *Key) powerCycle() error {
	if err := k.newKeyAgreement(); err != nil {
		return err
	}
	k.powerUp = k.opts.Now()
	k.failures = 0
	k.token = pinToken{}
	k.next = nil
	k.cmState = nil
	k.script.u2f.end(&k.script.waiting)
	return nil
}

// CACertificate is the test CA that issued the batch certificate: the root a
// relying party (the emulator) trusts for this key's packed attestations.
func (k *Key) CACertificate() *x509.Certificate { return k.att.caCert }

// BatchCertificate is the attestation certificate in x5c.
func (k *Key) BatchCertificate() *x509.Certificate { return k.att.batchCert }

// CACertificatePEM is CACertificate in PEM form.
func (k *Key) CACertificatePEM() []byte { return pemCert(k.att.caCert) }

// save writes the state back when the key has a state file. Called with mu
// held.
func (k *Key) save() error {
	if k.statePath == "" {
		return nil
	}
	return k.st.save(k.statePath)
}
