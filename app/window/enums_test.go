package window

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/ctap"
)

// wordsOf checks that words gives each value words of its own in English
// and German (distinct from fallback's, translated), and returns them.
func wordsOf[T comparable](t *testing.T, what string, values []T, words func(T) string, fallback string) {
	t.Helper()
	t.Setenv("LANGUAGE", "en")
	SetLanguage("en")
	t.Cleanup(func() { SetLanguage("en") })
	english := map[T]string{}
	seen := map[string]T{}
	for _, v := range values {
		w := words(v)
		if w == "" || w == fallback {
			t.Errorf("%s %v has no words of its own (%q)", what, v, w)
		}
		if other, dup := seen[w]; dup {
			t.Errorf("%s %v and %v are both worded %q", what, v, other, w)
		}
		seen[w], english[v] = v, w
	}
	SetLanguage("de")
	for _, v := range values {
		if w := words(v); w == english[v] {
			t.Errorf("%s %v is %q in German too", what, v, w)
		}
	}
}

// TestTouchPurposeWords: every touch purpose of package ctap has the
// window's words, in English and German.
func TestTouchPurposeWords(t *testing.T) {
	wordsOf(t, "touch purpose", ctap.TouchPurposes(), touchPurposeText, "confirm")
}

// TestKeyVerdictWords: every key verdict has the window's words, in
// English and German, and keeps its name in the report's JSON.
func TestKeyVerdictWords(t *testing.T) {
	var all []KeyVerdict
	for _, k := range keyVerdicts {
		all = append(all, k.v)
	}
	if len(all) != int(VerdictReinsert) {
		t.Fatalf("keyVerdicts lists %d of %d verdicts", len(all), VerdictReinsert)
	}
	wordsOf(t, "key verdict", all, KeyVerdict.Text, "unknown")
	b, err := json.Marshal(KeyRow{Verdict: VerdictBlocked})
	if err != nil || !strings.Contains(string(b), `"verdict":"PIN blocked: reset needed"`) {
		t.Fatalf("KeyRow JSON: %s %v", b, err)
	}
	var back KeyRow
	if err := json.Unmarshal(b, &back); err != nil || back.Verdict != VerdictBlocked {
		t.Fatalf("read back: %v %v", back.Verdict, err)
	}
	if err := json.Unmarshal([]byte(`{"verdict":"fine"}`), &back); err == nil {
		t.Fatal("an unknown verdict was read")
	}
}

// TestCeremonyKindWords: every ceremony kind and credential data kind has
// the window's words, in English and German, and keeps its JSON name.
func TestCeremonyKindWords(t *testing.T) {
	wordsOf(t, "ceremony kind", ceremony.Kinds(), kindText, "unknown")
	wordsOf(t, "data kind", []DataKind{DataAttestation, DataAssertion}, DataKind.Text, "unknown")
	b, err := json.Marshal(Ceremony{Record: ceremony.Record{Kind: ceremony.KindSignIn}, Credential: &CredentialInfo{Kind: DataAssertion}})
	if err != nil || !strings.Contains(string(b), `"kind":"sign-in"`) || !strings.Contains(string(b), `"kind":"assertion"`) {
		t.Fatalf("JSON: %s %v", b, err)
	}
	var back Ceremony
	if err := json.Unmarshal(b, &back); err != nil || back.Kind != ceremony.KindSignIn || back.Credential.Kind != DataAssertion {
		t.Fatalf("read back: %+v %v", back, err)
	}
}

// TestSigVerdictWords: every signature verdict has the window's words, in
// English and German, and the report's JSON keeps its English sentence.
func TestSigVerdictWords(t *testing.T) {
	all := []SigVerdict{VerdictSigVerified, VerdictSigBad, VerdictSigAccepted, VerdictSigUnchecked,
		VerdictAttUnreadable, VerdictAttBad, VerdictAttNone, VerdictAttUnverified, verdictAttVerified("basic")}
	if len(all) != len(sigVerdicts)+1 {
		t.Fatalf("the test lists %d verdicts, decode.go has %d", len(all), len(sigVerdicts)+1)
	}
	wordsOf(t, "signature verdict", all, SigVerdict.Text, "")
	SetLanguage("de")
	if got := verdictAttVerified("basic").Text(); !strings.Contains(got, "basic") {
		t.Errorf("the attestation type is lost in German: %q", got)
	}
	SetLanguage("en")
	b, err := json.Marshal(CredentialInfo{Kind: DataAttestation, Verdict: verdictAttVerified("basic")})
	if err != nil || !strings.Contains(string(b), `"verdict":"signature verified (basic attestation)"`) {
		t.Fatalf("JSON: %s %v", b, err)
	}
	for _, v := range all {
		b, err := json.Marshal(v)
		var back SigVerdict
		if err != nil || json.Unmarshal(b, &back) != nil || back != v {
			t.Errorf("%v: JSON %s read back as %v", v, b, back)
		}
	}
	var back SigVerdict
	if err := json.Unmarshal([]byte(`"fine"`), &back); err == nil {
		t.Error("an unknown verdict was read")
	}
	if b, _ := json.Marshal(CredentialInfo{Kind: DataAssertion}); strings.Contains(string(b), "verdict") {
		t.Fatalf("no verdict written: %s", b)
	}
}
