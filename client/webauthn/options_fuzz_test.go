package webauthn_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/client/webauthn/options"
	"github.com/keydesk/keydesk/ctap"
)

// refusingKey is a key that records whether it was asked to do anything
// and refuses everything: the fuzz targets check only the client's side.
type refusingKey struct{ touched bool }

var errRefused = &ctap.Error{Op: "fuzz", Code: ctap.StatusOperationDenied}

func (k *refusingKey) Path() string { return "fuzz" }
func (k *refusingKey) Info(context.Context) (*ctap.Info, error) {
	return &ctap.Info{Options: map[string]bool{"rk": true}}, nil
}
func (k *refusingKey) MakeCredential(_ context.Context, req ctap.MakeCredentialRequest, _ ctap.Prompter) (*ctap.MakeCredentialResult, error) {
	k.touched = true
	checkRequest(req.RP.ID, req.ClientDataHash, req.Timeout)
	return nil, errRefused
}
func (k *refusingKey) GetAssertion(_ context.Context, req ctap.GetAssertionRequest, _ ctap.Prompter) ([]ctap.AssertionResult, error) {
	k.touched = true
	checkRequest(req.RPID, req.ClientDataHash, req.Timeout)
	return nil, errRefused
}

// checkRequest panics (failing the fuzz run) when the client sent the key
// something no valid options can produce.
func checkRequest(rpID string, cdh []byte, timeout interface{ Seconds() float64 }) {
	if len(cdh) != 32 {
		panic("client data hash is not 32 bytes")
	}
	if t := timeout.Seconds(); t < webauthn.MinTimeout.Seconds() || t > webauthn.MaxTimeout.Seconds() {
		panic("timeout outside the clamp")
	}
	o, _ := webauthn.ParseOrigin(fuzzOrigin)
	if got, err := webauthn.EffectiveRPID(o, rpID); err != nil || got != rpID {
		panic("the key was asked for an RP ID the origin may not use: " + rpID)
	}
}

const fuzzOrigin = "https://portal.example.com"

// FuzzCreationOptions feeds arbitrary PublicKeyCredentialCreationOptionsJSON
// (as a server sends it) through the decoder and navigator.credentials.create:
// no panic; a malformed object is an OptionsError or a DOMError before the
// key is touched; the key only ever sees an RP ID valid for the origin.
func FuzzCreationOptions(f *testing.F) {
	for _, s := range []string{
		`{"relyingParty":{"id":"","name":"Portal"},"user":{"id":"dTE","name":"u1","displayName":"Ivy"},"challenge":"Y2hhbGxlbmdlLWNoYWxsZW5nZQ","pubKeyCredParams":[{"type":"public-key","alg":-7},{"type":"public-key","alg":-257}],"timeout":60000,"authenticatorSelection":{"residentKey":"preferred","userVerification":"preferred"},"attestation":"direct"}`,
		`{"rp":{"id":"example.com","name":"Portal"},"user":{"id":"dTE","name":"u1","displayName":""},"challenge":"AAAA","pubKeyCredParams":[],"excludeCredentials":[{"type":"public-key","id":"aWQ"}],"extensions":{"credProps":true,"hmacCreateSecret":true,"credentialProtectionPolicy":"userVerificationRequired"}}`,
		`{"relyingParty":{"id":"evil.example"},"user":{"id":"dTE","name":"u"},"challenge":"AAAA"}`,
		`{"relyingParty":{"id":"com"},"user":{"id":"dTE","name":"u"},"challenge":"AAAA"}`,
		`{"rp":{"id":"evil.example"},"user":{"id":"dTE","name":"u"},"challenge":"AAAA"}`,
		`{"rp":{"id":"com"},"user":{"id":"dTE","name":"u"},"challenge":"AAAA"}`,
		`{"user":{"id":"","name":"u"},"challenge":"AAAA","pubKeyCredParams":[{"type":"x","alg":-7}]}`,
		`{"challenge":"not base64 !","user":{"id":"dTE","name":"u"}}`, `{}`, `null`, `[]`, `{"timeout":-1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var opts options.PublicKeyCredentialCreationOptionsJSON
		if json.Unmarshal(raw, &opts) != nil {
			return
		}
		key := &refusingKey{}
		cred, err := webauthn.Create(context.Background(), key, fuzzOrigin, &opts, nil, webauthn.StepTimes{})
		checkRefused(t, key, cred, err)
	})
}

// FuzzRequestOptions is FuzzCreationOptions for
// PublicKeyCredentialRequestOptionsJSON and navigator.credentials.get.
func FuzzRequestOptions(f *testing.F) {
	for _, s := range []string{
		`{"challenge":"Y2hhbGxlbmdlLWNoYWxsZW5nZQ","timeout":60000,"rpId":"portal.example.com","allowCredentials":[{"type":"public-key","id":"aWQ"}],"userVerification":"preferred"}`,
		`{"challenge":"AAAA","rpId":"example.com"}`,
		`{"challenge":"AAAA","rpId":"example.com.evil.example"}`,
		`{"challenge":"AAAA","rpId":"127.0.0.1"}`,
		`{"challenge":"AAAA","allowCredentials":[{"id":""}]}`,
		`{"challenge":""}`, `{}`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var opts options.PublicKeyCredentialRequestOptionsJSON
		if json.Unmarshal(raw, &opts) != nil {
			return
		}
		key := &refusingKey{}
		cred, err := webauthn.Get(context.Background(), key, fuzzOrigin, &opts, nil, webauthn.StepTimes{})
		checkRefused(t, key, cred, err)
	})
}

// checkRefused asserts what both option fuzzers require of a ceremony with
// a key that refuses everything: no credential; invalid options and a
// SecurityError end before the key is touched; no other kind of error.
func checkRefused(t *testing.T, key *refusingKey, cred *webauthn.PublicKeyCredential, err error) {
	t.Helper()
	if err == nil || cred != nil {
		t.Fatalf("a refusing key produced a credential: %v", err)
	}
	var oe *webauthn.OptionsError
	var de *webauthn.DOMError
	switch {
	case errors.As(err, &oe):
		if key.touched {
			t.Fatal("invalid options reached the key")
		}
	case errors.As(err, &de):
		if de.Name == webauthn.SecurityError && key.touched {
			t.Fatal("a SecurityError after the key was touched")
		}
	default:
		t.Fatalf("error of type %T: %v", err, err)
	}
}
