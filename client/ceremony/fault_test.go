package ceremony_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/client/webauthn/options"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// The fault matrix: every way a key, the Cloud or a person can make a
// ceremony fail, each on a rig of real parts (the virtual key through the
// real libfido2, the emulator over loopback HTTP, the real Cloud client).
// Each row asserts the fido2-client status code and the catalogued cause,
// that the rig works again once the fault is gone, that the person's input
// is untouched, and that no secret reaches the logs, the result JSON, the
// redacted outcome or the error string.

const (
	faultPIN = "kd-PIN-4711x"
	wrongPIN = "wrong-PIN-0815"
	// plantedJWT is a token-shaped value servers put into error bodies:
	// it must be redacted wherever the body is shown.
	plantedJWT = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJwbGFudGVkLWZhdWx0In0.cGxhbnRlZC1zaWduYXR1cmUtZmF1bHQ"
)

type flow int

const (
	flowEnroll flow = iota
	flowApprove
)

// spyCloud passes every call through and keeps the secrets the Cloud hands
// out (status and transaction tokens, challenges) so that the test can look
// for them afterwards.
type spyCloud struct {
	ceremony.Cloud
	mu      sync.Mutex
	secrets []string
}

func (s *spyCloud) keep(v ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range v {
		if x != "" {
			s.secrets = append(s.secrets, x)
		}
	}
}

func (s *spyCloud) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.secrets...)
}

func (s *spyCloud) Enroll(ctx context.Context, req cloud.EnrollRequest) (*cloud.EnrollResponse, error) {
	r, err := s.Cloud.Enroll(ctx, req)
	if r != nil {
		s.keep(string(r.Enrollment.StatusToken), r.Enrollment.CredentialCreationOptions.Challenge)
	}
	return r, err
}

func (s *spyCloud) PostAttestation(ctx context.Context, res cloud.AttestationResult) (*cloud.AppResult, error) {
	r, err := s.Cloud.PostAttestation(ctx, res)
	if r != nil {
		s.keep(string(r.Token))
	}
	return r, err
}

func (s *spyCloud) Approve(ctx context.Context, req cloud.ApprovalRequest) (*cloud.ApprovalResponse, error) {
	r, err := s.Cloud.Approve(ctx, req)
	if r != nil {
		s.keep(string(r.StatusToken), r.CredentialRequestOptions.Challenge)
	}
	return r, err
}

func (s *spyCloud) PostAssertion(ctx context.Context, res cloud.AssertionResult) (*cloud.AppResult, error) {
	r, err := s.Cloud.PostAssertion(ctx, res)
	if r != nil {
		s.keep(string(r.Token))
	}
	return r, err
}

func (s *spyCloud) Status(ctx context.Context, tok cloud.Token) (*cloud.StatusResponse, error) {
	r, err := s.Cloud.Status(ctx, tok)
	if r != nil {
		s.keep(string(r.Token))
	}
	return r, err
}

// tamperKey is a man in the middle between the ceremony and the real key:
// it flips a bit of the rpIdHash in what the key returned, as a key
// answering for another relying party would.
type tamperKey struct{ ctap.Authenticator }

func (k tamperKey) MakeCredential(ctx context.Context, req ctap.MakeCredentialRequest, p ctap.Prompter) (*ctap.MakeCredentialResult, error) {
	res, err := k.Authenticator.MakeCredential(ctx, req, p)
	if err == nil && len(res.AuthData) > 0 {
		res.AuthData = append([]byte(nil), res.AuthData...)
		res.AuthData[0] ^= 1
	}
	return res, err
}

func (k tamperKey) GetAssertion(ctx context.Context, req ctap.GetAssertionRequest, p ctap.Prompter) ([]ctap.AssertionResult, error) {
	res, err := k.Authenticator.GetAssertion(ctx, req, p)
	for i := range res {
		res[i].AuthData = append([]byte(nil), res[i].AuthData...)
		res[i].AuthData[0] ^= 1
	}
	return res, err
}

// faultRig is a rig with the spy in front of the Cloud and the user ivy
// enrolled when the row approves.
type faultRig struct {
	*rig
	t     *testing.T
	spy   *spyCloud
	pins  []string // every PIN typed, right or wrong
	extra []string // other secrets to look for
	// ctx is the ceremony's context; cancel ends it (person faults).
	ctx    context.Context
	cancel context.CancelFunc
	// fido2 are the enrollment options the key can meet (nil: the Cloud's
	// documented ones; u2fOptions for a U2F key).
	fido2 *cloud.EnrollFIDO2Options
}

// useCloud puts c (behind the spy) in place of the emulator's client.
func (f *faultRig) useCloud(c ceremony.Cloud) { f.spy.Cloud = c }

func (f *faultRig) setPIN() {
	f.t.Helper()
	if err := f.dev.SetPIN(context.Background(), faultPIN); err != nil {
		f.t.Fatal(err)
	}
	f.pins = append(f.pins, faultPIN)
}

// newClient is a Cloud client for url with the emulator's origin and key.
func (f *faultRig) newClient(url, accessKey string, opts ...cloud.Option) *cloud.Client {
	f.t.Helper()
	c, err := cloud.New(cloud.Config{InstanceURL: url, Origin: f.em.Origin(), AccessKey: cloud.NewSecret(accessKey)}, opts...)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// cancelWhen cancels the ceremony as soon as the emulator has received a
// request to ep (the request itself is held back by a Slow fault).
func (f *faultRig) cancelWhen(ep emulator.Endpoint) {
	f.em.FailNext(ep, emulator.Slow(20*time.Second))
	// Only requests from now on: an approve rig's setup enroll already
	// made one of each, and seeing those would cancel too early.
	seen := len(f.em.Requests())
	go func() {
		for f.ctx.Err() == nil {
			reqs := f.em.Requests()
			for _, r := range reqs[min(seen, len(reqs)):] {
				if r.Endpoint == ep {
					f.cancel()
					return
				}
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
}

// wrongPINs burns n PIN attempts as a person typing wrong PINs would,
// replugging the key after every third (the per-boot limit).
func (f *faultRig) wrongPINs(n int) {
	f.t.Helper()
	for n > 0 {
		k := min(n, 3)
		pins := make([]string, k)
		for i := range pins {
			pins[i] = wrongPIN
		}
		f.prompter.SetPINs(pins...)
		f.runner.Enroll(context.Background(), ceremony.EnrollInput{Username: "burn"})
		if err := f.key.Replug(); err != nil {
			f.t.Fatal(err)
		}
		n -= k
	}
}

// resetKey wipes the key (a blocked PIN or a full store leave no other
// way), as a person would with the key's reset after replugging it.
func (f *faultRig) resetKey() {
	f.t.Helper()
	f.key.SetPresence(virtualkey.Presence{})
	if err := f.key.Replug(); err != nil {
		f.t.Fatal(err)
	}
	if err := f.dev.Reset(context.Background(), f.prompter); err != nil {
		f.t.Fatal(err)
	}
}

type faultCase struct {
	name string
	flow flow
	// key options of the rig (zero: short presence timeout)
	key virtualkey.Options
	// pin sets the key's PIN before anything else.
	pin bool
	// in overrides the person's input.
	enroll  *ceremony.EnrollInput
	approve *ceremony.ApproveInput
	// deadline, when set, is the ceremony context's deadline (a caller's
	// time limit, not a person's cancel).
	deadline time.Duration
	// setup injects the fault.
	setup func(f *faultRig)
	// status and cause are what the ceremony must report.
	status string
	cause  result.Code
	dom    string
	// check looks at the result further.
	check func(t *testing.T, f *faultRig, res *ceremony.Result)
	// recover undoes what clearing faults and replugging do not.
	recover func(f *faultRig)
	// fresh: after recovery the user must enroll again (the key was
	// wiped) before approving.
	fresh bool
	// notU2F says why the fault cannot happen to a U2F-only key
	// (profileSupports); pin rows need no saying.
	notU2F string
}

func TestFaultMatrix(t *testing.T) {
	cases := faultCases()
	if len(cases) < 40 {
		t.Fatalf("the matrix has %d faults, want at least 40", len(cases))
	}
	names := map[string]bool{}
	for _, c := range cases {
		if names[c.name] {
			t.Fatalf("duplicate fault %q", c.name)
		}
		names[c.name] = true
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runFault(t, c)
		})
	}
}

func runFault(t *testing.T, c faultCase) {
	o := rigOptions{key: c.key}
	if o.key.PresenceTimeout == 0 {
		o.key.PresenceTimeout = 400 * time.Millisecond
	}
	var fido2 *cloud.EnrollFIDO2Options
	if c.key.Profile == virtualkey.ProfileU2F {
		// A U2F key enrolls only where no discoverable credential is
		// required, and signs in only where an empty userHandle is taken
		// (testU2FAtTheCloud).
		fido2 = u2fOptions
		o.emulator.AcceptAssertionsWithoutUserHandle = true
	}
	r := newRig(t, o)
	r.runner.PollTimeout = 500 * time.Millisecond
	spy := &spyCloud{Cloud: r.cl}
	r.runner.Cloud = spy
	f := &faultRig{rig: r, t: t, spy: spy, fido2: fido2}
	if c.pin {
		f.setPIN()
	}
	const user = "ivy"
	if c.flow == flowApprove {
		f.prompter.SetPINs(faultPIN)
		if res := r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: user, FIDO2Options: fido2}); !res.Success() {
			t.Fatalf("setup enroll: %s %s %v", res.Outcome.Code.StatusCode, res.Cause, res.Err)
		}
	}
	f.prompter.SetPINs(faultPIN)
	limit := 30 * time.Second
	if c.deadline > 0 {
		limit = c.deadline
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	f.ctx, f.cancel = ctx, cancel
	if c.setup != nil {
		c.setup(f)
	}

	var res *ceremony.Result
	var in, inBefore any
	switch c.flow {
	case flowEnroll:
		e := ceremony.EnrollInput{Username: "jack", DisplayName: "Jack Example", FriendlyName: "Jack's key",
			FIDO2Options: &cloud.EnrollFIDO2Options{Attestation: "direct"}}
		if fido2 != nil {
			e.FIDO2Options = fido2
		}
		if c.enroll != nil {
			e = *c.enroll
		}
		before := e
		if e.FIDO2Options != nil {
			o := *e.FIDO2Options
			before.FIDO2Options = &o
		}
		inBefore = before
		res = r.runner.Enroll(ctx, e)
		in = e
		if res.Username != e.Username || res.AuthenticatorName != e.FriendlyName {
			t.Errorf("the result lost the input: username %q, name %q", res.Username, res.AuthenticatorName)
		}
	case flowApprove:
		a := ceremony.ApproveInput{Username: user}
		if c.approve != nil {
			a = *c.approve
		}
		inBefore = a
		res = r.runner.Approve(ctx, a)
		in = a
		if res.Username != a.Username {
			t.Errorf("the result lost the username: %q", res.Username)
		}
	}
	if !reflect.DeepEqual(in, inBefore) {
		t.Errorf("the input changed: %+v, was %+v", in, inBefore)
	}

	// The codes.
	if res.Outcome.Code.StatusCode != c.status || res.Cause != c.cause {
		t.Errorf("got %s / %s, want %s / %s (message %q, err %v)", res.Outcome.Code.StatusCode, res.Cause, c.status, c.cause, res.Outcome.Message, res.Err)
	}
	if res.Outcome.Success || res.Outcome.Token != "" {
		t.Errorf("a failed ceremony reports success or carries a token: %+v", res.Outcome.Redacted())
	}
	if want := result.Lookup(result.Nevis(c.status)).Message; res.Outcome.Code.Message != want {
		t.Errorf("code.message %q, want %q", res.Outcome.Code.Message, want)
	}
	if e := result.Lookup(res.Cause); e.Generated || e.Explanation == "" {
		t.Errorf("cause %s has no catalogue entry of its own", res.Cause)
	}
	if c.dom != "" && res.DOMException != c.dom {
		t.Errorf("DOMException %q, want %q", res.DOMException, c.dom)
	}
	if res.Err == nil {
		t.Error("no error behind the failure")
	}
	if len(res.Steps) == 0 {
		t.Error("no timeline")
	}
	if c.check != nil {
		c.check(t, f, res)
	}
	// Nothing secret anywhere a person, a log or a report can see.
	assertNoSecrets(t, f, res)

	// The same rig works again once the fault is gone.
	cancel()
	r.em.ClearFaults()
	r.key.OnEvent(nil)
	r.key.SetPresence(virtualkey.Presence{})
	if r.key.Status().Unplugged || r.key.Status().AuthBlocked {
		if err := r.key.Replug(); err != nil {
			t.Fatal(err)
		}
	}
	r.runner.Key = r.dev
	r.runner.FindKey = nil
	f.useCloud(r.cl)
	if c.recover != nil {
		c.recover(f)
	}
	if r.key.Status().PINSet {
		r.prompter.SetPINs(faultPIN, faultPIN)
	}
	switch {
	case c.flow == flowEnroll:
		wantOutcome(t, r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: "kate", FIDO2Options: fido2}), "success-registration")
	default:
		if c.fresh {
			wantOutcome(t, r.runner.Enroll(ctxT(t), ceremony.EnrollInput{Username: user, FIDO2Options: fido2}), "success-registration")
			if r.key.Status().PINSet {
				r.prompter.SetPINs(faultPIN, faultPIN)
			}
		}
		wantOutcome(t, r.runner.Approve(ctxT(t), ceremony.ApproveInput{Username: user}), "success-authentication")
	}
}

func assertNoSecrets(t *testing.T, f *faultRig, res *ceremony.Result) {
	t.Helper()
	secrets := append([]string{f.em.AccessKey(), plantedJWT}, f.pins...)
	secrets = append(secrets, f.spy.all()...)
	secrets = append(secrets, f.extra...)
	for _, req := range f.em.Requests() {
		secrets = append(secrets, requestSecrets(req.Body)...)
		if cd := clientDataChallenge(req.Body); cd != "" {
			secrets = append(secrets, cd)
		}
	}
	resJSON, _ := json.Marshal(res)
	red, _ := json.Marshal(res.Outcome.Redacted())
	places := map[string]string{
		"log": f.logs.String(), "result JSON": string(resJSON), "redacted outcome": string(red),
	}
	if res.Err != nil {
		places["error"] = res.Err.Error()
	}
	for _, s := range secrets {
		if len(s) < 6 {
			t.Fatalf("secret %q too short to look for", s)
		}
		for where, text := range places {
			if strings.Contains(text, s) {
				t.Errorf("%s contains a secret %.6s…: %s", where, s, text)
			}
		}
	}
}

// clientDataChallenge returns the challenge inside the clientDataJSON of
// a recorded _app result body.
func clientDataChallenge(body []byte) string {
	var m struct {
		Response struct {
			ClientDataJSON string `json:"clientDataJSON"`
		} `json:"response"`
	}
	if json.Unmarshal(body, &m) != nil || m.Response.ClientDataJSON == "" {
		return ""
	}
	raw, err := decodeB64(m.Response.ClientDataJSON)
	if err != nil {
		return ""
	}
	var cd webauthn.CollectedClientData
	if json.Unmarshal(raw, &cd) != nil {
		return ""
	}
	return cd.Challenge
}

func faultCases() []faultCase {
	enrolled := func(f *faultRig) {
		if res := f.runner.Enroll(context.Background(), ceremony.EnrollInput{Username: "jack", FIDO2Options: f.fido2}); !res.Success() {
			f.t.Fatalf("setup enroll: %s %v", res.Cause, res.Err)
		}
	}
	onPresence := func(f *faultRig, fn func()) {
		f.key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
		f.key.OnEvent(func(e virtualkey.Event) {
			if e.Kind == virtualkey.EventWaitingPresence {
				go fn()
			}
		})
	}
	cloudErr := func(status int, name string) emulator.Fault {
		return emulator.CloudError(status, name, "rejected token "+plantedJWT)
	}
	redirector := func(f *faultRig) string {
		other := httptest.NewServer(http.NotFoundHandler())
		f.t.Cleanup(other.Close)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+r.URL.Path, http.StatusTemporaryRedirect)
		}))
		f.t.Cleanup(srv.Close)
		return srv.URL
	}
	long := strings.Repeat("x", ceremony.MaxUsernameLength+1)
	uvRequired := &cloud.EnrollFIDO2Options{AuthenticatorSelection: &options.AuthenticatorSelectionCriteria{UserVerification: "required"}}

	return []faultCase{
		// ---- the key ----
		{name: "key/presence denied/enroll", setup: func(f *faultRig) {
			f.key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
		}, status: "error-1001", cause: result.CTAP(0x27), dom: webauthn.NotAllowedError, notU2F: "U2F has no status for a refusal: a U2F key cannot deny"},
		{name: "key/presence denied/approve", flow: flowApprove, setup: func(f *faultRig) {
			f.key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
		}, status: "error-0001", cause: result.CTAP(0x27), dom: webauthn.NotAllowedError, notU2F: "U2F has no status for a refusal: a U2F key cannot deny"},
		{name: "key/presence timeout/enroll", setup: func(f *faultRig) {
			f.key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceNever})
		}, status: "error-1001", cause: result.CTAP(0x2F), dom: webauthn.NotAllowedError, notU2F: "a U2F key has no timeout of its own: the platform's touch countdown ends the wait (key/touch countdown)"},
		{name: "key/presence timeout/approve", flow: flowApprove, setup: func(f *faultRig) {
			f.key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceNever})
		}, status: "error-0001", cause: result.CTAP(0x2F), dom: webauthn.NotAllowedError, notU2F: "a U2F key has no timeout of its own: the platform's touch countdown ends the wait (key/touch countdown)"},
		// The touch countdown (the Cloud's timeout) ends before the key's
		// own timeout: on every key, U2F keys included.
		{name: "key/touch countdown/enroll", key: virtualkey.Options{PresenceTimeout: 10 * time.Second}, setup: func(f *faultRig) {
			f.key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceNever})
			f.runner.StepTimes.Touch = 300 * time.Millisecond
		}, status: "error-1001", cause: result.CodeTouchTimeout, dom: webauthn.NotAllowedError,
			recover: func(f *faultRig) { f.runner.StepTimes = webauthn.StepTimes{} }},
		{name: "key/touch countdown/approve", flow: flowApprove, key: virtualkey.Options{PresenceTimeout: 10 * time.Second}, setup: func(f *faultRig) {
			f.key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceNever})
			f.runner.StepTimes.Touch = 300 * time.Millisecond
		}, status: "error-0001", cause: result.CodeTouchTimeout, dom: webauthn.NotAllowedError,
			recover: func(f *faultRig) { f.runner.StepTimes = webauthn.StepTimes{} }},
		{name: "key/PIN invalid then given up", pin: true, setup: func(f *faultRig) {
			f.pins = append(f.pins, wrongPIN)
			f.prompter.SetPINs(wrongPIN)
		}, status: "error-1001", cause: result.CTAP(0x31), dom: webauthn.AbortError, check: func(t *testing.T, f *faultRig, res *ceremony.Result) {
			asked := f.prompter.PINRequests()
			if len(asked) != 2 || asked[1].Reason != ctap.PINRetry || asked[1].RetriesLeft != 7 {
				t.Errorf("prompts %+v, want a retry with 7 left", asked)
			}
		}},
		{name: "key/PIN auth blocked until replug", pin: true, setup: func(f *faultRig) {
			f.pins = append(f.pins, wrongPIN)
			f.prompter.SetPINs(wrongPIN, wrongPIN, wrongPIN, faultPIN)
		}, status: "error-1001", cause: result.CTAP(0x34), dom: webauthn.NotAllowedError,
			check: func(t *testing.T, f *faultRig, res *ceremony.Result) {
				if !f.key.Status().AuthBlocked {
					t.Error("the key is not auth-blocked")
				}
			}},
		{name: "key/PIN blocked", pin: true, setup: func(f *faultRig) {
			f.pins = append(f.pins, wrongPIN)
			f.wrongPINs(6)
			f.prompter.SetPINs(wrongPIN, wrongPIN, faultPIN)
		}, status: "error-1001", cause: result.CTAP(0x32), dom: webauthn.NotAllowedError,
			recover: func(f *faultRig) { f.resetKey() }},
		{name: "key/UV blocked", flow: flowApprove, setup: func(f *faultRig) {
			f.key.FailNext(0x3C)
		}, status: "error-0001", cause: result.CTAP(0x3C), dom: webauthn.NotAllowedError, notU2F: "a CTAP2 status scripted with FailNext"},
		{name: "key/UV blocked/enroll", setup: func(f *faultRig) {
			f.key.FailNext(0x3C)
		}, status: "error-1001", cause: result.CTAP(0x3C), dom: webauthn.NotAllowedError, notU2F: "a CTAP2 status scripted with FailNext"},
		{name: "key/no credentials", flow: flowApprove, setup: func(f *faultRig) {
			f.resetKey()
		}, status: "error-0001", cause: result.CTAP(0x2E), dom: webauthn.NotAllowedError, fresh: true,
			notU2F: "wiped by a CTAP2 reset, which a U2F key does not have"},
		{name: "key/credential excluded", setup: enrolled,
			status: "error-1001", cause: result.CTAP(0x19), dom: webauthn.InvalidStateError},
		{name: "key/store full", key: virtualkey.Options{MaxResident: 1}, setup: func(f *faultRig) {
			if res := f.runner.Enroll(context.Background(), ceremony.EnrollInput{Username: "leo"}); !res.Success() {
				f.t.Fatalf("setup enroll: %v", res.Err)
			}
		}, status: "error-1001", cause: result.CTAP(0x28), dom: webauthn.ConstraintError,
			recover: func(f *faultRig) { f.resetKey() }, notU2F: "a U2F key stores no credentials"},
		{name: "key/unplugged while waiting for touch", setup: func(f *faultRig) {
			onPresence(f, f.key.Unplug)
		}, status: "error-1001", cause: result.KeyDesk("key-removed"), dom: webauthn.UnknownError},
		{name: "key/unplugged/approve", flow: flowApprove, setup: func(f *faultRig) {
			onPresence(f, f.key.Unplug)
		}, status: "error-0001", cause: result.KeyDesk("key-removed"), dom: webauthn.UnknownError},
		{name: "key/corrupted CBOR", setup: func(f *faultRig) { f.key.CorruptNext() },
			status: "error-1001", cause: result.Libfido2(ctap.ErrCodeRXNotCBOR), dom: webauthn.UnknownError, notU2F: "a U2F key sends no CBOR"},
		{name: "key/corrupted CBOR/approve", flow: flowApprove, setup: func(f *faultRig) { f.key.CorruptNext() },
			status: "error-0001", cause: result.Libfido2(ctap.ErrCodeRXNotCBOR), dom: webauthn.UnknownError, notU2F: "a U2F key sends no CBOR"},
		{name: "key/wrong rpIdHash/enroll", setup: func(f *faultRig) { f.runner.Key = tamperKey{f.dev} },
			status: "error-1001", cause: result.KeyDesk("rp-id-hash-mismatch"), dom: webauthn.UnknownError},
		{name: "key/wrong rpIdHash/approve", flow: flowApprove, setup: func(f *faultRig) { f.runner.Key = tamperKey{f.dev} },
			status: "error-0001", cause: result.KeyDesk("rp-id-hash-mismatch"), dom: webauthn.UnknownError},
		{name: "key/unexpected CTAP status 0x7F", setup: func(f *faultRig) { f.key.FailNext(0x7F) },
			status: "error-1001", cause: result.CTAP(0x7F), dom: webauthn.NotAllowedError, notU2F: "a CTAP2 status scripted with FailNext"},
		{name: "key/vendor CTAP status 0xF3", flow: flowApprove, setup: func(f *faultRig) { f.key.FailNext(0xF3) },
			status: "error-0001", cause: result.CTAP(0xF3), notU2F: "a CTAP2 status scripted with FailNext"},
		{name: "key/none connected", setup: func(f *faultRig) {
			f.runner.Key = nil
			f.runner.FindKey = func(context.Context) (ctap.Authenticator, error) { return nil, nil }
		}, status: "error-1001", cause: result.KeyDesk("no-key"), dom: webauthn.NotAllowedError},

		// ---- the Cloud ----
		{name: "cloud/400 enroll", setup: func(f *faultRig) { f.em.FailNext(emulator.EndpointEnroll, cloudErr(400, "bad_request")) },
			status: "error-1099", cause: result.HTTP(400)},
		{name: "cloud/401 wrong access key", flow: flowApprove, setup: func(f *faultRig) {
			f.extra = append(f.extra, "not-the-access-key-1234")
			f.useCloud(f.newClient(f.em.URL(), "not-the-access-key-1234"))
		}, status: "error-0099", cause: result.HTTP(401)},
		{name: "cloud/403 enroll", setup: func(f *faultRig) { f.em.FailNext(emulator.EndpointEnroll, cloudErr(403, "forbidden")) },
			status: "error-1099", cause: result.HTTP(403)},
		{name: "cloud/404 unknown user", flow: flowApprove, approve: &ceremony.ApproveInput{Username: "nobody"},
			status: "error-0099", cause: result.HTTP(404)},
		{name: "cloud/409 enroll", setup: func(f *faultRig) { f.em.FailNext(emulator.EndpointEnroll, cloudErr(409, "conflict")) },
			status: "error-1099", cause: result.HTTP(409)},
		{name: "cloud/415 attestation", setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointAttestation, cloudErr(415, "unsupported_media_type"))
		}, status: "error-1002", cause: result.HTTP(415)},
		{name: "cloud/422 assertion", flow: flowApprove, setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointAssertion, cloudErr(422, "unprocessable_entity"))
		}, status: "error-0002", cause: result.HTTP(422)},
		{name: "cloud/429 Retry-After on enroll", setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointEnroll, emulator.RateLimited("7"))
		}, status: "error-1099", cause: result.HTTP(429), check: func(t *testing.T, f *faultRig, res *ceremony.Result) {
			var ae *cloud.APIError
			if !errors.As(res.Err, &ae) || ae.RetryAfter != 7*time.Second {
				t.Errorf("Retry-After not kept: %v", res.Err)
			}
			if n := countRequests(f.em, emulator.EndpointEnroll); n != 1 {
				t.Errorf("enroll (not idempotent) sent %d times", n)
			}
		}},
		{name: "cloud/429 Retry-After on status, retries exhausted", setup: func(f *faultRig) {
			f.useCloud(f.newClient(f.em.URL(), f.em.AccessKey(), cloud.WithRetries(1, time.Second)))
			for range 2 {
				f.em.FailNext(emulator.EndpointStatus, emulator.RateLimited("1"))
			}
		}, status: "error-1002", cause: result.HTTP(429), check: func(t *testing.T, f *faultRig, res *ceremony.Result) {
			if n := countRequests(f.em, emulator.EndpointStatus); n != 2 {
				t.Errorf("status sent %d times, want 2 (one retry)", n)
			}
		}},
		{name: "cloud/500 introspect", setup: func(f *faultRig) { f.em.FailNext(emulator.EndpointIntrospect, cloudErr(500, "internal_error")) },
			status: "error-1099", cause: result.HTTP(500)},
		{name: "cloud/501 approval", flow: flowApprove, setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointApproval, cloudErr(501, "not_implemented"))
		}, status: "error-0099", cause: result.HTTP(501)},
		{name: "cloud/503 attestation", setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointAttestation, cloudErr(503, "unavailable"))
		}, status: "error-1002", cause: result.HTTP(503)},
		{name: "cloud/503 enroll is not retried", setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointEnroll, cloudErr(503, "unavailable"))
		}, status: "error-1099", cause: result.HTTP(503), check: func(t *testing.T, f *faultRig, res *ceremony.Result) {
			if n := countRequests(f.em, emulator.EndpointEnroll); n != 1 {
				t.Errorf("enroll (not idempotent) sent %d times", n)
			}
		}},
		{name: "cloud/timeout", setup: func(f *faultRig) {
			f.useCloud(f.newClient(f.em.URL(), f.em.AccessKey(), cloud.WithTimeout(200*time.Millisecond)))
			f.em.FailNext(emulator.EndpointEnroll, emulator.Slow(3*time.Second))
		}, status: "error-1099", cause: result.KeyDesk("cloud-timeout")},
		{name: "cloud/timeout/status", flow: flowApprove, setup: func(f *faultRig) {
			f.useCloud(f.newClient(f.em.URL(), f.em.AccessKey(), cloud.WithTimeout(200*time.Millisecond), cloud.WithRetries(0, 0)))
			f.em.FailNext(emulator.EndpointStatus, emulator.Slow(3*time.Second))
		}, status: "error-0002", cause: result.KeyDesk("cloud-timeout")},
		{name: "cloud/connection refused", setup: func(f *faultRig) {
			closed := httptest.NewServer(http.NotFoundHandler())
			u := closed.URL
			closed.Close()
			f.useCloud(f.newClient(u, f.em.AccessKey()))
		}, status: "error-1099", cause: result.KeyDesk("unreachable")},
		{name: "cloud/malformed JSON enroll", setup: func(f *faultRig) { f.em.FailNext(emulator.EndpointEnroll, emulator.MalformedJSON()) },
			status: "error-1099", cause: result.KeyDesk("bad-response")},
		{name: "cloud/malformed JSON status", flow: flowApprove, setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointStatus, emulator.MalformedJSON())
		}, status: "error-0002", cause: result.KeyDesk("bad-response")},
		{name: "cloud/malformed JSON assertion", flow: flowApprove, setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointAssertion, emulator.MalformedJSON())
		}, status: "error-0002", cause: result.KeyDesk("bad-response")},
		{name: "cloud/oversized body", flow: flowApprove, setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointApproval, emulator.Oversized(2<<20))
		}, status: "error-0099", cause: result.KeyDesk("response-too-large")},
		{name: "cloud/token introspects inactive", setup: func(f *faultRig) { f.em.SetIntrospectInactive(true) },
			status: "error-1099", cause: result.KeyDesk("token-inactive")},
		{name: "cloud/token introspects inactive/approve", flow: flowApprove, setup: func(f *faultRig) { f.em.SetIntrospectInactive(true) },
			status: "error-0099", cause: result.KeyDesk("token-inactive")},
		{name: "cloud/status stays pending", setup: func(f *faultRig) { f.em.SetStatusPending(true) },
			status: "error-1002", cause: result.KeyDesk("status-pending")},
		{name: "cloud/RP ID not valid for origin/enroll", setup: func(f *faultRig) { f.em.SetOptionsRPID("evil.example") },
			status: "error-1001", cause: result.KeyDesk("rp-id-mismatch"), dom: webauthn.SecurityError},
		{name: "cloud/RP ID not valid for origin/approve", flow: flowApprove, setup: func(f *faultRig) { f.em.SetOptionsRPID("example.com.evil.example") },
			status: "error-0001", cause: result.KeyDesk("rp-id-mismatch"), dom: webauthn.SecurityError},
		{name: "cloud/RP ID a public suffix", setup: func(f *faultRig) { f.em.SetOptionsRPID("com") },
			status: "error-1001", cause: result.KeyDesk("rp-id-mismatch"), dom: webauthn.SecurityError},
		{name: "cloud/plain http instance", setup: func(f *faultRig) {
			_, err := cloud.New(cloud.Config{InstanceURL: "http://acme.mauth.nevis.cloud", Origin: f.em.Origin(), AccessKey: cloud.NewSecret(f.em.AccessKey())})
			if err == nil {
				f.t.Fatal("cloud.New accepted a plain-http instance")
			}
			f.useCloud(ceremony.Unconfigured(err))
		}, status: "error-1099", cause: result.KeyDesk("insecure-url"), check: func(t *testing.T, f *faultRig, res *ceremony.Result) {
			if n := len(f.em.Requests()); n != 0 {
				t.Errorf("%d requests reached a Cloud", n)
			}
		}},
		{name: "cloud/redirect to another host", setup: func(f *faultRig) {
			f.useCloud(f.newClient(redirector(f), f.em.AccessKey()))
		}, status: "error-1099", cause: result.KeyDesk("redirect-refused")},
		{name: "cloud/TLS certificate not trusted", setup: func(f *faultRig) {
			srv := httptest.NewTLSServer(http.NotFoundHandler())
			f.t.Cleanup(srv.Close)
			f.useCloud(f.newClient(srv.URL, f.em.AccessKey()))
		}, status: "error-1099", cause: result.KeyDesk("tls-untrusted")},

		// ---- the tenant API's error bodies (seed 003) ----
		{name: "tenant/tenant_mismatch", setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointEnroll, emulator.TenantError(403, "tenant_mismatch", "Tenant mismatch", map[string]any{"token": plantedJWT}))
		}, status: "error-1099", cause: result.TenantAPI("tenant_mismatch")},
		{name: "tenant/not_found", flow: flowApprove, setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointApproval, emulator.TenantError(404, "not_found", "Not found", nil))
		}, status: "error-0099", cause: result.TenantAPI("not_found")},
		{name: "tenant/unauthenticated", setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointEnroll, emulator.TenantError(401, "unauthenticated", "Unauthenticated", nil, "token "+plantedJWT+" expired"))
		}, status: "error-1099", cause: result.TenantAPI("unauthenticated")},
		{name: "tenant/no_pending_enrollment", setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointAttestation, emulator.TenantError(409, "no_pending_enrollment", "No pending enrollment", nil))
		}, status: "error-1002", cause: result.TenantAPI("no_pending_enrollment")},
		{name: "tenant/not_implemented", flow: flowApprove, setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointAssertion, emulator.TenantError(501, "not_implemented", "Not implemented", nil))
		}, status: "error-0002", cause: result.TenantAPI("not_implemented")},

		// ---- the app-native authentication API's error bodies (seed 004) ----
		{name: "appnative/60001", flow: flowApprove, setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointApproval, emulator.AppNativeError(400, "60001", "Invalid authentication request.", "statusToken "+plantedJWT))
		}, status: "error-0099", cause: result.AppNative("60001")},
		{name: "appnative/ABA-60008", flow: flowApprove, setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointAssertion, emulator.AppNativeError(400, "ABA-60008", "Authentication failed.", "x"))
		}, status: "error-0002", cause: result.AppNative("60008")},
		{name: "appnative/65001", setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointEnroll, emulator.AppNativeError(500, "65001", "Internal error.", "x"))
		}, status: "error-1099", cause: result.AppNative("65001")},
		{name: "appnative/401", setup: func(f *faultRig) {
			f.em.FailNext(emulator.EndpointAttestation, emulator.AppNativeError(401, "401", "Unauthorized.", "x"))
		}, status: "error-1002", cause: result.AppNative("401")},

		// ---- the person ----
		{name: "person/empty username", enroll: &ceremony.EnrollInput{Username: ""},
			status: "error-1000", cause: result.KeyDesk("username-empty")},
		{name: "person/too long username", enroll: &ceremony.EnrollInput{Username: long, FriendlyName: "k"},
			status: "error-1000", cause: result.KeyDesk("username-too-long")},
		{name: "person/too long username/approve", flow: flowApprove, approve: &ceremony.ApproveInput{Username: long},
			status: "error-0000", cause: result.KeyDesk("username-too-long")},
		{name: "person/control characters in username", enroll: &ceremony.EnrollInput{Username: "ivy\nadmin"},
			status: "error-1000", cause: result.KeyDesk("username-invalid")},
		{name: "person/terminal escape in username", enroll: &ceremony.EnrollInput{Username: "ivy\x1b]0;x\x07"},
			status: "error-1000", cause: result.KeyDesk("username-invalid")},
		{name: "person/C1 control in username", enroll: &ceremony.EnrollInput{Username: "ivy\u009b31m"},
			status: "error-1000", cause: result.KeyDesk("username-invalid")},
		{name: "person/bidi override in username", enroll: &ceremony.EnrollInput{Username: "ivy\u202enimda"},
			status: "error-1000", cause: result.KeyDesk("username-invalid")},
		{name: "person/bidi isolate in username/approve", flow: flowApprove, approve: &ceremony.ApproveInput{Username: "ivy\u2066x"},
			status: "error-0000", cause: result.KeyDesk("username-invalid")},
		{name: "person/invalid UTF-8 in username", enroll: &ceremony.EnrollInput{Username: "ivy\xff"},
			status: "error-1000", cause: result.KeyDesk("username-invalid")},
		{name: "person/PIN too short", enroll: &ceremony.EnrollInput{Username: "mia", FIDO2Options: uvRequired}, setup: func(f *faultRig) {
			f.prompter.SetPINs("12")
		}, status: "error-1001", cause: result.KeyDesk("pin-too-short"), notU2F: "a U2F key cannot have a PIN", check: func(t *testing.T, f *faultRig, res *ceremony.Result) {
			if f.key.Status().PINSet {
				t.Error("a too short PIN was set")
			}
		}},
		{name: "person/cancel/start enrollment", setup: func(f *faultRig) { f.cancelWhen(emulator.EndpointEnroll) },
			status: "error-1099", cause: result.KeyDesk("cancelled")},
		{name: "person/cancel/PIN prompt", pin: true, setup: func(f *faultRig) {
			f.prompter.SetPINs() // the prompter cancels when it has no PIN
		}, status: "error-1001", cause: result.KeyDesk("cancelled"), dom: webauthn.AbortError},
		{name: "person/cancel/touch", setup: func(f *faultRig) { onPresence(f, f.cancel) },
			status: "error-1001", cause: result.KeyDesk("cancelled"), dom: webauthn.AbortError},
		{name: "person/cancel/send attestation", setup: func(f *faultRig) { f.cancelWhen(emulator.EndpointAttestation) },
			status: "error-1002", cause: result.KeyDesk("cancelled")},
		{name: "person/cancel/poll status", setup: func(f *faultRig) { f.cancelWhen(emulator.EndpointStatus) },
			status: "error-1099", cause: result.KeyDesk("cancelled")},
		{name: "person/cancel/poll status while pending", setup: func(f *faultRig) {
			f.em.SetStatusPending(true)
			go func() {
				for f.ctx.Err() == nil && countRequests(f.em, emulator.EndpointStatus) < 2 {
					time.Sleep(time.Millisecond)
				}
				f.cancel()
			}()
		}, status: "error-1099", cause: result.KeyDesk("cancelled")},
		{name: "person/cancel/introspect", setup: func(f *faultRig) { f.cancelWhen(emulator.EndpointIntrospect) },
			status: "error-1099", cause: result.KeyDesk("cancelled")},
		{name: "person/cancel/start approval", flow: flowApprove, setup: func(f *faultRig) { f.cancelWhen(emulator.EndpointApproval) },
			status: "error-0099", cause: result.KeyDesk("cancelled")},
		{name: "person/cancel/touch/approve", flow: flowApprove, setup: func(f *faultRig) { onPresence(f, f.cancel) },
			status: "error-0001", cause: result.KeyDesk("cancelled"), dom: webauthn.AbortError},
		{name: "person/cancel/send assertion", flow: flowApprove, setup: func(f *faultRig) { f.cancelWhen(emulator.EndpointAssertion) },
			status: "error-0002", cause: result.KeyDesk("cancelled")},
		{name: "person/cancel/poll status/approve", flow: flowApprove, setup: func(f *faultRig) { f.cancelWhen(emulator.EndpointStatus) },
			status: "error-0099", cause: result.KeyDesk("cancelled")},
		// A caller's deadline is not a person's cancel: it ends as a timeout.
		{name: "deadline/touch", key: virtualkey.Options{PresenceTimeout: 10 * time.Second}, deadline: 500 * time.Millisecond,
			setup:  func(f *faultRig) { f.key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual}) },
			status: "error-1001", cause: result.CTAP(0x2F), dom: webauthn.NotAllowedError},
		{name: "deadline/poll status while pending", deadline: 1500 * time.Millisecond, setup: func(f *faultRig) {
			f.em.SetStatusPending(true)
			f.runner.PollTimeout = 20 * time.Second
		}, status: "error-1099", cause: result.CodeCloudTimeout},
		{name: "person/cancel/introspect/approve", flow: flowApprove, setup: func(f *faultRig) { f.cancelWhen(emulator.EndpointIntrospect) },
			status: "error-0099", cause: result.KeyDesk("cancelled")},
	}
}

func countRequests(em *emulator.Server, ep emulator.Endpoint) int {
	n := 0
	for _, r := range em.Requests() {
		if r.Endpoint == ep {
			n++
		}
	}
	return n
}

func decodeB64(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}
