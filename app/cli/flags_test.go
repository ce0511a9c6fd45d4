package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// Every command answers -h with its usage and exit 0, and a flag it does
// not know with exit 2, before it touches a key or the network.
func TestEveryCommandHelpAndBadFlag(t *testing.T) {
	useConfigDir(t)
	sub := map[string][]string{"pin": {"set"}, "credentials": {"list"}, "webauthn": {"create"}}
	for name := range commands {
		pre := append([]string{name}, sub[name]...)
		for _, c := range []struct {
			flag string
			want int
		}{{"-h", 0}, {"--no-such-flag", 2}} {
			var out, errb bytes.Buffer
			s := IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: os.Getenv,
				ReadSecret: func(string) (string, error) { t.Fatalf("%s %s asked for a secret", name, c.flag); return "", nil }}
			code := Main(append(pre, c.flag), s, Windows{})
			if code != c.want {
				t.Errorf("keydesk %s %s: exit %d, want %d\n%s", strings.Join(pre, " "), c.flag, code, c.want, errb.String())
			}
			if !strings.Contains(strings.ToLower(errb.String()), "usage") {
				t.Errorf("keydesk %s %s printed no usage:\n%s", strings.Join(pre, " "), c.flag, errb.String())
			}
		}
	}
}

// Flags may follow the positional arguments, "--" ends the flags, and a
// lone "-" is a positional argument (standard input).
func TestParseFlagsInterleaved(t *testing.T) {
	for _, c := range []struct {
		args     []string
		wantJSON bool
		wantArgs []string
	}{
		{[]string{"0x31", "--json"}, true, []string{"0x31"}},
		{[]string{"--json", "0x31"}, true, []string{"0x31"}},
		{[]string{"a", "--json", "b"}, true, []string{"a", "b"}},
		{[]string{"a", "--", "--json", "b"}, false, []string{"a", "--json", "b"}},
		{[]string{"-", "--json"}, true, []string{"-"}},
		{[]string{"--", "-x"}, false, []string{"-x"}},
	} {
		fs := newFlagSet("t", IO{Err: &bytes.Buffer{}})
		j := fs.Bool("json", false, "")
		if code, done := parseFlags(fs, c.args, IO{}); done {
			t.Fatalf("%q: done with %d", c.args, code)
		}
		if *j != c.wantJSON || strings.Join(fs.Args(), "|") != strings.Join(c.wantArgs, "|") {
			t.Errorf("%q: json %v args %q, want %v %q", c.args, *j, fs.Args(), c.wantJSON, c.wantArgs)
		}
	}
}

// `keydesk explain 0x31 --json` explains 0x31 as JSON, not "--json".
func TestExplainFlagAfterCode(t *testing.T) {
	out, errOut, code := runCLI(t, "", "explain", "0x31", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if strings.Contains(out, "--json") || !strings.Contains(out, "0x31") {
		t.Errorf("explained the wrong input:\n%s", out)
	}
}

// `keydesk explain -` reads standard input, as --file - does.
func TestExplainDashIsStdin(t *testing.T) {
	want, _, _ := runCLI(t, "FIDO_ERR_PIN_INVALID", "explain", "--file", "-")
	out, errOut, code := runCLI(t, "FIDO_ERR_PIN_INVALID", "explain", "-")
	if code != 0 || out != want || !strings.Contains(out, "0x31") {
		t.Fatalf("explain -: exit %d %s\n%s\nwant\n%s", code, errOut, out, want)
	}
}

// Under --json a failure is {"error": {"code", "message"}} on standard
// output, for usage errors and command failures alike.
func TestJSONFailureShape(t *testing.T) {
	useConfigDir(t)
	for _, args := range [][]string{
		{"explain", "--json", "--file", "/no/such/file"},
		{"explain", "--json", "--file", "x", "0x31"},
		{"pin", "--json"},
		{"credentials", "delete", "--id", "not base64!", "--json"},
		{"info", "--json", "--no-such-flag"},
		{"explain", "0x31", "--bogus", "--json"},
	} {
		out, errOut, code := runCLI(t, "", args...)
		if code == 0 {
			t.Errorf("%q: exit 0", args)
			continue
		}
		var v struct {
			Error *struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil || v.Error == nil || v.Error.Message == "" {
			t.Errorf("%q: not the JSON error shape (%v):\n%s\n%s", args, err, out, errOut)
		}
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 credentials", 1: "1 credential", 2: "2 credentials"} {
		if got := plural(n, word{"%d credential", "%d Zugang"}, word{"%d credentials", "%d Zugänge"}); got != want {
			t.Errorf("plural(%d) = %q", n, got)
		}
	}
}

// A device path that names nothing says so with a KeyDesk code, instead of
// libfido2's FIDO_ERR_INTERNAL.
func TestMissingDevicePath(t *testing.T) {
	useConfigDir(t)
	for _, path := range []string{"/dev/hidraw99", "virtual:/tmp/nonexistent"} {
		out, errOut, code := runCLI(t, "", "info", "--device", path, "--json")
		if code != 1 {
			t.Errorf("%s: exit %d", path, code)
		}
		var v struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%s: %v\n%s%s", path, err, out, errOut)
		}
		if v.Error.Code != "keydesk:no-such-device" || !strings.Contains(v.Error.Message, "no security key at "+path) || !strings.Contains(v.Error.Message, "keydesk devices") {
			t.Errorf("%s: %+v", path, v.Error)
		}
		_, errOut, _ = runCLI(t, "", "info", "--device", path)
		if !strings.Contains(errOut, "no security key at "+path) || strings.Contains(errOut, "INTERNAL") {
			t.Errorf("%s: text error %q", path, errOut)
		}
	}
}

// -h exits 0 also before a sub-command is named.
func TestHelpWithoutSubcommand(t *testing.T) {
	for _, cmd := range []string{"pin", "credentials", "webauthn"} {
		_, errOut, code := runCLI(t, "", cmd, "-h")
		if code != 0 || !strings.Contains(strings.ToLower(errOut), "usage") {
			t.Errorf("keydesk %s -h: exit %d\n%s", cmd, code, errOut)
		}
	}
}

// codes takes --json like every other command.
func TestCodesJSONFlag(t *testing.T) {
	want, _, _ := runCLI(t, "", "codes", "--format", "json", "--source", "keydesk")
	out, errOut, code := runCLI(t, "", "codes", "--source", "keydesk", "--json")
	if code != 0 || out != want {
		t.Errorf("codes --json: exit %d %s", code, errOut)
	}
}

// `webauthn create -` reads the options from standard input.
func TestWebAuthnDashIsStdin(t *testing.T) {
	useConfigDir(t)
	out, errOut, code := runCLI(t, "not json", "webauthn", "create", "-", "--origin", "https://example.com", "--demo", "--json")
	if code != 1 || !strings.Contains(out, "not valid") {
		t.Errorf("webauthn create -: exit %d\n%s\n%s", code, out, errOut)
	}
}

// A stray argument to a key command is a usage error, not ignored.
func TestKeyCommandRejectsStrayArgument(t *testing.T) {
	useConfigDir(t)
	if _, errOut, code := runCLI(t, "", "info", "extra"); code != 2 || !strings.Contains(errOut, `unexpected argument "extra"`) {
		t.Errorf("info extra: exit %d %s", code, errOut)
	}
}
