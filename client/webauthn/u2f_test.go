package webauthn_test

import (
	"context"
	"encoding/base64"
	"errors"
	"testing"

	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/client/webauthn/options"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestU2FKeyThroughTheClient: a U2F key takes credential lists one ID per
// U2F message (libfido2 asks for each with check-only), so a list longer
// than one CTAP2 request is handed to it whole, never walked with the
// silent pre-flight, which a U2F key cannot answer (it signs only with a
// touch or without presence, and libfido2 refuses up=false for it).
func TestU2FKeyThroughTheClient(t *testing.T) {
	key := testkit.NewKey(t, virtualkey.Options{Profile: virtualkey.ProfileU2F})
	dev := key.Open(t)
	ctx := context.Background()
	const origin = "https://portal.example.com"
	var other []options.PublicKeyCredentialDescriptorJSON
	for i := range 24 {
		id := make([]byte, 96)
		id[0] = byte(i + 1)
		other = append(other, options.PublicKeyCredentialDescriptorJSON{Type: "public-key", ID: base64.RawURLEncoding.EncodeToString(id)})
	}
	create := &options.PublicKeyCredentialCreationOptionsJSON{
		RP:                     options.PublicKeyCredentialRpEntity{Name: "Portal"},
		User:                   options.PublicKeyCredentialUserEntityJSON{ID: "dXNlci0x", Name: "uma", DisplayName: "Uma"},
		Challenge:              "AAECAwQFBgcICQoLDA0ODw",
		PubKeyCredParams:       []options.PublicKeyCredentialParameters{{Type: "public-key", Alg: -7}},
		ExcludeCredentials:     other,
		AuthenticatorSelection: &options.AuthenticatorSelectionCriteria{ResidentKey: "discouraged"},
		Attestation:            "direct",
	}
	cred, err := webauthn.Create(ctx, dev, origin, create, testkit.NewPrompter(), webauthn.StepTimes{})
	if err != nil {
		t.Fatalf("create with a long exclude list: %v", err)
	}
	get := &options.PublicKeyCredentialRequestOptionsJSON{
		Challenge:        "EBESExQVFhcYGRobHB0eHw",
		AllowCredentials: append(append([]options.PublicKeyCredentialDescriptorJSON{}, other...), options.PublicKeyCredentialDescriptorJSON{Type: "public-key", ID: cred.ID}),
	}
	as, err := webauthn.Get(ctx, dev, origin, get, testkit.NewPrompter(), webauthn.StepTimes{})
	if err != nil || as.ID != cred.ID {
		t.Fatalf("get with a long allow list: %v", err)
	}

	// What a U2F key cannot give is refused as a browser refuses it:
	// a discoverable credential (ConstraintError), user verification
	// (NotAllowedError), each with the key's UNSUPPORTED_OPTION behind it,
	// and no PIN is asked for.
	p := testkit.NewPrompter()
	rk := *create
	rk.ExcludeCredentials = nil
	rk.AuthenticatorSelection = &options.AuthenticatorSelectionCriteria{ResidentKey: "required"}
	uv := rk
	uv.AuthenticatorSelection = &options.AuthenticatorSelectionCriteria{ResidentKey: "discouraged", UserVerification: "required"}
	getUV := *get
	getUV.UserVerification = "required"
	for _, tc := range []struct {
		name string
		dom  string
		call func() error
	}{
		{"create, residentKey required", webauthn.ConstraintError, func() error {
			_, err := webauthn.Create(ctx, dev, origin, &rk, p, webauthn.StepTimes{})
			return err
		}},
		{"create, userVerification required", webauthn.NotAllowedError, func() error {
			_, err := webauthn.Create(ctx, dev, origin, &uv, p, webauthn.StepTimes{})
			return err
		}},
		{"get, userVerification required", webauthn.NotAllowedError, func() error {
			_, err := webauthn.Get(ctx, dev, origin, &getUV, p, webauthn.StepTimes{})
			return err
		}},
	} {
		err := tc.call()
		var de *webauthn.DOMError
		if !errors.As(err, &de) || de.Name != tc.dom {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.dom)
		}
		if code, _ := ctap.CodeOf(err); code != ctap.StatusUnsupportedOption {
			t.Errorf("%s: cause %v, want UNSUPPORTED_OPTION", tc.name, err)
		}
	}
	if asked := p.PINRequests(); len(asked) != 0 {
		t.Errorf("a U2F key's PIN was asked for: %+v", asked)
	}
}
