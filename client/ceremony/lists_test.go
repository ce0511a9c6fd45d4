package ceremony_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/client/webauthn/options"
)

// Options of the oversized-options tests (issue 11 item 24). The virtual
// key announces maxCredentialCountInList 8 and maxMsgSize 1200 and refuses
// longer lists with CTAP2_ERR_LIMIT_EXCEEDED, as a real key may.

func randomIDs(t *testing.T, n int) []options.PublicKeyCredentialDescriptorJSON {
	t.Helper()
	out := make([]options.PublicKeyCredentialDescriptorJSON, n)
	for i := range out {
		id := make([]byte, 64)
		if _, err := rand.Read(id); err != nil {
			t.Fatal(err)
		}
		out[i] = options.PublicKeyCredentialDescriptorJSON{Type: "public-key", ID: base64.RawURLEncoding.EncodeToString(id)}
	}
	return out
}

func creationOptions(name string, exclude []options.PublicKeyCredentialDescriptorJSON, rk bool) *options.PublicKeyCredentialCreationOptionsJSON {
	o := &options.PublicKeyCredentialCreationOptionsJSON{
		RP:                 options.PublicKeyCredentialRpEntity{ID: "portal.example.com", Name: "Portal"},
		User:               options.PublicKeyCredentialUserEntityJSON{ID: "dXNlci0x", Name: name, DisplayName: name},
		Challenge:          "AAECAwQFBgcICQoLDA0ODw",
		PubKeyCredParams:   []options.PublicKeyCredentialParameters{{Type: "public-key", Alg: -7}},
		ExcludeCredentials: exclude,
	}
	if rk {
		o.AuthenticatorSelection = &options.AuthenticatorSelectionCriteria{ResidentKey: "required", RequireResidentKey: true, UserVerification: "discouraged"}
	}
	return o
}

// enrollOne makes a (non-discoverable) credential on the rig's key.
func enrollOne(t *testing.T, r *rig) string {
	t.Helper()
	cred, err := webauthn.Create(context.Background(), r.dev, "https://portal.example.com", creationOptions("ivy", nil, false), r.prompter, webauthn.StepTimes{})
	if err != nil {
		t.Fatal(err)
	}
	return cred.ID
}

// TestLongExcludeListBatched: 10,000 excludeCredentials entries (600
// distinct, the key's own one near the end) end in InvalidStateError as a
// browser's would; a long list without it registers; 10,000 distinct IDs
// are refused with keydesk:credential-list-too-long before the key is
// asked to create anything.
func TestLongExcludeListBatched(t *testing.T) {
	r := newRig(t, rigOptions{})
	own := enrollOne(t, r)
	distinct := randomIDs(t, 600)
	distinct[590] = options.PublicKeyCredentialDescriptorJSON{Type: "public-key", ID: own}
	var list []options.PublicKeyCredentialDescriptorJSON
	for len(list) < 10000 {
		list = append(list, distinct...)
	}
	list = list[:10000]
	ctx := context.Background()
	_, err := webauthn.Create(ctx, r.dev, "https://portal.example.com", creationOptions("ivy", list, false), r.prompter, webauthn.StepTimes{})
	var de *webauthn.DOMError
	if !errors.As(err, &de) || de.Name != webauthn.InvalidStateError {
		t.Fatalf("10,000 entries with the key's own credential: %v, want InvalidStateError", err)
	}

	if _, err := webauthn.Create(ctx, r.dev, "https://portal.example.com", creationOptions("ivy", randomIDs(t, 100), false), r.prompter, webauthn.StepTimes{}); err != nil {
		t.Fatalf("100 foreign credentials: %v", err)
	}

	before := r.commands.Load()
	_, err = webauthn.Create(ctx, r.dev, "https://portal.example.com", creationOptions("ivy", randomIDs(t, 10000), false), r.prompter, webauthn.StepTimes{})
	if !errors.Is(err, result.New(result.KeyDesk("credential-list-too-long"))) {
		t.Fatalf("10,000 distinct entries: %v, want keydesk:credential-list-too-long", err)
	}
	if !errors.As(err, &de) || !strings.Contains(de.Message, "too many") && !strings.Contains(de.Message, "more credentials") {
		t.Errorf("message %v", err)
	}
	if got := r.commands.Load(); got != before {
		t.Errorf("the refused list reached the key (%d commands)", got-before)
	}
}

// TestLongAllowListBatched: the key's credential in the third batch of an
// allowCredentials list signs in; a long list of foreign credentials ends
// in NotAllowedError without asking for a touch.
func TestLongAllowListBatched(t *testing.T) {
	r := newRig(t, rigOptions{})
	own := enrollOne(t, r)
	allow := randomIDs(t, 40)
	allow[20] = options.PublicKeyCredentialDescriptorJSON{Type: "public-key", ID: own}
	req := &options.PublicKeyCredentialRequestOptionsJSON{Challenge: "AAECAwQFBgcICQoLDA0ODw", RPID: "portal.example.com", AllowCredentials: allow, UserVerification: "discouraged"}
	cred, err := webauthn.Get(context.Background(), r.dev, "https://portal.example.com", req, r.prompter, webauthn.StepTimes{})
	if err != nil {
		t.Fatalf("allow list with the key's credential in a later batch: %v", err)
	}
	if cred.ID != own {
		t.Errorf("signed with %s, want %s", cred.ID, own)
	}
	if ad := cred.AuthenticatorData(); ad == nil || !ad.Flags.UserPresent() {
		t.Errorf("the real assertion lacks user presence: %+v", ad)
	}

	touches := len(r.prompter.TouchRequests())
	req.AllowCredentials = randomIDs(t, 40)
	_, err = webauthn.Get(context.Background(), r.dev, "https://portal.example.com", req, r.prompter, webauthn.StepTimes{})
	var de *webauthn.DOMError
	if !errors.As(err, &de) || de.Name != webauthn.NotAllowedError {
		t.Fatalf("foreign list: %v, want NotAllowedError", err)
	}
	if len(r.prompter.TouchRequests()) != touches {
		t.Error("a touch was asked for a list the key holds nothing of")
	}
}

// TestLongNamesTruncated: a 1 MB user.name (and displayName, rp.name)
// registers, and the key stores the first 64 bytes, cut on a UTF-8
// boundary.
func TestLongNamesTruncated(t *testing.T) {
	r := newRig(t, rigOptions{})
	ctx := context.Background()
	if err := r.dev.SetPIN(ctx, "4321"); err != nil {
		t.Fatal(err)
	}
	name := "a" + strings.Repeat("é", 1<<19) // 1 MiB + 1 byte; byte 64 falls inside an "é"
	opts := creationOptions(name, nil, true)
	opts.RP.Name = name
	r.prompter.SetPINs("4321") // a discoverable credential needs the PIN
	if _, err := webauthn.Create(ctx, r.dev, "https://portal.example.com", opts, r.prompter, webauthn.StepTimes{}); err != nil {
		t.Fatalf("1 MB user.name: %v", err)
	}
	creds, err := r.dev.Credentials(ctx, "portal.example.com", "4321")
	if err != nil || len(creds) != 1 {
		t.Fatalf("reading the credential back: %v %d", err, len(creds))
	}
	want := "a" + strings.Repeat("é", 31) // 63 bytes: the 32nd "é" would end at byte 65
	if u := creds[0].User; u.Name != want || u.DisplayName != want {
		t.Errorf("stored user.name %q (%d bytes), displayName %d bytes, want %q", u.Name, len(u.Name), len(u.DisplayName), want)
	}
	rps, err := r.dev.RelyingParties(ctx, "4321")
	if err != nil || len(rps) != 1 || rps[0].Name != want {
		t.Errorf("stored rp.name: %+v %v", rps, err)
	}
}
