package emulator

import (
	"crypto/subtle"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token kinds, in the typ claim: a status token only reads a transaction's
// state; a transaction token proves its success and is what introspection
// judges.
const (
	typStatus      = "status"
	typTransaction = "transaction"
	// typIntent is an intent token (intent.go); the emulator recognises it
	// by its hash in the store, the JWT form only carries its expiry.
	typIntent = "intent"
)

type tokenClaims struct {
	Typ      string `json:"typ"`
	Username string `json:"username,omitempty"`
	jwt.RegisteredClaims
}

func (s *Server) signToken(typ, txnID, sub, username string, iat time.Time, ttl time.Duration) (string, error) {
	c := tokenClaims{
		Typ:      typ,
		Username: username,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.url,
			Subject:   sub,
			ID:        txnID,
			IssuedAt:  jwt.NewNumericDate(iat),
			ExpiresAt: jwt.NewNumericDate(iat.Add(ttl)),
		},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(s.tokenKey)
}

var errTokenKind = errors.New("wrong token kind")

// parseToken verifies signature, issuer, expiry and kind.
func (s *Server) parseToken(raw, typ string) (*tokenClaims, error) {
	var c tokenClaims
	_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return s.tokenKey, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(s.url),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
	)
	if err != nil {
		return nil, err
	}
	if c.Typ != typ {
		return nil, errTokenKind
	}
	return &c, nil
}

func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
