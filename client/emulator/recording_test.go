package emulator_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/emulator"
)

// post sends body to path with the Authorization header auth ("" for none)
// and returns the status.
func post(t *testing.T, srv *emulator.Server, path, auth, body string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestRecordingOffByDefault(t *testing.T) {
	srv, _ := start(t, emulator.Config{})
	post(t, srv, "/api/v1/status", "Bearer "+srv.AccessKey(), `{"statusToken":"x"}`)
	post(t, srv, "/_app/attestation/result", "", `{"id":"AA","type":"public-key","statusToken":"bad"}`)
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("recording is off by default, yet %d requests were kept", n)
	}
}

func TestRecordingSkipsUnauthenticated(t *testing.T) {
	srv, _ := start(t, emulator.Config{RecordRequests: true, AccessKey: "the-right-key-0123456789"})
	for _, auth := range []string{"", "Bearer wrong", "Basic dXNlcjpwYXNz"} {
		// approval: a server endpoint whose documented examples send the
		// key (status may be called without one, see documented.go).
		if st := post(t, srv, "/api/v1/approval", auth, `{"channel":"fido2","username":"unauthenticated"}`); st != http.StatusUnauthorized {
			t.Fatalf("Authorization %q: status %d", auth, st)
		}
	}
	if reqs := srv.Requests(); len(reqs) != 0 {
		t.Fatalf("%d unauthenticated requests were recorded, first %s %s", len(reqs), reqs[0].Method, reqs[0].Path)
	}
	post(t, srv, "/api/v1/approval", "Bearer the-right-key-0123456789", `{"channel":"fido2","username":"authenticated"}`)
	post(t, srv, "/_app/attestation/result", "", `{"id":"AA","type":"public-key","statusToken":"app"}`)
	reqs := srv.Requests()
	if len(reqs) != 2 || !reqs[0].BearerValid || !strings.Contains(string(reqs[0].Body), "authenticated") ||
		reqs[1].Endpoint != emulator.EndpointAttestation || !strings.Contains(string(reqs[1].Body), `"app"`) {
		t.Fatalf("recorded %+v", reqs)
	}
}

func TestRecordingBound(t *testing.T) {
	const limit = 10_000
	srv, _ := start(t, emulator.Config{RecordRequests: true, RecordLimit: limit})
	auth := "Bearer " + srv.AccessKey()
	total := func() (n int) {
		for _, r := range srv.Requests() {
			n += len(r.Body)
		}
		return n
	}
	for i := 0; i < 30; i++ {
		post(t, srv, "/api/v1/status", auth, strings.Repeat(string(rune('a'+i%26)), 1000))
		if n := total(); n > limit {
			t.Fatalf("after %d requests %d body bytes are kept, limit %d", i+1, n, limit)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 10 || reqs[len(reqs)-1].Body[0] != 'a'+29%26 {
		t.Fatalf("kept %d requests; want the 10 most recent", len(reqs))
	}
	// A body larger than the whole limit is kept without its body.
	post(t, srv, "/api/v1/status", auth, strings.Repeat("z", 3*limit))
	reqs = srv.Requests()
	if last := reqs[len(reqs)-1]; last.Body != nil || last.Endpoint != emulator.EndpointStatus || total() > limit {
		t.Fatalf("oversized body: kept %d bytes, total %d", len(last.Body), total())
	}
	// The count bound: no more than 256 requests, even with empty bodies.
	for i := 0; i < 300; i++ {
		post(t, srv, "/_app/assertion/result", "", "")
	}
	if n := len(srv.Requests()); n != 256 {
		t.Fatalf("kept %d requests, want 256", n)
	}
}

func TestRecordingDefaultBound(t *testing.T) {
	srv, _ := start(t, emulator.Config{RecordRequests: true})
	auth := "Bearer " + srv.AccessKey()
	body := strings.Repeat("x", 1000_000)
	for i := 0; i < 8; i++ {
		post(t, srv, "/api/v1/status", auth, body)
	}
	n := 0
	for _, r := range srv.Requests() {
		n += len(r.Body)
	}
	if n > emulator.DefaultRecordLimit || n == 0 {
		t.Fatalf("kept %d body bytes, default limit %d", n, emulator.DefaultRecordLimit)
	}
}

// TestServerTimeouts: a client that stalls in its header, in its body, or
// idles on a kept-alive connection is disconnected.
func TestServerTimeouts(t *testing.T) {
	defer emulator.SetServerTimeouts(200*time.Millisecond, 400*time.Millisecond, 300*time.Millisecond)()
	srv, _ := start(t, emulator.Config{})
	host := strings.TrimPrefix(srv.URL(), "http://")
	closedWithin := func(what, send string, d time.Duration) {
		t.Helper()
		conn, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := io.WriteString(conn, send); err != nil {
			t.Fatal(err)
		}
		conn.SetReadDeadline(time.Now().Add(d))
		start := time.Now()
		_, err = io.Copy(io.Discard, bufio.NewReader(conn))
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatalf("%s: connection still open after %v", what, d)
			}
		}
		t.Logf("%s: closed after %v", what, time.Since(start).Round(time.Millisecond))
	}
	closedWithin("stalled header", "POST /api/v1/status HTTP/1.1\r\nHost: x\r\n", 3*time.Second)
	closedWithin("stalled body", "POST /api/v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"statusT", 3*time.Second)
	closedWithin("idle keep-alive", "POST /api/v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", 3*time.Second)
}
