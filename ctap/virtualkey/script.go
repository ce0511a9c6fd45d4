package virtualkey

import (
	"sync/atomic"
	"time"
)

// PresenceMode is how the simulated user answers a request for presence.
type PresenceMode int

const (
	// PresenceGranted: the user touches the key after Delay.
	PresenceGranted PresenceMode = iota
	// PresenceDenied: the key reports a refusal after Delay
	// (CTAP2_ERR_OPERATION_DENIED), as a key with a "deny" button would.
	PresenceDenied
	// PresenceNever: nobody touches the key; the wait ends after
	// Options.PresenceTimeout with CTAP2_ERR_USER_ACTION_TIMEOUT.
	PresenceNever
	// PresenceManual: the key waits for Touch (a demo's "touch" button) or the
	// timeout.
	PresenceManual
)

// Presence scripts user presence.
type Presence struct {
	Mode  PresenceMode
	Delay time.Duration
}

// scriptState is what tests and demos set; guarded by Key.mu.
type scriptState struct {
	presence  Presence
	touch     chan struct{}
	failNext  int // -1 or 0: none; else status+1
	corrupt   bool
	unplugged bool
	silent    atomic.Bool // read without mu: answers are written with and without it
	touches   int
	waiting   bool
	u2f       u2fPresence // ProfileU2F's presence request (u2f.go)
}

// SetPresence changes how user presence is answered from the next wait on.
func (k *Key) SetPresence(p Presence) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.script.presence = p
}

// Touch is the user touching the key while it waits in PresenceManual mode.
// It is ignored when nothing is waiting.
func (k *Key) Touch() {
	select {
	case k.script.touch <- struct{}{}:
	default:
	}
}

// Touches counts the user presences the key has consumed.
func (k *Key) Touches() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.script.touches
}

// Waiting reports whether the key is waiting for user presence now.
func (k *Key) Waiting() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.script.waiting
}

// FailNext makes the next CTAP command answer with status and nothing else,
// without running. getInfo is exempt: libfido2 sends it on every open, and
// failing it would make libfido2 fall back to U2F rather than report the
// status.
func (k *Key) FailNext(status byte) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.script.failNext = int(status) + 1
}

// CorruptNext makes the key corrupt the CBOR of the next response (getInfo
// exempt, as for FailNext): the command runs, its effects stay, and the
// platform receives undecodable CBOR.
func (k *Key) CorruptNext() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.script.corrupt = true
}

// SetAttestation changes the attestation of credentials made from now on.
func (k *Key) SetAttestation(m AttestationMode) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.opts.Attestation = m
}

// Unplug pulls the key out: open connections drop (a command in progress
// never answers) and new ones are closed at once, until Replug.
func (k *Key) Unplug() {
	k.mu.Lock()
	k.script.unplugged = true
	k.mu.Unlock()
	k.emit(Event{Kind: EventUnplugged})
	k.cidMu.Lock()
	conns := make([]*hidConn, 0, len(k.conns))
	for c := range k.conns {
		conns = append(conns, c)
	}
	k.cidMu.Unlock()
	for _, c := range conns {
		c.close()
	}
}

// Replug plugs the key back in: a power cycle, which ends a PIN auth block
// (three wrong PINs in a row), forgets channels and tokens, and restarts the
// window in which reset is allowed.
func (k *Key) Replug() error {
	k.mu.Lock()
	err := k.powerCycle()
	k.script.unplugged = false
	k.mu.Unlock()
	k.cidMu.Lock()
	k.cidBase = k.nextCID
	k.cidMu.Unlock()
	k.emit(Event{Kind: EventReplugged})
	return err
}

// SetSilent makes the key hang (on) or come back (off): while silent it
// accepts connections and reads every report but answers nothing, not even
// CTAPHID_INIT or a keepalive, as a key whose firmware hangs would. Only a
// deadline on the platform's side ends a wait on it.
func (k *Key) SetSilent(on bool) { k.script.silent.Store(on) }

func (k *Key) silent() bool { return k.script.silent.Load() }

func (k *Key) unplugged() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.script.unplugged
}

// takeScript consumes the scripted fault for a command. Called with mu held.
func (k *Key) takeScript(cmd byte) (failStatus int, corrupt bool) {
	if cmd == cmdGetInfo {
		return 0, false
	}
	failStatus, corrupt = k.script.failNext, k.script.corrupt
	k.script.failNext, k.script.corrupt = 0, false
	return failStatus, corrupt
}

// corruptResponse keeps the status byte and breaks the CBOR after it: a map
// header announcing more pairs than follow.
func corruptResponse(resp []byte) []byte {
	if len(resp) == 0 || resp[0] != statusOK {
		return resp
	}
	out := []byte{statusOK, 0xb7} // map of 23 pairs
	if len(resp) > 2 {
		out = append(out, resp[2:len(resp)/2+1]...)
	}
	return out
}

// waitPresence asks the simulated user for presence (CTAP 2.1 §6.1.2 "user
// presence"). It is called with mu held and releases it while it waits, so
// scripts (SetPresence, Touch, Unplug) act on a key that is waiting.
func (k *Key) waitPresence(t *txn) byte {
	p := k.script.presence
	k.script.waiting = true
	select { // a touch from before the request does not count
	case <-k.script.touch:
	default:
	}
	var st byte
	func() {
		k.mu.Unlock()
		defer k.mu.Lock() // even if a hook panics: process's deferred Unlock needs it held
		t.setStatus(keepaliveUPNeeded)
		defer t.setStatus(keepaliveProcessing)
		k.emit(Event{Kind: EventWaitingPresence, Command: t.cmd})
		st = k.presenceOutcome(t, p)
		k.emit(Event{Kind: EventPresence, Command: t.cmd, Status: st})
	}()
	k.script.waiting = false
	if st == statusOK {
		k.script.touches++
	}
	return st
}

func (k *Key) presenceOutcome(t *txn, p Presence) byte {
	timeout := time.NewTimer(k.opts.PresenceTimeout)
	defer timeout.Stop()
	var after <-chan time.Time
	var touch <-chan struct{}
	switch p.Mode {
	case PresenceGranted, PresenceDenied:
		d := time.NewTimer(p.Delay)
		defer d.Stop()
		after = d.C
	case PresenceManual:
		touch = k.script.touch
	}
	select {
	case <-t.ctx.Done():
		return t.abortStatus()
	case <-timeout.C:
		return errUserActionTimeout
	case <-touch:
		return statusOK
	case <-after:
		if p.Mode == PresenceDenied {
			return errOperationDenied
		}
		return statusOK
	}
}

// Status is a snapshot of the key for a demo screen or a test.
type Status struct {
	PINSet      bool
	PINRetries  int
	AuthBlocked bool // three wrong PINs since power-up: Replug to retry
	Counter     uint32
	Resident    int // discoverable credentials stored
	MaxResident int
	Unplugged   bool
	Waiting     bool // waiting for user presence
}

// Status returns the key's current state.
func (k *Key) Status() Status {
	k.mu.Lock()
	defer k.mu.Unlock()
	return Status{
		PINSet:      k.st.PINHash != nil,
		PINRetries:  k.st.Retries,
		AuthBlocked: k.failures >= pinAttemptsPerBoot,
		Counter:     k.st.Counter,
		Resident:    len(k.st.Creds),
		MaxResident: k.opts.MaxResident,
		Unplugged:   k.script.unplugged,
		Waiting:     k.script.waiting,
	}
}
