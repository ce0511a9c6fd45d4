package kiosk

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/keydesk/keydesk/client/atomicfile"
)

// The admin PIN is kept as "pbkdf2-sha256$<iterations>$<salt>$<hash>" (salt
// and hash base64url without padding), so the settings file never holds it
// in clear and a copied file does not give it away cheaply.
const (
	adminHashScheme     = "pbkdf2-sha256"
	adminHashIterations = 600_000 // OWASP 2023 figure for PBKDF2-HMAC-SHA256
	adminSaltBytes      = 16
	adminKeyBytes       = 32
	// AdminPINMinLength is the shortest admin PIN HashAdminPIN takes: the
	// admin PIN guards the whole station, and anyone may try it.
	AdminPINMinLength = 8
)

// HashAdminPIN returns the stored form of an admin PIN for the settings file
// (Settings.AdminPINHash). The CLI reads the PIN without echo and writes
// only this.
func HashAdminPIN(pin string) (string, error) {
	if len([]rune(pin)) < AdminPINMinLength {
		return "", fmt.Errorf("the admin PIN needs at least %d characters", AdminPINMinLength)
	}
	salt := make([]byte, adminSaltBytes)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	return hashAdminPIN(pin, salt, adminHashIterations)
}

func hashAdminPIN(pin string, salt []byte, iter int) (string, error) {
	key, err := pbkdf2.Key(sha256.New, pin, salt, iter, adminKeyBytes)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	return fmt.Sprintf("%s$%d$%s$%s", adminHashScheme, iter, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// verifyAdminPIN reports whether pin matches the stored hash. A malformed
// hash matches nothing.
func verifyAdminPIN(pin, stored string) bool {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != adminHashScheme {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 || iter > 10_000_000 {
		return false
	}
	enc := base64.RawURLEncoding
	salt, err1 := enc.DecodeString(parts[2])
	want, err2 := enc.DecodeString(parts[3])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, pin, salt, iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// checkAdminHash tells a settings file with an unusable hash apart from one
// with none, so the kiosk refuses to start rather than be unexitable.
func checkAdminHash(stored string) error {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != adminHashScheme {
		return fmt.Errorf("the admin PIN hash is not in the %s format (make one with `keydesk kiosk admin-pin`)", adminHashScheme)
	}
	return nil
}

// AdminStateFile keeps the admin lockout in the config folder, so that a
// restart (pulling the plug) does not clear it.
const AdminStateFile = "kiosk-admin-state.json"

// adminLockoutMax caps the growing lockout.
const adminLockoutMax = 24 * time.Hour

// adminGate counts wrong admin PINs: after maxTries in a row it refuses
// every try, right or wrong, until the lockout has passed. Each lockout
// since the last right PIN lasts twice the one before (lockout, 2×, 4×, …
// up to adminLockoutMax). With a path the counts survive a restart.
type adminGate struct {
	hash        string
	maxTries    int
	lockout     time.Duration
	path        string // "" keeps the state in memory only
	fails       int
	lockouts    int // lockouts since the last right PIN
	lockedUntil time.Time
}

// adminState is the gate as stored in AdminStateFile (0600). It holds no
// PIN and no hash.
type adminState struct {
	Failures    int       `json:"failures"`
	Lockouts    int       `json:"lockouts"`
	LockedUntil time.Time `json:"lockedUntil,omitzero"`
}

// load reads the gate's state. A state file that cannot be read or
// understood locks the gate (as one lockout from now) rather than give
// fresh tries, and is reported.
func (g *adminGate) load(now time.Time) error {
	if g.path == "" {
		return nil
	}
	b, err := os.ReadFile(g.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	var st adminState
	if err == nil {
		err = json.Unmarshal(b, &st)
		if err == nil && (st.Failures < 0 || st.Lockouts < 0) {
			err = errors.New("negative counts")
		}
	}
	if err != nil {
		g.lockouts = max(g.lockouts, 1)
		g.lockedUntil = now.Add(g.lockout)
		return errors.Join(fmt.Errorf("kiosk admin lockout state %s: %w; the admin exit is locked for %s", g.path, err, g.lockout), g.save())
	}
	g.fails, g.lockouts, g.lockedUntil = st.Failures, st.Lockouts, st.LockedUntil
	// A clock set back must not turn the lock into a permanent one.
	if limit := now.Add(adminLockoutMax); g.lockedUntil.After(limit) {
		g.lockedUntil = limit
	}
	return nil
}

// save writes the gate's state atomically, so that a crash leaves either
// the old state or the new.
func (g *adminGate) save() error {
	if g.path == "" {
		return nil
	}
	b, err := json.Marshal(adminState{Failures: g.fails, Lockouts: g.lockouts, LockedUntil: g.lockedUntil.UTC()})
	if err != nil {
		return err
	}
	dir := filepath.Dir(g.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("kiosk admin lockout state: %w", err)
	}
	if err := atomicfile.WriteFile(g.path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("kiosk admin lockout state: %w", err)
	}
	return nil
}

// lockoutFor is the length of the nth lockout since the last right PIN.
func (g *adminGate) lockoutFor(n int) time.Duration {
	d := g.lockout
	for i := 1; i < n && d < adminLockoutMax; i++ {
		d *= 2
	}
	return min(d, adminLockoutMax)
}

// AdminVerdict is the answer to one admin PIN try.
type AdminVerdict struct {
	OK          bool
	Locked      bool      // the gate is locked (now or by this try)
	LockedUntil time.Time // when Locked
	TriesLeft   int       // before the lock, when neither OK nor Locked
}

func (g *adminGate) locked(now time.Time) bool { return now.Before(g.lockedUntil) }

// try checks one admin PIN; the error is that of saving the state (the
// verdict stands regardless).
func (g *adminGate) try(pin string, now time.Time) (AdminVerdict, error) {
	if g.locked(now) {
		return AdminVerdict{Locked: true, LockedUntil: g.lockedUntil}, nil
	}
	if g.hash != "" && verifyAdminPIN(pin, g.hash) {
		g.fails, g.lockouts, g.lockedUntil = 0, 0, time.Time{}
		return AdminVerdict{OK: true}, g.save()
	}
	g.fails++
	if g.fails >= g.maxTries {
		g.fails = 0
		g.lockouts++
		g.lockedUntil = now.Add(g.lockoutFor(g.lockouts))
		return AdminVerdict{Locked: true, LockedUntil: g.lockedUntil}, g.save()
	}
	return AdminVerdict{TriesLeft: g.maxTries - g.fails}, g.save()
}
