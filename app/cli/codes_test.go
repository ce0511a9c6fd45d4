package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/result"
)

var updateCodes = flag.Bool("update-codes", false, "rewrite assets/docs/codes.md from the catalogue")

// codesDoc is the generated reference the README links.
var codesDoc = filepath.Join("..", "..", "assets", "docs", "codes.md")

func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, IO{In: strings.NewReader(stdin), Out: &out, Err: &errb, Getenv: func(string) string { return "" }}, Windows{})
	return out.String(), errb.String(), code
}

// TestCodesDocUpToDate fails when assets/docs/codes.md differs from what
// `keydesk codes --format md` prints; run with -update-codes to rewrite it.
func TestCodesDocUpToDate(t *testing.T) {
	out, errOut, code := runCLI(t, "", "codes", "--format", "md")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if *updateCodes {
		if err := os.WriteFile(codesDoc, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(codesDoc)
	if err != nil {
		t.Fatalf("%v (generate it: go test ./app/cli -run TestCodesDocUpToDate -update-codes)", err)
	}
	if string(want) != out {
		t.Fatalf("%s is stale: regenerate it with go test ./app/cli -run TestCodesDocUpToDate -update-codes", codesDoc)
	}
	for _, s := range []string{"error-1001", "Failed to create WebAuthn credential.", "CTAP2_ERR_PIN_INVALID", "FIDO_ERR_INVALID_ARGUMENT",
		"tenant_mismatch", "ABA-60007", "Unauthorzed", "NotAllowedError", "rp-id-mismatch", "`0x41–0x7E`"} {
		if !strings.Contains(out, s) {
			t.Errorf("reference lacks %q", s)
		}
	}
}

func TestCodesJSON(t *testing.T) {
	out, errOut, code := runCLI(t, "", "codes", "--format", "json", "--source", "ctap,app-native")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var entries []result.Entry
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatal(err)
	}
	count := map[result.Source]int{}
	for _, e := range entries {
		count[e.Code.Source]++
	}
	if count[result.SourceCTAP] != 256 || count[result.SourceAppNative] != 20 || len(count) != 2 {
		t.Errorf("entries per source: %v", count)
	}
	out, _, code = runCLI(t, "", "codes", "--format", "json")
	if code != 0 || !json.Valid([]byte(out)) {
		t.Fatalf("exit %d, valid JSON %v", code, json.Valid([]byte(out)))
	}
	if err := json.Unmarshal([]byte(out), &entries); err != nil || len(entries) != len(result.Entries()) {
		t.Errorf("%d entries (%v), catalogue has %d", len(entries), err, len(result.Entries()))
	}
}

func TestCodesSourceMarkdown(t *testing.T) {
	out, _, code := runCLI(t, "", "codes", "--source", "tenant")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out, "## Tenant API errors") || strings.Contains(out, "## CTAP2") {
		t.Errorf("--source tenant printed:\n%s", out)
	}
}

func TestCodesUsage(t *testing.T) {
	for _, args := range [][]string{
		{"codes", "--format", "xml"},
		{"codes", "--source", "nope"},
		{"codes", "extra"},
		{"codes", "--no-such-flag"},
	} {
		out, errOut, code := runCLI(t, "", args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out != "" || errOut == "" {
			t.Errorf("%v: stdout %q, stderr %q", args, out, errOut)
		}
	}
	if _, errOut, code := runCLI(t, "", "codes", "-h"); code != 0 || !strings.Contains(errOut, "Usage: keydesk codes") {
		t.Errorf("-h: exit %d, %q", code, errOut)
	}
}
