package cloud

import (
	"context"
	"errors"
	"net/http"
)

// NilUUID is the user ID CheckAccessKey reads: a well-formed UUID that no
// user has.
const NilUUID = "00000000-0000-0000-0000-000000000000"

// Ping asks whether the instance answers: GET {instance}/ping, as the API
// reference's overview shows it (docs.nevis.net/authcloud/api-doc/: curl
// "https://$instance.mauth.nevis.cloud/ping" -H "Authorization: Bearer
// $access_key", answered PONG). It is at the instance, not under
// /api/v1. The docs do not say that ping checks the access key, so a
// successful ping proves only that the instance answers: CheckAccessKey
// proves the key. Any 2xx is success; the body is not read. Retried after
// 429/503.
func (c *Client) Ping(ctx context.Context) error {
	return c.do(ctx, call{
		op: "ping", method: http.MethodGet, url: c.base.String() + "/ping",
		server: !c.cfg.AccessKey.IsZero(), idempotent: true,
	})
}

// CheckAccessKey proves that the instance accepts the access key with a
// documented authenticated call that changes nothing: GET
// {APIBASE}/users/{NilUUID} (users endpoint page: "Retrieve a user by
// userId", Bearer). 404 (no such user) and 200 mean the key was accepted;
// 401/403 come back as the *APIError they are. The docs are silent on the
// status of a wrong key; any answer other than 200/404 is a failure, so
// nothing unproven is reported as working.
func (c *Client) CheckAccessKey(ctx context.Context) error {
	if c.cfg.AccessKey.IsZero() {
		return &ConfigError{Field: "access key", Reason: "missing (set it in the keyring or KEYDESK_ACCESS_KEY)"}
	}
	_, err := c.User(ctx, NilUUID)
	var ae *APIError
	if errors.As(err, &ae) && ae.HTTPStatus == http.StatusNotFound {
		return nil
	}
	return err
}
