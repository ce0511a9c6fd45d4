package ctap

import (
	"errors"
	"slices"

	"github.com/keydesk/keydesk/ctap/protocol"
)

// U2F-only (CTAP1) keys. libfido2 reaches them through its U2F path
// (src/u2f.c): fido_dev_make_cred sends U2F_REGISTER and fido_dev_get_assert
// U2F_AUTHENTICATE when the key's CTAPHID_INIT answer lacks CBOR. KeyDesk
// treats such a key as a browser does: it is listed and used, with what a
// U2F key has (ES256, no PIN, no discoverable credential, no extensions),
// and its attestation is fido-u2f.

// u2fInfo is what a U2F-only (CTAP1) key amounts to, since it answers no
// getInfo: version "U2F_V2" (the name CTAP 2.1 §6.4 gives the CTAP1/U2F
// protocol), the options' defaults of CTAP 2.1 §6.4 spelled out (rk false,
// up true, plat false; no clientPin, no uv: no PIN, no user verification,
// no discoverable credentials, no credential management), ES256 (U2F's
// only algorithm, Raw Message Formats v1.2 §4.3), and nothing else: the
// members a U2F key cannot report stay absent ("not reported"), with no
// AAGUID and RemainingDiscoverableCredentials -1.
func u2fInfo() *Info {
	return &Info{
		Versions:                         []string{"U2F_V2"},
		Options:                          map[string]bool{"rk": false, "up": true, "plat": false},
		Algorithms:                       []int{int(protocol.AlgES256)},
		RemainingDiscoverableCredentials: -1,
	}
}

// U2FOnly reports whether the key speaks only U2F (CTAP1): its versions
// name no CTAP2 protocol. Such a key has no PIN, no discoverable
// credentials and no user verification, and its attestation is fido-u2f.
func (i *Info) U2FOnly() bool {
	return i != nil && slices.Contains(i.Versions, "U2F_V2") && !slices.ContainsFunc(i.Versions, isFIDO2Version)
}

// u2fStatement rebuilds the attestation statement libfido2 reports for a
// U2F registration as WebAuthn §8.6 defines it. libfido2 1.12
// (src/u2f.c encode_cred_attstmt) writes {alg: -7, sig, x5c} for it, as
// for packed; fido-u2f's attStmt has only sig and x5c (§8.6 "Syntax"), and
// a relying party's strict parser (ctap/protocol's) refuses the extra
// member.
func u2fStatement(raw []byte) ([]byte, error) {
	var st struct {
		Alg int      `cbor:"alg"`
		Sig []byte   `cbor:"sig"`
		X5C [][]byte `cbor:"x5c"`
	}
	if err := protocol.DecodeCBOR(raw, &st); err != nil {
		return nil, err
	}
	if st.Alg != int(protocol.AlgES256) || len(st.Sig) == 0 || len(st.X5C) != 1 {
		return nil, errors.New("the key's U2F registration has no single certificate and signature")
	}
	return protocol.EncodeCBOR(&protocol.FIDOU2FAttestationStatement{Sig: st.Sig, X5C: st.X5C})
}
