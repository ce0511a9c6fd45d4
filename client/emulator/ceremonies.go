package emulator

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"

	ctapprotocol "github.com/keydesk/keydesk/ctap/protocol"
)

// Transaction kinds and states.
const (
	kindEnroll  = "enroll"
	kindApprove = "approve"

	statePending   = "pending"
	stateSucceeded = "succeeded"
	stateFailed    = "failed"
	stateUnknown   = "unknown"
)

// txn is one enroll or approve transaction, named by the jti of its tokens.
type txn struct {
	id       string
	kind     string
	userID   string // empty for a usernameless approval until it succeeds
	username string
	session  webauthn.SessionData
	state    string
	token    string
	created  time.Time
	expires  time.Time
}

// pubKeyCredParams are ES256, EdDSA and RS256, in that order of preference.
var pubKeyCredParams = []protocol.CredentialParameter{
	{Type: protocol.PublicKeyCredentialType, Algorithm: -7},
	{Type: protocol.PublicKeyCredentialType, Algorithm: -8},
	{Type: protocol.PublicKeyCredentialType, Algorithm: -257},
}

// Wire types. They are written here rather than shared with client/cloud,
// so a mistake in one side's JSON shows up as a failing test.

type selectionJSON struct {
	AuthenticatorAttachment string `json:"authenticatorAttachment,omitempty"`
	ResidentKey             string `json:"residentKey,omitempty"`
	RequireResidentKey      *bool  `json:"requireResidentKey,omitempty"`
	UserVerification        string `json:"userVerification,omitempty"`
}

type enrollRequest struct {
	Username string `json:"username"`
	// UserID, Message and Phone are documented optional members
	// (docs: registration-ref); Message and Phone apply to channel sms
	// only and are accepted and ignored here.
	UserID       string `json:"userId"`
	Message      string `json:"message"`
	Phone        string `json:"phone"`
	Channel      string `json:"channel"`
	DisplayName  string `json:"displayName"`
	FIDO2Options *struct {
		AuthenticatorSelection *selectionJSON `json:"authenticatorSelection"`
		Attestation            string         `json:"attestation"`
	} `json:"fido2Options"`
}

type descriptorJSON struct {
	Type       string   `json:"type"`
	ID         string   `json:"id"`
	Transports []string `json:"transports,omitempty"`
}

type creationOptionsJSON struct {
	RelyingParty struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"relyingParty"`
	User struct {
		ID          string `json:"id"`
		DisplayName string `json:"displayName"`
		Name        string `json:"name"`
	} `json:"user"`
	Challenge        string `json:"challenge"`
	PubKeyCredParams []struct {
		Alg  int64  `json:"alg"`
		Type string `json:"type"`
	} `json:"pubKeyCredParams"`
	Timeout                int              `json:"timeout"`
	ExcludeCredentials     []descriptorJSON `json:"excludeCredentials,omitempty"`
	AuthenticatorSelection selectionJSON    `json:"authenticatorSelection"`
	Attestation            string           `json:"attestation"`
}

type authenticatorJSON struct {
	AuthenticatorID   string `json:"authenticatorId"`
	Name              string `json:"name"`
	Type              string `json:"type,omitempty"`
	AuthenticatorType string `json:"authenticatorType"`
	State             string `json:"state"`
	EnrolledAt        string `json:"enrolledAt"`
}

type userJSON struct {
	UserID         string              `json:"userId"`
	Username       string              `json:"username"`
	DisplayName    string              `json:"displayName,omitempty"`
	Status         string              `json:"status"`
	CreatedAt      string              `json:"createdAt"`
	UpdatedAt      string              `json:"updatedAt"`
	Authenticators []authenticatorJSON `json:"authenticators"`
}

type enrollResponse struct {
	userJSON
	Phones        []string `json:"phones"`
	RecoveryCodes []string `json:"recoveryCodes"`
	Enrollment    struct {
		TransactionID             string              `json:"transactionId"`
		StatusToken               string              `json:"statusToken"`
		CredentialCreationOptions creationOptionsJSON `json:"credentialCreationOptions"`
	} `json:"enrollment"`
}

type appResult struct {
	Status       string `json:"status"`
	Token        string `json:"token,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
}

func writeAppFailure(w http.ResponseWriter, msg string) {
	status, body := appFailure(msg)
	writeJSON(w, status, body)
}

const timeFormat = "2006-01-02T15:04:05.000000Z"

func (u *userRec) json() userJSON {
	out := userJSON{
		UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Status: u.Status,
		CreatedAt: u.CreatedAt.UTC().Format(timeFormat), UpdatedAt: u.UpdatedAt.UTC().Format(timeFormat),
		Authenticators: []authenticatorJSON{},
	}
	for _, a := range u.Authenticators {
		out.Authenticators = append(out.Authenticators, authenticatorJSON{
			AuthenticatorID: a.ID, Name: a.Name, Type: a.Type, AuthenticatorType: a.AuthenticatorType,
			State: a.State, EnrolledAt: a.EnrolledAt.UTC().Format(timeFormat),
		})
	}
	return out
}

func validUV(v string) bool {
	switch protocol.UserVerificationRequirement(v) {
	case protocol.VerificationRequired, protocol.VerificationPreferred, protocol.VerificationDiscouraged:
		return true
	}
	return false
}

func (s *Server) handleEnroll(w http.ResponseWriter, r *http.Request, body []byte) {
	var req enrollRequest
	if err := s.decodeRequest(body, &req); err != nil {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "malformed JSON body")
		return
	}
	if req.Username == "" && req.UserID != "" {
		// docs: registration-ref — username is "required if userId is not
		// provided, or if channel is set to fido2".
		writeCloudError(w, http.StatusBadRequest, "bad_request", "username is required for channel fido2")
		return
	}
	if req.Username == "" || len(req.Username) > 256 {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "username missing or too long")
		return
	}
	if req.Channel != "fido2" {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "channel must be fido2")
		return
	}
	// Without fido2Options the creation options are the documented
	// example's (docs.nevis.net/authcloud/authentication-methods/webauthn/
	// register-the-device, "Example FIDO2 registration response"):
	// requireResidentKey true, userVerification "preferred", attestation
	// "direct"; residentKey "required" is the same requirement in WebAuthn
	// Level 2's spelling (§5.4.4), which clients read first. A key that
	// cannot store a discoverable credential therefore cannot enroll. The
	// example's authenticatorAttachment "platform" is not copied: KeyDesk
	// enrolls roaming security keys (whether the Cloud sends it to every
	// instance the docs do not say).
	requireRK := true
	sel := selectionJSON{ResidentKey: "required", RequireResidentKey: &requireRK, UserVerification: "preferred"}
	attestation := "direct"
	if o := req.FIDO2Options; o != nil {
		if o.AuthenticatorSelection != nil {
			sel = *o.AuthenticatorSelection
		}
		if o.Attestation != "" {
			attestation = o.Attestation
		}
	}
	switch protocol.ConveyancePreference(attestation) {
	case protocol.PreferNoAttestation, protocol.PreferIndirectAttestation, protocol.PreferDirectAttestation, protocol.PreferEnterpriseAttestation:
	default:
		writeCloudError(w, http.StatusBadRequest, "bad_request", "unknown attestation conveyance preference")
		return
	}
	if sel.UserVerification != "" && !validUV(sel.UserVerification) {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "unknown userVerification")
		return
	}

	now := time.Now().UTC()
	s.mu.Lock()
	u := s.store.byName[req.Username]
	if u != nil {
		noteUser(r, u.ID, u.Username)
	}
	if req.UserID != "" && (u == nil || u.ID != req.UserID) {
		// A userId naming another user (or none) than the username: the
		// docs are silent; refusing fails safe.
		s.mu.Unlock()
		writeCloudError(w, http.StatusBadRequest, "bad_request", "userId does not match username")
		return
	}
	if u != nil && activeAuthenticators(u) >= MaxAuthenticatorsPerUser {
		s.mu.Unlock()
		writeCloudError(w, http.StatusBadRequest, "bad_request", errTooManyAuthenticators.Error())
		return
	}
	if rec := intentOf(r); rec != nil {
		// The bearer is an intent token: it must be bound to this user
		// (intent.go); it is spent here, once the call is accepted.
		if f := s.redeemIntent(rec, u, req.Username); f != nil {
			s.mu.Unlock()
			writeIntentRefusal(w, f)
			return
		}
	}
	if u == nil {
		u = &userRec{ID: uuid.NewString(), Username: req.Username, DisplayName: req.DisplayName,
			Status: userStatusNew, CreatedAt: now, UpdatedAt: now}
		s.store.addUser(u)
	} else if req.DisplayName != "" && req.DisplayName != u.DisplayName {
		u.DisplayName, u.UpdatedAt = req.DisplayName, now
	}
	saveErr := s.store.save()
	user := u.snapshot()
	uj := u.json()
	s.mu.Unlock()
	if saveErr != nil {
		writeCloudError(w, http.StatusInternalServerError, "internal_error", "saving state failed")
		return
	}

	var exclude []protocol.CredentialDescriptor
	for _, c := range user.creds {
		exclude = append(exclude, c.Descriptor())
	}
	waSel := protocol.AuthenticatorSelection{
		AuthenticatorAttachment: protocol.AuthenticatorAttachment(sel.AuthenticatorAttachment),
		RequireResidentKey:      sel.RequireResidentKey,
		ResidentKey:             protocol.ResidentKeyRequirement(sel.ResidentKey),
		UserVerification:        protocol.UserVerificationRequirement(sel.UserVerification),
	}
	creation, session, err := s.wa.BeginRegistration(user,
		webauthn.WithCredentialParameters(pubKeyCredParams),
		webauthn.WithExclusions(exclude),
		webauthn.WithAuthenticatorSelection(waSel),
		webauthn.WithConveyancePreference(protocol.ConveyancePreference(attestation)),
	)
	if err != nil {
		writeCloudError(w, http.StatusInternalServerError, "internal_error", "starting registration failed")
		return
	}
	t, statusToken, err := s.newTxn(kindEnroll, u.ID, u.Username, *session)
	if err != nil {
		writeCloudError(w, http.StatusInternalServerError, "internal_error", "signing token failed")
		return
	}

	var resp enrollResponse
	resp.userJSON = uj
	resp.Phones = []string{}
	resp.Enrollment.TransactionID = t.id
	resp.Enrollment.StatusToken = statusToken
	o := &resp.Enrollment.CredentialCreationOptions
	s.mu.Lock()
	wrong := s.wrongRPID
	s.mu.Unlock()
	switch {
	case wrong != "":
		o.RelyingParty.ID = wrong
	case s.cfg.ExplicitRPID:
		o.RelyingParty.ID = s.cfg.RPID
	}
	o.RelyingParty.Name = s.cfg.RPName
	o.User.ID = base64.RawURLEncoding.EncodeToString(user.WebAuthnID())
	o.User.Name = user.WebAuthnName()
	o.User.DisplayName = user.WebAuthnDisplayName()
	o.Challenge = creation.Response.Challenge.String()
	for _, p := range creation.Response.Parameters {
		o.PubKeyCredParams = append(o.PubKeyCredParams, struct {
			Alg  int64  `json:"alg"`
			Type string `json:"type"`
		}{int64(p.Algorithm), string(p.Type)})
	}
	o.Timeout = creation.Response.Timeout
	for _, d := range creation.Response.CredentialExcludeList {
		o.ExcludeCredentials = append(o.ExcludeCredentials, descriptorJSON{Type: string(d.Type), ID: d.CredentialID.String()})
	}
	o.AuthenticatorSelection = sel
	o.Attestation = attestation
	answer, err := s.enrollAnswer(resp)
	if err != nil {
		writeCloudError(w, http.StatusInternalServerError, "internal_error", "encoding the answer failed")
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

// newTxn records a pending transaction and signs its status token.
func (s *Server) newTxn(kind, userID, username string, session webauthn.SessionData) (*txn, string, error) {
	now := time.Now()
	t := &txn{
		id: uuid.NewString(), kind: kind, userID: userID, username: username, session: session,
		state: statePending, created: now, expires: now.Add(s.cfg.Timeout),
	}
	tok, err := s.signToken(typStatus, t.id, userID, "", now, s.cfg.Timeout+time.Minute)
	if err != nil {
		return nil, "", err
	}
	s.mu.Lock()
	s.pruneTxns(now)
	s.txns[t.id] = t
	s.mu.Unlock()
	return t, tok, nil
}

// pruneTxns forgets transactions whose tokens have all expired; the caller
// holds s.mu. It runs at most once a minute, so the cost stays flat.
func (s *Server) pruneTxns(now time.Time) {
	if now.Sub(s.lastPrune) < time.Minute {
		return
	}
	s.lastPrune = now
	horizon := s.cfg.Timeout + time.Minute + s.cfg.TokenTTL
	for id, t := range s.txns {
		if now.Sub(t.created) > horizon {
			if t.state == statePending {
				// Never finished nor polled after its timeout: it
				// failed when it expired.
				s.logTxnAt(t, stateFailed, t.expires)
			}
			delete(s.txns, id)
		}
	}
}

// appTxn finds the pending transaction of kind named by a status token.
// On an error the transaction is returned too when the token named one (it
// has ended, or has just timed out), so that the refusal names its user.
func (s *Server) appTxn(statusToken, kind string) (*txn, error) {
	if statusToken == "" {
		return nil, errors.New("statusToken missing")
	}
	c, err := s.parseToken(statusToken, typStatus)
	if err != nil {
		return nil, errors.New("invalid or expired status token")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.txns[c.ID]
	if t == nil || t.kind != kind {
		return nil, errors.New("unknown transaction")
	}
	if t.state != statePending {
		return t, errors.New("transaction is not pending")
	}
	if time.Now().After(t.expires) {
		t.state = stateFailed // journalled by the caller's refusal
		return t, errors.New("transaction timed out")
	}
	return t, nil
}

// refuseApp journals an _app result refused before its transaction could
// be judged (no such transaction, one that has ended or timed out), with
// the transaction's user when the token named one.
func (s *Server) refuseApp(r *http.Request, t *txn) {
	if t != nil {
		noteUser(r, t.userID, t.username)
	}
	s.auditFailed(r)
}

func (s *Server) failTxn(r *http.Request, t *txn) {
	s.mu.Lock()
	s.failTxnLocked(t)
	s.mu.Unlock()
	markLogged(r)
}

type attestationRequest struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Response struct {
		AttestationObject string `json:"attestationObject"`
		ClientDataJSON    string `json:"clientDataJSON"`
	} `json:"response"`
	StatusToken      string `json:"statusToken"`
	UserFriendlyName string `json:"userFriendlyName"`
	UserAgent        string `json:"userAgent"`
}

// decodeLenient decodes an _app body, which a browser script produces and
// may extend; unknown members are ignored there.
func decodeLenient(body []byte, v any) error { return json.Unmarshal(body, v) }

func b64(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

func (s *Server) handleAttestation(w http.ResponseWriter, r *http.Request, body []byte) {
	var req attestationRequest
	if err := decodeLenient(body, &req); err != nil {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "malformed JSON body")
		return
	}
	t, err := s.appTxn(req.StatusToken, kindEnroll)
	if err != nil {
		s.refuseApp(r, t)
		writeAppFailure(w, err.Error())
		return
	}
	cred, parsed, err := s.verifyAttestation(t, req)
	if err != nil {
		s.failTxn(r, t)
		writeAppFailure(w, "attestation rejected: "+err.Error())
		return
	}

	name := req.UserFriendlyName
	if name == "" {
		name = defaultKeyName
	}
	if len(name) > maxFriendlyName {
		name = name[:maxFriendlyName]
	}
	var trust ctapprotocol.Trust
	if s.cfg.AttestationPolicy == RecordTrust {
		trust = s.trustVerdict(parsed)
	}
	status, resp := s.commitAttestation(t, cred, parsed, name, trust)
	markLogged(r) // the commit journals its outcome
	writeJSON(w, status, resp)
}

// commitAttestation stores the credential and ends the transaction; the
// answer is written by the caller, after the lock is released.
func (s *Server) commitAttestation(t *txn, cred *webauthn.Credential, parsed *protocol.ParsedCredentialCreationData, name string, trust ctapprotocol.Trust) (int, any) {
	now := time.Now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.store.byID[t.userID]
	if t.state != statePending || u == nil {
		if t.state == statePending {
			s.failTxnLocked(t)
		} else {
			s.logTxn(t, stateFailed) // ended meanwhile: this result still failed
		}
		return appFailure("transaction is not pending")
	}
	if s.store.byCred[string(cred.ID)] != nil {
		s.failTxnLocked(t)
		return appFailure("credential already registered")
	}
	if activeAuthenticators(u) >= MaxAuthenticatorsPerUser {
		s.failTxnLocked(t)
		return appFailure(errTooManyAuthenticators.Error())
	}
	s.store.addAuthenticator(u, &authRec{
		ID: uuid.NewString(), UserID: u.ID, Name: name, Type: documentedFIDO2Platform, AuthenticatorType: documentedAuthenticatorType,
		State: authStateActive, EnrolledAt: now, Credential: *cred, Trust: trust,
	})
	return s.succeed(t, u, now)
}

// succeed saves the store and ends the transaction with a transaction
// token; called with s.mu held.
func (s *Server) succeed(t *txn, u *userRec, now time.Time) (int, any) {
	if err := s.store.save(); err != nil {
		s.failTxnLocked(t)
		return http.StatusInternalServerError, cloudError{Error: "internal_error", Message: "saving state failed", Status: 500}
	}
	tok, err := s.signToken(typTransaction, t.id, u.ID, u.Username, now, s.cfg.TokenTTL)
	if err != nil {
		s.failTxnLocked(t)
		return http.StatusInternalServerError, cloudError{Error: "internal_error", Message: "signing token failed", Status: 500}
	}
	t.state, t.token, t.userID, t.username = stateSucceeded, tok, u.ID, u.Username
	s.logTxn(t, stateSucceeded)
	return http.StatusOK, appResult{Status: stateSucceeded, Token: tok}
}

func (s *Server) verifyAttestation(t *txn, req attestationRequest) (*webauthn.Credential, *protocol.ParsedCredentialCreationData, error) {
	rawID, err1 := b64(req.ID)
	cdj, err2 := b64(req.Response.ClientDataJSON)
	ao, err3 := b64(req.Response.AttestationObject)
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, nil, errors.New("fields are not base64url without padding")
	}
	ccr := protocol.CredentialCreationResponse{
		PublicKeyCredential: protocol.PublicKeyCredential{
			Credential: protocol.Credential{ID: req.ID, Type: req.Type},
			RawID:      rawID,
		},
		AttestationResponse: protocol.AuthenticatorAttestationResponse{
			AuthenticatorResponse: protocol.AuthenticatorResponse{ClientDataJSON: cdj},
			AttestationObject:     ao,
		},
	}
	parsed, err := ccr.Parse()
	if err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	u := s.store.byID[t.userID]
	var user waUser
	if u != nil {
		user = u.snapshot()
	}
	s.mu.Unlock()
	if u == nil {
		return nil, nil, errors.New("user no longer exists")
	}
	cred, err := s.wa.CreateCredential(user, t.session, parsed)
	if err != nil {
		return nil, nil, err
	}
	if s.cfg.AttestationPolicy == RecordTrust && !s.cfg.RequireTrustedAttestation {
		return cred, parsed, nil // judged, not refused: trustVerdict
	}
	if err := s.checkAttestationTrust(parsed); err != nil {
		return nil, nil, err
	}
	return cred, parsed, nil
}

// checkAttestationTrust verifies the attestation certificate chain against
// Config.AttestationRoots. go-webauthn checks the attestation signature but
// leaves trust in the certificate to the relying party (or to an MDS, which
// knows nothing of a test CA).
func (s *Server) checkAttestationTrust(p *protocol.ParsedCredentialCreationData) error {
	roots := s.cfg.AttestationRoots
	if roots == nil && !s.cfg.RequireTrustedAttestation {
		return nil
	}
	x5c, _ := p.Response.AttestationObject.AttStatement["x5c"].([]any)
	if len(x5c) == 0 {
		if s.cfg.RequireTrustedAttestation {
			return fmt.Errorf("%s attestation without a certificate chain is not trusted", p.Response.AttestationObject.Format)
		}
		return nil
	}
	if roots == nil {
		return errors.New("no attestation roots configured")
	}
	var certs []*x509.Certificate
	for _, c := range x5c {
		der, ok := c.([]byte)
		if !ok {
			return errors.New("malformed x5c")
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return errors.New("malformed attestation certificate")
		}
		certs = append(certs, cert)
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	if _, err := certs[0].Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}); err != nil {
		return fmt.Errorf("attestation certificate not trusted: %w", err)
	}
	return nil
}

type approvalRequest struct {
	Username        string `json:"username"`
	UserID          string `json:"userId"`
	Channel         string `json:"channel"`
	AuthenticatorID string `json:"authenticatorId"`
	FIDO2Options    *struct {
		UserVerification string `json:"userVerification"`
	} `json:"fido2Options"`
}

type approvalResponse struct {
	TransactionID            string `json:"transactionId"`
	UserID                   string `json:"userId,omitempty"`
	StatusToken              string `json:"statusToken"`
	CredentialRequestOptions struct {
		Challenge        string           `json:"challenge"`
		Timeout          int              `json:"timeout"`
		RPID             string           `json:"rpId"`
		AllowCredentials []descriptorJSON `json:"allowCredentials"`
		UserVerification string           `json:"userVerification"`
	} `json:"credentialRequestOptions"`
}

func (s *Server) handleApproval(w http.ResponseWriter, r *http.Request, body []byte) {
	var req approvalRequest
	if err := s.decodeRequest(body, &req); err != nil {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "malformed JSON body")
		return
	}
	if req.Channel != "fido2" {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "channel must be fido2")
		return
	}
	uv := "preferred"
	if req.FIDO2Options != nil && req.FIDO2Options.UserVerification != "" {
		uv = req.FIDO2Options.UserVerification
	}
	if !validUV(uv) {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "unknown userVerification")
		return
	}
	uvOpt := webauthn.WithUserVerification(protocol.UserVerificationRequirement(uv))

	var (
		assertion *protocol.CredentialAssertion
		session   *webauthn.SessionData
		err       error
		userID    string
		username  string
	)
	if req.Username == "" && req.UserID == "" {
		if intentOf(r) != nil {
			// An intent token is "tied to a specific user": a usernameless
			// approval names none.
			writeCloudError(w, http.StatusForbidden, "forbidden", "intent token is for another user")
			return
		}
		if req.AuthenticatorID != "" {
			writeCloudError(w, http.StatusBadRequest, "bad_request", "authenticatorId needs a user")
			return
		}
		assertion, session, err = s.wa.BeginDiscoverableLogin(uvOpt)
	} else {
		s.mu.Lock()
		u := s.store.byID[req.UserID]
		if req.UserID == "" {
			u = s.store.byName[req.Username]
		} else if u != nil && req.Username != "" && u.Username != req.Username {
			u = nil
		}
		var user waUser
		var allow []protocol.CredentialDescriptor
		authFound := req.AuthenticatorID == ""
		if u != nil {
			noteUser(r, u.ID, u.Username)
			user = u.snapshot()
			if req.AuthenticatorID == "" {
				if a := defaultApprovalAuthenticator(u); a != nil {
					allow = append(allow, a.Credential.Descriptor())
				}
			}
			for _, a := range u.Authenticators {
				if a.State == authStateActive && req.AuthenticatorID != "" && a.ID == req.AuthenticatorID {
					allow = append(allow, a.Credential.Descriptor())
					authFound = true
				}
			}
		}
		var refusal *intentRefusal
		if rec := intentOf(r); rec != nil && (!rec.boundTo(u, req.Username) || (authFound && len(allow) > 0)) {
			// Another user's token is refused (and logged) first; the
			// user's own is spent only on an approval that can start.
			refusal = s.redeemIntent(rec, u, req.Username)
		}
		s.mu.Unlock()
		switch {
		case refusal != nil:
			writeIntentRefusal(w, refusal)
			return
		case u == nil:
			writeCloudError(w, http.StatusNotFound, "not_found", "user not found")
			return
		case !authFound:
			writeCloudError(w, http.StatusNotFound, "not_found", "authenticator not found")
			return
		case len(allow) == 0:
			writeCloudError(w, http.StatusBadRequest, "no_authenticator", "user has no active FIDO2 authenticator")
			return
		}
		userID, username = user.id, u.Username
		assertion, session, err = s.wa.BeginLogin(user, webauthn.WithAllowedCredentials(allow), uvOpt)
	}
	if err != nil {
		writeCloudError(w, http.StatusInternalServerError, "internal_error", "starting authentication failed")
		return
	}
	t, statusToken, err := s.newTxn(kindApprove, userID, username, *session)
	if err != nil {
		writeCloudError(w, http.StatusInternalServerError, "internal_error", "signing token failed")
		return
	}
	var resp approvalResponse
	resp.TransactionID = t.id
	resp.UserID = userID
	resp.StatusToken = statusToken
	o := &resp.CredentialRequestOptions
	o.Challenge = assertion.Response.Challenge.String()
	o.Timeout = assertion.Response.Timeout
	o.RPID = s.cfg.RPID
	s.mu.Lock()
	if s.wrongRPID != "" {
		o.RPID = s.wrongRPID
	}
	s.mu.Unlock()
	o.AllowCredentials = []descriptorJSON{}
	for _, d := range assertion.Response.AllowedCredentials {
		o.AllowCredentials = append(o.AllowCredentials, descriptorJSON{Type: string(d.Type), ID: d.CredentialID.String()})
	}
	o.UserVerification = string(assertion.Response.UserVerification)
	writeJSON(w, http.StatusOK, resp)
}

type assertionRequest struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Response struct {
		AuthenticatorData string `json:"authenticatorData"`
		ClientDataJSON    string `json:"clientDataJSON"`
		Signature         string `json:"signature"`
		UserHandle        string `json:"userHandle"`
	} `json:"response"`
	StatusToken string `json:"statusToken"`
	UserAgent   string `json:"userAgent"`
}

func (s *Server) handleAssertion(w http.ResponseWriter, r *http.Request, body []byte) {
	var req assertionRequest
	if err := decodeLenient(body, &req); err != nil {
		writeCloudError(w, http.StatusBadRequest, "bad_request", "malformed JSON body")
		return
	}
	t, err := s.appTxn(req.StatusToken, kindApprove)
	if err != nil {
		s.refuseApp(r, t)
		writeAppFailure(w, err.Error())
		return
	}
	if err := checkUserHandle(req); err != nil && !(s.cfg.AcceptAssertionsWithoutUserHandle && t.userID != "") {
		s.failTxn(r, t)
		writeAppFailure(w, "assertion rejected: "+err.Error())
		return
	}
	cred, userID, err := s.verifyAssertion(t, req)
	if err != nil {
		s.failTxn(r, t)
		writeAppFailure(w, "assertion rejected: "+err.Error())
		return
	}
	status, resp := s.commitAssertion(t, cred, userID)
	markLogged(r) // the commit journals its outcome
	writeJSON(w, status, resp)
}

// commitAssertion records the new sign counter and ends the transaction.
func (s *Server) commitAssertion(t *txn, cred *webauthn.Credential, userID string) (int, any) {
	now := time.Now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.store.byCred[string(cred.ID)]
	u := s.store.byID[userID]
	if t.state != statePending || a == nil || u == nil || a.UserID != userID || a.State != authStateActive {
		if t.state == statePending {
			s.failTxnLocked(t)
		} else {
			s.logTxn(t, stateFailed) // ended meanwhile: this result still failed
		}
		return appFailure("authenticator no longer active")
	}
	a.Credential.Authenticator = cred.Authenticator
	a.Credential.Flags = cred.Flags
	return s.succeed(t, u, now)
}

func (s *Server) verifyAssertion(t *txn, req assertionRequest) (*webauthn.Credential, string, error) {
	rawID, err1 := b64(req.ID)
	cdj, err2 := b64(req.Response.ClientDataJSON)
	ad, err3 := b64(req.Response.AuthenticatorData)
	sig, err4 := b64(req.Response.Signature)
	uh, err5 := b64(req.Response.UserHandle)
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		return nil, "", errors.New("fields are not base64url without padding")
	}
	car := protocol.CredentialAssertionResponse{
		PublicKeyCredential: protocol.PublicKeyCredential{
			Credential: protocol.Credential{ID: req.ID, Type: req.Type},
			RawID:      rawID,
		},
		AssertionResponse: protocol.AuthenticatorAssertionResponse{
			AuthenticatorResponse: protocol.AuthenticatorResponse{ClientDataJSON: cdj},
			AuthenticatorData:     ad,
			Signature:             sig,
			UserHandle:            uh,
		},
	}
	parsed, err := car.Parse()
	if err != nil {
		return nil, "", err
	}
	lookup := func(id string) (waUser, bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		u := s.store.byID[id]
		if u == nil {
			return waUser{}, false
		}
		return u.snapshot(), true
	}
	if t.userID != "" {
		user, ok := lookup(t.userID)
		if !ok {
			return nil, "", errors.New("user no longer exists")
		}
		cred, err := s.wa.ValidateLogin(user, t.session, parsed)
		if err != nil {
			return nil, "", err
		}
		if cred.Authenticator.CloneWarning {
			return nil, "", errors.New("signature counter did not increase: possible cloned authenticator")
		}
		return cred, user.id, nil
	}
	var found string
	cred, err := s.wa.ValidateDiscoverableLogin(func(_, userHandle []byte) (webauthn.User, error) {
		user, ok := lookup(string(userHandle))
		if !ok {
			return nil, errors.New("no user for this user handle")
		}
		found = user.id
		return user, nil
	}, t.session, parsed)
	if err != nil {
		return nil, "", err
	}
	if cred.Authenticator.CloneWarning {
		return nil, "", errors.New("signature counter did not increase: possible cloned authenticator")
	}
	return cred, found, nil
}
