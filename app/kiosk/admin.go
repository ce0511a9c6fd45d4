package kiosk

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The admin PIN is kept as "pbkdf2-sha256$<iterations>$<salt>$<hash>" (salt
// and hash base64url without padding), so the settings file never holds it
// in clear and a copied file does not give it away cheaply.
const (
	adminHashScheme     = "pbkdf2-sha256"
	adminHashIterations = 600_000 // OWASP 2023 figure for PBKDF2-HMAC-SHA256
	adminSaltBytes      = 16
	adminKeyBytes       = 32
)

// HashAdminPIN returns the stored form of an admin PIN for the settings file
// (Settings.AdminPINHash). The CLI reads the PIN without echo and writes
// only this.
func HashAdminPIN(pin string) (string, error) {
	if len([]rune(pin)) < 4 {
		return "", errors.New("the admin PIN needs at least 4 characters")
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

// adminGate counts wrong admin PINs: after MaxTries in a row it refuses
// every try, right or wrong, until the lockout has passed.
type adminGate struct {
	hash        string
	maxTries    int
	lockout     time.Duration
	fails       int
	lockedUntil time.Time
}

// AdminVerdict is the answer to one admin PIN try.
type AdminVerdict struct {
	OK          bool
	Locked      bool      // the gate is locked (now or by this try)
	LockedUntil time.Time // when Locked
	TriesLeft   int       // before the lock, when neither OK nor Locked
}

func (g *adminGate) locked(now time.Time) bool { return now.Before(g.lockedUntil) }

func (g *adminGate) try(pin string, now time.Time) AdminVerdict {
	if g.locked(now) {
		return AdminVerdict{Locked: true, LockedUntil: g.lockedUntil}
	}
	if g.hash != "" && verifyAdminPIN(pin, g.hash) {
		g.fails = 0
		return AdminVerdict{OK: true}
	}
	g.fails++
	if g.fails >= g.maxTries {
		g.fails = 0
		g.lockedUntil = now.Add(g.lockout)
		return AdminVerdict{Locked: true, LockedUntil: g.lockedUntil}
	}
	return AdminVerdict{TriesLeft: g.maxTries - g.fails}
}
