package cloud_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/internal/testauthn"
	"github.com/keydesk/keydesk/client/webauthn/options"
)

// plantedKey is an access key whose appearance anywhere in an error or a
// printed value fails the test.
const plantedKey = "AK-planted-4f9c2e71d0b84a5e9f1c"

func startEmulator(t *testing.T, opts ...cloud.Option) (*emulator.Server, *cloud.Client) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := emulator.Start(ctx, emulator.Config{AccessKey: plantedKey, Origin: "https://portal.example.com", RecordRequests: true})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); srv.Close() })
	opts = append([]cloud.Option{cloud.WithRetries(3, 50*time.Millisecond)}, opts...)
	c, err := cloud.New(cloud.Config{InstanceURL: srv.URL(), Origin: srv.Origin(), AccessKey: cloud.NewSecret(plantedKey)}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// assertClean fails when s holds the access key or any of the tokens.
func assertClean(t *testing.T, what, s string, tokens ...string) {
	t.Helper()
	for _, secret := range append([]string{plantedKey}, tokens...) {
		if secret != "" && strings.Contains(s, secret) {
			t.Errorf("%s leaks a secret: %s", what, s)
		}
	}
}

func TestEveryCallAgainstEmulator(t *testing.T) {
	var (
		mu    sync.Mutex
		steps []string
	)
	srv, c := startEmulator(t, cloud.WithTrace(func(step string, _ time.Time, _ time.Duration, status int, err error) {
		mu.Lock()
		steps = append(steps, fmt.Sprintf("%s %d", step, status))
		mu.Unlock()
	}))
	ctx := context.Background()
	key := testauthn.New(testauthn.FormatPacked)

	en, err := testauthn.Enroll(ctx, c, key, cloud.EnrollRequest{
		Username: "alice", DisplayName: "Alice",
		FIDO2Options: &cloud.EnrollFIDO2Options{
			AuthenticatorSelection: &options.AuthenticatorSelectionCriteria{ResidentKey: "required", RequireResidentKey: true, UserVerification: "required"},
			Attestation:            "direct",
		},
	}, nil)
	if err != nil || en.Status.Status != cloud.StatusSucceeded {
		t.Fatalf("enroll: %v", err)
	}
	if sel := en.Enroll.Enrollment.CredentialCreationOptions.AuthenticatorSelection; sel == nil || sel.ResidentKey != "required" || sel.UserVerification != "required" {
		t.Errorf("fido2Options not honoured: %+v", sel)
	}
	in, err := c.Introspect(ctx, en.Status.Token)
	if err != nil || !in.Active {
		t.Fatalf("introspect: %+v %v", in, err)
	}
	ap, err := testauthn.Approve(ctx, c, key, cloud.ApprovalRequest{Username: "alice", FIDO2Options: &cloud.ApprovalFIDO2Options{UserVerification: "required"}}, nil)
	if err != nil || ap.Status.Status != cloud.StatusSucceeded {
		t.Fatalf("approve: %v", err)
	}
	if ap.Approval.CredentialRequestOptions.UserVerification != "required" || ap.Approval.CredentialRequestOptions.RPID != "portal.example.com" {
		t.Errorf("request options = %+v", ap.Approval.CredentialRequestOptions)
	}
	u, err := c.User(ctx, en.Enroll.UserID)
	if err != nil || len(u.Authenticators) != 1 {
		t.Fatalf("user: %+v %v", u, err)
	}
	if err := c.DeleteAuthenticator(ctx, u.Authenticators[0].AuthenticatorID); err != nil {
		t.Fatal(err)
	}

	seen := map[emulator.Endpoint]bool{}
	for _, r := range srv.Requests() {
		seen[r.Endpoint] = true
		switch r.Endpoint {
		case emulator.EndpointAttestation, emulator.EndpointAssertion:
			if r.Bearer {
				t.Errorf("%s carried an Authorization header", r.Endpoint)
			}
		default:
			if !r.Bearer || !r.BearerValid {
				t.Errorf("%s %s without the Bearer access key", r.Method, r.Path)
			}
		}
		switch r.Endpoint {
		case emulator.EndpointIntrospect:
			if r.ContentType != "application/x-www-form-urlencoded" || !strings.HasPrefix(string(r.Body), "token=") {
				t.Errorf("introspect body %q (%s), want a form", r.Body, r.ContentType)
			}
		case emulator.EndpointUser, emulator.EndpointDeleteAuthenticator:
		default:
			if !strings.HasPrefix(r.ContentType, "application/json") {
				t.Errorf("%s content type %q", r.Endpoint, r.ContentType)
			}
		}
	}
	for _, ep := range []emulator.Endpoint{emulator.EndpointEnroll, emulator.EndpointAttestation, emulator.EndpointApproval,
		emulator.EndpointAssertion, emulator.EndpointStatus, emulator.EndpointIntrospect, emulator.EndpointUser, emulator.EndpointDeleteAuthenticator} {
		if !seen[ep] {
			t.Errorf("no %s call reached the emulator", ep)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"enroll 200", "attestation 200", "status 200", "introspect 200", "approval 200", "assertion 200", "status 200", "user 200", "delete authenticator 204"}
	if strings.Join(steps, ",") != strings.Join(want, ",") {
		t.Errorf("trace = %v, want %v", steps, want)
	}
}

func TestNewChecksURLs(t *testing.T) {
	good := []string{"https://acme.mauth.nevis.cloud", "https://acme.mauth.nevis.cloud/", "http://127.0.0.1:8080", "http://127.9.9.9", "http://localhost:1234", "http://[::1]:99", "HTTP://LOCALHOST"}
	for _, u := range good {
		if _, err := cloud.New(cloud.Config{InstanceURL: u}); err != nil {
			t.Errorf("New(%q): %v", u, err)
		}
	}
	insecure := []string{"http://acme.mauth.nevis.cloud", "http://10.0.0.1", "http://localhost.example.com", "http://[::2]:1"}
	for _, u := range insecure {
		_, err := cloud.New(cloud.Config{InstanceURL: u})
		var ce *cloud.ConfigError
		if !errors.Is(err, cloud.ErrInsecureURL) || !errors.As(err, &ce) || ce.Field != "instance URL" {
			t.Errorf("New(%q) = %v, want ErrInsecureURL", u, err)
		}
	}
	bad := []string{"", "acme.mauth.nevis.cloud", "ftp://acme", "https://user:pw@acme.example", "https://acme.example/?a=b", "https://acme.example/#x", "mailto:x@y"}
	for _, u := range bad {
		_, err := cloud.New(cloud.Config{InstanceURL: u})
		var ce *cloud.ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("New(%q) = %v, want a *ConfigError", u, err)
		} else if strings.Contains(err.Error(), "pw") {
			t.Errorf("error shows the URL's password: %v", err)
		}
	}
	origins := map[string]bool{
		"https://portal.example.com": true, "https://portal.example.com:8443": true, "http://localhost:3000": true,
		"https://portal.example.com/": true, "http://portal.example.com": false, "portal.example.com": false,
		"https://portal.example.com/login": false, "https://portal.example.com?x=1": false,
	}
	for o, ok := range origins {
		_, err := cloud.New(cloud.Config{InstanceURL: "https://acme.example", Origin: o})
		if (err == nil) != ok {
			t.Errorf("origin %q: err = %v, want ok=%v", o, err, ok)
		}
	}
	c, _ := cloud.New(cloud.Config{InstanceURL: "https://acme.example", Origin: "HTTPS://Portal.Example.com/"})
	if c.Origin() != "https://portal.example.com" {
		t.Errorf("canonical origin = %q", c.Origin())
	}
	// Server calls need the key; the client says so before sending anything.
	_, err := c.Status(context.Background(), "tok-1234")
	var ce *cloud.ConfigError
	if !errors.As(err, &ce) || ce.Field != "access key" {
		t.Errorf("status without access key: %v", err)
	}
}

func TestRedirects(t *testing.T) {
	var otherHits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
		w.Write([]byte(`{"status":"succeeded"}`))
	}))
	defer other.Close()
	var sameHits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/status", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/api/v1/status", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/api/v1/users/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/api/v1/users/here", http.StatusFound)
	})
	mux.HandleFunc("/api/v1/users/here", func(w http.ResponseWriter, r *http.Request) {
		sameHits.Add(1)
		if r.Header.Get("Authorization") != "Bearer "+plantedKey {
			t.Error("same-host redirect lost the access key")
		}
		w.Write([]byte(`{"userId":"here","authenticators":[]}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := cloud.New(cloud.Config{InstanceURL: srv.URL, AccessKey: cloud.NewSecret(plantedKey)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Status(context.Background(), "status-token-value-123")
	var re *cloud.RedirectError
	if !errors.As(err, &re) || re.Op != "status" || !strings.HasPrefix(re.To, "http://127.0.0.1:") {
		t.Fatalf("cross-host redirect: %v", err)
	}
	if otherHits.Load() != 0 {
		t.Error("the other host was contacted")
	}
	assertClean(t, "redirect error", err.Error(), "status-token-value-123")
	u, err := c.User(context.Background(), "moved")
	if err != nil || u.UserID != "here" || sameHits.Load() != 1 {
		t.Errorf("same-host redirect: %+v %v", u, err)
	}
}

func TestRetryAfter(t *testing.T) {
	srv, c := startEmulator(t)
	ctx := context.Background()
	en, err := testauthn.Enroll(ctx, c, testauthn.New(testauthn.FormatNone), cloud.EnrollRequest{Username: "alice"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	count := func(ep emulator.Endpoint) int {
		n := 0
		for _, r := range srv.Requests() {
			if r.Endpoint == ep {
				n++
			}
		}
		return n
	}

	// Idempotent: retried, in seconds and in HTTP-date form (capped to 50ms here).
	srv.ResetRequests()
	srv.FailNext(emulator.EndpointStatus, emulator.RateLimited("1"))
	srv.FailNext(emulator.EndpointStatus, emulator.RateLimited(time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)))
	start := time.Now()
	st, err := c.Status(ctx, en.Enroll.Enrollment.StatusToken)
	if err != nil || st.Status != cloud.StatusSucceeded {
		t.Fatalf("status after 429s: %+v %v", st, err)
	}
	if n := count(emulator.EndpointStatus); n != 3 {
		t.Errorf("status sent %d times, want 3", n)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Retry-After not capped: took %v", d)
	}

	// Retries run out: the last 429 comes back as an APIError.
	for range 4 {
		srv.FailNext(emulator.EndpointIntrospect, emulator.RateLimited("0"))
	}
	_, err = c.Introspect(ctx, en.Status.Token)
	var apiErr *cloud.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatus != 429 {
		t.Errorf("introspect after 4 429s: %v", err)
	}

	// Not idempotent: never retried.
	srv.ResetRequests()
	srv.FailNext(emulator.EndpointEnroll, emulator.RateLimited("0"))
	_, err = c.Enroll(ctx, cloud.EnrollRequest{Username: "bob"})
	if !errors.As(err, &apiErr) || apiErr.HTTPStatus != 429 || apiErr.Body.Error != "too_many_requests" {
		t.Errorf("enroll 429: %v", err)
	}
	if n := count(emulator.EndpointEnroll); n != 1 {
		t.Errorf("enroll sent %d times, want 1", n)
	}
	srv.FailNext(emulator.EndpointApproval, emulator.RateLimited("0"))
	srv.FailNext(emulator.EndpointAttestation, emulator.RateLimited("0"))
	srv.FailNext(emulator.EndpointAssertion, emulator.RateLimited("0"))
	c.Approve(ctx, cloud.ApprovalRequest{Username: "alice"})
	c.PostAttestation(ctx, cloud.AttestationResult{StatusToken: "t-1234"})
	c.PostAssertion(ctx, cloud.AssertionResult{StatusToken: "t-1234"})
	for _, ep := range []emulator.Endpoint{emulator.EndpointApproval, emulator.EndpointAttestation, emulator.EndpointAssertion} {
		if n := count(ep); n != 1 {
			t.Errorf("%s sent %d times, want 1", ep, n)
		}
	}
}

func TestBodySizeLimit(t *testing.T) {
	srv, c := startEmulator(t, cloud.WithMaxBodySize(4096))
	srv.FailNext(emulator.EndpointUser, emulator.Oversized(8192))
	_, err := c.User(context.Background(), "x")
	var tl *cloud.BodyTooLargeError
	if !errors.As(err, &tl) || tl.Limit != 4096 || tl.Op != "user" {
		t.Fatalf("oversized body: %v", err)
	}
	srv.FailNext(emulator.EndpointUser, emulator.Oversized(3000))
	if _, err := c.User(context.Background(), "x"); err != nil {
		t.Errorf("body under the limit: %v", err)
	}

	// The default limit is 1 MiB.
	srv2, c2 := startEmulator(t)
	srv2.FailNext(emulator.EndpointStatus, emulator.Oversized(2<<20))
	if _, err := c2.Status(context.Background(), "t-1234"); !errors.As(err, &tl) || tl.Limit != 1<<20 {
		t.Errorf("2 MiB body: %v", err)
	}
}

func TestErrorBodyStyles(t *testing.T) {
	srv, c := startEmulator(t)
	cases := []struct {
		fault emulator.Fault
		check func(*cloud.APIError) bool
	}{
		{emulator.CloudError(400, "bad_request", "username missing"), func(e *cloud.APIError) bool {
			return e.Body.Style == cloud.StyleCloud && e.Body.Error == "bad_request" && e.Body.Message == "username missing" && e.Body.Status == "400"
		}},
		{emulator.TenantError(403, "tenant_mismatch", "Tenant does not match", map[string]any{"tenant": "t1"}, "policy p1 denied"), func(e *cloud.APIError) bool {
			return e.HTTPStatus == 403 && e.Body.Style == cloud.StyleTenant && e.Body.Code == "tenant_mismatch" &&
				e.Body.Details["tenant"] == "t1" && len(e.Body.Notices) == 1
		}},
		{emulator.TenantError(404, "not_found", "No pending enrollment found", nil), func(e *cloud.APIError) bool {
			return e.Body.Style == cloud.StyleTenant && e.Body.Code == "not_found"
		}},
		{emulator.AppNativeError(400, "60001", "Invalid authentication request.", "Received authentication request is invalid."), func(e *cloud.APIError) bool {
			return e.Body.Style == cloud.StyleAppNative && e.Body.Code == "60001" && e.Body.Description != "" && strings.HasPrefix(e.Body.TraceID, "trace-")
		}},
		{emulator.Fault{Status: 500, Body: `{"code":65001,"message":"Unable to proceed with authentication.","description":"x","traceId":"t"}`}, func(e *cloud.APIError) bool {
			return e.Body.Style == cloud.StyleAppNative && e.Body.Code == "65001"
		}},
		{emulator.AppNativeError(401, "ABA-60002", "Authentication failure.", "Authentication flow has concluded with a failure."), func(e *cloud.APIError) bool {
			return e.Body.Code == "ABA-60002" && e.HTTPStatus == 401
		}},
		{emulator.Fault{Status: 502, Body: "<html><body>Bad Gateway</body></html>"}, func(e *cloud.APIError) bool {
			return e.Body.Style == cloud.StyleUnknown && strings.Contains(e.Raw, "Bad Gateway") && strings.Contains(e.Error(), "Bad Gateway")
		}},
		{emulator.Fault{Status: 500}, func(e *cloud.APIError) bool { return e.Body.Style == cloud.StyleUnknown && e.Raw == "" }},
	}
	for i, tc := range cases {
		srv.FailNext(emulator.EndpointApproval, tc.fault)
		_, err := c.Approve(context.Background(), cloud.ApprovalRequest{Username: "x"})
		var apiErr *cloud.APIError
		if !errors.As(err, &apiErr) || apiErr.Op != "approval" || apiErr.HTTPStatus != tc.fault.Status || !tc.check(apiErr) {
			t.Errorf("case %d: %v (%+v)", i, err, apiErr)
		}
	}
}

func TestMalformedAndSlowAnswers(t *testing.T) {
	srv, c := startEmulator(t, cloud.WithTimeout(300*time.Millisecond))
	srv.FailNext(emulator.EndpointStatus, emulator.MalformedJSON())
	if _, err := c.Status(context.Background(), "t-1234"); !errors.Is(err, cloud.ErrMalformedResponse) {
		t.Errorf("malformed JSON: %v", err)
	}

	// Slow but within the timeout: fine.
	srv.FailNext(emulator.EndpointStatus, emulator.Slow(50*time.Millisecond))
	if st, err := c.Status(context.Background(), "t-1234"); err != nil || st.Status != cloud.StatusUnknown {
		t.Errorf("slow status: %+v %v", st, err)
	}
	// Slower than the client's timeout.
	srv.FailNext(emulator.EndpointEnroll, emulator.Slow(2*time.Second))
	start := time.Now()
	_, err := c.Enroll(context.Background(), cloud.EnrollRequest{Username: "slow"})
	if err == nil || time.Since(start) > 1500*time.Millisecond {
		t.Errorf("enroll past the timeout: %v after %v", err, time.Since(start))
	}
}

func TestContextCancellation(t *testing.T) {
	srv, c := startEmulator(t)
	srv.FailNext(emulator.EndpointStatus, emulator.Slow(5*time.Second))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Status(ctx, "t-1234")
	if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Errorf("cancelled status: %v after %v", err, time.Since(start))
	}

	// Cancelled while waiting out a Retry-After.
	c2, _ := cloud.New(cloud.Config{InstanceURL: srv.URL(), AccessKey: cloud.NewSecret(plantedKey)}, cloud.WithRetries(3, time.Hour))
	srv.FailNext(emulator.EndpointStatus, emulator.RateLimited("3600"))
	ctx, cancel = context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = c2.Status(ctx, "t-1234")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled retry wait: %v", err)
	}
}

func TestNoSecretsInErrorsOrPrints(t *testing.T) {
	srv, c := startEmulator(t)
	ctx := context.Background()
	en, err := testauthn.Enroll(ctx, c, testauthn.New(testauthn.FormatNone), cloud.EnrollRequest{Username: "alice"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	statusTok := en.Enroll.Enrollment.StatusToken.Reveal()
	txTok := en.Status.Token.Reveal()
	challenge := en.Enroll.Enrollment.CredentialCreationOptions.Challenge
	secrets := []string{statusTok, txTok, challenge}

	// A server that echoes everything back in its error bodies.
	echo := fmt.Sprintf(`{"error":"bad %s","message":"key %s token %s challenge %s","details":{"k":"%s"},"notices":["%s"]}`,
		plantedKey, statusTok, txTok, challenge, plantedKey, txTok)
	var errs []error
	for _, ep := range []emulator.Endpoint{emulator.EndpointStatus, emulator.EndpointIntrospect, emulator.EndpointAttestation} {
		srv.FailNext(ep, emulator.Fault{Status: 400, Body: echo})
	}
	srv.FailNext(emulator.EndpointUser, emulator.Fault{Status: 500, Body: "plain text: Authorization: Bearer " + plantedKey + " " + txTok})
	_, err = c.Status(ctx, en.Enroll.Enrollment.StatusToken)
	errs = append(errs, err)
	_, err = c.Introspect(ctx, en.Status.Token)
	errs = append(errs, err)
	_, err = c.PostAttestation(ctx, cloud.AttestationResult{StatusToken: en.Enroll.Enrollment.StatusToken})
	errs = append(errs, err)
	_, err = c.User(ctx, "u")
	errs = append(errs, err)
	for i, err := range errs {
		var apiErr *cloud.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("call %d: %v", i, err)
		}
		assertClean(t, "Error()", err.Error(), secrets...)
		assertClean(t, "%+v of APIError", fmt.Sprintf("%+v %#v", apiErr, apiErr), secrets...)
		assertClean(t, "Raw", apiErr.Raw, secrets...)
	}

	// Transport errors, cancellation and printing the client.
	srv.FailNext(emulator.EndpointStatus, emulator.Slow(time.Second))
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	_, err = c.Status(cctx, en.Enroll.Enrollment.StatusToken)
	cancel()
	assertClean(t, "timeout error", fmt.Sprint(err), secrets...)
	cfg := c.Config()
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		assertClean(t, f+" of the client", fmt.Sprintf(f, c), secrets...)
		assertClean(t, f+" of the config", fmt.Sprintf(f, cfg), secrets...)
		assertClean(t, f+" of the key", fmt.Sprintf(f, cfg.AccessKey), secrets...)
		assertClean(t, f+" of the enroll response", fmt.Sprintf(f, en.Enroll.Enrollment.StatusToken), secrets...)
		assertClean(t, f+" of the status", fmt.Sprintf(f, *en.Status), secrets...)
	}
	if s := fmt.Sprintf("%+v", *en.Status); !strings.Contains(s, "[redacted]") {
		t.Errorf("status prints as %s", s)
	}

	// A client on an unreachable port: the dial error names no secret.
	dead, _ := cloud.New(cloud.Config{InstanceURL: "http://127.0.0.1:1", AccessKey: cloud.NewSecret(plantedKey)})
	_, err = dead.Introspect(ctx, en.Status.Token)
	if err == nil {
		t.Fatal("dial to port 1 succeeded")
	}
	assertClean(t, "dial error", err.Error(), secrets...)
}
