package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/idna"
)

// This file holds what makes the emulator behave as the Authentication
// Cloud's published documentation and the two official FIDO2 sample apps
// say the Cloud behaves (issue 13), kept apart from the handlers so that
// each rule names its source:
//
//   - docs: https://docs.nevis.net/authcloud/api-doc/api-reference/ (the
//     pages registration-ref, approval-ref, status-ref, attestation-ref,
//     assertion-ref, users-endpoint-ref, authenticator-endpoint-ref) and
//     https://docs.nevis.net/authcloud/operator-faq;
//   - iOS sample: nevissecurity/nevis-mobile-authentication-fido2-example-ios
//     (FIDO2/Data/…/AuthenticationCloud/*.swift);
//   - Android sample: nevissecurity/nevis-mobile-authentication-fido2-example-android
//     (app/src/main/java/…/data/retrofit/ApiInterface.kt, data/model/*.kt).
//
// Where the sources are silent the choice is the one that fails safe, and
// README.md ("Where the documentation is silent") lists it.

// RP styles: how the creation options name the relying party.
const (
	// RPStyleRelyingParty is the documentation's spelling
	// ("relyingParty", docs: authentication-methods/webauthn/register-the-device,
	// 2021 example), the default.
	RPStyleRelyingParty = "relyingParty"
	// RPStyleRP is the samples' spelling ("rp": iOS
	// CredentialCreationOptions.swift, Android CredentialCreationOptions.kt),
	// the standard WebAuthn member name.
	RPStyleRP = "rp"
)

// MaxAuthenticatorsPerUser is the documented limit: "A user can register
// up to 10 authenticators" (docs: operator-faq).
const MaxAuthenticatorsPerUser = 10

// Authenticator kinds as the users endpoint documents them (docs:
// users-endpoint-ref): authenticatorType is "app" or "fido2"; type is the
// mobile platform ("ios", "android") of a mobile app authenticator, so a
// FIDO2 authenticator has none.
const (
	documentedAuthenticatorType = "fido2"
	documentedFIDO2Platform     = ""
)

// checkRPStyle validates Config.RPStyle ("" is the default).
func checkRPStyle(style string) (string, error) {
	switch style {
	case "":
		return RPStyleRelyingParty, nil
	case RPStyleRelyingParty, RPStyleRP:
		return style, nil
	}
	return "", fmt.Errorf("emulator: rp style %q: want %q or %q", style, RPStyleRelyingParty, RPStyleRP)
}

// decodeRequest decodes a JSON request body of a server endpoint. Unknown
// members are ignored, as a documented API extended over time must allow
// (docs' request tables list optional members a client may or may not
// send; the samples send members KeyDesk does not); Config.RejectUnknownMembers
// turns the old strict check back on for tests that want a misspelt
// member to fail.
func (s *Server) decodeRequest(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if s.cfg.RejectUnknownMembers {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after JSON body")
	}
	return nil
}

// bearerOptional are the server endpoints whose documented examples send
// no Authorization header: the status endpoint (docs: status-ref, "Example
// HTTP request", cURL and Python). An absent header is accepted there; a
// header that is present but wrong is still refused (the docs are silent
// on it, and refusing fails safe).
var bearerOptional = map[Endpoint]bool{EndpointStatus: true}

// authorised reports whether a request may reach ep's handler: _app
// endpoints need no key, server endpoints the access key, and the
// bearerOptional ones no Authorization header at all or the right key.
func authorised(ep Endpoint, server, hasAuthorization, valid bool) bool {
	return !server || valid || (!hasAuthorization && bearerOptional[ep])
}

// sampleRoutes serves the paths with the trailing slash the Android sample
// uses ("api/v1/users/enroll/", "_app/attestation/result/",
// "api/v1/approval/", "_app/assertion/result/": ApiInterface.kt); the docs
// and the iOS sample use them without. Both reach the same handler. {$}
// keeps each pattern exact (a bare trailing slash would match a subtree).
func (s *Server) sampleRoutes(mux *http.ServeMux) {
	s.handle(mux, "POST /api/v1/users/enroll/{$}", EndpointEnroll, true, s.handleEnroll)
	s.handle(mux, "POST /_app/attestation/result/{$}", EndpointAttestation, false, s.handleAttestation)
	s.handle(mux, "POST /api/v1/approval/{$}", EndpointApproval, true, s.handleApproval)
	s.handle(mux, "POST /_app/assertion/result/{$}", EndpointAssertion, false, s.handleAssertion)
}

// appFailure is an _app result endpoint's failure as the samples expect
// it: HTTP 200 with {status: "failed", errorMessage}. Both samples read
// errorMessage only from a 2xx answer and treat any other status as a
// transport error (iOS AuthenticationCloudDataSourceImpl.execute and
// ServerResponse.isError; Android AttestationResponse.kt with Retrofit,
// which throws on non-2xx); the docs describe errorMessage as "the error
// message when the status is failed" (attestation-ref, assertion-ref).
func appFailure(msg string) (int, appResult) {
	return http.StatusOK, appResult{Status: stateFailed, ErrorMessage: msg}
}

// checkUserHandle enforces the documented assertion body:
// response.userHandle is "required … cannot be null or empty" (docs:
// assertion-ref). Browsers send null for a credential that is not
// discoverable; the Cloud refuses that, so the emulator does too.
func checkUserHandle(req assertionRequest) error {
	if req.Response.UserHandle == "" {
		return errors.New("response.userHandle is required and cannot be empty")
	}
	return nil
}

// errTooManyAuthenticators refuses an enrollment beyond the documented
// limit. Where the Cloud refuses it (at the start, or at the attestation)
// and with which body is not documented: the emulator refuses at the start,
// before a key makes a credential it could not register, and again at the
// attestation should two enrollments race.
var errTooManyAuthenticators = fmt.Errorf("the user already has %d authenticators, the documented maximum", MaxAuthenticatorsPerUser)

// activeAuthenticators counts a user's authenticators that still count
// against the limit (every registered one; a removed one is gone).
func activeAuthenticators(u *userRec) int { return len(u.Authenticators) }

// defaultApprovalAuthenticator is the authenticator an approval without
// authenticatorId goes to: "The default is the last registered device"
// (docs: approval-ref; operator-faq: "the most recently added authenticator
// receives the notification by default"). Nil when the user has no active
// one. The docs' "*" (any authenticator) is documented only for channel
// app, so fido2 gets no such wildcard.
func defaultApprovalAuthenticator(u *userRec) *authRec {
	var last *authRec
	for _, a := range u.Authenticators {
		if a.State != authStateActive {
			continue
		}
		if last == nil || !a.EnrolledAt.Before(last.EnrolledAt) {
			last = a
		}
	}
	return last
}

// normaliseAuthenticatorKinds rewrites kinds saved by older emulators
// (type "fido2", authenticatorType "cross-platform") into the documented
// ones.
func normaliseAuthenticatorKinds(a *authRec) {
	a.Type, a.AuthenticatorType = documentedFIDO2Platform, documentedAuthenticatorType
}

// enrollAnswer is the enrollment answer in the configured RP style: in
// "rp" style the creation options' "relyingParty" member is renamed "rp".
func (s *Server) enrollAnswer(resp enrollResponse) (any, error) {
	if s.cfg.RPStyle != RPStyleRP {
		return resp, nil
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return nil, err
	}
	var top map[string]json.RawMessage
	var enr map[string]json.RawMessage
	var cco map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(top["enrollment"], &enr); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(enr["credentialCreationOptions"], &cco); err != nil {
		return nil, err
	}
	cco["rp"] = cco["relyingParty"]
	delete(cco, "relyingParty")
	if enr["credentialCreationOptions"], err = json.Marshal(cco); err != nil {
		return nil, err
	}
	if top["enrollment"], err = json.Marshal(enr); err != nil {
		return nil, err
	}
	return top, nil
}

// hostToASCII is UTS #46 ToASCII with the URL standard's "domain to ASCII"
// settings (WHATWG URL §3.3, beStrict false), as browsers apply it.
var hostToASCII = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.CheckHyphens(false),
	idna.BidiRule(), idna.CheckJoiners(true), idna.StrictDomainName(false), idna.VerifyDNSLength(false))

// browserOrigin is the configured origin as a browser serialises it into
// clientDataJSON, and the RP ID (rpID, or the origin's host) as it is
// hashed into rpIdHash: host names in their ASCII form (UTS #46, as the
// URL standard's host parser does), no default port (WHATWG URL §4.4).
// go-webauthn compares both byte for byte, so a Unicode or ":443" spelling
// in Config would otherwise refuse every real client.
func browserOrigin(ou *url.URL, rpID string) (origin, id string, err error) {
	scheme := strings.ToLower(ou.Scheme)
	host := ou.Hostname()
	if net.ParseIP(host) == nil {
		if host, err = hostToASCII.ToASCII(host); err != nil {
			return "", "", fmt.Errorf("emulator: origin host %q: %w", ou.Hostname(), err)
		}
	}
	if rpID == "" {
		rpID = host
	} else if rpID, err = hostToASCII.ToASCII(rpID); err != nil {
		return "", "", fmt.Errorf("emulator: RP ID: %w", err)
	}
	hostPort := host
	if strings.Contains(host, ":") {
		hostPort = "[" + host + "]"
	}
	if p := ou.Port(); p != "" && !(scheme == "https" && p == "443") && !(scheme == "http" && p == "80") {
		hostPort += ":" + p
	}
	return scheme + "://" + hostPort, rpID, nil
}
