package virtualkey

import "fmt"

// Profile makes the key answer getInfo and behave as a family of real keys
// does, so that KeyDesk is tested against more than one kind of key. The
// zero value is the full CTAP 2.1 key this package was written as.
//
// Each profile is built from a published getInfo dump or the specification
// of its CTAP version, named beside it. A profile chooses what a new key is
// made of (its AAGUID and attestation CA); a key opened from a state file
// keeps the AAGUID and CA it was made with.
type Profile int

const (
	// ProfileCTAP21 is a CTAP 2.1 key with every feature this package has.
	ProfileCTAP21 Profile = iota
	// ProfileCTAP20 is a CTAP 2.0 key (a YubiKey 5 before firmware 5.2, a
	// Feitian ePass FIDO, a SoloKey 1): getInfo has only the members CTAP
	// 2.0 §5.4 defines (versions U2F_V2 and FIDO_2_0, extensions, aaguid,
	// options, maxMsgSize, pinProtocols), so no algorithms list, no
	// firmware version and no minimum PIN length; PIN protocol 1 only and
	// the legacy getPINToken; no credential management; no
	// makeCredUvNotRqd, so a key with a PIN wants it for every
	// makeCredential (CTAP 2.0 §5.1 step 6). It makes ES256 and EdDSA
	// credentials without listing them, as such keys do.
	ProfileCTAP20
	// ProfileCTAP21Pre is a key of the CTAP 2.1 draft (YubiKey 5 firmware
	// 5.2–5.4): versions U2F_V2, FIDO_2_0, FIDO_2_1_PRE and credential
	// management only as the preview command 0x41 (option
	// credentialMgmtPreview, no credMgmt). Its getInfo follows the YubiKey 5
	// NFC firmware 5.4.3 dump in Yubico/libfido2 issue #686 (AAGUID
	// 2fc0579f-8113-47ea-b116-bb5a8db9202a, firmware 0x50403); its
	// attestation CA is the virtual key's own, not Yubico's, so a relying
	// party sees a known model whose chain leads to no root it knows.
	ProfileCTAP21Pre
	// ProfileNoResidentKeys is a key that cannot store discoverable
	// credentials (option rk false, as U2F-era FIDO2 keys such as the
	// Feitian ePass FIDO-NFC have): makeCredential with rk answers
	// CTAP2_ERR_UNSUPPORTED_OPTION (CTAP 2.1 §6.1.2 step 5), and there is
	// no credential management.
	ProfileNoResidentKeys
	// ProfileUnknownVendor is a full CTAP 2.1 key of a vendor nobody knows:
	// an AAGUID in no table and an attestation CA of its own that no
	// relying party trusts — a hardware key plugged in during the demo, as
	// the demo emulator sees it.
	ProfileUnknownVendor
	// ProfileU2F is a U2F-only key (CTAP1: a FIDO U2F Security Key, a
	// YubiKey NEO, the first Feitian and HyperFIDO keys): its CTAPHID_INIT
	// answer lacks CAPABILITY_CBOR and has CAPABILITY_NMSG clear (FIDO
	// CTAP 2.1 §11.2.9.1.3), so CTAPHID_CBOR is an invalid command and
	// there is no getInfo; it speaks the U2F raw messages in CTAPHID_MSG
	// (u2f.go): register, authenticate (enforce presence, check only,
	// don't enforce) and version "U2F_V2", ES256 only, no PIN, no
	// discoverable credentials, no reset. libfido2 enrolls and signs in
	// with it through its U2F path (src/u2f.c).
	ProfileU2F
)

// Profiles lists every profile, for tests that run over all of them.
var Profiles = []Profile{ProfileCTAP21, ProfileCTAP20, ProfileCTAP21Pre, ProfileNoResidentKeys, ProfileUnknownVendor, ProfileU2F}

// String names the profile.
func (p Profile) String() string {
	switch p {
	case ProfileCTAP21:
		return "ctap2.1"
	case ProfileCTAP20:
		return "ctap2.0"
	case ProfileCTAP21Pre:
		return "ctap2.1-pre"
	case ProfileNoResidentKeys:
		return "no-rk"
	case ProfileUnknownVendor:
		return "unknown-vendor"
	case ProfileU2F:
		return "u2f"
	}
	return fmt.Sprintf("profile %d", int(p))
}

// AAGUIDYubiKey5NFC is the AAGUID of the YubiKey 5 Series with NFC (FIDO
// MDS; assets/aaguid), which ProfileCTAP21Pre answers with.
var AAGUIDYubiKey5NFC = [16]byte{0x2f, 0xc0, 0x57, 0x9f, 0x81, 0x13, 0x47, 0xea, 0xb1, 0x16, 0xbb, 0x5a, 0x8d, 0xb9, 0x20, 0x2a}

// AAGUIDUnknownVendor is ProfileUnknownVendor's AAGUID, generated at random
// for KeyDesk and in no table.
var AAGUIDUnknownVendor = [16]byte{0x7a, 0x1e, 0x3c, 0x52, 0x90, 0x4b, 0x4e, 0x61, 0xa8, 0x0d, 0x5f, 0x26, 0x93, 0xc4, 0x1b, 0xe7}

// aaguid is the AAGUID a new key of the profile is made with.
func (p Profile) aaguid() [16]byte {
	switch p {
	case ProfileCTAP21Pre:
		return AAGUIDYubiKey5NFC
	case ProfileUnknownVendor:
		return AAGUIDUnknownVendor
	}
	return AAGUID
}

// caName is the common name of the attestation CA a new key of the
// profile makes.
func (p Profile) caName() string {
	if p == ProfileUnknownVendor {
		return "Unknown Vendor FIDO Root CA"
	}
	return "KeyDesk Virtual Key Test CA"
}

// apply sets the options the profile implies.
func (p Profile) apply(o *Options) {
	switch p {
	case ProfileCTAP20:
		o.PINProtocols = []int{1}
		o.NoCredMgmt = true
	case ProfileNoResidentKeys:
		o.NoCredMgmt = true
	case ProfileU2F:
		o.NoClientPIN = true
		o.NoCredMgmt = true
	}
}

// u2fOnly reports whether the key speaks U2F (CTAP1) only.
func (p Profile) u2fOnly() bool { return p == ProfileU2F }

// capabilities is the capability byte of the CTAPHID_INIT answer (CTAP
// 2.1 §11.2.9.1.3): WINK always; a CTAP2 key has CBOR and no U2F
// messages (NMSG), a U2F key the other way round.
func (p Profile) capabilities() byte {
	if p.u2fOnly() {
		return capWink
	}
	return capWink | capCBOR | capNMSG
}

// versions is getInfo's versions member.
func (p Profile) versions() []string {
	switch p {
	case ProfileCTAP20:
		return []string{"U2F_V2", "FIDO_2_0"}
	case ProfileCTAP21Pre:
		return []string{"U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE"}
	case ProfileNoResidentKeys:
		return []string{"U2F_V2", "FIDO_2_0", "FIDO_2_1"}
	}
	return []string{"FIDO_2_0", "FIDO_2_1"}
}

// cmdOK reports whether the profile knows a CTAP command at all.
func (p Profile) cmdOK(cmd byte) bool {
	if cmd == cmdCredMgmt && p == ProfileCTAP21Pre {
		return false // only the preview command 0x41
	}
	if cmd == cmdSelection && (p == ProfileCTAP20 || p == ProfileCTAP21Pre) {
		return false // authenticatorSelection is new in CTAP 2.1
	}
	return true
}

// residentKeys reports whether the key stores discoverable credentials.
func (p Profile) residentKeys() bool { return p != ProfileNoResidentKeys }

// makeCredUvNotRqd reports whether a key with a PIN makes a
// non-discoverable credential without it (CTAP 2.1 option
// makeCredUvNotRqd; CTAP 2.0 keys want the PIN).
func (p Profile) makeCredUvNotRqd() bool { return p == ProfileCTAP21 || p == ProfileUnknownVendor }

// pinUvAuthToken reports whether the key has CTAP 2.1's pinUvAuthToken
// (getPinUvAuthTokenUsingPinWithPermissions); the others have only the
// legacy getPINToken.
func (p Profile) pinUvAuthToken() bool {
	return p == ProfileCTAP21 || p == ProfileNoResidentKeys || p == ProfileUnknownVendor
}
