package virtualkey

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// The U2F (CTAP1) side of the key, for ProfileU2F: raw U2F messages carried
// in CTAPHID_MSG (FIDO U2F Raw Message Formats v1.2, FIDO U2F HID Protocol
// v1.2 §4.1.1), as ISO 7816-4 APDUs in extended length encoding (libfido2's
// iso7816.c: CLA INS P1 P2 0x00 Lc1 Lc2 data, then Le1 Le2). A U2F key
// never waits for a touch inside a command: without a touch it answers
// SW_CONDITIONS_NOT_SATISFIED at once and starts blinking, and the
// platform asks again until the person touches the key (libfido2's
// u2f.c polls every 100 ms until its timeout).

// U2F instructions and control bytes (Raw Message Formats §4.1, §5.1).
const (
	u2fRegister     = 0x01
	u2fAuthenticate = 0x02
	u2fVersion      = 0x03

	u2fCheckOnly        = 0x07
	u2fEnforcePresence  = 0x03
	u2fDontEnforce      = 0x08
	u2fRegisterReserved = 0x05
	u2fPresenceFlag     = 0x01
)

// ISO 7816 status words a U2F key answers (Raw Message Formats §3.3).
const (
	swNoError                = 0x9000
	swConditionsNotSatisfied = 0x6985
	swWrongData              = 0x6A80
	swWrongLength            = 0x6700
	swInsNotSupported        = 0x6D00
	swClaNotSupported        = 0x6E00
)

// u2fTouchValid is how long a touch stays good for the next U2F command
// that needs one: the platform polls every 100 ms, so the touch is taken
// by the next poll; a touch nobody asks for again is forgotten.
const u2fTouchValid = 3 * time.Second

// u2fPresence is the state of a U2F key's presence request, guarded by
// Key.mu: the key blinks (pending) from the first command that needs a touch
// until the scripted person touches it (touchedAt) or PresenceTimeout
// passes, or a platform opens the key anew (CTAPHID_INIT on the broadcast
// channel: the operation that asked is over); gen tells a wait from one
// made before it ended.
type u2fPresence struct {
	pending   bool
	touched   bool
	touchedAt time.Time
	stop      chan struct{} // closed to end the pending request's wait
	gen       int
}

// end abandons the pending presence request, if any, and forgets a touch
// nobody took. Called with Key.mu held; waiting is the key's flag of the
// same name.
func (u *u2fPresence) end(waiting *bool) {
	if u.pending {
		close(u.stop)
		*waiting = false
	}
	*u = u2fPresence{gen: u.gen + 1}
}

// u2fMessage answers one CTAPHID_MSG: an APDU in, response data and a
// status word out.
func (k *Key) u2fMessage(apdu []byte) []byte {
	cla, ins, p1, data, ok := parseAPDU(apdu)
	if !ok {
		return sw(nil, swWrongLength)
	}
	if cla != 0 {
		return sw(nil, swClaNotSupported)
	}
	k.emit(Event{Kind: EventCommand, Command: ins})
	var resp []byte
	defer func() {
		status := byte(0)
		if n := len(resp); n >= 2 && binary.BigEndian.Uint16(resp[n-2:]) != swNoError {
			status = errOther
		}
		k.emit(Event{Kind: EventResponse, Command: ins, Status: status})
	}()
	k.mu.Lock()
	defer k.mu.Unlock()
	switch ins {
	case u2fVersion:
		if len(data) != 0 {
			resp = sw(nil, swWrongLength)
		} else {
			resp = sw([]byte("U2F_V2"), swNoError)
		}
	case u2fRegister:
		resp = k.u2fRegister(data)
	case u2fAuthenticate:
		resp = k.u2fAuthenticate(p1, data)
	default:
		resp = sw(nil, swInsNotSupported)
	}
	return resp
}

// parseAPDU reads an extended length APDU (ISO 7816-4 §5.1; what libfido2
// sends) or a short one (Lc of one byte); Le, if present, is ignored.
func parseAPDU(b []byte) (cla, ins, p1 byte, data []byte, ok bool) {
	if len(b) < 4 {
		return 0, 0, 0, nil, false
	}
	cla, ins, p1 = b[0], b[1], b[2]
	rest := b[4:]
	switch {
	case len(rest) == 0: // no data, no Le
	case rest[0] == 0 && len(rest) >= 3: // extended: 0x00 Lc1 Lc2
		n := int(binary.BigEndian.Uint16(rest[1:3]))
		if n == 0 { // 0x00 Le1 Le2 (no data), or an empty Lc and Le
			if len(rest) != 3 && len(rest) != 5 {
				return 0, 0, 0, nil, false
			}
			break
		}
		if len(rest) < 3+n || len(rest) > 3+n+2 {
			return 0, 0, 0, nil, false
		}
		data = rest[3 : 3+n]
	case len(rest) == 1: // short Le only
	default: // short Lc
		n := int(rest[0])
		if len(rest) < 1+n || len(rest) > 1+n+1 {
			return 0, 0, 0, nil, false
		}
		data = rest[1 : 1+n]
	}
	return cla, ins, p1, data, true
}

// sw appends a status word to data.
func sw(data []byte, word uint16) []byte {
	return binary.BigEndian.AppendUint16(data, word)
}

// u2fRegister is U2F_REGISTER (Raw Message Formats §4): challenge (32) and
// application (32) in; 0x05, the user public key (65), the key handle's
// length and the key handle, the attestation certificate and the signature
// over 0x00 | application | challenge | key handle | public key out. It
// needs a touch. Called with mu held.
func (k *Key) u2fRegister(data []byte) []byte {
	if len(data) != 64 {
		return sw(nil, swWrongLength)
	}
	challenge, app := data[:32], data[32:]
	if !k.u2fTakeTouch(u2fRegister) {
		return sw(nil, swConditionsNotSatisfied)
	}
	c, err := newCredKey(algES256, 1, false, false)
	if err != nil {
		return sw(nil, swWrongData)
	}
	kh, err := k.wrap(c, app)
	if err != nil {
		return sw(nil, swWrongData)
	}
	pub, err := c.ec.PublicKey.Bytes() // 0x04 | X | Y, 65 bytes
	if err != nil {
		return sw(nil, swWrongData)
	}
	msg := make([]byte, 0, 1+32+32+len(kh)+len(pub))
	msg = append(msg, 0x00)
	msg = append(msg, app...)
	msg = append(msg, challenge...)
	msg = append(msg, kh...)
	msg = append(msg, pub...)
	d := sha256.Sum256(msg)
	sig, err := k.att.batchKey.Sign(rand.Reader, d[:], crypto.SHA256)
	if err != nil {
		return sw(nil, swWrongData)
	}
	out := []byte{u2fRegisterReserved}
	out = append(out, pub...)
	out = append(out, byte(len(kh)))
	out = append(out, kh...)
	out = append(out, k.att.batchCert.Raw...)
	out = append(out, sig...)
	return sw(out, swNoError)
}

// u2fAuthenticate is U2F_AUTHENTICATE (Raw Message Formats §5): control
// byte p1, then challenge (32), application (32), key handle length and key
// handle in; user presence byte, counter (4, big-endian) and the signature
// over application | presence | counter | challenge out. A key handle that
// is not this key's for the application is SW_WRONG_DATA; check-only
// answers SW_CONDITIONS_NOT_SATISFIED for a key handle it knows (§5.1).
// Called with mu held.
func (k *Key) u2fAuthenticate(control byte, data []byte) []byte {
	if len(data) < 65 || len(data) != 65+int(data[64]) {
		return sw(nil, swWrongLength)
	}
	challenge, app, kh := data[:32], data[32:64], data[65:]
	c := k.unwrap(kh, app)
	if c == nil || c.alg != algES256 {
		return sw(nil, swWrongData)
	}
	var flags byte
	switch control {
	case u2fCheckOnly:
		return sw(nil, swConditionsNotSatisfied)
	case u2fEnforcePresence:
		if !k.u2fTakeTouch(u2fAuthenticate) {
			return sw(nil, swConditionsNotSatisfied)
		}
		flags = u2fPresenceFlag
	case u2fDontEnforce:
	default:
		return sw(nil, swWrongData)
	}
	k.st.Counter++
	if err := k.save(); err != nil {
		return sw(nil, swWrongData)
	}
	out := []byte{flags}
	out = binary.BigEndian.AppendUint32(out, k.st.Counter)
	msg := make([]byte, 0, 32+1+4+32)
	msg = append(msg, app...)
	msg = append(msg, out...)
	msg = append(msg, challenge...)
	sig, err := c.sign(msg)
	if err != nil {
		return sw(nil, swWrongData)
	}
	return sw(append(out, sig...), swNoError)
}

// u2fTakeTouch reports whether the person has touched the key for this
// command, consuming the touch; if not, the key starts blinking (a presence
// request that the script answers) and the command is answered
// SW_CONDITIONS_NOT_SATISFIED. Called with mu held.
func (k *Key) u2fTakeTouch(ins byte) bool {
	u := &k.script.u2f
	if u.touched {
		u.touched = false
		if k.opts.Now().Sub(u.touchedAt) <= u2fTouchValid {
			k.script.touches++
			return true
		}
	}
	if !u.pending {
		u.pending = true
		u.stop = make(chan struct{})
		k.script.waiting = true
		select { // a touch from before the request does not count
		case <-k.script.touch:
		default:
		}
		go k.u2fWait(ins, u.gen, u.stop, k.script.presence)
	}
	return false
}

// u2fWait is one presence request of a U2F key: it asks the simulated user,
// as waitPresence does for CTAP2, and latches a touch for the platform's
// next poll. A U2F key cannot refuse (U2F has no status for it), so a
// person scripted to deny is a person who does not touch; the request ends
// after PresenceTimeout without a touch, and the next poll starts another.
func (k *Key) u2fWait(ins byte, gen int, stop <-chan struct{}, p Presence) {
	k.emit(Event{Kind: EventWaitingPresence, Command: ins})
	timeout := time.NewTimer(k.opts.PresenceTimeout)
	defer timeout.Stop()
	var after <-chan time.Time
	var touch <-chan struct{}
	switch p.Mode {
	case PresenceGranted:
		d := time.NewTimer(p.Delay)
		defer d.Stop()
		after = d.C
	case PresenceManual:
		touch = k.script.touch
	}
	st := errUserActionTimeout
	select {
	case <-stop:
		st = errKeepaliveCancel
	case <-timeout.C:
	case <-touch:
		st = statusOK
	case <-after:
		st = statusOK
	}
	k.mu.Lock()
	u := &k.script.u2f
	if u.gen == gen {
		u.pending = false
		k.script.waiting = false
		if st == statusOK {
			u.touched, u.touchedAt = true, k.opts.Now()
		}
	} else if st == statusOK {
		st = errKeepaliveCancel // ended meanwhile (unplugged, abandoned): the touch is lost
	}
	k.mu.Unlock()
	k.emit(Event{Kind: EventPresence, Command: ins, Status: st})
}

// u2fNewSession ends a U2F key's presence request when a platform opens
// the key anew.
func (k *Key) u2fNewSession() {
	if !k.opts.Profile.u2fOnly() {
		return
	}
	k.mu.Lock()
	k.script.u2f.end(&k.script.waiting)
	k.mu.Unlock()
}
