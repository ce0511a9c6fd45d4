package result

import (
	"encoding/json"
	"strings"
	"testing"
)

// diagnoseCases are realistic pastes from users, browser consoles, server
// logs and API clients, with the cause that must rank first.
var diagnoseCases = []struct {
	name  string
	input string
	kind  InputKind
	top   string
	codes []string // codes that must be among the matches (Code.String)
}{
	// Bare codes, as people type them.
	{"nevis registration failure", "error-1001", InputCode, "timed-out-or-cancelled", []string{"nevis:error-1001"}},
	{"nevis missing status token", "error-1003", InputCode, "missing-status-token", nil},
	{"nevis browser unsupported", "error-0005", InputCode, "browser-unsupported", nil},
	{"nevis authentication finalize", "error-0002", InputCode, "server-rejected", nil},
	{"nevis missing userId", "error-0003", InputCode, "missing-user-id", nil},
	{"nevis invalid options", "error-1000", InputCode, "invalid-options", nil},
	{"nevis success", "success-registration", InputCode, "success", nil},
	{"ctap hex", "0x31", InputCode, "wrong-pin", []string{"ctap:0x31"}},
	{"ctap hex with name", "0x31 CTAP2_ERR_PIN_INVALID", InputCode, "wrong-pin", []string{"ctap:0x31"}},
	{"ctap name", "CTAP2_ERR_CREDENTIAL_EXCLUDED", InputCode, "already-registered", nil},
	{"ctap pin blocked", "0x32", InputCode, "pin-blocked", nil},
	{"ctap no credentials", "0x2E", InputCode, "key-not-registered", nil},
	{"ctap key store full", "0x28", InputCode, "key-storage-full", nil},
	{"ctap vendor", "0xF3", InputCode, "key-internal-error", nil},
	{"ctap reserved", "0x07", InputCode, "key-internal-error", nil},
	{"libfido2 name", "FIDO_ERR_PIN_INVALID", InputCode, "wrong-pin", []string{"libfido2:49"}},
	{"libfido2 negative", "-7", InputCode, "software-bug", []string{"libfido2:-7"}},
	{"libfido2 rx", "FIDO_ERR_RX", InputCode, "key-communication", nil},
	{"libfido2 decimal", "49", InputCode, "wrong-pin", []string{"libfido2:49"}},
	{"http rate limit", "429", InputCode, "rate-limited", []string{"http:429", "cloud-api:429"}},
	{"http 401", "401", InputCode, "access-key-invalid", []string{"http:401", "app-native:401"}},
	{"app-native ABA", "ABA-60008", InputCode, "flow-timeout", []string{"app-native:60008"}},
	{"app-native 60007", "ABA-60007", InputCode, "app-native-disabled", nil},
	{"app-native too many", "60013", InputCode, "too-many-attempts", nil},
	{"tenant code", "tenant_mismatch", InputCode, "wrong-tenant", []string{"tenant-api:tenant_mismatch"}},
	{"tenant unauthenticated", "unauthenticated", InputCode, "session-expired", nil},
	{"dom name", "InvalidStateError", InputCode, "already-registered", nil},
	{"dom security", "SecurityError", InputCode, "rp-id-mismatch", nil},
	{"keydesk code", "keydesk:token-inactive", InputCode, "token-inactive", nil},
	{"unknown nevis code", "error-1042", InputCode, "unknown-code", []string{"nevis:error-1042"}},
	{"two codes together", "error-1001 InvalidStateError", InputCode, "already-registered", nil},

	// fido2-client result objects.
	{"result: already registered",
		`{"success": false, "code": {"statusCode": "error-1001", "message": "Failed to create WebAuthn credential."}, "message": "Error while trying to create new credential. InvalidStateError: The user attempted to register an authenticator that contains one of the credentials already registered with the relying party."}`,
		InputOutcome, "already-registered", []string{"nevis:error-1001", "dom:InvalidStateError"}},
	{"result: not allowed on registration",
		`{"success": false, "code": {"statusCode": "error-1001", "message": "Failed to create WebAuthn credential."}, "message": "Error while trying to create new credential. NotAllowedError: The operation either timed out or was not allowed. See:"}`,
		InputOutcome, "timed-out-or-cancelled", []string{"dom:NotAllowedError"}},
	{"result: not allowed on authentication",
		`{"success": false, "code": {"statusCode": "error-0001", "message": "Failed to authenticate with WebAuthn credential."}, "message": "Error while trying to authenticate. NotAllowedError: The operation either timed out or was not allowed. See:"}`,
		InputOutcome, "timed-out-or-cancelled", nil},
	{"result: security error",
		`{"success":false,"code":{"statusCode":"error-0001","message":"Failed to authenticate with WebAuthn credential."},"message":"Error while trying to authenticate. SecurityError: The relying party ID is not a registrable domain suffix of, nor equal to the current domain."}`,
		InputOutcome, "rp-id-mismatch", nil},
	{"result: finalize failed, network",
		`{"success":false,"code":{"statusCode":"error-1002","message":"Error while registering the new credential on server"},"message":"TypeError: Failed to fetch"}`,
		InputOutcome, "network-problem", nil},
	{"result: success with token",
		`{"success": true, "code": {"statusCode": "success-authentication", "message": "Successfully authenticated with WebAuthn credential."}, "token": "eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJodHRwcyJ9.3q0Fw"}`,
		InputOutcome, "success", nil},
	{"result: code object only", `{"statusCode": "error-0004", "message": "Missing statusToken. Cannot be null or undefined."}`, InputOutcome, "missing-status-token", nil},
	{"result: not supported",
		`{"success":false,"code":{"statusCode":"error-1001","message":"Failed to create WebAuthn credential."},"message":"Error while trying to create new credential. NotSupportedError: The operation is not supported."}`,
		InputOutcome, "no-common-algorithm", nil},
	{"result: constraint",
		`{"success":false,"code":{"statusCode":"error-1001","message":"Failed to create WebAuthn credential."},"message":"Error while trying to create new credential. ConstraintError: resident key required"}`,
		InputOutcome, "key-feature-missing", nil},

	// Cloud API bodies.
	{"cloud 401", `{"error":"Unauthorized","message":"Full authentication is required to access this resource","status":401}`, InputCloudError, "access-key-invalid", []string{"cloud-api:401"}},
	{"cloud 404 spring", `{"timestamp":"2024-05-02T10:11:12.000+00:00","status":404,"error":"Not Found","message":"Authenticator not found","path":"/api/v1/authenticators/4b1d"}`, InputCloudError, "not-found", nil},
	{"cloud 429", `{"error":"Too Many Requests","message":"rate limit exceeded","status":429}`, InputCloudError, "rate-limited", nil},
	{"cloud 418 unlisted", `{"error":"I'm a teapot","message":"no","status":418}`, InputCloudError, "bad-request", []string{"http:418"}},
	{"cloud status failed", `{"status":"failed"}`, InputCloudReply, "server-rejected", []string{"cloud-api:status-failed"}},
	{"cloud status pending", `{"status": "pending"}`, InputCloudReply, "status-pending", nil},
	{"cloud attestation answer", `{"status":"failed","token":null,"errorMessage":"statusToken expired"}`, InputCloudReply, "server-rejected", nil},
	{"introspection inactive", `{"active": false}`, InputCloudReply, "token-inactive", []string{"keydesk:token-inactive"}},

	// Tenant API bodies.
	{"tenant mismatch body", `{"code":"tenant_mismatch","message":"credential tenant does not match X-Tenant-ID","details":{},"notices":[]}`, InputTenant, "wrong-tenant", nil},
	{"tenant no pending enrollment", `{"code":"not_found","message":"No pending enrollment found","details":{},"notices":[]}`, InputTenant, "no-pending-enrollment", []string{"tenant-api:no_pending_enrollment"}},
	{"tenant unauthenticated body", `{"code":"unauthenticated","message":"Unauthenticated"}`, InputTenant, "session-expired", nil},
	{"tenant not implemented", `{"code":"not_implemented","message":"Not implemented","details":{"method_type":"webauthn_fido"}}`, InputTenant, "not-implemented", nil},
	{"tenant policy denied", `{"code":"forbidden","message":"denied by policy","notices":["policy0: forbid when principal.mfa_level < 2"]}`, InputTenant, "policy-denied", nil},

	// App-native API bodies.
	{"app-native flow timeout", `{"code":"ABA-60008","message":"Authentication flow time out.","description":"Authentication flow has timed out as it took too long to complete.","traceId":"0d3f5e6c-1b2a-4c3d-8e9f-0a1b2c3d4e5f"}`, InputAppNative, "flow-timeout", nil},
	{"app-native mislabelled 60007", `{"code":"60008","message":"App native authentication is not enabled for the application.","description":"App native authentication is not enabled for this application with id abc.","traceId":"t-1"}`, InputAppNative, "app-native-disabled", []string{"app-native:60007"}},
	{"app-native 401", `{"code":"401","message":"Unauthorzed","description":"Client authentication failure or client attestation failure.","traceId":"t-2"}`, InputAppNative, "access-key-invalid", nil},
	{"app-native server", `{"code":"ABA-65001","message":"Unable to proceed with authentication.","description":"Server encountered an error while processing the authentication request.","traceId":"t-3"}`, InputAppNative, "server-error", nil},

	// Browser console lines and logs.
	{"console not allowed", `Uncaught (in promise) DOMException: The operation either timed out or was not allowed. See: https://www.w3.org/TR/webauthn-2/#sctn-privacy-considerations-client.`, InputText, "timed-out-or-cancelled", []string{"dom:NotAllowedError"}},
	{"console named not allowed", `NotAllowedError: The request is not allowed by the user agent or the platform in the current context, possibly because the user denied permission.`, InputText, "timed-out-or-cancelled", nil},
	{"console invalid state", `Uncaught (in promise) DOMException: The user attempted to register an authenticator that contains one of the credentials already registered with the relying party.`, InputText, "already-registered", []string{"dom:InvalidStateError"}},
	{"console security", `SecurityError: The relying party ID is not a registrable domain suffix of, nor equal to the current domain.`, InputText, "rp-id-mismatch", nil},
	{"console abort", `AbortError: signal is aborted without reason`, InputText, "cancelled", nil},
	{"console type error", `TypeError: Failed to execute 'create' on 'CredentialsContainer': Failed to read the 'publicKey' property from 'CredentialCreationOptions'`, InputText, "invalid-options", nil},
	{"log with result object", `12:01:33 fido2-client result: {"success":false,"code":{"statusCode":"error-0001","message":"Failed to authenticate with WebAuthn credential."},"message":"Error while trying to authenticate. NotAllowedError: x"}`, InputOutcome, "timed-out-or-cancelled", []string{"nevis:error-0001"}},
	{"go-libfido2 error", `keydesk: failed to get assertion: no credentials`, InputText, "key-not-registered", []string{"libfido2:46"}},
	{"go-libfido2 numeric", `make credential: libfido2 error -8`, InputText, "touch-timeout", []string{"libfido2:-8"}},
	{"fido2-token output", `fido2-token: fido_dev_set_pin: FIDO_ERR_PIN_POLICY_VIOLATION`, InputText, "pin-policy", nil},
	{"http log line", `POST https://acme.mauth.nevis.cloud/api/v1/users/enroll -> HTTP 503 Service Unavailable`, InputText, "server-error", []string{"http:503"}},
	{"keydesk timeline line", `enroll: ctap: status 0x19 from key`, InputText, "already-registered", nil},
	{"result copied from the vendor's page", "\"success\": false,\n\"code\": {\n\"statusCode\": \"error-1001\",\n\"message\": \"Failed to create WebAuthn credential.\"\n\"message\": \"Error while trying to create new credential. NotAllowedError: The operation either timed out or was not allowed. See:\"", InputText, "timed-out-or-cancelled", []string{"nevis:error-1001", "dom:NotAllowedError"}},
	{"safari cancel", `NotAllowedError: This request has been cancelled by the user.`, InputText, "timed-out-or-cancelled", nil},
	{"unrecognisable text", `hello, my key does not work`, InputText, "unknown-code", nil},
}

func TestDiagnose(t *testing.T) {
	if len(diagnoseCases) < 40 {
		t.Fatalf("only %d cases", len(diagnoseCases))
	}
	for _, tc := range diagnoseCases {
		t.Run(tc.name, func(t *testing.T) {
			for _, aud := range []Audience{User, Helpdesk} {
				d := Diagnose(tc.input, aud)
				top, ok := d.Top()
				if !ok || top.ID != tc.top {
					t.Errorf("%s: top cause %q, want %q (causes %v)", aud, top.ID, tc.top, causeIDs(d))
				}
				if d.Kind != tc.kind {
					t.Errorf("%s: kind %q, want %q", aud, d.Kind, tc.kind)
				}
				for _, want := range tc.codes {
					if !hasCode(d, want) {
						t.Errorf("%s: no match for %s in %v", aud, want, matchCodes(d))
					}
				}
				if d.Text() == "" {
					t.Errorf("%s: empty text", aud)
				}
				if top.Text(aud) == "" {
					t.Errorf("%s: top cause without advice", aud)
				}
			}
		})
	}
}

func causeIDs(d Diagnosis) []string {
	var ids []string
	for _, c := range d.Causes {
		ids = append(ids, c.ID)
	}
	return ids
}

func matchCodes(d Diagnosis) []string {
	var cs []string
	for _, m := range d.Matches {
		cs = append(cs, m.Entry.Code.String())
	}
	return cs
}

func hasCode(d Diagnosis, c string) bool {
	for _, m := range matchCodes(d) {
		if m == c {
			return true
		}
	}
	return false
}

func TestDiagnoseDetails(t *testing.T) {
	d := Diagnose(`{"code":"forbidden","message":"denied","notices":["policy7 forbids enrollment from outside the corporate network"],"details":{"statusToken":"abc123secretvalue"}}`, Helpdesk)
	if len(d.Notices) != 1 || !strings.Contains(d.Notices[0], "policy7") {
		t.Errorf("notices %v", d.Notices)
	}
	if !strings.Contains(d.Text(), "policy7 forbids") {
		t.Errorf("helpdesk text does not show the policy notice:\n%s", d.Text())
	}
	if u := Diagnose(`{"code":"forbidden","message":"denied","notices":["policy7 forbids enrollment"]}`, User).Text(); !strings.Contains(u, "policy7 forbids") {
		t.Errorf("user text does not show the policy notice:\n%s", u)
	}
	if strings.Contains(d.Text(), "abc123secretvalue") {
		t.Errorf("details leak a secret:\n%s", d.Text())
	}
	d = Diagnose(`{"code":"ABA-60008","message":"Authentication flow time out.","traceId":"0d3f5e6c-1b2a"}`, Helpdesk)
	if d.TraceID != "0d3f5e6c-1b2a" || !strings.Contains(d.Text(), "0d3f5e6c-1b2a") {
		t.Errorf("trace ID %q not shown:\n%s", d.TraceID, d.Text())
	}
	d = Diagnose("49", Helpdesk)
	if len(d.Notes) == 0 || !strings.Contains(d.Notes[0], "0x31") {
		t.Errorf("decimal reading not explained: %v", d.Notes)
	}
	d = Diagnose(`{"code":"60008","message":"App native authentication is not enabled for the application."}`, Helpdesk)
	if len(d.Notes) == 0 || !strings.Contains(strings.Join(d.Notes, " "), "60007") {
		t.Errorf("60007/60008 mix-up not explained: %v", d.Notes)
	}
	if d := Diagnose("   ", User); d.Kind != InputEmpty || len(d.Causes) != 0 || len(d.Matches) != 0 {
		t.Errorf("empty input: %+v", d)
	}
	// A success code next to a failure is not credible.
	d = Diagnose(`{"success":true,"code":{"statusCode":"error-1001"},"message":"NotAllowedError"}`, Helpdesk)
	for _, c := range d.Causes {
		if c.ID == "success" {
			t.Error("success ranked for a failed result")
		}
	}
	if !strings.Contains(strings.Join(d.Notes, " "), "disagree") {
		t.Errorf("success/statusCode mismatch not noted: %v", d.Notes)
	}
}

func TestDiagnoseJSONOutput(t *testing.T) {
	d := Diagnose(`{"success": false, "code": {"statusCode": "error-1001", "message": "Failed to create WebAuthn credential."}, "message": "InvalidStateError"}`, Helpdesk)
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Audience string `json:"audience"`
		Kind     string `json:"inputKind"`
		Causes   []struct {
			ID string `json:"id"`
		} `json:"causes"`
		Matches []struct {
			Entry struct {
				Code Code `json:"code"`
			} `json:"entry"`
		} `json:"matches"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Audience != "helpdesk" || back.Kind != string(InputOutcome) || back.Causes[0].ID != "already-registered" || back.Matches[0].Entry.Code != Nevis("error-1001") {
		t.Errorf("JSON round trip: %s", b)
	}
}

// TestDiagnoseLarge pastes a long log: Diagnose reads its first 64 KiB,
// says so, still finds the codes and redacts the secrets.
func TestDiagnoseLarge(t *testing.T) {
	line := "12:00:01 enroll statusToken=kdLARGEsecret1 result error-1001 NotAllowedError: The operation either timed out or was not allowed.\n"
	in := strings.Repeat(line, 2*maxDiagnoseInput/len(line))
	d := Diagnose(in, Helpdesk)
	if top, _ := d.Top(); top.ID != "timed-out-or-cancelled" {
		t.Errorf("top cause %q", top.ID)
	}
	if !strings.Contains(strings.Join(d.Notes, " "), "cut") {
		t.Errorf("cut not noted: %v", d.Notes)
	}
	b, _ := json.Marshal(d)
	if strings.Contains(string(b)+d.Text(), "kdLARGEsecret") {
		t.Error("secret echoed")
	}
	if len(d.Input) > maxDiagnoseInput+1024 {
		t.Errorf("input echoed at %d bytes", len(d.Input))
	}
}
