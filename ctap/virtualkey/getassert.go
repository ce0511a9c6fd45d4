package virtualkey

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"time"
)

// assertionBatchLifetime bounds how long getNextAssertion may follow
// getAssertion (CTAP 2.1 §6.3: 30 s).
const assertionBatchLifetime = 30 * time.Second

// found is a credential located for an assertion.
type found struct {
	key *credKey
	id  []byte
	res *resCred // nil for a non-discoverable credential
}

// assertionBatch is what getNextAssertion continues.
type assertionBatch struct {
	rest     []found
	rpIDHash []byte
	cdh      []byte
	flags    byte
	uv       bool
	hmac     *hmacSecretInput
	expires  time.Time
}

// hmacSecretInput is a decoded hmac-secret extension input.
type hmacSecretInput struct {
	proto  pinProtocol
	shared []byte
	salts  []byte // 32 or 64 bytes
}

// getAssertion is authenticatorGetAssertion (CTAP 2.1 §6.2).
func (k *Key) getAssertion(t *txn, p params) []byte {
	var rpID string
	var cdh []byte
	if st := mustField(p, 0x01, &rpID); st != statusOK {
		return fail(st)
	}
	if st := mustField(p, 0x02, &cdh); st != statusOK {
		return fail(st)
	}
	var allow []textMap
	var exts, opts textMap
	if _, st := field(p, 0x03, &allow); st != statusOK {
		return fail(st)
	}
	if len(allow) > MaxCredentialCountInList {
		// More than getInfo promised: a client must send it in batches.
		return fail(errLimitExceeded)
	}
	if _, st := field(p, 0x04, &exts); st != statusOK {
		return fail(st)
	}
	if _, st := field(p, 0x05, &opts); st != statusOK {
		return fail(st)
	}
	if len(cdh) != 32 {
		return fail(errInvalidParameter)
	}
	param, proto, hasAuth, st := k.pinUvAuthParams(p, 0x06, 0x07)
	if hasAuth && len(param) == 0 && st == statusOK {
		return fail(k.touchForPINState(t))
	}
	if st != statusOK {
		return fail(st)
	}
	up, uvOpt, rk, st := readOptions(opts, "up", "uv", "rk")
	if st != statusOK {
		return fail(st)
	}
	if rk != nil {
		return fail(errUnsupportedOption)
	}
	if uvOpt != nil && *uvOpt && !hasAuth {
		return fail(errInvalidOption)
	}
	wantUP := up == nil || *up
	uv := false
	if hasAuth {
		if st := k.checkPinUvAuth(proto, param, cdh, permGetAssertion, rpID); st != statusOK {
			return fail(st)
		}
		uv = true
	}
	rpIDHash := sha256.Sum256([]byte(rpID))

	var creds []found
	if len(allow) > 0 {
		for _, d := range allow {
			id, st := descriptorID(d)
			if st != statusOK {
				return fail(st)
			}
			if id == nil {
				continue
			}
			c := k.findCredential(id, rpIDHash[:])
			if c == nil || (c.credProtect == credProtectUVRequired && !uv) {
				continue
			}
			f := found{key: c, id: id}
			if i := k.resident(id); i >= 0 {
				f.res = &k.st.Creds[i]
			}
			creds = append(creds, f)
			break // with an allowList, one credential answers
		}
	} else {
		for i := range k.st.Creds {
			rc := &k.st.Creds[i]
			if rc.RPID != rpID {
				continue
			}
			c := k.unwrap(rc.ID, rpIDHash[:])
			if c == nil || (c.credProtect >= credProtectUVOptionalWithID && !uv) {
				continue
			}
			creds = append(creds, found{key: c, id: rc.ID, res: rc})
		}
		slices.SortFunc(creds, func(a, b found) int { // most recent first
			return cmp.Compare(b.res.Seq, a.res.Seq)
		})
	}

	var hs *hmacSecretInput
	if exts != nil {
		var in struct {
			KeyAgreement platformKey `cbor:"1,keyasint"`
			SaltEnc      []byte      `cbor:"2,keyasint"`
			SaltAuth     []byte      `cbor:"3,keyasint"`
			Protocol     uint64      `cbor:"4,keyasint,omitempty"`
		}
		if ok, st := exts.get("hmac-secret", &in); st != statusOK {
			return fail(st)
		} else if ok {
			if in.SaltEnc == nil || in.SaltAuth == nil || !in.KeyAgreement.present {
				return fail(errMissingParameter)
			}
			if in.Protocol == 0 {
				in.Protocol = 1
			}
			hp := k.protocol(in.Protocol)
			if hp == nil {
				return fail(errInvalidParameter)
			}
			shared := k.sharedSecret(hp, in.KeyAgreement)
			if shared == nil {
				return fail(errInvalidParameter)
			}
			if !verify(hp, shared, in.SaltEnc, in.SaltAuth) {
				return fail(errPINAuthInvalid)
			}
			salts, err := hp.decrypt(shared, in.SaltEnc)
			if err != nil || (len(salts) != 32 && len(salts) != 64) {
				return fail(errInvalidLength)
			}
			hs = &hmacSecretInput{proto: hp, shared: shared, salts: salts}
		}
	}

	if len(creds) == 0 {
		return fail(errNoCredentials)
	}
	if wantUP {
		if st := k.waitPresence(t); st != statusOK {
			return fail(st)
		}
	}
	var flags byte
	if wantUP {
		flags |= flagUP
	}
	if uv {
		flags |= flagUV
		k.token.perms &^= permMakeCredential | permGetAssertion
	}
	resp := k.assert(creds[0], rpIDHash[:], cdh, flags, uv, hs, len(creds), true)
	if len(creds) > 1 && resp[0] == statusOK {
		k.next = &assertionBatch{
			rest: creds[1:], rpIDHash: rpIDHash[:], cdh: cdh, flags: flags, uv: uv, hmac: hs,
			expires: k.opts.Now().Add(assertionBatchLifetime),
		}
	}
	return resp
}

// getNextAssertion is authenticatorGetNextAssertion (CTAP 2.1 §6.3).
func (k *Key) getNextAssertion() []byte {
	b := k.next
	if b == nil || len(b.rest) == 0 || k.opts.Now().After(b.expires) {
		k.next = nil
		return fail(errNotAllowed)
	}
	f := b.rest[0]
	b.rest = b.rest[1:]
	if i := k.resident(f.id); i >= 0 {
		f.res = &k.st.Creds[i]
	}
	return k.assert(f, b.rpIDHash, b.cdh, b.flags, b.uv, b.hmac, 0, false)
}

// assert signs one assertion: authenticator data (RP ID hash, flags, the
// global counter, extensions) followed by the client data hash.
func (k *Key) assert(f found, rpIDHash, cdh []byte, flags byte, uv bool, hs *hmacSecretInput, count int, first bool) []byte {
	k.st.Counter++
	ad := make([]byte, 0, 37+80)
	ad = append(ad, rpIDHash...)
	ad = append(ad, flags)
	ad = binary.BigEndian.AppendUint32(ad, k.st.Counter)
	exts := map[string]any{}
	if hs != nil && f.key.hmacSecret {
		secret := f.key.hmacSecretKey(uv)
		var out []byte
		for i := 0; i < len(hs.salts); i += 32 {
			m := hmac.New(sha256.New, secret)
			m.Write(hs.salts[i : i+32])
			out = m.Sum(out)
		}
		enc, err := hs.proto.encrypt(hs.shared, out)
		if err != nil {
			return fail(errOther)
		}
		exts["hmac-secret"] = enc
	}
	ad, err := appendExtensions(ad, exts)
	if err != nil {
		return fail(errOther)
	}
	sig, err := f.key.sign(append(append([]byte{}, ad...), cdh...))
	if err != nil {
		return fail(errOther)
	}
	if err := k.save(); err != nil {
		return fail(errOther)
	}
	resp := map[int]any{
		0x01: map[string]any{"id": f.id, "type": "public-key"},
		0x02: ad,
		0x03: sig,
	}
	if f.res != nil {
		u := map[string]any{"id": f.res.UserID}
		// Names identify the user: only after user verification, or when
		// the user has to pick among several accounts (CTAP 2.1 §6.2.2).
		if uv || count > 1 || !first {
			if f.res.UserName != "" {
				u["name"] = f.res.UserName
			}
			if f.res.DisplayName != "" {
				u["displayName"] = f.res.DisplayName
			}
		}
		resp[0x04] = u
	}
	if first && count > 1 {
		resp[0x05] = count
	}
	return reply(resp)
}
