package virtualkey

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"
)

// Authenticator data flags (WebAuthn §6.1).
const (
	flagUP = 0x01
	flagUV = 0x04
	flagAT = 0x40
	flagED = 0x80
)

// Credential protection levels (CTAP 2.1 §12.1).
const (
	credProtectUVOptional       = 1
	credProtectUVOptionalWithID = 2
	credProtectUVRequired       = 3
)

// maxUserIDLength is the longest user handle WebAuthn allows.
const maxUserIDLength = 64

// makeCredential is authenticatorMakeCredential (CTAP 2.1 §6.1), in the
// order of its §6.1.2 steps.
func (k *Key) makeCredential(t *txn, p params) []byte {
	var cdh []byte
	var rp, user textMap
	var algs []textMap
	for _, f := range []struct {
		key uint64
		dst any
	}{{0x01, &cdh}, {0x02, &rp}, {0x03, &user}, {0x04, &algs}} {
		var st byte
		switch d := f.dst.(type) {
		case *[]byte:
			st = mustField(p, f.key, d)
		case *textMap:
			st = mustField(p, f.key, d)
		case *[]textMap:
			st = mustField(p, f.key, d)
		}
		if st != statusOK {
			return fail(st)
		}
	}
	var exclude []textMap
	var exts, opts textMap
	if _, st := field(p, 0x05, &exclude); st != statusOK {
		return fail(st)
	}
	if len(exclude) > MaxCredentialCountInList {
		// More than getInfo promised: a client must send it in batches.
		return fail(errLimitExceeded)
	}
	if _, st := field(p, 0x06, &exts); st != statusOK {
		return fail(st)
	}
	if _, st := field(p, 0x07, &opts); st != statusOK {
		return fail(st)
	}
	var rpID, rpName string
	if st := mustText(rp, "id", &rpID); st != statusOK {
		return fail(st)
	}
	if _, st := rp.get("name", &rpName); st != statusOK {
		return fail(st)
	}
	var userID []byte
	var userName, displayName string
	if ok, st := user.get("id", &userID); st != statusOK {
		return fail(st)
	} else if !ok {
		return fail(errMissingParameter)
	}
	if len(userID) == 0 || len(userID) > maxUserIDLength {
		return fail(errInvalidParameter)
	}
	if _, st := user.get("name", &userName); st != statusOK {
		return fail(st)
	}
	if _, st := user.get("displayName", &displayName); st != statusOK {
		return fail(st)
	}
	if len(cdh) != 32 {
		return fail(errInvalidParameter)
	}

	// Step 1 and 2: pinUvAuthParam and its protocol.
	param, proto, hasAuth, st := k.pinUvAuthParams(p, 0x08, 0x09)
	if hasAuth && len(param) == 0 && st == statusOK {
		return fail(k.touchForPINState(t))
	}
	if st != statusOK {
		return fail(st)
	}
	// Step 3: the first supported algorithm in the RP's order.
	alg, st := chooseAlgorithm(algs)
	if st != statusOK {
		return fail(st)
	}
	// Step 5: options.
	rk, up, uv, st := readOptions(opts, "rk", "up", "uv")
	if st != statusOK {
		return fail(st)
	}
	if up != nil && !*up {
		return fail(errInvalidOption)
	}
	if uv != nil && *uv && !hasAuth {
		return fail(errInvalidOption) // no built-in user verification
	}
	resident := rk != nil && *rk
	if resident && !k.opts.Profile.residentKeys() {
		return fail(errUnsupportedOption)
	}
	// Step 6: a key with a PIN needs a token unless makeCredUvNotRqd lets a
	// non-discoverable credential through.
	if k.st.PINHash != nil && !hasAuth && (resident || !k.opts.Profile.makeCredUvNotRqd()) {
		return fail(errPUATRequired)
	}
	// Step 8: enterprise attestation is not supported.
	if _, ok := p[0x0A]; ok {
		return fail(errInvalidParameter)
	}
	rpIDHash := sha256.Sum256([]byte(rpID))
	verified := false
	if hasAuth {
		if st := k.checkPinUvAuth(proto, param, cdh, permMakeCredential, rpID); st != statusOK {
			return fail(st)
		}
		verified = true
	}
	// Step 10: excludeList.
	for _, d := range exclude {
		id, st := descriptorID(d)
		if st != statusOK {
			return fail(st)
		}
		if id == nil {
			continue
		}
		c := k.findCredential(id, rpIDHash[:])
		if c == nil || (c.credProtect == credProtectUVRequired && !verified) {
			continue
		}
		if st := k.waitPresence(t); st != statusOK {
			return fail(st)
		}
		return fail(errCredentialExcluded)
	}
	// Step 11: extensions.
	credProtect := byte(credProtectUVOptional)
	outExts := map[string]any{}
	if exts != nil {
		var cp uint64
		if ok, st := exts.get("credProtect", &cp); st != statusOK {
			return fail(st)
		} else if ok && cp >= credProtectUVOptional && cp <= credProtectUVRequired {
			credProtect = byte(cp)
			outExts["credProtect"] = cp
		}
	}
	hmacSecret := false
	if exts != nil {
		if ok, st := exts.get("hmac-secret", &hmacSecret); st != statusOK {
			return fail(st)
		} else if ok && hmacSecret {
			outExts["hmac-secret"] = true
		}
	}
	replace := -1
	if resident {
		for i, c := range k.st.Creds {
			if c.RPID == rpID && slices.Equal(c.UserID, userID) {
				replace = i
			}
		}
		if replace < 0 && len(k.st.Creds) >= k.opts.MaxResident {
			return fail(errKeyStoreFull)
		}
	}
	// Step 12: user presence.
	if st := k.waitPresence(t); st != statusOK {
		return fail(st)
	}
	// Step 13: the credential.
	c, err := newCredKey(alg, credProtect, hmacSecret, resident)
	if err != nil {
		return fail(errOther)
	}
	id, err := k.wrap(c, rpIDHash[:])
	if err != nil {
		return fail(errOther)
	}
	if resident {
		if replace >= 0 {
			k.st.Creds = slices.Delete(k.st.Creds, replace, replace+1)
		}
		k.st.Seq++
		k.st.Creds = append(k.st.Creds, resCred{
			ID: id, RPID: rpID, RPName: rpName, UserID: userID, UserName: userName,
			DisplayName: displayName, Created: k.opts.Now().UTC(), Seq: k.st.Seq,
		})
	}
	k.st.Counter++
	flags := byte(flagUP | flagAT)
	if verified {
		flags |= flagUV
	}
	pub, err := encMode.Marshal(c.publicKey())
	if err != nil {
		return fail(errOther)
	}
	ad := make([]byte, 0, 37+16+2+len(id)+len(pub)+32)
	ad = append(ad, rpIDHash[:]...)
	ad = append(ad, flags)
	ad = binary.BigEndian.AppendUint32(ad, k.st.Counter)
	ad = append(ad, k.st.AAGUID...)
	ad = binary.BigEndian.AppendUint16(ad, uint16(len(id)))
	ad = append(ad, id...)
	ad = append(ad, pub...)
	if ad, err = appendExtensions(ad, outExts); err != nil {
		return fail(errOther)
	}
	format, stmt, err := k.attStmt(k.opts.Attestation, c, ad, cdh)
	if err != nil {
		return fail(errOther)
	}
	if err := k.save(); err != nil {
		return fail(errOther)
	}
	if verified {
		k.token.perms &^= permMakeCredential | permGetAssertion
	}
	return reply(map[int]any{0x01: format, 0x02: ad, 0x03: stmt})
}

// appendExtensions sets the ED flag and appends the extension outputs, when
// there are any.
func appendExtensions(ad []byte, exts map[string]any) ([]byte, error) {
	if len(exts) == 0 {
		return ad, nil
	}
	b, err := encMode.Marshal(exts)
	if err != nil {
		return nil, err
	}
	ad[32] |= flagED
	return append(ad, b...), nil
}

// touchForPINState answers the zero-length pinUvAuthParam probe platforms use
// to let the user pick a key (CTAP 2.1 §6.1.2 step 1).
func (k *Key) touchForPINState(t *txn) byte {
	if st := k.waitPresence(t); st != statusOK {
		if st == errUserActionTimeout || st == errKeepaliveCancel {
			return st
		}
		return errOperationDenied
	}
	if k.st.PINHash != nil {
		return errPINInvalid
	}
	return errPINNotSet
}

// chooseAlgorithm returns the first entry of pubKeyCredParams the key
// supports.
func chooseAlgorithm(algs []textMap) (int, byte) {
	for _, a := range algs {
		var typ string
		var alg int
		if ok, st := a.get("type", &typ); st != statusOK {
			return 0, st
		} else if !ok {
			return 0, errMissingParameter
		}
		if ok, st := a.get("alg", &alg); st != statusOK {
			return 0, st
		} else if !ok {
			return 0, errMissingParameter
		}
		if typ == "public-key" && (alg == algES256 || alg == algEdDSA) {
			return alg, statusOK
		}
	}
	return 0, errUnsupportedAlgorithm
}

// readOptions reads boolean options; absent ones are nil.
func readOptions(opts textMap, names ...string) (a, b, c *bool, st byte) {
	out := make([]*bool, len(names))
	for i, n := range names {
		var v bool
		ok, st := opts.get(n, &v)
		if st != statusOK {
			return nil, nil, nil, st
		}
		if ok {
			out[i] = &v
		}
	}
	for len(out) < 3 {
		out = append(out, nil)
	}
	return out[0], out[1], out[2], statusOK
}

func mustText(m textMap, key string, dst *string) byte {
	ok, st := m.get(key, dst)
	if st != statusOK {
		return st
	}
	if !ok {
		return errMissingParameter
	}
	return statusOK
}

// descriptorID reads a PublicKeyCredentialDescriptor; nil ID means "not a
// public-key credential, skip it".
func descriptorID(d textMap) ([]byte, byte) {
	var typ string
	var id []byte
	if ok, st := d.get("type", &typ); st != statusOK {
		return nil, st
	} else if !ok {
		return nil, errMissingParameter
	}
	if ok, st := d.get("id", &id); st != statusOK {
		return nil, st
	} else if !ok {
		return nil, errMissingParameter
	}
	if typ != "public-key" {
		return nil, statusOK
	}
	return id, statusOK
}

// findCredential opens a credential ID for the RP; a discoverable credential
// counts only while it is still stored (credential management may have
// deleted it).
func (k *Key) findCredential(id, rpIDHash []byte) *credKey {
	c := k.unwrap(id, rpIDHash)
	if c == nil || (c.resident && k.resident(id) < 0) {
		return nil
	}
	return c
}

// resident returns the index of the stored credential with this ID, or -1.
func (k *Key) resident(id []byte) int {
	for i := range k.st.Creds {
		if slices.Equal(k.st.Creds[i].ID, id) {
			return i
		}
	}
	return -1
}
