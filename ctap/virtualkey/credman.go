package virtualkey

import (
	"cmp"
	"crypto/sha256"
	"slices"
)

// credentialManagement subcommands (CTAP 2.1 §6.8).
const (
	cmGetCredsMetadata            = 0x01
	cmEnumerateRPsBegin           = 0x02
	cmEnumerateRPsGetNextRP       = 0x03
	cmEnumerateCredentialsBegin   = 0x04
	cmEnumerateCredentialsGetNext = 0x05
	cmDeleteCredential            = 0x06
	cmUpdateUserInformation       = 0x07
)

// credMgmt is authenticatorCredentialManagement (0x0A, and 0x41 as libfido2
// 1.12 sends it). The *GetNext* subcommands continue the enumeration the
// previous *Begin started; any other command ends it.
func (k *Key) credMgmt(p params) []byte {
	var sub uint64
	if st := mustField(p, 0x01, &sub); st != statusOK {
		return fail(st)
	}
	rawParams, hasParams := p[0x02]
	var sp params
	if hasParams {
		if err := decMode.Unmarshal(rawParams, &sp); err != nil {
			return fail(cborStatus(err))
		}
	}
	cont := k.cmState
	k.cmState = nil
	switch sub {
	case cmEnumerateRPsGetNextRP, cmEnumerateCredentialsGetNext:
		if cont == nil || cont.sub != sub || len(cont.items) == 0 {
			return fail(errNotAllowed)
		}
		item := cont.items[0]
		cont.items = cont.items[1:]
		k.cmState = cont
		return reply(item)
	case cmGetCredsMetadata, cmEnumerateRPsBegin, cmEnumerateCredentialsBegin, cmDeleteCredential, cmUpdateUserInformation:
	default:
		return fail(errInvalidSubcommand)
	}
	// Every other subcommand needs a token with the cm permission, over
	// subCommand || subCommandParams.
	param, proto, hasAuth, st := k.pinUvAuthParams(p, 0x04, 0x03)
	if st != statusOK {
		return fail(st)
	}
	if !hasAuth {
		return fail(errPUATRequired)
	}
	msg := append([]byte{byte(sub)}, rawParams...)
	rpBound := ""
	switch sub {
	case cmEnumerateCredentialsBegin, cmDeleteCredential, cmUpdateUserInformation:
		// checked against the credential's RP below
	default:
		if k.token.rpID != "" {
			return fail(errPINAuthInvalid) // metadata and RPs need an unbound token
		}
	}
	if st := k.checkPinUvAuth(proto, param, msg, permCredMgmt, ""); st != statusOK {
		return fail(st)
	}
	rpBound = k.token.rpID

	switch sub {
	case cmGetCredsMetadata:
		return reply(map[int]any{0x01: len(k.st.Creds), 0x02: k.remaining()})
	case cmEnumerateRPsBegin:
		return k.enumerateRPs()
	case cmEnumerateCredentialsBegin:
		var h []byte
		if st := mustField(sp, 0x01, &h); st != statusOK {
			return fail(st)
		}
		return k.enumerateCredentials(h, rpBound)
	case cmDeleteCredential:
		i, st := k.credentialParam(sp, rpBound)
		if st != statusOK {
			return fail(st)
		}
		k.st.Creds = slices.Delete(k.st.Creds, i, i+1)
		if err := k.save(); err != nil {
			return fail(errOther)
		}
		return fail(statusOK)
	default: // cmUpdateUserInformation
		i, st := k.credentialParam(sp, rpBound)
		if st != statusOK {
			return fail(st)
		}
		var user textMap
		if st := mustField(sp, 0x03, &user); st != statusOK {
			return fail(st)
		}
		var id []byte
		var name, displayName string
		if ok, st := user.get("id", &id); st != statusOK {
			return fail(st)
		} else if !ok {
			return fail(errMissingParameter)
		}
		if _, st := user.get("name", &name); st != statusOK {
			return fail(st)
		}
		if _, st := user.get("displayName", &displayName); st != statusOK {
			return fail(st)
		}
		c := &k.st.Creds[i]
		if !slices.Equal(id, c.UserID) {
			return fail(errInvalidParameter)
		}
		c.UserName, c.DisplayName = name, displayName
		if err := k.save(); err != nil {
			return fail(errOther)
		}
		return fail(statusOK)
	}
}

// cmEnumeration is an enumeration in progress: the responses still to give.
type cmEnumeration struct {
	sub   uint64
	items []map[int]any
}

func (k *Key) enumerateRPs() []byte {
	var ids []string
	names := map[string]string{}
	for _, c := range k.st.Creds {
		if _, ok := names[c.RPID]; !ok {
			ids = append(ids, c.RPID)
		}
		names[c.RPID] = c.RPName
	}
	if len(ids) == 0 {
		return fail(errNoCredentials)
	}
	items := make([]map[int]any, len(ids))
	for i, id := range ids {
		rp := map[string]any{"id": id}
		if names[id] != "" {
			rp["name"] = names[id]
		}
		h := sha256.Sum256([]byte(id))
		items[i] = map[int]any{0x03: rp, 0x04: h[:]}
	}
	items[0][0x05] = len(items)
	k.cmState = &cmEnumeration{sub: cmEnumerateRPsGetNextRP, items: items[1:]}
	return reply(items[0])
}

func (k *Key) enumerateCredentials(rpIDHash []byte, rpBound string) []byte {
	if rpBound != "" {
		h := sha256.Sum256([]byte(rpBound))
		if !slices.Equal(h[:], rpIDHash) {
			return fail(errPINAuthInvalid)
		}
	}
	var creds []resCred
	for _, c := range k.st.Creds {
		if h := sha256.Sum256([]byte(c.RPID)); slices.Equal(h[:], rpIDHash) {
			creds = append(creds, c)
		}
	}
	if len(creds) == 0 {
		return fail(errNoCredentials)
	}
	slices.SortFunc(creds, func(a, b resCred) int { return cmp.Compare(b.Seq, a.Seq) })
	items := make([]map[int]any, 0, len(creds))
	for _, c := range creds {
		key := k.unwrap(c.ID, rpIDHash)
		if key == nil {
			continue
		}
		user := map[string]any{"id": c.UserID}
		if c.UserName != "" {
			user["name"] = c.UserName
		}
		if c.DisplayName != "" {
			user["displayName"] = c.DisplayName
		}
		items = append(items, map[int]any{
			0x06: user,
			0x07: map[string]any{"id": c.ID, "type": "public-key"},
			0x08: key.publicKey(),
			0x0A: int(key.credProtect),
		})
	}
	if len(items) == 0 {
		return fail(errNoCredentials)
	}
	items[0][0x09] = len(items)
	k.cmState = &cmEnumeration{sub: cmEnumerateCredentialsGetNext, items: items[1:]}
	return reply(items[0])
}

// credentialParam finds the stored credential named by subCommandParams'
// credentialID (0x02).
func (k *Key) credentialParam(sp params, rpBound string) (int, byte) {
	var d textMap
	if st := mustField(sp, 0x02, &d); st != statusOK {
		return 0, st
	}
	id, st := descriptorID(d)
	if st != statusOK {
		return 0, st
	}
	i := k.resident(id)
	if id == nil || i < 0 {
		return 0, errNoCredentials
	}
	if rpBound != "" && k.st.Creds[i].RPID != rpBound {
		return 0, errPINAuthInvalid
	}
	return i, statusOK
}
