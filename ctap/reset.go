package ctap

import (
	"context"
	"slices"
	"time"
)

// Factory reset (CTAP 2.1 §6.6 authenticatorReset).

// ResetSupported reports whether a key with this getInfo can be reset
// through CTAP2: every FIDO2 key can (the command is mandatory), a key that
// speaks only U2F cannot.
func ResetSupported(info *Info) bool {
	if info == nil {
		return false
	}
	return slices.ContainsFunc(info.Versions, isFIDO2Version)
}

// isFIDO2Version reports whether a getInfo version names a CTAP2 protocol.
func isFIDO2Version(v string) bool {
	return v == "FIDO_2_0" || v == "FIDO_2_1_PRE" || v == "FIDO_2_1" || v == "FIDO_2_2"
}

// Reset erases every credential and the PIN. Keys allow it only for a few
// seconds after being plugged in, and ask for a touch.
func (d *Device) Reset(ctx context.Context, p Prompter) error {
	p = orNoPrompter(p)
	done := p.Touch(TouchRequest{Device: d.path, Purpose: TouchReset, Deadline: deadline(ctx, 30*time.Second)})
	defer done()
	return d.call(ctx, "reset", resetTimeout, (*conn).reset)
}
