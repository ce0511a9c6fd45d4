package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// fuzzSecret stands for the access key, a token or a challenge the client
// knows: whatever a server answers, it must not come back out of an error.
const fuzzSecret = "Fz-s3cret-T0ken"

// FuzzDecodeErrorBody feeds arbitrary error bodies to the lenient decoder:
// it never fails or panics, a known secret never survives in any field
// (nested details and their keys included) nor in the error string, and
// the style it reports matches the fields it filled.
func FuzzDecodeErrorBody(f *testing.F) {
	for _, s := range []string{
		`{"error":"unauthorized","message":"missing or invalid access key","status":401}`,
		`{"code":"tenant_mismatch","message":"Tenant mismatch","details":{"expected":"a","token":"` + fuzzSecret + `"},"notices":["n1"]}`,
		`{"code":"60001","message":"Invalid authentication request.","description":"d","traceId":"t-1"}`,
		`{"code":60008,"message":"m","description":"` + fuzzSecret + `"}`,
		`{"status":"failed","errorMessage":"statusToken ` + fuzzSecret + ` expired"}`,
		`{"details":{"` + fuzzSecret + `":{"nested":["` + fuzzSecret + `"]}},"code":"x"}`,
		`<html>502 Bad Gateway</html>`, ``, `null`, `[]`, `{"code":{"a":1}}`, `{"notices":"x"}`,
	} {
		f.Add([]byte(s))
	}
	red := callSecrets{fuzzSecret}
	f.Fuzz(func(t *testing.T, raw []byte) {
		b := decodeErrorBody(raw, red.scrub)
		e := &APIError{Op: "fuzz", HTTPStatus: 400, Body: b, Raw: red.raw(raw)}
		out, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("decoded body does not marshal: %v", err)
		}
		for where, s := range map[string]string{"body": string(out), "error": e.Error(), "raw": e.Raw} {
			if strings.Contains(s, fuzzSecret) {
				t.Fatalf("%s keeps the secret: %s", where, s)
			}
		}
		switch b.Style {
		case StyleTenant, StyleAppNative:
			if b.Code == "" {
				t.Fatalf("style %s without a code", b.Style)
			}
		case StyleCloud:
			if b.Error == "" && b.Message == "" {
				t.Fatal("cloud style without error or message")
			}
		}
		if len(e.Raw) > maxRawError+len("…") {
			t.Fatalf("raw body of %d bytes kept", len(e.Raw))
		}
	})
}

// bodyTransport answers every request with one status and body, without a
// network.
type bodyTransport struct {
	status int
	body   []byte
}

func (b bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{
		StatusCode: b.status, Status: http.StatusText(b.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   io.NopCloser(bytes.NewReader(b.body)), ContentLength: int64(len(b.body)), Request: r,
	}, nil
}

// FuzzResponseBodies feeds arbitrary answers (status and body) to every
// call of the client through resty and the decoders: no panic, a 2xx
// either decodes or is ErrMalformedResponse, a non-2xx is an *APIError,
// and neither the access key nor the call's token appears in an error.
func FuzzResponseBodies(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{200, `{"userId":"u","username":"a","status":"new","enrollment":{"transactionId":"t","statusToken":"st","credentialCreationOptions":{"relyingParty":{"id":"","name":"x"},"user":{"id":"dQ","name":"u","displayName":"a"},"challenge":"Y2g","pubKeyCredParams":[{"type":"public-key","alg":-7}]}}}`},
		{200, `{"transactionId":"t","userId":"u","statusToken":"st","credentialRequestOptions":{"challenge":"Y2g","rpId":"example.com","allowCredentials":[{"type":"public-key","id":"aWQ"}]}}`},
		{200, `{"status":"succeeded","token":"tok"}`},
		{200, `{"active":true,"iat":1,"exp":2,"sub":"u","username":"a"}`},
		{200, `{"status":"succeeded","token":`},
		{204, ``},
		{400, `{"error":"bad_request","message":"token ` + fuzzSecret + `","status":400}`},
		{429, `{"error":"too_many_requests"}`},
		{302, ``},
		{200, `[{"userId":"u","username":"alice","status":"active","authenticators":[{"authenticatorId":"a","name":"k","authenticatorType":"fido2"}]}]`},
		{200, `{"users":[{"userId":"u","username":"alice"},{"userId":"v","username":"alice"}]}`},
		{200, "timestamp,event,status,userId\n2026-12-01T10:00:00Z,authentication,succeeded,u\n"},
	} {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 200 || status > 599 || (status >= 300 && status < 400) || status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			// Redirects need a Location; 429/503 would wait to retry.
			status = 200 + status&0x7F
		}
		c, err := New(Config{InstanceURL: "https://fuzz.example", Origin: "https://fuzz.example", AccessKey: NewSecret(fuzzSecret + "-ak")},
			WithTransport(bodyTransport{status, body}), WithRetries(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		tok := Token(fuzzSecret)
		ak := fuzzSecret + "-ak"
		// Each call with the secrets it knows: the access key always, the
		// token where the call carries it.
		type outcome struct {
			err   error
			knows []string
			// lookup: a 2xx list without exactly one matching user is
			// "not found" (a 404 APIError), not a malformed answer.
			lookup bool
		}
		var outs []outcome
		add := func(err error, knows ...string) { outs = append(outs, outcome{err: err, knows: append(knows, ak)}) }
		_, err = c.Enroll(ctx, EnrollRequest{Username: "a"})
		add(err)
		_, err = c.Approve(ctx, ApprovalRequest{Username: "a"})
		add(err)
		_, err = c.PostAttestation(ctx, AttestationResult{ID: "i", StatusToken: tok})
		add(err, fuzzSecret)
		_, err = c.PostAssertion(ctx, AssertionResult{ID: "i", StatusToken: tok})
		add(err, fuzzSecret)
		_, err = c.Status(ctx, tok)
		add(err, fuzzSecret)
		_, err = c.Introspect(ctx, tok)
		add(err, fuzzSecret)
		_, err = c.User(ctx, "u")
		add(err)
		_, err = c.LookupUser(ctx, "alice")
		add(err)
		outs[len(outs)-1].lookup = true
		_, err = c.ExportLogs(ctx, LogQuery{})
		add(err)
		_, err = c.RenameAuthenticator(ctx, "a", "name")
		add(err)
		add(c.Ping(ctx))
		add(c.CheckAccessKey(ctx))
		for _, o := range outs {
			err := o.err
			if err == nil {
				continue
			}
			for _, s := range o.knows {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("error keeps a secret: %v", err)
				}
			}
			var ae *APIError
			switch {
			case status >= 200 && status < 300:
				if o.lookup && errors.As(err, &ae) && ae.HTTPStatus == http.StatusNotFound {
					continue
				}
				if !errors.Is(err, ErrMalformedResponse) {
					t.Fatalf("2xx answer failed otherwise: %v", err)
				}
			case !errors.As(err, &ae) || ae.HTTPStatus != status:
				t.Fatalf("HTTP %d answer is not an APIError: %v", status, err)
			}
		}
	})
}

// FuzzParseLogCSV: the audit log export (a CSV from the Cloud) never
// panics, never returns events with an error, and every event it returns
// has a time.
func FuzzParseLogCSV(f *testing.F) {
	for _, seed := range []string{
		"",
		"\xef\xbb\xbftimestamp,event,status,category,channel,userId,username\n2026-12-01T10:00:00Z,authentication,succeeded,authentication,fido2,u1,alice\n",
		"date,name,status,user.id\n2026-12-01,registration,failed,u2\n",
		"event,status\nx,y\n",
		"timestamp\n\"unterminated\n",
		"timestamp,event\n2026-12-01T10:00:00Z\n",
		"timestamp,event\nnot a time,x\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		evs, err := ParseLogCSV(b)
		if err != nil {
			if evs != nil {
				t.Fatalf("events with an error: %v", err)
			}
			return
		}
		for _, e := range evs {
			if e.Time.IsZero() && !bytes.Contains(b, []byte("0001-01-01")) {
				t.Fatalf("an event without a time: %+v", e)
			}
		}
	})
}
