package emulator

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"
)

// Defaults of Config.
const (
	DefaultAddr     = "127.0.0.1:0"
	DefaultOrigin   = "http://localhost"
	DefaultRPName   = "KeyDesk Emulator"
	DefaultTimeout  = 60 * time.Second
	DefaultTokenTTL = 5 * time.Minute

	// DefaultRecordLimit bounds the bytes of request bodies kept when
	// Config.RecordRequests is on.
	DefaultRecordLimit = 4 << 20

	maxRequestBody = 1 << 20
	maxRecorded    = 256
)

// Timeouts of the emulator's http.Server: a client that sends its header or
// body slowly, or idles on a kept-alive connection, is cut off. Variables so
// that tests can shorten them.
var (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 60 * time.Second
)

// Config configures an emulator.
type Config struct {
	// Addr is the listen address; it must be loopback (127.0.0.0/8, ::1 or
	// localhost). Default 127.0.0.1:0, a free port.
	Addr string
	// AccessKey is the Bearer key the server endpoints require. Empty
	// generates a random one (see Server.AccessKey).
	AccessKey string
	// Origin is the web origin the WebAuthn client must claim in
	// clientDataJSON. Default http://localhost. An IP address is not a valid
	// RP ID, so use a host name.
	Origin string
	// RPID is the relying party ID verified in authenticator data. Default:
	// the origin's host.
	RPID string
	// RPName is the relying party name in the creation options.
	RPName string
	// ExplicitRPID sends the RP ID in the creation options' relyingParty.id;
	// by default the id is "" as Nevis sends it, meaning the origin's host.
	ExplicitRPID bool
	// StateFile, when set, keeps users and authenticators in this JSON file
	// across runs (demo mode). Empty keeps them in memory only.
	StateFile string
	// AttestationRoots, when set, are the CAs trusted for attestation
	// certificate chains (x5c of packed and fido-u2f attestations): a chain
	// that does not verify to one of them is rejected. Self and none
	// attestations are still accepted unless RequireTrustedAttestation.
	AttestationRoots *x509.CertPool
	// RequireTrustedAttestation rejects attestations without a certificate
	// chain to AttestationRoots (none, self).
	RequireTrustedAttestation bool
	// AttestationPolicy decides about a chain to none of AttestationRoots
	// (trust.go): refuse it (default) or accept it and record a verdict
	// (the demo).
	AttestationPolicy AttestationPolicy
	// Timeout is the ceremony timeout sent in the options. Default 60s.
	Timeout time.Duration
	// TokenTTL is the lifetime of transaction tokens. Default 5 minutes.
	TokenTTL time.Duration
	// IntentTTL is the lifetime of intent tokens (intent.go). Default
	// DefaultIntentTTL.
	IntentTTL time.Duration
	// RefuseIntentForFIDO2 plays an instance that does not accept intent
	// tokens for the fido2 channel (the docs do not say whether any
	// does): enroll and approval refuse them with 403.
	RefuseIntentForFIDO2 bool
	// RecordRequests keeps the requests received (see Server.Requests), for
	// tests. Off by default. Only requests that passed the access-key check
	// (or went to an _app endpoint, which has none) are kept: the most
	// recent 256, with bodies of at most RecordLimit bytes in total.
	RecordRequests bool
	// RecordLimit bounds the total body bytes recorded; older requests are
	// dropped to stay under it. Default DefaultRecordLimit.
	RecordLimit int
	// RPStyle names the relying party in the creation options:
	// RPStyleRelyingParty ("relyingParty", as the docs show; the default)
	// or RPStyleRP ("rp", as the official samples read it).
	RPStyle string
	// RejectUnknownMembers refuses request bodies with members the
	// emulator does not know (400). Off by default: the Cloud's documented
	// API tolerates them (see documented.go).
	RejectUnknownMembers bool
	// AcceptAssertionsWithoutUserHandle accepts an assertion whose
	// userHandle is empty when the approval named its user, as WebAuthn
	// relying parties do for credentials that are not discoverable (a U2F
	// key's, whose assertions never carry one: WebAuthn §6.3.3 step 12).
	// Off by default: the Cloud's assertion reference documents userHandle
	// as required and non-empty (documented.go, checkUserHandle), so a
	// U2F-only key cannot sign in at the Cloud. Tests turn it on to verify
	// such an assertion end to end with go-webauthn.
	AcceptAssertionsWithoutUserHandle bool
}

// String implements fmt.Stringer without the access key.
func (c Config) String() string {
	return fmt.Sprintf("emulator.Config{Addr: %q, Origin: %q, RPID: %q, StateFile: %q, AccessKey: [redacted]}",
		c.Addr, c.Origin, c.RPID, c.StateFile)
}

// GoString implements fmt.GoStringer.
func (c Config) GoString() string { return c.String() }

// Format implements fmt.Formatter: every verb prints String.
func (c Config) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// Server is a running emulator.
type Server struct {
	cfg      Config
	wa       *webauthn.WebAuthn
	tokenKey []byte
	ln       net.Listener
	hs       *http.Server
	url      string
	served   chan struct{}

	mu     sync.Mutex
	store  *store
	txns   map[string]*txn
	faults map[Endpoint][]Fault
	// behaviour switches set by tests
	wrongRPID      string
	stuckPending   bool
	inactiveTokens bool
	recorded       []Request
	recordedBytes  int
	lastPrune      time.Time
	journal        []logEvent // for GET /logs/export (logs.go)
}

// Start validates cfg, loads the state file if any, and serves on a
// loopback address until ctx is done or Close is called.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if err := checkLoopbackAddr(cfg.Addr); err != nil {
		return nil, err
	}
	if cfg.Origin == "" {
		cfg.Origin = DefaultOrigin
	}
	ou, err := url.Parse(cfg.Origin)
	if err != nil || ou.Host == "" || (ou.Scheme != "https" && ou.Scheme != "http") {
		return nil, fmt.Errorf("emulator: origin %q is not an http(s) origin", cfg.Origin)
	}
	if cfg.Origin, cfg.RPID, err = browserOrigin(ou, cfg.RPID); err != nil {
		return nil, err
	}
	if cfg.RPName == "" {
		cfg.RPName = DefaultRPName
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = DefaultTokenTTL
	}
	if cfg.IntentTTL <= 0 {
		cfg.IntentTTL = DefaultIntentTTL
	}
	if cfg.AccessKey == "" {
		cfg.AccessKey = randomString(32)
	}
	if cfg.RecordLimit <= 0 {
		cfg.RecordLimit = DefaultRecordLimit
	}
	if cfg.RPStyle, err = checkRPStyle(cfg.RPStyle); err != nil {
		return nil, err
	}
	wa, err := webauthn.New(&webauthn.Config{
		RPID:          cfg.RPID,
		RPDisplayName: cfg.RPName,
		RPOrigins:     []string{cfg.Origin},
		// The server enforces the timeout it announces, as the Cloud does:
		// a key touched after it has passed fails the transaction.
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Enforce: true, Timeout: cfg.Timeout, TimeoutUVD: cfg.Timeout},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: cfg.Timeout, TimeoutUVD: cfg.Timeout},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	st, err := loadStore(cfg.StateFile)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	// "localhost" may resolve to anything; check what was actually bound.
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("emulator: refusing to serve on non-loopback address %s", ln.Addr())
	}
	s := &Server{
		cfg:      cfg,
		wa:       wa,
		tokenKey: randomBytes(32),
		ln:       ln,
		url:      "http://" + ln.Addr().String(),
		served:   make(chan struct{}),
		store:    st,
		txns:     map[string]*txn{},
		faults:   map[Endpoint][]Fault{},
	}
	s.hs = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
	}
	go func() {
		defer close(s.served)
		_ = s.hs.Serve(ln)
	}()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.served:
		}
	}()
	return s, nil
}

func checkLoopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("emulator: address %q: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("emulator: refusing to listen on %q: only loopback addresses (127.0.0.1, ::1, localhost) are allowed", addr)
	}
	return nil
}

// URL is the instance URL, e.g. http://127.0.0.1:41234; the server API is
// under URL + "/api/v1".
func (s *Server) URL() string { return s.url }

// Origin is the origin the WebAuthn client must use.
func (s *Server) Origin() string { return s.cfg.Origin }

// RPID is the relying party ID the emulator verifies.
func (s *Server) RPID() string { return s.cfg.RPID }

// AccessKey returns the emulator's own access key: a local test key, not a
// Cloud credential.
func (s *Server) AccessKey() string { return s.cfg.AccessKey }

// Close stops the server at once and waits for it.
func (s *Server) Close() error {
	err := s.hs.Close()
	<-s.served
	return err
}

// Shutdown stops the server gracefully.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.hs.Shutdown(ctx)
	<-s.served
	return err
}

// Request is a request the emulator received, kept for tests when
// Config.RecordRequests is on (the most recent 256, bounded in body bytes by
// Config.RecordLimit; a server-endpoint request without the access key is
// not kept). Authorization is not kept, only whether it was there.
type Request struct {
	Endpoint    Endpoint
	Method      string
	Path        string
	ContentType string
	// Bearer reports an Authorization: Bearer header; BearerValid that it
	// carried the access key; BearerIntent that it carried an intent token
	// the emulator issued (accepted or not).
	Bearer       bool
	BearerValid  bool
	BearerIntent bool
	// Body is the request body as sent; it holds status tokens and
	// challenges, which is why Requests is for tests only. It is nil when
	// the body alone exceeds Config.RecordLimit.
	Body []byte
}

// Requests returns the recorded requests, oldest first; none unless
// Config.RecordRequests is on.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.recorded...)
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.recorded = nil
	s.recordedBytes = 0
	s.mu.Unlock()
}

// record keeps req, dropping the oldest requests to stay within
// maxRecorded requests and cfg.RecordLimit body bytes. s.mu is held.
func (s *Server) record(req Request) {
	if len(req.Body) > s.cfg.RecordLimit {
		req.Body = nil // too big to keep at all; the metadata still counts
	}
	s.recorded = append(s.recorded, req)
	s.recordedBytes += len(req.Body)
	drop := 0
	for len(s.recorded)-drop > maxRecorded || s.recordedBytes > s.cfg.RecordLimit {
		s.recordedBytes -= len(s.recorded[drop].Body)
		drop++
	}
	if drop > 0 {
		// Copy, so the dropped bodies can be collected.
		s.recorded = append([]Request(nil), s.recorded[drop:]...)
	}
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, body []byte)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	s.handle(mux, "POST /api/v1/users/enroll", EndpointEnroll, true, s.handleEnroll)
	s.handle(mux, "POST /_app/attestation/result", EndpointAttestation, false, s.handleAttestation)
	s.handle(mux, "POST /api/v1/approval", EndpointApproval, true, s.handleApproval)
	s.handle(mux, "POST /_app/assertion/result", EndpointAssertion, false, s.handleAssertion)
	s.handle(mux, "POST /api/v1/status", EndpointStatus, true, s.handleStatus)
	s.handle(mux, "POST /api/v1/introspect", EndpointIntrospect, true, s.handleIntrospect)
	s.handle(mux, "GET /api/v1/users/{userId}", EndpointUser, true, s.handleUser)
	s.handle(mux, "POST /api/v1/intent", EndpointIntent, true, s.handleIntent)
	s.handle(mux, "DELETE /api/v1/authenticators/{authenticatorId}", EndpointDeleteAuthenticator, true, s.handleDeleteAuthenticator)
	s.sampleRoutes(mux)
	s.helpdeskRoutes(mux) // users_lookup.go, logs.go
	s.handle(mux, "GET /ping", EndpointPing, false, s.handlePing)
	// No catch-all pattern: ServeMux then answers 405 for a known path
	// with the wrong method, as the Cloud does.
	return mux
}

// handle wraps an endpoint: read and record the body, apply a queued fault,
// check the access key on server endpoints, then run the handler.
func (s *Server) handle(mux *http.ServeMux, pattern string, ep Endpoint, server bool, h handlerFunc) {
	actor := "user" // the _app endpoints: the person's browser or app
	if server {
		actor = "api"
	}
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		// Every failure is journalled (logs.go, endpointEvents).
		note := &auditNote{ep: ep, actor: actor}
		r = withNote(r, note)
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
		if err != nil {
			s.auditFailed(r)
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				writeCloudError(w, http.StatusRequestEntityTooLarge, "request_too_large", "request body too large")
			} else {
				writeCloudError(w, http.StatusBadRequest, "bad_request", "request body unreadable")
			}
			return
		}
		auth := r.Header.Get("Authorization")
		bearer, valid := false, false
		var cred string
		if scheme, c, ok := strings.Cut(auth, " "); ok && strings.EqualFold(scheme, "Bearer") {
			bearer, cred = true, c
			valid = constantTimeEqual(cred, s.cfg.AccessKey)
		}
		s.mu.Lock()
		// An intent token in place of the access key (intent.go): known
		// here by its hash, judged at the door for the endpoint, its use
		// and expiry, and by the handler for its user.
		var intent *intentRec
		var refusal *intentRefusal
		if server && bearer && !valid {
			if intent = s.knownIntent(cred); intent != nil {
				if refusal = s.checkIntentBearer(intent, ep, time.Now()); refusal != nil {
					s.logEvent(logEvent{Event: "intent.refused", Status: stateFailed, Category: "none", Channel: "unknown",
						ActorType: "user", UserID: intent.UserID, Username: intent.Username})
				}
			}
		}
		ok := authorised(ep, server, auth != "", valid) || (intent != nil && refusal == nil)
		if s.cfg.RecordRequests && (ok || intent != nil) {
			s.record(Request{
				Endpoint: ep, Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"),
				Bearer: bearer, BearerValid: valid, BearerIntent: intent != nil, Body: body,
			})
		}
		f, hasFault := s.popFault(ep)
		if hasFault && f.Status != 0 {
			// The call is answered by the fault, not handled: it failed.
			s.auditFailedLocked(note)
		}
		s.mu.Unlock()

		if hasFault {
			if f.Delay > 0 {
				t := time.NewTimer(f.Delay)
				select {
				case <-r.Context().Done():
					t.Stop()
					return
				case <-t.C:
				}
			}
			for k, v := range f.Header {
				w.Header().Set(k, v)
			}
			if f.Status != 0 {
				if w.Header().Get("Content-Type") == "" && strings.HasPrefix(strings.TrimSpace(f.Body), "{") {
					w.Header().Set("Content-Type", "application/json")
				}
				w.WriteHeader(f.Status)
				io.WriteString(w, f.Body)
				return
			}
		}
		if refusal != nil {
			if refusal.status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="keydesk-emulator"`)
			}
			writeIntentRefusal(w, refusal)
			return
		}
		if !ok {
			note.actor = "unknown" // nobody the instance knows
			s.auditFailed(r)
			w.Header().Set("WWW-Authenticate", `Bearer realm="keydesk-emulator"`)
			writeCloudError(w, http.StatusUnauthorized, "unauthorized", "missing or invalid access key")
			return
		}
		if intent != nil {
			r = withIntent(r, intent)
		}
		sw := &statusWriter{ResponseWriter: w}
		h(sw, r, body)
		if sw.status >= http.StatusBadRequest {
			s.auditFailed(r)
		}
	})
}

// cloudError is the Authentication Cloud's error body.
type cloudError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
	Status  int    `json:"status"`
}

func writeCloudError(w http.ResponseWriter, status int, name, msg string) {
	writeJSON(w, status, cloudError{Error: name, Message: msg, Status: status})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "encoding failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("emulator: no randomness: " + err.Error())
	}
	return b
}

func randomString(n int) string { return base64.RawURLEncoding.EncodeToString(randomBytes(n)) }
