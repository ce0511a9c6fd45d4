package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateExplain = flag.Bool("update-explain", false, "rewrite the golden files of keydesk explain under testdata/explain")

// TestExplainGolden runs keydesk explain on realistic inputs and compares
// the output with golden files.
func TestExplainGolden(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"code-user", "", []string{"explain", "--audience", "user", "0x31"}},
		{"code-helpdesk", "", []string{"explain", "FIDO_ERR_PIN_INVALID"}},
		{"codes-together", "", []string{"explain", "--audience", "user", "error-1001", "InvalidStateError"}},
		{"result-object", `{"success": false, "code": {"statusCode": "error-1001", "message": "Failed to create WebAuthn credential."}, "message": "Error while trying to create new credential. NotAllowedError: The operation either timed out or was not allowed. See:", "token": "eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJ4In0.sig"}`, []string{"explain", "--file", "-"}},
		{"console-line", "Uncaught (in promise) DOMException: The user attempted to register an authenticator that contains one of the credentials already registered with the relying party.\n", []string{"explain", "--audience", "user", "--file", "-"}},
		{"tenant-json", `{"code":"not_found","message":"No pending enrollment found","details":{},"notices":["policy enroll-window: permit only within 10 minutes of begin"]}`, []string{"explain", "--json", "--file", "-"}},
		{"app-native", `{"code":"60008","message":"App native authentication is not enabled for the application.","description":"App native authentication is not enabled for this application with id kd-app.","traceId":"5f1c2a9e-7d3b-4e8f-a1b2-c3d4e5f6a7b8"}`, []string{"explain", "--file", "-"}},
		{"ambiguous-number", "", []string{"explain", "401"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tt.stdin, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden := filepath.Join("testdata", "explain", tt.name+".golden")
			if *updateExplain {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update-explain)", err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s (run with -update-explain):\n%s", golden, out)
			}
			if strings.Contains(out, "eyJ") {
				t.Errorf("a token was echoed:\n%s", out)
			}
		})
	}
}

func TestExplainFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "paste.txt")
	body := "POST /api/v1/users/enroll\nAuthorization: Bearer kd-access-key-0123456789\n{\"error\":\"Unauthorized\",\"message\":\"bad key\",\"status\":401}\n"
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "", "explain", "--json", "--file", p)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var d struct {
		Causes []struct {
			ID string `json:"id"`
		} `json:"causes"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Causes) == 0 || d.Causes[0].ID != "access-key-invalid" {
		t.Errorf("causes %+v", d.Causes)
	}
	if strings.Contains(out, "kd-access-key") {
		t.Errorf("access key echoed:\n%s", out)
	}
}

func TestExplainUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"explain"}, 2},
		{[]string{"explain", "--file", "x", "0x31"}, 2},
		{[]string{"explain", "--audience", "manager", "0x31"}, 2},
		{[]string{"explain", "--bogus"}, 2},
		{[]string{"explain", "--file", filepath.Join(t.TempDir(), "missing.txt")}, 1},
	}
	for _, tt := range tests {
		out, errOut, code := runCLI(t, "", tt.args...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d", tt.args, code, tt.code)
		}
		if out != "" || errOut == "" {
			t.Errorf("%v: stdout %q, stderr %q", tt.args, out, errOut)
		}
	}
	if _, errOut, code := runCLI(t, "", "explain", "-h"); code != 0 || !strings.Contains(errOut, "keydesk explain") {
		t.Errorf("-h: exit %d, %q", code, errOut)
	}
	// Help lists both commands.
	if out, _, _ := runCLI(t, "", "help"); !strings.Contains(out, "explain") || !strings.Contains(out, "codes") {
		t.Errorf("help does not list explain and codes:\n%s", out)
	}
}

// TestExplainRedactsIssue11: what explain echoes (the input, the evidence)
// carries no PIN, no configured access key (unlabelled, even as JSON \u
// escapes) and no URL userinfo, and keeps the words that explain the error.
func TestExplainRedactsIssue11(t *testing.T) {
	dir := useConfigDir(t)
	// The access key is configured where a key lives: on a helpdesk
	// station (issue 14; other stations never read it).
	cfg := `{"instanceUrl": "https://acme.example.invalid", "station": "helpdesk"}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	const key = "kdK3yS9hortQ2" // shorter than the 40 characters the blob rule needs
	t.Setenv("KEYDESK_ACCESS_KEY", key)
	var escaped strings.Builder
	for _, r := range key {
		escaped.WriteString(`\u00` + strings.ToLower(strings.TrimPrefix(jsonHex(r), "0x")))
	}
	input := `{"success":false,"code":{"statusCode":"error-1001","message":"this key already has a PIN: use 'keydesk pin change'"},` +
		`"message":"fido2-token: fido_dev_set_pin: FIDO_ERR_PIN_POLICY_VIOLATION; PIN 482917 sent to https://ops:hunter2@acme.example/x with ` + key + `",` +
		`"clientPin":"482917","echo":"` + escaped.String() + `"}`
	for _, args := range [][]string{{"explain", "--file", "-"}, {"explain", "--json", "--file", "-"}} {
		out, errOut, code := runCLI(t, input, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		for _, secret := range []string{"482917", key, "hunter2", "ops:", `\u006b\u0064`} {
			if strings.Contains(out, secret) {
				t.Errorf("%v: %q survives:\n%s", args, secret, out)
			}
		}
		for _, keep := range []string{"use 'keydesk pin change'", "fido_dev_set_pin", "FIDO_ERR_PIN_POLICY_VIOLATION"} {
			if !strings.Contains(out, keep) {
				t.Errorf("%v: %q lost:\n%s", args, keep, out)
			}
		}
	}
}

func jsonHex(r rune) string { return fmt.Sprintf("0x%02x", r) }
