package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The user and authenticator calls a helpdesk needs, from the Cloud's API
// reference:
//   - users endpoint, https://docs.nevis.net/authcloud/api-doc/api-reference/users-endpoint-ref:
//     GET /users/{userId} answers the user with lastLoginDateSuccess,
//     lastLoginDateFailure and each authenticator's name, type,
//     authenticatorType, state, enrolledAt and updatedAt; DELETE
//     /users/{userId} deletes the user.
//   - authenticators endpoint, https://docs.nevis.net/authcloud/api-doc/api-reference/authenticator-endpoint-ref:
//     PATCH /authenticators/{authenticatorId} with {"name": …} renames and
//     answers the authenticator; DELETE removes it.
//
// Where the documentation is silent (README, "Where the documentation is
// silent"):
//   - The reference documents retrieval by userId only. A lookup by
//     username sends GET /users?username=… and accepts only an answer that
//     names exactly one user whose username is exactly the one asked for;
//     anything else (none, several, a near match) is "not found", never a
//     guess at the wrong person.
//   - No rate-limit member is documented on a user. The Cloud's 429 answer
//     is the only rate-limit state KeyDesk reports (see RateLimitText).
//   - No limit on an authenticator's name is documented; KeyDesk refuses an
//     empty name and one over MaxAuthenticatorName bytes before calling.

// MaxAuthenticatorName is the longest authenticator name KeyDesk sends, in
// bytes (an assumption: the reference gives no limit).
const MaxAuthenticatorName = 100

// ErrUserNotFound is returned by LookupUser when no user has the username.
var ErrUserNotFound = errors.New("cloud: user not found")

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsUserID reports whether s has the form of a Cloud user ID (a UUID, as the
// users endpoint reference types userId).
func IsUserID(s string) bool { return uuidPattern.MatchString(s) }

// LookupUser finds a user by user ID or by username: a UUID is read with
// GET /users/{userId}; anything else is a username, looked up with GET
// /users?username=… (undocumented, see above). No exact match is an error
// wrapping ErrUserNotFound (and an *APIError with HTTPStatus 404 when the
// Cloud itself answered 404).
func (c *Client) LookupUser(ctx context.Context, who string) (*User, error) {
	who = strings.TrimSpace(who)
	if who == "" {
		return nil, errors.New("cloud: user: username or user ID missing")
	}
	if IsUserID(who) {
		return c.User(ctx, who)
	}
	var raw json.RawMessage
	err := c.do(ctx, call{
		op: "user lookup", method: http.MethodGet, url: c.apiURL("/users?username=" + url.QueryEscape(who)),
		server: true, idempotent: true, out: &raw,
	})
	if err != nil {
		return nil, err
	}
	users, err := decodeUserList(raw)
	if err != nil {
		return nil, fmt.Errorf("cloud: user lookup: %w: %s", ErrMalformedResponse, err)
	}
	var match []User
	for _, u := range users {
		if u.Username == who {
			match = append(match, u)
		}
	}
	if len(match) != 1 {
		return nil, userNotFound{&APIError{Op: "user lookup", HTTPStatus: http.StatusNotFound,
			Body: ErrorBody{Message: "no user has exactly this username"}}}
	}
	return &match[0], nil
}

// userNotFound is the Cloud's answer without an exact match: an *APIError
// with HTTP 404 (so its result code is the Cloud's "not found") that is
// also ErrUserNotFound.
type userNotFound struct{ *APIError }

func (e userNotFound) Unwrap() []error { return []error{e.APIError, ErrUserNotFound} }

// decodeUserList reads a list of users leniently: a bare array, or an
// object holding it as "users" or "items" (the form is undocumented).
func decodeUserList(raw json.RawMessage) ([]User, error) {
	var list []User
	if err := json.Unmarshal(raw, &list); err == nil {
		return list, nil
	}
	var obj struct {
		Users []User `json:"users"`
		Items []User `json:"items"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, errors.New("neither a list of users nor an object holding one")
	}
	return append(obj.Users, obj.Items...), nil
}

// RenameAuthenticator gives an authenticator a new name: PATCH
// /authenticators/{id} {"name": name}. A PATCH with the same name is
// harmless to repeat, so it is retried after 429/503.
func (c *Client) RenameAuthenticator(ctx context.Context, authenticatorID, name string) (*Authenticator, error) {
	if authenticatorID == "" {
		return nil, errors.New("cloud: rename authenticator: authenticator ID missing")
	}
	if err := CheckAuthenticatorName(name); err != nil {
		return nil, err
	}
	var out Authenticator
	err := c.do(ctx, call{
		op: "rename authenticator", method: http.MethodPatch,
		url:    c.apiURL("/authenticators/" + url.PathEscape(authenticatorID)),
		server: true, idempotent: true, jsonBody: map[string]string{"name": name}, out: &out,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CheckAuthenticatorName refuses a name KeyDesk will not send: empty or
// blank, over MaxAuthenticatorName bytes, not UTF-8 or with control
// characters.
func CheckAuthenticatorName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("cloud: rename authenticator: the new name is empty")
	case len(name) > MaxAuthenticatorName:
		return fmt.Errorf("cloud: rename authenticator: the new name is longer than %d bytes", MaxAuthenticatorName)
	case !utf8.ValidString(name):
		return errors.New("cloud: rename authenticator: the new name is not UTF-8")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return errors.New("cloud: rename authenticator: the new name has a control character")
		}
	}
	return nil
}

// DeleteUser deletes a user and its authenticators: DELETE /users/{userId}.
// An unknown user is an *APIError with HTTPStatus 404. Retried after
// 429/503 like every DELETE.
func (c *Client) DeleteUser(ctx context.Context, userID string) error {
	if !IsUserID(userID) {
		return errors.New("cloud: delete user: not a user ID")
	}
	return c.do(ctx, call{
		op: "delete user", method: http.MethodDelete, url: c.apiURL("/users/" + url.PathEscape(userID)),
		server: true, idempotent: true,
	})
}

// RateLimitUnreported is what KeyDesk shows as a user's rate-limit state:
// the users endpoint reference documents no such member, and a rate-limited
// call is answered HTTP 429 (shown as that call's failure).
const RateLimitUnreported = "not reported by the Cloud (a rate-limited call fails with HTTP 429)"
