package result

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestFidoErrHeader reads libfido2's fido/err.h and checks every FIDO_ERR_*
// against the catalogue: an entry with the same value and name, and for
// the positive values the CTAP status of the same number.
func TestFidoErrHeader(t *testing.T) {
	const header = "/usr/include/fido/err.h"
	f, err := os.Open(header)
	if err != nil {
		t.Fatalf("%v (install libfido2-dev)", err)
	}
	defer f.Close()
	re := regexp.MustCompile(`^#define\s+(FIDO_ERR_\w+)\s+(-?(?:0x[0-9a-fA-F]+|\d+))\s*$`)
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := re.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n++
		name := m[1]
		v, err := strconv.ParseInt(m[2], 0, 32)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c := Libfido2(int(v))
		if !Known(c) {
			t.Errorf("%s (%d) has no catalogue entry", name, v)
			continue
		}
		e := Lookup(c)
		if e.Name != name {
			t.Errorf("libfido2 %d: name %q, err.h says %s", v, e.Name, name)
		}
		got := ParseCode(name)
		if len(got) != 1 || got[0] != c {
			t.Errorf("ParseCode(%s) = %v, want %v", name, got, c)
		}
		if v >= 0 {
			ctap := CTAP(byte(v))
			if len(e.Related) != 1 || e.Related[0] != ctap {
				t.Errorf("%s: related %v, want %v", name, e.Related, ctap)
			}
			if ce := Lookup(ctap); ce.Generated || strings.Join(ce.Causes, ",") != strings.Join(e.Causes, ",") {
				t.Errorf("%s: causes %v differ from CTAP %s %v", name, e.Causes, ctap.Value, ce.Causes)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("only %d FIDO_ERR_* definitions in %s", n, header)
	}
	// And the catalogue holds no libfido2 value the header lacks.
	if got := len(Entries(SourceLibfido2)); got != n {
		t.Errorf("catalogue has %d libfido2 entries, err.h defines %d", got, n)
	}
}

// ctap21 is the CTAP 2.1 status table (section 8.2): every assigned status
// up to 0x7F by its 2.1 name.
var ctap21 = map[byte]string{
	0x00: "CTAP2_OK", 0x01: "CTAP1_ERR_INVALID_COMMAND", 0x02: "CTAP1_ERR_INVALID_PARAMETER",
	0x03: "CTAP1_ERR_INVALID_LENGTH", 0x04: "CTAP1_ERR_INVALID_SEQ", 0x05: "CTAP1_ERR_TIMEOUT",
	0x06: "CTAP1_ERR_CHANNEL_BUSY", 0x0A: "CTAP1_ERR_LOCK_REQUIRED", 0x0B: "CTAP1_ERR_INVALID_CHANNEL",
	0x11: "CTAP2_ERR_CBOR_UNEXPECTED_TYPE", 0x12: "CTAP2_ERR_INVALID_CBOR", 0x14: "CTAP2_ERR_MISSING_PARAMETER",
	0x15: "CTAP2_ERR_LIMIT_EXCEEDED", 0x17: "CTAP2_ERR_FP_DATABASE_FULL", 0x18: "CTAP2_ERR_LARGE_BLOB_STORAGE_FULL",
	0x19: "CTAP2_ERR_CREDENTIAL_EXCLUDED", 0x21: "CTAP2_ERR_PROCESSING", 0x22: "CTAP2_ERR_INVALID_CREDENTIAL",
	0x23: "CTAP2_ERR_USER_ACTION_PENDING", 0x24: "CTAP2_ERR_OPERATION_PENDING", 0x25: "CTAP2_ERR_NO_OPERATIONS",
	0x26: "CTAP2_ERR_UNSUPPORTED_ALGORITHM", 0x27: "CTAP2_ERR_OPERATION_DENIED", 0x28: "CTAP2_ERR_KEY_STORE_FULL",
	0x2B: "CTAP2_ERR_UNSUPPORTED_OPTION", 0x2C: "CTAP2_ERR_INVALID_OPTION", 0x2D: "CTAP2_ERR_KEEPALIVE_CANCEL",
	0x2E: "CTAP2_ERR_NO_CREDENTIALS", 0x2F: "CTAP2_ERR_USER_ACTION_TIMEOUT", 0x30: "CTAP2_ERR_NOT_ALLOWED",
	0x31: "CTAP2_ERR_PIN_INVALID", 0x32: "CTAP2_ERR_PIN_BLOCKED", 0x33: "CTAP2_ERR_PIN_AUTH_INVALID",
	0x34: "CTAP2_ERR_PIN_AUTH_BLOCKED", 0x35: "CTAP2_ERR_PIN_NOT_SET", 0x36: "CTAP2_ERR_PUAT_REQUIRED",
	0x37: "CTAP2_ERR_PIN_POLICY_VIOLATION", 0x39: "CTAP2_ERR_REQUEST_TOO_LARGE", 0x3A: "CTAP2_ERR_ACTION_TIMEOUT",
	0x3B: "CTAP2_ERR_UP_REQUIRED", 0x3C: "CTAP2_ERR_UV_BLOCKED", 0x3D: "CTAP2_ERR_INTEGRITY_FAILURE",
	0x3E: "CTAP2_ERR_INVALID_SUBCOMMAND", 0x3F: "CTAP2_ERR_UV_INVALID", 0x40: "CTAP2_ERR_UNAUTHORIZED_PERMISSION",
	0x7F: "CTAP1_ERR_OTHER",
}

// TestCTAPStatuses walks every status byte: 0x00–0x7F each have an entry
// of their own (named as CTAP 2.1 names it, or marked reserved), and the
// ranges above are reserved, extension or vendor.
func TestCTAPStatuses(t *testing.T) {
	for v := 0; v <= 0xFF; v++ {
		b := byte(v)
		c := CTAP(b)
		if !Known(c) {
			t.Errorf("0x%02X: no entry", v)
			continue
		}
		e := Lookup(c)
		if e.Generated || e.Explanation == "" || e.UserText == "" || e.HelpdeskText == "" {
			t.Errorf("0x%02X: incomplete entry %+v", v, e)
		}
		for _, s := range []string{c.Value, strings.ToLower(c.Value), "ctap:" + c.Value} {
			if got := ParseCode(s); len(got) != 1 || got[0] != c {
				t.Errorf("ParseCode(%q) = %v, want %v", s, got, c)
			}
		}
		want, assigned := ctap21[b]
		switch {
		case assigned:
			if e.Name != want || e.Kind == KindReserved || e.Message == "" {
				t.Errorf("0x%02X: %s %s %q, want %s with a message", v, e.Name, e.Kind, e.Message, want)
			}
			if got := ParseCode(want); len(got) != 1 || got[0] != c {
				t.Errorf("ParseCode(%s) = %v, want %v", want, got, c)
			}
		case v >= 0xE0 && v <= 0xEF:
			if e.Kind != KindExtension {
				t.Errorf("0x%02X: kind %s, want extension", v, e.Kind)
			}
		case v >= 0xF0:
			if e.Kind != KindVendor {
				t.Errorf("0x%02X: kind %s, want vendor", v, e.Kind)
			}
		default:
			if e.Kind != KindReserved {
				t.Errorf("0x%02X: kind %s, want reserved (not assigned in CTAP 2.1)", v, e.Kind)
			}
		}
	}
	// CTAP 2.0's name for 0x36 still reads.
	if got := ParseCode("CTAP2_ERR_PIN_REQUIRED"); len(got) != 1 || got[0] != CTAP(0x36) {
		t.Errorf("ParseCode(CTAP2_ERR_PIN_REQUIRED) = %v", got)
	}
}

// jargon must not appear in the texts written for the person holding the
// key.
var jargon = regexp.MustCompile(`CTAP|FIDO_ERR|libfido2|0x[0-9A-F]|\bHTTP\b|\bJSON\b|\bAPI\b|RP ID|statusToken|CBOR|DOMException|[a-z]Error\b|\bUV\b|\bAAGUID\b|\bHID\b`)

// TestCatalogueComplete checks every entry: texts present, causes known,
// user texts free of jargon, and each entry found again by ParseCode from
// its display form.
func TestCatalogueComplete(t *testing.T) {
	all := Entries()
	if len(all) < 400 {
		t.Fatalf("only %d entries", len(all))
	}
	for _, s := range Sources() {
		if len(Entries(s)) == 0 {
			t.Errorf("no entries for %s", s)
		}
	}
	for _, e := range all {
		if e.Explanation == "" || e.UserText == "" || e.HelpdeskText == "" || e.Name == "" || len(e.Causes) == 0 {
			t.Errorf("%s: incomplete entry", e.Code)
		}
		if e.Generated {
			t.Errorf("%s: catalogued entry marked generated", e.Code)
		}
		if jargon.MatchString(e.UserText) {
			t.Errorf("%s: user text has jargon %q: %s", e.Code, jargon.FindString(e.UserText), e.UserText)
		}
		for _, id := range e.Causes {
			c, ok := CauseByID(id)
			if !ok {
				t.Errorf("%s: unknown cause %s", e.Code, id)
			}
			if jargon.MatchString(c.UserText) {
				t.Errorf("cause %s: user text has jargon %q", id, jargon.FindString(c.UserText))
			}
		}
		if got := ParseCode(e.Code.String()); len(got) != 1 || got[0] != e.Code {
			t.Errorf("ParseCode(%q) = %v", e.Code.String(), got)
		}
		if e.Code.Source == SourceHTTP && e.Message == "" {
			t.Errorf("%s: no reason phrase", e.Code)
		}
	}
	for _, name := range []string{"NotAllowedError", "InvalidStateError", "SecurityError", "NotSupportedError",
		"AbortError", "ConstraintError", "UnknownError", "TypeError", "EncodingError", "NetworkError", "TimeoutError"} {
		if !Known(DOMException(name)) {
			t.Errorf("no entry for %s", name)
		}
	}
	for _, name := range []string{"tenant_mismatch", "not_found", "unauthenticated", "no_pending_enrollment", "not_implemented"} {
		if !Known(TenantAPI(name)) {
			t.Errorf("no entry for tenant code %s", name)
		}
	}
	for _, name := range []string{"rp-id-mismatch", "token-inactive", "insecure-url", "pin-too-short", "no-key", "key-removed", "cancelled"} {
		if !Known(KeyDesk(name)) {
			t.Errorf("no entry for keydesk:%s", name)
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	for _, c := range []Code{Nevis("error-1042"), TenantAPI("quota_exceeded"), AppNative("ABA-61234"), {SourceCTAP, "0x1FF"}, {"", "weird code"}} {
		e := Lookup(c)
		if !e.Generated || e.Kind != KindUnknown {
			t.Errorf("Lookup(%v): not a generated entry: %+v", c, e)
		}
		if !strings.Contains(e.Explanation, c.Value) || e.Name != c.Value {
			t.Errorf("Lookup(%v): code not shown verbatim: %+v", c, e)
		}
		if e.UserText == "" || e.HelpdeskText == "" {
			t.Errorf("Lookup(%v): no advice", c)
		}
	}
	if e := Lookup(Code{"", "x"}); e.Code.Source != SourceUnknown {
		t.Errorf("empty source: %v", e.Code)
	}
}

// TestLookupCopies checks that callers cannot change the catalogue through
// an entry's slices.
func TestLookupCopies(t *testing.T) {
	e := Lookup(CTAP(0x31))
	e.Causes[0] = "changed"
	if Lookup(CTAP(0x31)).Causes[0] == "changed" {
		t.Fatal("Lookup shares the catalogue's slices")
	}
}

func TestParseCode(t *testing.T) {
	tests := []struct {
		in   string
		want []Code
	}{
		{"error-1001", []Code{Nevis("error-1001")}},
		{"ERROR-0001", []Code{Nevis("error-0001")}},
		{"success-registration", []Code{SuccessRegistration}},
		{"0x31", []Code{CTAP(0x31)}},
		{"0X2e", []Code{CTAP(0x2E)}},
		{"CTAP2_ERR_PIN_INVALID", []Code{CTAP(0x31)}},
		{"ctap1_err_other", []Code{CTAP(0x7F)}},
		{"FIDO_ERR_PIN_INVALID", []Code{Libfido2(49)}},
		{"FIDO_ERR_TX", []Code{Libfido2(-1)}},
		{"-7", []Code{Libfido2(-7)}},
		{"49", []Code{Libfido2(49)}},
		{"429", []Code{HTTP(429), CloudAPI("429")}},
		{"401", []Code{HTTP(401), CloudAPI("401"), AppNative("401")}},
		{"418", []Code{HTTP(418)}},
		{"60001", []Code{AppNative("60001")}},
		{"ABA-60008", []Code{AppNative("60008")}},
		{"aba-60007", []Code{AppNative("60007")}},
		{"tenant_mismatch", []Code{TenantAPI("tenant_mismatch")}},
		{"quota_exceeded", []Code{TenantAPI("quota_exceeded")}},
		{"NotAllowedError", []Code{DOMException("NotAllowedError")}},
		{"FancyNewError", []Code{DOMException("FancyNewError")}},
		{"rp-id-mismatch", []Code{KeyDesk("rp-id-mismatch")}},
		{"keydesk:no-key", []Code{KeyDesk("no-key")}},
		{"http:503", []Code{HTTP(503)}},
		{"ctap:49", []Code{CTAP(0x31)}},
		{`"error-1003",`, []Code{Nevis("error-1003")}},
		{"FIDO_ERR_SOMETHING_NEW", []Code{{SourceLibfido2, "FIDO_ERR_SOMETHING_NEW"}}},
		{"0x1234", []Code{{SourceCTAP, "0x1234"}}},
		{"99999", []Code{{SourceUnknown, "99999"}}},
		{"hello world", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := ParseCode(tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("ParseCode(%q) = %v, want %v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("ParseCode(%q) = %v, want %v", tt.in, got, tt.want)
			}
		}
	}
}

func TestError(t *testing.T) {
	base := errors.New("fido_dev_get_assert: pin invalid")
	err := Errorf(CTAP(0x31), "getting assertion: %w", base)
	if !errors.Is(err, New(CTAP(0x31))) {
		t.Error("errors.Is by code failed")
	}
	if errors.Is(err, New(CTAP(0x32))) {
		t.Error("errors.Is matched another code")
	}
	if !errors.Is(err, base) {
		t.Error("Errorf did not wrap its %w operand")
	}
	wrapped := Wrap(Nevis("error-0001"), err)
	if !errors.Is(wrapped, New(CTAP(0x31))) || !errors.Is(wrapped, New(Nevis("error-0001"))) {
		t.Error("errors.Is through a chain of *Error failed")
	}
	if c, ok := CodeOf(wrapped); !ok || c != Nevis("error-0001") {
		t.Errorf("CodeOf = %v %v", c, ok)
	}
	if Wrap(CTAP(1), nil) != nil {
		t.Error("Wrap(nil) is not nil")
	}
	if got := err.Error(); got != "ctap:0x31 CTAP2_ERR_PIN_INVALID: getting assertion: fido_dev_get_assert: pin invalid" {
		t.Errorf("Error() = %q", got)
	}
	secret := Errorf(KeyDesk("bad-response"), "POST /status: statusToken=%s", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")
	if strings.Contains(secret.Error(), "eyJ") {
		t.Errorf("Error() leaks a token: %s", secret.Error())
	}
	leaky := Wrap(HTTP(401), errors.New("Authorization: Bearer s3cr3t-access-key"))
	if strings.Contains(leaky.Error(), "s3cr3t") {
		t.Errorf("Error() leaks the wrapped error's secret: %s", leaky.Error())
	}
	if got := New(KeyDesk("no-key")).Entry().Message; got != "No security key found." {
		t.Errorf("Entry().Message = %q", got)
	}
}

func TestOutcome(t *testing.T) {
	o := NewOutcome("error-1001", "Error while trying to create new credential. NotAllowedError: The operation either timed out or was not allowed. See:")
	if o.Success || o.Code.StatusCode != "error-1001" || o.Code.Message != "Failed to create WebAuthn credential." {
		t.Errorf("NewOutcome = %+v", o)
	}
	err := o.Err()
	if !errors.Is(err, New(Nevis("error-1001"))) {
		t.Errorf("Outcome.Err() = %v", err)
	}
	s := Succeeded(SuccessAuthentication, "eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJ4In0.sig")
	if !s.Success || s.Code.Message != "Successfully authenticated with WebAuthn credential." || s.Err() != nil {
		t.Errorf("Succeeded = %+v", s)
	}
	r := s.Redacted()
	if r.Token != Redacted || s.Token == Redacted {
		t.Errorf("Redacted token %q, original %q", r.Token, s.Token)
	}
	b, _ := json.Marshal(r)
	if want := `{"success":true,"code":{"statusCode":"success-authentication","message":"Successfully authenticated with WebAuthn credential."},"token":"[redacted]"}`; string(b) != want {
		t.Errorf("JSON %s\nwant %s", b, want)
	}
	f := Failed(Nevis("error-0004"), "")
	b, _ = json.Marshal(f)
	if want := `{"success":false,"code":{"statusCode":"error-0004","message":"Missing statusToken. Cannot be null or undefined."}}`; string(b) != want {
		t.Errorf("JSON %s\nwant %s", b, want)
	}
	u := NewOutcome("error-1010", "x")
	if u.Success || u.Code.StatusCode != "error-1010" || u.Code.Message != "" {
		t.Errorf("unknown code outcome %+v", u)
	}
}

// TestCodesUsedInKeyDesk reads KeyDesk's own source (as text: this package
// imports nothing of KeyDesk) and checks that every code another package
// uses, by a literal like result.CTAP(0x31) or by name like
// result.CodeNoKey, has a catalogue entry.
func TestCodesUsedInKeyDesk(t *testing.T) {
	named := namedCodes(t)
	reNamed := regexp.MustCompile(`result\.([A-Z]\w*)\b`)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(wd, "..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not at %s: %v", root, err)
	}
	re := regexp.MustCompile(`result\.(Nevis|KeyDesk|CloudAPI|TenantAPI|AppNative|DOMException)\("([^"]+)"\)|result\.(CTAP)\((0x[0-9A-Fa-f]{1,2})\)|result\.(HTTP)\((\d{3})\)`)
	n := 0
	err = filepath.WalkDir(root, func(path string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if de.IsDir() {
			if name := de.Name(); strings.HasPrefix(name, ".") || name == "testdata" || path == filepath.Join(root, "client", "result") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			var c Code
			switch {
			case m[1] != "":
				c, _ = normalise(map[string]Source{"Nevis": SourceNevis, "KeyDesk": SourceKeyDesk, "CloudAPI": SourceCloudAPI,
					"TenantAPI": SourceTenantAPI, "AppNative": SourceAppNative, "DOMException": SourceDOMException}[m[1]], m[2])
			case m[3] != "":
				c, _ = normalise(SourceCTAP, m[4])
			default:
				c, _ = normalise(SourceHTTP, m[6])
			}
			n++
			if !Known(c) {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s uses %s, which has no catalogue entry", rel, c)
			}
		}
		for _, m := range reNamed.FindAllStringSubmatch(string(b), -1) {
			c, ok := named[m[1]]
			if !ok {
				continue // not a named code (result.Lookup, result.SourceKeyDesk, …)
			}
			n++
			if !Known(c) {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s uses result.%s = %s, which has no catalogue entry", rel, m[1], c)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d codes checked", n)
}
