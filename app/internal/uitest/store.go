package uitest

import (
	"sync"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/config"
)

// SettingsStore is the window's settings store in memory: empty (no
// instance configured, so demo mode starts), and nothing the tests save
// touches the person's files or keyring.
type SettingsStore struct {
	mu   sync.Mutex
	st   config.Settings
	keys map[string]cloud.Secret
}

// Load returns the settings last saved.
func (m *SettingsStore) Load() (config.Settings, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st, nil
}

// Save keeps s.
func (m *SettingsStore) Save(s config.Settings) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.st = s
	return nil
}

// AccessKey returns the key stored for the instance host u; none on a
// station that holds no access key, as config.AccessKeyFor.
func (m *SettingsStore) AccessKey(st config.Station, u string) (cloud.Secret, error) {
	if !st.HoldsAccessKey() {
		return cloud.Secret{}, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.keys[u], nil
}

// StoreAccessKey keeps k for the instance host u.
func (m *SettingsStore) StoreAccessKey(u string, k cloud.Secret) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys == nil {
		m.keys = map[string]cloud.Secret{}
	}
	m.keys[u] = k
	return nil
}
