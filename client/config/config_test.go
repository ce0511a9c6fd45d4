package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/keydesk/keydesk/client/cloud"
)

// useTempDir points the settings at a fresh directory, so no test touches
// the real user's config.
func useTempDir(t *testing.T) string {
	t.Helper()
	d := filepath.Join(t.TempDir(), "cfg")
	t.Setenv(EnvConfigDir, d)
	t.Setenv(EnvAccessKey, "")
	return d
}

func TestSaveLoadRoundTrip(t *testing.T) {
	d := useTempDir(t)
	if s, err := Load(); err != nil || s.Configured() {
		t.Fatalf("fresh Load = %+v, %v", s, err)
	}
	want := Settings{InstanceURL: "https://acme.mauth.nevis.cloud", Origin: "https://portal.example.com", RequestTimeoutSeconds: 20}
	if err := Save(want); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(d, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("settings file mode %v is readable by others", fi.Mode())
	}
	got, err := Load()
	if err != nil || got != want {
		t.Fatalf("Load = %+v, %v; want %+v", got, err, want)
	}
	if p, _ := Path(); p != filepath.Join(d, FileName) {
		t.Errorf("Path = %s", p)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		s       Settings
		wantErr string
	}{
		{Settings{}, ""},
		{Settings{InstanceURL: "http://127.0.0.1:8080", Origin: "http://localhost"}, ""},
		{Settings{InstanceURL: "http://acme.example", Origin: "https://portal.example.com"}, "https required"},
		{Settings{InstanceURL: "acme.example", Origin: "https://portal.example.com"}, "not an absolute URL"},
		{Settings{InstanceURL: "https://acme.example", Origin: "portal"}, "origin"},
		{Settings{InstanceURL: "https://acme.example", Origin: "http://portal.example.com"}, "https required"},
		// No origin: the ceremonies default it from the relying party the
		// instance announces (client/ceremony).
		{Settings{InstanceURL: "https://acme.example"}, ""},
		{Settings{Origin: "https://portal.example.com"}, "without an instance URL"},
		{Settings{InstanceURL: "https://acme.example", Origin: "https://p.example", RequestTimeoutSeconds: -1}, "out of range"},
	}
	for _, tc := range cases {
		err := tc.s.Validate()
		if (tc.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("Validate(%+v) = %v, want %q", tc.s, err, tc.wantErr)
		}
	}
	useTempDir(t)
	if err := Save(Settings{InstanceURL: "http://acme.example", Origin: "https://p.example"}); err == nil {
		t.Error("Save accepted an insecure URL")
	}
}

func TestLoadRefusesSecretsInFile(t *testing.T) {
	d := useTempDir(t)
	os.MkdirAll(d, 0o700)
	body := `{"instanceUrl":"https://acme.example","origin":"https://p.example","accessKey":"planted-key-in-file"}`
	os.WriteFile(filepath.Join(d, FileName), []byte(body), 0o600)
	_, err := Load()
	if err == nil || !strings.Contains(err.Error(), "must not be stored") || strings.Contains(err.Error(), "planted") {
		t.Errorf("Load = %v", err)
	}
	os.WriteFile(filepath.Join(d, FileName), []byte("not json"), 0o600)
	if _, err := Load(); err == nil {
		t.Error("Load accepted garbage")
	}
}

func TestSaveNeverWritesTheKey(t *testing.T) {
	d := useTempDir(t)
	t.Setenv(EnvAccessKey, "planted-env-key-123")
	s := Settings{InstanceURL: "https://acme.example", Origin: "https://p.example", Station: StationHelpdesk}
	if err := Save(s); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(d, FileName))
	if strings.Contains(string(b), "planted") {
		t.Errorf("settings file holds the key: %s", b)
	}
	cfg, _, err := s.CloudConfig()
	if err != nil || cfg.AccessKey.Reveal() != "planted-env-key-123" {
		t.Fatalf("CloudConfig = %v, %v", cfg, err)
	}
	if strings.Contains(fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg), "planted") {
		t.Error("printing the cloud config shows the key")
	}
}

// The keyring tests use go-keyring's own in-memory backend (MockInit): a
// named fake, used only because CI machines run no Secret Service on
// D-Bus. The real backend is exercised on desktops by the app itself.
func TestAccessKeyFromKeyringAndEnv(t *testing.T) {
	useTempDir(t)
	keyring.MockInit()
	const inst = "https://acme.mauth.nevis.cloud"
	if _, _, err := AccessKey(inst); !errors.Is(err, ErrNoAccessKey) {
		t.Fatalf("empty keyring: %v", err)
	}
	if err := StoreAccessKey(inst, cloud.NewSecret("keyring-key-1")); err != nil {
		t.Fatal(err)
	}
	if v, _ := keyring.Get(KeyringService, "acme.mauth.nevis.cloud"); v != "keyring-key-1" {
		t.Errorf("keyring user is not the instance host (got %q)", v)
	}
	k, src, err := AccessKey(inst + "/")
	if err != nil || k.Reveal() != "keyring-key-1" || src != SourceKeyring {
		t.Errorf("AccessKey = %v %s %v", k, src, err)
	}
	// Another instance has its own entry.
	if _, _, err := AccessKey("https://other.mauth.nevis.cloud"); !errors.Is(err, ErrNoAccessKey) {
		t.Errorf("other instance: %v", err)
	}
	// The environment wins.
	t.Setenv(EnvAccessKey, "env-key-2")
	if k, src, _ := AccessKey(inst); k.Reveal() != "env-key-2" || src != SourceEnv {
		t.Errorf("env: %v %s", k, src)
	}
	t.Setenv(EnvAccessKey, "")
	if err := DeleteAccessKey(inst); err != nil {
		t.Fatal(err)
	}
	if err := DeleteAccessKey(inst); err != nil {
		t.Errorf("second delete: %v", err)
	}
	if _, _, err := AccessKey(inst); !errors.Is(err, ErrNoAccessKey) {
		t.Errorf("after delete: %v", err)
	}
	if err := StoreAccessKey("http://acme.example", cloud.NewSecret("x")); err == nil {
		t.Error("stored a key for an insecure URL")
	}
	// A keyring backend failure is reported without any value.
	keyring.MockInitWithError(errors.New("no secret service"))
	if _, _, err := AccessKey(inst); err == nil || !strings.Contains(err.Error(), "no secret service") {
		t.Errorf("backend failure: %v", err)
	}
}

func TestDirDefault(t *testing.T) {
	t.Setenv(EnvConfigDir, "")
	base := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", base)
	d, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(base, "keydesk"); d != want {
		t.Errorf("Dir = %s, want %s", d, want)
	}
}

// TestSaveNormalisesTheConsoleURL: the API endpoint base URL as the
// Management Console shows it (…/api/v1, with or without a trailing slash)
// is saved as the instance, and no origin is needed.
func TestSaveNormalisesTheConsoleURL(t *testing.T) {
	useTempDir(t)
	for _, in := range []string{"https://acme.mauth.nevis.cloud/api/v1", " https://acme.mauth.nevis.cloud/api/v1/ "} {
		if err := Save(Settings{InstanceURL: in}); err != nil {
			t.Fatal(err)
		}
		got, err := Load()
		if err != nil || got.InstanceURL != "https://acme.mauth.nevis.cloud" || got.Origin != "" {
			t.Fatalf("%q saved as %+v, %v", in, got, err)
		}
	}
}
