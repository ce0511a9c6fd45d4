package ceremony

import (
	"context"

	"github.com/keydesk/keydesk/client/cloud"
)

// Unconfigured is the Cloud of a Runner whose Cloud client could not be
// built (cloud.New refused the settings, e.g. a plain-http instance URL):
// every call fails with err, so the ceremony ends with its usual result
// object and the cause of err (insecure-url for a *cloud.ConfigError)
// instead of the caller inventing one.
func Unconfigured(err error) Cloud { return unconfigured{err} }

type unconfigured struct{ err error }

func (u unconfigured) Origin() string { return "" }
func (u unconfigured) Enroll(context.Context, cloud.EnrollRequest) (*cloud.EnrollResponse, error) {
	return nil, u.err
}
func (u unconfigured) PostAttestation(context.Context, cloud.AttestationResult) (*cloud.AppResult, error) {
	return nil, u.err
}
func (u unconfigured) Approve(context.Context, cloud.ApprovalRequest) (*cloud.ApprovalResponse, error) {
	return nil, u.err
}
func (u unconfigured) PostAssertion(context.Context, cloud.AssertionResult) (*cloud.AppResult, error) {
	return nil, u.err
}
func (u unconfigured) Status(context.Context, cloud.Token) (*cloud.StatusResponse, error) {
	return nil, u.err
}
func (u unconfigured) Introspect(context.Context, cloud.Token) (*cloud.Introspection, error) {
	return nil, u.err
}
