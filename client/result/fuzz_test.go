package result

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// Planted secrets: a token-shaped one, and a short one only its field name
// marks as secret.
const (
	plantedJWT   = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJrZFBMQU5URUQifQ.kdPLANTEDsig"
	plantedValue = "kdPLANTEDv4lue9"
	plantedMark  = "kdPLANTED"
)

// plant builds structured inputs around the fuzzed text s, each carrying a
// planted secret in a place where real pastes carry them.
func plant(s string) []string {
	js := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		return string(b)
	}
	return []string{
		js(map[string]any{"success": false, "code": map[string]any{"statusCode": "error-1001", "message": s}, "message": s, "token": plantedJWT}),
		js(map[string]any{"success": true, "code": map[string]any{"statusCode": s, "message": s}, "token": plantedValue}),
		js(map[string]any{"error": s, "message": s, "status": 401, "statusToken": plantedValue}),
		js(map[string]any{"code": "tenant_mismatch", "message": s, "details": map[string]any{"access_key": plantedValue, "info": s}, "notices": []string{s, "Authorization: Bearer " + plantedValue}}),
		js(map[string]any{"code": "ABA-60008", "message": s, "description": s, "traceId": s, "challenge": plantedValue}),
		js(map[string]any{"status": "failed", "token": plantedJWT, "errorMessage": s}),
		s + "\nAuthorization: Bearer " + plantedValue + "\n",
		s + "\nstatusToken=" + plantedValue + "\n",
		s + "\n" + plantedJWT + "\n",
		"log: " + js(map[string]any{"success": false, "code": map[string]any{"statusCode": "error-0001"}, "message": s, "token": plantedJWT}),
	}
}

func FuzzDiagnose(f *testing.F) {
	for _, tc := range diagnoseCases {
		f.Add(tc.input)
	}
	for _, s := range []string{"", "{", "{}", "[]", `{"code":{}}`, `{"code":null,"status":null}`, "0x", "-", "ABA-", "\x00\xff", "{\"status\":1e999}",
		`{"code":"` + strings.Repeat("a_", 100) + `"}`, strings.Repeat("{", 200), strings.Repeat("error-1001 ", 50),
		"token=\"", `password="`, "Bearer", "eyJ", `{"notices":[1,2,{"a":"b"}],"code":"x_y"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 8<<10 {
			// Large inputs are slow to fuzz; TestDiagnoseLarge covers them.
			return
		}
		for _, aud := range []Audience{User, Helpdesk} {
			d := Diagnose(s, aud)
			out := render(t, d)
			if !utf8.ValidString(d.Text()) {
				t.Fatalf("invalid UTF-8 in text for %q", s)
			}
			_ = out
		}
		if strings.Contains(s, plantedMark) {
			return
		}
		for _, in := range plant(s) {
			d := Diagnose(in, Helpdesk)
			out := render(t, d) + Diagnose(in, User).Text()
			if strings.Contains(out, plantedMark) {
				t.Fatalf("planted secret echoed\ninput: %q\noutput: %s", in, out)
			}
		}
		if r := Redact(s); Redact(r) != r {
			t.Fatalf("Redact not idempotent: %q -> %q -> %q", s, r, Redact(r))
		}
	})
}

func render(t *testing.T, d Diagnosis) string {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return d.Text() + string(b)
}
