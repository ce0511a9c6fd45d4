package protocol

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
//
// Both sides do the same verification work on this vector: parse the x5c
// certificate, check its validity period, verify the ES256 signature over
// authData || clientDataHash, and check the §8.2.1 certificate
// requirements (version, subject C/O/OU/CN, not a CA, id-fido-gen-ce-aaguid
// not critical and equal to the authenticator data's AAGUID). Both decode
// with duplicate keys, indefinite lengths, tags and trailing bytes
// rejected and depth bounded. What KeyDesk does on top, and go-webauthn's
// timing does not include: it checks that the credential public key is a
// valid COSE key with its point on the curve (go-webauthn decodes it
// generically and re-encodes it), rejects unknown members of the
// attestation object and statement, bounds array and map sizes, and
// verifies each certificate of a longer x5c against the next (this vector
// has one certificate, so that costs nothing here).
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

// benchParseVerify parses and verifies the packed vector, with the
// one-pass decodes (the product) or, membersOnly, with the
// member-by-member parses alone.
func benchParseVerify(b *testing.B, membersOnly, verify bool) {
	attObj, cdh := benchPacked(b)
	old := testOnlyMembersOnly
	testOnlyMembersOnly = membersOnly
	b.Cleanup(func() { testOnlyMembersOnly = old })
	b.ReportAllocs()
	for b.Loop() {
		obj, err := ParseAttestationObject(attObj)
		if err != nil {
			b.Fatal(err)
		}
		if !verify {
			continue
		}
		if v, err := obj.Verify(cdh); err != nil || !v.Verified {
			b.Fatal(err)
		}
	}
}

// BenchmarkOnePassParse parses the packed vector (attestation object,
// statement, authenticator data, COSE key) as the product does, with the
// one-pass decodes; BenchmarkOnePassParseBaseline parses it member by
// member only. Their ratio in one run is what the one-pass decodes save.
func BenchmarkOnePassParse(b *testing.B)         { benchParseVerify(b, false, false) }
func BenchmarkOnePassParseBaseline(b *testing.B) { benchParseVerify(b, true, false) }

// BenchmarkOnePassParseVerify and its baseline are the same with the
// verification, the work BenchmarkParseVerifyPacked compares with
// go-webauthn.
func BenchmarkOnePassParseVerify(b *testing.B)         { benchParseVerify(b, false, true) }
func BenchmarkOnePassParseVerifyBaseline(b *testing.B) { benchParseVerify(b, true, true) }
