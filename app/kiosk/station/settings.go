package station

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/keydesk/keydesk/client/atomicfile"
	"github.com/keydesk/keydesk/client/config"
)

// SettingsFile is the kiosk's settings file in the config folder, beside
// client/config's config.json (which keeps the instance URL and origin).
const SettingsFile = "kiosk.json"

// AdminStateFile keeps the admin lockout in the config folder, so that a
// restart (pulling the plug) does not clear it.
const AdminStateFile = "kiosk-admin-state.json"

// Settings are the kiosk's settings as stored in kiosk.json. They hold no
// secret: the admin PIN is stored hashed and the access key stays in the
// keyring or the environment.
type Settings struct {
	Organisation        string    `json:"organisation,omitempty"`
	Station             string    `json:"station,omitempty"`
	UsernameLabel       string    `json:"usernameLabel,omitempty"`
	UsernamePattern     string    `json:"usernamePattern,omitempty"`
	PIN                 PINPolicy `json:"pinPolicy"`
	NextSteps           string    `json:"nextSteps,omitempty"`
	FriendlyName        string    `json:"friendlyName,omitempty"`
	IdleTimeoutSeconds  int       `json:"idleTimeoutSeconds,omitempty"`
	ResultHoldSeconds   int       `json:"resultHoldSeconds,omitempty"`
	AdminPINHash        string    `json:"adminPinHash,omitempty"`
	AdminMaxTries       int       `json:"adminMaxTries,omitempty"`
	AdminLockoutSeconds int       `json:"adminLockoutSeconds,omitempty"`
	// Journal is the journal file (default kiosk-journal.jsonl in the
	// config folder).
	Journal string `json:"journal,omitempty"`
	// Enrollment is how a person proves who they enroll for: "pass" (an
	// enrollment pass from the helpdesk) or "username" (typed or scanned,
	// unchecked). Empty is "username" for now, with a warning at start-up
	// (issue 14); see EnrollmentMode.
	Enrollment Enrollment `json:"enrollment,omitempty"`
}

// Enrollment is how people enroll at the kiosk.
type Enrollment string

// The kiosk's enrollment modes.
const (
	// EnrollByPass: the username comes from a pass the helpdesk issued for
	// that person; the kiosk holds no access key.
	EnrollByPass Enrollment = "pass"
	// EnrollByUsername: the username is typed or scanned and nothing
	// checks it is the person's own; the kiosk holds the access key.
	EnrollByUsername Enrollment = "username"
)

// EnrollmentMode is the mode the station runs in, and whether kiosk.json
// chose it. Without the member the kiosk keeps enrolling by username (as
// before issue 14, while it cannot yet redeem a pass), and the start-up
// log says what that allows.
func (s Settings) EnrollmentMode() (mode Enrollment, explicit bool) {
	if s.Enrollment == "" {
		return EnrollByUsername, false
	}
	return s.Enrollment, true
}

// SettingsPath is kiosk.json in the config folder.
func SettingsPath() (string, error) {
	d, err := config.Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, SettingsFile), nil
}

// DefaultAdminStatePath is the admin lockout's state in the config folder.
func DefaultAdminStatePath() (string, error) {
	d, err := config.Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, AdminStateFile), nil
}

// DefaultJournalPath is the journal in the config folder.
func DefaultJournalPath() (string, error) {
	d, err := config.Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, JournalFile), nil
}

// LoadSettings reads kiosk.json at path; a missing file gives the defaults.
func LoadSettings(path string) (Settings, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Settings{}, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("kiosk settings: %w", err)
	}
	var s Settings
	if err := json.Unmarshal(b, &s); err != nil {
		return Settings{}, fmt.Errorf("kiosk settings: %s: %w", path, err)
	}
	return s, s.Validate()
}

// SaveSettings writes kiosk.json at path (0600) atomically: it holds the
// admin-PIN hash, and a crash or a full disk must leave the old file whole.
func SaveSettings(path string, s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("kiosk settings: %w", err)
	}
	if err := atomicfile.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("kiosk settings: %w", err)
	}
	return nil
}

// Validate checks what would make the station misbehave.
func (s Settings) Validate() error {
	if _, err := CompilePattern(s.UsernamePattern); err != nil {
		return fmt.Errorf("kiosk settings: %w", err)
	}
	if s.AdminPINHash != "" {
		if err := CheckAdminHash(s.AdminPINHash); err != nil {
			return fmt.Errorf("kiosk settings: %w", err)
		}
	}
	switch s.Enrollment {
	case "", EnrollByPass, EnrollByUsername:
	default:
		return fmt.Errorf("kiosk settings: enrollment %q: want \"pass\" or \"username\"", s.Enrollment)
	}
	if s.PIN.MinLength > MaxPINBytes {
		return fmt.Errorf("kiosk settings: pinPolicy.minLength %d is above %d", s.PIN.MinLength, MaxPINBytes)
	}
	return nil
}
