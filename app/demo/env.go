package demo

import (
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// Origin is the web origin demo ceremonies claim: an RP ID must be a host
// name, and http is allowed only for localhost.
const Origin = "http://localhost"

// DemoTouchDelay is how long the demo's virtual key waits before it counts
// as touched.
const DemoTouchDelay = 1200 * time.Millisecond

// Env is a complete demo setup: the virtual key, the emulator on loopback
// trusting the key's attestation CA, and a Cloud client for it.
type Env struct {
	Key    *Key
	Cloud  *emulator.Server
	Client *cloud.Client
}

// Options configure Start. Zero values give the demo of `make run`: state
// files in the config dir.
type Options struct {
	// Dir holds the state files; default ConfigDir().
	Dir string
	// Memory keeps all state in memory (tests).
	Memory bool
	// Key configures the virtual key.
	Key virtualkey.Options
	// Emulator overrides parts of the emulator's configuration.
	Emulator emulator.Config
}

// ConfigDir is KeyDesk's folder for settings and demo state:
// $KEYDESK_CONFIG_DIR, else the user's config dir + "/keydesk".
func ConfigDir() (string, error) {
	if d := os.Getenv("KEYDESK_CONFIG_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config folder: %w", err)
	}
	return filepath.Join(d, "keydesk"), nil
}

// Start starts the virtual key and the emulator. Close stops both.
func Start(ctx context.Context, o Options) (*Env, error) {
	dir := o.Dir
	if dir == "" && !o.Memory {
		d, err := ConfigDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	if !o.Memory && o.Key.Presence == (virtualkey.Presence{}) {
		// A person trying the demo should see the "touch your key" prompt:
		// the virtual key is "touched" a moment after it starts to wait.
		o.Key.Presence = virtualkey.Presence{Mode: virtualkey.PresenceGranted, Delay: DemoTouchDelay}
	}
	var key *Key
	var err error
	if o.Memory {
		key, err = StartMemoryKey(o.Key)
	} else {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("creating %s: %w", dir, err)
		}
		key, err = StartKey(filepath.Join(dir, "virtualkey.json"), o.Key)
	}
	if err != nil {
		return nil, fmt.Errorf("starting the virtual key: %w", err)
	}
	cfg := o.Emulator
	if cfg.Origin == "" {
		cfg.Origin = Origin
	}
	if cfg.RPName == "" {
		cfg.RPName = "KeyDesk Demo"
	}
	if cfg.StateFile == "" && !o.Memory {
		cfg.StateFile = filepath.Join(dir, "emulator.json")
	}
	if cfg.AttestationRoots == nil {
		cfg.AttestationRoots = x509.NewCertPool()
		cfg.AttestationRoots.AddCert(key.CACertificate())
	}
	// A person's own hardware key plugged in during the demo has a CA the
	// emulator has never seen: the demo accepts any attestation whose
	// signature verifies and shows its trust verdict instead of refusing
	// (and leaving an orphan credential on the key).
	cfg.AttestationPolicy = emulator.RecordTrust
	em, err := emulator.Start(ctx, cfg)
	if err != nil {
		key.Close()
		return nil, fmt.Errorf("starting the Authentication Cloud emulator: %w", err)
	}
	cl, err := cloud.New(cloud.Config{InstanceURL: em.URL(), Origin: em.Origin(), AccessKey: cloud.NewSecret(em.AccessKey())})
	if err != nil {
		em.Close()
		key.Close()
		return nil, err
	}
	return &Env{Key: key, Cloud: em, Client: cl}, nil
}

// The emulator's defaults, for `keydesk emulator`'s flags.
const (
	EmulatorAddr   = emulator.DefaultAddr
	EmulatorOrigin = emulator.DefaultOrigin
	EmulatorRPName = emulator.DefaultRPName
	// EmulatorRPStyleDocs and EmulatorRPStyleSamples are the two names of
	// the relying party in the creation options: "relyingParty" as the
	// Cloud's docs show it (the default), "rp" as its sample apps read it.
	EmulatorRPStyleDocs    = emulator.RPStyleRelyingParty
	EmulatorRPStyleSamples = emulator.RPStyleRP
)

// EmulatorConfig configures StartEmulator (it is client/emulator's Config).
type EmulatorConfig = emulator.Config

// StartEmulator starts the Authentication Cloud emulator alone, on
// loopback (`keydesk emulator`, for integrators' tests); Close stops it.
func StartEmulator(ctx context.Context, cfg EmulatorConfig) (*emulator.Server, error) {
	return emulator.Start(ctx, cfg)
}

// AttestationRoots are the demo emulator's attestation trust anchors (the
// virtual key's CA), for a ceremony.Runner to judge attestations as the
// emulator does.
func (e *Env) AttestationRoots() *x509.CertPool { return e.Cloud.AttestationRoots() }

// Close stops the emulator and the virtual key.
func (e *Env) Close() {
	e.Cloud.Close()
	e.Key.Close()
}
