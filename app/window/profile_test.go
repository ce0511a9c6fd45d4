package window

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestKeysScreenSaysFirmwareNotReported: a CTAP 2.0 key has no firmware
// version in its getInfo; the Keys screen says "not reported" (German:
// "nicht angegeben"), not "unknown" and never 0.0.0.
func TestKeysScreenSaysFirmwareNotReported(t *testing.T) {
	u, _ := newTestUI(t)
	old, err := demo.StartMemoryKey(virtualkey.Options{Profile: virtualkey.ProfileCTAP20})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	u.Keys.Scan(context.Background(), true)
	r, ok := u.Keys.Row(old.Path())
	if !ok || r.Firmware != "" || !strings.HasPrefix(r.DetailsText(), "Firmware not reported · ") {
		t.Fatalf("Keys row of a CTAP 2.0 key: %q (%+v)", r.DetailsText(), r)
	}
	SetLanguage("de")
	defer SetLanguage("en")
	if d := r.DetailsText(); !strings.HasPrefix(d, "Firmware nicht angegeben · ") {
		t.Errorf("German Keys row: %q", d)
	}
}

// TestEnrollShowsTheTrustVerdict: in demo mode the Enroll screen's result
// says how far the key's attestation can be trusted (the demo's own key:
// its certificate leads to the emulator's root), in German too.
func TestEnrollShowsTheTrustVerdict(t *testing.T) {
	u, _ := newTestUI(t)
	onUI(func() { u.Show(ScreenEnroll) })
	e := u.enrollScreen
	enroll := func(name string) string {
		t.Helper()
		fyne.DoAndWait(func() {
			e.username.SetText(name)
			test.Tap(e.start)
		})
		u.Enroll.Wait()
		if !get[bool](t, u.Enroll.ResultOK) {
			t.Fatalf("enroll: %s", get[string](t, u.Enroll.ResultText))
		}
		return get[string](t, u.Enroll.ResultText)
	}
	if text := enroll("tess"); !strings.Contains(text, "Attestation: trusted") {
		t.Errorf("result text: %q", text)
	}
	SetLanguage("de")
	defer SetLanguage("en")
	if text := enroll("tessa"); !strings.Contains(text, "Beglaubigung: vertrauenswürdig") {
		t.Errorf("German result text: %q", text)
	}
}

// TestKeysScreenShowsAU2FKey: a U2F-only key answers no getInfo; the Keys
// screen lists it as a U2F (CTAP1) key, ready, with no PIN and no stored
// credentials (not "unknown slots left"), no AAGUID, model or firmware
// invented, in German too; its JSON row says u2fOnly.
func TestKeysScreenShowsAU2FKey(t *testing.T) {
	u, _ := newTestUI(t)
	k, err := demo.StartMemoryKey(virtualkey.Options{Profile: virtualkey.ProfileU2F})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	u.Keys.Scan(context.Background(), true)
	r, ok := u.Keys.Row(k.Path())
	if !ok || r.Problem != "" || !r.U2FOnly || r.PINSupported || r.CredMgmt || r.Reset || r.AAGUID != "" || r.Model != "" ||
		r.Firmware != "" || r.Verdict != VerdictReady {
		t.Fatalf("Keys row of a U2F key: %+v", r)
	}
	if d := r.DetailsText(); d != "U2F (CTAP1) key · no PIN support · stores no credentials" {
		t.Errorf("details %q", d)
	}
	b, err := json.Marshal(r)
	if err != nil || strings.Contains(string(b), "null") || !strings.Contains(string(b), `"u2fOnly":true`) {
		t.Errorf("JSON row %s (%v)", b, err)
	}
	SetLanguage("de")
	defer SetLanguage("en")
	if d := r.DetailsText(); d != "U2F-Schlüssel (CTAP1) · keine PIN-Unterstützung · speichert keine Zugänge" {
		t.Errorf("German details %q", d)
	}
}
