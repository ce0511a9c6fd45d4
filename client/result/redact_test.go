package result

import (
	"encoding/json"
	"fmt"
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

// TestRedactGaps has one row per leak and per over-redaction found in
// issue 11: gone is what must not survive, kept what must.
func TestRedactGaps(t *testing.T) {
	const key = "nvA7k2Qx9mT4" // an unlabelled access key, 12 characters
	RegisterSecret(key)
	defer ForgetSecret(key)
	esc := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		return b.String()
	}
	tests := []struct {
		in         string
		gone, kept []string
	}{
		{in: `{"clientPin":"482917"}`, gone: []string{"482917"}, kept: []string{"clientPin"}},
		{in: `{"userPin": "482917", "adminPin": "13579246"}`, gone: []string{"482917", "13579246"}, kept: []string{"userPin", "adminPin"}},
		{in: `userPIN=482917`, gone: []string{"482917"}},
		{in: `the PIN 482917 was rejected`, gone: []string{"482917"}, kept: []string{"PIN", "was rejected"}},
		{in: `pin is 1234`, gone: []string{"1234"}},
		{in: `calling with ` + key + ` failed`, gone: []string{key}, kept: []string{"calling with", "failed"}},
		{in: `{"message":"bad key ` + esc(key) + `"}`, gone: []string{key, esc(key)}, kept: []string{"bad key"}},
		{in: `GET https://u:` + "%41" + key + `@x`, gone: []string{key}},
		{in: `dial https://user:password@acme.example/api failed`, gone: []string{"user:password", "password"}, kept: []string{"https://", "@acme.example/api failed"}},
		{in: `cloud: origin "https://admin:hunter2@portal.example.com/x": must be scheme://host[:port] only`, gone: []string{"hunter2", "admin"}, kept: []string{"portal.example.com", "must be scheme://host[:port] only"}},
		{in: `dial https://admin:hun@ter2@acme.example/api failed`, gone: []string{"admin", "hun", "ter2"}, kept: []string{"https://", "@acme.example/api failed"}},
		{in: `challenge GVeXqotfQOWSaaWZuWj94Q did not match`, gone: []string{"GVeXqotfQOWSaaWZuWj94Q"}, kept: []string{"challenge", "did not match"}},
		{in: `got dGhpcy1pcy1hLWNoYWxsZW5nZQ in clientData`, gone: []string{"dGhpcy1pcy1hLWNoYWxsZW5nZQ"}, kept: []string{"in clientData"}},
		// What explains the error survives.
		{in: `this key already has a PIN: use 'keydesk pin change'`, kept: []string{`this key already has a PIN: use 'keydesk pin change'`}},
		{in: `fido2-token: fido_dev_set_pin: FIDO_ERR_PIN_POLICY_VIOLATION`, kept: []string{`fido2-token: fido_dev_set_pin: FIDO_ERR_PIN_POLICY_VIOLATION`}},
		{in: `fido_dev_get_assert: FIDO_ERR_PIN_INVALID`, kept: []string{`fido_dev_get_assert: FIDO_ERR_PIN_INVALID`}},
		{in: `PIN: FIDO_ERR_PIN_BLOCKED`, kept: []string{`PIN: FIDO_ERR_PIN_BLOCKED`}},
		{in: `credentialCreationOptions is invalid`, kept: []string{`credentialCreationOptions is invalid`}},
		{in: `"traceId": "0d3f5e6c-1b2a-4c3d-8e9f-0a1b2c3d4e5f"`, kept: []string{`0d3f5e6c-1b2a-4c3d-8e9f-0a1b2c3d4e5f`}},
		{in: `/usr/lib/x86_64-linux-gnu/libfido2.so.1 not found`, kept: []string{`/usr/lib/x86_64-linux-gnu/libfido2.so.1 not found`}},
		{in: `clientPinRetries: 8, PIN retries left 3`, kept: []string{`clientPinRetries: 8, PIN retries left 3`}},
		{in: `mapping 5000 entries`, kept: []string{`mapping 5000 entries`}},
		{in: `see https://docs.nevis.net/path?x=1`, kept: []string{`https://docs.nevis.net/path?x=1`}},
	}
	for _, tt := range tests {
		got := Redact(tt.in)
		for _, g := range tt.gone {
			if strings.Contains(got, g) {
				t.Errorf("Redact(%q) = %q: %q survives", tt.in, got, g)
			}
		}
		for _, k := range tt.kept {
			if !strings.Contains(got, k) {
				t.Errorf("Redact(%q) = %q: %q lost", tt.in, got, k)
			}
		}
		if again := Redact(got); again != got {
			t.Errorf("Redact not idempotent on %q: %q", got, again)
		}
	}
	ForgetSecret(key)
	if got := Redact("k " + key); !strings.Contains(got, key) {
		t.Errorf("a forgotten secret is still scrubbed: %q", got)
	}
	RegisterSecret(key) // for the deferred ForgetSecret
}
