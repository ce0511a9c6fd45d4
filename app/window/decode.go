package window

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"fyne.io/fyne/v2/lang"

	"github.com/keydesk/keydesk/assets/aaguid"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap/protocol"
)

// DataKind is what a ceremony's credential data is: the attestation of an
// enrollment or the assertion of a sign-in; Text words it.
type DataKind int

// The kinds of credential data.
const (
	DataAttestation DataKind = iota + 1
	DataAssertion
)

// String is the kind's name in the report's JSON: "attestation" or
// "assertion".
func (k DataKind) String() string {
	switch k {
	case DataAttestation:
		return "attestation"
	case DataAssertion:
		return "assertion"
	}
	return fmt.Sprintf("data kind %d", int(k))
}

// MarshalText writes the kind's name.
func (k DataKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a name MarshalText wrote.
func (k *DataKind) UnmarshalText(b []byte) error {
	for _, v := range []DataKind{DataAttestation, DataAssertion} {
		if v.String() == string(b) {
			*k = v
			return nil
		}
	}
	return fmt.Errorf("unknown credential data kind %q", b)
}

// Text is the kind in the window's language.
func (k DataKind) Text() string {
	switch k {
	case DataAttestation:
		return lang.L("attestation")
	case DataAssertion:
		return lang.L("assertion")
	}
	return lang.L("unknown")
}

// CredentialInfo is the decoded attestation or authenticator data of a
// ceremony's credential, as the helpdesk reads it. It carries no
// credential ID, public key, challenge or signature.
type CredentialInfo struct {
	// Kind is an attestation (enroll) or an assertion (sign-in).
	Kind      DataKind `json:"kind"`
	Format    string   `json:"format,omitempty"`
	AAGUID    string   `json:"aaguid,omitempty"`
	Model     string   `json:"model,omitempty"`
	Flags     string   `json:"flags"`
	UP        bool     `json:"userPresent"`
	UV        bool     `json:"userVerified"`
	Counter   uint32   `json:"signCount"`
	Algorithm string   `json:"algorithm,omitempty"`
	Chain     []string `json:"certificateChain,omitempty"`
	// Verdict is the signature verdict: the attestation statement's for
	// an enrollment, the assertion signature's for a sign-in.
	Verdict SigVerdict `json:"verdict,omitzero"`
	// Verified is true when the attestation statement, or the assertion
	// signature, verified.
	Verified bool `json:"verified"`

	// What a sign-in's signature is checked with, kept only until
	// History.Add has given its verdict (never exported): the credential
	// ID, and the signed data and signature of an assertion, or the public
	// key an enrollment registered.
	credID []byte
	pub    *protocol.COSEKey
	signed []byte
	sig    []byte
}

// SigVerdict is the verdict on a credential's signature. Text words it
// in the window's language; String (and the report's JSON) is the English
// sentence it was before it was typed.
type SigVerdict struct {
	kind sigKind
	// attType is a verified attestation's type (basic, self, attCA, …).
	attType string
}

type sigKind int

const (
	sigNone sigKind = iota
	sigVerified
	sigBad
	sigAccepted
	sigUnchecked
	attUnreadable
	attBad
	attNone
	attVerified
	attUnverified
)

// Verdicts of a sign-in's signature.
var (
	VerdictSigVerified  = SigVerdict{kind: sigVerified}
	VerdictSigBad       = SigVerdict{kind: sigBad}
	VerdictSigAccepted  = SigVerdict{kind: sigAccepted}
	VerdictSigUnchecked = SigVerdict{kind: sigUnchecked}
)

// Verdicts of an enrollment's attestation statement.
var (
	VerdictAttUnreadable = SigVerdict{kind: attUnreadable}
	VerdictAttBad        = SigVerdict{kind: attBad}
	VerdictAttNone       = SigVerdict{kind: attNone}
	VerdictAttUnverified = SigVerdict{kind: attUnverified}
)

// verdictAttVerified is the verdict on a statement that verified, with
// its attestation type.
func verdictAttVerified(attType string) SigVerdict {
	return SigVerdict{kind: attVerified, attType: attType}
}

// sigVerdicts are the verdicts with a fixed sentence.
var sigVerdicts = map[sigKind]string{
	sigVerified:   "signature verified with the public key enrolled in this session",
	sigBad:        "signature does not verify with the public key enrolled in this session",
	sigAccepted:   "not checked here (the public key is kept by the Authentication Cloud); the Cloud accepted the sign-in",
	sigUnchecked:  "not checked here: the public key is kept by the Authentication Cloud, and the sign-in did not succeed",
	attUnreadable: "unreadable attestation object",
	attBad:        "signature does not verify",
	attNone:       "no attestation (format none)",
	attUnverified: "recognised but not verified",
}

// IsZero reports whether there is no verdict.
func (v SigVerdict) IsZero() bool { return v.kind == sigNone }

// String is the verdict as an English sentence, for the JSON and logs.
func (v SigVerdict) String() string {
	if v.kind == attVerified {
		return fmt.Sprintf("signature verified (%s attestation)", v.attType)
	}
	return sigVerdicts[v.kind]
}

// MarshalText writes String.
func (v SigVerdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText reads a sentence MarshalText wrote.
func (v *SigVerdict) UnmarshalText(b []byte) error {
	for k, s := range sigVerdicts {
		if s == string(b) {
			*v = SigVerdict{kind: k}
			return nil
		}
	}
	if t, ok := strings.CutPrefix(string(b), "signature verified ("); ok {
		if typ, ok := strings.CutSuffix(t, " attestation)"); ok {
			*v = verdictAttVerified(typ)
			return nil
		}
	}
	return fmt.Errorf("unknown signature verdict %q", b)
}

// Text is the verdict in the window's language.
func (v SigVerdict) Text() string {
	switch v.kind {
	case sigVerified:
		return lang.L("signature verified with the public key enrolled in this session")
	case sigBad:
		return lang.L("signature does not verify with the public key enrolled in this session")
	case sigAccepted:
		return lang.L("not checked here (the public key is kept by the Authentication Cloud); the Cloud accepted the sign-in")
	case sigUnchecked:
		return lang.L("not checked here: the public key is kept by the Authentication Cloud, and the sign-in did not succeed")
	case attUnreadable:
		return lang.L("unreadable attestation object")
	case attBad:
		return lang.L("signature does not verify")
	case attNone:
		return lang.L("no attestation (format none)")
	case attVerified:
		return lang.L("signature verified ({{.Type}} attestation)", map[string]any{"Type": v.attType})
	case attUnverified:
		return lang.L("recognised but not verified")
	}
	return ""
}

// checkAssertion gives a sign-in's signature its verdict: verified with
// the public key when this session enrolled the credential, else what the
// Cloud's answer says. It forgets the signed data.
func (c *CredentialInfo) checkAssertion(pub *protocol.COSEKey, cloudAccepted bool) {
	defer func() { c.signed, c.sig = nil, nil }()
	if c.Kind != DataAssertion {
		return
	}
	if pub != nil && c.sig != nil {
		c.Verified = false
		c.Verdict = VerdictSigBad
		if k, err := pub.PublicKey(); err == nil && protocol.VerifySignature(pub.Algorithm, k, c.signed, c.sig) == nil {
			c.Verified, c.Verdict = true, VerdictSigVerified
		}
		return
	}
	if cloudAccepted {
		c.Verdict = VerdictSigAccepted
	} else {
		c.Verdict = VerdictSigUnchecked
	}
}

// ModelName returns the model for an AAGUID, or "unknown model".
func ModelName(id string) string {
	if n, ok := aaguid.Model(id); ok {
		return n
	}
	return "unknown model"
}

// DecodeCredential decodes what the key returned in a ceremony.
func DecodeCredential(c *webauthn.PublicKeyCredential) *CredentialInfo {
	if att := c.AttestationObject(); len(att) > 0 {
		return decodeAttestation(att, c.ClientDataJSON())
	}
	ad := c.AuthenticatorData()
	if ad == nil {
		return nil
	}
	info := &CredentialInfo{Kind: DataAssertion}
	fillAuthData(info, ad)
	info.credID, _ = base64.RawURLEncoding.DecodeString(strings.TrimRight(c.RawID, "="))
	rawAD, err1 := base64.RawURLEncoding.DecodeString(strings.TrimRight(c.Response.AuthenticatorData, "="))
	sig, err2 := base64.RawURLEncoding.DecodeString(strings.TrimRight(c.Response.Signature, "="))
	if err1 == nil && err2 == nil && len(sig) > 0 {
		h := sha256.Sum256(c.ClientDataJSON())
		info.signed, info.sig = append(rawAD, h[:]...), sig
	}
	return info
}

func fillAuthData(info *CredentialInfo, ad *protocol.AuthenticatorData) {
	info.Flags = ad.Flags.String()
	info.UP, info.UV = ad.Flags.UserPresent(), ad.Flags.UserVerified()
	info.Counter = ad.SignCount
	if acd := ad.AttestedCredentialData; acd != nil {
		info.AAGUID = acd.AAGUID.String()
		info.Model = ModelName(info.AAGUID)
		if acd.PublicKey != nil {
			info.Algorithm = protocol.AlgName(acd.PublicKey.Algorithm)
		}
	}
}

func decodeAttestation(att, clientDataJSON []byte) *CredentialInfo {
	info := &CredentialInfo{Kind: DataAttestation}
	obj, err := protocol.ParseAttestationObject(att)
	if err != nil {
		info.Verdict = VerdictAttUnreadable
		return info
	}
	info.Format = string(obj.Format)
	fillAuthData(info, obj.AuthData)
	if acd := obj.AuthData.AttestedCredentialData; acd != nil {
		info.credID, info.pub = acd.CredentialID, acd.PublicKey
	}
	h := sha256.Sum256(clientDataJSON)
	v, err := obj.Verify(h[:])
	switch {
	case err != nil:
		info.Verdict = VerdictAttBad
	case v.Format == protocol.AttestationFormat("none"):
		info.Verdict = VerdictAttNone
	case v.Verified:
		info.Verdict = verdictAttVerified(string(v.Type))
		info.Verified = true
	default:
		info.Verdict = VerdictAttUnverified
	}
	if v != nil {
		for _, c := range v.Chain {
			info.Chain = append(info.Chain, c.Subject.String())
		}
	}
	return info
}
