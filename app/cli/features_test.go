package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestCommandsOfferOnlyWhatTheKeyCan: on a key without client PIN and
// without credential management (the virtual key told so, through real
// libfido2) `pin set`, `pin change` and `credentials list|delete` say so
// with KeyDesk's code for a key that lacks a feature (keydesk:key-unsupported,
// worded for the key, not for a service's requirement) instead of asking
// for a PIN or calling the key, and `info` reports what the key offers.
func TestCommandsOfferOnlyWhatTheKeyCan(t *testing.T) {
	useConfigDir(t)
	k, err := demo.StartMemoryKey(virtualkey.Options{NoClientPIN: true, NoCredMgmt: true})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	want := result.CodeKeyUnsupported.String()
	for _, tc := range []struct {
		args  []string
		words string
	}{
		{[]string{"pin", "set"}, "This key cannot have a PIN."},
		{[]string{"pin", "change"}, "This key cannot have a PIN."},
		{[]string{"credentials", "list"}, "This key cannot list or delete its credentials"},
		{[]string{"credentials", "delete", "--id", "AAAA"}, "This key cannot list or delete its credentials"},
	} {
		name := strings.Join(tc.args, " ")
		// No PINs given: a PIN prompt fails the test.
		code, _, errs := run(t, "", nil, append(tc.args, "--device", k.Path())...)
		if code != 1 || !strings.Contains(errs, tc.words) || strings.Contains(errs, "service") {
			t.Errorf("%s: exit %d, stderr:\n%s", name, code, errs)
		}
		code, out, _ := run(t, "", nil, append(tc.args, "--json", "--device", k.Path())...)
		var e map[string]jsonError
		if code != 1 || json.Unmarshal([]byte(out), &e) != nil || e["error"].Code != want {
			t.Errorf("%s --json: exit %d, want code %s:\n%s", name, code, want, out)
		}
	}
	if k.Key.Status().PINSet {
		t.Error("a PIN was set on a key without client PIN")
	}

	code, out, errs := run(t, "", nil, "info", "--json", "--device", k.Path())
	var rep infoReport
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("info: exit %d\n%s\n%s", code, out, errs)
	}
	if rep.Supports != (supports{Reset: true}) {
		t.Errorf("info supports %+v, want reset only", rep.Supports)
	}
	_, out, _ = run(t, "", nil, "info", "--device", k.Path())
	words := strings.Join(strings.Fields(out), " ")
	for _, line := range []string{"PIN not supported", "Credential management no", "Authenticator config no"} {
		if !strings.Contains(words, line) {
			t.Errorf("info text lacks %q:\n%s", line, out)
		}
	}
}
