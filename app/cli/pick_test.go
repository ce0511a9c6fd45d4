package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestKeyCommandsFollowThePickRule: without --device a key command acts on
// the key ctap.PickKey chooses, through real libfido2: the one key
// connected, and with two keys none, but the several-keys code naming
// both paths.
func TestKeyCommandsFollowThePickRule(t *testing.T) {
	useConfigDir(t)
	forbidVirtualKey(t)
	a, err := demo.StartMemoryKey(virtualkey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	code, out, errs := run(t, "", nil, "info", "--json")
	var rep infoReport
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.Path != a.Path() {
		t.Fatalf("info with one key: exit %d, path %q, want %s\n%s", code, rep.Path, a.Path(), errs)
	}

	b, err := demo.StartMemoryKey(virtualkey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	code, out, _ = run(t, "", nil, "info", "--json")
	var e map[string]jsonError
	if code != 1 || json.Unmarshal([]byte(out), &e) != nil || e["error"].Code != "keydesk:several-keys" {
		t.Fatalf("info with two keys: exit %d\n%s", code, out)
	}
	for _, p := range []string{a.Path(), b.Path()} {
		if !strings.Contains(e["error"].Message, p) {
			t.Errorf("the several-keys error does not name %s: %q", p, e["error"].Message)
		}
	}
}
