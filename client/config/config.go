// Package config keeps KeyDesk's settings: the Authentication Cloud instance
// URL, the WebAuthn origin and other non-secret settings in a JSON file
// under the user's config directory, and the access key in the OS keyring
// (or the KEYDESK_ACCESS_KEY environment variable for unattended setups).
// The access key is never written to the settings file; a file that holds
// one is refused.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/keydesk/keydesk/client/atomicfile"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/result"
)

// Environment variables and names.
const (
	// EnvConfigDir overrides the settings directory (tests, portable setups).
	EnvConfigDir = "KEYDESK_CONFIG_DIR"
	// EnvAccessKey supplies the access key without a keyring.
	EnvAccessKey = "KEYDESK_ACCESS_KEY"
	// KeyringService is the keyring service name; the keyring user is the
	// instance's host (with port, if any).
	KeyringService = "keydesk"
	// FileName is the settings file in Dir.
	FileName = "config.json"
)

// ErrNoAccessKey is returned when neither the environment nor the keyring
// holds an access key for the instance.
var ErrNoAccessKey = errors.New("no access key: store one in the keyring or set " + EnvAccessKey)

// ErrKeyring is wrapped by every error of a keyring that cannot be used
// (no Secret Service on D-Bus, a locked or missing keychain), so callers
// can say what to do instead of showing the backend's words.
var ErrKeyring = errors.New("the system keyring cannot be used")

// KeyringHint is what a person can do when the keyring cannot be used.
const KeyringHint = "install or unlock a keyring (a Secret Service such as GNOME Keyring or KWallet), or give the access key in the " + EnvAccessKey + " environment variable instead"

// KeyringError is a keyring backend failure. Its message says what to do;
// the backend's own error (never a stored value) is kept for Unwrap.
type KeyringError struct {
	Op  string // "read", "store" or "delete"
	Err error
}

func (e *KeyringError) Error() string {
	return fmt.Sprintf("config: the system keyring could not %s the access key: %s (keyring: %v)", e.Op, KeyringHint, e.Err)
}

// Unwrap returns the backend's error.
func (e *KeyringError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrKeyring) hold.
func (e *KeyringError) Is(target error) bool { return target == ErrKeyring }

// Settings are the non-secret settings.
type Settings struct {
	// InstanceURL is the Authentication Cloud instance, e.g.
	// https://acme.mauth.nevis.cloud. Empty means not configured (demo mode).
	InstanceURL string `json:"instanceUrl,omitempty"`
	// Origin is the origin KeyDesk's WebAuthn client claims, e.g.
	// https://portal.example.com.
	Origin string `json:"origin,omitempty"`
	// RequestTimeoutSeconds bounds one HTTP call to the Cloud; 0 is the
	// client's default.
	RequestTimeoutSeconds int `json:"requestTimeoutSeconds,omitempty"`
	// Station is the kind of station chosen explicitly ("helpdesk",
	// "desktop", "kiosk", "demo"); empty lets StationKind decide.
	Station Station `json:"station,omitempty"`
}

// Configured reports whether an instance is set.
func (s Settings) Configured() bool { return s.InstanceURL != "" }

// Validate checks the settings with the same rules as the Cloud client:
// https (http only on loopback), an origin that is scheme://host[:port].
func (s Settings) Validate() error {
	if s.InstanceURL == "" && s.Origin == "" {
		if s.Station != "" && !s.Station.Valid() {
			return fmt.Errorf("config: unknown station %q: one of helpdesk, desktop, kiosk, demo", s.Station)
		}
		return nil
	}
	if s.InstanceURL == "" {
		return errors.New("config: origin set without an instance URL")
	}
	if _, err := cloud.ValidateInstanceURL(s.InstanceURL); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	// No origin is fine: the ceremonies then claim https://<rpId> of the
	// relying party the instance announces (client/ceremony).
	if s.Origin != "" {
		if _, err := cloud.ValidateOrigin(s.Origin); err != nil {
			return fmt.Errorf("config: %w", err)
		}
	}
	if s.RequestTimeoutSeconds < 0 || s.RequestTimeoutSeconds > 600 {
		return fmt.Errorf("config: requestTimeoutSeconds %d out of range 0..600", s.RequestTimeoutSeconds)
	}
	if s.Station != "" && !s.Station.Valid() {
		return fmt.Errorf("config: unknown station %q: one of helpdesk, desktop, kiosk, demo", s.Station)
	}
	return nil
}

// Dir is the settings directory: $KEYDESK_CONFIG_DIR, or keydesk under
// os.UserConfigDir.
func Dir() (string, error) {
	if d := os.Getenv(EnvConfigDir); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("config: %w", err)
	}
	return filepath.Join(base, "keydesk"), nil
}

// Path is the settings file.
func Path() (string, error) {
	d, err := Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, FileName), nil
}

// Load reads the settings; a missing file gives zero Settings (not
// configured) and no error.
func Load() (Settings, error) {
	p, err := Path()
	if err != nil {
		return Settings{}, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return Settings{}, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("config: %w", err)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return Settings{}, fmt.Errorf("config: %s is not a JSON object", p)
	}
	for k := range probe {
		if looksSecret(k) {
			return Settings{}, fmt.Errorf("config: %s holds %q: the access key must not be stored in the settings file; remove it and use the keyring or %s", p, k, EnvAccessKey)
		}
	}
	var s Settings
	if err := json.Unmarshal(b, &s); err != nil {
		return Settings{}, fmt.Errorf("config: %s: %w", p, err)
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	return s, nil
}

func looksSecret(key string) bool {
	k := strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(key))
	for _, w := range []string{"accesskey", "secret", "password", "token", "apikey"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// Save validates and writes the settings atomically, creating the directory
// (0700) if needed.
func Save(s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.InstanceURL != "" {
		// Stored as the instance: the Management Console's …/api/v1 base
		// and a trailing slash are cut (cloud.ValidateInstanceURL).
		u, _ := cloud.ValidateInstanceURL(s.InstanceURL)
		s.InstanceURL = u.String()
	}
	if s.Origin != "" {
		s.Origin, _ = cloud.ValidateOrigin(s.Origin)
	}
	p, err := Path()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := atomicfile.WriteFile(p, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

// Source tells where an access key came from.
type Source string

// Access key sources.
const (
	SourceEnv     Source = "environment"
	SourceKeyring Source = "keyring"
)

// keyringUser is the instance's host, so keys of different instances do
// not overwrite each other.
func keyringUser(instanceURL string) (string, error) {
	u, err := cloud.ValidateInstanceURL(instanceURL)
	if err != nil {
		return "", fmt.Errorf("config: %w", err)
	}
	return strings.ToLower(u.Host), nil
}

// AccessKey returns the access key for an instance: $KEYDESK_ACCESS_KEY if
// set, else the keyring entry (service "keydesk", user = instance host).
// Neither value is ever part of the returned error. The key is registered
// with result.RegisterSecret, so result.Redact scrubs it by value wherever
// it shows up, labelled or not.
func AccessKey(instanceURL string) (cloud.Secret, Source, error) {
	if v := strings.TrimSpace(os.Getenv(EnvAccessKey)); v != "" {
		result.RegisterSecret(v)
		return cloud.NewSecret(v), SourceEnv, nil
	}
	user, err := keyringUser(instanceURL)
	if err != nil {
		return cloud.Secret{}, "", err
	}
	v, err := keyring.Get(KeyringService, user)
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return cloud.Secret{}, "", ErrNoAccessKey
	case err != nil:
		// The keyring error describes the backend (no Secret Service on
		// D-Bus, a locked keychain), never the stored value.
		return cloud.Secret{}, "", &KeyringError{Op: "read", Err: err}
	case v == "":
		return cloud.Secret{}, "", ErrNoAccessKey
	}
	result.RegisterSecret(v)
	return cloud.NewSecret(v), SourceKeyring, nil
}

// StoreAccessKey puts the access key for an instance into the keyring.
func StoreAccessKey(instanceURL string, key cloud.Secret) error {
	if key.IsZero() {
		return errors.New("config: empty access key")
	}
	result.RegisterSecret(key.Reveal())
	user, err := keyringUser(instanceURL)
	if err != nil {
		return err
	}
	if err := keyring.Set(KeyringService, user, key.Reveal()); err != nil {
		return &KeyringError{Op: "store", Err: err}
	}
	return nil
}

// DeleteAccessKey removes the instance's access key from the keyring; a
// missing entry is not an error.
func DeleteAccessKey(instanceURL string) error {
	user, err := keyringUser(instanceURL)
	if err != nil {
		return err
	}
	if err := keyring.Delete(KeyringService, user); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return &KeyringError{Op: "delete", Err: err}
	}
	return nil
}

// CloudConfig combines the settings with the access key into what
// cloud.New takes, and the options the settings imply. The access key is
// read only on a helpdesk station (AccessKeyFor); on every other station
// the config carries none, and the Cloud's server calls are refused before
// anything is sent.
func (s Settings) CloudConfig() (cloud.Config, []cloud.Option, error) {
	return s.CloudConfigAs(s.StationKind())
}

// CloudConfigAs is CloudConfig for a station that a front-end decided
// itself: the kiosk, whose kiosk.json says how it enrolls (a kiosk that
// enrolls by typed username does the helpdesk's work and holds its key;
// app/kiosk says so at start-up).
func (s Settings) CloudConfigAs(station Station) (cloud.Config, []cloud.Option, error) {
	if !s.Configured() {
		return cloud.Config{}, nil, errors.New("config: no instance configured")
	}
	if err := s.Validate(); err != nil {
		return cloud.Config{}, nil, err
	}
	var key cloud.Secret
	if station.HoldsAccessKey() {
		k, _, err := AccessKeyFor(station, s.InstanceURL)
		if err != nil {
			return cloud.Config{}, nil, err
		}
		key = k
	}
	var opts []cloud.Option
	if s.RequestTimeoutSeconds > 0 {
		opts = append(opts, cloud.WithTimeout(time.Duration(s.RequestTimeoutSeconds)*time.Second))
	}
	return cloud.Config{InstanceURL: s.InstanceURL, Origin: s.Origin, AccessKey: key}, opts, nil
}
