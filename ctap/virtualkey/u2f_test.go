package virtualkey

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"slices"
	"sync"
	"testing"
	"time"
)

// apdu is a U2F request as libfido2 frames it (iso7816.c): extended length,
// then Le 0x0000.
func apdu(ins, p1 byte, data []byte) []byte {
	b := []byte{0, ins, p1, 0, 0, byte(len(data) >> 8), byte(len(data))}
	return append(append(b, data...), 0, 0)
}

// u2f sends one U2F message and returns data and status word.
func (p *platform) u2f(ins, p1 byte, data []byte) ([]byte, uint16) {
	p.t.Helper()
	cmd, resp := p.transact(hidMsg, apdu(ins, p1, data))
	if cmd != hidMsg || len(resp) < 2 {
		p.t.Fatalf("U2F answer %02x %x", cmd, resp)
	}
	n := len(resp)
	return resp[:n-2], binary.BigEndian.Uint16(resp[n-2:])
}

// u2fPoll repeats a U2F message while it answers 0x6985, as libfido2 does.
func (p *platform) u2fPoll(ins, p1 byte, data []byte) ([]byte, uint16) {
	p.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, sw := p.u2f(ins, p1, data)
		if sw != swConditionsNotSatisfied || time.Now().After(deadline) {
			return resp, sw
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestU2FRawMessages: the U2F profile speaks FIDO U2F Raw Message Formats
// v1.2 in CTAPHID_MSG and no CTAP2: its INIT answer has no CBOR
// capability, a registration carries the test CA's certificate and a
// signature over 0x00|app|challenge|key handle|key, authentication's three
// control bytes behave as §5.1 says, and the status words of §3.3 answer
// what is wrong.
func TestU2FRawMessages(t *testing.T) {
	k := newTestKey(t, Options{Profile: ProfileU2F, Presence: Presence{Delay: 50 * time.Millisecond}})
	p := connect(t, k)
	p.send(initPacket(cidBroadcast, hidInit, 8, []byte("ABCDEFGH")))
	if _, data := p.read(cidBroadcast); data[16] != capWink {
		t.Fatalf("INIT capabilities %02x, want WINK only (no CBOR, U2F messages)", data[16])
	}
	p.send(initPacket(p.cid, hidCBOR, 1, []byte{cmdGetInfo}))
	wantHIDError(t, p.recv(), p.cid, hidErrInvalidCmd)

	if v, sw := p.u2f(u2fVersion, 0, nil); sw != swNoError || string(v) != "U2F_V2" {
		t.Fatalf("U2F_VERSION %q %04x", v, sw)
	}
	if _, sw := p.u2f(0x40, 0, nil); sw != swInsNotSupported {
		t.Errorf("unknown instruction: %04x", sw)
	}
	if _, sw := p.transact(hidMsg, []byte{0x80, u2fVersion, 0, 0, 0, 0, 0}); sw[len(sw)-2] != 0x6E || sw[len(sw)-1] != 0 {
		t.Errorf("class 0x80: %x", sw)
	}
	if _, sw := p.u2f(u2fRegister, 0, make([]byte, 63)); sw != swWrongLength {
		t.Errorf("short register: %04x", sw)
	}

	challenge := sha256.Sum256([]byte("challenge"))
	app := sha256.Sum256([]byte("example.com"))
	// Without a touch the first answer is "conditions not satisfied".
	if _, sw := p.u2f(u2fRegister, 0, slices.Concat(challenge[:], app[:])); sw != swConditionsNotSatisfied {
		t.Fatalf("register before the touch: %04x", sw)
	}
	reg, sw := p.u2fPoll(u2fRegister, 0, slices.Concat(challenge[:], app[:]))
	if sw != swNoError || reg[0] != 0x05 || reg[1] != 0x04 {
		t.Fatalf("register: %04x %x", sw, reg[:2])
	}
	pub := reg[1:66]
	kh := reg[67 : 67+int(reg[66])]
	rest := reg[67+len(kh):]
	cert, err := x509.ParseCertificate(rest[:len(k.BatchCertificate().Raw)])
	if err != nil || !cert.Equal(k.BatchCertificate()) {
		t.Fatalf("attestation certificate: %v", err)
	}
	sig := rest[len(cert.Raw):]
	d := sha256.Sum256(slices.Concat([]byte{0}, app[:], challenge[:], kh, pub))
	if !ecdsa.VerifyASN1(cert.PublicKey.(*ecdsa.PublicKey), d[:], sig) {
		t.Fatal("registration signature does not verify")
	}
	userKey, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), pub)
	if err != nil {
		t.Fatalf("user public key: %v", err)
	}

	auth := func(control byte, app []byte, kh []byte) ([]byte, uint16) {
		data := slices.Concat(challenge[:], app, []byte{byte(len(kh))}, kh)
		if control == u2fCheckOnly {
			return p.u2f(u2fAuthenticate, control, data) // 0x6985 is its answer
		}
		return p.u2fPoll(u2fAuthenticate, control, data)
	}
	if _, sw := auth(u2fCheckOnly, app[:], kh); sw != swConditionsNotSatisfied {
		t.Errorf("check-only, own key handle: %04x", sw)
	}
	other := sha256.Sum256([]byte("other.example"))
	if _, sw := auth(u2fCheckOnly, other[:], kh); sw != swWrongData {
		t.Errorf("check-only, another site: %04x", sw)
	}
	if _, sw := auth(u2fEnforcePresence, app[:], append(bytes.Clone(kh[:len(kh)-1]), kh[len(kh)-1]^1)); sw != swWrongData {
		t.Errorf("a damaged key handle: %04x", sw)
	}
	touches := k.Touches()
	var last uint32
	for _, tc := range []struct {
		control byte
		flags   byte
	}{{u2fEnforcePresence, 1}, {u2fDontEnforce, 0}} {
		resp, sw := auth(tc.control, app[:], kh)
		if sw != swNoError || resp[0] != tc.flags {
			t.Fatalf("authenticate %02x: %04x %x", tc.control, sw, resp)
		}
		ctr := binary.BigEndian.Uint32(resp[1:5])
		if ctr <= last {
			t.Errorf("counter %d after %d", ctr, last)
		}
		last = ctr
		d := sha256.Sum256(slices.Concat(app[:], resp[:5], challenge[:]))
		if !ecdsa.VerifyASN1(userKey, d[:], resp[5:]) {
			t.Errorf("authenticate %02x: signature does not verify", tc.control)
		}
	}
	if k.Touches() != touches+1 {
		t.Errorf("touches %d, want one (dont-enforce needs none)", k.Touches()-touches)
	}
}

// TestU2FPresenceScript: the scripted person answers a U2F key's presence
// request as a CTAP2 key's: a touch is taken by the next poll, nobody
// touching keeps the key answering 0x6985, and a U2F key cannot refuse.
func TestU2FPresenceScript(t *testing.T) {
	k := newTestKey(t, Options{Profile: ProfileU2F, PresenceTimeout: 300 * time.Millisecond})
	p := connect(t, k)
	req := slices.Concat(make([]byte, 32), make([]byte, 32))
	var mu sync.Mutex
	var events []EventKind
	k.OnEvent(func(e Event) {
		if e.Kind == EventWaitingPresence || e.Kind == EventPresence {
			mu.Lock()
			events = append(events, e.Kind)
			mu.Unlock()
		}
	})
	for _, mode := range []PresenceMode{PresenceNever, PresenceDenied} {
		k.SetPresence(Presence{Mode: mode})
		end := time.Now().Add(500 * time.Millisecond)
		for time.Now().Before(end) {
			if _, sw := p.u2f(u2fRegister, 0, req); sw != swConditionsNotSatisfied {
				t.Fatalf("mode %d: %04x", mode, sw)
			}
			time.Sleep(20 * time.Millisecond)
		}
		p.init() // a new platform session ends the request
	}
	k.SetPresence(Presence{Mode: PresenceManual})
	if _, sw := p.u2f(u2fRegister, 0, req); sw != swConditionsNotSatisfied || !k.Waiting() {
		t.Fatalf("manual: %04x, waiting %v", sw, k.Waiting())
	}
	k.Touch()
	if _, sw := p.u2fPoll(u2fRegister, 0, req); sw != swNoError {
		t.Fatalf("after the touch: %04x", sw)
	}
	if k.Waiting() {
		t.Error("still waiting after the touch")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) < 4 || events[0] != EventWaitingPresence {
		t.Errorf("events %v", events)
	}
}

// FuzzU2FMessage runs arbitrary CTAPHID_MSG payloads through a U2F key:
// each gets an answer ending in a status word, and data only with 0x9000;
// none panics.
func FuzzU2FMessage(f *testing.F) {
	app := sha256.Sum256([]byte("example.com"))
	f.Add(apdu(u2fVersion, 0, nil))
	f.Add(apdu(u2fRegister, 0, make([]byte, 64)))
	f.Add(apdu(u2fAuthenticate, u2fCheckOnly, slices.Concat(make([]byte, 32), app[:], []byte{4, 1, 2, 3, 4})))
	f.Add(apdu(u2fAuthenticate, u2fDontEnforce, slices.Concat(make([]byte, 32), app[:], []byte{0})))
	f.Add([]byte{0, u2fRegister, 0, 0, 64})
	f.Add([]byte{0x80, u2fVersion, 0, 0})
	k := newTestKey(f, Options{Profile: ProfileU2F, PresenceTimeout: 10 * time.Millisecond})
	f.Fuzz(func(t *testing.T, msg []byte) {
		resp := k.u2fMessage(msg)
		n := len(resp)
		if n < 2 {
			t.Fatalf("answer %x without a status word", resp)
		}
		if sw := binary.BigEndian.Uint16(resp[n-2:]); sw != swNoError && n != 2 {
			t.Fatalf("status %04x with data %x", sw, resp[:n-2])
		}
	})
}
