package protocol

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseAuthenticatorDataFields(t *testing.T) {
	cred := newTestCred(t, AlgES256)
	ext, err := NewAuthenticatorExtensions(map[string]any{"credProtect": 2, "hmac-secret": true, "minPinLength": 6})
	if err != nil {
		t.Fatal(err)
	}
	raw := testAuthData(t, cred, testAAGUID, ext)
	ad, err := ParseAuthenticatorData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if ad.RPIDHash != sha256.Sum256([]byte("example.org")) || ad.SignCount != 7 {
		t.Errorf("rpIdHash/signCount = %x/%d", ad.RPIDHash, ad.SignCount)
	}
	f := ad.Flags
	if !f.UserPresent() || !f.UserVerified() || !f.AttestedCredentialData() || !f.ExtensionData() || f.BackupEligible() || f.BackupState() {
		t.Errorf("flags = %v", f)
	}
	if f.String() != "UP|UV|AT|ED" {
		t.Errorf("flags string = %q", f.String())
	}
	acd := ad.AttestedCredentialData
	if acd.AAGUID != testAAGUID || acd.AAGUID.String() != "6d44ba9b-f6ec-2e49-b930-0c8fe920cb73" {
		t.Errorf("aaguid = %v", acd.AAGUID)
	}
	if !bytes.Equal(acd.CredentialID, cred.id) || !bytes.Equal(acd.CredentialPublicKey, cred.cose.Raw) {
		t.Errorf("credential id or key differs")
	}
	if acd.PublicKey.Algorithm != AlgES256 || !bytes.Equal(acd.PublicKey.X, cred.cose.X) {
		t.Errorf("public key = %+v", acd.PublicKey)
	}
	e := ad.Extensions
	if e.CredProtect != 2 || e.HMACSecret == nil || !*e.HMACSecret || e.MinPINLength == nil || *e.MinPINLength != 6 || len(e.Outputs) != 3 {
		t.Errorf("extensions = %+v", e)
	}
	// Marshal gives back the same bytes.
	again, err := ad.Marshal()
	if err != nil || !bytes.Equal(again, raw) {
		t.Errorf("marshal round trip: %v", err)
	}
}

func TestAuthenticatorDataAssertionForm(t *testing.T) {
	// An assertion's authenticator data: 37 bytes, or 37 plus extensions
	// (hmac-secret output as bytes).
	ad := &AuthenticatorData{Flags: FlagUserPresent | FlagBackupEligible | FlagBackupState, SignCount: 1 << 31}
	raw, err := ad.Marshal()
	if err != nil || len(raw) != 37 {
		t.Fatalf("marshal: %d bytes, %v", len(raw), err)
	}
	got, err := ParseAuthenticatorData(raw)
	if err != nil || got.AttestedCredentialData != nil || got.Extensions != nil || got.SignCount != 1<<31 || !got.Flags.BackupState() {
		t.Fatalf("parse: %+v, %v", got, err)
	}
	ad.Extensions, _ = NewAuthenticatorExtensions(map[string]any{"hmac-secret": bytes.Repeat([]byte{9}, 48), "credBlob": []byte("blob")})
	raw, _ = ad.Marshal()
	got, err = ParseAuthenticatorData(raw)
	if err != nil || len(got.Extensions.HMACSecretOutput) != 48 || got.Extensions.HMACSecret != nil || string(got.Extensions.CredBlobData) != "blob" {
		t.Fatalf("parse with extensions: %+v, %v", got, err)
	}
	if !got.Flags.ExtensionData() || got.Flags.AttestedCredentialData() {
		t.Errorf("Marshal flags = %v", got.Flags)
	}
}

func TestParseAuthenticatorDataRejects(t *testing.T) {
	cred := newTestCred(t, AlgES256)
	valid := testAuthData(t, cred, testAAGUID, nil)
	enc := func(v any) []byte {
		b, err := EncodeCBOR(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	head := func(flags AuthenticatorFlags) []byte {
		h := make([]byte, 37)
		h[32] = byte(flags)
		return h
	}
	acd := func(idLen int, id []byte, key []byte) []byte {
		return slices.Concat(testAAGUID[:], binary.BigEndian.AppendUint16(nil, uint16(idLen)), id, key)
	}
	withFlags := func(b []byte, flags AuthenticatorFlags) []byte {
		b = bytes.Clone(b)
		b[32] = byte(flags)
		return b
	}
	long := bytes.Repeat([]byte{1}, 1024)
	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"empty", nil, "too short"},
		{"36 bytes", make([]byte, 36), "too short"},
		{"AT flag without data", head(FlagUserPresent | FlagAttestedCredentialData), "attested credential data flag set but no attested credential data"},
		{"ED flag without data", head(FlagUserPresent | FlagExtensionData), "extension data flag set but no extensions"},
		{"data without flags", slices.Concat(head(FlagUserPresent), []byte{0xa0}), "neither AT nor ED flag set"},
		{"attested data without AT flag", withFlags(valid, FlagUserPresent), "neither AT nor ED flag set"},
		{"attested data with only ED", withFlags(valid, FlagUserPresent|FlagExtensionData), "extensions"},
		{"trailing bytes after key", slices.Concat(valid, []byte{0}), "trailing bytes"},
		{"trailing bytes after extensions", slices.Concat(head(FlagExtensionData), enc(map[string]any{"credProtect": 1}), []byte{0}), "trailing bytes"},
		{"truncated aaguid", slices.Concat(head(FlagAttestedCredentialData), testAAGUID[:10]), "truncated"},
		{"credential id too long", slices.Concat(head(FlagAttestedCredentialData), acd(1024, long, cred.cose.Raw)), "longer than 1023"},
		{"credential id past the end", slices.Concat(head(FlagAttestedCredentialData), acd(64, cred.id, nil)), "truncated credential id"},
		{"empty credential id", slices.Concat(head(FlagAttestedCredentialData), acd(0, nil, cred.cose.Raw)), "empty credential id"},
		{"no public key", slices.Concat(head(FlagAttestedCredentialData), acd(32, cred.id, nil)), "missing credential public key"},
		{"truncated public key", valid[:len(valid)-1], "credential public key: truncated cbor"},
		{"public key not a map", slices.Concat(head(FlagAttestedCredentialData), acd(32, cred.id, enc([]byte{1}))), "credential public key"},
		{"extensions with int key", slices.Concat(head(FlagExtensionData), enc(map[int]any{1: 1})), "extensions: unexpected cbor type"},
		{"extensions not a map", slices.Concat(head(FlagExtensionData), enc(1)), "extensions: unexpected cbor type"},
		{"credProtect out of range", slices.Concat(head(FlagExtensionData), enc(map[string]any{"credProtect": 4})), "credProtect: policy out of range"},
		{"credProtect null", slices.Concat(head(FlagExtensionData), []byte{0xa1}, enc("credProtect"), []byte{0xf6}), "credProtect: null value"},
		{"hmac-secret as text", slices.Concat(head(FlagExtensionData), enc(map[string]any{"hmac-secret": "yes"})), "hmac-secret: unexpected cbor type"},
		{"extensions duplicate key", slices.Concat(head(FlagExtensionData), []byte{0xa2}, enc("credProtect"), enc(1), enc("credProtect"), enc(2)), "duplicate map key"},
		{"extensions indefinite", slices.Concat(head(FlagExtensionData), []byte{0xbf}, enc("credProtect"), enc(1), []byte{0xff}), "indefinite-length item"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ad, err := ParseAuthenticatorData(tt.data)
			if ad != nil {
				t.Errorf("partial result %+v", ad)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("err = %v, want a ParseError containing %q", err, tt.reason)
			}
		})
	}
	for i := range len(valid) {
		if ad, err := ParseAuthenticatorData(valid[:i]); err == nil || ad != nil {
			t.Fatalf("prefix of %d bytes accepted", i)
		}
	}
}

func TestAuthenticatorDataMaxCredentialID(t *testing.T) {
	cred := newTestCred(t, AlgES256)
	cred.id = bytes.Repeat([]byte{7}, MaxCredentialIDLength)
	raw := testAuthData(t, cred, AAGUID{}, nil)
	ad, err := ParseAuthenticatorData(raw)
	if err != nil || len(ad.AttestedCredentialData.CredentialID) != MaxCredentialIDLength {
		t.Fatalf("1023-byte credential id: %v", err)
	}
	cred.id = append(cred.id, 7)
	if _, err := (&AuthenticatorData{AttestedCredentialData: &AttestedCredentialData{CredentialID: cred.id, CredentialPublicKey: cred.cose.Raw}}).Marshal(); err == nil {
		t.Fatal("Marshal accepted a 1024-byte credential id")
	}
}

func TestAuthenticatorDataDoesNotAlias(t *testing.T) {
	cred := newTestCred(t, AlgES256)
	raw := testAuthData(t, cred, AAGUID{}, nil)
	ad, err := ParseAuthenticatorData(raw)
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		raw[i] = 0
	}
	if !bytes.Equal(ad.AttestedCredentialData.CredentialID, cred.id) {
		t.Fatal("parsed credential id aliases the input")
	}
}

func TestUnwrapAuthData(t *testing.T) {
	cred := newTestCred(t, AlgES256)
	raw := testAuthData(t, cred, AAGUID{}, nil)
	wrapped, err := WrapAuthData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if wrapped[0] != 0x58 && wrapped[0] != 0x59 {
		t.Fatalf("wrapped form starts with %#x, want a byte string header", wrapped[0])
	}
	got, err := UnwrapAuthData(wrapped)
	if err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("unwrap: %v", err)
	}
	if _, err := ParseAuthenticatorData(wrapped); err == nil {
		t.Error("wrapped authenticator data parsed as unwrapped")
	}
	for name, bad := range map[string][]byte{
		"raw authenticator data": raw,
		"trailing bytes":         slices.Concat(wrapped, []byte{0}),
		"text string":            func() []byte { b, _ := EncodeCBOR(string(raw)); return b }(),
		"too short":              func() []byte { b, _ := EncodeCBOR([]byte{1, 2}); return b }(),
		"truncated":              wrapped[:len(wrapped)-1],
	} {
		if _, err := UnwrapAuthData(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestAuthenticatorFlagsString(t *testing.T) {
	for f, want := range map[AuthenticatorFlags]string{
		0:    "none",
		0x01: "UP",
		0x05: "UP|UV",
		0x1d: "UP|UV|BE|BS",
		0xc5: "UP|UV|AT|ED",
		0x22: "RFU1|RFU2",
	} {
		if got := f.String(); got != want {
			t.Errorf("%#x: %q, want %q", byte(f), got, want)
		}
	}
}

func FuzzParseAuthenticatorData(f *testing.F) {
	for _, v := range loadSpecVectors(f) {
		raw, _, _ := v.decode(f)
		if obj, err := ParseAttestationObject(raw); err == nil {
			f.Add(obj.AuthData.Raw)
		}
	}
	ext, _ := NewAuthenticatorExtensions(map[string]any{"credProtect": 2, "hmac-secret": true})
	f.Add(testAuthData(f, newTestCred(f, AlgEdDSA), testAAGUID, ext))
	f.Add(testAuthData(f, nil, AAGUID{}, ext))
	f.Add(testAuthData(f, nil, AAGUID{}, nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		ad, err := ParseAuthenticatorData(data)
		if err != nil {
			if ad != nil {
				t.Fatalf("partial result with error %v", err)
			}
			return
		}
		if (ad.AttestedCredentialData != nil) != ad.Flags.AttestedCredentialData() || (ad.Extensions != nil) != ad.Flags.ExtensionData() {
			t.Fatalf("flags %v do not match the parsed data", ad.Flags)
		}
		if !bytes.Equal(ad.Raw, data) {
			t.Fatal("Raw differs from the input")
		}
		// Parsing keeps everything: Marshal gives back the input.
		again, err := ad.Marshal()
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("marshal round trip: %x, %v", again, err)
		}
	})
}
