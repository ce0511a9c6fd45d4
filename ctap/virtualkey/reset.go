package virtualkey

// reset is authenticatorReset (CTAP 2.1 §6.6): allowed only within
// Options.ResetWindow (10 s) of power-up, and only with user presence. It
// wipes discoverable credentials, the PIN and the credential wrapping key
// (so non-discoverable credentials die too); the attestation material stays.
func (k *Key) reset(t *txn) []byte {
	if k.opts.Now().Sub(k.powerUp) > k.opts.ResetWindow {
		return fail(errNotAllowed)
	}
	if st := k.waitPresence(t); st != statusOK {
		return fail(st)
	}
	if err := k.st.wipe(); err != nil {
		return fail(errOther)
	}
	k.failures = 0
	k.token = pinToken{}
	if err := k.newKeyAgreement(); err != nil {
		return fail(errOther)
	}
	if err := k.save(); err != nil {
		return fail(errOther)
	}
	return fail(statusOK)
}
