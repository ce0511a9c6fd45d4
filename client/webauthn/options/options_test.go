package options

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestStandardMemberNames: the types read and write the members of the
// WebAuthn IDL (the creation example of the web-platform-tests
// parseCreationOptionsFromJSON test, and a request), and nothing of the
// Cloud's spelling: "relyingParty" is not a relying party here.
func TestStandardMemberNames(t *testing.T) {
	var c PublicKeyCredentialCreationOptionsJSON
	if err := json.Unmarshal([]byte(`{"rp":{"id":"example.com","name":"Example Inc"},"user":{"id":"dGVzdA","name":"test@example.com","displayName":"test user"},"challenge":"dGVzdA","pubKeyCredParams":[{"type":"public-key","alg":-7}],"timeout":60000,"excludeCredentials":[{"type":"public-key","id":"aWQ","transports":["usb"]}],"authenticatorSelection":{"authenticatorAttachment":"cross-platform","residentKey":"required","requireResidentKey":true,"userVerification":"required"},"attestation":"direct","extensions":{"credProps":true}}`), &c); err != nil {
		t.Fatal(err)
	}
	sel := c.AuthenticatorSelection
	if c.RP.ID != "example.com" || c.RP.Name != "Example Inc" || c.User.ID != "dGVzdA" || c.User.Name != "test@example.com" ||
		c.User.DisplayName != "test user" || c.Challenge != "dGVzdA" || len(c.PubKeyCredParams) != 1 || c.PubKeyCredParams[0].Alg != -7 ||
		c.Timeout != 60000 || len(c.ExcludeCredentials) != 1 || c.ExcludeCredentials[0].ID != "aWQ" || c.ExcludeCredentials[0].Transports[0] != "usb" ||
		sel == nil || sel.AuthenticatorAttachment != "cross-platform" || sel.ResidentKey != "required" || !sel.RequireResidentKey ||
		sel.UserVerification != "required" || c.Attestation != "direct" || c.Extensions["credProps"] != true {
		t.Errorf("creation options decoded as %+v", c)
	}
	out, _ := json.Marshal(c)
	if !strings.Contains(string(out), `"rp":{"id":"example.com","name":"Example Inc"}`) || strings.Contains(string(out), "relyingParty") {
		t.Errorf("creation options encode as %s", out)
	}

	var cloudSpelling PublicKeyCredentialCreationOptionsJSON
	if err := json.Unmarshal([]byte(`{"relyingParty":{"id":"example.com","name":"Portal"},"challenge":"dGVzdA"}`), &cloudSpelling); err != nil {
		t.Fatal(err)
	}
	if cloudSpelling.RP != (PublicKeyCredentialRpEntity{}) {
		t.Errorf("the standard type read the Cloud's relyingParty: %+v", cloudSpelling.RP)
	}

	var r PublicKeyCredentialRequestOptionsJSON
	if err := json.Unmarshal([]byte(`{"challenge":"dGVzdA","timeout":30000,"rpId":"example.com","allowCredentials":[{"type":"public-key","id":"aWQ"}],"userVerification":"discouraged","extensions":{"appid":"x"}}`), &r); err != nil {
		t.Fatal(err)
	}
	if r.Challenge != "dGVzdA" || r.Timeout != 30000 || r.RPID != "example.com" || len(r.AllowCredentials) != 1 ||
		r.AllowCredentials[0].ID != "aWQ" || r.UserVerification != "discouraged" || r.Extensions["appid"] != "x" {
		t.Errorf("request options decoded as %+v", r)
	}
}
