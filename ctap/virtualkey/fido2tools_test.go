package virtualkey_test

import (
	"encoding/base64"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/ctap/internal/hidbridge"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestUpstreamTools runs Debian's fido2-token, fido2-cred and fido2-assert —
// upstream's own libfido2 clients, which KeyDesk did not write — against the
// virtual key through the bridge built as an LD_PRELOAD library: an
// independent check that its credentials and assertions verify.
func TestUpstreamTools(t *testing.T) {
	f := start(t, virtualkey.Options{})
	dir, run, write := upstreamTools(t, f.srv.Path())
	b64 := base64.StdEncoding.EncodeToString

	info := run("fido2-token", "-I", f.srv.Path())
	for _, want := range []string{"aaguid: " + hex.EncodeToString(virtualkey.AAGUID[:]), "FIDO_2_1", "credMgmt", "pin protocols: 2, 1"} {
		if !strings.Contains(info, want) {
			t.Errorf("fido2-token -I lacks %q:\n%s", want, info)
		}
	}

	for _, typ := range []string{"es256", "eddsa"} {
		t.Run(typ, func(t *testing.T) {
			in := write(typ+".cred.in", b64(cdh("register "+typ)), "example.com", "alice", b64([]byte("alice-id")))
			credOut := filepath.Join(dir, typ+".cred")
			run("fido2-cred", "-M", "-q", "-i", in, "-o", credOut, f.srv.Path(), typ)
			lines := readLines(t, credOut)
			if len(lines) < 7 || lines[2] != "packed" {
				t.Fatalf("fido2-cred -M output: %q", lines)
			}
			verified := filepath.Join(dir, typ+".verified")
			run("fido2-cred", "-V", "-i", credOut, "-o", verified, typ)
			v := readLines(t, verified)
			if v[0] != lines[4] {
				t.Fatalf("fido2-cred -V names credential %s, made %s", v[0], lines[4])
			}
			keyFile := write(typ+".pem", v[1:]...)

			assertIn := write(typ+".assert.in", b64(cdh("login "+typ)), "example.com", lines[4])
			assertOut := filepath.Join(dir, typ+".assert")
			run("fido2-assert", "-G", "-p", "-i", assertIn, "-o", assertOut, f.srv.Path())
			run("fido2-assert", "-V", "-p", "-i", assertOut, keyFile, typ)
		})
	}

	t.Run("resident hmac-secret", func(t *testing.T) {
		in := write("rk.cred.in", b64(cdh("rk")), "rk.example", "carol", b64([]byte("carol-id")))
		out := filepath.Join(dir, "rk.cred")
		run("fido2-cred", "-M", "-q", "-r", "-h", "-i", in, "-o", out, f.srv.Path())
		run("fido2-cred", "-V", "-h", "-i", out, "-o", filepath.Join(dir, "rk.verified"))
		v := readLines(t, filepath.Join(dir, "rk.verified"))
		keyFile := write("rk.pem", v[1:]...)
		assertIn := write("rk.assert.in", b64(cdh("rk login")), "rk.example", b64(make([]byte, 32)))
		assertOut := filepath.Join(dir, "rk.assert")
		run("fido2-assert", "-G", "-r", "-h", "-p", "-i", assertIn, "-o", assertOut, f.srv.Path())
		a := readLines(t, assertOut)
		if len(a) < 6 || a[4] != b64([]byte("carol-id")) {
			t.Fatalf("fido2-assert -G -r output: %q", a)
		}
		run("fido2-assert", "-V", "-h", "-p", "-i", assertOut, keyFile)
	})
}

// upstreamTools builds the bridge as an LD_PRELOAD library and returns a
// directory for files, a runner of upstream tools that reach the virtual
// key at path, and a writer of input files.
func upstreamTools(t *testing.T, path string) (dir string, run func(args ...string) string, write func(name string, lines ...string) string) {
	t.Helper()
	for _, tool := range []string{"fido2-token", "fido2-cred", "fido2-assert"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s missing: install fido2-tools", tool)
		}
	}
	dir = t.TempDir()
	so, err := hidbridge.BuildPreload(dir)
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "LD_PRELOAD="+so, "KEYDESK_VIRTUAL_DEVICES="+path)
	run = func(args ...string) string {
		t.Helper()
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader("")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	write = func(name string, lines ...string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return dir, run, write
}

// TestUpstreamToolsU2F: upstream's tools use the U2F profile through
// libfido2's U2F path: fido2-token reads its capabilities as wink, nocbor, msg (and no getInfo),
// fido2-cred makes a fido-u2f credential and verifies its attestation, and
// fido2-assert signs in with it and verifies the assertion.
func TestUpstreamToolsU2F(t *testing.T) {
	f := start(t, virtualkey.Options{Profile: virtualkey.ProfileU2F})
	dir, run, write := upstreamTools(t, f.srv.Path())
	b64 := base64.StdEncoding.EncodeToString
	info := run("fido2-token", "-I", f.srv.Path())
	if !strings.Contains(info, "caps: 0x01 (wink, nocbor, msg)") || strings.Contains(info, "FIDO_2_0") || strings.Contains(info, "aaguid") {
		t.Errorf("fido2-token -I of a U2F key:\n%s", info)
	}
	in := write("u2f.cred.in", b64(cdh("register u2f")), "example.com", "una", b64([]byte("una-id")))
	credOut := filepath.Join(dir, "u2f.cred")
	run("fido2-cred", "-M", "-q", "-i", in, "-o", credOut, f.srv.Path(), "es256")
	lines := readLines(t, credOut)
	if len(lines) < 7 || lines[2] != "fido-u2f" {
		t.Fatalf("fido2-cred -M output: %q", lines)
	}
	verified := filepath.Join(dir, "u2f.verified")
	run("fido2-cred", "-V", "-i", credOut, "-o", verified, "es256")
	v := readLines(t, verified)
	if v[0] != lines[4] {
		t.Fatalf("fido2-cred -V names credential %s, made %s", v[0], lines[4])
	}
	keyFile := write("u2f.pem", v[1:]...)
	assertIn := write("u2f.assert.in", b64(cdh("login u2f")), "example.com", lines[4])
	assertOut := filepath.Join(dir, "u2f.assert")
	run("fido2-assert", "-G", "-p", "-i", assertIn, "-o", assertOut, f.srv.Path())
	run("fido2-assert", "-V", "-p", "-i", assertOut, keyFile, "es256")
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
}
