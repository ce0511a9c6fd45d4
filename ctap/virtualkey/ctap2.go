package virtualkey

import (
	"context"
	"sync/atomic"
)

// CTAP 2.1 command bytes (§6).
const (
	cmdMakeCredential   = 0x01
	cmdGetAssertion     = 0x02
	cmdGetInfo          = 0x04
	cmdClientPIN        = 0x06
	cmdReset            = 0x07
	cmdGetNextAssertion = 0x08
	cmdCredMgmt         = 0x0A
	cmdSelection        = 0x0B
	cmdCredMgmtPreview  = 0x41 // the FIDO_2_1_PRE command libfido2 1.12 sends
)

// CTAPHID_KEEPALIVE statuses.
const (
	keepaliveProcessing = 1
	keepaliveUPNeeded   = 2
)

// txn is one CTAP command in flight. ctx ends when the platform cancels
// (CTAPHID_CANCEL, a new INIT on the channel, the connection closing) or
// when the watchdog's deadline passes.
type txn struct {
	ctx    context.Context
	cmd    byte
	status atomic.Uint32
}

func newTxn(ctx context.Context) *txn {
	t := &txn{ctx: ctx}
	t.status.Store(keepaliveProcessing)
	return t
}

func (t *txn) setStatus(s byte) { t.status.Store(uint32(s)) }

// abortStatus is the answer to a command whose context ended.
func (t *txn) abortStatus() byte {
	if t.ctx.Err() == context.DeadlineExceeded {
		return errUserActionTimeout
	}
	return errKeepaliveCancel
}

// process runs one CTAP request (command byte and CBOR parameters) and
// returns the response (status byte and CBOR). It never panics: a bug
// answers CTAP1_ERR_OTHER.
func (k *Key) process(t *txn, req []byte) (resp []byte) {
	if len(req) == 0 {
		return fail(errInvalidLength)
	}
	t.cmd = req[0]
	k.emit(Event{Kind: EventCommand, Command: t.cmd})
	defer func() {
		if r := recover(); r != nil {
			resp = fail(errOther)
		}
		if t.cmd == cmdReset && resp[0] == statusOK {
			k.emit(Event{Kind: EventReset})
		}
		k.emit(Event{Kind: EventResponse, Command: t.cmd, Status: resp[0]})
	}()
	if len(req) > MaxMsgSize {
		return fail(errRequestTooLarge)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	failStatus, corrupt := k.takeScript(t.cmd)
	if t.cmd != cmdGetNextAssertion {
		k.next = nil
	}
	if t.cmd != cmdCredMgmt && t.cmd != cmdCredMgmtPreview {
		k.cmState = nil
	}
	if failStatus > 0 {
		return fail(byte(failStatus - 1))
	}
	resp = k.dispatch(t, req[0], req[1:])
	if corrupt {
		resp = corruptResponse(resp)
	}
	return resp
}

// dispatch runs a command with mu held.
func (k *Key) dispatch(t *txn, cmd byte, body []byte) []byte {
	if !k.opts.Profile.cmdOK(cmd) {
		return fail(errInvalidCommand)
	}
	switch cmd {
	case cmdGetInfo:
		return k.getInfo()
	case cmdGetNextAssertion:
		return k.getNextAssertion()
	case cmdSelection:
		return fail(k.waitPresence(t))
	case cmdReset:
		return k.reset(t)
	}
	p, st := parseParams(body)
	if st != statusOK {
		return fail(st)
	}
	switch cmd {
	case cmdMakeCredential:
		return k.makeCredential(t, p)
	case cmdGetAssertion:
		return k.getAssertion(t, p)
	case cmdClientPIN:
		if k.opts.NoClientPIN {
			return fail(errInvalidCommand)
		}
		return k.clientPIN(p)
	case cmdCredMgmt, cmdCredMgmtPreview:
		if k.opts.NoCredMgmt {
			return fail(errInvalidCommand)
		}
		return k.credMgmt(p)
	default:
		return fail(errInvalidCommand)
	}
}
