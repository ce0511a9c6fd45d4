package window

import (
	"context"
	"strings"
	"testing"

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
