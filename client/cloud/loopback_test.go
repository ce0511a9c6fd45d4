package cloud

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// externalIP is an address of this machine that is not loopback, so a
// listener on it is reached without leaving the host.
func externalIP(t *testing.T) netip.Addr {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(n.IP); ok && ip.Unmap().Is4() && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() {
				return ip.Unmap()
			}
		}
	}
	t.Fatal("this machine has no non-loopback IPv4 address to listen on")
	return netip.Addr{}
}

// byteCountingListener accepts connections on ip and counts them and every
// byte they carry.
type byteCountingListener struct {
	ln           net.Listener
	conns, bytes atomic.Int64
}

func listenCounting(t *testing.T, ip netip.Addr) *byteCountingListener {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
	if err != nil {
		t.Fatal(err)
	}
	l := &byteCountingListener{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			l.conns.Add(1)
			go func() {
				defer c.Close()
				n, _ := io.Copy(io.Discard, c)
				l.bytes.Add(n)
			}()
		}
	}()
	return l
}

func (l *byteCountingListener) port() string {
	return strconv.Itoa(l.ln.Addr().(*net.TCPAddr).Port)
}

// loopbackServer is a real HTTP server on 127.0.0.1 that counts requests.
func loopbackServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"succeeded"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func wantInsecure(t *testing.T, what string, err error) {
	t.Helper()
	var ce *ConfigError
	if !errors.As(err, &ce) || !errors.Is(err, ErrInsecureURL) {
		t.Fatalf("%s: got %v, want a *ConfigError wrapping ErrInsecureURL", what, err)
	}
}

// TestPlainHTTPDialsOnlyLoopback: a name that passes the "loopback" check
// ("localhost.") but resolves elsewhere is refused before any connection;
// a name resolving to loopback and elsewhere reaches only loopback.
func TestPlainHTTPDialsOnlyLoopback(t *testing.T) {
	ext := externalIP(t)
	outside := listenCounting(t, ext)
	srv, hits := loopbackServer(t)
	_, lbPort, _ := net.SplitHostPort(srv.Listener.Addr().String())

	var answer []netip.Addr
	old := lookupNetIP
	lookupNetIP = func(ctx context.Context, network, host string) ([]netip.Addr, error) {
		if host == "localhost." {
			return answer, nil
		}
		return old(ctx, network, host)
	}
	t.Cleanup(func() { lookupNetIP = old })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	status := func(url string) error {
		c, err := New(Config{InstanceURL: url, AccessKey: NewSecret("AK-loopback-test")}, WithRetries(0, 0))
		if err != nil {
			t.Fatalf("New(%s): %v", url, err)
		}
		_, err = c.Status(ctx, "tok")
		return err
	}

	// "localhost." resolving to a non-loopback address of this machine.
	answer = []netip.Addr{ext}
	wantInsecure(t, "localhost. -> "+ext.String(), status("http://localhost.:"+outside.port()))
	// And to an address that is not this machine at all.
	answer = []netip.Addr{netip.MustParseAddr("203.0.113.7")}
	wantInsecure(t, "localhost. -> 203.0.113.7", status("http://localhost.:"+outside.port()))

	// Resolving to both: only the loopback address is dialled.
	answer = []netip.Addr{ext, netip.MustParseAddr("127.0.0.1")}
	if err := status("http://localhost.:" + lbPort); err != nil {
		t.Fatalf("localhost. -> [%s 127.0.0.1]: %v", ext, err)
	}

	// The real resolver: localhost and 127.0.0.1 still work.
	for _, u := range []string{"http://127.0.0.1:" + lbPort, "http://localhost:" + lbPort} {
		if err := status(u); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
	}
	if n := hits.Load(); n != 3 {
		t.Errorf("loopback server saw %d requests, want 3", n)
	}
	time.Sleep(50 * time.Millisecond)
	if c, b := outside.conns.Load(), outside.bytes.Load(); c != 0 || b != 0 {
		t.Errorf("the non-loopback listener got %d connections and %d bytes, want none", c, b)
	}
}

// TestPlainHTTPCustomDialerChecksPeer: with WithTransport and a dialer of
// its own (here one that, like a poisoned hosts file, sends "localhost" to a
// non-loopback address), the connection is refused before the request is
// written.
func TestPlainHTTPCustomDialerChecksPeer(t *testing.T) {
	ext := externalIP(t)
	outside := listenCounting(t, ext)
	var d net.Dialer
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(addr)
		return d.DialContext(ctx, network, net.JoinHostPort(ext.String(), port))
	}}
	c, err := New(Config{InstanceURL: "http://localhost:" + outside.port(), AccessKey: NewSecret("AK-loopback-test")},
		WithTransport(tr), WithRetries(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = c.Status(ctx, "tok")
	wantInsecure(t, "custom dialer to "+ext.String(), err)
	deadline := time.Now().Add(2 * time.Second)
	for outside.conns.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	if b := outside.bytes.Load(); b != 0 {
		t.Errorf("the non-loopback listener got %d bytes, want none", b)
	}
}
