package window

import (
	"context"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/ctap"
)

// What each view-model uses of Services, as a small interface: Services
// is the one implementation in the product; the view-model tests drive a
// model's rules with fakeServices (viewmodel_test.go), while the scenario
// tests run the real Services against the virtual key and the emulator.

// keyServices is what the Keys screen's model uses.
type keyServices interface {
	Devices() ([]ctap.DeviceDescriptor, error)
	openKey(path string) (keyReader, error)
	AuthBlocked(path string) bool
	clearAuthBlocked(path string)
	Select(path string)
	Selected() string
}

// keyReader is what reading a key for the Keys list needs of it.
type keyReader interface {
	Info(ctx context.Context) (*ctap.Info, error)
	PINRetries(ctx context.Context) (int, error)
}

// manageServices is what the Manage key screen's model uses.
type manageServices interface {
	chosenKey(ctx context.Context) (managedKey, error)
	notePINError(path string, err error)
	Selected() string
	IsVirtual(path string) bool
}

// managedKey is what Manage key does with the chosen key.
type managedKey interface {
	keyReader
	Path() string
	SetPIN(ctx context.Context, pin string) error
	ChangePIN(ctx context.Context, old, pin string) error
	Reset(ctx context.Context, p ctap.Prompter) error
	RelyingParties(ctx context.Context, pin string) ([]ctap.RelyingPartyEntity, error)
	Credentials(ctx context.Context, rpID, pin string) ([]ctap.StoredCredential, error)
	DeleteCredential(ctx context.Context, id []byte, pin string) error
}

// ceremonyServices is what the Enroll and Test sign-in models use.
type ceremonyServices interface {
	Runner(p ctap.Prompter, onStep func(ceremony.Step)) (*ceremony.Runner, error)
	record(c *Ceremony)
}

// helpdeskServices is what the Helpdesk screen's model uses.
type helpdeskServices interface {
	Cloud() *cloud.Client
	history() *History
	report(keys []KeyRow) *Report
}

// settingsServices is what the Settings screen's model uses.
type settingsServices interface {
	settingsStore() SettingsStore
	SetCloud(cl *cloud.Client)
	// Station and SetStation are the kind of station the window is now.
	Station() config.Station
	SetStation(config.Station)
}

func (s *Services) openKey(path string) (keyReader, error) {
	d, err := s.openDevice(path)
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return d, nil
}

func (s *Services) chosenKey(ctx context.Context) (managedKey, error) {
	d, err := s.Key(ctx)
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Services) record(c *Ceremony)           { s.History.Add(c) }
func (s *Services) history() *History            { return s.History }
func (s *Services) report(keys []KeyRow) *Report { return BuildReport(s, keys) }
func (s *Services) settingsStore() SettingsStore { return s.Store }
