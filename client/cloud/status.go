package cloud

import (
	"context"
	"errors"
	"net/http"
)

// Transaction states reported by the status endpoint.
const (
	StatusPending   = "pending"
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
	StatusUnknown   = "unknown"
)

// StatusResponse is the state of a transaction; Token is the transaction
// token, present when Status is "succeeded". UserID and Username name the
// user of the transaction; for a usernameless sign-in they are present
// only once it succeeded (docs.nevis.net/authcloud/api-doc/api-reference/status-ref).
type StatusResponse struct {
	TransactionID string `json:"transactionId,omitempty"`
	Status        string `json:"status"`
	Token         Token  `json:"token,omitempty"`
	UserID        string `json:"userId,omitempty"`
	Username      string `json:"username,omitempty"`
}

type statusRequest struct {
	StatusToken Token `json:"statusToken"`
}

// Status asks for a transaction's state: POST {APIBASE}/status. Reading a
// state changes nothing, so it is retried after 429/503. From a pass
// holder's client (NewPassHolder) it goes without Authorization, as the status page's
// example (docs.nevis.net/authcloud/api-doc/api-reference/status-ref) sends it.
func (c *Client) Status(ctx context.Context, statusToken Token) (*StatusResponse, error) {
	if statusToken == "" {
		return nil, errors.New("cloud: status: status token missing")
	}
	var out StatusResponse
	err := c.do(ctx, call{
		op: "status", method: http.MethodPost, url: c.apiURL("/status"),
		server: true, bearerOptional: true, idempotent: true, jsonBody: statusRequest{statusToken}, out: &out,
		secrets: []string{string(statusToken)},
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
