// Package ctap talks to FIDO2 security keys: discovery, full getInfo, PIN,
// make-credential, get-assertion, discoverable-credential management and
// reset, through libfido2: a small cgo shim (shim.go) for every operation on
// a key, go-libfido2 only to list keys. One file per feature (pin.go,
// credman.go, reset.go, config.go), each with a predicate that says from a
// key's getInfo whether the key offers it, so that the front-ends offer
// only what the key can do. What keys return (authenticator data, COSE keys, attestation
// objects) is decoded by the cgo-free package ctap/protocol.
//
// The package never talks to a person: it asks for a PIN or a touch through
// a Prompter, and every long call takes a context that cancels it on the
// key (CTAPHID_CANCEL). Virtual keys (paths "virtual:…", package
// ctap/virtualkey) are reached through the same libfido2 calls as hardware.
package ctap

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/keydesk/keydesk/ctap/protocol"
)

// DeviceDescriptor is one key as listed by libfido2.
type DeviceDescriptor struct {
	Path         string `json:"path"`
	Manufacturer string `json:"manufacturer"`
	Product      string `json:"product"`
	VendorID     uint16 `json:"vendorId,omitempty"`
	ProductID    uint16 `json:"productId,omitempty"`
	Virtual      bool   `json:"virtual"`
}

// Info is a key's authenticatorGetInfo response, as full as libfido2 1.12
// exposes it. CTAP 2.1 §6.4.
type Info struct {
	Versions                 []string        `json:"versions"`
	Extensions               []string        `json:"extensions"`
	AAGUID                   []byte          `json:"aaguid"`
	Options                  map[string]bool `json:"options"`
	MaxMsgSize               uint64          `json:"maxMsgSize,omitempty"`
	PINUVAuthProtocols       []int           `json:"pinUvAuthProtocols"`
	MaxCredentialCountInList uint64          `json:"maxCredentialCountInList,omitempty"`
	MaxCredentialIDLength    uint64          `json:"maxCredentialIdLength,omitempty"`
	Transports               []string        `json:"transports"`
	Algorithms               []int           `json:"algorithms"`
	MinPINLength             uint64          `json:"minPINLength,omitempty"`
	FirmwareVersion          uint64          `json:"firmwareVersion,omitempty"`
	// RemainingDiscoverableCredentials is -1 when the key does not say.
	RemainingDiscoverableCredentials int64  `json:"remainingDiscoverableCredentials"`
	ForcePINChange                   bool   `json:"forcePINChange,omitempty"`
	UVAttempts                       uint64 `json:"uvAttempts,omitempty"`
}

// AAGUIDString is the AAGUID in its one spelling, the lowercase
// hyphenated UUID (RFC 9562), "" when the key sent none of 16 bytes.
func (i *Info) AAGUIDString() string {
	if len(i.AAGUID) != 16 {
		return ""
	}
	var a protocol.AAGUID
	copy(a[:], i.AAGUID)
	return a.String()
}

// MarshalJSON writes the AAGUID as AAGUIDString and a list or map the key
// left out (a CTAP 2.0 key has no algorithms, transports or firmware) as
// an empty one, never null, so a script reads one shape from every key.
func (i Info) MarshalJSON() ([]byte, error) {
	type plain Info
	out := struct {
		plain
		AAGUID string `json:"aaguid"`
	}{plain: plain(i), AAGUID: i.AAGUIDString()}
	o := &out.plain
	for _, l := range []*[]string{&o.Versions, &o.Extensions, &o.Transports} {
		if *l == nil {
			*l = []string{}
		}
	}
	for _, l := range []*[]int{&o.PINUVAuthProtocols, &o.Algorithms} {
		if *l == nil {
			*l = []int{}
		}
	}
	if o.Options == nil {
		o.Options = map[string]bool{}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (i *Info) UnmarshalJSON(b []byte) error {
	type plain Info
	var in struct {
		*plain
		AAGUID string `json:"aaguid"`
	}
	in.plain = (*plain)(i)
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	i.AAGUID = nil
	if in.AAGUID != "" {
		a, err := hex.DecodeString(strings.ReplaceAll(in.AAGUID, "-", ""))
		if err != nil || len(a) != 16 {
			return errors.New("ctap: aaguid is not a UUID")
		}
		i.AAGUID = a
	}
	return nil
}

// Option reports an option's value and whether the key lists it at all.
func (i *Info) Option(name string) (value, present bool) {
	v, ok := i.Options[name]
	return v, ok
}

// PINSet reports whether a client PIN is set. Whether the key can have
// one at all is PINSupported (pin.go).
func (i *Info) PINSet() bool { return i.Options["clientPin"] }

// BuiltInUV reports whether the key verifies the user itself (biometrics).
func (i *Info) BuiltInUV() bool { return i.Options["uv"] }

// SupportsAlgorithm reports whether the key lists a COSE algorithm; of
// keys that list none (CTAP 2.0) only ES256 is certain: what else they
// make is learned by asking (AlgorithmsToTry).
func (i *Info) SupportsAlgorithm(alg int) bool {
	if len(i.Algorithms) == 0 {
		return alg == int(protocol.AlgES256)
	}
	for _, a := range i.Algorithms {
		if a == alg {
			return true
		}
	}
	return false
}

// ErrNotSupported is wrapped in the error of an operation that a key's
// getInfo says it does not offer (PINSupported, CredMgmtSupported,
// ResetSupported, ConfigSupported): the front-ends check first and do not
// send the command.
var ErrNotSupported = errors.New("the key does not offer this")

// Unsupported is the error of an operation op that the key does not offer
// (why says what it lacks, for the helpdesk): code UNSUPPORTED_OPTION, as
// for a relying party's requirement the key cannot meet, wrapping
// ErrNotSupported.
func Unsupported(op, why string) error {
	return &Error{Op: op, Code: StatusUnsupportedOption, Err: notSupported(why)}
}

type notSupported string

func (n notSupported) Error() string        { return string(n) }
func (n notSupported) Is(target error) bool { return target == ErrNotSupported }

// PINReason says why a PIN is asked for.
type PINReason int

const (
	// PINEnter asks for the key's PIN.
	PINEnter PINReason = iota
	// PINRetry asks again after a wrong PIN.
	PINRetry
	// PINNew asks for a new PIN for a key that has none (typed twice by
	// the UI).
	PINNew
)

// PINRequest describes a PIN prompt.
type PINRequest struct {
	Reason      PINReason
	Device      string
	RetriesLeft int // -1 when unknown
	MinLength   int // in Unicode code points
}

// TouchPurpose says what the key waits for a touch for. The front-ends
// word it (the window's and the CLI's words, in their languages); String
// is for logs and error texts.
type TouchPurpose int

// The touch purposes.
const (
	TouchMakeCredential TouchPurpose = iota + 1 // create a credential (enroll)
	TouchGetAssertion                           // sign in
	TouchReset                                  // factory-reset the key
)

// TouchPurposes lists every purpose, for the front-ends' word checks.
func TouchPurposes() []TouchPurpose {
	return []TouchPurpose{TouchMakeCredential, TouchGetAssertion, TouchReset}
}

// String names the purpose in English, for logs and error texts.
func (p TouchPurpose) String() string {
	switch p {
	case TouchMakeCredential:
		return "create a credential"
	case TouchGetAssertion:
		return "sign in"
	case TouchReset:
		return "reset"
	}
	return fmt.Sprintf("touch purpose %d", int(p))
}

// TouchRequest describes a wait for user presence.
type TouchRequest struct {
	Device   string
	Purpose  TouchPurpose
	Deadline time.Time // when the key gives up waiting
}

// Prompter is how the ctap layer asks a person for something. The GUI turns
// it into dialogs, the CLI into terminal prompts, tests into scripts.
type Prompter interface {
	// PIN returns the PIN, or an error (e.g. the context's) to abort.
	PIN(ctx context.Context, req PINRequest) (string, error)
	// Touch is called when the key starts waiting for a touch; the
	// returned func is called when the wait is over, however it ended.
	Touch(req TouchRequest) (done func())
}

// Authenticator is a security key as the ceremonies use it. *Device is the
// implementation for every key libfido2 reaches, hardware or virtual.
type Authenticator interface {
	Path() string
	Info(ctx context.Context) (*Info, error)
	MakeCredential(ctx context.Context, req MakeCredentialRequest, p Prompter) (*MakeCredentialResult, error)
	GetAssertion(ctx context.Context, req GetAssertionRequest, p Prompter) ([]AssertionResult, error)
}

// RelyingPartyEntity is PublicKeyCredentialRpEntity. WebAuthn §5.4.2.
type RelyingPartyEntity struct {
	ID   string
	Name string
}

// UserEntity is PublicKeyCredentialUserEntity. WebAuthn §5.4.3.
type UserEntity struct {
	ID          []byte
	Name        string
	DisplayName string
}

// Label is how a person recognises an account a key holds: the display
// name and the name, or whichever the key keeps; "" when it keeps neither
// (each front-end words that case). The Authentication Cloud writes its
// user ID (a UUID) into user.name and the name people know into
// user.displayName, so an ID-like name gives way to the display name.
func (u UserEntity) Label() string {
	name, disp := strings.TrimSpace(u.Name), strings.TrimSpace(u.DisplayName)
	if uuidLike.MatchString(name) && disp != "" {
		name = "" // the Cloud's user ID, not a name a person knows
	}
	switch {
	case name != "" && disp != "" && disp != name:
		return disp + " (" + name + ")"
	case disp != "":
		return disp
	}
	return name
}

// uuidLike matches an opaque identifier such as the Cloud's user ID.
var uuidLike = regexp.MustCompile(`^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// UserVerification is the WebAuthn userVerification requirement.
type UserVerification string

// WebAuthn §5.8.6.
const (
	UVRequired    UserVerification = "required"
	UVPreferred   UserVerification = "preferred"
	UVDiscouraged UserVerification = "discouraged"
)

// MakeCredentialRequest is authenticatorMakeCredential's input as the
// WebAuthn client prepares it. CTAP 2.1 §6.1.
type MakeCredentialRequest struct {
	ClientDataHash []byte
	RP             RelyingPartyEntity
	User           UserEntity
	Algorithms     []int    // in the RP's order of preference
	ExcludeList    [][]byte // credential IDs
	ResidentKey    bool
	// ResidentKeyPreferred makes the credential discoverable when the key
	// can store one (residentKey "preferred"); ResidentKey then says what
	// was asked of the key.
	ResidentKeyPreferred bool
	UserVerification     UserVerification
	NoneAttestation      bool // the RP asked for attestation "none"
	CredProtect          int  // 0: not asked; 1..3 as CTAP 2.1 credProtect
	HMACSecret           bool // hmac-secret extension
	// Timeout is how long the key waits for a touch, counted from the
	// moment it starts waiting; PINTimeout is how long the PIN prompt
	// waits for the person (DefaultPINTimeout when zero). Each step has
	// its own clock.
	Timeout    time.Duration
	PINTimeout time.Duration
}

// MakeCredentialResult is what the key returned, raw enough to build the
// attestationObject byte for byte.
type MakeCredentialResult struct {
	Format       string
	AuthData     []byte // raw authenticator data
	AttStmt      []byte // the attStmt map, CBOR
	CredentialID []byte
	Algorithm    int
	ResidentKey  bool // whether a discoverable credential was asked for and made
	UVUsed       bool
}

// GetAssertionRequest is authenticatorGetAssertion's input. CTAP 2.1 §6.2.
type GetAssertionRequest struct {
	RPID             string
	ClientDataHash   []byte
	AllowList        [][]byte
	UserVerification UserVerification
	// Timeout and PINTimeout are as in MakeCredentialRequest.
	Timeout    time.Duration
	PINTimeout time.Duration
	// Silent asks with up=false and no PIN: no touch, no prompt, a
	// signature nobody may trust. A client uses it as a pre-flight to find
	// which part of a long credential list the key holds, as browsers do.
	Silent bool
}

// AssertionResult is one assertion; a usernameless request may yield several
// (one per discoverable credential), most recent first.
type AssertionResult struct {
	CredentialID []byte
	AuthData     []byte // raw authenticator data
	Signature    []byte
	User         UserEntity // set for discoverable credentials
}

// DefaultTimeout is how long a key may wait for a touch when the caller
// gives no timeout; WebAuthn clients use similar values.
const DefaultTimeout = 60 * time.Second

// DefaultPINTimeout is how long a PIN prompt waits when the caller gives
// no limit: long enough to find and type a PIN, short enough that a
// forgotten prompt does not keep the key open for good.
const DefaultPINTimeout = 2 * time.Minute
