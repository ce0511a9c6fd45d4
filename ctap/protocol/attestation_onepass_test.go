package protocol

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"
)

// The attestation object, the packed statement and EC2/OKP COSE keys are
// decoded in one pass of the decoder into a struct when they are plainly
// valid, and member by member otherwise (the member-by-member parse is the
// one that names what is wrong). These tests hold the one-pass decodes to
// the promise that keeps that honest: whatever a one-pass decode accepts,
// the member-by-member parse accepts with the same result.

// checkOnePass compares the one-pass decodes with the member-by-member
// parses on data taken as an attestation object, as a packed statement and
// as a COSE key, and on the statement and key inside it when it is an
// attestation object.
func checkOnePass(t *testing.T, data []byte) {
	t.Helper()
	if w, ok := decodeAttObjOnePass(data); ok {
		slow, err := decodeAttObjMembers(data)
		if err != nil {
			t.Fatalf("attestation object: one pass accepted, member by member: %v", err)
		}
		if w.Fmt != slow.Fmt || !bytes.Equal(w.AuthData, slow.AuthData) || !bytes.Equal(w.AttStmt, slow.AttStmt) {
			t.Fatalf("attestation object: one pass %+v, member by member %+v", w, slow)
		}
	}
	checkPackedOnePass(t, data)
	checkCOSEKeyOnePass(t, data)

	w, err := decodeAttObjMembers(data)
	if err != nil {
		return
	}
	if w.AttStmt != nil {
		checkPackedOnePass(t, w.AttStmt)
	}
	if ad := w.AuthData; len(ad) >= authDataMinLength+18 && AuthenticatorFlags(ad[32]).AttestedCredentialData() {
		if off := authDataMinLength + 18 + int(binary.BigEndian.Uint16(ad[authDataMinLength+16:])); off < len(ad) {
			checkCOSEKeyOnePass(t, ad[off:])
		}
	}
}

func checkPackedOnePass(t *testing.T, raw []byte) {
	t.Helper()
	s, ok := decodePackedOnePass(raw)
	if !ok {
		return
	}
	slow, err := parsePackedMembers(raw)
	if err != nil {
		t.Fatalf("packed statement: one pass accepted, member by member: %v", err)
	}
	if !reflect.DeepEqual(s, slow) {
		t.Fatalf("packed statement: one pass %+v, member by member %+v", s, slow)
	}
}

func checkCOSEKeyOnePass(t *testing.T, data []byte) {
	t.Helper()
	k, n, ok := decodeCOSEKeyOnePass(data)
	if !ok {
		return
	}
	slow, slowN, err := parseCOSEKeyMembers(data)
	if err != nil {
		t.Fatalf("COSE key: one pass accepted, parameter by parameter: %v", err)
	}
	if n != slowN || !reflect.DeepEqual(k, slow) {
		t.Fatalf("COSE key: one pass %+v (%d bytes), parameter by parameter %+v (%d bytes)", k, n, slow, slowN)
	}
}

// onePassSeeds are the vectors and fixtures, and variations of them around
// what the one-pass decodes must leave to the member-by-member parse.
func onePassSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	for _, v := range loadSpecVectors(t) {
		raw, _, _ := v.decode(t)
		seeds = append(seeds, raw)
	}
	packed := newPackedFixture(t, batchCert{})
	self, _ := testSelfAttestation(t, AlgES256)
	u2f, _, _, _ := testU2FAttestation(t)
	seeds = append(seeds, packed.attObj, self, u2f)

	enc := func(v any) []byte {
		b, err := EncodeCBOR(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	obj := mustParseAttObj(t, packed.attObj)
	authData := obj.AuthData.Raw
	stmt := obj.Statement.(*PackedAttestationStatement)
	key := obj.AuthData.AttestedCredentialData.CredentialPublicKey
	attObj := func(m map[string]any) []byte {
		out := map[string]any{"fmt": "packed", "attStmt": obj.AttStmt, "authData": authData}
		for k, v := range m {
			if v == "-" {
				delete(out, k)
			} else {
				out[k] = v
			}
		}
		return enc(out)
	}
	packedStmt := func(m map[string]any) []byte {
		out := map[string]any{"alg": int64(stmt.Alg), "sig": stmt.Sig, "x5c": stmt.X5C}
		for k, v := range m {
			if v == "-" {
				delete(out, k)
			} else {
				out[k] = v
			}
		}
		return enc(out)
	}
	var keyMap map[int64]cbor.RawMessage
	if err := DecodeCBOR(key, &keyMap); err != nil {
		t.Fatal(err)
	}
	coseKey := func(m map[any]any) []byte {
		out := map[any]any{}
		for k, v := range keyMap {
			out[k] = v
		}
		for k, v := range m {
			if v == "-" {
				delete(out, k)
			} else {
				out[k] = v
			}
		}
		return enc(out)
	}
	null := cbor.RawMessage{0xf6}
	seeds = append(seeds,
		attObj(map[string]any{"fmt": "-", "FMT": "packed"}),
		attObj(map[string]any{"authData": "-", "AuthData": authData}),
		attObj(map[string]any{"x": 1}),
		attObj(map[string]any{"fmt": null}),
		attObj(map[string]any{"fmt": ""}),
		attObj(map[string]any{"fmt": strings.Repeat("p", 33)}),
		attObj(map[string]any{"authData": null}),
		attObj(map[string]any{"authData": []byte{}}),
		attObj(map[string]any{"attStmt": null}),
		attObj(map[string]any{"attStmt": "-"}),
		attObj(map[string]any{"attStmt": "-", "x": 1}),
		enc(map[any]any{"fmt": "packed", "attStmt": obj.AttStmt, "authData": authData, 1: 1}),
		append(bytes.Clone(packed.attObj), 0),
		packedStmt(map[string]any{"alg": "-", "ALG": int64(stmt.Alg)}),
		packedStmt(map[string]any{"alg": null}),
		packedStmt(map[string]any{"alg": int64(0)}),
		packedStmt(map[string]any{"sig": null}),
		packedStmt(map[string]any{"sig": []byte{}}),
		packedStmt(map[string]any{"x5c": null}),
		packedStmt(map[string]any{"x5c": [][]byte{}}),
		packedStmt(map[string]any{"x5c": [][]byte{stmt.X5C[0], {}}}),
		packedStmt(map[string]any{"x5c": []any{stmt.X5C[0], nil}}),
		packedStmt(map[string]any{"x5c": "-"}),
		packedStmt(map[string]any{"ecdaaKeyId": []byte{1}}),
		packedStmt(map[string]any{"ecdaaKeyId": null}),
		packedStmt(map[string]any{"extra": 1}),
		coseKey(map[any]any{int64(1): "-", "1": int64(2)}),
		coseKey(map[any]any{int64(2): []byte("kid")}),
		coseKey(map[any]any{int64(4): []int{1}}),
		coseKey(map[any]any{int64(-4): []byte{1}}),
		coseKey(map[any]any{int64(-3): null}),
		coseKey(map[any]any{int64(-3): "-"}),
		coseKey(map[any]any{int64(-1): null}),
		coseKey(map[any]any{int64(-1): int64(2)}),
		coseKey(map[any]any{int64(3): int64(-35)}),
		coseKey(map[any]any{int64(3): int64(-999)}),
		coseKey(map[any]any{int64(1): int64(1)}),
		coseKey(map[any]any{int64(1): int64(99)}),
		coseKey(map[any]any{int64(7): int64(1)}),
		append(bytes.Clone(key), 0xa0),
	)
	for _, alg := range []COSEAlgorithmIdentifier{AlgEdDSA, AlgES384, AlgES512, AlgRS256} {
		seeds = append(seeds, newTestCred(t, alg).cose.Raw)
	}
	return seeds
}

func TestOnePassAgreesWithMemberByMember(t *testing.T) {
	for _, data := range onePassSeeds(t) {
		checkOnePass(t, data)
	}
}

// TestOnePassTaken checks that what the packed benchmark parses does go
// the one-pass way, and that what it must not take does not.
func TestOnePassTaken(t *testing.T) {
	var attObj []byte
	for _, v := range loadSpecVectors(t) {
		if v.Name == "packed-es256" {
			attObj, _, _ = v.decode(t)
		}
	}
	w, ok := decodeAttObjOnePass(attObj)
	if !ok {
		t.Fatal("attestation object not decoded in one pass")
	}
	if _, ok := decodePackedOnePass(w.AttStmt); !ok {
		t.Error("packed statement not decoded in one pass")
	}
	obj := mustParseAttObj(t, attObj)
	if _, _, ok := decodeCOSEKeyOnePass(obj.AuthData.AttestedCredentialData.CredentialPublicKey); !ok {
		t.Error("credential public key not decoded in one pass")
	}

	enc := func(v any) []byte {
		b, err := EncodeCBOR(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	upper := enc(map[string]any{"FMT": "packed", "attStmt": obj.AttStmt, "authData": obj.AuthData.Raw})
	if _, ok := decodeAttObjOnePass(upper); ok {
		t.Error(`"FMT" decoded as fmt`)
	}
	if _, err := ParseAttestationObject(upper); err == nil || !strings.Contains(err.Error(), `unexpected member "FMT"`) {
		t.Errorf(`"FMT": %v`, err)
	}
	if _, ok := decodeAttObjOnePass(enc(map[any]any{"fmt": "packed", "attStmt": obj.AttStmt, "authData": obj.AuthData.Raw, 1: 1})); ok {
		t.Error("integer member skipped")
	}
}

// TestParseAttestationObjectDoesNotAlias checks that the parsed object
// keeps nothing of the caller's buffer: the decodes alias their input
// where they can.
func TestParseAttestationObjectDoesNotAlias(t *testing.T) {
	for _, v := range loadSpecVectors(t) {
		raw, cdh, _ := v.decode(t)
		buf := bytes.Clone(raw)
		obj, err := ParseAttestationObject(buf)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		for i := range buf {
			buf[i] = 0xff
		}
		want := mustParseAttObj(t, raw)
		if !reflect.DeepEqual(obj, want) {
			t.Errorf("%s: parsed object changed with the input buffer", v.Name)
		}
		if !bytes.Equal(dumpAttestation(t, obj, cdh), dumpAttestation(t, want, cdh)) {
			t.Errorf("%s: verdict changed with the input buffer", v.Name)
		}
	}
}

func FuzzOnePassDecodes(f *testing.F) {
	for _, s := range onePassSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(checkOnePass)
}

// TestMembersOnlySameResult: with the one-pass decodes turned off (the
// seam BenchmarkOnePassParseBaseline uses), ParseAttestationObject returns
// the same object, or an error, for every seed. (Which unexpected member an
// error names depends on map order, so only its presence is compared.)
func TestMembersOnlySameResult(t *testing.T) {
	for i, seed := range onePassSeeds(t) {
		fast, fastErr := ParseAttestationObject(seed)
		testOnlyMembersOnly = true
		slow, slowErr := ParseAttestationObject(seed)
		testOnlyMembersOnly = false
		if (fastErr == nil) != (slowErr == nil) || !reflect.DeepEqual(fast, slow) {
			t.Errorf("seed %d: one pass %+v, %v; member by member %+v, %v", i, fast, fastErr, slow, slowErr)
		}
	}
}
