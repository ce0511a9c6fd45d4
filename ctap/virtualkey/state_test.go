package virtualkey

import (
	"os"
	"path/filepath"
	"testing"
)

func TestStateFilePersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cfg", "virtualkey.json")
	k, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode %v", fi.Mode().Perm())
	}
	p := connect(t, k)
	if st := p.setPIN(pinProtocolTwo{}, "1234"); st != statusOK {
		t.Fatal(st)
	}
	tok, _ := p.token(pinProtocolTwo{}, "1234", permMakeCredential, "example.com")
	req := makeCredReq("example.com", "alice")
	req[7] = map[string]any{"rk": true}
	req[8], req[9] = pinProtocolTwo{}.authenticate(tok, hash("cdh")), 2
	if st, _ := p.ctap(cmdMakeCredential, req); st != statusOK {
		t.Fatal(st)
	}
	if _, st := p.token(pinProtocolTwo{}, "0000", 0, ""); st != errPINInvalid {
		t.Fatal(st)
	}
	counter, ca := k.st.Counter, k.CACertificate()
	if s := k.Status(); !s.PINSet || s.PINRetries != 7 || s.Resident != 1 || s.Counter != counter || s.AuthBlocked {
		t.Fatalf("status %+v", s)
	}

	// The next "demo run".
	k2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(k2.st.Creds) != 1 || k2.st.Creds[0].UserName != "alice" || k2.st.Counter != counter ||
		k2.st.Retries != 7 || k2.st.PINHash == nil || !k2.CACertificate().Equal(ca) {
		t.Fatalf("state after reopening: %d creds, counter %d, retries %d", len(k2.st.Creds), k2.st.Counter, k2.st.Retries)
	}
	q := connect(t, k2)
	st, _ := q.ctap(cmdGetAssertion, map[int]any{1: "example.com", 2: hash("x")})
	if st != statusOK {
		t.Fatalf("credential from the last run: 0x%02x", st)
	}
	if k2.st.Counter != counter+1 {
		t.Fatal("counter did not continue")
	}
}

func TestStateFileErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{"), 0o600)
	if _, err := Open(bad, Options{}); err == nil {
		t.Fatal("opened a broken state file")
	}
	os.WriteFile(bad, []byte(`{"version":99}`), 0o600)
	if _, err := Open(bad, Options{}); err == nil {
		t.Fatal("opened a state file of an unknown version")
	}
	if _, err := New(Options{PINProtocols: []int{3}}); err == nil {
		t.Fatal("accepted PIN protocol 3")
	}
}

func TestDefaultStatePath(t *testing.T) {
	t.Setenv("KEYDESK_CONFIG_DIR", "/x/y")
	if p, err := DefaultStatePath(); err != nil || p != "/x/y/virtualkey.json" {
		t.Fatalf("%q %v", p, err)
	}
	t.Setenv("KEYDESK_CONFIG_DIR", "")
	t.Setenv("XDG_CONFIG_HOME", "/cfg")
	if p, err := DefaultStatePath(); err != nil || p != "/cfg/keydesk/virtualkey.json" {
		t.Fatalf("%q %v", p, err)
	}
}

func TestServeRejectsLongSocketPath(t *testing.T) {
	k := newTestKey(t, Options{})
	long := "/tmp/" + string(make([]byte, 120))
	if _, err := k.Serve(long); err == nil {
		t.Fatal("served on a path longer than sun_path")
	}
}
