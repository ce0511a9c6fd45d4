package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/emulator"
)

const (
	annID   = "7e16ba00-92e2-4fcb-b30e-1af8fdc843aa"
	annKey1 = "f3ef70fc-9231-48f8-8e81-8eef7826d594"
	annKey2 = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
	joID    = "11111111-2222-4333-8444-555555555555"
)

// helpdeskCloud starts an emulator on loopback holding ann (two keys) and
// joanna, with an audit log, and configures the CLI to use it.
func helpdeskCloud(t *testing.T) *emulator.Server {
	t.Helper()
	useConfigDir(t)
	state := filepath.Join(t.TempDir(), "state.json")
	seed := `{"version":1,"users":[
 {"userId":"` + annID + `","username":"ann","status":"active","createdAt":"2026-11-01T08:00:00Z","updatedAt":"2026-11-02T08:00:00Z","authenticators":[
  {"authenticatorId":"` + annKey1 + `","name":"Ann's YubiKey","authenticatorType":"fido2","state":"ACTIVE","enrolledAt":"2026-11-01T08:00:00Z","credential":{"id":"AQI="}},
  {"authenticatorId":"` + annKey2 + `","name":"Spare key","authenticatorType":"fido2","state":"ACTIVE","enrolledAt":"2026-11-02T08:00:00Z","credential":{"id":"AwQ="}}]},
 {"userId":"` + joID + `","username":"joanna","status":"active","createdAt":"2026-11-01T08:00:00Z","updatedAt":"2026-11-01T08:00:00Z","authenticators":[]}]}`
	if err := os.WriteFile(state, []byte(seed), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := emulator.Start(ctx, emulator.Config{AccessKey: "helpdesk-test-key-1", StateFile: state, Origin: "https://portal.example.com"})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); srv.Close() })
	if err := config.Save(config.Settings{InstanceURL: srv.URL(), Origin: srv.Origin(), Station: config.StationHelpdesk}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KEYDESK_ACCESS_KEY", srv.AccessKey())
	now := time.Now().UTC()
	for _, e := range []emulator.LogEvent{
		{Time: now.Add(-time.Hour), Event: "authentication", Status: "succeeded", Category: "authentication", Channel: "fido2", UserID: annID, Username: "ann"},
		{Time: now.AddDate(0, 0, -2), Event: "authentication", Status: "failed", Category: "authentication", Channel: "fido2", UserID: annID, Username: "ann"},
		{Time: now.AddDate(0, 0, -2), Event: "authentication", Status: "failed", Category: "authentication", Channel: "fido2", UserID: joID, Username: "joanna"},
	} {
		srv.AddLogEvent(e)
	}
	return srv
}

func TestUserShowByUsername(t *testing.T) {
	helpdeskCloud(t)
	out, errOut, code := runCLI(t, "", "user", "show", "ann")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{annID, "Ann's YubiKey", "Spare key", "fido2", "ACTIVE", "2026-11-01T08:00:00", "Last successful sign-in", "Last failed sign-in", "Rate limit", "Authenticators: 2"} {
		if !strings.Contains(out, want) {
			t.Errorf("user show lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runCLI(t, "", "user", "show", "ann", "--json")
	var u cloud.User
	if code != 0 || json.Unmarshal([]byte(out), &u) != nil || u.UserID != annID || u.LastLoginDateSuccess == "" || u.LastLoginDateFailure == "" || len(u.Authenticators) != 2 {
		t.Errorf("--json: exit %d\n%s", code, out)
	}
	// A prefix is not a match; the failure carries the Cloud's code.
	out, _, code = runCLI(t, "", "user", "show", "an", "--json")
	if code != 1 || !strings.Contains(out, `"code": "http:404"`) {
		t.Errorf("unknown user: exit %d\n%s", code, out)
	}
	t.Setenv("LANGUAGE", "de")
	out, _, _ = runCLI(t, "", "user", "show", "ann")
	if !strings.Contains(out, "Letzte erfolgreiche Anmeldung") || !strings.Contains(out, "Authenticatoren: 2") {
		t.Errorf("German:\n%s", out)
	}
}

func TestAuthenticatorRenameAndDelete(t *testing.T) {
	helpdeskCloud(t)
	out, errOut, code := runCLI(t, "", "authenticator", "rename", annKey2, "Office key", "--json")
	var a cloud.Authenticator
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil || a.Name != "Office key" || a.UpdatedAt == "" {
		t.Fatalf("rename: exit %d %s\n%s", code, errOut, out)
	}
	if out, _, code := runCLI(t, "", "authenticator", "rename", annKey2, " "); code == 0 {
		t.Errorf("a blank name was sent:\n%s", out)
	}
	if out, _, code := runCLI(t, "", "authenticator", "delete", annKey2); code != 0 || !strings.Contains(out, "Authenticator deleted") {
		t.Errorf("delete: exit %d\n%s", code, out)
	}
	// Deleting it again: the Cloud no longer knows it, and says so with a code.
	out, _, code = runCLI(t, "", "authenticator", "delete", annKey2, "--json")
	if code != 1 || !strings.Contains(out, `"code": "http:404"`) {
		t.Errorf("second delete: exit %d\n%s", code, out)
	}
	out, _, _ = runCLI(t, "", "user", "show", "ann")
	if strings.Contains(out, "Office key") || !strings.Contains(out, "Authenticators: 1") {
		t.Errorf("after delete:\n%s", out)
	}
}

func TestUserDeleteNeedsTheTypedUsername(t *testing.T) {
	helpdeskCloud(t)
	// Typed wrong: nothing is deleted.
	_, errOut, code := runCLI(t, "joanna\n", "user", "delete", "ann")
	if code != 1 || !strings.Contains(errOut, "Type the username (ann)") {
		t.Fatalf("wrong name: exit %d\n%s", code, errOut)
	}
	if _, _, code := runCLI(t, "", "user", "show", "ann"); code != 0 {
		t.Fatal("ann was deleted although the typed name did not match")
	}
	// --json needs --confirm; a wrong --confirm deletes nothing.
	if out, _, code := runCLI(t, "", "user", "delete", "ann", "--json"); code != 2 || !strings.Contains(out, "keydesk:bad-usage") {
		t.Errorf("--json without --confirm: exit %d\n%s", code, out)
	}
	if _, _, code := runCLI(t, "", "user", "delete", annID, "--confirm", "Ann", "--json"); code != 1 {
		t.Errorf("--confirm Ann deleted ann: exit %d", code)
	}
	out, errOut, code := runCLI(t, "ann\n", "user", "delete", "ann")
	if code != 0 || !strings.Contains(out, "User ann deleted") {
		t.Fatalf("delete: exit %d\n%s%s", code, out, errOut)
	}
	if out, _, code := runCLI(t, "", "user", "show", annID, "--json"); code != 1 || !strings.Contains(out, "http:404") {
		t.Errorf("after delete: exit %d\n%s", code, out)
	}
	if _, _, code := runCLI(t, "", "user", "show", "joanna"); code != 0 {
		t.Error("deleting ann touched joanna")
	}
}

func TestLogsExport(t *testing.T) {
	helpdeskCloud(t)
	out, errOut, code := runCLI(t, "", "logs", "export", "--user", "ann", "--json")
	var rep logsReport
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("exit %d %s\n%s", code, errOut, out)
	}
	if len(rep.Events) != 2 || len(rep.PerDay) != 2 || rep.PerDay[0].Failed != 1 || rep.PerDay[1].Succeeded != 1 {
		t.Errorf("ann's log: %+v", rep)
	}
	for _, e := range rep.Events {
		if e.UserID != annID {
			t.Errorf("joanna's event in ann's export: %+v", e)
		}
	}
	out, _, code = runCLI(t, "", "logs", "export", "--since", "72h", "--until", "24h", "--json")
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Events) != 2 || rep.PerDay[0].Failed != 2 {
		t.Errorf("range export: exit %d\n%s", code, out)
	}
	out, _, code = runCLI(t, "", "logs", "export")
	if code != 0 || !strings.Contains(out, "Events: 3") || !strings.Contains(out, "Per day (UTC)") {
		t.Errorf("table: exit %d\n%s", code, out)
	}
	if _, _, code := runCLI(t, "", "logs", "export", "--since", "last week"); code != 2 {
		t.Errorf("a bad --since: exit %d", code)
	}
	if _, _, code := runCLI(t, "", "logs", "export", "--status", "ok"); code != 1 {
		t.Errorf("a bad --status: exit %d", code)
	}
}
