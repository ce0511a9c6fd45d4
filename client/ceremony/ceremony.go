// Package ceremony runs KeyDesk's Authentication Cloud ceremonies: Enroll
// and Approve start a transaction at the Cloud, let the WebAuthn client
// (client/webauthn) create or use a credential on the key, post it, poll the
// status and introspect the transaction token, and end in the fido2-client
// result object with a timeline of every step and the cause of a failure.
// The Cloud API itself is client/cloud; the result codes are client/result.
package ceremony

import (
	"context"
	"crypto/x509"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/pass"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/safetext"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/protocol"
)

// Cloud is the part of the Authentication Cloud API the ceremonies use;
// *cloud.Client implements it, against a real instance or the emulator.
type Cloud interface {
	Origin() string
	Enroll(ctx context.Context, req cloud.EnrollRequest) (*cloud.EnrollResponse, error)
	PostAttestation(ctx context.Context, res cloud.AttestationResult) (*cloud.AppResult, error)
	Approve(ctx context.Context, req cloud.ApprovalRequest) (*cloud.ApprovalResponse, error)
	PostAssertion(ctx context.Context, res cloud.AssertionResult) (*cloud.AppResult, error)
	Status(ctx context.Context, statusToken cloud.Token) (*cloud.StatusResponse, error)
	Introspect(ctx context.Context, token cloud.Token) (*cloud.Introspection, error)
}

var _ Cloud = (*cloud.Client)(nil)

// Runner runs enroll and approve ceremonies with one key against one Cloud.
type Runner struct {
	Cloud    Cloud
	Key      ctap.Authenticator
	Prompter ctap.Prompter
	// FindKey, when Key is nil, finds the key at the moment it is needed
	// (nil result: no key connected → error-1001 / error-0001 with
	// NotAllowedError, as a browser reports a key nobody touches).
	FindKey func(ctx context.Context) (ctap.Authenticator, error)
	// PollInterval and PollTimeout bound the status polling (defaults
	// 300 ms and 30 s).
	PollInterval, PollTimeout time.Duration
	// Log receives one line per step: names, durations and codes only.
	Log *slog.Logger
	// OnStep is told of each finished step.
	OnStep func(Step)
	// UserAgent is sent with the _app results.
	UserAgent string
	// StepTimes overrides how long the PIN prompt and the touch may take
	// (zero: the defaults).
	StepTimes webauthn.StepTimes
	// AttestationRoots are the relying party's attestation trust anchors
	// when KeyDesk knows them (the demo's emulator); an enrollment then
	// reports the trust verdict (Result.AttestationTrust). Nil: the
	// relying party's policy is its own and no verdict is given.
	AttestationRoots *x509.CertPool
}

// Result is a ceremony's end: the fido2-client result object and what the
// helpdesk needs to explain it.
type Result struct {
	// Kind is the ceremony that ran.
	Kind Kind `json:"kind"`
	// Outcome carries the transaction token in memory for the caller's
	// own checks; show or log only Outcome.Redacted().
	Outcome result.Outcome `json:"-"`
	// Cause is the most specific code behind a failure (zero on success).
	Cause result.Code `json:"cause"`
	// DOMException is the browser error name of a key failure, if any.
	DOMException string `json:"domException,omitempty"`
	Username     string `json:"username,omitempty"`
	UserID       string `json:"userId,omitempty"`
	// AuthenticatorName is the userFriendlyName sent with an enrollment.
	AuthenticatorName string                        `json:"authenticatorName,omitempty"`
	Steps             []Step                        `json:"timeline"`
	Credential        *webauthn.PublicKeyCredential `json:"-"`
	Introspection     *cloud.Introspection          `json:"introspection,omitempty"`
	// AttestationTrust is the verdict on the new credential's attestation
	// under Runner.AttestationRoots ("" when there are none).
	AttestationTrust protocol.Trust `json:"attestationTrust,omitempty"`
	// AcceptedByCloud is set on an enrollment that failed after the Cloud
	// accepted the attestation (status poll, introspection): the key may
	// already be registered.
	AcceptedByCloud bool `json:"acceptedByCloud,omitempty"`
	// PassID names the enrollment pass a ceremony ran with (pass.go); the
	// pass itself is never kept.
	PassID string `json:"passId,omitempty"`
	// NotIntrospected marks a success a pass holder saw: the Cloud accepted
	// the credential and reported the transaction succeeded, but the
	// transaction token was not introspected (a pass holder has no access
	// key): the organisation confirms the new authenticator.
	NotIntrospected bool  `json:"notIntrospected,omitempty"`
	Err             error `json:"-"`
}

// Success reports whether the ceremony succeeded, introspection included.
func (r *Result) Success() bool { return r.Outcome.Success }

// EnrollInput is what a person types to enroll a key.
type EnrollInput struct {
	Username     string
	DisplayName  string
	FriendlyName string // the authenticator's name at the Cloud
	FIDO2Options *cloud.EnrollFIDO2Options
}

// ApproveInput names who signs in: Username, or UserID, or neither for a
// usernameless sign-in with a discoverable credential.
type ApproveInput struct {
	Username         string
	UserID           string
	UserVerification string
	// AuthenticatorID, when set, asks the Cloud for a sign-in with that
	// authenticator of the user only (approval endpoint page:
	// authenticatorId, "The default is the last registered device").
	AuthenticatorID string
}

// MaxAuthenticatorsPerUser is the documented limit: "A user can register
// up to 10 authenticators" (docs.nevis.net/authcloud/operator-faq).
const MaxAuthenticatorsPerUser = 10

// ceremony is the state shared by the steps of one run.
type ceremony struct {
	r   *Runner
	tl  *Timeline
	res *Result
	reg bool // registration (error-10xx) or authentication (error-00xx)
}

func (r *Runner) start(reg bool) *ceremony {
	tl := &Timeline{OnStep: func(s Step) {
		if r.Log != nil {
			r.Log.Info("ceremony step", "step", s.Name, "outcome", s.Outcome(), "duration", s.Duration, "detail", s.Detail)
		}
		if r.OnStep != nil {
			r.OnStep(s)
		}
	}}
	kind := KindSignIn
	if reg {
		kind = KindEnroll
	}
	return &ceremony{r: r, tl: tl, res: &Result{Kind: kind}, reg: reg}
}

// code picks the registration or authentication variant of a result code.
func (c *ceremony) code(reg, auth result.Code) result.Code {
	if c.reg {
		return reg
	}
	return auth
}

// fail ends the ceremony with a fido2-client error code.
func (c *ceremony) fail(status result.Code, message string, err error) *Result {
	if c.res.AcceptedByCloud {
		message += " " + MayBeRegistered
	}
	c.res.Outcome = result.Failed(status, result.Redact(message))
	c.res.Err = err
	if err != nil {
		c.res.Cause = causeOf(err)
		var de *webauthn.DOMError
		if errors.As(err, &de) {
			c.res.DOMException = de.Name
		}
	}
	c.res.Steps = c.tl.Steps()
	return c.res
}

func (c *ceremony) key(ctx context.Context) (ctap.Authenticator, error) {
	if c.r.Key != nil {
		return c.r.Key, nil
	}
	if c.r.FindKey == nil {
		return nil, errNoKey
	}
	k, err := c.r.FindKey(ctx)
	if err == nil && k == nil {
		err = errNoKey
	}
	return k, err
}

var errNoKey = result.New(result.CodeNoKey)

// Enroll registers the key for a user: start at the Cloud, create the
// credential, post it, poll the status, introspect the transaction token.
// It succeeds only when the token introspects as active.
func (r *Runner) Enroll(ctx context.Context, in EnrollInput) *Result {
	return r.enroll(ctx, r.start(true), in, nil)
}

// enroll runs an enrollment; with p, the pass holder's (pass.go).
func (r *Runner) enroll(ctx context.Context, c *ceremony, in EnrollInput, p *pass.Pass) *Result {
	c.res.Username = in.Username
	c.res.AuthenticatorName = in.FriendlyName
	if in.DisplayName == "" {
		// The Cloud requires a displayName for fido2; the window, the
		// kiosk and the CLI all default it to the username.
		in.DisplayName = in.Username
	}
	err := CheckUsername(in.Username)
	if err == nil {
		err = CheckDisplayName(in.DisplayName)
	}
	if err != nil {
		end := c.tl.begin(StepCheckInput)
		end(err, "")
		return c.fail(result.RegistrationInvalidOptions, err.Error(), err)
	}
	var enr *cloud.EnrollResponse
	if p != nil && p.Kind == pass.KindHandoff {
		// The helpdesk station started this enrollment; the pass hands
		// over what the Cloud answered (pass.go).
		enr, err = handoffEnrollment(p)
		if err != nil {
			end := c.tl.begin(StepCheckInput)
			end(err, "pass "+p.ID())
			return c.fail(result.RegistrationInvalidOptions, "The enrollment pass cannot be used: "+err.Error()+".", err)
		}
		// Only a pending enrollment can take the credential: ask before
		// the key makes one nobody could register.
		end := c.tl.begin(StepPollStatus)
		err = handoffPending(ctx, r.Cloud, enr.Enrollment.StatusToken)
		end(err, "")
		if err != nil {
			return c.fail(result.RegistrationUnknown, "The enrollment pass cannot be used: "+err.Error()+".", err)
		}
	} else {
		end := c.tl.begin(StepStartEnrollment)
		enr, err = r.Cloud.Enroll(ctx, cloud.EnrollRequest{Username: in.Username, DisplayName: in.DisplayName, FIDO2Options: in.FIDO2Options})
		if p != nil {
			err = passRefusal(err)
		}
		end(err, "")
		if err != nil {
			return c.fail(result.RegistrationUnknown, "Error while starting the registration at the Authentication Cloud: "+err.Error(), err)
		}
	}
	c.res.UserID = enr.UserID
	if n := len(enr.Authenticators); n >= MaxAuthenticatorsPerUser {
		// The Cloud would not keep an eleventh: stop before the key makes
		// a credential nobody could use.
		err := result.Errorf(result.CodeAuthenticatorLimit, "the user already has %d authenticators, the documented maximum is %d", n, MaxAuthenticatorsPerUser)
		end := c.tl.begin(StepCheckAuthenticators)
		end(err, "")
		return c.fail(result.RegistrationUnknown, "Not registered: "+err.Error()+".", err)
	}
	if enr.Enrollment.StatusToken == "" {
		err := result.Errorf(result.CodeBadResponse, "the enrollment answer has no statusToken")
		return c.fail(result.RegistrationNoStatusToken, "Missing statusToken in the enrollment response.", err)
	}
	key, err := c.key(ctx)
	if err != nil {
		end := c.tl.begin(StepFindKey)
		end(err, "")
		err = noKeyError(err)
		return c.fail(result.RegistrationFailed, "Error while trying to create new credential. "+err.Error(), err)
	}
	if c.origin(enr.Enrollment.CredentialCreationOptions.RP.ID) == "" {
		err := noOrigin()
		end := c.tl.begin(StepMakeCredential)
		end(err, "")
		return c.fail(result.RegistrationFailed, "Error while trying to create new credential. "+err.Error(), err)
	}
	end := c.tl.begin(StepMakeCredential)
	cred, err := webauthn.Create(ctx, key, c.origin(enr.Enrollment.CredentialCreationOptions.RP.ID), &enr.Enrollment.CredentialCreationOptions.PublicKeyCredentialCreationOptionsJSON, r.Prompter, r.StepTimes)
	end(err, keyDetail(key))
	if err != nil {
		var oe *webauthn.OptionsError
		if errors.As(err, &oe) {
			return c.fail(result.RegistrationInvalidOptions, "Invalid credentialCreationOptions: "+oe.Reason, err)
		}
		// Any other error of Create is a *webauthn.DOMError.
		return c.fail(result.RegistrationFailed, "Error while trying to create new credential. "+err.Error(), err)
	}
	c.res.Credential = cred
	if r.AttestationRoots != nil {
		c.res.AttestationTrust = attestationTrust(cred, r.AttestationRoots)
	}
	end = c.tl.begin(StepSendAttestation)
	app, err := r.Cloud.PostAttestation(ctx, cloud.AttestationResult{
		ID: cred.ID, Type: "public-key",
		Response:         cloud.AttestationResponse{AttestationObject: cred.Response.AttestationObject, ClientDataJSON: cred.Response.ClientDataJSON},
		StatusToken:      enr.Enrollment.StatusToken,
		UserFriendlyName: in.FriendlyName, UserAgent: r.UserAgent,
	})
	err = appVerdict(app, err)
	end(err, "")
	if err != nil {
		return c.fail(result.RegistrationServerFailed, "Error while registering the new credential on server: "+err.Error(), err)
	}
	return c.finish(ctx, enr.Enrollment.StatusToken, app.Token, result.SuccessRegistration, p == nil)
}

// Approve signs the user in with the key: start at the Cloud, get an
// assertion, post it, poll the status, introspect the transaction token.
func (r *Runner) Approve(ctx context.Context, in ApproveInput) *Result {
	return r.approve(ctx, r.start(false), in, nil)
}

// approve runs a sign-in; with p, the pass holder's (pass.go).
func (r *Runner) approve(ctx context.Context, c *ceremony, in ApproveInput, p *pass.Pass) *Result {
	c.res.Username, c.res.UserID = in.Username, in.UserID
	if in.Username != "" {
		if err := CheckUsername(in.Username); err != nil {
			end := c.tl.begin(StepCheckInput)
			end(err, "")
			return c.fail(result.AuthenticationInvalidOptions, err.Error(), err)
		}
	}
	req := cloud.ApprovalRequest{Username: in.Username, UserID: in.UserID, AuthenticatorID: in.AuthenticatorID}
	if in.UserVerification != "" {
		req.FIDO2Options = &cloud.ApprovalFIDO2Options{UserVerification: in.UserVerification}
	}
	end := c.tl.begin(StepStartApproval)
	apr, err := r.Cloud.Approve(ctx, req)
	if p != nil {
		err = passRefusal(err)
	}
	end(err, "")
	if err != nil {
		return c.fail(result.AuthenticationUnknown, "Error while starting the authentication at the Authentication Cloud: "+err.Error(), err)
	}
	if apr.StatusToken == "" {
		err := result.Errorf(result.CodeBadResponse, "the approval answer has no statusToken")
		return c.fail(result.AuthenticationNoStatusToken, "Missing statusToken in the approval response.", err)
	}
	usernameless := in.Username == "" && in.UserID == ""
	if apr.UserID == "" && !usernameless {
		err := result.Errorf(result.CodeBadResponse, "the approval answer has no userId")
		return c.fail(result.AuthenticationInvalidUserID, "Invalid userId in the approval response.", err)
	}
	c.res.UserID = apr.UserID
	key, err := c.key(ctx)
	if err != nil {
		end := c.tl.begin(StepFindKey)
		end(err, "")
		err = noKeyError(err)
		return c.fail(result.AuthenticationFailed, "Error while trying to authenticate. "+err.Error(), err)
	}
	if c.origin(apr.CredentialRequestOptions.RPID) == "" {
		err := noOrigin()
		end := c.tl.begin(StepGetAssertion)
		end(err, "")
		return c.fail(result.AuthenticationFailed, "Error while trying to authenticate. "+err.Error(), err)
	}
	end = c.tl.begin(StepGetAssertion)
	cred, err := webauthn.Get(ctx, key, c.origin(apr.CredentialRequestOptions.RPID), &apr.CredentialRequestOptions, r.Prompter, r.StepTimes)
	end(err, keyDetail(key))
	if err != nil {
		var oe *webauthn.OptionsError
		if errors.As(err, &oe) {
			return c.fail(result.AuthenticationInvalidOptions, "Invalid credentialRequestOptions: "+oe.Reason, err)
		}
		// Any other error of Get is a *webauthn.DOMError.
		return c.fail(result.AuthenticationFailed, "Error while trying to authenticate. "+err.Error(), err)
	}
	c.res.Credential = cred
	if usernameless && c.res.UserID == "" {
		// Nevis's user handle is the userId's bytes; the key's user name is
		// the userId too, so the username comes from the status answer.
		c.res.UserID = printable(cred.User().ID)
	}
	end = c.tl.begin(StepSendAssertion)
	app, err := r.Cloud.PostAssertion(ctx, cloud.AssertionResult{
		ID: cred.ID, Type: "public-key",
		Response: cloud.AssertionResponse{
			AuthenticatorData: cred.Response.AuthenticatorData, ClientDataJSON: cred.Response.ClientDataJSON,
			Signature: cred.Response.Signature, UserHandle: cred.Response.UserHandle,
		},
		StatusToken: apr.StatusToken, UserAgent: r.UserAgent,
	})
	err = appVerdict(app, err)
	end(err, "")
	if err != nil {
		return c.fail(result.AuthenticationServerFailed, "Error while finalizing the authentication on the server: "+err.Error(), err)
	}
	return c.finish(ctx, apr.StatusToken, app.Token, result.SuccessAuthentication, p == nil)
}

// MayBeRegistered ends the message of an enrollment that failed after the
// Cloud accepted the credential.
const MayBeRegistered = "The Authentication Cloud accepted the credential, so the key may already be registered: check with a test sign-in for this user (or the user's authenticators in the Helpdesk view) before enrolling the key again."

// noKeyError is what a browser reports when no key answers: it waits for
// a touch until the timeout and rejects with NotAllowedError, which
// fido2-client.js turns into error-1001 / error-0001 (seed pages
// "Registration result codes" and "Authentication result codes": the
// 1004/0005 "WebAuthn is not supported by this browser" is for a browser
// without WebAuthn, which KeyDesk never is). The cause stays KeyDesk's own
// (keydesk:no-key), so the person is told to plug a key in.
func noKeyError(err error) error {
	return &webauthn.DOMError{Name: webauthn.NotAllowedError,
		Message: "The operation either timed out or was not allowed. No security key is connected.", Cause: err}
}

// origin is the web origin the WebAuthn client claims: the configured
// one, else https://<rpId> of the relying party the instance announced in
// its options. The documentation is silent on which origins an instance
// accepts beyond its relying party, so KeyDesk claims no more than the RP
// ID itself (the one origin every relying party's own site has); an empty
// RP ID (the docs' example: "the origin's host") leaves "" and the
// ceremony stops with keydesk:origin-unknown (noOrigin).
func (c *ceremony) origin(rpID string) string {
	if o := c.r.Cloud.Origin(); o != "" {
		return o
	}
	if rpID == "" {
		return ""
	}
	return "https://" + rpID
}

// noOrigin is the SecurityError of a ceremony with neither a configured
// origin nor an announced relying party: a browser always has an origin,
// KeyDesk then has none to claim.
func noOrigin() error {
	return &webauthn.DOMError{Name: webauthn.SecurityError,
		Message: "no origin is configured and the Authentication Cloud announced no relying party ID",
		Cause:   result.New(result.CodeOriginUnknown)}
}

func keyDetail(k ctap.Authenticator) string { return "key " + k.Path() }

// appVerdict decides whether an _app result post succeeded. Success is a
// 2xx answer without an errorMessage, whatever its status word: no source
// documents the success word (the API reference pages "Attestation result"
// and "Assertion result" on docs.nevis.net/authcloud/api-doc/api-reference
// give none; Nevis's own FIDO server uses ok|failed), and both official
// samples decide on errorMessage alone
// (nevissecurity/nevis-mobile-authentication-fido2-example-android and
// -ios). A success here is not yet the ceremony's success: the status poll
// and the token introspection still have to confirm it. An errorMessage,
// in a 2xx or in an error answer, is the Cloud's refusal and its words
// are the cause (cloud-api:rejected), not the HTTP status.
func appVerdict(app *cloud.AppResult, err error) error {
	var ae *cloud.APIError
	switch {
	case err == nil && app.ErrorMessage != "":
		return rejected(app.ErrorMessage, nil)
	case errors.As(err, &ae) && ae.Body.ErrorMessage != "":
		// Already redacted by the Cloud client.
		return rejected(ae.Body.ErrorMessage, ae)
	}
	return err
}

// rejected is the Cloud's refusal of a result post, with its errorMessage
// (redacted, control characters escaped) and the HTTP error, if any.
func rejected(msg string, cause error) error {
	msg = safetext.Escape(result.Redact(msg))
	if cause != nil {
		return result.Errorf(result.CodeCloudRejected, "the Authentication Cloud rejected the credential: %s%w", msg, hidden{cause})
	}
	return result.Errorf(result.CodeCloudRejected, "the Authentication Cloud rejected the credential: %s", msg)
}

// hidden wraps an error for errors.As while adding nothing to the text.
type hidden struct{ error }

func (hidden) Error() string   { return "" }
func (h hidden) Unwrap() error { return h.error }

// finish polls the transaction until it settles and introspects the
// token: only an active token is a success. Without introspect (a pass
// holder, who has no access key) the succeeded status is the end, as
// fido2-client.js reports it, and the result says it was not introspected.
func (c *ceremony) finish(ctx context.Context, statusToken, token cloud.Token, success result.Code, introspect bool) *Result {
	serverStep := c.code(result.RegistrationServerFailed, result.AuthenticationServerFailed)
	interval, limit := c.r.PollInterval, c.r.PollTimeout
	if interval <= 0 {
		interval = 300 * time.Millisecond
	}
	if limit <= 0 {
		limit = 30 * time.Second
	}
	// From here on the Cloud has accepted the credential: whatever fails
	// now, an enrolled key may already be registered.
	c.res.AcceptedByCloud = c.reg
	end := c.tl.begin(StepPollStatus)
	deadline := time.Now().Add(limit)
	for {
		st, err := c.r.Cloud.Status(ctx, statusToken)
		if err != nil && ctx.Err() != nil {
			// Cancelled (or out of time) during a status call or between
			// two: one answer.
			why, err := ended(ctx, err)
			end(err, "")
			return c.fail(c.code(result.RegistrationUnknown, result.AuthenticationUnknown), why, err)
		}
		if err != nil {
			end(err, "")
			return c.fail(serverStep, "Error while reading the transaction status: "+err.Error(), err)
		}
		if st.Status == cloud.StatusSucceeded {
			if st.Token != "" {
				token = st.Token
			}
			// The account comes from the documented status answer
			// (status endpoint page: userId and username, for a
			// usernameless sign-in present once succeeded); the
			// introspection answer's members beyond RFC 7662 are not
			// documented, so they never name it.
			if st.UserID != "" {
				c.res.UserID = safetext.Escape(st.UserID)
			}
			if st.Username != "" && c.res.Username == "" {
				c.res.Username = safetext.Escape(st.Username)
			}
			end(nil, "succeeded")
			break
		}
		if st.Status != cloud.StatusPending {
			err := result.Errorf(result.CloudAPI("status-"+st.Status), "the transaction ended with status %q", st.Status)
			end(err, "")
			return c.fail(serverStep, "The Authentication Cloud reports the transaction as "+st.Status+".", err)
		}
		if time.Now().After(deadline) {
			err := result.Errorf(result.CodeStatusPending, "the transaction was still pending after %s", limit)
			end(err, "")
			return c.fail(serverStep, "The Authentication Cloud did not confirm the transaction in time.", err)
		}
		select {
		case <-ctx.Done():
			why, err := ended(ctx, ctx.Err())
			end(err, "")
			return c.fail(c.code(result.RegistrationUnknown, result.AuthenticationUnknown), why, err)
		case <-time.After(interval):
		}
	}
	if token == "" {
		err := result.Errorf(result.CodeBadResponse, "the transaction succeeded without a transaction token")
		return c.fail(serverStep, "The Authentication Cloud returned no transaction token.", err)
	}
	if !introspect {
		c.res.NotIntrospected = true
		c.res.Outcome = result.Succeeded(success, string(token))
		c.res.Steps = c.tl.Steps()
		return c.res
	}
	end = c.tl.begin(StepIntrospectToken)
	in, err := c.r.Cloud.Introspect(ctx, token)
	if err == nil && !in.Active {
		err = result.Errorf(result.CodeTokenInactive, "the transaction token introspects as inactive")
	}
	end(err, "")
	if err != nil {
		c.res.Introspection = in
		return c.fail(c.code(result.RegistrationUnknown, result.AuthenticationUnknown), "The transaction token could not be confirmed: "+err.Error(), err)
	}
	c.res.Introspection = in
	c.res.Outcome = result.Succeeded(success, string(token))
	c.res.Steps = c.tl.Steps()
	return c.res
}

// printable returns b as text when it is printable UTF-8, else "".
func printable(b []byte) string {
	s := string(b)
	if safetext.HasControl(s) || strings.ContainsRune(s, utf8.RuneError) {
		return ""
	}
	return s
}
