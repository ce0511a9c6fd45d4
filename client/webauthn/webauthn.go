// Package webauthn is KeyDesk's WebAuthn client: what a browser's
// navigator.credentials.create/get does, as Create and Get. The options
// arrive as the standard WebAuthn JSON types; they are checked, the RP ID is
// checked against the origin, clientDataJSON is built and hashed, long
// names and credential lists are shaped for the key, the key is driven
// through package ctap, and the credential is assembled as
// PublicKeyCredential JSON. Failures are named as a browser names them
// (DOMError). The package knows nothing of the Authentication Cloud: its
// ceremonies are client/ceremony, its API client/cloud.
package webauthn

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/webauthn/options"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/protocol"
)

// OptionsError is a malformed options object: error-1000 / error-0000 in
// the Cloud's result codes, TypeError in a browser.
type OptionsError struct{ Reason string }

func (e *OptionsError) Error() string { return "invalid options: " + e.Reason }

func optionsError(format string, args ...any) error {
	return &OptionsError{Reason: fmt.Sprintf(format, args...)}
}

// decodeB64URL accepts base64url with or without padding, and standard
// base64, as servers send both.
func decodeB64URL(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// CollectedClientData is the JSON the key's signature covers (through its
// hash). WebAuthn §5.8.1; serialised in the spec's field order (§5.8.1.1).
type CollectedClientData struct {
	Type        string `json:"type"`
	Challenge   string `json:"challenge"`
	Origin      string `json:"origin"`
	CrossOrigin bool   `json:"crossOrigin"`
}

func clientDataJSON(typ string, challenge []byte, origin Origin) []byte {
	b, _ := json.Marshal(CollectedClientData{Type: typ, Challenge: b64(challenge), Origin: origin.String()})
	return b
}

// Timeout bounds: a person needs time to find the key and type a PIN, and a
// stuck ceremony must end. Chromium clamps similarly.
const (
	MinTimeout     = 30 * time.Second
	MaxTimeout     = 10 * time.Minute
	DefaultTimeout = 2 * time.Minute
)

// ClampTimeout turns an options timeout in milliseconds into the time the
// key may wait.
func ClampTimeout(ms int) time.Duration {
	if ms <= 0 {
		return DefaultTimeout
	}
	return min(max(time.Duration(ms)*time.Millisecond, MinTimeout), MaxTimeout)
}

// PublicKeyCredential is the credential as a browser hands it to a page,
// in the JSON form of its toJSON(): RegistrationResponseJSON after Create,
// AuthenticationResponseJSON after Get, every byte field base64url.
//
// Specification: WebAuthn §5.1.
type PublicKeyCredential struct {
	ID                      string             `json:"id"`
	RawID                   string             `json:"rawId"`
	Type                    string             `json:"type"`
	Response                CredentialResponse `json:"response"`
	ClientExtensionResults  map[string]any     `json:"clientExtensionResults"`
	AuthenticatorAttachment string             `json:"authenticatorAttachment,omitempty"`
	raw                     *rawCredential
}

// CredentialResponse is the response member: the members KeyDesk fills of
// AuthenticatorAttestationResponseJSON (Create) or
// AuthenticatorAssertionResponseJSON (Get).
//
// Specification: WebAuthn §5.1.
type CredentialResponse struct {
	ClientDataJSON     string   `json:"clientDataJSON"`
	AttestationObject  string   `json:"attestationObject,omitempty"`
	Transports         []string `json:"transports,omitempty"`
	PublicKeyAlgorithm *int     `json:"publicKeyAlgorithm,omitempty"`
	AuthenticatorData  string   `json:"authenticatorData,omitempty"`
	Signature          string   `json:"signature,omitempty"`
	UserHandle         string   `json:"userHandle,omitempty"`
}

// rawCredential keeps the decoded parts for the helpdesk view.
type rawCredential struct {
	clientDataJSON []byte
	attObj         []byte
	authData       *protocol.AuthenticatorData
	user           ctap.UserEntity
}

// AuthenticatorData returns the parsed authenticator data of the credential.
func (c *PublicKeyCredential) AuthenticatorData() *protocol.AuthenticatorData {
	if c.raw == nil {
		return nil
	}
	return c.raw.authData
}

// AttestationObject returns the raw attestation object (create only).
func (c *PublicKeyCredential) AttestationObject() []byte {
	if c.raw == nil {
		return nil
	}
	return c.raw.attObj
}

// ClientDataJSON returns the raw client data.
func (c *PublicKeyCredential) ClientDataJSON() []byte {
	if c.raw == nil {
		return nil
	}
	return c.raw.clientDataJSON
}

// User returns the account a discoverable credential belongs to (get only).
func (c *PublicKeyCredential) User() ctap.UserEntity {
	if c.raw == nil {
		return ctap.UserEntity{}
	}
	return c.raw.user
}

// AccountChooser is implemented by prompters that let a person pick one of
// several accounts a key holds for a site (usernameless sign-in).
type AccountChooser interface {
	ChooseAccount(ctx context.Context, users []ctap.UserEntity) (int, error)
}

// StepTimes overrides the time each step of a key operation may take; zero
// keeps the default. Touch is counted from the moment the key starts
// waiting (default: the options' timeout, clamped); PIN is the PIN
// prompt's own limit (default ctap.DefaultPINTimeout), so a slow PIN never
// shortens the touch.
type StepTimes struct {
	Touch, PIN time.Duration
}

func (st StepTimes) touch(optsTimeout int) time.Duration {
	if st.Touch > 0 {
		return st.Touch
	}
	return ClampTimeout(optsTimeout)
}

// Create is navigator.credentials.create({publicKey: opts}) from origin,
// with key; st may shorten or lengthen the touch and the PIN prompt (zero:
// the defaults). Its error is an *OptionsError or a *DOMError. WebAuthn
// §5.1.3.
func Create(ctx context.Context, key ctap.Authenticator, origin string, opts *options.PublicKeyCredentialCreationOptionsJSON, p ctap.Prompter, st StepTimes) (*PublicKeyCredential, error) {
	o, err := ParseOrigin(origin)
	if err != nil {
		return nil, err
	}
	if opts == nil {
		return nil, optionsError("credentialCreationOptions missing")
	}
	challenge, err := decodeB64URL(opts.Challenge)
	if err != nil || len(challenge) == 0 {
		return nil, optionsError("challenge missing or not base64url")
	}
	userID, err := decodeB64URL(opts.User.ID)
	if err != nil || len(userID) == 0 || len(userID) > 64 {
		return nil, optionsError("user.id missing, not base64url or longer than 64 bytes")
	}
	if opts.User.Name == "" {
		return nil, optionsError("user.name missing")
	}
	var algs []int
	for _, p := range opts.PubKeyCredParams {
		if p.Type == "public-key" {
			algs = append(algs, p.Alg)
		}
	}
	if len(opts.PubKeyCredParams) > 0 && len(algs) == 0 {
		return nil, &DOMError{Name: NotSupportedError, Message: "No supported credential type was requested."}
	}
	var exclude [][]byte
	for _, c := range opts.ExcludeCredentials {
		id, err := decodeB64URL(c.ID)
		if err != nil {
			return nil, optionsError("excludeCredentials has an ID that is not base64url")
		}
		exclude = append(exclude, id)
	}
	if exclude = uniqueIDs(exclude); len(exclude) > MaxCredentialList {
		return nil, errListTooLong("excludeCredentials", len(exclude))
	}
	rpID, err := EffectiveRPID(o, opts.RP.ID)
	if err != nil {
		return nil, err
	}
	sel := opts.AuthenticatorSelection
	if sel == nil {
		sel = &options.AuthenticatorSelectionCriteria{}
	}
	uv := ctap.UserVerification(sel.UserVerification)
	if uv == "" {
		uv = ctap.UVPreferred
	}
	rk := sel.ResidentKey == "required" || (sel.ResidentKey == "" && sel.RequireResidentKey)
	if rk {
		// A key that cannot answer getInfo here fails in MakeCredential
		// below, in its own words.
		if info, err := key.Info(ctx); err == nil && !info.Options["rk"] {
			return nil, noResidentKey()
		}
	}
	cdj := clientDataJSON("webauthn.create", challenge, o)
	cdh := sha256.Sum256(cdj)
	req := ctap.MakeCredentialRequest{
		ClientDataHash: cdh[:],
		RP:             ctap.RelyingPartyEntity{ID: rpID, Name: truncateName(opts.RP.Name)},
		User:           ctap.UserEntity{ID: userID, Name: truncateName(opts.User.Name), DisplayName: truncateName(opts.User.DisplayName)},
		Algorithms:     algs, ExcludeList: exclude, ResidentKey: rk, UserVerification: uv,
		ResidentKeyPreferred: sel.ResidentKey == "preferred",
		NoneAttestation:      opts.Attestation == "" || opts.Attestation == "none",
		Timeout:              st.touch(opts.Timeout),
		PINTimeout:           st.PIN,
	}
	if ext, ok := opts.Extensions["credentialProtectionPolicy"].(string); ok {
		req.CredProtect = map[string]int{"userVerificationOptional": 1, "userVerificationOptionalWithCredentialIDList": 2, "userVerificationRequired": 3}[ext]
	}
	if v, ok := opts.Extensions["hmacCreateSecret"].(bool); ok && v {
		req.HMACSecret = true
	}
	// No clock over the whole call: the key gives each step its own time
	// (req.Timeout for the touch, req.PINTimeout for the PIN).
	// A list longer than the key takes is walked without a touch; the real
	// request then carries the one credential the key holds, so the key
	// itself refuses (CREDENTIAL_EXCLUDED) after a touch, as with a browser.
	overhead := 256 + len(rpID) + len(req.RP.Name) + len(userID) + len(req.User.Name) + len(req.User.DisplayName) + 12*len(algs)
	if req.ExcludeList, _, err = shapeList(ctx, key, rpID, exclude, overhead, req.Timeout); err != nil {
		return nil, fromKeyError(ctx, err)
	}
	res, err := key.MakeCredential(ctx, req, p)
	if err != nil {
		return nil, fromKeyError(ctx, err)
	}
	ad, err := protocol.ParseAuthenticatorData(res.AuthData)
	if err != nil {
		return nil, keyAnswerError(result.CodeKeyAnswerInvalid, "the key's authenticator data is malformed", err)
	}
	if ad.RPIDHash != sha256.Sum256([]byte(rpID)) {
		return nil, keyAnswerError(result.CodeRPIDHashMismatch, "the key signed for another relying party (rpIdHash mismatch)", nil)
	}
	if ad.AttestedCredentialData == nil || len(ad.AttestedCredentialData.CredentialID) == 0 {
		return nil, keyAnswerError(result.CodeKeyAnswerInvalid, "the key returned no credential", nil)
	}
	format, attStmt := protocol.AttestationFormat(res.Format), any(protocol.RawCBOR(res.AttStmt))
	if len(res.AttStmt) == 0 {
		attStmt = nil
	}
	if req.NoneAttestation {
		// The RP asked for no attestation: a browser replaces the
		// statement (WebAuthn §5.1.3 step 20, "none" conveyance).
		format, attStmt = "none", nil
	}
	attObj, err := protocol.MarshalAttestationObject(format, attStmt, res.AuthData)
	if err != nil {
		return nil, keyAnswerError(result.CodeKeyAnswerInvalid, "the key's attestation could not be encoded", err)
	}
	id := ad.AttestedCredentialData.CredentialID
	alg := res.Algorithm
	ext := map[string]any{}
	if v, _ := opts.Extensions["credProps"].(bool); v {
		ext["credProps"] = map[string]bool{"rk": res.ResidentKey}
	}
	return &PublicKeyCredential{
		ID: b64(id), RawID: b64(id), Type: "public-key",
		Response: CredentialResponse{
			ClientDataJSON: b64(cdj), AttestationObject: b64(attObj),
			Transports: []string{"usb"}, PublicKeyAlgorithm: &alg,
		},
		ClientExtensionResults:  ext,
		AuthenticatorAttachment: "cross-platform",
		raw:                     &rawCredential{clientDataJSON: cdj, attObj: attObj, authData: ad},
	}, nil
}

// keyAnswerError is a key answer a browser would refuse; code names why
// for the helpdesk.
func keyAnswerError(code result.Code, msg string, cause error) error {
	c := result.Wrap(code, cause)
	if c == nil {
		c = result.New(code)
	}
	return &DOMError{Name: UnknownError, Message: msg, Cause: c}
}

// Get is navigator.credentials.get({publicKey: opts}) from origin, with
// key; st as for Create. An empty allowCredentials signs in with a
// discoverable credential; when the key holds several for the site, an
// AccountChooser prompter picks one (else the most recent). Its error is an
// *OptionsError or a *DOMError. WebAuthn §5.1.4.
func Get(ctx context.Context, key ctap.Authenticator, origin string, opts *options.PublicKeyCredentialRequestOptionsJSON, p ctap.Prompter, st StepTimes) (*PublicKeyCredential, error) {
	o, err := ParseOrigin(origin)
	if err != nil {
		return nil, err
	}
	if opts == nil {
		return nil, optionsError("credentialRequestOptions missing")
	}
	challenge, err := decodeB64URL(opts.Challenge)
	if err != nil || len(challenge) == 0 {
		return nil, optionsError("challenge missing or not base64url")
	}
	var allow [][]byte
	for _, c := range opts.AllowCredentials {
		id, err := decodeB64URL(c.ID)
		if err != nil || len(id) == 0 {
			return nil, optionsError("allowCredentials has an ID that is not base64url")
		}
		allow = append(allow, id)
	}
	if allow = uniqueIDs(allow); len(allow) > MaxCredentialList {
		return nil, errListTooLong("allowCredentials", len(allow))
	}
	rpID, err := EffectiveRPID(o, opts.RPID)
	if err != nil {
		return nil, err
	}
	uv := ctap.UserVerification(opts.UserVerification)
	if uv == "" {
		uv = ctap.UVPreferred
	}
	cdj := clientDataJSON("webauthn.get", challenge, o)
	cdh := sha256.Sum256(cdj)
	timeout := st.touch(opts.Timeout)
	// A list longer than the key takes is walked without a touch; the real
	// request then names the one credential the key holds.
	if len(allow) > 0 {
		walked := false
		if allow, walked, err = shapeList(ctx, key, rpID, allow, 256+len(rpID), timeout); err != nil {
			return nil, fromKeyError(ctx, err)
		}
		if walked && len(allow) == 0 {
			return nil, fromKeyError(ctx, &ctap.Error{Op: "get assertion", Code: ctap.StatusNoCredentials})
		}
	}
	res, err := key.GetAssertion(ctx, ctap.GetAssertionRequest{
		RPID: rpID, ClientDataHash: cdh[:], AllowList: allow, UserVerification: uv,
		Timeout: timeout, PINTimeout: st.PIN,
	}, p)
	if err != nil {
		return nil, fromKeyError(ctx, err)
	}
	if len(res) == 0 {
		return nil, fromKeyError(ctx, &ctap.Error{Op: "get assertion", Code: ctap.StatusNoCredentials})
	}
	pick := 0
	if ch, ok := p.(AccountChooser); ok && len(res) > 1 {
		users := make([]ctap.UserEntity, len(res))
		for i, r := range res {
			users[i] = r.User
		}
		cctx, cancel := context.WithTimeout(ctx, st.touch(opts.Timeout))
		pick, err = ch.ChooseAccount(cctx, users)
		cancel()
		if err != nil {
			return nil, &DOMError{Name: NotAllowedError, Message: msgNotAllowed, Cause: choiceEnded(err)}
		}
		if pick < 0 || pick >= len(res) {
			return nil, &DOMError{Name: NotAllowedError, Message: msgNotAllowed, Cause: errors.New("no account chosen")}
		}
	}
	a := res[pick]
	ad, err := protocol.ParseAuthenticatorData(a.AuthData)
	if err != nil {
		return nil, keyAnswerError(result.CodeKeyAnswerInvalid, "the key's authenticator data is malformed", err)
	}
	if ad.RPIDHash != sha256.Sum256([]byte(rpID)) {
		return nil, keyAnswerError(result.CodeRPIDHashMismatch, "the key signed for another relying party (rpIdHash mismatch)", nil)
	}
	id := a.CredentialID
	if len(id) == 0 && len(allow) == 1 {
		id = allow[0] // CTAP lets a key omit the ID when the list had one
	}
	return &PublicKeyCredential{
		ID: b64(id), RawID: b64(id), Type: "public-key",
		Response: CredentialResponse{
			ClientDataJSON: b64(cdj), AuthenticatorData: b64(a.AuthData),
			Signature: b64(a.Signature), UserHandle: b64(a.User.ID),
		},
		ClientExtensionResults:  map[string]any{},
		AuthenticatorAttachment: "cross-platform",
		raw:                     &rawCredential{clientDataJSON: cdj, authData: ad, user: a.User},
	}, nil
}
