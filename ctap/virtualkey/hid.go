package virtualkey

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"sync"
	"time"
)

// CTAPHID framing (CTAP 2.1 §11.2).
const (
	reportLen    = 64
	initDataLen  = reportLen - 7
	contDataLen  = reportLen - 5
	maxHIDMsg    = initDataLen + 128*contDataLen // 7609 bytes
	cidBroadcast = 0xffffffff

	hidPing      = 0x81
	hidMsg       = 0x83
	hidLock      = 0x84
	hidInit      = 0x86
	hidWink      = 0x88
	hidCBOR      = 0x90
	hidCancel    = 0x91
	hidKeepalive = 0xBB
	hidError     = 0xBF

	hidErrInvalidCmd     = 0x01
	hidErrInvalidPar     = 0x02
	hidErrInvalidLen     = 0x03
	hidErrInvalidSeq     = 0x04
	hidErrMsgTimeout     = 0x05
	hidErrChannelBusy    = 0x06
	hidErrInvalidChannel = 0x0B
	hidErrOther          = 0x7F

	capWink = 0x01
	capCBOR = 0x04
	capNMSG = 0x08 // no CTAP1/U2F MSG

	keepaliveInterval = 100 * time.Millisecond
)

// CTAPHID_INIT answers carry these version bytes: protocol 2, then the
// device version 1.0.0.
var hidVersion = [4]byte{2, 1, 0, 0}

// frame splits a message into CTAPHID reports: an initialization packet
// (CID, command, length, 57 bytes) and continuation packets (CID, sequence
// 0..127, 59 bytes), zero-padded.
func frame(cid uint32, cmd byte, data []byte) [][]byte {
	var out [][]byte
	p := make([]byte, reportLen)
	binary.BigEndian.PutUint32(p, cid)
	p[4] = cmd
	binary.BigEndian.PutUint16(p[5:], uint16(len(data)))
	n := copy(p[7:], data)
	out = append(out, p)
	for seq := byte(0); n < len(data); seq++ {
		p := make([]byte, reportLen)
		binary.BigEndian.PutUint32(p, cid)
		p[4] = seq
		n += copy(p[5:], data[n:])
		out = append(out, p)
	}
	return out
}

// assembler reassembles one message from its packets.
type assembler struct {
	active   bool
	cid      uint32
	cmd      byte
	need     int
	buf      []byte
	seq      byte
	deadline time.Time
}

// message is a complete CTAPHID request.
type message struct {
	cid  uint32
	cmd  byte
	data []byte
}

// hidConn is one platform connection (one libfido2 fido_dev_open). Channels
// belong to the key, so a connection may use any channel the key allocated;
// reassembly is per connection, one message at a time.
type hidConn struct {
	k    *Key
	c    net.Conn
	wmu  sync.Mutex
	asm  assembler
	mu   sync.Mutex // guards run
	run  *running
	once sync.Once
}

// running is the CTAP command a connection is waiting for.
type running struct {
	cid     uint32
	cancel  context.CancelFunc
	mu      sync.Mutex
	aborted bool // answer nothing: the channel was re-initialised or closed
}

func (r *running) abort() {
	r.mu.Lock()
	r.aborted = true
	r.mu.Unlock()
	r.cancel()
}

// ServeConn speaks CTAPHID on c, one 64-byte report per read and write (a
// SOCK_SEQPACKET connection), until c is closed or the key is unplugged.
// Serve calls it for each accepted connection; tests call it on one end of a
// socketpair.
func (k *Key) ServeConn(c net.Conn) {
	h := &hidConn{k: k, c: c}
	k.cidMu.Lock()
	k.conns[h] = struct{}{}
	k.cidMu.Unlock()
	defer func() {
		k.cidMu.Lock()
		delete(k.conns, h)
		k.cidMu.Unlock()
		h.close()
		k.emit(Event{Kind: EventDisconnected})
	}()
	if k.unplugged() {
		return
	}
	k.emit(Event{Kind: EventConnected})
	buf := make([]byte, reportLen+1)
	for {
		if h.asm.active {
			c.SetReadDeadline(h.asm.deadline)
		} else {
			c.SetReadDeadline(time.Time{})
		}
		n, err := c.Read(buf)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) && h.asm.active {
				h.sendError(h.asm.cid, hidErrMsgTimeout)
				h.asm = assembler{}
				continue
			}
			return
		}
		if n != reportLen {
			continue // not a report; a HID device would never see it
		}
		if h.k.silent() {
			continue // a hung key: the report is taken and never answered
		}
		h.packet(buf[:reportLen])
	}
}

func (h *hidConn) close() {
	h.once.Do(func() {
		h.c.Close()
		h.mu.Lock()
		if h.run != nil {
			h.run.abort()
		}
		h.mu.Unlock()
	})
}

func (h *hidConn) write(cid uint32, cmd byte, data []byte) {
	if h.k.silent() {
		return
	}
	h.wmu.Lock()
	defer h.wmu.Unlock()
	for _, p := range frame(cid, cmd, data) {
		if _, err := h.c.Write(p); err != nil {
			return
		}
	}
}

func (h *hidConn) sendError(cid uint32, code byte) {
	h.write(cid, hidError, []byte{code})
}

// packet handles one report (CTAP 2.1 §11.2.4, §11.2.9).
func (h *hidConn) packet(p []byte) {
	cid := binary.BigEndian.Uint32(p)
	if p[4]&0x80 == 0 { // continuation packet
		a := &h.asm
		if !a.active || a.cid != cid {
			return // spurious continuation: ignored
		}
		if p[4] != a.seq {
			h.asm = assembler{}
			h.sendError(cid, hidErrInvalidSeq)
			return
		}
		a.seq++
		n := min(a.need-len(a.buf), contDataLen)
		a.buf = append(a.buf, p[5:5+n]...)
		if len(a.buf) == a.need {
			m := message{cid: a.cid, cmd: a.cmd, data: a.buf}
			h.asm = assembler{}
			h.dispatch(m)
		}
		return
	}
	cmd := p[4]
	bcnt := int(binary.BigEndian.Uint16(p[5:]))
	if cid == 0 {
		h.sendError(cid, hidErrInvalidChannel)
		return
	}
	if cmd == hidInit {
		h.init(cid, bcnt, p[7:])
		return
	}
	if cid == cidBroadcast || !h.k.validCID(cid) {
		h.sendError(cid, hidErrInvalidChannel)
		return
	}
	if cmd == hidCancel {
		h.mu.Lock()
		if h.run != nil && h.run.cid == cid {
			h.run.cancel()
		}
		h.mu.Unlock()
		return // CANCEL is never answered itself
	}
	if h.asm.active {
		if h.asm.cid == cid {
			h.asm = assembler{}
			h.sendError(cid, hidErrInvalidSeq)
		} else {
			h.sendError(cid, hidErrChannelBusy)
		}
		return
	}
	if h.busy() {
		h.sendError(cid, hidErrChannelBusy)
		return
	}
	if bcnt > maxHIDMsg {
		h.sendError(cid, hidErrInvalidLen)
		return
	}
	n := min(bcnt, initDataLen)
	if n == bcnt {
		h.dispatch(message{cid: cid, cmd: cmd, data: append([]byte{}, p[7:7+n]...)})
		return
	}
	h.asm = assembler{
		active: true, cid: cid, cmd: cmd, need: bcnt,
		buf:      append(make([]byte, 0, bcnt), p[7:7+n]...),
		deadline: time.Now().Add(h.k.opts.MessageTimeout),
	}
}

func (h *hidConn) busy() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.run != nil
}

// init is CTAPHID_INIT: on the broadcast channel it allocates a channel; on an
// allocated channel it resynchronises it, abandoning whatever was under way.
func (h *hidConn) init(cid uint32, bcnt int, data []byte) {
	if bcnt != 8 {
		h.sendError(cid, hidErrInvalidLen)
		return
	}
	if h.asm.active && h.asm.cid == cid {
		h.asm = assembler{}
	}
	newCID := cid
	if cid == cidBroadcast {
		newCID = h.k.allocCID()
		h.k.u2fNewSession()
	} else {
		if !h.k.validCID(cid) {
			h.sendError(cid, hidErrInvalidChannel)
			return
		}
		h.mu.Lock()
		if h.run != nil && h.run.cid == cid {
			h.run.abort()
			h.run = nil
		}
		h.mu.Unlock()
	}
	resp := make([]byte, 17)
	copy(resp, data[:8])
	binary.BigEndian.PutUint32(resp[8:], newCID)
	copy(resp[12:], hidVersion[:])
	resp[16] = h.k.opts.Profile.capabilities()
	h.write(cid, hidInit, resp)
}

func (h *hidConn) dispatch(m message) {
	switch m.cmd {
	case hidPing:
		h.write(m.cid, hidPing, m.data)
	case hidWink:
		if len(m.data) != 0 {
			h.sendError(m.cid, hidErrInvalidLen)
			return
		}
		h.k.emit(Event{Kind: EventWink})
		h.write(m.cid, hidWink, nil)
	case hidMsg:
		if !h.k.opts.Profile.u2fOnly() {
			h.sendError(m.cid, hidErrInvalidCmd) // CAPABILITY_NMSG: no U2F
			return
		}
		h.write(m.cid, hidMsg, h.k.u2fMessage(m.data))
	case hidCBOR:
		if h.k.opts.Profile.u2fOnly() {
			h.sendError(m.cid, hidErrInvalidCmd) // no CAPABILITY_CBOR
			return
		}
		if len(m.data) == 0 {
			h.sendError(m.cid, hidErrInvalidLen)
			return
		}
		h.startCBOR(m)
	default: // LOCK, KEEPALIVE, ERROR and unknown commands
		h.sendError(m.cid, hidErrInvalidCmd)
	}
}

// startCBOR runs a CTAP command in its own goroutine, so the connection keeps
// reading (CANCEL, INIT) and sends a KEEPALIVE every 100 ms. Only one
// command runs at a time on the key: a command from another connection then
// gets ERR_CHANNEL_BUSY.
func (h *hidConn) startCBOR(m message) {
	k := h.k
	select {
	case k.busy <- struct{}{}:
	default:
		h.sendError(m.cid, hidErrChannelBusy)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), k.opts.CommandTimeout)
	r := &running{cid: m.cid, cancel: cancel}
	h.mu.Lock()
	h.run = r
	h.mu.Unlock()
	t := newTxn(ctx)
	result := make(chan []byte, 1)
	go func() {
		resp := k.process(t, m.data)
		<-k.busy // free before answering: the platform may send the next command at once
		result <- resp
	}()
	go func() {
		defer cancel()
		tick := time.NewTicker(keepaliveInterval)
		defer tick.Stop()
		// The watchdog: a command that outlives its deadline by a second
		// (it should have ended with the context) is answered with
		// ERR_OTHER so the platform never waits forever.
		watchdog := time.NewTimer(k.opts.CommandTimeout + time.Second)
		defer watchdog.Stop()
		finish := func(f func()) {
			h.mu.Lock()
			if h.run == r {
				h.run = nil
			}
			h.mu.Unlock()
			r.mu.Lock()
			defer r.mu.Unlock()
			if !r.aborted {
				f()
			}
		}
		for {
			select {
			case resp := <-result:
				finish(func() { h.write(m.cid, hidCBOR, resp) })
				return
			case <-tick.C:
				r.mu.Lock()
				if !r.aborted {
					h.write(m.cid, hidKeepalive, []byte{byte(t.status.Load())})
				}
				r.mu.Unlock()
			case <-watchdog.C:
				finish(func() { h.sendError(m.cid, hidErrOther) })
				return
			}
		}
	}()
}

// allocCID hands out a new channel ID.
func (k *Key) allocCID() uint32 {
	k.cidMu.Lock()
	defer k.cidMu.Unlock()
	if k.nextCID == 0 || k.nextCID == cidBroadcast {
		k.nextCID = 1
	}
	c := k.nextCID
	k.nextCID++
	return c
}

// validCID reports whether cid was allocated since the last power-up.
func (k *Key) validCID(cid uint32) bool {
	k.cidMu.Lock()
	defer k.cidMu.Unlock()
	return cid >= k.cidBase && cid < k.nextCID
}
