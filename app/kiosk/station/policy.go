package station

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
)

// PINPolicy is the organisation's rule for PINs set at the kiosk, on top of
// the key's own minimum length.
type PINPolicy struct {
	// MinLength is the organisation's minimum in characters; the key's
	// minimum (getInfo minPINLength, at least 4) applies when it is higher.
	MinLength int `json:"minLength,omitempty"`
	// ForbidTrivial refuses PINs anyone would guess: one repeated character
	// (0000, aaaa), a straight run (1234, 9876, abcd), a repeated pair or
	// triple (1212, 123123). Absent (nil) means on, as the set-PIN screen
	// says; kiosk.json's "forbidTrivial": false turns it off, and the
	// screen then no longer mentions it.
	ForbidTrivial *bool `json:"forbidTrivial,omitempty"`
	// Forbidden lists further PINs to refuse (compared case-insensitively),
	// whether or not ForbidTrivial is on.
	Forbidden []string `json:"forbidden,omitempty"`
}

// ForbidsTrivial reports whether the policy refuses trivial PINs (the
// default).
func (p PINPolicy) ForbidsTrivial() bool { return p.ForbidTrivial == nil || *p.ForbidTrivial }

// MaxPINBytes is CTAP 2.1's limit on a PIN's UTF-8 length (§6.5.5.5).
const MaxPINBytes = 63

// MinLengthFor is the minimum PIN length the kiosk asks for on a key whose
// own minimum is keyMin.
func (p PINPolicy) MinLengthFor(keyMin int) int {
	return max(p.MinLength, keyMin, 4)
}

// PINProblem says why a new PIN is refused; the zero value means it is fine.
type PINProblem int

// The PIN problems, each with its own words on the set-PIN screen.
const (
	PINOK PINProblem = iota
	PINEmpty
	PINTooShort
	PINTooLong
	PINTrivial
	PINMismatch
	PINInvalid
	PINForbidden // on the organisation's list (Forbidden)
)

// Check validates a new PIN typed twice against the policy and the key's
// minimum length.
func (p PINPolicy) Check(pin, again string, keyMin int) PINProblem {
	switch {
	case pin == "":
		return PINEmpty
	case !utf8.ValidString(pin) || strings.ContainsFunc(pin, func(r rune) bool { return r < 0x20 || r == 0x7F }):
		return PINInvalid
	case utf8.RuneCountInString(pin) < p.MinLengthFor(keyMin):
		return PINTooShort
	case len(pin) > MaxPINBytes:
		return PINTooLong
	case p.ForbidsTrivial() && trivialPIN(pin):
		return PINTrivial
	}
	for _, f := range p.Forbidden {
		if strings.EqualFold(f, pin) {
			return PINForbidden
		}
	}
	if pin != again {
		return PINMismatch
	}
	return PINOK
}

// trivialPIN reports whether pin is a repetition of one, two or three
// characters, or a straight ascending or descending run.
func trivialPIN(pin string) bool {
	r := []rune(strings.ToLower(pin))
	for period := 1; period <= 3 && period < len(r); period++ {
		if len(r)%period != 0 && period > 1 {
			continue
		}
		rep := true
		for i := period; i < len(r); i++ {
			if r[i] != r[i-period] {
				rep = false
				break
			}
		}
		if rep {
			return true
		}
	}
	for _, step := range []rune{1, -1} {
		run := true
		for i := 1; i < len(r); i++ {
			if r[i]-r[i-1] != step {
				run = false
				break
			}
		}
		if run {
			return true
		}
	}
	return false
}

// UsernameProblem says why a username is refused; zero means it is fine.
type UsernameProblem int

// The username problems.
const (
	UsernameOK UsernameProblem = iota
	UsernameEmpty
	UsernameTooLong
	UsernameInvalid
	UsernameNoMatch
)

// CheckUsername applies the one username rule of every KeyDesk door
// (ceremony.CheckUsername: the Cloud's documented alphabet and length, so
// no controls or text-direction marks) and the organisation's pattern, if
// any.
func CheckUsername(u string, pattern *regexp.Regexp) UsernameProblem {
	if err := ceremony.CheckUsername(u); err != nil {
		switch c, _ := result.CodeOf(err); c {
		case result.CodeUsernameEmpty:
			return UsernameEmpty
		case result.CodeUsernameTooLong:
			return UsernameTooLong
		}
		return UsernameInvalid
	}
	if pattern != nil && !pattern.MatchString(u) {
		return UsernameNoMatch
	}
	return UsernameOK
}

// CompilePattern anchors an organisation's username pattern so that it
// must match the whole username.
func CompilePattern(p string) (*regexp.Regexp, error) {
	if p == "" {
		return nil, nil
	}
	re, err := regexp.Compile("^(?:" + p + ")$")
	if err != nil {
		return nil, fmt.Errorf("username pattern: %w", err)
	}
	return re, nil
}
