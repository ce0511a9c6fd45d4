package protocol

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The helpers below build attestation objects the way a security key does,
// with Go's crypto: a test CA, a batch certificate with the §8.2.1
// extensions, credential keys, packed and fido-u2f statements.

var testAAGUID = AAGUID{0x6d, 0x44, 0xba, 0x9b, 0xf6, 0xec, 0x2e, 0x49, 0xb9, 0x30, 0x0c, 0x8f, 0xe9, 0x20, 0xcb, 0x73}

type testCA struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
	der  []byte
}

func newTestCA(t testing.TB) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "KeyDesk Test Attestation CA", Organization: []string{"KeyDesk"}, Country: []string{"CH"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{key: key, cert: cert, der: der}
}

// batchCert describes a batch (attestation) certificate; the zero value
// plus a key is one that meets §8.2.1.
type batchCert struct {
	ou        string // default "Authenticator Attestation"
	country   string // default "CH"
	isCA      bool
	noAAGUID  bool
	aaguid    *AAGUID // default testAAGUID
	aaguidRaw []byte  // extension value as is
	critical  bool
	notAfter  time.Time
}

func (ca *testCA) issue(t testing.TB, pub crypto.PublicKey, b batchCert) []byte {
	t.Helper()
	if b.ou == "" {
		b.ou = "Authenticator Attestation"
	}
	if b.country == "" {
		b.country = "CH"
	}
	if b.notAfter.IsZero() {
		b.notAfter = time.Now().Add(24 * time.Hour)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject: pkix.Name{
			CommonName: "KeyDesk Test Batch", Organization: []string{"KeyDesk"},
			OrganizationalUnit: []string{b.ou}, Country: []string{b.country},
		},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              b.notAfter,
		BasicConstraintsValid: true,
		IsCA:                  b.isCA,
	}
	if !b.noAAGUID {
		value := b.aaguidRaw
		if value == nil {
			a := testAAGUID
			if b.aaguid != nil {
				a = *b.aaguid
			}
			var err error
			if value, err = asn1.Marshal(a[:]); err != nil {
				t.Fatal(err)
			}
		}
		tmpl.ExtraExtensions = []pkix.Extension{{Id: oidFIDOGenCEAAGUID, Critical: b.critical, Value: value}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, pub, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// testCred is a credential key pair with its COSE form.
type testCred struct {
	signer crypto.Signer
	alg    COSEAlgorithmIdentifier
	cose   *COSEKey
	id     []byte
}

var testRSAKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func newTestCred(t testing.TB, alg COSEAlgorithmIdentifier) *testCred {
	t.Helper()
	var signer crypto.Signer
	var err error
	switch alg {
	case AlgES256:
		signer, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case AlgES384:
		signer, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case AlgES512:
		signer, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case AlgEdDSA, AlgEd25519:
		_, signer, err = ed25519.GenerateKey(rand.Reader)
	case AlgRS256, AlgPS256, AlgRS1:
		signer = testRSAKey()
	default:
		t.Fatalf("no test key for %v", alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	k, err := NewCOSEKey(signer.Public(), alg)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 32)
	rand.Read(id)
	return &testCred{signer: signer, alg: alg, cose: k, id: id}
}

// testSign signs data under a COSE algorithm.
func testSign(t testing.TB, signer crypto.Signer, alg COSEAlgorithmIdentifier, data []byte) []byte {
	t.Helper()
	info := coseAlgs[alg]
	var digest []byte
	var opts crypto.SignerOpts = crypto.Hash(0)
	if info.hash != 0 {
		h := info.hash.New()
		h.Write(data)
		digest, opts = h.Sum(nil), info.hash
	} else {
		digest = data
	}
	if info.pss {
		opts = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: info.hash}
	}
	sig, err := signer.Sign(rand.Reader, digest, opts)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

func testAuthData(t testing.TB, cred *testCred, aaguid AAGUID, ext *AuthenticatorExtensions) []byte {
	t.Helper()
	ad := &AuthenticatorData{
		RPIDHash:   sha256.Sum256([]byte("example.org")),
		Flags:      FlagUserPresent | FlagUserVerified,
		SignCount:  7,
		Extensions: ext,
	}
	if cred != nil {
		ad.AttestedCredentialData = &AttestedCredentialData{AAGUID: aaguid, CredentialID: cred.id, CredentialPublicKey: cred.cose.Raw}
	}
	raw, err := ad.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func testClientDataHash(challenge string) []byte {
	h := sha256.Sum256([]byte(`{"type":"webauthn.create","challenge":"` + challenge + `","origin":"https://example.org","crossOrigin":false}`))
	return h[:]
}

// packedFixture is a packed basic attestation made by a batch key certified
// by a test CA, and the pieces to vary it.
type packedFixture struct {
	ca       *testCA
	batchKey *ecdsa.PrivateKey
	batchDER []byte
	cred     *testCred
	authData []byte
	cdh      []byte
	sig      []byte
	attObj   []byte
}

func newPackedFixture(t testing.TB, b batchCert) *packedFixture {
	t.Helper()
	f := &packedFixture{ca: newTestCA(t), cred: newTestCred(t, AlgES256), cdh: testClientDataHash("packed")}
	var err error
	if f.batchKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	f.batchDER = f.ca.issue(t, &f.batchKey.PublicKey, b)
	f.authData = testAuthData(t, f.cred, testAAGUID, nil)
	f.sig = testSign(t, f.batchKey, AlgES256, slices.Concat(f.authData, f.cdh))
	f.attObj = f.marshal(t, &PackedAttestationStatement{Alg: AlgES256, Sig: f.sig, X5C: [][]byte{f.batchDER, f.ca.der}})
	return f
}

func (f *packedFixture) marshal(t testing.TB, stmt any) []byte {
	t.Helper()
	raw, err := MarshalAttestationObject(AttestationFormatPacked, stmt, f.authData)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// testSelfAttestation makes a packed self attestation with a credential of alg.
func testSelfAttestation(t testing.TB, alg COSEAlgorithmIdentifier) (attObj, cdh []byte) {
	t.Helper()
	cred := newTestCred(t, alg)
	authData := testAuthData(t, cred, AAGUID{}, nil)
	cdh = testClientDataHash("self")
	sig := testSign(t, cred.signer, alg, slices.Concat(authData, cdh))
	attObj, err := MarshalAttestationObject(AttestationFormatPacked, &PackedAttestationStatement{Alg: alg, Sig: sig}, authData)
	if err != nil {
		t.Fatal(err)
	}
	return attObj, cdh
}

// testU2FAttestation makes a fido-u2f attestation over the §8.6 construction.
func testU2FAttestation(t testing.TB) (attObj, cdh []byte, batchKey *ecdsa.PrivateKey, cred *testCred) {
	t.Helper()
	ca := newTestCA(t)
	batchKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cert := ca.issue(t, &batchKey.PublicKey, batchCert{noAAGUID: true})
	cred = newTestCred(t, AlgES256)
	authData := testAuthData(t, cred, AAGUID{}, nil)
	cdh = testClientDataHash("u2f")
	rpIDHash := sha256.Sum256([]byte("example.org"))
	signed := slices.Concat([]byte{0}, rpIDHash[:], cdh, cred.id, []byte{4}, cred.cose.X, cred.cose.Y)
	sig := testSign(t, batchKey, AlgES256, signed)
	attObj, err = MarshalAttestationObject(AttestationFormatFIDOU2F, &FIDOU2FAttestationStatement{Sig: sig, X5C: [][]byte{cert}}, authData)
	if err != nil {
		t.Fatal(err)
	}
	return attObj, cdh, batchKey, cred
}

func mustParseAttObj(t testing.TB, raw []byte) *AttestationObject {
	t.Helper()
	obj, err := ParseAttestationObject(raw)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return obj
}

func TestPackedBasic(t *testing.T) {
	f := newPackedFixture(t, batchCert{})
	obj := mustParseAttObj(t, f.attObj)
	if obj.Format != AttestationFormatPacked {
		t.Fatalf("format %q", obj.Format)
	}
	stmt := obj.Statement.(*PackedAttestationStatement)
	if stmt.Alg != AlgES256 || !bytes.Equal(stmt.Sig, f.sig) || len(stmt.X5C) != 2 {
		t.Errorf("statement = %+v", stmt)
	}
	v, err := obj.Verify(f.cdh)
	if err != nil {
		t.Fatal(err)
	}
	if v.Type != AttestationTypeBasic || !v.Verified || v.Algorithm != AlgES256 || len(v.Chain) != 2 {
		t.Errorf("verdict = %+v", v)
	}
	if v.CertificateAAGUID == nil || *v.CertificateAAGUID != testAAGUID {
		t.Errorf("certificate AAGUID = %v", v.CertificateAAGUID)
	}
	if v.Chain[0].Subject.CommonName != "KeyDesk Test Batch" || v.Chain[1].Subject.CommonName != "KeyDesk Test Attestation CA" {
		t.Errorf("chain subjects %v, %v", v.Chain[0].Subject, v.Chain[1].Subject)
	}
}

func TestPackedWithoutAAGUIDExtension(t *testing.T) {
	f := newPackedFixture(t, batchCert{noAAGUID: true})
	v, err := mustParseAttObj(t, f.attObj).Verify(f.cdh)
	if err != nil {
		t.Fatal(err)
	}
	if v.CertificateAAGUID != nil || !v.Verified {
		t.Errorf("verdict = %+v", v)
	}
}

func TestPackedRejects(t *testing.T) {
	other := AAGUID{1, 2, 3}
	badAAGUID, _ := asn1.Marshal([]byte{1, 2, 3})
	tests := []struct {
		name   string
		batch  batchCert
		mutate func(t *testing.T, f *packedFixture) ([]byte, []byte) // attObj, cdh
		reason string
	}{
		{name: "bad signature", mutate: func(t *testing.T, f *packedFixture) ([]byte, []byte) {
			sig := bytes.Clone(f.sig)
			sig[len(sig)-1] ^= 1
			return f.marshal(t, &PackedAttestationStatement{Alg: AlgES256, Sig: sig, X5C: [][]byte{f.batchDER}}), f.cdh
		}, reason: "signature does not verify"},
		{name: "other client data", mutate: func(t *testing.T, f *packedFixture) ([]byte, []byte) {
			return f.attObj, testClientDataHash("other")
		}, reason: "signature does not verify"},
		{name: "alg names another algorithm", mutate: func(t *testing.T, f *packedFixture) ([]byte, []byte) {
			return f.marshal(t, &PackedAttestationStatement{Alg: AlgES384, Sig: f.sig, X5C: [][]byte{f.batchDER}}), f.cdh
		}, reason: "key does not fit algorithm ES384"},
		{name: "aaguid extension differs", batch: batchCert{aaguid: &other}, reason: "aaguid extension does not match"},
		{name: "aaguid extension malformed", batch: batchCert{aaguidRaw: badAAGUID}, reason: "not a 16-byte octet string"},
		{name: "aaguid extension critical", batch: batchCert{critical: true}, reason: "aaguid extension is critical"},
		{name: "wrong OU", batch: batchCert{ou: "Authenticator"}, reason: "subject OU"},
		{name: "bad country", batch: batchCert{country: "Switzerland"}, reason: "subject C"},
		{name: "CA certificate", batch: batchCert{isCA: true}, reason: "basic constraints allow a CA"},
		{name: "expired", batch: batchCert{notAfter: time.Now().Add(-time.Minute)}, reason: "validity period"},
		{name: "chain not linked", mutate: func(t *testing.T, f *packedFixture) ([]byte, []byte) {
			stranger := newTestCA(t)
			return f.marshal(t, &PackedAttestationStatement{Alg: AlgES256, Sig: f.sig, X5C: [][]byte{f.batchDER, stranger.der}}), f.cdh
		}, reason: "not signed by the next in the chain"},
		{name: "malformed certificate", mutate: func(t *testing.T, f *packedFixture) ([]byte, []byte) {
			return f.marshal(t, &PackedAttestationStatement{Alg: AlgES256, Sig: f.sig, X5C: [][]byte{f.batchDER[:100]}}), f.cdh
		}, reason: "malformed certificate"},
		{name: "ecdaa", mutate: func(t *testing.T, f *packedFixture) ([]byte, []byte) {
			return f.marshal(t, &PackedAttestationStatement{Alg: AlgES256, Sig: f.sig, ECDAAKeyID: []byte{1}}), f.cdh
		}, reason: "ecdaa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newPackedFixture(t, tt.batch)
			attObj, cdh := f.attObj, f.cdh
			if tt.mutate != nil {
				attObj, cdh = tt.mutate(t, f)
			}
			obj, err := ParseAttestationObject(attObj)
			if err == nil {
				var v *AttestationVerdict
				v, err = obj.Verify(cdh)
				if v != nil && err != nil {
					t.Errorf("verdict %+v returned with error", v)
				}
			}
			if err == nil || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("err = %v, want one containing %q", err, tt.reason)
			}
			if err.Error() != strings.ToLower(err.Error()[:1])+err.Error()[1:] {
				t.Errorf("error %q starts with a capital", err)
			}
		})
	}
}

func TestPackedCertificateVersion(t *testing.T) {
	f := newPackedFixture(t, batchCert{})
	cert, err := x509.ParseCertificate(f.batchDER)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := checkPackedCertificate(cert, testAAGUID); err != nil {
		t.Fatalf("valid certificate: %v", err)
	}
	cert.Version = 1
	if _, err := checkPackedCertificate(cert, testAAGUID); err == nil || !strings.Contains(err.Error(), "version") {
		t.Fatalf("err = %v", err)
	}
}

func TestPackedSelf(t *testing.T) {
	for _, alg := range []COSEAlgorithmIdentifier{AlgES256, AlgES384, AlgES512, AlgEdDSA, AlgRS256, AlgPS256} {
		t.Run(AlgName(alg), func(t *testing.T) {
			attObj, cdh := testSelfAttestation(t, alg)
			obj := mustParseAttObj(t, attObj)
			v, err := obj.Verify(cdh)
			if err != nil {
				t.Fatal(err)
			}
			if v.Type != AttestationTypeSelf || !v.Verified || v.Algorithm != alg || v.Chain != nil {
				t.Errorf("verdict = %+v", v)
			}
			if _, err := obj.Verify(testClientDataHash("other")); !errors.Is(err, ErrSignatureMismatch) {
				t.Errorf("wrong client data: err = %v", err)
			}
		})
	}
	t.Run("alg differs from credential", func(t *testing.T) {
		cred := newTestCred(t, AlgES256)
		authData := testAuthData(t, cred, AAGUID{}, nil)
		cdh := testClientDataHash("self")
		sig := testSign(t, cred.signer, AlgES256, slices.Concat(authData, cdh))
		raw, _ := MarshalAttestationObject(AttestationFormatPacked, &PackedAttestationStatement{Alg: AlgES384, Sig: sig}, authData)
		if _, err := mustParseAttObj(t, raw).Verify(cdh); err == nil || !strings.Contains(err.Error(), "differs from the credential") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestFIDOU2F(t *testing.T) {
	attObj, cdh, batchKey, cred := testU2FAttestation(t)
	obj := mustParseAttObj(t, attObj)
	v, err := obj.Verify(cdh)
	if err != nil {
		t.Fatal(err)
	}
	if v.Format != AttestationFormatFIDOU2F || v.Type != AttestationTypeBasic || !v.Verified || len(v.Chain) != 1 {
		t.Errorf("verdict = %+v", v)
	}
	if _, err := obj.Verify(testClientDataHash("other")); !errors.Is(err, ErrSignatureMismatch) {
		t.Errorf("wrong client data: err = %v", err)
	}

	stmt := obj.Statement.(*FIDOU2FAttestationStatement)
	t.Run("signature over packed data", func(t *testing.T) {
		// A U2F key's signature over authData||clientDataHash (packed's
		// construction) must not pass as fido-u2f.
		sig := testSign(t, batchKey, AlgES256, slices.Concat(obj.AuthData.Raw, cdh))
		raw, _ := MarshalAttestationObject(AttestationFormatFIDOU2F, &FIDOU2FAttestationStatement{Sig: sig, X5C: stmt.X5C}, obj.AuthData.Raw)
		if _, err := mustParseAttObj(t, raw).Verify(cdh); !errors.Is(err, ErrSignatureMismatch) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("two certificates", func(t *testing.T) {
		raw, _ := MarshalAttestationObject(AttestationFormatFIDOU2F, &FIDOU2FAttestationStatement{Sig: stmt.Sig, X5C: [][]byte{stmt.X5C[0], stmt.X5C[0]}}, obj.AuthData.Raw)
		if _, err := ParseAttestationObject(raw); err == nil || !strings.Contains(err.Error(), "exactly one certificate") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("Ed25519 credential", func(t *testing.T) {
		ed := newTestCred(t, AlgEdDSA)
		authData := testAuthData(t, ed, AAGUID{}, nil)
		raw, _ := MarshalAttestationObject(AttestationFormatFIDOU2F, &FIDOU2FAttestationStatement{Sig: stmt.Sig, X5C: stmt.X5C}, authData)
		if _, err := mustParseAttObj(t, raw).Verify(cdh); err == nil || !strings.Contains(err.Error(), "not P-256") {
			t.Fatalf("err = %v", err)
		}
	})
	_ = cred
}

func TestNoneAndUnverifiedFormats(t *testing.T) {
	cred := newTestCred(t, AlgES256)
	authData := testAuthData(t, cred, AAGUID{}, nil)
	cdh := testClientDataHash("none")

	raw, err := MarshalAttestationObject(AttestationFormatNone, nil, authData)
	if err != nil {
		t.Fatal(err)
	}
	v, err := mustParseAttObj(t, raw).Verify(cdh)
	if err != nil || v.Type != AttestationTypeNone || v.Verified {
		t.Fatalf("none: %+v, %v", v, err)
	}

	raw, _ = MarshalAttestationObject(AttestationFormatNone, map[string]any{"sig": []byte{1}}, authData)
	if _, err := ParseAttestationObject(raw); err == nil || !strings.Contains(err.Error(), `unexpected member "sig"`) {
		t.Fatalf("none with a member: %v", err)
	}

	// An unknown format parses (the statement stays raw) and is reported
	// as not verified.
	raw, _ = MarshalAttestationObject("future-format", map[string]any{"x": 1}, authData)
	obj := mustParseAttObj(t, raw)
	if obj.Statement != nil || len(obj.AttStmt) == 0 {
		t.Fatalf("unknown format: statement %v", obj.Statement)
	}
	v, err = obj.Verify(cdh)
	if err != nil || v.Type != AttestationTypeUnknown || v.Verified {
		t.Fatalf("unknown format: %+v, %v", v, err)
	}

	// tpm and android-key are parsed, with their fields, and not verified.
	tpm := &TPMAttestationStatement{Ver: "2.0", Alg: AlgRS256, X5C: [][]byte{newTestCA(t).der}, Sig: []byte{1}, CertInfo: []byte{2}, PubArea: []byte{3}}
	raw, _ = MarshalAttestationObject(AttestationFormatTPM, tpm, authData)
	obj = mustParseAttObj(t, raw)
	if got := obj.Statement.(*TPMAttestationStatement); got.Ver != "2.0" || got.Alg != AlgRS256 || !bytes.Equal(got.PubArea, []byte{3}) {
		t.Errorf("tpm statement = %+v", got)
	}
	v, err = obj.Verify(cdh)
	if err != nil || v.Type != AttestationTypeUnknown || v.Verified || v.Algorithm != AlgRS256 || len(v.Chain) != 1 {
		t.Fatalf("tpm: %+v, %v", v, err)
	}
	tpm.Ver = "1.2"
	raw, _ = MarshalAttestationObject(AttestationFormatTPM, tpm, authData)
	if _, err := ParseAttestationObject(raw); err == nil {
		t.Fatal("tpm ver 1.2 accepted")
	}
	raw, _ = MarshalAttestationObject(AttestationFormatAndroidSafetyNet, &AndroidSafetyNetAttestationStatement{Ver: "1", Response: []byte("a.b.c")}, authData)
	if got := mustParseAttObj(t, raw).Statement.(*AndroidSafetyNetAttestationStatement); got.Ver != "1" {
		t.Errorf("safetynet statement = %+v", got)
	}
}

func TestAttestationFormatTable(t *testing.T) {
	got := KnownAttestationFormats()
	want := []AttestationFormat{"android-key", "android-safetynet", "apple", "fido-u2f", "none", "packed", "tpm"}
	if !slices.Equal(got, want) {
		t.Errorf("formats = %v, want %v", got, want)
	}
}

func TestParseAttestationObjectRejects(t *testing.T) {
	cred := newTestCred(t, AlgES256)
	authData := testAuthData(t, cred, AAGUID{}, nil)
	valid, _ := MarshalAttestationObject(AttestationFormatNone, nil, authData)
	noAT := testAuthData(t, nil, AAGUID{}, nil)
	enc := func(v any) []byte {
		b, err := EncodeCBOR(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// a3 63 "fmt" 64 "none" 67 "attStmt" a0 68 "authData" 58 len …: build a
	// copy with "fmt" twice by hand.
	dupFmt := slices.Concat([]byte{0xa4}, valid[1:], enc("fmt"), enc("none"))
	indef := slices.Concat([]byte{0xbf}, valid[1:], []byte{0xff})
	tagged := slices.Concat([]byte{0xd8, 0x18}, valid) // tag 24 around the map

	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"empty", nil, "no cbor data"},
		{"trailing bytes", slices.Concat(valid, []byte{0}), "trailing bytes"},
		{"duplicate map key", dupFmt, "duplicate map key"},
		{"indefinite length", indef, "indefinite-length item"},
		{"tag", tagged, "cbor tag not allowed"},
		{"not a map", enc([]int{1}), "unexpected cbor type"},
		{"unknown member", enc(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": authData, "x": 1}), `unexpected member "x"`},
		{"missing fmt", enc(map[string]any{"attStmt": map[string]any{}, "authData": authData}), "missing fmt"},
		{"fmt not text", enc(map[string]any{"fmt": 1, "attStmt": map[string]any{}, "authData": authData}), "fmt: unexpected cbor type"},
		{"fmt null", enc(map[string]any{"fmt": nil, "attStmt": map[string]any{}, "authData": authData}), "fmt: null value"},
		{"missing attStmt", enc(map[string]any{"fmt": "none", "authData": authData}), "missing attStmt"},
		{"authData not bytes", enc(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": "x"}), "authData: unexpected cbor type"},
		{"no attested credential data", enc(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": noAT}), "no attested credential data"},
		{"statement not a map", enc(map[string]any{"fmt": "packed", "attStmt": []int{1}, "authData": authData}), "attestation statement (packed)"},
		{"packed without sig", enc(map[string]any{"fmt": "packed", "attStmt": map[string]any{"alg": -7}, "authData": authData}), "missing sig"},
		{"packed empty x5c", enc(map[string]any{"fmt": "packed", "attStmt": map[string]any{"alg": -7, "sig": []byte{1}, "x5c": [][]byte{}}, "authData": authData}), "empty certificate chain"},
		{"packed alg as text", enc(map[string]any{"fmt": "packed", "attStmt": map[string]any{"alg": "ES256", "sig": []byte{1}}, "authData": authData}), "alg: unexpected cbor type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj, err := ParseAttestationObject(tt.data)
			if obj != nil {
				t.Errorf("partial result %+v", obj)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("err = %v, want a ParseError containing %q", err, tt.reason)
			}
		})
	}

	// Every proper prefix of a valid object is an error, never a panic.
	f := newPackedFixture(t, batchCert{})
	for i := range len(f.attObj) {
		if obj, err := ParseAttestationObject(f.attObj[:i]); err == nil || obj != nil {
			t.Fatalf("prefix of %d bytes: %v, %v", i, obj, err)
		}
	}
}

func TestVerifyRejectsShortClientDataHash(t *testing.T) {
	f := newPackedFixture(t, batchCert{})
	if _, err := mustParseAttObj(t, f.attObj).Verify(f.cdh[:31]); err == nil {
		t.Fatal("31-byte client data hash accepted")
	}
}

func TestParseErrorsDoNotQuoteInput(t *testing.T) {
	// A challenge-like secret inside a malformed object must not reach the
	// error message, whatever goes wrong around it.
	secret := "c2VjcmV0LWNoYWxsZW5nZQ"
	inputs := [][]byte{}
	enc := func(v any) []byte { b, _ := EncodeCBOR(v); return b }
	inputs = append(inputs,
		enc(map[string]any{secret: 1}),
		enc(map[string]any{"fmt": secret, "attStmt": secret, "authData": []byte(secret)}),
		slices.Concat([]byte{0xa1}, enc([]byte(secret)), enc(1)),
		slices.Concat([]byte{0xa2}, enc(secret), enc(1), enc(secret), enc(2)), // duplicate key
	)
	for _, in := range inputs {
		_, err := ParseAttestationObject(in)
		if err == nil {
			t.Fatalf("accepted %x", in)
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), secret[:16]) {
			t.Errorf("error quotes the input: %v", err)
		}
	}
}
