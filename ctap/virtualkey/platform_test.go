package virtualkey

import (
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/keydesk/keydesk/ctap/protocol"
)

// platform is a minimal CTAPHID + CTAP2 client for tests: the other end of a
// SOCK_SEQPACKET socketpair whose key end is served by Key.ServeConn.
type platform struct {
	t   *testing.T
	k   *Key
	c   net.Conn
	cid uint32

	keepalives []byte // statuses of the KEEPALIVEs read skipped
}

func socketpair(t testing.TB) (net.Conn, net.Conn) {
	t.Helper()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_SEQPACKET, 0)
	if err != nil {
		t.Fatal(err)
	}
	conns := make([]net.Conn, 2)
	for i, fd := range fds {
		f := os.NewFile(uintptr(fd), "socketpair")
		c, err := net.FileConn(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	return conns[0], conns[1]
}

func newTestKey(t testing.TB, opts Options) *Key {
	t.Helper()
	k, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// connect serves a new connection of k and allocates a channel on it.
func connect(t *testing.T, k *Key) *platform {
	t.Helper()
	keyEnd, p := socketpair(t)
	done := make(chan struct{})
	go func() { k.ServeConn(keyEnd); close(done) }()
	t.Cleanup(func() {
		p.Close()
		<-done
	})
	pl := &platform{t: t, k: k, c: p}
	pl.cid = pl.init()
	return pl
}

func (p *platform) send(pkt []byte) {
	p.t.Helper()
	if len(pkt) != reportLen {
		p.t.Fatalf("test bug: %d-byte packet", len(pkt))
	}
	if _, err := p.c.Write(pkt); err != nil {
		p.t.Fatal(err)
	}
}

// recv reads one report, or nil when none comes within d.
func (p *platform) recvWithin(d time.Duration) []byte {
	p.t.Helper()
	buf := make([]byte, 128)
	p.c.SetReadDeadline(time.Now().Add(d))
	n, err := p.c.Read(buf)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil
	}
	if err != nil {
		p.t.Fatal(err)
	}
	if n != reportLen {
		p.t.Fatalf("the key sent a %d-byte packet", n)
	}
	return buf[:n]
}

func (p *platform) recv() []byte {
	p.t.Helper()
	b := p.recvWithin(5 * time.Second)
	if b == nil {
		p.t.Fatal("no answer from the key")
	}
	return b
}

func initPacket(cid uint32, cmd byte, bcnt int, data []byte) []byte {
	b := make([]byte, reportLen)
	binary.BigEndian.PutUint32(b, cid)
	b[4] = cmd
	binary.BigEndian.PutUint16(b[5:], uint16(bcnt))
	copy(b[7:], data)
	return b
}

func (p *platform) init() uint32 {
	p.t.Helper()
	nonce := []byte("nonce-01")
	p.send(initPacket(cidBroadcast, hidInit, 8, nonce))
	cmd, data := p.read(cidBroadcast)
	if cmd != hidInit || len(data) != 17 || string(data[:8]) != string(nonce) {
		p.t.Fatalf("INIT answer %02x %x", cmd, data)
	}
	return binary.BigEndian.Uint32(data[8:])
}

// read reassembles the next message on cid, skipping keepalives; keepalive
// statuses seen go to p.keepalives.
func (p *platform) read(cid uint32) (byte, []byte) {
	p.t.Helper()
	for {
		b := p.recv()
		if got := binary.BigEndian.Uint32(b); got != cid {
			p.t.Fatalf("answer on channel %08x, want %08x", got, cid)
		}
		cmd := b[4]
		if cmd == hidKeepalive {
			p.keepalives = append(p.keepalives, b[7])
			continue
		}
		n := int(binary.BigEndian.Uint16(b[5:]))
		data := append([]byte{}, b[7:7+min(n, initDataLen)]...)
		for seq := byte(0); len(data) < n; seq++ {
			c := p.recv()
			if c[4] != seq {
				p.t.Fatalf("continuation seq %d, want %d", c[4], seq)
			}
			data = append(data, c[5:5+min(n-len(data), contDataLen)]...)
		}
		return cmd, data
	}
}

// transact sends a message (fragmented as needed) and returns the answer.
func (p *platform) transact(cmd byte, data []byte) (byte, []byte) {
	p.t.Helper()
	for _, pkt := range frame(p.cid, cmd, data) {
		p.send(pkt)
	}
	return p.read(p.cid)
}

// ctap sends a CTAP2 command and returns status and CBOR body.
func (p *platform) ctap(cmd byte, params any) (byte, []byte) {
	p.t.Helper()
	req := []byte{cmd}
	if params != nil {
		b, err := encMode.Marshal(params)
		if err != nil {
			p.t.Fatal(err)
		}
		req = append(req, b...)
	}
	return p.ctapRaw(req)
}

func (p *platform) ctapRaw(req []byte) (byte, []byte) {
	p.t.Helper()
	c, data := p.transact(hidCBOR, req)
	if c != hidCBOR || len(data) == 0 {
		p.t.Fatalf("CBOR answer %02x %x", c, data)
	}
	return data[0], data[1:]
}

// agree runs getKeyAgreement and returns the platform's COSE key and the
// shared secret for proto.
func (p *platform) agree(proto pinProtocol) (coseKey, []byte) {
	p.t.Helper()
	st, body := p.ctap(cmdClientPIN, map[int]any{1: proto.version(), 2: pinGetKeyAgreement})
	if st != statusOK {
		p.t.Fatalf("getKeyAgreement: 0x%02x", st)
	}
	var resp struct {
		Key cbor.RawMessage `cbor:"1,keyasint"`
	}
	if err := decMode.Unmarshal(body, &resp); err != nil {
		p.t.Fatal(err)
	}
	// The key's own key agreement key, read with KeyDesk's one COSE parser.
	key, err := protocol.ParseCOSEKey(resp.Key)
	if err != nil || key.Algorithm != protocol.AlgECDHESHKDF256 {
		p.t.Fatalf("getKeyAgreement key: %v (alg %d)", err, key.Algorithm)
	}
	pub, err := ecdh.P256().NewPublicKey(append(append([]byte{4}, key.X...), key.Y...))
	if err != nil {
		p.t.Fatal(err)
	}
	priv, _ := ecdh.P256().GenerateKey(rand.Reader)
	z, err := priv.ECDH(pub)
	if err != nil {
		p.t.Fatal(err)
	}
	b := priv.PublicKey().Bytes()
	return coseKey{Kty: 2, Alg: algECDH, Crv: 1, X: b[1:33], Y: b[33:]}, proto.kdf(z)
}

func padPIN(pin string) []byte {
	b := make([]byte, 64)
	copy(b, pin)
	return b
}

func pinHash(pin string) []byte {
	h := sha256.Sum256([]byte(pin))
	return h[:16]
}

func (p *platform) setPIN(proto pinProtocol, pin string) byte {
	p.t.Helper()
	ka, shared := p.agree(proto)
	enc, err := proto.encrypt(shared, padPIN(pin))
	if err != nil {
		p.t.Fatal(err)
	}
	st, _ := p.ctap(cmdClientPIN, map[int]any{1: proto.version(), 2: pinSetPIN, 3: ka, 4: proto.authenticate(shared, enc), 5: enc})
	return st
}

// token gets a pinUvAuthToken: with permissions (subcommand 9) when perms is
// not zero, else with getPinToken (5).
func (p *platform) token(proto pinProtocol, pin string, perms byte, rpID string) ([]byte, byte) {
	p.t.Helper()
	ka, shared := p.agree(proto)
	phe, err := proto.encrypt(shared, pinHash(pin))
	if err != nil {
		p.t.Fatal(err)
	}
	req := map[int]any{1: proto.version(), 2: pinGetPinToken, 3: ka, 6: phe}
	if perms != 0 {
		req[2] = pinGetTokenUsingPIN
		req[9] = perms
		if rpID != "" {
			req[10] = rpID
		}
	}
	st, body := p.ctap(cmdClientPIN, req)
	if st != statusOK {
		return nil, st
	}
	var resp struct {
		Token []byte `cbor:"2,keyasint"`
	}
	if err := decMode.Unmarshal(body, &resp); err != nil {
		p.t.Fatal(err)
	}
	tok, err := proto.decrypt(shared, resp.Token)
	if err != nil {
		p.t.Fatal(err)
	}
	return tok, statusOK
}

func hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// makeCredReq is a minimal makeCredential request.
func makeCredReq(rpID string, userID string) map[int]any {
	return map[int]any{
		1: hash("cdh"),
		2: map[string]any{"id": rpID, "name": rpID},
		3: map[string]any{"id": []byte(userID), "name": userID},
		4: []map[string]any{{"alg": algES256, "type": "public-key"}},
	}
}
