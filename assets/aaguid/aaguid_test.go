package aaguid

import (
	"testing"

	"github.com/keydesk/keydesk/ctap/virtualkey"
)

func TestModel(t *testing.T) {
	if n, ok := Model(virtualkey.AAGUIDString()); !ok || n != "KeyDesk Virtual Key" {
		t.Fatalf("virtual key: %q %v", n, ok)
	}
	if n, ok := Model("CB69481E-8FF7-4039-93EC-0A2729A154A8"); !ok || n != "YubiKey 5 Series" {
		t.Fatalf("upper case: %q %v", n, ok)
	}
	if _, ok := Model("00000000-0000-0000-0000-000000000000"); ok {
		t.Fatal("zero AAGUID found")
	}
	if Len() < 50 {
		t.Fatalf("only %d models", Len())
	}
}
