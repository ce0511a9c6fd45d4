package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/client/safetext"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// run runs the CLI in-process with PINs answered from pins, in a config
// dir of the test's own (demo state lives there).
func run(t *testing.T, stdin string, pins []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	s := IO{In: strings.NewReader(stdin), Out: &out, Err: &errb, Getenv: os.Getenv,
		ReadSecret: func(prompt string) (string, error) {
			if len(pins) == 0 {
				t.Fatalf("unexpected secret prompt %q", prompt)
			}
			p := pins[0]
			pins = pins[1:]
			return p, nil
		}}
	code = Main(args, s, Windows{})
	return code, out.String(), errb.String()
}

func useConfigDir(t *testing.T) string {
	dir := t.TempDir()
	t.Setenv("KEYDESK_CONFIG_DIR", dir)
	t.Setenv("KEYDESK_ACCESS_KEY", "")
	return dir
}

func TestDevicesListsTheVirtualKey(t *testing.T) {
	useConfigDir(t)
	code, out, _ := run(t, "", nil, "devices", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var keys []struct {
		Path    string `json:"path"`
		Virtual bool   `json:"virtual"`
		Product string `json:"product"`
	}
	if err := json.Unmarshal([]byte(out), &keys); err != nil {
		t.Fatalf("devices --json is not JSON: %v\n%s", err, out)
	}
	if len(keys) != 1 || !keys[0].Virtual || keys[0].Product != demo.Product || !strings.HasPrefix(keys[0].Path, "virtual:") {
		t.Fatalf("devices = %+v", keys)
	}
	code, out, _ = run(t, "", nil, "devices")
	if code != 0 || !strings.Contains(out, "virtual") || !strings.Contains(out, "PATH") {
		t.Fatalf("devices text (exit %d):\n%s", code, out)
	}
}

func TestInfoPrintsFullGetInfo(t *testing.T) {
	useConfigDir(t)
	code, out, _ := run(t, "", nil, "info", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var rep infoReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.AAGUID != virtualkey.AAGUIDString() {
		t.Errorf("AAGUID %s, want the virtual key's %s", rep.AAGUID, virtualkey.AAGUIDString())
	}
	i := rep.Info
	if !contains(i.Versions, "FIDO_2_1") || len(i.PINUVAuthProtocols) != 2 || i.MaxMsgSize == 0 ||
		!contains(i.Transports, "usb") || len(i.Algorithms) < 2 || i.RemainingDiscoverableCredentials <= 0 || i.FirmwareVersion == 0 {
		t.Fatalf("info lacks fields: %+v", i)
	}
	code, out, _ = run(t, "", nil, "info")
	for _, want := range []string{"AAGUID", "FIDO_2_1", "ES256 (-7)", "PIN  ", "not set", "Discoverable slots left"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("info text lacks %q:\n%s", want, out)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestPINSetChangeAndCredentials(t *testing.T) {
	useConfigDir(t)
	if code, _, errs := run(t, "", []string{"12"}, "pin", "set"); code == 0 || !strings.Contains(errs, "at least 4") {
		t.Fatalf("short PIN accepted (exit %d): %s", code, errs)
	}
	if code, _, errs := run(t, "", []string{"4321", "4322"}, "pin", "set"); code == 0 || !strings.Contains(errs, "differ") {
		t.Fatalf("mismatched PINs accepted (exit %d): %s", code, errs)
	}
	if code, out, errs := run(t, "", []string{"4321", "4321"}, "pin", "set"); code != 0 || !strings.Contains(out, "PIN set") {
		t.Fatalf("pin set: exit %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "", []string{"9999", "5555", "5555"}, "pin", "change"); code == 0 || !strings.Contains(errs, "0x31") {
		t.Fatalf("change with a wrong PIN (exit %d): %s", code, errs)
	}
	if code, out, errs := run(t, "", []string{"4321", "5555", "5555"}, "pin", "change"); code != 0 || !strings.Contains(out, "PIN changed") {
		t.Fatalf("pin change: exit %d %s %s", code, out, errs)
	}
	_, out, _ := run(t, "", nil, "info", "--json")
	var rep infoReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Info == nil {
		t.Fatalf("info --json after change: %v\n%s", err, out)
	}
	if !rep.PINSet || rep.PINRetries == nil || *rep.PINRetries != 8 {
		t.Fatalf("after change: pinSet %v retries %v", rep.PINSet, rep.PINRetries)
	}

	// Enroll in demo mode (the PIN is asked for), then list and delete
	// the discoverable credential it made.
	if code, out, errs := run(t, "", []string{"5555"}, "enroll", "--demo", "--user", "alice"); code != 0 {
		t.Fatalf("enroll: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs := run(t, "", []string{"5555"}, "credentials", "list", "--json")
	if code != 0 {
		t.Fatalf("credentials list: %d %s", code, errs)
	}
	var list struct {
		Slots       struct{ Existing, Remaining int }
		Credentials []credentialRow
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Credentials) != 1 || list.Credentials[0].RPID != "localhost" || list.Slots.Existing != 1 {
		t.Fatalf("credentials = %+v", list)
	}
	if code, _, errs := run(t, "", []string{"5555"}, "credentials", "delete", "--id", list.Credentials[0].ID); code != 0 {
		t.Fatalf("delete: %s", errs)
	}
	_, out, errs = run(t, "", []string{"5555"}, "credentials", "list", "--json")
	list.Credentials = nil
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("%v: %s %s", err, out, errs)
	}
	if len(list.Credentials) != 0 {
		t.Fatalf("credential still listed after delete: %+v", list)
	}
	if code, _, _ := run(t, "", nil, "credentials", "delete", "--id", "not base64!"); code != 2 {
		t.Fatalf("bad --id exit %d, want 2", code)
	}
}

func TestResetAsksForConfirmation(t *testing.T) {
	useConfigDir(t)
	// info reads the key's state; it must print a real report, else the
	// PIN checks below would pass on empty output.
	info := func(when string) infoReport {
		t.Helper()
		code, out, errs := run(t, "", nil, "info", "--json")
		var rep infoReport
		if code != 0 {
			t.Fatalf("info %s: exit %d %s", when, code, errs)
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("info %s is not JSON: %v\n%s", when, err, out)
		}
		if rep.Info == nil || rep.AAGUID != virtualkey.AAGUIDString() || !strings.HasPrefix(rep.Path, "virtual:") {
			t.Fatalf("info %s is not the test's virtual key: %s", when, out)
		}
		return rep
	}
	if code, out, errs := run(t, "", []string{"4321", "4321"}, "pin", "set"); code != 0 || !strings.Contains(out, "PIN set") {
		t.Fatalf("pin set: exit %d %s %s", code, out, errs)
	}
	if !info("after pin set").PINSet {
		t.Fatal("PIN not set before the reset")
	}
	if code, _, errs := run(t, "no\n", nil, "reset"); code != 1 || !strings.Contains(errs, "Not reset") {
		t.Fatalf("reset without RESET: exit %d %s", code, errs)
	}
	if !info("after a refused reset").PINSet {
		t.Fatal("a refused reset cleared the PIN")
	}
	if code, out, errs := run(t, "RESET\n", nil, "reset"); code != 0 || !strings.Contains(out, "Key reset") {
		t.Fatalf("reset: exit %d %s %s", code, out, errs)
	}
	if info("after reset").PINSet {
		t.Fatal("PIN still set after reset")
	}
}

func TestEnrollApproveDemo(t *testing.T) {
	useConfigDir(t)
	code, out, errs := run(t, "", nil, "enroll", "--demo", "--user", "bob", "--json")
	if code != 0 {
		t.Fatalf("enroll exit %d\n%s\n%s", code, out, errs)
	}
	var rep ceremonyReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Result.Success || rep.Result.Code.StatusCode != "success-registration" || rep.Result.Token != "[redacted]" {
		t.Fatalf("enroll result %+v", rep.Result)
	}
	// A new process would find the same state: a fresh demo env here.
	code, out, _ = run(t, "", nil, "approve", "--demo", "--user", "bob")
	if code != 0 || !strings.Contains(out, "success-authentication") || !strings.Contains(out, "introspect token") {
		t.Fatalf("approve exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "", nil, "approve", "--demo", "--user", "nobody")
	if code != 1 || !strings.Contains(out, "error-0099") && !strings.Contains(out, "error-00") {
		t.Fatalf("approve of an unknown user: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "", nil, "enroll", "--demo", "--user", "bob")
	if code != 1 || !strings.Contains(out, "error-1001") || !strings.Contains(out, "already registered") {
		t.Fatalf("second enroll of the same key: exit %d\n%s", code, out)
	}
}

// TestWebAuthnCreateVerifiesWithGoWebAuthn feeds options made by
// go-webauthn to `keydesk webauthn create` and verifies its output with
// go-webauthn, then does the same for get.
func TestWebAuthnCreateVerifiesWithGoWebAuthn(t *testing.T) {
	useConfigDir(t)
	k, err := demo.StartMemoryKey(virtualkey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	wa, err := webauthn.New(&webauthn.Config{RPID: "portal.example.com", RPDisplayName: "Portal", RPOrigins: []string{"https://portal.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	u := &waUser{id: []byte("user-1234"), name: "alice"}
	creation, session, err := wa.BeginRegistration(u)
	if err != nil {
		t.Fatal(err)
	}
	opts, _ := json.Marshal(creation)
	code, out, errs := run(t, string(opts), nil, "webauthn", "create", "--options", "-", "--origin", "https://portal.example.com", "--device", k.Path())
	if code != 0 {
		t.Fatalf("webauthn create: exit %d\n%s", code, errs)
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes([]byte(out))
	if err != nil {
		t.Fatalf("go-webauthn cannot parse the output: %v\n%s", err, out)
	}
	cred, err := wa.CreateCredential(u, *session, parsed)
	if err != nil {
		t.Fatalf("go-webauthn rejects the credential: %v", err)
	}
	u.creds = append(u.creds, *cred)

	assertion, lsession, err := wa.BeginLogin(u)
	if err != nil {
		t.Fatal(err)
	}
	opts, _ = json.Marshal(assertion)
	code, out, errs = run(t, string(opts), nil, "webauthn", "get", "--options", "-", "--origin", "https://portal.example.com", "--device", k.Path())
	if code != 0 {
		t.Fatalf("webauthn get: exit %d\n%s", code, errs)
	}
	pa, err := protocol.ParseCredentialRequestResponseBytes([]byte(out))
	if err != nil {
		t.Fatalf("go-webauthn cannot parse the assertion: %v\n%s", err, out)
	}
	if _, err := wa.ValidateLogin(u, *lsession, pa); err != nil {
		t.Fatalf("go-webauthn rejects the assertion: %v", err)
	}

	// The wrong origin for the RP ID stops before the key.
	code, _, errs = run(t, string(opts), nil, "webauthn", "get", "--options", "-", "--origin", "https://evil.example", "--device", k.Path())
	if code == 0 || !strings.Contains(errs, "SecurityError") {
		t.Fatalf("wrong origin: exit %d %s", code, errs)
	}
}

type waUser struct {
	id    []byte
	name  string
	creds []webauthn.Credential
}

func (u *waUser) WebAuthnID() []byte                         { return u.id }
func (u *waUser) WebAuthnName() string                       { return u.name }
func (u *waUser) WebAuthnDisplayName() string                { return u.name }
func (u *waUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// pin, credentials delete and reset answer --json with {"ok": true, …};
// credentials list says "1 discoverable credential".
func TestKeyCommandsJSONAndSingular(t *testing.T) {
	useConfigDir(t)
	okJSON := func(what, out string) {
		t.Helper()
		var v struct {
			OK      bool   `json:"ok"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil || !v.OK || v.Message == "" {
			t.Errorf("%s --json: %v %q", what, err, out)
		}
	}
	code, out, errs := run(t, "", []string{"4321", "4321"}, "pin", "set", "--json")
	if code != 0 {
		t.Fatalf("pin set: %d %s", code, errs)
	}
	okJSON("pin set", out)
	if code, out, errs := run(t, "", []string{"4321"}, "enroll", "--demo", "--user", "carol"); code != 0 {
		t.Fatalf("enroll: exit %d\n%s\n%s", code, out, errs)
	}
	_, out, _ = run(t, "", []string{"4321"}, "credentials", "list")
	if !strings.Contains(out, "1 discoverable credential,") {
		t.Errorf("credentials list: %q", out)
	}
	_, out, _ = run(t, "", []string{"4321"}, "credentials", "list", "--json")
	var list struct{ Credentials []credentialRow }
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.Credentials) != 1 {
		t.Fatalf("list: %v %s", err, out)
	}
	code, out, errs = run(t, "", []string{"4321"}, "credentials", "delete", "--id", list.Credentials[0].ID, "--json")
	if code != 0 {
		t.Fatalf("delete: %d %s", code, errs)
	}
	okJSON("credentials delete", out)
	if code, out, _ := run(t, "no\n", nil, "reset", "--json"); code != 1 || !strings.Contains(out, `"error"`) {
		t.Errorf("reset refused --json: exit %d %q", code, out)
	}
	code, out, errs = run(t, "", nil, "reset", "--yes", "--json")
	if code != 0 {
		t.Fatalf("reset: %d %s", code, errs)
	}
	okJSON("reset", out)
}

// info says "1 retry left", not "1 retries left".
func TestInfoRetriesSingular(t *testing.T) {
	var b bytes.Buffer
	one := 1
	printInfo(&b, infoReport{PINSet: true, PINRetries: &one, Info: &ctap.Info{Options: map[string]bool{"clientPin": true}}})
	if !strings.Contains(b.String(), "set, 1 retry left") {
		t.Errorf("info:\n%s", b.String())
	}
}

// A failed ceremony under --json carries the common {"error": …} shape
// beside the result object.
func TestCeremonyFailureJSONError(t *testing.T) {
	useConfigDir(t)
	code, out, errs := run(t, "", nil, "approve", "--demo", "--user", "nobody", "--json")
	if code != 1 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	var rep struct {
		Result struct{ Success bool }
		Error  *struct{ Code, Message string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Error == nil || rep.Error.Code == "" || rep.Error.Message == "" {
		t.Fatalf("%v: %s", err, out)
	}
	t.Logf("error: %+v", *rep.Error)
}

// TestCredentialsListEscapesControls: a relying party registers a
// discoverable credential whose user.name holds an OSC title sequence, an
// SGR colour and a bidi override; `credentials list` (text and JSON) prints
// them as visible escapes and no raw control byte reaches the terminal.
func TestCredentialsListEscapesControls(t *testing.T) {
	useConfigDir(t)
	k, err := demo.StartMemoryKey(virtualkey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if code, _, errs := run(t, "", []string{"4321", "4321"}, "pin", "set", "--device", k.Path()); code != 0 {
		t.Fatalf("pin set: %d %s", code, errs)
	}
	evil := "\x1b]0;pwned\x07\x1b[31mmallory\u202egnp.exe\u0085"
	opts, _ := json.Marshal(map[string]any{
		"rp":               map[string]any{"id": "portal.example.com", "name": "Portal"},
		"user":             map[string]any{"id": "dXNlci0x", "name": evil, "displayName": evil},
		"challenge":        "AAECAwQFBgcICQoLDA0ODw",
		"pubKeyCredParams": []any{map[string]any{"type": "public-key", "alg": -7}},
		"authenticatorSelection": map[string]any{
			"residentKey": "required", "requireResidentKey": true, "userVerification": "required"},
	})
	code, out, errs := run(t, string(opts), []string{"4321"}, "webauthn", "create", "--options", "-", "--origin", "https://portal.example.com", "--device", k.Path())
	if code != 0 {
		t.Fatalf("webauthn create: exit %d\n%s\n%s", code, out, errs)
	}
	for _, args := range [][]string{{"credentials", "list", "--device", k.Path()}, {"credentials", "list", "--json", "--device", k.Path()}} {
		code, out, errs := run(t, "", []string{"4321"}, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errs)
		}
		if i := strings.IndexFunc(out+errs, func(r rune) bool { return r != '\n' && r != '\t' && safetext.IsControl(r) }); i >= 0 {
			t.Errorf("%v: raw control %q in the output:\n%q", args, (out + errs)[i:i+1], out+errs)
		}
		if !strings.Contains(out, `\u202e`) || !strings.Contains(out, "mallory") {
			t.Errorf("%v: the name is not shown escaped:\n%s", args, out)
		}
	}
	// explain echoes a pasted text the same way.
	out, errs2, _ := runCLI(t, "error-1001 \x1b[2J\x1b]0;x\x07 \u202eevil\u009b", "explain", "--file", "-")
	if i := strings.IndexFunc(out+errs2, func(r rune) bool { return r != '\n' && r != '\t' && safetext.IsControl(r) }); i >= 0 {
		t.Errorf("explain: raw control in the output:\n%q", out+errs2)
	}
}

// TestPINTriesLeft: the CLI says how many PIN tries are left when it asks
// for the PIN and after a wrong one, and once the PIN is blocked it asks
// for none and points to the factory reset. (Each run boots the virtual key
// anew, so every run costs one try and never reaches the three-in-a-row
// block.)
func TestPINTriesLeft(t *testing.T) {
	useConfigDir(t)
	if code, out, errs := run(t, "", []string{"4321", "4321"}, "pin", "set"); code != 0 {
		t.Fatalf("pin set: exit %d %s %s", code, out, errs)
	}
	var prompts []string
	runPrompts := func(pins []string, args ...string) (int, string) {
		var out, errb bytes.Buffer
		s := IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: os.Getenv,
			ReadSecret: func(prompt string) (string, error) {
				prompts = append(prompts, prompt)
				if len(pins) == 0 {
					t.Fatalf("unexpected secret prompt %q", prompt)
				}
				p := pins[0]
				pins = pins[1:]
				return p, nil
			}}
		return Main(args, s, Windows{}), errb.String()
	}
	for left := 7; left > 0; left-- {
		code, errs := runPrompts([]string{"9999", "5555", "5555"}, "pin", "change")
		if want := fmt.Sprintf("%s left", plural(left, word{"%d try", ""}, word{"%d tries", ""})); code == 0 || !strings.Contains(errs, want) {
			t.Fatalf("wrong PIN with %d left: exit %d, %q missing:\n%s", left, code, want, errs)
		}
		if want := fmt.Sprintf("(%s left)", plural(left+1, word{"%d try", ""}, word{"%d tries", ""})); !strings.Contains(prompts[0], want) {
			t.Fatalf("prompt %q does not say %s", prompts[0], want)
		}
		prompts = nil
	}
	code, errs := runPrompts([]string{"9999", "5555", "5555"}, "pin", "change")
	if code == 0 || !strings.Contains(errs, "keydesk reset") {
		t.Fatalf("last wrong PIN: exit %d, no reset advice:\n%s", code, errs)
	}
	prompts = nil
	for _, args := range [][]string{{"pin", "change"}, {"credentials", "list"}} {
		code, errs := runPrompts(nil, args...)
		if code == 0 || len(prompts) != 0 || !strings.Contains(errs, "0x32") || !strings.Contains(errs, "keydesk reset") {
			t.Fatalf("%v on a blocked key: exit %d, prompts %q:\n%s", args, code, prompts, errs)
		}
	}
}
