package cloud

import (
	"context"
	"errors"
	"net/http"
	"net/url"
)

// Authenticator is one enrolled authenticator of a user.
type Authenticator struct {
	AuthenticatorID   string `json:"authenticatorId"`
	Name              string `json:"name,omitempty"`
	Type              string `json:"type,omitempty"`
	AuthenticatorType string `json:"authenticatorType,omitempty"`
	State             string `json:"state,omitempty"`
	EnrolledAt        string `json:"enrolledAt,omitempty"`
	// UpdatedAt is when the authenticator was last changed (a rename).
	UpdatedAt string `json:"updatedAt,omitempty"`
}

// User is a user of the instance with its authenticators.
type User struct {
	UserID    string `json:"userId"`
	Username  string `json:"username"`
	Status    string `json:"status,omitempty"`
	CreatedAt string `json:"createdAt,omitempty"`
	UpdatedAt string `json:"updatedAt,omitempty"`
	// LastLoginDateSuccess and LastLoginDateFailure are the last successful
	// and failed sign-in (users endpoint reference, see users_lookup.go).
	LastLoginDateSuccess string          `json:"lastLoginDateSuccess,omitempty"`
	LastLoginDateFailure string          `json:"lastLoginDateFailure,omitempty"`
	Authenticators       []Authenticator `json:"authenticators"`
}

// User reads a user: GET {APIBASE}/users/{userId}. Retried after 429/503.
// An unknown user is an *APIError with HTTPStatus 404.
func (c *Client) User(ctx context.Context, userID string) (*User, error) {
	if userID == "" {
		return nil, errors.New("cloud: user: user ID missing")
	}
	var out User
	err := c.do(ctx, call{
		op: "user", method: http.MethodGet, url: c.apiURL("/users/" + url.PathEscape(userID)),
		server: true, idempotent: true, out: &out,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteAuthenticator removes an authenticator: DELETE
// {APIBASE}/authenticators/{id}, answered 204. An unknown one is an *APIError
// with HTTPStatus 404. DELETE is idempotent, so it is retried after 429/503.
func (c *Client) DeleteAuthenticator(ctx context.Context, authenticatorID string) error {
	if authenticatorID == "" {
		return errors.New("cloud: delete authenticator: authenticator ID missing")
	}
	return c.do(ctx, call{
		op: "delete authenticator", method: http.MethodDelete,
		url:    c.apiURL("/authenticators/" + url.PathEscape(authenticatorID)),
		server: true, idempotent: true,
	})
}
