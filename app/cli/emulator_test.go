package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/ctap/testkit"
)

func runEmulatorForTest(t *testing.T, env map[string]string, args ...string) (out *testkit.SyncBuffer, stop func() int) {
	t.Helper()
	out, errb := &testkit.SyncBuffer{}, &testkit.SyncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	s := IO{In: strings.NewReader(""), Out: out, Err: errb, Getenv: func(k string) string { return env[k] }}
	go func() { done <- runEmulator(ctx, args, s) }()
	return out, func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(5 * time.Second):
			t.Fatal("emulator command did not stop")
			return -1
		}
	}
}

var urlLine = regexp.MustCompile(`instance URL: (http://127\.0\.0\.1:\d+)`)

func waitForURL(t *testing.T, out *testkit.SyncBuffer) string {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := urlLine.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no instance URL in output:\n%s", out)
	return ""
}

func TestEmulatorCommandWithEnvKey(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	out, stop := runEmulatorForTest(t, map[string]string{"KEYDESK_ACCESS_KEY": "env-key-for-emulator"},
		"--addr", "127.0.0.1:0", "--state", state, "--origin", "https://portal.example.com")
	base := waitForURL(t, out)
	if strings.Contains(out.String(), "env-key-for-emulator") {
		t.Errorf("a key from the environment was printed:\n%s", out)
	}
	if !strings.Contains(out.String(), "origin:       https://portal.example.com (RP ID portal.example.com)") ||
		!strings.Contains(out.String(), "from KEYDESK_ACCESS_KEY") {
		t.Errorf("output:\n%s", out)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/users/nobody", nil)
	req.Header.Set("Authorization", "Bearer env-key-for-emulator")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET unknown user with the key: %d, want 404", resp.StatusCode)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit code %d", code)
	}
	if _, err := http.Get(base + "/api/v1/users/x"); err == nil {
		t.Error("still serving after stop")
	}
}

func TestEmulatorCommandGeneratesKey(t *testing.T) {
	out, stop := runEmulatorForTest(t, nil)
	base := waitForURL(t, out)
	m := regexp.MustCompile(`access key:   (\S+)`).FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "local test key") {
		t.Fatalf("generated key not shown:\n%s", out)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/status", strings.NewReader(`{"statusToken":"x"}`))
	req.Header.Set("Authorization", "Bearer "+m[1])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status with the printed key: %d", resp.StatusCode)
	}
	stop()
}

func TestEmulatorCommandRefusesNonLoopback(t *testing.T) {
	errb := &testkit.SyncBuffer{}
	s := IO{Out: &testkit.SyncBuffer{}, Err: errb, Getenv: func(string) string { return "" }}
	if code := runEmulator(context.Background(), []string{"--addr", "0.0.0.0:0"}, s); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if !strings.Contains(errb.String(), "loopback") {
		t.Errorf("stderr: %s", errb)
	}
	if code := runEmulator(context.Background(), []string{"--bogus"}, IO{Out: &testkit.SyncBuffer{}, Err: &testkit.SyncBuffer{}}); code != 2 {
		t.Errorf("bad flag: exit code %d, want 2", code)
	}
}

// --json prints where the emulator listens as one JSON object.
func TestEmulatorCommandJSON(t *testing.T) {
	out, stop := runEmulatorForTest(t, nil, "--json")
	var info map[string]string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if json.Unmarshal([]byte(out.String()), &info) == nil {
			break
		}
	}
	if !strings.HasPrefix(info["instanceURL"], "http://127.0.0.1:") || info["accessKey"] == "" || info["apiBase"] != info["instanceURL"]+"/api/v1" {
		t.Errorf("emulator --json: %q", out.String())
	}
	if code := stop(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// TestEmulatorCommandRPStyle: --rp-style rp makes the creation options
// name the relying party "rp", as the Cloud's sample apps read it; the
// default is the docs' "relyingParty"; anything else is a usage error.
func TestEmulatorCommandRPStyle(t *testing.T) {
	for _, tc := range []struct{ style, want, not string }{
		{"rp", `"rp":{`, `"relyingParty"`},
		{"", `"relyingParty":{`, `"rp":{`},
	} {
		args := []string{}
		if tc.style != "" {
			args = append(args, "--rp-style", tc.style)
		}
		out, stop := runEmulatorForTest(t, map[string]string{"KEYDESK_ACCESS_KEY": "rp-style-key"}, args...)
		base := waitForURL(t, out)
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/users/enroll", strings.NewReader(`{"username":"u","channel":"fido2","displayName":"U"}`))
		req.Header.Set("Authorization", "Bearer rp-style-key")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		io.Copy(&b, resp.Body)
		resp.Body.Close()
		if !strings.Contains(b.String(), tc.want) || strings.Contains(b.String(), tc.not) {
			// The answer holds a status token: not printed.
			t.Errorf("--rp-style %q: the options do not name the relying party %s", tc.style, tc.want)
		}
		if code := stop(); code != 0 {
			t.Errorf("exit code %d", code)
		}
	}
	errb := &testkit.SyncBuffer{}
	if code := runEmulator(context.Background(), []string{"--rp-style", "relying_party"}, IO{In: strings.NewReader(""), Out: &testkit.SyncBuffer{}, Err: errb}); code != 2 {
		t.Errorf("--rp-style relying_party: exit %d, want 2 (%s)", code, errb)
	}
}
