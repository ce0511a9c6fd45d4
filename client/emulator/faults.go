package emulator

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Endpoint names one emulated call, for FailNext and Request.
type Endpoint string

// The emulated endpoints.
const (
	EndpointEnroll              Endpoint = "enroll"               // POST /api/v1/users/enroll
	EndpointAttestation         Endpoint = "attestation"          // POST /_app/attestation/result
	EndpointApproval            Endpoint = "approval"             // POST /api/v1/approval
	EndpointAssertion           Endpoint = "assertion"            // POST /_app/assertion/result
	EndpointStatus              Endpoint = "status"               // POST /api/v1/status
	EndpointIntrospect          Endpoint = "introspect"           // POST /api/v1/introspect
	EndpointUser                Endpoint = "user"                 // GET /api/v1/users/{userId}
	EndpointDeleteAuthenticator Endpoint = "delete-authenticator" // DELETE /api/v1/authenticators/{id}
	EndpointIntent              Endpoint = "intent"               // POST /api/v1/intent
)

// Fault is one misbehaviour of an endpoint. The request is still read (and
// recorded, when recording is on and the access key check allows); then the emulator waits Delay, adds Header, and, when Status is
// not zero, answers Status with Body instead of handling the request. A
// Fault with only Delay (and Header) makes a slow but otherwise normal
// answer.
type Fault struct {
	Status int
	Body   string
	Header map[string]string
	Delay  time.Duration
}

// FailNext queues f for the next request to ep; faults queued for the same
// endpoint apply in order, one request each.
func (s *Server) FailNext(ep Endpoint, f Fault) {
	s.mu.Lock()
	s.faults[ep] = append(s.faults[ep], f)
	s.mu.Unlock()
}

// ClearFaults drops every queued fault and resets the behaviour switches.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = map[Endpoint][]Fault{}
	s.wrongRPID, s.stuckPending, s.inactiveTokens = "", false, false
	s.mu.Unlock()
}

// popFault takes the next fault of ep; the caller holds s.mu.
func (s *Server) popFault(ep Endpoint) (Fault, bool) {
	q := s.faults[ep]
	if len(q) == 0 {
		return Fault{}, false
	}
	s.faults[ep] = q[1:]
	return q[0], true
}

// SetIntrospectInactive makes introspection answer {"active": false} for
// every token while on, as for a revoked or foreign token.
func (s *Server) SetIntrospectInactive(on bool) {
	s.mu.Lock()
	s.inactiveTokens = on
	s.mu.Unlock()
}

// SetStatusPending makes the status endpoint answer "pending" for every
// transaction while on, as when the Cloud never sees the result.
func (s *Server) SetStatusPending(on bool) {
	s.mu.Lock()
	s.stuckPending = on
	s.mu.Unlock()
}

// SetOptionsRPID puts id into the creation options' relyingParty.id and the
// request options' rpId while verification still uses the real RP ID: a
// wrong RP ID, which a WebAuthn client must refuse before touching the key.
// "" restores the normal options.
func (s *Server) SetOptionsRPID(id string) {
	s.mu.Lock()
	s.wrongRPID = id
	s.mu.Unlock()
}

// CloudError is a fault with the Authentication Cloud's {error, message,
// status} body.
func CloudError(status int, name, message string) Fault {
	return Fault{Status: status, Body: mustJSON(cloudError{Error: name, Message: message, Status: status})}
}

// TenantError is a fault with the tenant API's {code, message, details,
// notices} body (seed 003), e.g. TenantError(403, "tenant_mismatch", …).
func TenantError(status int, code, message string, details map[string]any, notices ...string) Fault {
	return Fault{Status: status, Body: mustJSON(struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details,omitempty"`
		Notices []string       `json:"notices,omitempty"`
	}{code, message, details, notices})}
}

// AppNativeError is a fault with the app-native authentication API's {code,
// message, description, traceId} body (seed 004), e.g.
// AppNativeError(400, "60001", "Invalid authentication request.", …).
func AppNativeError(status int, code, message, description string) Fault {
	return Fault{Status: status, Body: mustJSON(struct {
		Code        string `json:"code"`
		Message     string `json:"message"`
		Description string `json:"description"`
		TraceID     string `json:"traceId"`
	}{code, message, description, "trace-" + randomString(8)})}
}

// RateLimited is a 429 with a Retry-After header (delay-seconds or an HTTP
// date) and a Cloud error body.
func RateLimited(retryAfter string) Fault {
	f := CloudError(429, "too_many_requests", "rate limit exceeded")
	f.Header = map[string]string{"Retry-After": retryAfter}
	return f
}

// Slow delays a normal answer by d.
func Slow(d time.Duration) Fault { return Fault{Delay: d} }

// Oversized is a 200 whose body is valid JSON of about n bytes.
func Oversized(n int) Fault {
	pad := max(n-16, 0)
	return Fault{Status: 200, Body: `{"padding":"` + strings.Repeat("x", pad) + `"}`}
}

// MalformedJSON is a 200 whose body is cut off mid-object.
func MalformedJSON() Fault {
	return Fault{Status: 200, Body: `{"status":"succeeded","token":`}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("emulator: %v", err))
	}
	return string(b)
}
