package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-resty/resty/v2"
)

// Defaults of a Client; each has an Option.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBodySize  = 1 << 20
	DefaultMaxRetries   = 3
	DefaultMaxRetryWait = 30 * time.Second
	DefaultUserAgent    = "KeyDesk"
	maxRedirects        = 5
)

// ErrMalformedResponse is wrapped when a 2xx answer is not the JSON the
// call expects.
var ErrMalformedResponse = errors.New("malformed response body")

// Config is what a Client needs to reach one Authentication Cloud instance.
// It prints without the access key (see Secret).
type Config struct {
	// InstanceURL is the instance base, e.g. https://acme.mauth.nevis.cloud;
	// the server API lives under InstanceURL + "/api/v1".
	InstanceURL string
	// Origin is the web origin the WebAuthn client claims, e.g.
	// https://portal.example.com. The Cloud client itself only validates
	// it; the ceremonies put it into clientDataJSON.
	Origin string
	// AccessKey is the server-side access key, sent as a Bearer token on
	// server calls only.
	AccessKey Secret
}

// String implements fmt.Stringer without the access key.
func (c Config) String() string {
	key := "unset"
	if !c.AccessKey.IsZero() {
		key = redacted
	}
	return fmt.Sprintf("cloud.Config{InstanceURL: %q, Origin: %q, AccessKey: %s}", c.InstanceURL, c.Origin, key)
}

// GoString implements fmt.GoStringer.
func (c Config) GoString() string { return c.String() }

// Format implements fmt.Formatter: every verb prints String.
func (c Config) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// Validate checks the instance URL and the origin; it does not require an
// access key, since the _app calls work without one.
func (c Config) Validate() error {
	if _, err := ValidateInstanceURL(c.InstanceURL); err != nil {
		return err
	}
	if c.Origin != "" {
		if _, err := ValidateOrigin(c.Origin); err != nil {
			return err
		}
	}
	return nil
}

// IsLoopbackHost reports whether host (without port) is localhost or a
// loopback address (127.0.0.0/8, ::1): the only hosts reached over http.
// It looks at the name only ("localhost." passes, yet is resolved through
// DNS); a Client on a plain-http URL also connects only to loopback IPs.
func IsLoopbackHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// ValidateInstanceURL parses and checks an instance URL: https, or http on a
// loopback host (the emulator); no credentials, query or fragment. The
// returned URL is the instance: no trailing slash, and no /api/v1 (the
// base the Management Console shows is accepted and cut back to it).
func ValidateInstanceURL(raw string) (*url.URL, error) {
	const field = "instance URL"
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, &ConfigError{Field: field, Reason: "missing"}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		// The value is not echoed: it did not parse, so userinfo in it
		// could not be stripped.
		return nil, &ConfigError{Field: field, Reason: "not an absolute URL"}
	}
	if u.User != nil {
		u.User = nil
		return nil, &ConfigError{Field: field, Value: u.String(), Reason: "must not contain credentials"}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, &ConfigError{Field: field, Value: raw, Reason: "must not have a query or fragment"}
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !IsLoopbackHost(u.Hostname()) {
			return nil, &ConfigError{Field: field, Value: raw, Err: ErrInsecureURL}
		}
	default:
		return nil, &ConfigError{Field: field, Value: raw, Reason: "scheme must be https"}
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Path = strings.TrimRight(u.Path, "/")
	// The Management Console shows the "API endpoint base URL", which is
	// APIBASE: https://{instance}.mauth.nevis.cloud/api/v1 (API reference,
	// docs.nevis.net/authcloud/api-doc/: "You can find your full API
	// endpoint base URL in the Management Console"). KeyDesk keeps the
	// instance itself, since the _app result endpoints live beside /api.
	u.Path = strings.TrimRight(strings.TrimSuffix(u.Path, apiPrefix), "/")
	u.RawPath = ""
	return u, nil
}

// apiPrefix is the path of APIBASE below the instance.
const apiPrefix = "/api/v1"

// ValidateOrigin checks a WebAuthn origin (https, or http on loopback;
// scheme, host and optional port only) and returns it in canonical form.
func ValidateOrigin(raw string) (string, error) {
	const field = "origin"
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", &ConfigError{Field: field, Reason: "missing"}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", &ConfigError{Field: field, Value: raw, Reason: "not a URL such as https://portal.example.com"}
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/") {
		return "", &ConfigError{Field: field, Value: raw, Reason: "must be scheme://host[:port] only"}
	}
	scheme := strings.ToLower(u.Scheme)
	switch scheme {
	case "https":
	case "http":
		if !IsLoopbackHost(u.Hostname()) {
			return "", &ConfigError{Field: field, Value: raw, Err: ErrInsecureURL}
		}
	default:
		return "", &ConfigError{Field: field, Value: raw, Reason: "scheme must be https"}
	}
	return scheme + "://" + strings.ToLower(u.Host), nil
}

// TraceFunc receives one event per HTTP attempt: the step (the call name,
// with " retry N" for retries), when it started, how long it took, the HTTP
// status (0 when none arrived) and the error, already redacted. It is the
// hook for a ceremony timeline; it never sees a token or the access key.
type TraceFunc func(step string, start time.Time, dur time.Duration, status int, err error)

// Option configures a Client.
type Option func(*Client)

// WithTimeout sets the timeout of one HTTP attempt (default 30s).
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithMaxBodySize sets the largest response body accepted (default 1 MiB).
func WithMaxBodySize(n int64) Option { return func(c *Client) { c.maxBody = n } }

// WithRetries sets how often an idempotent call is retried after a 429 or
// 503 (default 3) and the longest Retry-After honoured (default 30s; longer
// values are capped to it).
func WithRetries(n int, maxWait time.Duration) Option {
	return func(c *Client) { c.maxRetries, c.maxRetryWait = n, maxWait }
}

// WithTrace installs a timeline hook.
func WithTrace(fn TraceFunc) Option { return func(c *Client) { c.trace = fn } }

// WithUserAgent sets the User-Agent header and the userAgent member of the
// _app result bodies (default "KeyDesk").
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithTransport replaces the HTTP transport, e.g. to trust a private CA.
// For a plain-http instance URL an *http.Transport is copied and its dialer
// restricted to loopback IPs; any other RoundTripper owns its connections
// and must not leave the machine.
func WithTransport(rt http.RoundTripper) Option { return func(c *Client) { c.transport = rt } }

// Client calls one Authentication Cloud instance. It is safe for concurrent
// use. Printing a Client never shows the access key.
type Client struct {
	cfg          Config
	base         *url.URL
	origin       string
	timeout      time.Duration
	maxBody      int64
	maxRetries   int
	maxRetryWait time.Duration
	userAgent    string
	trace        TraceFunc
	transport    http.RoundTripper
	http         *resty.Client
	// intents are a pass holder's intent tokens by call op (intent.go);
	// nil for a Client with (or without) the access key.
	intents map[string]Token
}

// New validates cfg and returns a Client. An http URL on a host other than
// loopback is refused with a *ConfigError wrapping ErrInsecureURL.
func New(cfg Config, opts ...Option) (*Client, error) {
	base, err := ValidateInstanceURL(cfg.InstanceURL)
	if err != nil {
		return nil, err
	}
	var origin string
	if cfg.Origin != "" {
		if origin, err = ValidateOrigin(cfg.Origin); err != nil {
			return nil, err
		}
	}
	c := &Client{
		cfg:          cfg,
		base:         base,
		origin:       origin,
		timeout:      DefaultTimeout,
		maxBody:      DefaultMaxBodySize,
		maxRetries:   DefaultMaxRetries,
		maxRetryWait: DefaultMaxRetryWait,
		userAgent:    DefaultUserAgent,
	}
	for _, o := range opts {
		o(c)
	}
	rc := resty.New().
		SetTimeout(c.timeout).
		SetResponseBodyLimit(int(c.maxBody)).
		SetRedirectPolicy(resty.RedirectPolicyFunc(checkRedirect)).
		SetDisableWarn(true).
		SetLogger(nopLogger{})
	rt := c.transport
	if base.Scheme == "http" {
		// ValidateInstanceURL only looked at the name; "localhost." or a
		// hosts-file entry may still resolve elsewhere. Only a connection to
		// a loopback IP may carry the access key in clear text.
		rt = loopbackOnlyTransport(rt)
	}
	if rt != nil {
		rc.SetTransport(rt)
	}
	c.http = rc
	return c, nil
}

// Config returns the configuration the client was built with.
func (c *Client) Config() Config { return c.cfg }

// Origin returns the configured origin in canonical form ("" when unset).
func (c *Client) Origin() string { return c.origin }

// String implements fmt.Stringer without the access key.
func (c *Client) String() string { return "cloud.Client{" + c.base.String() + "}" }

// GoString implements fmt.GoStringer.
func (c *Client) GoString() string { return c.String() }

// Format implements fmt.Formatter: every verb prints String.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// apiURL is APIBASE + path; appURL is the instance + "/_app" + path.
func (c *Client) apiURL(path string) string { return c.base.String() + apiPrefix + path }
func (c *Client) appURL(path string) string { return c.base.String() + "/_app" + path }

// checkRedirect follows a redirect only to the same scheme, host and port:
// Go's client would drop the Authorization header on another host, but the
// body (status token, assertion) would still go there.
func checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	if !strings.EqualFold(req.URL.Scheme, first.Scheme) || !strings.EqualFold(req.URL.Host, first.Host) {
		return &RedirectError{From: first.Scheme + "://" + first.Host, To: req.URL.Scheme + "://" + req.URL.Host}
	}
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	return nil
}

// call describes one API call.
type call struct {
	op     string
	method string
	url    string
	// server calls carry the Bearer access key; _app calls do not.
	server bool
	// bearerOptional server calls go without Authorization from a pass
	// holder's client (the status page's example sends none).
	bearerOptional bool
	// idempotent calls are retried after 429/503.
	idempotent bool
	jsonBody   any
	form       url.Values
	// out receives the decoded 2xx body; nil ignores it.
	out any
	// raw, when set, receives the 2xx body undecoded (a CSV export).
	raw *[]byte
	// secrets are this call's tokens and challenges, scrubbed from errors.
	secrets []string
}

func (c *Client) do(ctx context.Context, cl call) error {
	if ctx == nil {
		return fmt.Errorf("cloud: %s: nil context", cl.op)
	}
	var bearer string
	if cl.server {
		b, err := c.bearer(cl)
		if err != nil {
			return err
		}
		bearer = b
	}
	red := callSecrets(append([]string{c.cfg.AccessKey.Reveal(), bearer}, cl.secrets...))
	var body []byte
	contentType := ""
	switch {
	case cl.jsonBody != nil:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(cl.jsonBody); err != nil {
			return fmt.Errorf("cloud: %s: encoding request: %w", cl.op, err)
		}
		body = bytes.TrimRight(buf.Bytes(), "\n")
		contentType = "application/json;charset=utf-8"
	case cl.form != nil:
		body = []byte(cl.form.Encode())
		contentType = "application/x-www-form-urlencoded"
	}

	for attempt := 0; ; attempt++ {
		step := cl.op
		if attempt > 0 {
			step = fmt.Sprintf("%s retry %d", cl.op, attempt)
		}
		start := time.Now()
		status, retryAfter, err := c.attempt(ctx, cl, bearer, body, contentType, red)
		if c.trace != nil {
			c.trace(step, start, time.Since(start), status, err)
		}
		var apiErr *APIError
		if !cl.idempotent || attempt >= c.maxRetries || !errors.As(err, &apiErr) ||
			(apiErr.HTTPStatus != http.StatusTooManyRequests && apiErr.HTTPStatus != http.StatusServiceUnavailable) {
			return err
		}
		wait := retryAfter
		if wait <= 0 {
			// No Retry-After: back off a little, growing with each attempt.
			wait = time.Duration(attempt+1) * 500 * time.Millisecond
		}
		wait = min(wait, c.maxRetryWait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("cloud: %s: waiting to retry: %w", cl.op, ctx.Err())
		case <-t.C:
		}
	}
}

// attempt sends one request and decodes its answer.
func (c *Client) attempt(ctx context.Context, cl call, bearer string, body []byte, contentType string, red callSecrets) (int, time.Duration, error) {
	req := c.http.R().
		SetContext(ctx).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", c.userAgent)
	if cl.server && bearer != "" {
		req.SetAuthToken(bearer)
	}
	if body != nil {
		req.SetHeader("Content-Type", contentType).SetBody(body)
	}
	resp, err := req.Execute(cl.method, cl.url)
	if err != nil {
		var rerr *RedirectError
		if errors.As(err, &rerr) {
			rerr.Op = cl.op
			return 0, 0, rerr
		}
		if errors.Is(err, resty.ErrResponseBodyTooLarge) {
			status := 0
			if resp != nil {
				status = resp.StatusCode()
			}
			return status, 0, &BodyTooLargeError{Op: cl.op, HTTPStatus: status, Limit: c.maxBody}
		}
		return 0, 0, fmt.Errorf("cloud: %s: %w", cl.op, scrubError{err: err, red: red})
	}
	status := resp.StatusCode()
	raw := resp.Body()
	if status < 200 || status > 299 {
		e := &APIError{
			Op:         cl.op,
			HTTPStatus: status,
			Body:       decodeErrorBody(raw, red.scrub),
			Raw:        red.raw(raw),
		}
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			e.RetryAfter = min(parseRetryAfter(resp.Header().Get("Retry-After"), time.Now()), c.maxRetryWait)
		}
		return status, e.RetryAfter, e
	}
	if cl.raw != nil {
		*cl.raw = append([]byte(nil), raw...)
	}
	if cl.out != nil && status != http.StatusNoContent {
		if err := json.Unmarshal(raw, cl.out); err != nil {
			return status, 0, fmt.Errorf("cloud: %s: %w: %s", cl.op, ErrMalformedResponse, jsonErrorKind(err))
		}
	}
	return status, 0, nil
}

// jsonErrorKind describes a decoding error without quoting the input.
func jsonErrorKind(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "invalid JSON at offset " + strconv.FormatInt(syn.Offset, 10)
	case errors.As(err, &typ):
		return "field " + typ.Field + " has the wrong type"
	}
	return "cannot decode"
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date
// (RFC 9110 §10.2.3); zero when absent or unreadable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// scrubError keeps the error chain (errors.Is(err, context.Canceled) still
// works) while its message goes through the redactor.
type scrubError struct {
	err error
	red callSecrets
}

func (e scrubError) Error() string { return e.red.scrub(e.err.Error()) }
func (e scrubError) Unwrap() error { return e.err }

type nopLogger struct{}

func (nopLogger) Errorf(string, ...any) {}
func (nopLogger) Warnf(string, ...any)  {}
func (nopLogger) Debugf(string, ...any) {}

// loopbackOnlyTransport returns a copy of rt (http.DefaultTransport when
// nil) that connects only to loopback IPs and never through a proxy. A
// RoundTripper that is not an *http.Transport is returned unchanged.
func loopbackOnlyTransport(rt http.RoundTripper) http.RoundTripper {
	var t *http.Transport
	switch v := rt.(type) {
	case nil:
		t = http.DefaultTransport.(*http.Transport).Clone()
		t.DialContext = nil // the default dialer, replaced below
	case *http.Transport:
		t = v.Clone()
	default:
		return rt
	}
	t.Proxy = nil
	if inner := t.DialContext; inner != nil {
		// A custom dialer: check the peer it connected to before the
		// request is written.
		t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := inner(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			if tcp, ok := conn.RemoteAddr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
				conn.Close()
				return nil, notLoopbackError(addr, conn.RemoteAddr().String())
			}
			return conn, nil
		}
		return t
	}
	d := &net.Dialer{
		Timeout:   30 * time.Second,
		KeepAlive: 30 * time.Second,
		// ControlContext runs on the address about to be connected: nothing,
		// not even a SYN, goes to an address that is not loopback.
		ControlContext: func(_ context.Context, _, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			ip := net.ParseIP(host)
			if err != nil || ip == nil || !ip.IsLoopback() {
				return notLoopbackError("", address)
			}
			return nil
		},
	}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		ips, err := lookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, err
		}
		var firstErr error
		for _, ip := range ips {
			ip = ip.Unmap()
			if !ip.IsLoopback() {
				if firstErr == nil {
					firstErr = notLoopbackError(host, ip.String())
				}
				continue
			}
			conn, err := d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
			if err == nil {
				return conn, nil
			}
			firstErr = err
		}
		if firstErr == nil {
			firstErr = notLoopbackError(host, "no address")
		}
		return nil, firstErr
	}
	return t
}

// lookupNetIP resolves the host of a plain-http connection; tests replace
// it to make a name resolve elsewhere.
var lookupNetIP = net.DefaultResolver.LookupNetIP

// notLoopbackError is the refusal of a plain-http connection to an address
// that is not loopback.
func notLoopbackError(name, addr string) error {
	reason := "plain http resolved to " + addr + ", not a loopback address"
	if name != "" {
		reason = "plain http to " + name + " resolved to " + addr + ", not a loopback address"
	}
	return &ConfigError{Field: "instance URL", Reason: reason, Err: ErrInsecureURL}
}
