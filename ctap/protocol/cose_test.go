package protocol

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestAlgName(t *testing.T) {
	for alg, want := range map[COSEAlgorithmIdentifier]string{
		-7: "ES256", -8: "EdDSA", -35: "ES384", -36: "ES512", -257: "RS256", -37: "PS256",
		-65535: "RS1", -25: "ECDH-ES+HKDF-256", -19: "Ed25519", -9999: "COSE algorithm -9999",
	} {
		if got := AlgName(alg); got != want {
			t.Errorf("AlgName(%d) = %q, want %q", alg, got, want)
		}
	}
}

func TestCOSEKeyRoundTrip(t *testing.T) {
	for _, alg := range []COSEAlgorithmIdentifier{AlgES256, AlgES384, AlgES512, AlgEdDSA, AlgEd25519, AlgRS256, AlgPS256, AlgRS1} {
		t.Run(AlgName(alg), func(t *testing.T) {
			cred := newTestCred(t, alg)
			k, err := ParseCOSEKey(cred.cose.Raw)
			if err != nil {
				t.Fatal(err)
			}
			if k.Algorithm != alg || k.KeyType != cred.cose.KeyType || !bytes.Equal(k.Raw, cred.cose.Raw) {
				t.Errorf("parsed %+v", k)
			}
			pub, err := k.PublicKey()
			if err != nil {
				t.Fatal(err)
			}
			if !pub.(interface{ Equal(x crypto.PublicKey) bool }).Equal(cred.signer.Public()) {
				t.Error("public key differs")
			}
			data := []byte("authenticator data || client data hash")
			sig := testSign(t, cred.signer, alg, data)
			if err := VerifySignature(alg, pub, data, sig); err != nil {
				t.Errorf("verify: %v", err)
			}
			sig[len(sig)/2] ^= 0x40
			if err := VerifySignature(alg, pub, data, sig); !errors.Is(err, ErrSignatureMismatch) {
				t.Errorf("tampered signature: %v", err)
			}
		})
	}
}

func TestCOSEKeyCanonicalEncoding(t *testing.T) {
	// A P-256 key as authenticators send it: kty 2, alg -7, crv 1, x, y,
	// in that order.
	k := newTestCred(t, AlgES256).cose
	want := slices.Concat([]byte{0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20}, k.X, []byte{0x22, 0x58, 0x20}, k.Y)
	if !bytes.Equal(k.Raw, want) {
		t.Errorf("encoding\n%x\nwant\n%x", k.Raw, want)
	}
}

func TestParseCOSEKeyRejects(t *testing.T) {
	ec := newTestCred(t, AlgES256).cose
	enc := func(m map[int64]any) []byte {
		b, err := EncodeCBOR(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ec2 := func(edit func(m map[int64]any)) []byte {
		m := map[int64]any{1: 2, 3: -7, -1: 1, -2: ec.X, -3: ec.Y}
		edit(m)
		return enc(m)
	}
	offCurve := bytes.Clone(ec.Y)
	offCurve[31] ^= 1
	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"point not on curve", ec2(func(m map[int64]any) { m[-3] = offCurve }), "point is not on the curve"},
		{"point at zero", ec2(func(m map[int64]any) { m[-2], m[-3] = make([]byte, 32), make([]byte, 32) }), "point is not on the curve"},
		{"short x", ec2(func(m map[int64]any) { m[-2] = ec.X[1:] }), "wrong coordinate length"},
		{"ES256 on P-384", ec2(func(m map[int64]any) { m[-1] = 2 }), "does not fit curve"},
		{"compressed point", ec2(func(m map[int64]any) { m[-3] = true }), "compressed or missing"},
		{"private key", ec2(func(m map[int64]any) { m[-4] = []byte{1} }), "private key parameter present"},
		{"unknown parameter", ec2(func(m map[int64]any) { m[-7] = 1 }), "unexpected parameter -7"},
		{"missing alg", ec2(func(m map[int64]any) { delete(m, 3) }), "missing alg"},
		{"missing kty", ec2(func(m map[int64]any) { delete(m, 1) }), "missing kty"},
		{"null alg", ec2(func(m map[int64]any) { m[3] = nil }), "alg: null value"},
		{"alg fits another key type", ec2(func(m map[int64]any) { m[3] = -8 }), "does not fit key type"},
		{"unknown curve", ec2(func(m map[int64]any) { m[3] = -47; m[-1] = 8 }), "unsupported EC2 curve"},
		{"Ed25519 key too short", enc(map[int64]any{1: 1, 3: -8, -1: 6, -2: make([]byte, 31)}), "wrong Ed25519 key length"},
		{"X25519 key", enc(map[int64]any{1: 1, 3: -8, -1: 4, -2: make([]byte, 32)}), "unsupported OKP curve"},
		{"rsa short modulus", enc(map[int64]any{1: 3, 3: -257, -1: bytes.Repeat([]byte{0xff}, 64), -2: []byte{1, 0, 1}}), "modulus size"},
		{"rsa even exponent", enc(map[int64]any{1: 3, 3: -257, -1: bytes.Repeat([]byte{0xff}, 256), -2: []byte{2}}), "invalid rsa exponent"},
		{"rsa private exponent", enc(map[int64]any{1: 3, 3: -257, -1: bytes.Repeat([]byte{0xff}, 256), -2: []byte{1, 0, 1}, -3: []byte{1}}), "private key parameter present"},
		{"trailing bytes", slices.Concat(ec.Raw, []byte{0}), "trailing bytes"},
		{"text label", slices.Concat([]byte{0xa1, 0x63}, []byte("kty"), []byte{0x02}), "unexpected cbor type"},
		{"not a map", []byte{0x80}, "unexpected cbor type"},
		{"null", []byte{0xf6}, "not a map"},
		{"duplicate label", slices.Concat([]byte{0xa6}, ec.Raw[1:], []byte{0x01, 0x02}), "duplicate map key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseCOSEKey(tt.data)
			if k != nil {
				t.Errorf("partial result %+v", k)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("err = %v, want a ParseError containing %q", err, tt.reason)
			}
		})
	}
}

func TestCOSEKeyUnknownType(t *testing.T) {
	// ML-DSA's AKP key type: parsed (so the authenticator data around it
	// is readable), not usable.
	raw, _ := EncodeCBOR(map[int64]any{1: 7, 3: -48, -1: []byte{1, 2, 3}})
	k, err := ParseCOSEKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	if k.KeyType != 7 || AlgName(k.Algorithm) != "COSE algorithm -48" {
		t.Errorf("parsed %+v", k)
	}
	if _, err := k.PublicKey(); err == nil {
		t.Error("PublicKey of an unknown key type succeeded")
	}
}

func TestNewCOSEKeyMismatch(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	for name, c := range map[string]struct {
		pub any
		alg COSEAlgorithmIdentifier
	}{
		"P-256 as ES384":   {&p256.PublicKey, AlgES384},
		"P-256 as EdDSA":   {&p256.PublicKey, AlgEdDSA},
		"Ed25519 as ES256": {edPub, AlgES256},
		"unknown alg":      {&p256.PublicKey, -9999},
		"rsa as PS256 ok":  {&testRSAKey().PublicKey, AlgPS256},
	} {
		_, err := NewCOSEKey(c.pub, c.alg)
		if (err == nil) != strings.HasSuffix(name, " ok") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	// The ECDH key agreement key of clientPIN encodes like a P-256 key.
	k, err := NewCOSEKey(&p256.PublicKey, AlgECDHESHKDF256)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseCOSEKey(k.Raw); err != nil {
		t.Fatal(err)
	}
	if err := VerifySignature(AlgECDHESHKDF256, &p256.PublicKey, nil, nil); err == nil {
		t.Error("ECDH-ES+HKDF-256 accepted as a signature algorithm")
	}
}

func TestVerifySignatureKeyMismatch(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	data := []byte("data")
	sig := testSign(t, p256, AlgES256, data)
	for name, c := range map[string]struct {
		alg COSEAlgorithmIdentifier
		pub any
	}{
		"ES384 with a P-256 key":     {AlgES384, &p256.PublicKey},
		"RS256 with an EC key":       {AlgRS256, &p256.PublicKey},
		"EdDSA with an EC key":       {AlgEdDSA, &p256.PublicKey},
		"ES256 with an RSA key":      {AlgES256, &testRSAKey().PublicKey},
		"ES256 with nil":             {AlgES256, nil},
		"ES256 with *rsa.PrivateKey": {AlgES256, (*rsa.PrivateKey)(nil)},
	} {
		err := VerifySignature(c.alg, c.pub, data, sig)
		var ve *VerificationError
		if !errors.As(err, &ve) || errors.Is(err, ErrSignatureMismatch) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func FuzzParseCOSEKey(f *testing.F) {
	for _, alg := range []COSEAlgorithmIdentifier{AlgES256, AlgES384, AlgES512, AlgEdDSA, AlgRS256} {
		f.Add(newTestCred(f, alg).cose.Raw)
	}
	raw, _ := EncodeCBOR(map[int64]any{1: 7, 3: -48, -1: []byte{1, 2, 3}})
	f.Add(raw)
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := ParseCOSEKey(data)
		if err != nil {
			if k != nil {
				t.Fatalf("partial result with error %v", err)
			}
			return
		}
		if !bytes.Equal(k.Raw, data) {
			t.Fatal("Raw differs from the input")
		}
		switch k.KeyType {
		case KeyTypeEC2, KeyTypeOKP, KeyTypeRSA:
		default:
			return
		}
		// A key that parsed is usable and survives re-encoding.
		if _, err := k.PublicKey(); err != nil {
			t.Fatalf("parsed key unusable: %v", err)
		}
		enc, err := k.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		k2, err := ParseCOSEKey(enc)
		if err != nil {
			t.Fatalf("re-encoded key rejected: %v", err)
		}
		if k2.KeyType != k.KeyType || k2.Algorithm != k.Algorithm || k2.Curve != k.Curve || !bytes.Equal(k2.X, k.X) || !bytes.Equal(k2.Y, k.Y) || !bytes.Equal(k2.N, k.N) || !bytes.Equal(k2.E, k.E) {
			t.Fatal("re-encoded key differs")
		}
	})
}
