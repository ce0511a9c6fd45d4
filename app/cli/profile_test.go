package cli

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestInfoOfACTAP20Key: a CTAP 2.0 key reports no firmware version, no
// algorithms and no transports. `keydesk info` says "not reported" (in
// German too), never 0x00000000; --json has empty lists, never null, and
// the AAGUID in one spelling: the lowercase hyphenated UUID, in the report
// and inside the getInfo it carries.
func TestInfoOfACTAP20Key(t *testing.T) {
	useConfigDir(t)
	k, err := demo.StartMemoryKey(virtualkey.Options{Profile: virtualkey.ProfileCTAP20})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	code, out, errs := run(t, "", nil, "info", "--json", "--device", k.Path())
	if code != 0 {
		t.Fatalf("info --json: exit %d\n%s", code, errs)
	}
	if strings.Contains(out, "null") {
		t.Errorf("info --json has null:\n%s", out)
	}
	var raw struct {
		AAGUID string `json:"aaguid"`
		Info   map[string]any
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	if !uuid.MatchString(raw.AAGUID) || raw.Info["aaguid"] != raw.AAGUID {
		t.Errorf("AAGUID spellings %q and %v:\n%s", raw.AAGUID, raw.Info["aaguid"], out)
	}
	for _, list := range []string{"algorithms", "transports", "versions", "extensions", "pinUvAuthProtocols"} {
		if _, ok := raw.Info[list].([]any); !ok {
			t.Errorf("info.%s is %v, want a list", list, raw.Info[list])
		}
	}
	_, out, _ = run(t, "", nil, "info", "--device", k.Path())
	words := strings.Join(strings.Fields(out), " ")
	if !strings.Contains(words, "Firmware not reported") || strings.Contains(out, "0x00000000") {
		t.Errorf("info text:\n%s", out)
	}
	t.Setenv("LANGUAGE", "de")
	_, out, _ = run(t, "", nil, "info", "--device", k.Path())
	if !strings.Contains(out, "nicht angegeben") {
		t.Errorf("German info text:\n%s", out)
	}
}

// TestDemoEnrollShowsTheTrustVerdict: in demo mode a key whose attestation
// CA the emulator has never seen (a person's own hardware key) enrolls, and
// the report says how far its attestation can be trusted, in English,
// German and --json.
func TestDemoEnrollShowsTheTrustVerdict(t *testing.T) {
	useConfigDir(t)
	hw, err := demo.StartMemoryKey(virtualkey.Options{Profile: virtualkey.ProfileUnknownVendor})
	if err != nil {
		t.Fatal(err)
	}
	defer hw.Close()
	code, out, errs := run(t, "", nil, "enroll", "--demo", "--user", "zoe", "--device", hw.Path())
	if code != 0 || !strings.Contains(out, "Attestation: untrusted") {
		t.Fatalf("enroll: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = run(t, "", nil, "enroll", "--demo", "--user", "zoe2", "--device", hw.Path(), "--json")
	var rep ceremonyReport
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.AttestationTrust != "untrusted" {
		t.Fatalf("enroll --json: exit %d\n%s", code, out)
	}
	t.Setenv("LANGUAGE", "de")
	code, out, _ = run(t, "", nil, "enroll", "--demo", "--user", "zoe3", "--device", hw.Path())
	if code != 0 || !strings.Contains(out, "Beglaubigung: nicht vertrauenswürdig") {
		t.Fatalf("German enroll: exit %d\n%s", code, out)
	}
}
