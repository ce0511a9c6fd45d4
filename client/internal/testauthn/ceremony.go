package testauthn

import (
	"context"
	"fmt"
	"net/url"

	"github.com/keydesk/keydesk/client/cloud"
)

// EffectiveRPID is the RP ID a browser would use: the options' id, or the
// origin's host when it is empty. (The real WebAuthn client also checks it
// against the origin; this helper does not, so tests can see what the
// emulator does with a wrong one.)
func EffectiveRPID(id, origin string) string {
	if id != "" {
		return id
	}
	u, err := url.Parse(origin)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// EnrollResult is what Enroll saw at each step.
type EnrollResult struct {
	Enroll      *cloud.EnrollResponse
	Attestation *cloud.AppResult
	Status      *cloud.StatusResponse
}

// Enroll runs a whole registration against c with a: enroll, create,
// post the attestation, read the status. Tweak may alter the create
// arguments (wrong origin, challenge, RP ID) before the key is used.
func Enroll(ctx context.Context, c *cloud.Client, a *Authenticator, req cloud.EnrollRequest, tweak func(*CreateArgs)) (*EnrollResult, error) {
	res := &EnrollResult{}
	er, err := c.Enroll(ctx, req)
	if err != nil {
		return res, err
	}
	res.Enroll = er
	o := er.Enrollment.CredentialCreationOptions
	args := CreateArgs{
		Origin:       c.Origin(),
		RPID:         EffectiveRPID(o.RP.ID, c.Origin()),
		Challenge:    o.Challenge,
		UserID:       o.User.ID,
		UserVerified: true,
	}
	for _, d := range o.ExcludeCredentials {
		args.ExcludeCredentials = append(args.ExcludeCredentials, d.ID)
	}
	if tweak != nil {
		tweak(&args)
	}
	att, err := a.Create(args)
	if err != nil {
		return res, err
	}
	ar, err := c.PostAttestation(ctx, cloud.AttestationResult{
		ID: att.ID,
		Response: cloud.AttestationResponse{
			AttestationObject: att.AttestationObject,
			ClientDataJSON:    att.ClientDataJSON,
		},
		StatusToken:      er.Enrollment.StatusToken,
		UserFriendlyName: "Test key",
	})
	if err != nil {
		return res, err
	}
	res.Attestation = ar
	st, err := c.Status(ctx, er.Enrollment.StatusToken)
	res.Status = st
	return res, err
}

// ApproveResult is what Approve saw at each step.
type ApproveResult struct {
	Approval  *cloud.ApprovalResponse
	Assertion *cloud.AppResult
	Status    *cloud.StatusResponse
}

// Approve runs a whole authentication against c with a.
func Approve(ctx context.Context, c *cloud.Client, a *Authenticator, req cloud.ApprovalRequest, tweak func(*GetArgs)) (*ApproveResult, error) {
	res := &ApproveResult{}
	ap, err := c.Approve(ctx, req)
	if err != nil {
		return res, err
	}
	res.Approval = ap
	o := ap.CredentialRequestOptions
	args := GetArgs{
		Origin:       c.Origin(),
		RPID:         EffectiveRPID(o.RPID, c.Origin()),
		Challenge:    o.Challenge,
		UserVerified: true,
	}
	for _, d := range o.AllowCredentials {
		args.AllowCredentials = append(args.AllowCredentials, d.ID)
	}
	if tweak != nil {
		tweak(&args)
	}
	as, err := a.Get(args)
	if err != nil {
		return res, fmt.Errorf("get: %w", err)
	}
	r, err := c.PostAssertion(ctx, cloud.AssertionResult{
		ID: as.ID,
		Response: cloud.AssertionResponse{
			AuthenticatorData: as.AuthenticatorData,
			ClientDataJSON:    as.ClientDataJSON,
			Signature:         as.Signature,
			UserHandle:        as.UserHandle,
		},
		StatusToken: ap.StatusToken,
	})
	if err != nil {
		return res, err
	}
	res.Assertion = r
	st, err := c.Status(ctx, ap.StatusToken)
	res.Status = st
	return res, err
}
