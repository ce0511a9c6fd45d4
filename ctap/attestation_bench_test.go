package ctap

import (
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
)

// benchPacked is the input of both packed benchmarks: the WebAuthn L3
// §16.7 packed ES256 vector (x5c with one certificate), so that the ratio
// of the two compares the same work.
func benchPacked(b *testing.B) (attObj, cdh []byte) {
	for _, v := range loadSpecVectors(b) {
		if v.Name == "packed-es256" {
			attObj, cdh, _ = v.decode(b)
			return attObj, cdh
		}
	}
	b.Fatal("packed-es256 vector missing")
	return nil, nil
}

// BenchmarkParseVerifyPacked is KeyDesk's parse and verification of a
// packed attestation object.
func BenchmarkParseVerifyPacked(b *testing.B) {
	attObj, cdh := benchPacked(b)
	b.ReportAllocs()
	for b.Loop() {
		obj, err := ParseAttestationObject(attObj)
		if err != nil {
			b.Fatal(err)
		}
		if v, err := obj.Verify(cdh); err != nil || !v.Verified {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseVerifyPackedBaseline is go-webauthn's parse (attestation
// object and authenticator data) and attestation verification of the same
// object, without metadata: the baseline .ci/benchratio compares
// BenchmarkParseVerifyPacked with.
func BenchmarkParseVerifyPackedBaseline(b *testing.B) {
	attObj, cdh := benchPacked(b)
	b.ReportAllocs()
	for b.Loop() {
		att, err := goWebauthnParse(attObj)
		if err != nil {
			b.Fatal(err)
		}
		if err := att.VerifyAttestation(cdh, nil, protocol.AttestationPolicy{}, protocol.SignaturePolicy{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseAuthenticatorData is the parse of an assertion-sized and
// a registration-sized authenticator data.
func BenchmarkParseAuthenticatorData(b *testing.B) {
	attObj, _ := benchPacked(b)
	obj, err := ParseAttestationObject(attObj)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("registration", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseAuthenticatorData(obj.AuthData.Raw); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("assertion", func(b *testing.B) {
		raw := obj.AuthData.Raw[:37:37]
		raw = append(raw[:32:32], byte(FlagUserPresent), 0, 0, 0, 1)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseAuthenticatorData(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
}
