package protocol

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestDecodeCBORStrict(t *testing.T) {
	deep := strings.Repeat("\x81", cborMaxNestedLevels+1) + "\x01"
	tests := []struct {
		name   string
		data   []byte
		reason string // "" for accepted
	}{
		{"map", []byte{0xa1, 0x61, 0x61, 0x01}, ""},
		{"trailing bytes", []byte{0xa1, 0x61, 0x61, 0x01, 0x00}, "trailing bytes"},
		{"duplicate key", []byte{0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02}, "duplicate map key"},
		{"indefinite array", []byte{0x9f, 0x01, 0xff}, "indefinite-length item"},
		{"indefinite byte string", []byte{0x5f, 0x41, 0x01, 0xff}, "indefinite-length item"},
		{"tag", []byte{0xc1, 0x01}, "cbor tag not allowed"},
		{"nested too deep", []byte(deep), "nested too deeply"},
		{"nested at the limit", []byte(deep[1:]), ""},
		{"array too long", append([]byte{0x99, 0x04, 0x01}, bytes.Repeat([]byte{0}, 1025)...), "array too long"},
		{"map too large", append([]byte{0xb9, 0x04, 0x01}, bytes.Repeat([]byte{0, 0}, 1025)...), "map too large"},
		{"truncated", []byte{0x58, 0x20, 0x01}, "truncated cbor"},
		{"empty", nil, "no cbor data"},
		{"invalid utf-8", []byte{0x61, 0xff}, "invalid cbor"},
		{"reserved additional info", []byte{0x1c}, "malformed cbor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			err := DecodeCBOR(tt.data, &v)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if got := cborReason(err); got != tt.reason {
				t.Errorf("reason %q (%v), want %q", got, err, tt.reason)
			}
		})
	}
}

func TestEncodeCBORCanonical(t *testing.T) {
	// CTAP2 canonical order: shorter keys first, then bytewise; integers
	// before text.
	got, err := EncodeCBOR(map[any]any{"authData": 1, "fmt": 2, "attStmt": 3, 1: 4, -1: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0xa5, 0x01, 0x04, 0x20, 0x05, 0x63, 'f', 'm', 't', 0x02,
		0x67, 'a', 't', 't', 'S', 't', 'm', 't', 0x03,
		0x68, 'a', 'u', 't', 'h', 'D', 'a', 't', 'a', 0x01}
	if !bytes.Equal(got, want) {
		t.Errorf("got  %x\nwant %x", got, want)
	}
}

func TestDecodeCBORNull(t *testing.T) {
	var n int64 = 5
	if err := decodeCBORValue([]byte{0xf6}, &n); !errors.Is(err, errCBORNull) || n != 5 {
		t.Fatalf("null: %v, %d", err, n)
	}
	if err := decodeCBORValue([]byte{0xf7}, &n); !errors.Is(err, errCBORNull) {
		t.Fatalf("undefined: %v", err)
	}
}

func FuzzDecodeCBOR(f *testing.F) {
	for _, v := range loadSpecVectors(f) {
		raw, _, _ := v.decode(f)
		f.Add(raw)
	}
	for _, seed := range [][]byte{{0xa1, 0x61, 0x61, 0x01}, {0x9f, 0xff}, {0xc1, 0x01}, {0xa2, 0x01, 0x01, 0x01, 0x02}, {0xf6}} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if err := DecodeCBOR(data, &v); err != nil {
			if v != nil {
				t.Fatalf("partial result %v with error %v", v, err)
			}
			if cborReason(err) == "" {
				t.Fatal("empty reason")
			}
			return
		}
		// What was accepted re-encodes, and the re-encoding is accepted
		// and stable.
		enc, err := EncodeCBOR(v)
		if err != nil {
			return // e.g. a map with a NaN key the encoder refuses
		}
		var again any
		if err := DecodeCBOR(enc, &again); err != nil {
			t.Fatalf("re-encoding %x rejected: %v", enc, err)
		}
		enc2, err := EncodeCBOR(again)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("re-encoding not stable: %x vs %x (%v)", enc, enc2, err)
		}
	})
}

// TestDecModeLimits: DecMode keeps the one policy and lets a caller only
// tighten its bounds.
func TestDecModeLimits(t *testing.T) {
	def, err := DecMode(Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := def.DecOptions(); got != decMode.DecOptions() {
		t.Errorf("DecMode(Limits{}) = %+v, want the package's own mode %+v", got, decMode.DecOptions())
	}
	tight, err := DecMode(Limits{MaxNestedLevels: 8, MaxArrayElements: 256, MaxMapPairs: 64})
	if err != nil {
		t.Fatal(err)
	}
	pairs := func(n int) []byte { // a map of n pairs 0:0, 1:0, … (n < 256)
		b := []byte{0xb8, byte(n)}
		for i := 0; i < n; i++ {
			if i < 24 {
				b = append(b, byte(i), 0)
			} else {
				b = append(b, 0x18, byte(i), 0)
			}
		}
		return b
	}
	var m map[int]int
	if err := tight.Unmarshal(pairs(64), &m); err != nil {
		t.Errorf("64 pairs under a 64-pair limit: %v", err)
	}
	if err := tight.Unmarshal(pairs(65), &m); err == nil {
		t.Error("65 pairs under a 64-pair limit: accepted")
	}
	if err := def.Unmarshal(pairs(65), &m); err != nil {
		t.Errorf("65 pairs under the default limit: %v", err)
	}
	// Everything but the bounds is the policy's.
	want := decMode.DecOptions()
	want.MaxNestedLevels, want.MaxArrayElements, want.MaxMapPairs = 8, 256, 64
	if got := tight.DecOptions(); got != want {
		t.Errorf("tightened mode = %+v, want %+v", got, want)
	}
	for _, lim := range []Limits{
		{MaxNestedLevels: cborMaxNestedLevels + 1},
		{MaxArrayElements: cborMaxArrayElements + 1},
		{MaxMapPairs: cborMaxMapPairs + 1},
		{MaxMapPairs: -1},
	} {
		if _, err := DecMode(lim); err == nil {
			t.Errorf("DecMode(%+v): loosening accepted", lim)
		}
	}
}
