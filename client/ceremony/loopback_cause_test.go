package ceremony_test

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/result"
)

// TestPlainHTTPToNonLoopbackIsInsecureURL: a plain-http instance whose name
// passes the loopback check but whose connection would go to a non-loopback
// address fails with the insecure-url cause, and the peer gets no byte.
func TestPlainHTTPToNonLoopbackIsInsecureURL(t *testing.T) {
	var ext net.IP
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			ext = n.IP
			break
		}
	}
	if ext == nil {
		t.Fatal("this machine has no non-loopback IPv4 address to listen on")
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ext.String(), "0"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan int, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetReadDeadline(time.Now().Add(2 * time.Second))
				buf := make([]byte, 1024)
				n, _ := c.Read(buf)
				got <- n
			}()
		}
	}()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	// The dialer stands in for a resolver that sends "localhost" elsewhere.
	var d net.Dialer
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, net.JoinHostPort(ext.String(), port))
	}}
	cl, err := cloud.New(cloud.Config{InstanceURL: "http://localhost:" + port, AccessKey: cloud.NewSecret("AK-loopback-cause-test")},
		cloud.WithTransport(tr), cloud.WithRetries(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = cl.Status(ctx, "tok")
	if err == nil {
		t.Fatal("the request went through")
	}
	if c := ceremony.CauseOf(err); c != result.KeyDesk("insecure-url") {
		t.Fatalf("cause %v for %v, want insecure-url", c, err)
	}
	select {
	case n := <-got:
		if n != 0 {
			t.Fatalf("the non-loopback peer received %d bytes", n)
		}
	case <-time.After(3 * time.Second):
	}
}
