package station

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
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

// VerifyAdminPIN reports whether pin matches the stored hash. A malformed
// hash matches nothing.
func VerifyAdminPIN(pin, stored string) bool {
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

// CheckAdminHash tells a settings file with an unusable hash apart from one
// with none, so the kiosk refuses to start rather than be unexitable.
func CheckAdminHash(stored string) error {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != adminHashScheme {
		return fmt.Errorf("the admin PIN hash is not in the %s format (make one with `keydesk kiosk admin-pin`)", adminHashScheme)
	}
	return nil
}
