package ceremony

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/pass"
	"github.com/keydesk/keydesk/client/result"
)

// PassInput is an enrollment or test sign-in with an enrollment pass (a
// user desktop or a kiosk, which hold no access key). The username and
// display name come from the pass only.
type PassInput struct {
	Pass *pass.Pass
	// Instance is the station's configured instance URL, or
	// pass.DemoInstance in demo mode: a pass for another is refused.
	Instance string
	// FriendlyName is the authenticator's name at the Cloud (enroll).
	FriendlyName string
	// Redeemed, when set, reports whether this station's own record has
	// the pass ID as redeemed already (keydesk:pass-used before the Cloud
	// is asked).
	Redeemed func(passID string) bool
	// Now is the time the pass is checked against (zero: time.Now).
	Now time.Time
}

// PassHolderConfig is the Cloud client configuration of a pass holder for
// p at instanceURL (the station's own; in demo mode the emulator's URL,
// while the pass names pass.DemoInstance): the pass's intent tokens are
// the bearers, and there is no access key (cloud.NewPassHolder).
func PassHolderConfig(p *pass.Pass, instanceURL, origin string) cloud.PassHolderConfig {
	cfg := cloud.PassHolderConfig{InstanceURL: instanceURL, Origin: origin}
	if t, ok := p.Token(pass.Enroll); ok {
		cfg.EnrollToken = cloud.Token(t)
	}
	if t, ok := p.Token(pass.Approve); ok {
		cfg.ApproveToken = cloud.Token(t)
	}
	return cfg
}

// EnrollWithPass registers the key for the person the pass names. r.Cloud
// must be the pass holder's client (cloud.NewPassHolder with
// PassHolderConfig): it carries the pass's enroll token instead of the
// access key. The pass is checked first (instance, expiry, operation, the
// station's own record) before anything is sent or the key is touched.
//
// A pass holder cannot introspect: the introspect endpoint's example uses
// the access key and no documentation page says an intent-token holder may
// call it (docs.nevis.net/authcloud/api-doc/api-reference/introspect-ref,
// intent-ref). So, as fido2-client.js in a browser, the ceremony ends at
// the succeeded status: Result.NotIntrospected is set, and the words a
// front-end shows are "registered — your organisation confirms it", never
// "confirmed by the Cloud". The helpdesk station confirms by seeing the
// new authenticator.
func (r *Runner) EnrollWithPass(ctx context.Context, in PassInput) *Result {
	c := r.start(true)
	if err := c.checkPass(in, pass.Enroll); err != nil {
		return c.fail(result.RegistrationUnknown, "The enrollment pass cannot be used: "+err.Error()+".", err)
	}
	p := in.Pass
	return r.enroll(ctx, c, EnrollInput{Username: p.Username, DisplayName: p.DisplayName, FriendlyName: in.FriendlyName}, p)
}

// ApproveWithPass tests a sign-in of the person the pass names with the
// pass's approve token, under the same rules as EnrollWithPass.
func (r *Runner) ApproveWithPass(ctx context.Context, in PassInput) *Result {
	c := r.start(false)
	if err := c.checkPass(in, pass.Approve); err != nil {
		return c.fail(result.AuthenticationUnknown, "The enrollment pass cannot be used: "+err.Error()+".", err)
	}
	return r.approve(ctx, c, ApproveInput{Username: in.Pass.Username, UserID: in.Pass.UserID}, in.Pass)
}

// checkPass is the first step of a ceremony with a pass; its detail names
// the pass by its ID only.
func (c *ceremony) checkPass(in PassInput, op pass.Operation) error {
	end := c.tl.begin(StepCheckInput)
	if in.Pass == nil {
		err := result.Errorf(result.CodePassMalformed, "no pass was given")
		end(err, "")
		return err
	}
	c.res.PassID = in.Pass.ID()
	c.res.Username, c.res.UserID = in.Pass.Username, in.Pass.UserID
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	err := in.Pass.Check(now, in.Instance, op)
	if err == nil && in.Redeemed != nil && in.Redeemed(in.Pass.ID()) {
		err = result.Errorf(result.CodePassUsed, "this station's record has the pass as redeemed")
	}
	end(err, "pass "+in.Pass.ID())
	return err
}

// passRefusal names the Cloud's refusal of a pass's token: 401 (the
// emulator's answer for a spent or expired token) is keydesk:pass-used,
// 403 (another user, operation or channel) keydesk:pass-refused. The
// intent and registration pages document neither status; any other
// failure keeps its own cause.
func passRefusal(err error) error {
	var ae *cloud.APIError
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.HTTPStatus {
	case http.StatusUnauthorized:
		return result.Errorf(result.CodePassUsed, "the Authentication Cloud refused the pass's token as used or no longer valid%w", hidden{err})
	case http.StatusForbidden:
		return result.Errorf(result.CodePassRefused, "the Authentication Cloud refused the pass's token for this person or operation%w", hidden{err})
	}
	return err
}

// handoffEnrollment is the enroll answer a hand-off pass carries: the
// creation options (decoded as the Cloud's, relyingParty or rp) and the
// status token. The helpdesk station checked the authenticator limit when
// it started the enrollment.
func handoffEnrollment(p *pass.Pass) (*cloud.EnrollResponse, error) {
	raw, statusToken, ok := p.Handoff()
	if !ok {
		return nil, result.Errorf(result.CodePassMalformed, "the pass is not a hand-off")
	}
	var opts cloud.CredentialCreationOptions
	if err := json.Unmarshal(raw, &opts); err != nil {
		return nil, result.Errorf(result.CodePassMalformed, "the hand-off's creation options are not readable")
	}
	return &cloud.EnrollResponse{UserID: p.UserID, Username: p.Username,
		Enrollment: cloud.Enrollment{StatusToken: cloud.Token(statusToken), CredentialCreationOptions: opts}}, nil
}

// handoffPending checks that the handed-over enrollment still waits for
// its credential (status pending); a succeeded or failed one was used, an
// unknown one has expired or was never issued.
func handoffPending(ctx context.Context, c Cloud, statusToken cloud.Token) error {
	st, err := c.Status(ctx, statusToken)
	if err != nil {
		return err
	}
	switch st.Status {
	case cloud.StatusPending:
		return nil
	case cloud.StatusUnknown:
		return result.Errorf(result.CodePassExpired, "the Authentication Cloud no longer knows the handed-over enrollment")
	}
	return result.Errorf(result.CodePassUsed, "the handed-over enrollment has ended (%s)", safeStatus(st.Status))
}

func safeStatus(s string) string {
	if s == cloud.StatusSucceeded || s == cloud.StatusFailed {
		return s
	}
	return "another state"
}

// HandoffLifetime is how long a hand-off pass is valid when neither the
// creation options' timeout nor the status token state one (an
// assumption: the docs give the enrollment no lifetime of their own).
const HandoffLifetime = 2 * time.Minute

// StartHandoff is the helpdesk station's side of a live hand-off, for an
// instance that does not accept intent tokens for fido2: it starts the
// enrollment with the access key (cl) and packs what a page hands
// fido2-client.js (the creation options and the status token; the
// registration page's "forward the following attributes to the frontend")
// into a pass of kind handoff for instance. The pass expires with the
// enrollment: at the options' timeout, or the status token's own expiry
// if earlier, or HandoffLifetime when neither is known. It refuses a user
// who already has the documented maximum of authenticators.
func StartHandoff(ctx context.Context, cl Cloud, instance, username, displayName string) (*pass.Pass, error) {
	if displayName == "" {
		displayName = username
	}
	if err := CheckUsername(username); err != nil {
		return nil, err
	}
	if err := CheckDisplayName(displayName); err != nil {
		return nil, err
	}
	now := time.Now()
	enr, err := cl.Enroll(ctx, cloud.EnrollRequest{Username: username, DisplayName: displayName})
	if err != nil {
		return nil, err
	}
	if n := len(enr.Authenticators); n >= MaxAuthenticatorsPerUser {
		return nil, result.Errorf(result.CodeAuthenticatorLimit, "the user already has %d authenticators, the documented maximum is %d", n, MaxAuthenticatorsPerUser)
	}
	if enr.Enrollment.StatusToken == "" {
		return nil, result.Errorf(result.CodeBadResponse, "the enrollment answer has no statusToken")
	}
	opts, err := json.Marshal(enr.Enrollment.CredentialCreationOptions)
	if err != nil {
		return nil, err
	}
	expires := now.Add(HandoffLifetime)
	if t := enr.Enrollment.CredentialCreationOptions.Timeout; t > 0 {
		expires = now.Add(time.Duration(t) * time.Millisecond)
	}
	if exp := cloud.ExpiryOf(enr.Enrollment.StatusToken); !exp.IsZero() && exp.Before(expires) {
		expires = exp
	}
	return pass.IssueHandoff(pass.HandoffFields{Instance: instance, Username: username, UserID: enr.UserID,
		DisplayName: displayName, CreationOptions: opts, StatusToken: string(enr.Enrollment.StatusToken), Issued: now, Expires: expires})
}
