package kiosk

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/keydesk/keydesk/app/kiosk/station"
	"github.com/keydesk/keydesk/client/atomicfile"
)

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

// adminState is the gate as stored in station.AdminStateFile (0600). It holds no
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
	if g.hash != "" && station.VerifyAdminPIN(pin, g.hash) {
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
