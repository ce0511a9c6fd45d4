package config

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/keydesk/keydesk/client/result"
)

// TestStationKind is the one rule that decides the station: no instance is
// demo whatever the file says; an explicit station wins; a configured
// instance with none (or an unknown one) is a user desktop; helpdesk only
// when chosen.
func TestStationKind(t *testing.T) {
	const inst = "https://acme.mauth.nevis.cloud"
	cases := []struct {
		s    Settings
		want Station
	}{
		{Settings{}, StationDemo},
		{Settings{Station: StationHelpdesk}, StationDemo},
		{Settings{Station: StationDesktop}, StationDemo},
		{Settings{InstanceURL: inst}, StationDesktop},
		{Settings{InstanceURL: inst, Origin: "https://portal.example.com"}, StationDesktop},
		{Settings{InstanceURL: inst, Station: StationHelpdesk}, StationHelpdesk},
		{Settings{InstanceURL: inst, Station: StationDesktop}, StationDesktop},
		{Settings{InstanceURL: inst, Station: StationKiosk}, StationKiosk},
		{Settings{InstanceURL: inst, Station: StationDemo}, StationDemo},
		{Settings{InstanceURL: inst, Station: "Helpdesk"}, StationDesktop},
		{Settings{InstanceURL: inst, Station: "admin"}, StationDesktop},
	}
	for _, tc := range cases {
		if got := tc.s.StationKind(); got != tc.want {
			t.Errorf("%+v.StationKind() = %q, want %q", tc.s, got, tc.want)
		}
	}
}

func TestParseStation(t *testing.T) {
	for in, want := range map[string]Station{
		"helpdesk": StationHelpdesk, " Helpdesk ": StationHelpdesk, "desktop": StationDesktop,
		"user desktop": StationDesktop, "user-desktop": StationDesktop, "kiosk": StationKiosk, "demo": StationDemo,
	} {
		if got, err := ParseStation(in); err != nil || got != want {
			t.Errorf("ParseStation(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "admin", "helpdesks"} {
		if _, err := ParseStation(in); err == nil {
			t.Errorf("ParseStation(%q) accepted", in)
		}
	}
}

func TestStationSavedAndValidated(t *testing.T) {
	useTempDir(t)
	s := Settings{InstanceURL: "https://acme.mauth.nevis.cloud", Station: StationHelpdesk}
	if err := Save(s); err != nil {
		t.Fatal(err)
	}
	p, _ := Path()
	b, _ := os.ReadFile(p)
	if !strings.Contains(string(b), `"station": "helpdesk"`) {
		t.Errorf("settings file: %s", b)
	}
	if got, err := Load(); err != nil || got != s {
		t.Errorf("Load = %+v, %v", got, err)
	}
	if err := Save(Settings{InstanceURL: "https://acme.mauth.nevis.cloud", Station: "admin"}); err == nil {
		t.Error("Save accepted an unknown station")
	}
}

// TestDesktopNeverReadsTheAccessKey: on a user desktop (the default of a
// configured instance), a kiosk and in demo mode, neither the environment
// nor the keyring is read — the key is not even registered for redaction,
// which the reading does — and CloudConfig carries no key; a helpdesk
// station reads it.
func TestDesktopNeverReadsTheAccessKey(t *testing.T) {
	useTempDir(t)
	keyring.MockInit()
	const inst = "https://acme.mauth.nevis.cloud"
	const envKey = "station-test-env-key-4711"
	const ringKey = "station-test-ring-key-0815"
	if err := keyring.Set(KeyringService, "acme.mauth.nevis.cloud", ringKey); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvAccessKey, envKey)
	for _, st := range []Station{StationDesktop, StationKiosk, StationDemo} {
		k, _, err := AccessKeyFor(st, inst)
		if !errors.Is(err, ErrNoAccessKeyOnStation) || !k.IsZero() {
			t.Errorf("AccessKeyFor(%s) = %v, %v", st, k, err)
		}
		if !AccessKeyEnvIgnored(st) {
			t.Errorf("AccessKeyEnvIgnored(%s) = false with the variable set", st)
		}
	}
	for _, s := range []Settings{{InstanceURL: inst}, {InstanceURL: inst, Station: StationKiosk}} {
		cfg, _, err := s.CloudConfig()
		if err != nil || !cfg.AccessKey.IsZero() {
			t.Errorf("CloudConfig(%+v) = key set %v, %v", s, !cfg.AccessKey.IsZero(), err)
		}
	}
	if red := result.Redact("x " + envKey + " " + ringKey); !strings.Contains(red, envKey) || !strings.Contains(red, ringKey) {
		t.Errorf("a station without the access key read it (it was registered as a secret): %q", red)
	}
	// The keyring backend failing shows it is not asked either.
	keyring.MockInitWithError(errors.New("keyring asked"))
	t.Cleanup(keyring.MockInit)
	if _, _, err := AccessKeyFor(StationDesktop, inst); !errors.Is(err, ErrNoAccessKeyOnStation) {
		t.Errorf("desktop asked the keyring: %v", err)
	}
	keyring.MockInit()

	if AccessKeyEnvIgnored(StationHelpdesk) {
		t.Error("the variable is ignored on a helpdesk station")
	}
	k, src, err := AccessKeyFor(StationHelpdesk, inst)
	if err != nil || k.Reveal() != envKey || src != SourceEnv {
		t.Errorf("helpdesk: %v %s %v", k, src, err)
	}
	cfg, _, err := Settings{InstanceURL: inst, Station: StationHelpdesk}.CloudConfig()
	if err != nil || cfg.AccessKey.Reveal() != envKey {
		t.Errorf("helpdesk CloudConfig: %v", err)
	}
}

// TestHelpdeskWithoutKeySaysWhatToDo: a helpdesk station with an empty
// keyring and no variable gets a message naming both ways to give the key.
func TestHelpdeskWithoutKeySaysWhatToDo(t *testing.T) {
	useTempDir(t)
	keyring.MockInit()
	_, _, err := AccessKeyFor(StationHelpdesk, "https://acme.mauth.nevis.cloud")
	if !errors.Is(err, ErrNoAccessKey) || !errors.Is(err, ErrHelpdeskNeedsAccessKey) {
		t.Fatalf("err = %v", err)
	}
	for _, w := range []string{"helpdesk station", "keyring", EnvAccessKey} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message %q lacks %q", err, w)
		}
	}
	_, _, err = Settings{InstanceURL: "https://acme.mauth.nevis.cloud", Station: StationHelpdesk}.CloudConfig()
	if !errors.Is(err, ErrHelpdeskNeedsAccessKey) {
		t.Errorf("CloudConfig = %v", err)
	}
}
