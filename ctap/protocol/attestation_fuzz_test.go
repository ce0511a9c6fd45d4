package protocol

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func FuzzParseAttestationObject(f *testing.F) {
	for _, v := range loadSpecVectors(f) {
		raw, _, _ := v.decode(f)
		f.Add(raw)
	}
	f.Add(newPackedFixture(f, batchCert{}).attObj)
	self, _ := testSelfAttestation(f, AlgES256)
	f.Add(self)
	u2f, _, _, _ := testU2FAttestation(f)
	f.Add(u2f)
	cdh := testClientDataHash("fuzz")
	f.Fuzz(func(t *testing.T, data []byte) {
		obj, err := ParseAttestationObject(data)
		if err != nil {
			if obj != nil {
				t.Fatalf("partial result with error %v", err)
			}
			return
		}
		if obj.AuthData == nil || obj.AuthData.AttestedCredentialData == nil {
			t.Fatal("parsed object without attested credential data")
		}
		if _, known := attestationFormats[obj.Format]; known != (obj.Statement != nil) {
			t.Fatalf("format %q: statement %T", obj.Format, obj.Statement)
		}
		v, err := obj.Verify(cdh)
		if (v == nil) == (err == nil) {
			t.Fatalf("Verify returned verdict %v and error %v", v, err)
		}
		// What parsed re-encodes (canonically) and parses again.
		re, err := MarshalAttestationObject(obj.Format, obj.AttStmt, obj.AuthData.Raw)
		if err != nil {
			t.Fatal(err)
		}
		if obj2, err := ParseAttestationObject(re); err != nil || obj2.Format != obj.Format {
			t.Fatalf("re-encoded object: %v", err)
		}
	})
}

// TestWriteFuzzSeeds writes the committed seed corpora under
// testdata/fuzz/ from the WebAuthn L3 vectors. It runs only with
// UPDATE_FUZZ_SEEDS=1; otherwise it checks that every committed seed is
// there and up to date. go test reads the files for every Fuzz target.
func TestWriteFuzzSeeds(t *testing.T) {
	update := os.Getenv("UPDATE_FUZZ_SEEDS") != ""
	write := func(target, name string, data []byte) {
		dir := filepath.Join("testdata", "fuzz", target)
		body := "go test fuzz v1\n[]byte(" + strconv.Quote(string(data)) + ")\n"
		if !update {
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil || string(got) != body {
				t.Errorf("seed %s/%s missing or stale (err %v): regenerate with UPDATE_FUZZ_SEEDS=1", target, name, err)
			}
			return
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range loadSpecVectors(t) {
		raw, _, _ := v.decode(t)
		write("FuzzParseAttestationObject", v.Name, raw)
		write("FuzzDecodeCBOR", v.Name, raw)
		obj := mustParseAttObj(t, raw)
		write("FuzzParseAuthenticatorData", v.Name, obj.AuthData.Raw)
		write("FuzzParseCOSEKey", v.Name, obj.AuthData.AttestedCredentialData.CredentialPublicKey)
	}
	// Hand-made edge cases.
	write("FuzzDecodeCBOR", "duplicate-key", []byte{0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02})
	write("FuzzDecodeCBOR", "indefinite-map", []byte{0xbf, 0x61, 0x61, 0x01, 0xff})
	write("FuzzDecodeCBOR", "tag", []byte{0xd8, 0x18, 0x41, 0x00})
	write("FuzzParseAuthenticatorData", "at-flag-no-data", append(make([]byte, 32), 0x41, 0, 0, 0, 1))
	write("FuzzParseAuthenticatorData", "ed-flag-extensions", append(append(make([]byte, 32), 0x81, 0, 0, 0, 1), 0xa1, 0x6b, 'c', 'r', 'e', 'd', 'P', 'r', 'o', 't', 'e', 'c', 't', 0x02))
}
