package cli

import (
	"encoding/json"
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestWebAuthnCreateBothSpellings: `keydesk webauthn create` reads the
// relying party of standard PublicKeyCredentialCreationOptionsJSON ("rp")
// and of the Cloud's credentialCreationOptions pasted as they came
// ("relyingParty", mapped by client/cloud). The RP ID is a parent domain
// of the origin's host, so a relying party that was not read (the host
// instead) fails go-webauthn's rpIdHash check.
func TestWebAuthnCreateBothSpellings(t *testing.T) {
	useConfigDir(t)
	k, err := demo.StartMemoryKey(virtualkey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	wa, err := webauthn.New(&webauthn.Config{RPID: "example.com", RPDisplayName: "Portal", RPOrigins: []string{"https://portal.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, rpMember := range []string{"rp", "relyingParty"} {
		u := &waUser{id: []byte("user-" + rpMember), name: "alice"}
		creation, session, err := wa.BeginRegistration(u)
		if err != nil {
			t.Fatal(err)
		}
		var opts map[string]any
		b, _ := json.Marshal(creation.Response)
		if err := json.Unmarshal(b, &opts); err != nil {
			t.Fatal(err)
		}
		if rpMember != "rp" {
			opts[rpMember], opts["rp"] = opts["rp"], nil
			delete(opts, "rp")
		}
		b, _ = json.Marshal(opts)
		code, out, errs := run(t, string(b), nil, "webauthn", "create", "--options", "-", "--origin", "https://portal.example.com", "--device", k.Path())
		if code != 0 {
			t.Fatalf("%s: webauthn create: exit %d\n%s", rpMember, code, errs)
		}
		parsed, err := protocol.ParseCredentialCreationResponseBytes([]byte(out))
		if err != nil {
			t.Fatalf("%s: go-webauthn cannot parse the output: %v\n%s", rpMember, err, out)
		}
		if _, err := wa.CreateCredential(u, *session, parsed); err != nil {
			t.Errorf("%s: go-webauthn rejects the credential (RP ID not read?): %v", rpMember, err)
		}
	}
}
