package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/emulator"
)

// TestSettingsTest: `keydesk settings test` pings the configured instance
// (GET /ping) and proves the access key with a read that changes nothing;
// a wrong key fails with 401's words and is never printed.
func TestSettingsTest(t *testing.T) {
	dir := useConfigDir(t)
	em, err := emulator.Start(context.Background(), emulator.Config{Origin: "https://portal.example.com", RecordRequests: true})
	if err != nil {
		t.Fatal(err)
	}
	defer em.Close()
	cfg := `{"instanceUrl": "` + em.URL() + `/api/v1/", "station": "helpdesk"}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KEYDESK_ACCESS_KEY", em.AccessKey())
	code, out, errs := run(t, "", nil, "settings", "test")
	if code != 0 || !strings.Contains(out, "Connection works") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	var paths []string
	for _, q := range em.Requests() {
		paths = append(paths, q.Method+" "+q.Path)
	}
	if len(paths) != 2 || paths[0] != "GET /ping" || !strings.HasPrefix(paths[1], "GET /api/v1/users/") {
		t.Fatalf("requests %v", paths)
	}
	code, out, _ = run(t, "", nil, "settings", "test", "--json")
	var rep settingsReport
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || !rep.Reachable || !rep.KeyAccepted {
		t.Fatalf("--json exit %d %v\n%s", code, err, out)
	}
	const wrong = "wrong-access-key-0815"
	t.Setenv("KEYDESK_ACCESS_KEY", wrong)
	code, out, errs = run(t, "", nil, "settings", "test")
	if code != 1 || !strings.Contains(errs, "401") || strings.Contains(out+errs, wrong) {
		t.Fatalf("wrong key: exit %d\n%s\n%s", code, out, errs)
	}
}
