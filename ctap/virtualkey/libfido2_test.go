package virtualkey_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	libfido2 "github.com/keys-pub/go-libfido2"

	_ "github.com/keydesk/keydesk/ctap/internal/hidbridge"
	"github.com/keydesk/keydesk/ctap/protocol"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// These tests drive the virtual key through go-libfido2 → libfido2 1.12 →
// ctap/internal/hidbridge → the key's socket: the path KeyDesk uses in demo mode.

type fixture struct {
	k   *virtualkey.Key
	srv *virtualkey.Server
	dev *libfido2.Device
}

func start(t *testing.T, opts virtualkey.Options) *fixture {
	t.Helper()
	k, err := virtualkey.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return serve(t, k)
}

func serve(t *testing.T, k *virtualkey.Key) *fixture {
	t.Helper()
	srv, err := k.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dev, err := libfido2.NewDevice(srv.Path())
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{k: k, srv: srv, dev: dev}
}

func cdh(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

var (
	rpExample = libfido2.RelyingParty{ID: "example.com", Name: "Example"}
	alice     = libfido2.User{ID: []byte("alice-id"), Name: "alice", DisplayName: "Alice A."}
	bob       = libfido2.User{ID: []byte("bob-id"), Name: "bob", DisplayName: "Bob B."}
)

// authData is parsed authenticator data (WebAuthn §6.1).
type authData struct {
	raw      []byte
	rpIDHash []byte
	flags    byte
	counter  uint32
	aaguid   []byte
	credID   []byte
}

// unwrapAuthData undoes libfido2's CBOR byte-string wrapping.
func unwrapAuthData(t *testing.T, wrapped []byte) []byte {
	t.Helper()
	var raw []byte
	if err := cbor.Unmarshal(wrapped, &raw); err != nil {
		t.Fatalf("authData is not a CBOR byte string: %v", err)
	}
	return raw
}

// parseAuthData reads authenticator data with protocol.ParseAuthenticatorData,
// KeyDesk's one parser, which also holds the virtual key to its strict
// checks (flags matching what follows, a valid COSE key, no trailing bytes).
func parseAuthData(t *testing.T, raw []byte) authData {
	t.Helper()
	ad, err := protocol.ParseAuthenticatorData(raw)
	if err != nil {
		t.Fatalf("authData: %v", err)
	}
	a := authData{raw: raw, rpIDHash: ad.RPIDHash[:], flags: byte(ad.Flags), counter: ad.SignCount}
	if acd := ad.AttestedCredentialData; acd != nil {
		a.aaguid, a.credID = acd.AAGUID[:], acd.CredentialID
	}
	return a
}

func makeCred(t *testing.T, f *fixture, typ libfido2.CredentialType, user libfido2.User, pin string, opts *libfido2.MakeCredentialOpts) *libfido2.Attestation {
	t.Helper()
	att, err := f.dev.MakeCredential(cdh("register"), rpExample, user, typ, pin, opts)
	if err != nil {
		t.Fatalf("MakeCredential: %v", err)
	}
	return att
}

// verifyAssertion checks an assertion signature with the credential public key
// as libfido2 returned it (ES256: x||y; EdDSA: 32 bytes).
func verifyAssertion(t *testing.T, typ libfido2.CredentialType, pub []byte, as *libfido2.Assertion, clientDataHash []byte) authData {
	t.Helper()
	ad := unwrapAuthData(t, as.AuthDataCBOR)
	msg := append(append([]byte{}, ad...), clientDataHash...)
	switch typ {
	case libfido2.ES256:
		pk := es256Key(t, pub)
		d := sha256.Sum256(msg)
		if !ecdsa.VerifyASN1(pk, d[:], as.Sig) {
			t.Fatal("ES256 assertion signature does not verify")
		}
	case libfido2.EDDSA:
		if !ed25519.Verify(ed25519.PublicKey(pub), msg, as.Sig) {
			t.Fatal("EdDSA assertion signature does not verify")
		}
	}
	return parseAuthData(t, ad)
}

func TestInfo(t *testing.T) {
	f := start(t, virtualkey.Options{})
	info, err := f.dev.Info()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(info.AAGUID, virtualkey.AAGUID[:]) {
		t.Errorf("AAGUID %x", info.AAGUID)
	}
	if !contains(info.Versions, "FIDO_2_1") || !contains(info.Versions, "FIDO_2_0") {
		t.Errorf("versions %v", info.Versions)
	}
	if !contains(info.Extensions, "credProtect") || !contains(info.Extensions, "hmac-secret") {
		t.Errorf("extensions %v", info.Extensions)
	}
	if !bytes.Equal(info.Protocols, []byte{2, 1}) {
		t.Errorf("PIN protocols %v", info.Protocols)
	}
	want := map[string]libfido2.OptionValue{"rk": "true", "up": "true", "plat": "false", "clientPin": "false",
		"credMgmt": "true", "pinUvAuthToken": "true", "makeCredUvNotRqd": "true"}
	for _, o := range info.Options {
		if v, ok := want[o.Name]; ok && v != o.Value {
			t.Errorf("option %s = %s, want %s", o.Name, o.Value, v)
		}
		delete(want, o.Name)
	}
	if len(want) != 0 {
		t.Errorf("options missing: %v", want)
	}
	hid, err := f.dev.CTAPHIDInfo()
	if err != nil {
		t.Fatal(err)
	}
	if hid.Protocol != 2 || hid.Flags&0x04 == 0 {
		t.Errorf("CTAPHID info %+v", hid)
	}
	typ, err := f.dev.Type()
	if err != nil || typ != libfido2.FIDO2 {
		t.Errorf("type %v %v", typ, err)
	}
}

func TestDeviceLocationsListsKey(t *testing.T) {
	f := start(t, virtualkey.Options{})
	locs, err := libfido2.DeviceLocations()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range locs {
		if l.Path == f.srv.Path() {
			if l.Manufacturer != "KeyDesk" || l.Product != "Virtual Key" {
				t.Errorf("listed as %q %q", l.Manufacturer, l.Product)
			}
			f.srv.Close()
			locs, err := libfido2.DeviceLocations()
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range locs {
				if l.Path == f.srv.Path() {
					t.Error("still listed after Close")
				}
			}
			return
		}
	}
	t.Fatalf("%s not in %v", f.srv.Path(), locs)
}

// TestMakeCredentialPacked verifies the packed attestation as a relying
// party does: the batch certificate chains to the key's CA, carries the
// AAGUID, and its key signed authData||clientDataHash.
func TestMakeCredentialPacked(t *testing.T) {
	f := start(t, virtualkey.Options{})
	att := makeCred(t, f, libfido2.ES256, alice, "", nil)
	if att.Format != "packed" {
		t.Fatalf("format %q", att.Format)
	}
	cert, err := x509.ParseCertificate(att.Cert)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(f.k.CACertificate())
	if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		t.Fatalf("batch certificate does not chain to the CA: %v", err)
	}
	if cert.Version != 3 || cert.IsCA || len(cert.Subject.OrganizationalUnit) != 1 ||
		cert.Subject.OrganizationalUnit[0] != "Authenticator Attestation" || len(cert.Subject.Country) != 1 ||
		len(cert.Subject.Organization) != 1 || cert.Subject.CommonName == "" {
		t.Errorf("batch certificate subject/constraints: %+v", cert.Subject)
	}
	var aaguidExt []byte
	for _, e := range cert.Extensions {
		if e.Id.Equal(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 45724, 1, 1, 4}) {
			if _, err := asn1.Unmarshal(e.Value, &aaguidExt); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !bytes.Equal(aaguidExt, virtualkey.AAGUID[:]) {
		t.Errorf("AAGUID extension %x", aaguidExt)
	}
	ad := unwrapAuthData(t, att.AuthData)
	d := sha256.Sum256(append(append([]byte{}, ad...), cdh("register")...))
	if !ecdsa.VerifyASN1(cert.PublicKey.(*ecdsa.PublicKey), d[:], att.Sig) {
		t.Fatal("attestation signature does not verify")
	}
	a := parseAuthData(t, ad)
	if !bytes.Equal(a.rpIDHash, cdh("example.com")) || a.flags&0x41 != 0x41 || a.flags&0x04 != 0 {
		t.Errorf("authData rpIdHash/flags: %x %02x", a.rpIDHash, a.flags)
	}
	if !bytes.Equal(a.aaguid, virtualkey.AAGUID[:]) || !bytes.Equal(a.credID, att.CredentialID) {
		t.Errorf("attested credential data: aaguid %x id %x", a.aaguid, a.credID)
	}
	if len(att.PubKey) != 64 {
		t.Errorf("ES256 public key length %d", len(att.PubKey))
	}
}

func TestAttestationSelfAndNone(t *testing.T) {
	f := start(t, virtualkey.Options{Attestation: virtualkey.AttestationSelf})
	att := makeCred(t, f, libfido2.ES256, alice, "", nil)
	if att.Format != "packed" || len(att.Cert) != 0 {
		t.Fatalf("self attestation: format %q, %d-byte x5c", att.Format, len(att.Cert))
	}
	ad := unwrapAuthData(t, att.AuthData)
	pk := es256Key(t, att.PubKey)
	d := sha256.Sum256(append(append([]byte{}, ad...), cdh("register")...))
	if !ecdsa.VerifyASN1(pk, d[:], att.Sig) {
		t.Fatal("self attestation signature does not verify with the credential key")
	}
	f.k.SetAttestation(virtualkey.AttestationNone)
	att = makeCred(t, f, libfido2.ES256, alice, "", nil)
	if att.Format != "none" || len(att.Sig) != 0 || len(att.Cert) != 0 {
		t.Fatalf("none attestation: %q sig %d x5c %d", att.Format, len(att.Sig), len(att.Cert))
	}
}

func TestEdDSAAndAssertionCounter(t *testing.T) {
	for _, typ := range []libfido2.CredentialType{libfido2.ES256, libfido2.EDDSA} {
		t.Run(typ.String(), func(t *testing.T) {
			f := start(t, virtualkey.Options{})
			att := makeCred(t, f, typ, alice, "", nil)
			if att.CredentialType != typ {
				t.Fatalf("credential type %v", att.CredentialType)
			}
			first := parseAuthData(t, unwrapAuthData(t, att.AuthData)).counter
			last := first
			for i := 0; i < 3; i++ {
				as, err := f.dev.Assertion("example.com", cdh("login"), [][]byte{att.CredentialID}, "", nil)
				if err != nil {
					t.Fatal(err)
				}
				a := verifyAssertion(t, typ, att.PubKey, as, cdh("login"))
				if a.counter <= last {
					t.Fatalf("counter did not increase: %d after %d", a.counter, last)
				}
				if a.flags&0x01 == 0 || a.flags&0x04 != 0 {
					t.Errorf("flags %02x, want UP without UV", a.flags)
				}
				if !bytes.Equal(as.CredentialID, att.CredentialID) {
					t.Error("assertion names another credential")
				}
				last = a.counter
			}
			// Another RP cannot use the credential.
			if _, err := f.dev.Assertion("other.example", cdh("login"), [][]byte{att.CredentialID}, "", nil); !errors.Is(err, libfido2.ErrNoCredentials) {
				t.Fatalf("assertion for another RP: %v", err)
			}
			// Silent assertion: up=false leaves UP clear.
			as, err := f.dev.Assertion("example.com", cdh("silent"), [][]byte{att.CredentialID}, "", &libfido2.AssertionOpts{UP: libfido2.False})
			if err != nil {
				t.Fatal(err)
			}
			if a := verifyAssertion(t, typ, att.PubKey, as, cdh("silent")); a.flags&0x01 != 0 {
				t.Errorf("silent assertion has UP: %02x", a.flags)
			}
		})
	}
}

func TestHMACSecret(t *testing.T) {
	f := start(t, virtualkey.Options{})
	att := makeCred(t, f, libfido2.ES256, alice, "", &libfido2.MakeCredentialOpts{Extensions: []libfido2.Extension{libfido2.HMACSecretExtension}})
	salt := bytes.Repeat([]byte{7}, 32)
	get := func() []byte {
		as, err := f.dev.Assertion("example.com", cdh("x"), [][]byte{att.CredentialID}, "", &libfido2.AssertionOpts{
			Extensions: []libfido2.Extension{libfido2.HMACSecretExtension}, HMACSalt: salt})
		if err != nil {
			t.Fatal(err)
		}
		return as.HMACSecret
	}
	a, b := get(), get()
	if len(a) != 32 || !bytes.Equal(a, b) {
		t.Fatalf("hmac-secret outputs %x / %x", a, b)
	}
}

func TestPINLifecycle(t *testing.T) {
	f := start(t, virtualkey.Options{})
	if err := f.dev.SetPIN("1234", ""); err != nil {
		t.Fatal(err)
	}
	if n, err := f.dev.RetryCount(); err != nil || n != 8 {
		t.Fatalf("retries %d %v", n, err)
	}
	if err := f.dev.SetPIN("4321", ""); !errors.Is(err, libfido2.ErrNotAllowed) {
		t.Fatalf("setPIN with a PIN set: %v", err)
	}
	if err := f.dev.SetPIN("56789", "1234"); err != nil {
		t.Fatalf("change PIN: %v", err)
	}
	// A PIN-protected key: a discoverable credential needs the PIN, a
	// non-discoverable one does not (makeCredUvNotRqd).
	if _, err := f.dev.MakeCredential(cdh("r"), rpExample, alice, libfido2.ES256, "", &libfido2.MakeCredentialOpts{RK: libfido2.True}); !errors.Is(err, libfido2.ErrPinRequired) {
		t.Fatalf("rk without PIN: %v", err)
	}
	makeCred(t, f, libfido2.ES256, alice, "", nil)
	att := makeCred(t, f, libfido2.ES256, alice, "56789", nil)
	if a := parseAuthData(t, unwrapAuthData(t, att.AuthData)); a.flags&0x04 == 0 {
		t.Errorf("made with PIN but UV clear: %02x", a.flags)
	}
	as, err := f.dev.Assertion("example.com", cdh("l"), [][]byte{att.CredentialID}, "56789", nil)
	if err != nil {
		t.Fatal(err)
	}
	if a := verifyAssertion(t, libfido2.ES256, att.PubKey, as, cdh("l")); a.flags&0x05 != 0x05 {
		t.Errorf("assertion with PIN: flags %02x", a.flags)
	}
	// Wrong PINs: retries go down, the third in a row blocks until replug.
	if _, err := f.dev.Assertion("example.com", cdh("l"), [][]byte{att.CredentialID}, "0000", nil); !errors.Is(err, libfido2.ErrPinInvalid) {
		t.Fatalf("wrong PIN: %v", err)
	}
	if err := f.dev.SetPIN("11111", "0000"); !errors.Is(err, libfido2.ErrPinInvalid) {
		t.Fatalf("change with wrong PIN: %v", err)
	}
	if n, _ := f.dev.RetryCount(); n != 6 {
		t.Fatalf("retries after two wrong PINs: %d", n)
	}
	if _, err := f.dev.CredentialsInfo("0000"); !errors.Is(err, libfido2.ErrPinAuthBlocked) {
		t.Fatalf("third wrong PIN: %v", err)
	}
	if _, err := f.dev.CredentialsInfo("56789"); !errors.Is(err, libfido2.ErrPinAuthBlocked) {
		t.Fatalf("right PIN while auth-blocked: %v", err)
	}
	if err := f.k.Replug(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.dev.CredentialsInfo("56789"); err != nil {
		t.Fatalf("right PIN after replug: %v", err)
	}
	if n, _ := f.dev.RetryCount(); n != 8 {
		t.Fatalf("retries after a right PIN: %d", n)
	}
	// Eight wrong PINs (with replugs) block the PIN for good.
	var last error
	for i := 0; i < 8; i++ {
		if i%3 == 0 {
			f.k.Replug()
		}
		_, last = f.dev.CredentialsInfo("0000")
	}
	if fe := (libfido2.Error{}); !errors.As(last, &fe) || fe.Code != 0x32 {
		t.Fatalf("eighth wrong PIN: %v, want FIDO_ERR_PIN_BLOCKED (0x32)", last)
	}
	f.k.Replug()
	if _, err := f.dev.CredentialsInfo("56789"); !errors.As(err, new(libfido2.Error)) {
		t.Fatalf("right PIN when blocked: %v", err)
	}
	if n, _ := f.dev.RetryCount(); n != 0 {
		t.Fatalf("retries when blocked: %d", n)
	}
}

func TestPINPolicy(t *testing.T) {
	f := start(t, virtualkey.Options{})
	if err := f.dev.SetPIN("123", ""); err == nil {
		t.Fatal("a 3-digit PIN was accepted")
	}
	if err := f.dev.SetPIN(string(bytes.Repeat([]byte("1"), 64)), ""); err == nil {
		t.Fatal("a 64-byte PIN was accepted")
	}
	if err := f.dev.SetPIN("äöüß", ""); err != nil { // 4 code points, 8 bytes
		t.Fatalf("4 code points: %v", err)
	}
}

func TestPINProtocolOne(t *testing.T) {
	f := start(t, virtualkey.Options{PINProtocols: []int{1}})
	info, err := f.dev.Info()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(info.Protocols, []byte{1}) {
		t.Fatalf("protocols %v", info.Protocols)
	}
	if err := f.dev.SetPIN("1234", ""); err != nil {
		t.Fatal(err)
	}
	if err := f.dev.SetPIN("2345", "1234"); err != nil {
		t.Fatal(err)
	}
	att := makeCred(t, f, libfido2.ES256, alice, "2345", &libfido2.MakeCredentialOpts{RK: libfido2.True})
	if a := parseAuthData(t, unwrapAuthData(t, att.AuthData)); a.flags&0x04 == 0 {
		t.Errorf("UV clear: %02x", a.flags)
	}
	creds, err := f.dev.Credentials("example.com", "2345")
	if err != nil || len(creds) != 1 {
		t.Fatalf("credentials %v %v", creds, err)
	}
	if _, err := f.dev.CredentialsInfo("9999"); !errors.Is(err, libfido2.ErrPinInvalid) {
		t.Fatalf("wrong PIN: %v", err)
	}
}

func TestDiscoverableCredentials(t *testing.T) {
	f := start(t, virtualkey.Options{MaxResident: 3})
	if err := f.dev.SetPIN("1234", ""); err != nil {
		t.Fatal(err)
	}
	rk := &libfido2.MakeCredentialOpts{RK: libfido2.True}
	a1 := makeCred(t, f, libfido2.ES256, alice, "1234", rk)
	b1 := makeCred(t, f, libfido2.EDDSA, bob, "1234", rk)
	if _, err := f.dev.MakeCredential(cdh("r"), libfido2.RelyingParty{ID: "other.org", Name: "Other"}, alice, libfido2.ES256, "1234", rk); err != nil {
		t.Fatal(err)
	}
	// Full: a fourth distinct credential does not fit, a replacement does.
	if _, err := f.dev.MakeCredential(cdh("r"), libfido2.RelyingParty{ID: "third.net"}, alice, libfido2.ES256, "1234", rk); err == nil {
		t.Fatal("key store full not reported")
	} else if fe := (libfido2.Error{}); !errors.As(err, &fe) || fe.Code != 0x28 {
		t.Fatalf("key store full: %v", err)
	}
	info, err := f.dev.CredentialsInfo("1234")
	if err != nil {
		t.Fatal(err)
	}
	if info.RKExisting != 3 || info.RKRemaining != 0 {
		t.Fatalf("metadata %+v", info)
	}
	rps, err := f.dev.RelyingParties("1234")
	if err != nil {
		t.Fatal(err)
	}
	if len(rps) != 2 || rps[0].ID != "example.com" || rps[0].Name != "Example" || rps[1].ID != "other.org" {
		t.Fatalf("relying parties %+v", rps)
	}
	creds, err := f.dev.Credentials("example.com", "1234")
	if err != nil {
		t.Fatal(err)
	}
	if len(creds) != 2 {
		t.Fatalf("%d credentials", len(creds))
	}
	names := map[string]bool{}
	for _, c := range creds {
		names[c.User.Name+"/"+c.User.DisplayName] = true
	}
	if !names["alice/Alice A."] || !names["bob/Bob B."] {
		t.Fatalf("users %v", names)
	}
	// Without an allowList the most recent credential answers first.
	as, err := f.dev.Assertion("example.com", cdh("d"), nil, "1234", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(as.CredentialID, b1.CredentialID) || !bytes.Equal(as.User.ID, bob.ID) {
		t.Fatalf("discoverable assertion by %x user %q", as.CredentialID, as.User.ID)
	}
	verifyAssertion(t, libfido2.EDDSA, b1.PubKey, as, cdh("d"))
	if err := f.dev.DeleteCredential(b1.CredentialID, "1234"); err != nil {
		t.Fatal(err)
	}
	creds, err = f.dev.Credentials("example.com", "1234")
	if err != nil || len(creds) != 1 || !bytes.Equal(creds[0].ID, a1.CredentialID) {
		t.Fatalf("after delete: %v %v", creds, err)
	}
	if _, err := f.dev.Assertion("example.com", cdh("d"), [][]byte{b1.CredentialID}, "1234", nil); !errors.Is(err, libfido2.ErrNoCredentials) {
		t.Fatalf("deleted credential still answers: %v", err)
	}
	if err := f.dev.DeleteCredential(b1.CredentialID, "1234"); !errors.Is(err, libfido2.ErrNoCredentials) {
		t.Fatalf("deleting twice: %v", err)
	}
	if _, err := f.dev.Credentials("nobody.example", "1234"); !errors.Is(err, libfido2.ErrNoCredentials) {
		t.Fatalf("credentials of an unknown RP: %v", err)
	}
}

func TestCredProtect(t *testing.T) {
	f := start(t, virtualkey.Options{})
	if err := f.dev.SetPIN("1234", ""); err != nil {
		t.Fatal(err)
	}
	att := makeCred(t, f, libfido2.ES256, alice, "1234", &libfido2.MakeCredentialOpts{RK: libfido2.True, CredProtect: libfido2.CredProtectUVRequired})
	if _, err := f.dev.Assertion("example.com", cdh("x"), [][]byte{att.CredentialID}, "", nil); !errors.Is(err, libfido2.ErrNoCredentials) {
		t.Fatalf("uv-required credential without UV: %v", err)
	}
	if _, err := f.dev.Assertion("example.com", cdh("x"), [][]byte{att.CredentialID}, "1234", nil); err != nil {
		t.Fatalf("uv-required credential with PIN: %v", err)
	}
}

// fakeClock lets the reset-window test move time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestResetWindow(t *testing.T) {
	clock := &fakeClock{now: time.Now()}
	f := start(t, virtualkey.Options{Now: clock.Now})
	if err := f.dev.SetPIN("1234", ""); err != nil {
		t.Fatal(err)
	}
	att := makeCred(t, f, libfido2.ES256, alice, "1234", &libfido2.MakeCredentialOpts{RK: libfido2.True})
	clock.advance(11 * time.Second)
	if err := f.dev.Reset(); !errors.Is(err, libfido2.ErrNotAllowed) {
		t.Fatalf("reset after 11 s: %v", err)
	}
	f.k.Replug()
	clock.advance(9 * time.Second)
	f.k.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
	if err := f.dev.Reset(); !errors.Is(err, libfido2.ErrOperationDenied) {
		t.Fatalf("reset with presence denied: %v", err)
	}
	f.k.SetPresence(virtualkey.Presence{})
	if err := f.dev.Reset(); err != nil {
		t.Fatalf("reset 9 s after replug: %v", err)
	}
	info, err := f.dev.Info()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range info.Options {
		if o.Name == "clientPin" && o.Value != libfido2.False {
			t.Fatal("PIN survived reset")
		}
	}
	if _, err := f.dev.Assertion("example.com", cdh("x"), [][]byte{att.CredentialID}, "", nil); !errors.Is(err, libfido2.ErrNoCredentials) {
		t.Fatalf("credential survived reset: %v", err)
	}
}

func TestScriptedFaults(t *testing.T) {
	f := start(t, virtualkey.Options{PresenceTimeout: 300 * time.Millisecond})
	mc := func() error {
		_, err := f.dev.MakeCredential(cdh("r"), rpExample, alice, libfido2.ES256, "", nil)
		return err
	}
	f.k.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
	if err := mc(); !errors.Is(err, libfido2.ErrOperationDenied) {
		t.Errorf("denied: %v", err)
	}
	f.k.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceNever})
	start := time.Now()
	if err := mc(); !isFIDOErr(err, 0x2F) {
		t.Errorf("never: %v, want FIDO_ERR_USER_ACTION_TIMEOUT", err)
	}
	if d := time.Since(start); d < 300*time.Millisecond || d > 5*time.Second {
		t.Errorf("timeout after %v", d)
	}
	var mu sync.Mutex
	var kinds []virtualkey.EventKind
	f.k.OnEvent(func(e virtualkey.Event) {
		mu.Lock()
		kinds = append(kinds, e.Kind)
		mu.Unlock()
	})
	f.k.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceGranted, Delay: 250 * time.Millisecond})
	touches := f.k.Touches()
	if err := mc(); err != nil {
		t.Errorf("delayed presence: %v", err)
	}
	if f.k.Touches() != touches+1 {
		t.Errorf("touches %d → %d", touches, f.k.Touches())
	}
	f.k.OnEvent(nil)
	mu.Lock()
	if !slicesContains(kinds, virtualkey.EventWaitingPresence) || !slicesContains(kinds, virtualkey.EventPresence) {
		t.Errorf("events %v", kinds)
	}
	mu.Unlock()
	f.k.SetPresence(virtualkey.Presence{})

	for status, want := range map[byte]error{
		virtualkey.StatusNoCredentials:     libfido2.ErrNoCredentials,
		virtualkey.StatusOperationDenied:   libfido2.ErrOperationDenied,
		virtualkey.StatusUserActionTimeout: libfido2.Error{Code: 0x2F}, // go-libfido2 has no name for it
		virtualkey.StatusPINRequired:       libfido2.ErrPinRequired,
		virtualkey.StatusKeepaliveCancel:   libfido2.ErrKeepaliveCancel,
		virtualkey.StatusOther:             libfido2.ErrOther,
	} {
		f.k.FailNext(status)
		if err := mc(); !errors.Is(err, want) {
			t.Errorf("FailNext(0x%02x): %v, want %v", status, err, want)
		}
	}
	f.k.CorruptNext()
	if err := mc(); !errors.Is(err, libfido2.ErrRXNotCBOR) {
		t.Errorf("corrupted response: %v", err)
	}
	if err := mc(); err != nil {
		t.Errorf("after the faults: %v", err)
	}
}

func TestUnplugMidCommand(t *testing.T) {
	f := start(t, virtualkey.Options{Presence: virtualkey.Presence{Mode: virtualkey.PresenceManual}})
	done := make(chan error, 1)
	go func() {
		_, err := f.dev.MakeCredential(cdh("r"), rpExample, alice, libfido2.ES256, "", nil)
		done <- err
	}()
	waitFor(t, f.k.Waiting)
	f.k.Unplug()
	if err := <-done; err == nil {
		t.Fatal("a command survived unplug")
	} else if !errors.Is(err, libfido2.ErrRX) {
		t.Errorf("unplugged mid-command: %v", err)
	}
	if _, err := f.dev.Info(); err == nil {
		t.Fatal("opened while unplugged")
	}
	if err := f.k.Replug(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_, err := f.dev.MakeCredential(cdh("r"), rpExample, alice, libfido2.ES256, "", nil)
		done <- err
	}()
	waitFor(t, f.k.Waiting)
	f.k.Touch()
	if err := <-done; err != nil {
		t.Fatalf("after replug and touch: %v", err)
	}
}

// TestCancelWhileWaiting: CTAPHID_CANCEL ends a command waiting for a touch
// with CTAP2_ERR_KEEPALIVE_CANCEL.
func TestCancelWhileWaiting(t *testing.T) {
	f := start(t, virtualkey.Options{Presence: virtualkey.Presence{Mode: virtualkey.PresenceManual}})
	done := make(chan error, 1)
	go func() {
		_, err := f.dev.MakeCredential(cdh("r"), rpExample, alice, libfido2.ES256, "", nil)
		done <- err
	}()
	waitFor(t, f.k.Waiting)
	// go-libfido2's own Device.Cancel races with its open (its handle field
	// is unguarded), so the cancel goes through the bridge.
	cancelVia(t, f)
	if err := <-done; !errors.Is(err, libfido2.ErrKeepaliveCancel) {
		t.Fatalf("cancelled: %v", err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func slicesContains(s []virtualkey.EventKind, v virtualkey.EventKind) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// es256Key parses libfido2's raw ES256 public key (x||y).
func es256Key(t *testing.T, xy []byte) *ecdsa.PublicKey {
	t.Helper()
	pk, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append([]byte{4}, xy...))
	if err != nil {
		t.Fatalf("ES256 public key: %v", err)
	}
	return pk
}

func isFIDOErr(err error, code int) bool {
	var fe libfido2.Error
	return errors.As(err, &fe) && fe.Code == code
}
