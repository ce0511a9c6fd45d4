package webauthn_test

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/client/webauthn/options"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestU2FKeyWithLongLists: a U2F key takes credential lists one ID per
// U2F message (libfido2 asks for each with check-only), so a list longer
// than one CTAP2 request is handed to it whole, never walked with the
// silent pre-flight, which a U2F key cannot answer (it signs only with a
// touch or without presence, and libfido2 refuses up=false for it).
func TestU2FKeyWithLongLists(t *testing.T) {
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
}
