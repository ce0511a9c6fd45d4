package window

import (
	"context"
	"crypto/x509"
	"errors"
	"sync"
	"time"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap"
)

// Services is what the screens work with: the Cloud client, the keys, the
// demo environment (when no instance is configured) and the history of
// ceremonies. Every method may block on a key or the network: view-models
// call them from worker goroutines only.
type Services struct {
	mu    sync.Mutex
	cloud *cloud.Client
	demo  *demo.Env
	// station is the kind of station the window is (config.Station): it
	// decides the title, the navigation and whether the access key is read.
	station  config.Station
	selected string // device path chosen on the Keys screen
	// authBlocked holds the paths of keys that answered PIN_AUTH_BLOCKED
	// (three wrong PINs in a row): they refuse every PIN until removed and
	// reinserted. No CTAP command reports this state, so KeyDesk remembers
	// it until the key leaves the device list or is replugged.
	authBlocked map[string]bool

	// Store keeps the settings and the access key.
	Store SettingsStore
	// History records the ceremonies of this session for the helpdesk.
	History *History
	// listDevices and openDevice are ctap's; tests keep them.
	listDevices func() ([]ctap.DeviceDescriptor, error)
	openDevice  func(path string) (*ctap.Device, error)
}

// NewServices returns services for a Cloud client; env is the demo
// environment the client belongs to, or nil for a real instance.
func NewServices(cl *cloud.Client, env *demo.Env, store SettingsStore) *Services {
	station := config.StationDemo
	if env == nil && store != nil {
		st, _ := store.Load()
		station = st.StationKind()
	}
	return &Services{
		cloud: cl, demo: env, station: station, Store: store, History: NewHistory(),
		listDevices: ctap.ListDevices, openDevice: ctap.Open,
	}
}

// Station returns the kind of station the window is.
func (s *Services) Station() config.Station {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.station
}

// SetStation changes the kind of station (after Settings were saved).
func (s *Services) SetStation(st config.Station) {
	s.mu.Lock()
	s.station = st
	s.mu.Unlock()
}

// NewDemoServices returns services for a demo environment.
func NewDemoServices(env *demo.Env, store SettingsStore) *Services {
	return NewServices(env.Client, env, store)
}

// Cloud returns the Cloud client, nil when none is configured.
func (s *Services) Cloud() *cloud.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cloud
}

// SetCloud replaces the Cloud client (after Settings changed).
func (s *Services) SetCloud(cl *cloud.Client) {
	s.mu.Lock()
	s.cloud = cl
	s.mu.Unlock()
}

// Demo returns the demo environment, nil with a real instance.
func (s *Services) Demo() *demo.Env {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.demo
}

// IsVirtual reports whether path is the demo's virtual key, which can be
// replugged from the window.
func (s *Services) IsVirtual(path string) bool {
	d := s.Demo()
	return d != nil && d.Key.Path() == path
}

// Replug power-cycles the demo's virtual key (what a person does with a
// hardware key before a reset).
func (s *Services) Replug() error {
	d := s.Demo()
	if d == nil {
		return errors.New("no virtual key")
	}
	if err := d.Key.Replug(); err != nil {
		return err
	}
	s.clearAuthBlocked(d.Key.Path())
	return nil
}

// notePINError remembers a key that answered PIN_AUTH_BLOCKED.
func (s *Services) notePINError(path string, err error) {
	if code, ok := ctap.CodeOf(err); !ok || code != ctap.StatusPINAuthBlocked || path == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.authBlocked == nil {
		s.authBlocked = map[string]bool{}
	}
	s.authBlocked[path] = true
}

// AuthBlocked reports whether the key at path refuses its PIN until it is
// removed and reinserted (three wrong PINs in a row).
func (s *Services) AuthBlocked(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authBlocked[path]
}

// clearAuthBlocked forgets the block: the key was removed or replugged.
func (s *Services) clearAuthBlocked(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.authBlocked, path)
}

// pinWatch passes a key's ceremony calls through and remembers what their
// errors say about its PIN state.
type pinWatch struct {
	ctap.Authenticator
	s *Services
}

func (w pinWatch) MakeCredential(ctx context.Context, req ctap.MakeCredentialRequest, p ctap.Prompter) (*ctap.MakeCredentialResult, error) {
	r, err := w.Authenticator.MakeCredential(ctx, req, p)
	w.s.notePINError(w.Path(), err)
	return r, err
}

func (w pinWatch) GetAssertion(ctx context.Context, req ctap.GetAssertionRequest, p ctap.Prompter) ([]ctap.AssertionResult, error) {
	r, err := w.Authenticator.GetAssertion(ctx, req, p)
	w.s.notePINError(w.Path(), err)
	return r, err
}

// Devices lists the connected keys.
func (s *Services) Devices() ([]ctap.DeviceDescriptor, error) { return s.listDevices() }

// Select makes path the key the ceremonies and Manage use.
func (s *Services) Select(path string) {
	s.mu.Lock()
	s.selected = path
	s.mu.Unlock()
}

// Selected is the chosen key's path ("" when none was chosen).
func (s *Services) Selected() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.selected
}

// errNoKey is what a screen shows when no key is connected.
var errNoKey = result.New(result.CodeNoKey)

// Key opens the key the operations act on, by ctap.PickKey's rule: the
// key chosen on the Keys screen while it is connected, else the only key
// connected (a hardware key before the virtual key); several keys and
// none chosen, or a chosen key that is gone, are errors with their
// catalogue code.
func (s *Services) Key(context.Context) (*ctap.Device, error) {
	devs, err := s.listDevices()
	if err != nil {
		return nil, err
	}
	d, err := ctap.PickKey(devs, s.Selected())
	if err != nil {
		return nil, pickProblem(err)
	}
	return s.openDevice(d.Path)
}

// pickProblem translates ctap.PickKey's answer into its catalogue code.
func pickProblem(err error) error {
	switch {
	case errors.Is(err, ctap.ErrNoKey):
		return errNoKey
	case errors.Is(err, ctap.ErrSeveralKeys):
		return result.New(result.CodeSeveralKeys)
	case errors.Is(err, ctap.ErrKeyGone):
		return result.New(result.CodeKeyRemoved)
	}
	return err
}

// Runner returns a ceremony runner for the chosen key and the Cloud.
func (s *Services) Runner(p ctap.Prompter, onStep func(ceremony.Step)) (*ceremony.Runner, error) {
	cl := s.Cloud()
	if cl == nil {
		return nil, result.New(result.CodeNotConfigured)
	}
	var roots *x509.CertPool
	if env := s.Demo(); env != nil && env.Client == cl {
		roots = env.AttestationRoots() // the demo: its emulator's roots are known
	}
	return &ceremony.Runner{
		Cloud:            cl,
		AttestationRoots: roots,
		Prompter:         p,
		FindKey: func(ctx context.Context) (ctap.Authenticator, error) {
			d, err := s.Key(ctx)
			if err != nil {
				return nil, err
			}
			return pinWatch{Authenticator: d, s: s}, nil
		},
		OnStep:    onStep,
		UserAgent: "KeyDesk",
		StepTimes: testOnlyStepTimes,
	}, nil
}

// testOnlyStepTimes, when set by a test, shortens the PIN prompt's and the
// touch's time limits (zero: the defaults).
var testOnlyStepTimes webauthn.StepTimes

// SettingsStore keeps the connection settings and the access key.
type SettingsStore interface {
	Load() (config.Settings, error)
	Save(config.Settings) error
	// AccessKey returns the stored key (zero when none, and always zero on
	// a station that holds none: config.AccessKeyFor).
	AccessKey(station config.Station, instanceURL string) (cloud.Secret, error)
	StoreAccessKey(instanceURL string, key cloud.Secret) error
}

// ConfigStore is the SettingsStore of client/config: a settings file and
// the OS keyring.
type ConfigStore struct{}

// Load reads the settings file.
func (ConfigStore) Load() (config.Settings, error) { return config.Load() }

// Save writes the settings file.
func (ConfigStore) Save(s config.Settings) error { return config.Save(s) }

// AccessKey reads the key from the environment or the keyring, on a
// helpdesk station only (config.AccessKeyFor).
func (ConfigStore) AccessKey(station config.Station, instanceURL string) (cloud.Secret, error) {
	k, _, err := config.AccessKeyFor(station, instanceURL)
	if errors.Is(err, config.ErrNoAccessKey) || errors.Is(err, config.ErrNoAccessKeyOnStation) {
		return cloud.Secret{}, nil
	}
	return k, err
}

// StoreAccessKey writes the key into the keyring.
func (ConfigStore) StoreAccessKey(instanceURL string, key cloud.Secret) error {
	return config.StoreAccessKey(instanceURL, key)
}

// NewCloudClient builds a Cloud client from settings and a key.
func NewCloudClient(s config.Settings, key cloud.Secret) (*cloud.Client, error) {
	var opts []cloud.Option
	if s.RequestTimeoutSeconds > 0 {
		opts = append(opts, cloud.WithTimeout(time.Duration(s.RequestTimeoutSeconds)*time.Second))
	}
	return cloud.New(cloud.Config{InstanceURL: s.InstanceURL, Origin: s.Origin, AccessKey: key}, opts...)
}
