package virtualkey

import (
	"testing"
)

// TestKeyAgreementOneCOSEParser: the platform's keyAgreement is read by
// protocol.ParseCOSEKey, KeyDesk's one COSE_Key parser, so the virtual key
// refuses with INVALID_PARAMETER what that parser refuses (a private
// parameter, an algorithm that does not fit the key, a point off the
// curve, a compressed point) and still answers CBOR_UNEXPECTED_TYPE for a
// key that is not a map and MISSING_PARAMETER for none; the same key
// without the fault sets the PIN.
func TestKeyAgreementOneCOSEParser(t *testing.T) {
	for _, proto := range []pinProtocol{pinProtocolOne{}, pinProtocolTwo{}} {
		t.Run(string(rune('0'+proto.version())), func(t *testing.T) {
			p := connect(t, newTestKey(t, Options{}))
			ka, shared := p.agree(proto)
			x, y := ka.X, ka.Y
			enc, err := proto.encrypt(shared, padPIN("4321"))
			if err != nil {
				t.Fatal(err)
			}
			setPIN := func(ka any) byte {
				req := map[int]any{1: proto.version(), 2: pinSetPIN, 4: proto.authenticate(shared, enc), 5: enc}
				if ka != nil {
					req[3] = ka
				}
				st, _ := p.ctap(cmdClientPIN, req)
				return st
			}
			key := func(change func(m map[int]any)) map[int]any {
				m := map[int]any{1: 2, 3: algECDH, -1: 1, -2: x, -3: y}
				change(m)
				return m
			}
			offCurve := append([]byte(nil), y...)
			offCurve[31] ^= 1
			for name, tc := range map[string]struct {
				ka   any
				want byte
			}{
				"private parameter d": {key(func(m map[int]any) { m[-4] = make([]byte, 32) }), errInvalidParameter},
				"ES384 on P-256":      {key(func(m map[int]any) { m[3] = -35 }), errInvalidParameter},
				"point off the curve": {key(func(m map[int]any) { m[-3] = offCurve }), errInvalidParameter},
				"compressed point":    {key(func(m map[int]any) { delete(m, -3) }), errInvalidParameter},
				"Ed25519 key":         {key(func(m map[int]any) { m[1], m[3], m[-1] = 1, -8, 6; delete(m, -3) }), errInvalidParameter},
				"not a map":           {[]byte{1, 2, 3}, errCBORUnexpectedType},
				"no key":              {nil, errMissingParameter},
			} {
				if st := setPIN(tc.ka); st != tc.want {
					t.Errorf("%s: 0x%02x, want 0x%02x", name, st, tc.want)
				}
			}
			if st := setPIN(key(func(map[int]any) {})); st != statusOK {
				t.Fatalf("a well-formed key: 0x%02x", st)
			}
		})
	}
}
