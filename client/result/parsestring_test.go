package result

import "testing"

// TestParseStringReadsString: every catalogued code reads back from its
// String, as do NoCode and the zero-free codes of each constructor; text
// that is not "source:value" is refused.
func TestParseStringReadsString(t *testing.T) {
	codes := []Code{NoCode, CTAP(0x6A), Libfido2(-2), HTTP(418), AppNative("ABA-60008"), {SourceUnknown, "x"}}
	for _, s := range Sources() {
		for _, e := range Entries(s) {
			codes = append(codes, e.Code)
		}
	}
	if len(codes) < 100 {
		t.Fatalf("only %d codes", len(codes))
	}
	for _, c := range codes {
		if got, ok := ParseString(c.String()); !ok || got != c {
			t.Errorf("ParseString(%q) = %v, %v", c.String(), got, ok)
		}
	}
	for _, s := range []string{"", "ok", "ctap:", "bogus:1", "0x31", ":x"} {
		if c, ok := ParseString(s); ok || !c.IsZero() {
			t.Errorf("ParseString(%q) = %v, %v", s, c, ok)
		}
	}
}
