package cloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := map[string]time.Duration{
		"":        0,
		"0":       0,
		"7":       7 * time.Second,
		" 12 ":    12 * time.Second,
		"-3":      0,
		"soon":    0,
		"9999999": 24 * time.Hour,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Minute).Format(http.TimeFormat):     0,
	}
	for in, want := range cases {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestCreationOptionsRelyingPartyNames(t *testing.T) {
	for name, body := range map[string]string{
		"nevis":    `{"relyingParty":{"id":"","name":"Portal"},"challenge":"abc"}`,
		"standard": `{"rp":{"id":"example.com","name":"Portal"},"challenge":"abc"}`,
		"both":     `{"relyingParty":{"id":"","name":"Portal"},"rp":{"id":"other","name":"X"},"challenge":"abc"}`,
	} {
		var o CredentialCreationOptions
		if err := json.Unmarshal([]byte(body), &o); err != nil {
			t.Fatal(err)
		}
		wantID := map[string]string{"nevis": "", "standard": "example.com", "both": ""}[name]
		if o.RP.Name != "Portal" || o.RP.ID != wantID || o.Challenge != "abc" {
			t.Errorf("%s: %+v", name, o)
		}
		out, _ := json.Marshal(o)
		if !strings.Contains(string(out), `"relyingParty":`) || strings.Contains(string(out), `"rp":`) {
			t.Errorf("%s marshals as %s", name, out)
		}
	}
}

func TestSecretAndTokenFormatting(t *testing.T) {
	s := NewSecret("s3cr3t-value")
	tok := Token("t0k3n-value")
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s"} {
		for _, v := range []any{s, &s, tok, struct{ K Secret }{s}, []Token{tok}, map[string]Token{"a": tok}} {
			if out := fmt.Sprintf(f, v); strings.Contains(out, "s3cr3t") || strings.Contains(out, "t0k3n") ||
				strings.Contains(out, "73336372") || strings.Contains(out, "74306b33") {
				t.Errorf("Sprintf(%s, %T) = %s", f, v, out)
			}
		}
	}
	b, _ := json.Marshal(struct{ K Secret }{s})
	if strings.Contains(string(b), "s3cr3t") {
		t.Errorf("secret marshals as %s", b)
	}
	b, _ = json.Marshal(struct{ T Token }{tok})
	if string(b) != `{"T":"t0k3n-value"}` {
		t.Errorf("token marshals as %s; it must travel on the wire", b)
	}
	if s.Reveal() != "s3cr3t-value" || tok.Reveal() != "t0k3n-value" {
		t.Error("Reveal lost the value")
	}
}

func TestDecodeErrorBodyNeverFails(t *testing.T) {
	for _, raw := range []string{"", "null", "[]", `"x"`, "{", `{"code":{"nested":1}}`, `{"status":500,"error":"x"}`, `{"details":[1,2]}`} {
		b := decodeErrorBody([]byte(raw), callSecrets(nil).scrub)
		_ = b.Style.String()
	}
}

// TestConfigErrorDropsUserinfo: a URL with credentials is never echoed with
// them, whichever check rejects it (issue 11).
func TestConfigErrorDropsUserinfo(t *testing.T) {
	for _, raw := range []string{
		"https://admin:hunter2@portal.example.com/x",
		"http://admin:hunter2@portal.example.com",
		"ftp://admin:hunter2@portal.example.com",
		"https://admin:hunter2@portal example.com",
		"https://admin:hunter2@acme.example/?q=1",
		"https://admin:hun@ter2@portal.example.com/x",
	} {
		_, err1 := ValidateOrigin(raw)
		_, err2 := ValidateInstanceURL(raw)
		for _, err := range []error{err1, err2} {
			if err == nil {
				t.Errorf("%q accepted", raw)
				continue
			}
			if msg := err.Error(); strings.Contains(msg, "hunter2") || strings.Contains(msg, "ter2") || strings.Contains(msg, "admin") {
				t.Errorf("%q: error echoes the userinfo: %s", raw, msg)
			}
		}
	}
}

// TestErrorBodyOneRedactor: the Cloud's error bodies go through the same
// rules as every other text KeyDesk shows (result.RedactKnown), not a
// second, weaker set: a PIN, a bearer credential and a cookie the client
// does not know are removed from every field and from Raw, and the
// call's own secrets are removed however short.
func TestErrorBodyOneRedactor(t *testing.T) {
	body := []byte(`{"code":"tenant_mismatch","message":"pin=482917 rejected, Authorization: Bearer abc123DEF","details":{"hint":"Cookie: session=s3ss10n","mine":"k9Z4"},"notices":["PIN 735184 was wrong"]}`)
	known := callSecrets{"k9Z4"}
	b := decodeErrorBody(body, known.scrub)
	e := &APIError{Op: "approval", HTTPStatus: 403, Body: b, Raw: known.raw(body)}
	out, _ := json.Marshal(b)
	for where, s := range map[string]string{"body": string(out), "error": e.Error(), "raw": e.Raw} {
		for _, secret := range []string{"482917", "abc123DEF", "s3ss10n", "k9Z4", "735184"} {
			if strings.Contains(s, secret) {
				t.Errorf("%s keeps %q: %s", where, secret, s)
			}
		}
	}
	if b.Style != StyleTenant || b.Code != "tenant_mismatch" || !strings.Contains(b.Message, "rejected") {
		t.Errorf("the body lost what explains it: %+v", b)
	}
}
