package webauthn

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/keydesk/keydesk/ctap"
)

func TestTruncateName(t *testing.T) {
	for _, in := range []string{"", "ivy", strings.Repeat("x", 64), strings.Repeat("x", 65), "a" + strings.Repeat("é", 40), strings.Repeat("🔑", 20)} {
		got := truncateName(in)
		if len(got) > MaxEntityName || !utf8.ValidString(got) || !strings.HasPrefix(in, got) {
			t.Errorf("truncateName(%q) = %q", in, got)
		}
		if len(in) <= MaxEntityName && got != in {
			t.Errorf("a short name was cut: %q", got)
		}
		if len(in) > MaxEntityName && len(got) < MaxEntityName-3 {
			t.Errorf("cut too much: %d bytes", len(got))
		}
	}
}

// TestBatchIDs: batches respect the key's count and message size, keep
// the order, and drop IDs longer than the key's maxCredentialIdLength.
func TestBatchIDs(t *testing.T) {
	var ids [][]byte
	for i := range 30 {
		ids = append(ids, bytes.Repeat([]byte{byte(i)}, 100))
	}
	ids = append(ids, bytes.Repeat([]byte{0xFF}, 200)) // too long for this key
	info := &ctap.Info{MaxCredentialCountInList: 8, MaxMsgSize: 1200, MaxCredentialIDLength: 128}
	batches := batchIDs(ids, info, 400)
	var flat [][]byte
	for _, b := range batches {
		size := 0
		for _, id := range b {
			size += len(id) + descriptorCost
		}
		if len(b) == 0 || len(b) > 8 || size > 1200-400 {
			t.Errorf("batch of %d IDs, %d bytes", len(b), size)
		}
		flat = append(flat, b...)
	}
	if len(flat) != 30 {
		t.Fatalf("%d IDs batched, want 30 (the long one dropped)", len(flat))
	}
	for i, id := range flat {
		if id[0] != byte(i) {
			t.Fatalf("order lost at %d", i)
		}
	}
	// A key that names no count gets batches by size only.
	if b := batchIDs(ids[:5], &ctap.Info{}, 100); len(b) != 1 {
		t.Errorf("5 IDs for a key without limits: %d batches", len(b))
	}
}
