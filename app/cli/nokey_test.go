package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/keydesk/keydesk/app/demo"
)

// configureInstance writes a settings file naming a (fake, never reached)
// https instance into the test's config dir, on a helpdesk station (the
// station that enrolls by username and holds the access key).
func configureInstance(t *testing.T) {
	t.Helper()
	dir := useConfigDir(t)
	t.Setenv("KEYDESK_ACCESS_KEY", "test-placeholder-not-a-key")
	cfg := `{"instanceUrl": "https://acme.example.invalid", "origin": "https://portal.example.com", "station": "helpdesk"}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

// forbidVirtualKey makes starting the virtual key or the demo environment
// fail the test.
func forbidVirtualKey(t *testing.T) {
	t.Helper()
	prevKey, prevEnv := startVirtualKey, startDemoEnv
	t.Cleanup(func() { startVirtualKey, startDemoEnv = prevKey, prevEnv })
	startVirtualKey = func() (string, func(), error) {
		t.Error("the virtual key was started with an instance configured")
		return "", nil, errors.New("virtual key forbidden in this test")
	}
	startDemoEnv = func(context.Context, demo.Options) (*demo.Env, error) {
		t.Error("demo mode was started with an instance configured")
		return nil, errors.New("demo mode forbidden in this test")
	}
}

// TestConfiguredInstanceNoKeyIsAnError: with an instance configured and no
// hardware key (the test seam hides any), enroll, approve and webauthn
// create|get fail with KeyDesk's no-key result and a hint, and never start
// the software virtual key.
func TestConfiguredInstanceNoKeyIsAnError(t *testing.T) {
	configureInstance(t)
	forbidVirtualKey(t)
	for _, args := range [][]string{
		{"enroll", "--user", "u"},
		{"approve", "--user", "u"},
		{"webauthn", "create", "--options", "-", "--origin", "https://portal.example.com"},
		{"webauthn", "get", "--options", "-", "--origin", "https://portal.example.com"},
		{"info"},
	} {
		code, out, errs := run(t, "{}", nil, args...)
		name := strings.Join(args, " ")
		if code != 1 {
			t.Errorf("%s: exit %d, want 1\n%s\n%s", name, code, out, errs)
		}
		for _, want := range []string{"No security key found", "/dev/hidraw", "--demo"} {
			if !strings.Contains(errs, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", name, want, errs)
			}
		}
		if n := strings.Count(strings.ToLower(errs), "plug in your"); n != 1 {
			t.Errorf("%s: the advice to plug the key in is said %d times, want once:\n%s", name, n, errs)
		}
		if strings.Contains(errs, "using KeyDesk's virtual key") || strings.Contains(out, "success-") {
			t.Errorf("%s: the virtual key stood in:\n%s\n%s", name, out, errs)
		}
	}
	code, out, errs := run(t, "", nil, "devices", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("devices --json with no key: exit %d %q %s", code, out, errs)
	}
}

// TestDemoFlagSaysItReplacesTheInstance: --demo's help and its stderr say
// plainly that the configured instance is replaced by the emulator.
func TestDemoFlagSaysItReplacesTheInstance(t *testing.T) {
	configureInstance(t)
	code, _, errs := run(t, "", nil, "enroll", "-h")
	if code != 0 || !strings.Contains(errs, "REPLACES the configured Authentication Cloud instance with the built-in emulator") {
		t.Fatalf("enroll -h does not say what --demo replaces (exit %d):\n%s", code, errs)
	}
	code, out, errs := run(t, "", nil, "enroll", "--demo", "--user", "bob")
	if code != 0 || !strings.Contains(out, "success-registration") {
		t.Fatalf("enroll --demo: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "INSTEAD OF the configured instance https://acme.example.invalid") {
		t.Fatalf("enroll --demo with an instance configured does not say it is replaced:\n%s", errs)
	}
}

// TestKeyringUnavailableSaysWhatToDo: with an instance configured, no
// KEYDESK_ACCESS_KEY and a keyring that fails as go-keyring does without a
// Secret Service on D-Bus (go-keyring's own MockInitWithError), a command
// that needs the access key says what to do: install or unlock a keyring,
// or set KEYDESK_ACCESS_KEY.
func TestKeyringUnavailableSaysWhatToDo(t *testing.T) {
	configureInstance(t)
	t.Setenv("KEYDESK_ACCESS_KEY", "")
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	t.Cleanup(keyring.MockInit)
	forbidVirtualKey(t)
	for _, args := range [][]string{{"enroll", "--user", "u"}, {"approve", "--user", "u", "--json"}} {
		code, out, errs := run(t, "", nil, args...)
		all := out + errs
		if code != 1 || !strings.Contains(all, "KEYDESK_ACCESS_KEY") || !strings.Contains(all, "unlock a keyring") {
			t.Errorf("%v: exit %d, no hint:\n%s", args, code, all)
		}
	}
}
