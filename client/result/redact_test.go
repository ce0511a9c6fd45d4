package result

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// redactExact are the rows of TestRedact: what Redact makes of each text.
var redactExact = []struct{ in, want string }{
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

func TestRedact(t *testing.T) {
	tests := redactExact
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

// redactRow is a text, what must not survive Redact and what must.
type redactRow struct {
	in         string
	gone, kept []string
}

// gapKey is an unlabelled access key, 12 characters, that TestRedactGaps
// registers with RegisterSecret.
const gapKey = "nvA7k2Qx9mT4"

// esc spells s as JSON \u escapes.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// redactGaps are the rows of TestRedactGaps (gapKey registered).
var redactGaps = []redactRow{
	{in: `{"clientPin":"482917"}`, gone: []string{"482917"}, kept: []string{"clientPin"}},
	{in: `{"userPin": "482917", "adminPin": "13579246"}`, gone: []string{"482917", "13579246"}, kept: []string{"userPin", "adminPin"}},
	{in: `userPIN=482917`, gone: []string{"482917"}},
	{in: `the PIN 482917 was rejected`, gone: []string{"482917"}, kept: []string{"PIN", "was rejected"}},
	{in: `pin is 1234`, gone: []string{"1234"}},
	{in: `calling with ` + gapKey + ` failed`, gone: []string{gapKey}, kept: []string{"calling with", "failed"}},
	{in: `{"message":"bad key ` + esc(gapKey) + `"}`, gone: []string{gapKey, esc(gapKey)}, kept: []string{"bad key"}},
	{in: `GET https://u:` + "%41" + gapKey + `@x`, gone: []string{gapKey}},
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

// TestRedactGaps has one row per leak and per over-redaction found in
// issue 11: gone is what must not survive, kept what must.
func TestRedactGaps(t *testing.T) {
	key := gapKey
	RegisterSecret(key)
	defer ForgetSecret(key)
	tests := redactGaps
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

// Secrets of the Cloud client's redaction tests (client/cloud): the access
// key planted in its emulator, a status and a transaction token as the
// emulator signs them, a challenge, and the fuzz target's known secret.
const (
	cloudKey       = "AK-planted-4f9c2e71d0b84a5e9f1c"
	cloudStatusTok = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0eXAiOiJzdGF0dXMiLCJ0eG4iOiJ0LTEifQ.Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4"
	cloudTxTok     = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0eXAiOiJ0eCIsInN1YiI6InUtMSJ9.YmF6cXV4Zm9vYmFycXV1eHF1dXhxdXV4"
	cloudChallenge = "q1Vd6m0qG7cK8b2Yl3nW9xR4tZ5uA6sB7cD8eF9gH0i"
	cloudFuzz      = "Fz-s3cret-T0ken"
)

// cloudRows are the texts of client/cloud's redaction tests
// (TestNoSecretsInErrorsOrPrints, FuzzDecodeErrorBody's seeds,
// TestErrorBodyStyles, TestErrorBodyOneRedactor), with cloudKey,
// cloudStatusTok and cloudFuzz known to the call.
var cloudRows = []redactRow{
	{in: `{"error":"bad ` + cloudKey + `","message":"key ` + cloudKey + ` token ` + cloudStatusTok + ` token ` + cloudTxTok + ` challenge ` + cloudChallenge + `","details":{"k":"` + cloudKey + `"},"notices":["` + cloudTxTok + `"]}`,
		gone: []string{cloudKey, cloudStatusTok, cloudTxTok, cloudChallenge, "eyJ0eXAiOiJ0eCIsInN1YiI6InUtMSJ9"}, kept: []string{`"error":"bad `, `"details":{"k":`}},
	{in: "plain text: Authorization: Bearer " + cloudKey + " " + cloudTxTok, gone: []string{cloudKey, cloudTxTok, "4f9c2e71d0b84a5e9f1c"}, kept: []string{"plain text: Authorization: Bearer"}},
	{in: `{"error":"unauthorized","message":"missing or invalid access key","status":401}`, kept: []string{`{"error":"unauthorized","message":"missing or invalid access key","status":401}`}},
	{in: `{"code":"tenant_mismatch","message":"Tenant mismatch","details":{"expected":"a","token":"` + cloudFuzz + `"},"notices":["n1"]}`, gone: []string{cloudFuzz}, kept: []string{`"code":"tenant_mismatch","message":"Tenant mismatch"`, `"notices":["n1"]`}},
	{in: `{"code":"60001","message":"Invalid authentication request.","description":"d","traceId":"t-1"}`, kept: []string{`{"code":"60001","message":"Invalid authentication request.","description":"d","traceId":"t-1"}`}},
	{in: `{"code":60008,"message":"m","description":"` + cloudFuzz + `"}`, gone: []string{cloudFuzz}, kept: []string{`"code":60008`}},
	{in: `{"status":"failed","errorMessage":"statusToken ` + cloudFuzz + ` expired"}`, gone: []string{cloudFuzz}, kept: []string{`"status":"failed"`, "statusToken", "expired"}},
	{in: `{"details":{"` + cloudFuzz + `":{"nested":["` + cloudFuzz + `"]}},"code":"x"}`, gone: []string{cloudFuzz}, kept: []string{`"nested"`, `"code":"x"`}},
	{in: `<html>502 Bad Gateway</html>`, kept: []string{`<html>502 Bad Gateway</html>`}},
	{in: `{"error":"bad_request","message":"username missing","status":400}`, kept: []string{"bad_request", "username missing"}},
	{in: `{"code":"tenant_mismatch","message":"Tenant does not match","details":{"tenant":"t1"},"notices":["policy p1 denied"]}`, kept: []string{"Tenant does not match", `"tenant":"t1"`, "policy p1 denied"}},
	{in: `{"code":"ABA-60002","message":"Authentication failure.","description":"Authentication flow has concluded with a failure.","traceId":"trace-Ab3dE9xZ"}`, kept: []string{"ABA-60002", "Authentication flow has concluded with a failure.", "trace-Ab3dE9xZ"}},
	{in: `{"code":"tenant_mismatch","message":"pin=482917 rejected, Authorization: Bearer abc123DEF","details":{"hint":"Cookie: session=s3ss10n","mine":"k9Z4"},"notices":["PIN 735184 was wrong"]}`,
		gone: []string{"482917", "abc123DEF", "s3ss10n", "735184"}, kept: []string{"tenant_mismatch", "rejected", "was wrong"}},
	{in: `Post "http://127.0.0.1:1/api/v1/introspect": dial tcp 127.0.0.1:1: connect: connection refused`, kept: []string{`Post "http://127.0.0.1:1/api/v1/introspect": dial tcp 127.0.0.1:1: connect: connection refused`}},
}

// oneRedactorRows are the stricter rule of each former redactor and the
// known values of one use: a JWT wherever it starts (the Cloud's rule: also
// glued to a word, two dots) or with a dot-free header (Redact's rule), a
// random base64url run of 32 or more characters wherever it stands (the
// Cloud's rule; a UUID, an error constant and a run of lower-case words
// stay), standard base64 of 40 or more (Redact's), and values known to
// the call however short, also percent-encoded.
var oneRedactorRows = []redactRow{
	{in: `tok:x` + cloudTxTok, gone: []string{"eyJ0eXAiOiJ0eCIsInN1YiI6InUtMSJ9", "YmF6cXV4Zm9vYmFycXV1eHF1dXhxdXV4"}, kept: []string{"tok:"}},
	{in: `header eyJhbGciOiJIUzI1NiJ9 only`, gone: []string{"eyJhbGciOiJIUzI1NiJ9"}, kept: []string{"header", "only"}},
	{in: `redirect to /cb%3Fcode%3DAb3dEf7hIj9kLm1nOp5qRs7tUv9wXy1z failed`, gone: []string{"Ab3dEf7hIj9kLm1nOp5qRs7tUv9wXy1z"}, kept: []string{"redirect to /cb%3Fcode%", "failed"}},
	{in: `signed with 9f86d081884c7d659a2feaa0c55ad015 at 10:00`, gone: []string{"9f86d081884c7d659a2feaa0c55ad015"}, kept: []string{"signed with", "at 10:00"}},
	{in: `blob QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo+/2Fi+w== end`, gone: []string{"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo"}, kept: []string{"blob", "end"}},
	{in: `code 4f2a expired`, gone: []string{"4f2a"}, kept: []string{"code", "expired"}},
	{in: `token=ab%2Bcd%2F12 sent`, gone: []string{"ab%2Bcd%2F12"}, kept: []string{"sent"}},
	{in: `registered ` + gapKey + ` and percent-encoded ` + "%6EvA7k2Qx9mT4", gone: []string{gapKey}, kept: []string{"registered", "percent-encoded"}},
	{in: `CTAP2_ERR_LARGE_BLOB_STORAGE_FULL, aaguid ee882879-721c-4913-9775-3dfcce97072a, sctn-privacy-considerations-client`,
		kept: []string{"CTAP2_ERR_LARGE_BLOB_STORAGE_FULL", "ee882879-721c-4913-9775-3dfcce97072a", "sctn-privacy-considerations-client"}},
}

// TestOneRedactor runs the union of the redaction rows of client/result
// (TestRedact, TestRedactGaps) and client/cloud, and the rows of each
// former redactor's stricter rule, through the one function, RedactKnown,
// with the Cloud call's known values and gapKey registered.
func TestOneRedactor(t *testing.T) {
	RegisterSecret(gapKey)
	defer ForgetSecret(gapKey)
	known := []string{cloudKey, cloudStatusTok, cloudFuzz, "k9Z4", "4f2a", "ab+cd/12"}
	redact := func(s string) string { return RedactKnown(s, known...) }
	for _, tt := range redactExact {
		if got := redact(tt.in); got != tt.want {
			t.Errorf("RedactKnown(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
	for _, rows := range [][]redactRow{redactGaps, cloudRows, oneRedactorRows} {
		for _, tt := range rows {
			got := redact(tt.in)
			for _, g := range tt.gone {
				if strings.Contains(got, g) {
					t.Errorf("RedactKnown(%q) = %q: %q survives", tt.in, got, g)
				}
			}
			for _, k := range tt.kept {
				if !strings.Contains(got, k) {
					t.Errorf("RedactKnown(%q) = %q: %q lost", tt.in, got, k)
				}
			}
			if again := redact(got); again != got {
				t.Errorf("RedactKnown not idempotent on %q: %q", got, again)
			}
		}
	}
	if got := RedactKnown("code 4f2a expired"); !strings.Contains(got, "4f2a") {
		t.Errorf("a value known to another call is scrubbed: %q", got)
	}
	if got := RedactKnown("a [redacted] b", "dact", "abc"); got != "a [redacted] b" {
		t.Errorf("known values inside [redacted] or shorter than 4 change the text: %q", got)
	}
}
