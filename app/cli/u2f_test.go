package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestInfoOfAU2FKey: a U2F-only key answers no getInfo; `keydesk info`
// says it is a U2F (CTAP1) key, "not reported" for the AAGUID it cannot
// give, no PIN minimum for a key without PIN (in German too); --json has
// no null and says u2fOnly; `keydesk devices` lists it.
func TestInfoOfAU2FKey(t *testing.T) {
	useConfigDir(t)
	k, err := demo.StartMemoryKey(virtualkey.Options{Profile: virtualkey.ProfileU2F})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	code, out, errs := run(t, "", nil, "info", "--json", "--device", k.Path())
	if code != 0 {
		t.Fatalf("info --json: exit %d\n%s", code, errs)
	}
	var rep infoReport
	if strings.Contains(out, "null") || json.Unmarshal([]byte(out), &rep) != nil || !rep.U2FOnly || rep.Supports.PIN || rep.Supports.Reset {
		t.Errorf("info --json of a U2F key:\n%s", out)
	}
	_, out, _ = run(t, "", nil, "info", "--device", k.Path())
	words := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Protocol U2F (CTAP1) only", "AAGUID not reported", "PIN not supported"} {
		if !strings.Contains(words, want) {
			t.Errorf("info text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Min PIN length") {
		t.Errorf("a PIN minimum for a key without PIN:\n%s", out)
	}
	t.Setenv("LANGUAGE", "de")
	_, out, _ = run(t, "", nil, "info", "--device", k.Path())
	if words := strings.Join(strings.Fields(out), " "); !strings.Contains(words, "Protokoll nur U2F (CTAP1)") || !strings.Contains(words, "AAGUID nicht angegeben") {
		t.Errorf("German info text:\n%s", out)
	}
	code, out, _ = run(t, "", nil, "devices", "--json")
	if code != 0 || !strings.Contains(out, k.Path()) {
		t.Errorf("devices: exit %d\n%s", code, out)
	}
}
