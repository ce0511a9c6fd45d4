package virtualkey

import (
	"bytes"
	"context"
	"net"
	"sync"
	"testing"
	"time"
)

// sinkConn is a net.Conn that swallows writes; reads are never made (the fuzz
// targets feed packets straight into the connection's state machine).
type sinkConn struct {
	mu sync.Mutex
	n  int
}

func (c *sinkConn) Read([]byte) (int, error) { return 0, net.ErrClosed }
func (c *sinkConn) Write(b []byte) (int, error) {
	if len(b) != reportLen {
		panic("the key wrote a packet that is not one report")
	}
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return len(b), nil
}
func (c *sinkConn) Close() error                     { return nil }
func (c *sinkConn) LocalAddr() net.Addr              { return nil }
func (c *sinkConn) RemoteAddr() net.Addr             { return nil }
func (c *sinkConn) SetDeadline(time.Time) error      { return nil }
func (c *sinkConn) SetReadDeadline(time.Time) error  { return nil }
func (c *sinkConn) SetWriteDeadline(time.Time) error { return nil }

// FuzzCTAPHIDFrames feeds arbitrary reports to a connection: whatever the
// packets, the reassembler and dispatcher must not panic, must answer only in
// whole reports, and must leave the key usable.
func FuzzCTAPHIDFrames(f *testing.F) {
	seed := func(pkts ...[]byte) []byte { return bytes.Join(pkts, nil) }
	f.Add(seed(initPacket(cidBroadcast, hidInit, 8, []byte("12345678"))))
	f.Add(seed(initPacket(1, hidPing, 100, []byte("x")), make([]byte, 64)))
	f.Add(seed(frame(1, hidPing, make([]byte, 300))...))
	f.Add(seed(initPacket(1, hidCBOR, 1, []byte{cmdGetInfo})))
	f.Add(seed(initPacket(1, hidCBOR, 1, []byte{cmdSelection}), initPacket(1, hidCancel, 0, nil)))
	f.Add(seed(initPacket(1, hidCBOR, 1, []byte{cmdSelection}), initPacket(1, hidInit, 8, nil)))
	f.Add(seed(initPacket(2, hidWink, 0, nil), initPacket(0, hidPing, 0, nil)))
	k := newTestKey(f, Options{PresenceTimeout: 20 * time.Millisecond, MessageTimeout: 10 * time.Millisecond})
	k.allocCID()
	k.allocCID()
	f.Fuzz(func(t *testing.T, data []byte) {
		h := &hidConn{k: k, c: &sinkConn{}}
		for len(data) >= reportLen {
			h.packet(data[:reportLen])
			data = data[reportLen:]
		}
		h.close()
		// The key must come free again (the watchdog bounds every command).
		deadline := time.Now().Add(2 * time.Second)
		for {
			select {
			case k.busy <- struct{}{}:
				<-k.busy
				return
			default:
			}
			if time.Now().After(deadline) {
				t.Fatal("key stayed busy")
			}
			time.Sleep(time.Millisecond)
		}
	})
}

// FuzzCTAP2Request runs arbitrary CTAP requests: each gets a status byte and,
// on success, a body that is well-formed CTAP2 canonical CBOR; none panics.
func FuzzCTAP2Request(f *testing.F) {
	for _, req := range [][]byte{
		{cmdGetInfo},
		{cmdGetNextAssertion},
		{cmdSelection},
		{cmdReset},
		{cmdClientPIN, 0xa2, 0x01, 0x02, 0x02, 0x02},
		{cmdClientPIN, 0xa1, 0x02, 0x01},
		{cmdCredMgmt, 0xa1, 0x01, 0x01},
		{cmdCredMgmtPreview, 0xa2, 0x01, 0x03, 0x02, 0xa0},
		{cmdMakeCredential, 0xa0},
		{cmdGetAssertion, 0xa2, 0x01, 0x61, 'a', 0x02, 0x40},
	} {
		f.Add(req)
	}
	for _, m := range []map[int]any{
		makeCredReq("example.com", "u"),
		{1: "example.com", 2: hash("x")},
		{1: "example.com", 2: hash("x"), 3: []map[string]any{{"id": make([]byte, credIDLen), "type": "public-key"}}},
		{1: "example.com", 2: hash("x"), 4: map[string]any{"hmac-secret": map[int]any{1: coseKey{Kty: 2, Crv: 1, X: make([]byte, 32), Y: make([]byte, 32)}, 2: make([]byte, 32), 3: make([]byte, 16)}}},
	} {
		b, _ := encMode.Marshal(m)
		cmd := byte(cmdGetAssertion)
		if _, ok := m[4]; ok && len(m) == 4 {
			cmd = cmdMakeCredential
		}
		f.Add(append([]byte{cmd}, b...))
	}
	k := newTestKey(f, Options{PresenceTimeout: 10 * time.Millisecond})
	f.Fuzz(func(t *testing.T, req []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		resp := k.process(newTxn(ctx), req)
		if len(resp) == 0 {
			t.Fatal("empty response")
		}
		if resp[0] == statusOK && len(resp) > 1 {
			var v any
			if err := decMode.Unmarshal(resp[1:], &v); err != nil {
				t.Fatalf("success with undecodable CBOR: %v", err)
			}
		}
	})
}
