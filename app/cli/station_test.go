package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/emulator"
)

// desktopStation configures an instance (the emulator on loopback,
// recording requests) with no explicit station — a user desktop — and
// plants the access key where a helpdesk station would find it: in
// KEYDESK_ACCESS_KEY and in the (go-keyring in-memory) keyring.
func desktopStation(t *testing.T) (dir string, em *emulator.Server) {
	t.Helper()
	dir = useConfigDir(t)
	em, err := emulator.Start(context.Background(), emulator.Config{Origin: "https://portal.example.com", RecordRequests: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() })
	if err := config.Save(config.Settings{InstanceURL: em.URL(), Origin: em.Origin()}); err != nil {
		t.Fatal(err)
	}
	keyring.MockInit()
	u := strings.TrimPrefix(em.URL(), "http://")
	if err := keyring.Set(config.KeyringService, u, em.AccessKey()); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KEYDESK_ACCESS_KEY", em.AccessKey())
	return dir, em
}

// TestDesktopStationRefusesHelpdeskWork: on a user desktop (an instance
// configured, no station chosen) the helpdesk commands, enroll --user and
// approve refuse with keydesk:station-not-allowed and plain words, say once
// that KEYDESK_ACCESS_KEY is ignored, never show it, and send nothing to
// the Cloud — so no Bearer access key ever leaves the station.
func TestDesktopStationRefusesHelpdeskWork(t *testing.T) {
	dir, em := desktopStation(t)
	forbidVirtualKey(t)
	key := em.AccessKey()
	for _, args := range [][]string{
		{"user", "show", "ann"},
		{"user", "delete", "ann", "--confirm", "ann"},
		{"authenticator", "rename", "6d3c8d0e-0000-4000-8000-000000000001", "Office key"},
		{"authenticator", "delete", "6d3c8d0e-0000-4000-8000-000000000001"},
		{"logs", "export"},
		{"enroll", "--user", "alice"},
		{"approve", "--user", "alice"},
	} {
		name := strings.Join(args, " ")
		code, out, errs := run(t, "", nil, args...)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1\n%s\n%s", name, code, out, errs)
		}
		if !strings.Contains(errs, "works only on a helpdesk station; this computer is a user desktop") {
			t.Errorf("%s: no plain refusal:\n%s", name, errs)
		}
		if n := strings.Count(errs, "KEYDESK_ACCESS_KEY is set, but KeyDesk ignores it"); n != 1 {
			t.Errorf("%s: the ignored variable is said %d times, want once:\n%s", name, n, errs)
		}
		if strings.Contains(out+errs, key) {
			t.Errorf("%s: the access key is shown", name)
		}
		code, out, _ = run(t, "", nil, append(args, "--json")...)
		var rep struct {
			Error jsonError `json:"error"`
		}
		if err := json.Unmarshal([]byte(out), &rep); code != 1 || err != nil || rep.Error.Code != "keydesk:station-not-allowed" {
			t.Errorf("%s --json: exit %d, %v: %s", name, code, err, out)
		}
	}
	if reqs := em.Requests(); len(reqs) != 0 {
		t.Errorf("a user desktop called the Cloud %d times (first %s %s)", len(reqs), reqs[0].Method, reqs[0].Path)
	}
	// settings test pings without a Bearer, proves no key, and says so.
	code, out, errs := run(t, "", nil, "settings", "test")
	if code != 0 || !strings.Contains(out, "holds no access key, so none was checked") {
		t.Errorf("settings test: exit %d\n%s\n%s", code, out, errs)
	}
	for _, q := range em.Requests() {
		if q.Bearer {
			t.Errorf("%s %s carried a Bearer from a user desktop", q.Method, q.Path)
		}
	}
	if len(em.Requests()) != 1 {
		t.Errorf("settings test on a desktop made %d requests, want the ping alone", len(em.Requests()))
	}
	// No file KeyDesk wrote holds the key.
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), key) {
				t.Errorf("%s holds the access key", p)
			}
		}
		return nil
	})
}

// TestDesktopStationInGerman: the refusal and the notice have German twins.
func TestDesktopStationInGerman(t *testing.T) {
	desktopStation(t)
	forbidVirtualKey(t)
	t.Setenv("LANGUAGE", "de")
	code, _, errs := run(t, "", nil, "user", "show", "ann")
	if code != 1 || !strings.Contains(errs, "geht nur an einer Helpdesk-Station") || !strings.Contains(errs, "beachtet es nicht") {
		t.Errorf("exit %d:\n%s", code, errs)
	}
}

// TestSettingsShowAndChooseStation: `keydesk settings` shows the station
// and how it was decided; `settings station helpdesk` makes a helpdesk
// station, which then does the helpdesk's work with the access key;
// `settings station desktop` takes it back.
func TestSettingsShowAndChooseStation(t *testing.T) {
	_, em := desktopStation(t)
	code, out, errs := run(t, "", nil, "settings")
	if code != 0 || !strings.Contains(out, "Station:     user desktop (the default of a configured instance") ||
		!strings.Contains(out, "Access key:  not used on this station") {
		t.Fatalf("settings: exit %d\n%s\n%s", code, out, errs)
	}
	if strings.Contains(out+errs, em.AccessKey()) {
		t.Error("settings shows the access key")
	}
	code, out, errs = run(t, "", nil, "settings", "station", "helpdesk")
	if code != 0 || !strings.Contains(out, "now a helpdesk station") {
		t.Fatalf("settings station helpdesk: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = run(t, "", nil, "settings", "show", "--json")
	var rep settingsShow
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || rep.Station != config.StationHelpdesk || !rep.StationChosen || rep.AccessKey != "environment" {
		t.Fatalf("settings show --json: exit %d %v %+v", code, err, rep)
	}
	code, out, errs = run(t, "", nil, "user", "show", "ann")
	if code != 1 || strings.Contains(errs, "works only on a helpdesk station") || !strings.Contains(out+errs, "404") && !strings.Contains(strings.ToLower(out+errs), "not found") {
		t.Errorf("helpdesk user show: exit %d\n%s\n%s", code, out, errs)
	}
	bearer := false
	for _, q := range em.Requests() {
		bearer = bearer || q.BearerValid
	}
	if !bearer {
		t.Error("the helpdesk station sent no access key")
	}
	if code, _, errs = run(t, "", nil, "settings", "station", "desktop"); code != 0 {
		t.Fatalf("settings station desktop: exit %d %s", code, errs)
	}
	if st, _ := config.Load(); st.StationKind() != config.StationDesktop {
		t.Errorf("station now %q", st.StationKind())
	}
	if code, _, _ = run(t, "", nil, "settings", "station", "demo"); code != 2 {
		t.Errorf("settings station demo: exit %d, want 2", code)
	}
}

// TestHelpdeskWithoutKeySaysWhatToDo: a helpdesk station with neither a
// keyring entry nor KEYDESK_ACCESS_KEY says what to do, in the CLI's
// language, before calling the Cloud.
func TestHelpdeskWithoutKeySaysWhatToDo(t *testing.T) {
	_, em := desktopStation(t)
	keyring.MockInit() // empty
	t.Setenv("KEYDESK_ACCESS_KEY", "")
	if code, _, errs := run(t, "", nil, "settings", "station", "helpdesk"); code != 0 {
		t.Fatalf("exit %d %s", code, errs)
	}
	code, out, errs := run(t, "", nil, "user", "show", "ann")
	if code != 1 || !strings.Contains(errs, "this helpdesk station has no access key") || !strings.Contains(errs, "KEYDESK_ACCESS_KEY") || !strings.Contains(errs, "keyring") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
	t.Setenv("LANGUAGE", "de")
	if _, _, errs = run(t, "", nil, "user", "show", "ann"); !strings.Contains(errs, "diese Helpdesk-Station hat keinen Zugangsschlüssel") {
		t.Errorf("German:\n%s", errs)
	}
	if n := len(em.Requests()); n != 0 {
		t.Errorf("%d requests without a key", n)
	}
}
