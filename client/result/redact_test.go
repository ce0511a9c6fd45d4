package result

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"token": "eyJhbGciOiJIUzUxMiJ9.eyJpc...ifQ.suBhl...cX-lE0_FRKrTDcLA"`, `"token": "[redacted]"`},
		{`"statusToken": "abc.def"`, `"statusToken": "[redacted]"`},
		{`{"statusToken":"x1","username":"u_1654"}`, `{"statusToken":"[redacted]","username":"u_1654"}`},
		{`Authorization: Bearer abc123DEF`, `Authorization: Bearer [redacted]`},
		{`-H "Authorization: Bearer $ACCESS_KEY"\`, `-H "Authorization: Bearer [redacted]"\`},
		{`authorization=Basic dXNlcjpwYXNz`, `authorization=Basic [redacted]`},
		{`curl -H 'Authorization: Bearer s3cr3t' https://x`, `curl -H 'Authorization: Bearer [redacted]' https://x`},
		{`ACCESS_KEY=abcd1234efgh ./keydesk`, `ACCESS_KEY=[redacted] ./keydesk`},
		{`GET /cb?access_token=xyz&state=ok`, `GET /cb?access_token=[redacted]&state=ok`},
		{`"challenge": "GVeXqotfQOWSaaWZuWj94Q",`, `"challenge": "[redacted]",`},
		{`pin=1234 retries=7`, `pin=[redacted] retries=7`},
		{`{"pin": "123456", "new_pin": "654321"}`, `{"pin": "[redacted]", "new_pin": "[redacted]"}`},
		{`'password': 'hunter2'`, `'password': '[redacted]'`},
		{`Cookie: session=abc; theme=dark`, `Cookie: [redacted]; theme=dark`},
		{`token expired at 10:00`, `token expired at 10:00`},
		{`"token": null`, `"token": null`},
		{`see eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln now`, `see [redacted] now`},
		{"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----", "[redacted]"},
		{`credential id AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIj`, `credential id [redacted]`},
		// Left alone: codes, messages, identifiers, URLs.
		{`"statusCode": "error-1001"`, `"statusCode": "error-1001"`},
		{`NotAllowedError: The operation either timed out or was not allowed.`, `NotAllowedError: The operation either timed out or was not allowed.`},
		{`"traceId": "0d3f5e6c-1b2a-4c3d-8e9f-0a1b2c3d4e5f"`, `"traceId": "0d3f5e6c-1b2a-4c3d-8e9f-0a1b2c3d4e5f"`},
		{`https://www.w3.org/TR/webauthn-2/#sctn-privacy-considerations-client`, `https://www.w3.org/TR/webauthn-2/#sctn-privacy-considerations-client`},
		{`mapping: 5, ping: 3ms`, `mapping: 5, ping: 3ms`},
		{`"userId": "31567ae2-2fb1-466e-84af-4dafa8f9ca78"`, `"userId": "31567ae2-2fb1-466e-84af-4dafa8f9ca78"`},
		{``, ``},
	}
	for _, tt := range tests {
		got := Redact(tt.in)
		if got != tt.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
		if again := Redact(got); again != got {
			t.Errorf("Redact not idempotent on %q: %q", got, again)
		}
	}
}

// TestRedactSeedExamples runs the seeds' own examples (enrollment response
// and result objects) through Redact: no token, challenge or access key
// survives.
func TestRedactSeedExamples(t *testing.T) {
	for _, seed := range []string{"000", "001", "002"} {
		text := strings.Join(seedLines(t, seed), "\n")
		red := Redact(text)
		for _, secret := range []string{"eyJhbG", "GVeXqotfQOWSaaWZuWj94Q", "$ACCESS_KEY\"", "suBhl", "3...0Fw"} {
			if strings.Contains(red, secret) {
				t.Errorf("seed %s: %q survives redaction", seed, secret)
			}
		}
		for _, keep := range []string{"error-", "statusCode"} {
			if strings.Contains(text, keep) && !strings.Contains(red, keep) {
				t.Errorf("seed %s: redaction removed %q", seed, keep)
			}
		}
	}
}

func TestRedactJSON(t *testing.T) {
	in := `{"enrollment":{"statusToken":"eyJhbG.x.y","credentialCreationOptions":{"challenge":"GVeXq","user":{"id":"MzE1","name":"u"}}},"accessKey":12345,"active":true,"note":"Bearer abc1234"}`
	var v any
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	out := marshalIndent(redactJSON(v))
	for _, secret := range []string{"eyJhbG", "GVeXq", "12345", "abc1234"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q survives: %s", secret, out)
		}
	}
	for _, keep := range []string{`"name": "u"`, `"active": true`, `"id": "MzE1"`} {
		if !strings.Contains(out, keep) {
			t.Errorf("%q lost: %s", keep, out)
		}
	}
}
