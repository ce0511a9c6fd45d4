package virtualkey

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"
)

func wantHIDError(t *testing.T, b []byte, cid uint32, code byte) {
	t.Helper()
	if got := binary.BigEndian.Uint32(b); got != cid || b[4] != hidError || b[6] != 1 || b[7] != code {
		t.Fatalf("want ERROR 0x%02x on %08x, got %x", code, cid, b[:8])
	}
}

func TestInitAllocatesChannels(t *testing.T) {
	k := newTestKey(t, Options{})
	p := connect(t, k)
	q := connect(t, k)
	if p.cid == q.cid || p.cid == 0 || p.cid == cidBroadcast {
		t.Fatalf("channels %08x %08x", p.cid, q.cid)
	}
	// INIT answer: nonce, CID, protocol 2, device version, CBOR|WINK|NMSG.
	p.send(initPacket(cidBroadcast, hidInit, 8, []byte("ABCDEFGH")))
	cmd, data := p.read(cidBroadcast)
	if cmd != hidInit || !bytes.Equal(data[:8], []byte("ABCDEFGH")) || data[12] != 2 || data[16] != capCBOR|capWink|capNMSG {
		t.Fatalf("INIT answer %x", data)
	}
	// INIT on an allocated channel resynchronises it and keeps the CID.
	p.send(initPacket(p.cid, hidInit, 8, []byte("12345678")))
	cmd, data = p.read(p.cid)
	if cmd != hidInit || binary.BigEndian.Uint32(data[8:]) != p.cid {
		t.Fatalf("re-INIT answer %x", data)
	}
	// A bad INIT length.
	p.send(initPacket(cidBroadcast, hidInit, 7, []byte("1234567")))
	wantHIDError(t, p.recv(), cidBroadcast, hidErrInvalidLen)
	// A channel survives on another connection: channels belong to the key.
	q.cid = p.cid
	if c, data := q.transact(hidPing, []byte("x")); c != hidPing || string(data) != "x" {
		t.Fatalf("ping on a channel from another connection: %02x %q", c, data)
	}
}

func TestPingFragmentation(t *testing.T) {
	p := connect(t, newTestKey(t, Options{}))
	for _, n := range []int{0, 1, 57, 58, 116, 1000, maxHIDMsg} {
		msg := make([]byte, n)
		for i := range msg {
			msg[i] = byte(i * 7)
		}
		cmd, data := p.transact(hidPing, msg)
		if cmd != hidPing || !bytes.Equal(data, msg) {
			t.Fatalf("PING of %d bytes came back as %d bytes", n, len(data))
		}
	}
}

func TestFramingErrors(t *testing.T) {
	k := newTestKey(t, Options{MessageTimeout: 50 * time.Millisecond})
	p := connect(t, k)

	p.send(initPacket(p.cid, 0xA5, 0, nil)) // unknown command
	wantHIDError(t, p.recv(), p.cid, hidErrInvalidCmd)
	p.send(initPacket(p.cid, hidMsg, 1, []byte{0})) // no U2F
	wantHIDError(t, p.recv(), p.cid, hidErrInvalidCmd)
	p.send(initPacket(0x7777, hidPing, 1, []byte{1})) // never allocated
	wantHIDError(t, p.recv(), 0x7777, hidErrInvalidChannel)
	p.send(initPacket(0, hidPing, 1, []byte{1}))
	wantHIDError(t, p.recv(), 0, hidErrInvalidChannel)
	p.send(initPacket(cidBroadcast, hidPing, 1, []byte{1})) // only INIT on broadcast
	wantHIDError(t, p.recv(), cidBroadcast, hidErrInvalidChannel)
	p.send(initPacket(p.cid, hidPing, maxHIDMsg+1, nil))
	wantHIDError(t, p.recv(), p.cid, hidErrInvalidLen)
	p.send(initPacket(p.cid, hidWink, 1, []byte{1}))
	wantHIDError(t, p.recv(), p.cid, hidErrInvalidLen)
	p.send(initPacket(p.cid, hidCBOR, 0, nil))
	wantHIDError(t, p.recv(), p.cid, hidErrInvalidLen)

	// A continuation packet out of sequence.
	pkts := frame(p.cid, hidPing, make([]byte, 200))
	p.send(pkts[0])
	p.send(pkts[2])
	wantHIDError(t, p.recv(), p.cid, hidErrInvalidSeq)

	// Another channel while a message is being assembled: busy.
	q := p.cid
	other := p.init()
	p.send(pkts[0])
	p.send(initPacket(other, hidPing, 1, []byte{1}))
	wantHIDError(t, p.recv(), other, hidErrChannelBusy)
	// ... and the first message times out without its continuations.
	wantHIDError(t, p.recv(), q, hidErrMsgTimeout)

	// A spurious continuation is ignored.
	p.send(pkts[1])
	if b := p.recvWithin(100 * time.Millisecond); b != nil {
		t.Fatalf("answer to a spurious continuation: %x", b[:8])
	}
	// The channel still works.
	if c, data := p.transact(hidPing, []byte("ok")); c != hidPing || string(data) != "ok" {
		t.Fatal("channel broken after errors")
	}
}

func TestWinkEvent(t *testing.T) {
	k := newTestKey(t, Options{})
	winks := make(chan struct{}, 1)
	k.OnEvent(func(e Event) {
		if e.Kind == EventWink {
			winks <- struct{}{}
		}
	})
	p := connect(t, k)
	if c, data := p.transact(hidWink, nil); c != hidWink || len(data) != 0 {
		t.Fatalf("WINK answer %02x %x", c, data)
	}
	select {
	case <-winks:
	case <-time.After(time.Second):
		t.Fatal("no wink event")
	}
}

func TestKeepaliveWhileWaitingForPresence(t *testing.T) {
	k := newTestKey(t, Options{Presence: Presence{Mode: PresenceGranted, Delay: 350 * time.Millisecond}})
	p := connect(t, k)
	st, _ := p.ctap(cmdSelection, nil)
	if st != statusOK {
		t.Fatalf("selection: 0x%02x", st)
	}
	if len(p.keepalives) < 2 {
		t.Fatalf("%d keepalives in 350 ms", len(p.keepalives))
	}
	for _, s := range p.keepalives {
		if s != keepaliveUPNeeded {
			t.Fatalf("keepalive status %d while waiting for a touch", s)
		}
	}
}

func TestCancelAndBusy(t *testing.T) {
	k := newTestKey(t, Options{Presence: Presence{Mode: PresenceManual}})
	p := connect(t, k)
	q := connect(t, k)
	p.send(initPacket(p.cid, hidCBOR, 1, []byte{cmdSelection}))
	waitUntil(t, k.Waiting)
	// The key runs one command at a time: another connection is told busy.
	q.send(initPacket(q.cid, hidCBOR, 1, []byte{cmdGetInfo}))
	wantHIDError(t, q.recv(), q.cid, hidErrChannelBusy)
	// So is a second command on the same channel.
	p.send(initPacket(p.cid, hidPing, 1, []byte{1}))
	wantHIDError(t, p.recv(), p.cid, hidErrChannelBusy)
	// CANCEL ends the wait with KEEPALIVE_CANCEL.
	p.send(initPacket(p.cid, hidCancel, 0, nil))
	if c, data := p.read(p.cid); c != hidCBOR || !bytes.Equal(data, []byte{errKeepaliveCancel}) {
		t.Fatalf("after CANCEL: %02x %x", c, data)
	}
	// An INIT on the channel abandons a command: no CBOR answer follows.
	p.send(initPacket(p.cid, hidCBOR, 1, []byte{cmdSelection}))
	waitUntil(t, k.Waiting)
	p.send(initPacket(p.cid, hidInit, 8, []byte("resync!!")))
	if c, data := p.read(p.cid); c != hidInit || string(data[:8]) != "resync!!" {
		t.Fatalf("INIT during a command: %02x %x", c, data)
	}
	if b := p.recvWithin(300 * time.Millisecond); b != nil && b[4] != hidKeepalive {
		t.Fatalf("answer to an abandoned command: %x", b[:8])
	}
	waitUntil(t, func() bool { return !k.Waiting() })
	if st, _ := q.ctap(cmdGetInfo, nil); st != statusOK {
		t.Fatalf("key still busy: 0x%02x", st)
	}
}

func TestWatchdogAndPresenceTimeout(t *testing.T) {
	k := newTestKey(t, Options{Presence: Presence{Mode: PresenceNever}, PresenceTimeout: 100 * time.Millisecond})
	p := connect(t, k)
	if st, _ := p.ctap(cmdSelection, nil); st != errUserActionTimeout {
		t.Fatalf("never touched: 0x%02x", st)
	}
	// A command deadline shorter than the presence timeout ends the wait too.
	k = newTestKey(t, Options{Presence: Presence{Mode: PresenceNever}, PresenceTimeout: time.Hour, CommandTimeout: 100 * time.Millisecond})
	p = connect(t, k)
	if st, _ := p.ctap(cmdSelection, nil); st != errUserActionTimeout {
		t.Fatalf("watchdog: 0x%02x", st)
	}
}

func TestUnplugClosesConnections(t *testing.T) {
	k := newTestKey(t, Options{Presence: Presence{Mode: PresenceManual}})
	p := connect(t, k)
	p.send(initPacket(p.cid, hidCBOR, 1, []byte{cmdSelection}))
	waitUntil(t, k.Waiting)
	k.Unplug()
	buf := make([]byte, 64)
	p.c.SetReadDeadline(time.Now().Add(2 * time.Second))
	for {
		n, err := p.c.Read(buf)
		if err != nil || n == 0 {
			break // EOF: the key went away
		}
		if buf[4] != hidKeepalive {
			t.Fatalf("answer after unplug: %x", buf[:8])
		}
	}
	keyEnd, other := socketpair(t)
	done := make(chan struct{})
	go func() { k.ServeConn(keyEnd); close(done) }()
	<-done // served nothing while unplugged
	other.Close()
	if err := k.Replug(); err != nil {
		t.Fatal(err)
	}
	q := connect(t, k)
	// Channels from before the power cycle are gone.
	q.send(initPacket(p.cid, hidPing, 1, []byte{1}))
	wantHIDError(t, q.recv(), p.cid, hidErrInvalidChannel)
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(2 * time.Millisecond)
	}
}
