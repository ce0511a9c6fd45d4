package virtualkey

import (
	"bytes"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keydesk/keydesk/ctap/protocol"
)

func TestExcludeList(t *testing.T) {
	k := newTestKey(t, Options{})
	var waits atomic.Int32
	k.OnEvent(func(e Event) {
		if e.Kind == EventWaitingPresence {
			waits.Add(1)
		}
	})
	p := connect(t, k)
	st, body := p.ctap(cmdMakeCredential, makeCredReq("example.com", "alice"))
	if st != statusOK {
		t.Fatalf("makeCredential: 0x%02x", st)
	}
	var att struct {
		AuthData []byte `cbor:"2,keyasint"`
	}
	if err := decMode.Unmarshal(body, &att); err != nil {
		t.Fatal(err)
	}
	id := credentialID(t, att.AuthData)

	req := makeCredReq("example.com", "alice")
	req[5] = []map[string]any{{"id": []byte("unknown"), "type": "public-key"}, {"id": id, "type": "public-key"}}
	waits.Store(0)
	if st, _ := p.ctap(cmdMakeCredential, req); st != errCredentialExcluded {
		t.Fatalf("excluded credential: 0x%02x", st)
	}
	if n := waits.Load(); n != 1 {
		t.Fatalf("CREDENTIAL_EXCLUDED after %d presence waits, want 1", n)
	}
	// The same ID excludes nothing at another RP.
	req = makeCredReq("other.example", "alice")
	req[5] = []map[string]any{{"id": id, "type": "public-key"}}
	if st, _ := p.ctap(cmdMakeCredential, req); st != statusOK {
		t.Fatalf("exclude list of another RP: 0x%02x", st)
	}
	// Presence refused while excluded: the refusal is reported.
	k.SetPresence(Presence{Mode: PresenceDenied})
	req = makeCredReq("example.com", "alice")
	req[5] = []map[string]any{{"id": id, "type": "public-key"}}
	if st, _ := p.ctap(cmdMakeCredential, req); st != errOperationDenied {
		t.Fatalf("excluded, presence denied: 0x%02x", st)
	}
}

func TestSelection(t *testing.T) {
	k := newTestKey(t, Options{PresenceTimeout: 100 * time.Millisecond})
	p := connect(t, k)
	for mode, want := range map[PresenceMode]byte{PresenceGranted: statusOK, PresenceDenied: errOperationDenied, PresenceNever: errUserActionTimeout} {
		k.SetPresence(Presence{Mode: mode})
		if st, _ := p.ctap(cmdSelection, nil); st != want {
			t.Errorf("selection with presence %d: 0x%02x, want 0x%02x", mode, st, want)
		}
	}
}

func TestMalformedRequests(t *testing.T) {
	p := connect(t, newTestKey(t, Options{}))
	mc := func(mut func(map[int]any)) map[int]any {
		r := makeCredReq("example.com", "alice")
		mut(r)
		return r
	}
	cases := []struct {
		name string
		req  []byte
		want byte
	}{
		{"unknown command", []byte{0x55}, errInvalidCommand},
		{"not CBOR", []byte{cmdMakeCredential, 0xff}, errInvalidCBOR},
		{"truncated", []byte{cmdMakeCredential, 0xa1, 0x01}, errInvalidCBOR},
		{"trailing bytes", []byte{cmdClientPIN, 0xa1, 0x02, 0x01, 0x00}, errInvalidCBOR},
		{"duplicate key", []byte{cmdClientPIN, 0xa2, 0x02, 0x01, 0x02, 0x01}, errInvalidCBOR},
		{"indefinite map", []byte{cmdClientPIN, 0xbf, 0x02, 0x01, 0xff}, errInvalidCBOR},
		{"tag", []byte{cmdClientPIN, 0xc0, 0xa0}, errInvalidCBOR},
		{"not a map", []byte{cmdClientPIN, 0x80}, errCBORUnexpectedType},
		{"text keys", []byte{cmdClientPIN, 0xa1, 0x61, 'a', 0x01}, errCBORUnexpectedType},
		{"empty makeCredential", []byte{cmdMakeCredential}, errMissingParameter},
		{"empty clientPIN", []byte{cmdClientPIN, 0xa0}, errMissingParameter},
		{"empty credMgmt", []byte{cmdCredMgmt, 0xa0}, errMissingParameter},
		{"getNextAssertion alone", []byte{cmdGetNextAssertion}, errNotAllowed},
		{"too large", append([]byte{cmdMakeCredential}, make([]byte, MaxMsgSize)...), errRequestTooLarge},
	}
	for name, c := range map[string]struct {
		req  map[int]any
		want byte
	}{
		"cdh as text":       {mc(func(r map[int]any) { r[1] = "x" }), errCBORUnexpectedType},
		"no rp":             {mc(func(r map[int]any) { delete(r, 2) }), errMissingParameter},
		"rp without id":     {mc(func(r map[int]any) { r[2] = map[string]any{"name": "x"} }), errMissingParameter},
		"user id as text":   {mc(func(r map[int]any) { r[3] = map[string]any{"id": "x"} }), errCBORUnexpectedType},
		"no user id":        {mc(func(r map[int]any) { r[3] = map[string]any{"name": "x"} }), errMissingParameter},
		"user id too long":  {mc(func(r map[int]any) { r[3] = map[string]any{"id": make([]byte, 65)} }), errInvalidParameter},
		"algs not an array": {mc(func(r map[int]any) { r[4] = 7 }), errCBORUnexpectedType},
		"RS256 only":        {mc(func(r map[int]any) { r[4] = []map[string]any{{"alg": -257, "type": "public-key"}} }), errUnsupportedAlgorithm},
		"alg without type":  {mc(func(r map[int]any) { r[4] = []map[string]any{{"alg": -7}} }), errMissingParameter},
		"up false":          {mc(func(r map[int]any) { r[7] = map[string]any{"up": false} }), errInvalidOption},
		"uv without UV":     {mc(func(r map[int]any) { r[7] = map[string]any{"uv": true} }), errInvalidOption},
		"rk as int":         {mc(func(r map[int]any) { r[7] = map[string]any{"rk": 1} }), errCBORUnexpectedType},
		"auth w/o protocol": {mc(func(r map[int]any) { r[8] = make([]byte, 32) }), errMissingParameter},
		"protocol 3":        {mc(func(r map[int]any) { r[8] = make([]byte, 32); r[9] = 3 }), errInvalidParameter},
		"no token":          {mc(func(r map[int]any) { r[8] = make([]byte, 32); r[9] = 2 }), errPINAuthInvalid},
		"enterprise":        {mc(func(r map[int]any) { r[10] = 1 }), errInvalidParameter},
		"exclude garbage":   {mc(func(r map[int]any) { r[5] = []any{1} }), errCBORUnexpectedType},
	} {
		b, err := encMode.Marshal(c.req)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct {
			name string
			req  []byte
			want byte
		}{"makeCredential " + name, append([]byte{cmdMakeCredential}, b...), c.want})
	}
	ga, _ := encMode.Marshal(map[int]any{1: "example.com", 2: hash("x"), 5: map[string]any{"rk": true}})
	cases = append(cases, struct {
		name string
		req  []byte
		want byte
	}{"getAssertion rk option", append([]byte{cmdGetAssertion}, ga...), errUnsupportedOption})
	for _, c := range cases {
		if st, _ := p.ctapRaw(c.req); st != c.want {
			t.Errorf("%s: 0x%02x, want 0x%02x", c.name, st, c.want)
		}
	}
}

func TestClientPINDetails(t *testing.T) {
	for _, proto := range []pinProtocol{pinProtocolOne{}, pinProtocolTwo{}} {
		t.Run(string(rune('0'+proto.version())), func(t *testing.T) {
			k := newTestKey(t, Options{})
			p := connect(t, k)
			if _, st := p.token(proto, "1234", 0, ""); st != errPINNotSet {
				t.Fatalf("token without a PIN: 0x%02x", st)
			}
			if st := p.setPIN(proto, "123"); st != errPINPolicyViolation {
				t.Fatalf("3-digit PIN: 0x%02x", st)
			}
			if st := p.setPIN(proto, string(bytes.Repeat([]byte{'1'}, 64))); st != errPINPolicyViolation {
				t.Fatalf("64-byte PIN: 0x%02x", st)
			}
			// A setPIN whose pinUvAuthParam is wrong.
			ka, shared := p.agree(proto)
			enc, _ := proto.encrypt(shared, padPIN("1234"))
			if st, _ := p.ctap(cmdClientPIN, map[int]any{1: proto.version(), 2: pinSetPIN, 3: ka, 4: make([]byte, len(proto.authenticate(shared, enc))), 5: enc}); st != errPINAuthInvalid {
				t.Fatalf("setPIN with a bad pinUvAuthParam: 0x%02x", st)
			}
			if st := p.setPIN(proto, "1234"); st != statusOK {
				t.Fatalf("setPIN: 0x%02x", st)
			}
			if k.st.PINHash == nil || !bytes.Equal(k.st.PINHash, pinHash("1234")) {
				t.Fatal("PIN not stored as LEFT(SHA-256(PIN), 16)")
			}
			// getPinToken (5): mc and ga, no RP binding yet.
			tok, st := p.token(proto, "1234", 0, "")
			if st != statusOK || len(tok) != 32 {
				t.Fatalf("getPinToken: 0x%02x, %d bytes", st, len(tok))
			}
			req := makeCredReq("example.com", "alice")
			req[7] = map[string]any{"rk": true}
			req[8], req[9] = proto.authenticate(tok, hash("cdh")), proto.version()
			if st, _ := p.ctap(cmdMakeCredential, req); st != statusOK {
				t.Fatalf("makeCredential with a token: 0x%02x", st)
			}
			// The token's mc/ga permissions are spent by that use.
			if st, _ := p.ctap(cmdMakeCredential, req); st != errPINAuthInvalid {
				t.Fatalf("token reused: 0x%02x", st)
			}
			// Permissions.
			if _, st := p.token(proto, "1234", permCredMgmt|0x08, ""); st != errUnauthorizedPermission {
				t.Fatalf("be permission: 0x%02x", st)
			}
			ka, shared = p.agree(proto)
			phe, _ := proto.encrypt(shared, pinHash("1234"))
			if st, _ := p.ctap(cmdClientPIN, map[int]any{1: proto.version(), 2: pinGetTokenUsingPIN, 3: ka, 6: phe, 9: 0}); st != errInvalidParameter {
				t.Fatalf("zero permissions: 0x%02x", st)
			}
			if st, _ := p.ctap(cmdClientPIN, map[int]any{1: proto.version(), 2: pinGetPinToken, 3: ka, 6: phe, 9: 1}); st != errInvalidParameter {
				t.Fatalf("getPinToken with permissions: 0x%02x", st)
			}
			// A ga token cannot make credentials; an mc token is bound to its RP.
			tok, _ = p.token(proto, "1234", permGetAssertion, "example.com")
			req = makeCredReq("example.com", "bob")
			req[8], req[9] = proto.authenticate(tok, hash("cdh")), proto.version()
			if st, _ := p.ctap(cmdMakeCredential, req); st != errPINAuthInvalid {
				t.Fatalf("ga token for makeCredential: 0x%02x", st)
			}
			tok, _ = p.token(proto, "1234", permMakeCredential, "example.com")
			req = makeCredReq("other.example", "bob")
			req[8], req[9] = proto.authenticate(tok, hash("cdh")), proto.version()
			if st, _ := p.ctap(cmdMakeCredential, req); st != errPINAuthInvalid {
				t.Fatalf("token bound to another RP: 0x%02x", st)
			}
			// PIN required for a discoverable credential without a token.
			req = makeCredReq("example.com", "carol")
			req[7] = map[string]any{"rk": true}
			if st, _ := p.ctap(cmdMakeCredential, req); st != errPUATRequired {
				t.Fatalf("rk without a token: 0x%02x", st)
			}
			// The zero-length pinUvAuthParam probe.
			req = makeCredReq("example.com", "carol")
			req[8], req[9] = []byte{}, proto.version()
			if st, _ := p.ctap(cmdMakeCredential, req); st != errPINInvalid {
				t.Fatalf("probe with a PIN set: 0x%02x", st)
			}
			// changePIN keeps the old token out.
			ka, shared = p.agree(proto)
			newEnc, _ := proto.encrypt(shared, padPIN("98765"))
			phe, _ = proto.encrypt(shared, pinHash("1234"))
			auth := proto.authenticate(shared, append(append([]byte{}, newEnc...), phe...))
			if st, _ := p.ctap(cmdClientPIN, map[int]any{1: proto.version(), 2: pinChangePIN, 3: ka, 4: auth, 5: newEnc, 6: phe}); st != statusOK {
				t.Fatalf("changePIN: 0x%02x", st)
			}
			if _, st := p.token(proto, "1234", 0, ""); st != errPINInvalid {
				t.Fatalf("old PIN after change: 0x%02x", st)
			}
			if _, st := p.token(proto, "98765", 0, ""); st != statusOK {
				t.Fatalf("new PIN: 0x%02x", st)
			}
			// getPINRetries without a protocol is allowed.
			st, body := p.ctap(cmdClientPIN, map[int]any{2: pinGetRetries})
			var r struct {
				Retries int `cbor:"3,keyasint"`
			}
			if st != statusOK || decMode.Unmarshal(body, &r) != nil || r.Retries != 8 {
				t.Fatalf("getPINRetries: 0x%02x %d", st, r.Retries)
			}
			if st, _ := p.ctap(cmdClientPIN, map[int]any{1: proto.version(), 2: pinGetTokenUsingUV}); st != errInvalidSubcommand {
				t.Fatalf("UV token without built-in UV: 0x%02x", st)
			}
		})
	}
}

func TestGetNextAssertion(t *testing.T) {
	k := newTestKey(t, Options{})
	p := connect(t, k)
	for _, u := range []string{"u1", "u2", "u3"} {
		req := makeCredReq("example.com", u)
		req[7] = map[string]any{"rk": true}
		if st, _ := p.ctap(cmdMakeCredential, req); st != statusOK {
			t.Fatal(st)
		}
	}
	type resp struct {
		User struct {
			ID   []byte `cbor:"id"`
			Name string `cbor:"name"`
		} `cbor:"4,keyasint"`
		Count int `cbor:"5,keyasint"`
	}
	st, body := p.ctap(cmdGetAssertion, map[int]any{1: "example.com", 2: hash("x")})
	var r resp
	if st != statusOK || decMode.Unmarshal(body, &r) != nil {
		t.Fatalf("getAssertion: 0x%02x", st)
	}
	if r.Count != 3 || string(r.User.ID) != "u3" || r.User.Name != "u3" {
		t.Fatalf("first assertion: %+v", r)
	}
	for _, want := range []string{"u2", "u1"} {
		st, body := p.ctap(cmdGetNextAssertion, nil)
		r = resp{}
		if st != statusOK || decMode.Unmarshal(body, &r) != nil || string(r.User.ID) != want || r.Count != 0 {
			t.Fatalf("getNextAssertion: 0x%02x %+v, want %s", st, r, want)
		}
	}
	if st, _ := p.ctap(cmdGetNextAssertion, nil); st != errNotAllowed {
		t.Fatalf("past the last: 0x%02x", st)
	}
	if st, _ := p.ctap(cmdGetAssertion, map[int]any{1: "nobody.example", 2: hash("x")}); st != errNoCredentials {
		t.Fatalf("no credentials: 0x%02x", st)
	}
}

func TestGetInfoReflectsState(t *testing.T) {
	k := newTestKey(t, Options{MaxResident: 5})
	p := connect(t, k)
	type info struct {
		Versions  []string        `cbor:"1,keyasint"`
		AAGUID    []byte          `cbor:"3,keyasint"`
		Options   map[string]bool `cbor:"4,keyasint"`
		MaxMsg    int             `cbor:"5,keyasint"`
		Protocols []int           `cbor:"6,keyasint"`
		Algs      []struct {
			Alg  int    `cbor:"alg"`
			Type string `cbor:"type"`
		} `cbor:"10,keyasint"`
		MinPIN    int `cbor:"13,keyasint"`
		Remaining int `cbor:"20,keyasint"`
	}
	get := func() info {
		st, body := p.ctap(cmdGetInfo, nil)
		var i info
		if st != statusOK {
			t.Fatalf("getInfo: 0x%02x", st)
		}
		if err := decMode.Unmarshal(body, &i); err != nil {
			t.Fatal(err)
		}
		// CTAP2 canonical: re-encoding gives the same bytes.
		var generic map[int]any
		decMode.Unmarshal(body, &generic)
		if again, _ := encMode.Marshal(generic); !bytes.Equal(again, body) {
			t.Fatal("getInfo is not in CTAP2 canonical form")
		}
		return i
	}
	i := get()
	if i.Options["clientPin"] || i.Remaining != 5 || i.MaxMsg != MaxMsgSize || i.MinPIN != 4 ||
		len(i.Algs) != 2 || i.Algs[0].Alg != algES256 || i.Algs[1].Alg != algEdDSA || !bytes.Equal(i.AAGUID, AAGUID[:]) {
		t.Fatalf("getInfo %+v", i)
	}
	p.setPIN(pinProtocolTwo{}, "1234")
	tok, _ := p.token(pinProtocolTwo{}, "1234", permMakeCredential, "example.com")
	req := makeCredReq("example.com", "alice")
	req[7] = map[string]any{"rk": true}
	req[8], req[9] = pinProtocolTwo{}.authenticate(tok, hash("cdh")), 2
	if st, _ := p.ctap(cmdMakeCredential, req); st != statusOK {
		t.Fatal(st)
	}
	if i := get(); !i.Options["clientPin"] || i.Remaining != 4 {
		t.Fatalf("after setPIN and one rk: %+v", i)
	}
}

func TestFailNextSparesGetInfo(t *testing.T) {
	k := newTestKey(t, Options{})
	p := connect(t, k)
	k.FailNext(errOther)
	if st, _ := p.ctap(cmdGetInfo, nil); st != statusOK {
		t.Fatalf("getInfo failed: 0x%02x", st)
	}
	if st, _ := p.ctap(cmdSelection, nil); st != errOther {
		t.Fatalf("scripted failure: 0x%02x", st)
	}
	if st, _ := p.ctap(cmdSelection, nil); st != statusOK {
		t.Fatalf("failure lasted: 0x%02x", st)
	}
	k.CorruptNext()
	st, body := p.ctap(cmdClientPIN, map[int]any{1: 2, 2: pinGetRetries})
	var v map[int]any
	if st != statusOK || decMode.Unmarshal(body, &v) == nil {
		t.Fatalf("corrupted response decodes: 0x%02x %x", st, body)
	}
}

func TestAlgorithmOrder(t *testing.T) {
	p := connect(t, newTestKey(t, Options{}))
	for _, c := range []struct {
		algs []int
		want int
	}{{[]int{algEdDSA, algES256}, algEdDSA}, {[]int{-257, algES256, algEdDSA}, algES256}} {
		req := makeCredReq("example.com", "alice")
		var params []map[string]any
		for _, a := range c.algs {
			params = append(params, map[string]any{"alg": a, "type": "public-key"})
		}
		req[4] = params
		st, body := p.ctap(cmdMakeCredential, req)
		var att struct {
			AuthData []byte `cbor:"2,keyasint"`
		}
		if st != statusOK || decMode.Unmarshal(body, &att) != nil {
			t.Fatalf("makeCredential: 0x%02x", st)
		}
		ad, err := protocol.ParseAuthenticatorData(att.AuthData)
		if err != nil || ad.AttestedCredentialData == nil {
			t.Fatalf("authData: %v", err)
		}
		if alg := int(ad.AttestedCredentialData.PublicKey.Algorithm); alg != c.want {
			t.Errorf("pubKeyCredParams %v: alg %d, want %d", c.algs, alg, c.want)
		}
	}
}

func TestCredentialManagementDetails(t *testing.T) {
	k := newTestKey(t, Options{})
	p := connect(t, k)
	proto := pinProtocolTwo{}
	p.setPIN(proto, "1234")
	tok, _ := p.token(proto, "1234", permMakeCredential, "example.com")
	req := makeCredReq("example.com", "alice")
	req[7] = map[string]any{"rk": true}
	req[8], req[9] = proto.authenticate(tok, hash("cdh")), 2
	st, body := p.ctap(cmdMakeCredential, req)
	if st != statusOK {
		t.Fatal(st)
	}
	var att struct {
		AuthData []byte `cbor:"2,keyasint"`
	}
	decMode.Unmarshal(body, &att)
	id := credentialID(t, att.AuthData)

	cm := func(tok []byte, sub byte, params map[int]any) byte {
		req := map[int]any{1: sub}
		msg := []byte{sub}
		if params != nil {
			b, _ := encMode.Marshal(params)
			req[2] = rawCBOR(b)
			msg = append(msg, b...)
		}
		if tok != nil {
			req[3], req[4] = 2, proto.authenticate(tok, msg)
		}
		st, _ := p.ctap(cmdCredMgmt, req)
		return st
	}
	if st := cm(nil, cmGetCredsMetadata, nil); st != errPUATRequired {
		t.Fatalf("metadata without a token: 0x%02x", st)
	}
	if st := cm(nil, cmEnumerateRPsGetNextRP, nil); st != errNotAllowed {
		t.Fatalf("getNextRP without begin: 0x%02x", st)
	}
	if st := cm(nil, 0x20, nil); st != errInvalidSubcommand {
		t.Fatalf("unknown subcommand: 0x%02x", st)
	}
	mcTok, _ := p.token(proto, "1234", permMakeCredential, "")
	if st := cm(mcTok, cmGetCredsMetadata, nil); st != errPINAuthInvalid {
		t.Fatalf("metadata with an mc token: 0x%02x", st)
	}
	bound, _ := p.token(proto, "1234", permCredMgmt, "other.example")
	if st := cm(bound, cmEnumerateRPsBegin, nil); st != errPINAuthInvalid {
		t.Fatalf("RPs with an RP-bound token: 0x%02x", st)
	}
	if st := cm(bound, cmEnumerateCredentialsBegin, map[int]any{1: hash("example.com")}); st != errPINAuthInvalid {
		t.Fatalf("credentials of another RP than the token's: 0x%02x", st)
	}
	cmTok, _ := p.token(proto, "1234", permCredMgmt, "")
	user := map[string]any{"id": []byte("alice"), "name": "alice2", "displayName": "Alice Two"}
	desc := map[string]any{"id": id, "type": "public-key"}
	if st := cm(cmTok, cmUpdateUserInformation, map[int]any{2: desc, 3: user}); st != statusOK {
		t.Fatalf("updateUserInformation: 0x%02x", st)
	}
	if c := k.st.Creds[0]; c.UserName != "alice2" || c.DisplayName != "Alice Two" {
		t.Fatalf("user after update: %+v", c)
	}
	user["id"] = []byte("mallory")
	if st := cm(cmTok, cmUpdateUserInformation, map[int]any{2: desc, 3: user}); st != errInvalidParameter {
		t.Fatalf("update with another user id: 0x%02x", st)
	}
	// The preview command 0x41 is the same.
	req = map[int]any{1: cmGetCredsMetadata, 3: 2, 4: proto.authenticate(cmTok, []byte{cmGetCredsMetadata})}
	if st, _ := p.ctap(cmdCredMgmtPreview, req); st != statusOK {
		t.Fatalf("0x41 metadata: 0x%02x", st)
	}
}

// rawCBOR embeds pre-encoded CBOR in a request, so the test signs exactly
// the bytes it sends.
type rawCBOR []byte

func (r rawCBOR) MarshalCBOR() ([]byte, error) { return r, nil }

// credentialID is the credential ID of makeCredential's authenticator data,
// read with protocol.ParseAuthenticatorData, KeyDesk's one parser.
func credentialID(t *testing.T, authData []byte) []byte {
	t.Helper()
	ad, err := protocol.ParseAuthenticatorData(authData)
	if err != nil || ad.AttestedCredentialData == nil {
		t.Fatalf("authData: %v", err)
	}
	return ad.AttestedCredentialData.CredentialID
}
