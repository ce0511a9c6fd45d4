package result

import (
	"fmt"
	"strconv"
	"strings"
)

// Source names the vocabulary a code belongs to.
type Source string

// The sources KeyDesk knows.
const (
	// SourceNevis is the Authentication Cloud's fido2-client.js result code
	// (code.statusCode of the result object: success-registration,
	// error-1001, error-0001, …).
	SourceNevis Source = "nevis"
	// SourceCTAP is a CTAP2 status byte returned by a security key, written
	// 0x00–0xFF.
	SourceCTAP Source = "ctap"
	// SourceLibfido2 is a libfido2 return value (FIDO_ERR_*), written in
	// decimal; positive values equal the CTAP status of the same number.
	SourceLibfido2 Source = "libfido2"
	// SourceHTTP is an HTTP status code.
	SourceHTTP Source = "http"
	// SourceCloudAPI is an answer of the Authentication Cloud API: an HTTP
	// status of an error body {error, message, status}, or a transaction
	// status (pending, succeeded, failed, unknown).
	SourceCloudAPI Source = "cloud-api"
	// SourceTenantAPI is an error code of the tenant API's error body
	// {code, message, details, notices}.
	SourceTenantAPI Source = "tenant-api"
	// SourceAppNative is an error code of the app-native authentication API
	// (401, 60001…, 65001…, also written ABA-60001).
	SourceAppNative Source = "app-native"
	// SourceDOMException is the name of the exception a browser's WebAuthn
	// API throws (NotAllowedError, InvalidStateError, …).
	SourceDOMException Source = "dom"
	// SourceKeyDesk is a condition KeyDesk itself detects.
	SourceKeyDesk Source = "keydesk"
	// SourceUnknown is a code whose vocabulary could not be told.
	SourceUnknown Source = "unknown"
)

// Sources lists the catalogued sources in the order they are documented.
func Sources() []Source {
	return []Source{SourceNevis, SourceCTAP, SourceLibfido2, SourceHTTP, SourceCloudAPI,
		SourceTenantAPI, SourceAppNative, SourceDOMException, SourceKeyDesk}
}

// Title is the source's name for headings.
func (s Source) Title() string {
	switch s {
	case SourceNevis:
		return "Authentication Cloud fido2-client result codes"
	case SourceCTAP:
		return "CTAP2 status codes"
	case SourceLibfido2:
		return "libfido2 errors (FIDO_ERR_*)"
	case SourceHTTP:
		return "HTTP status codes"
	case SourceCloudAPI:
		return "Authentication Cloud API"
	case SourceTenantAPI:
		return "Tenant API errors"
	case SourceAppNative:
		return "App-native authentication API errors"
	case SourceDOMException:
		return "Browser WebAuthn exceptions (DOMException names)"
	case SourceKeyDesk:
		return "KeyDesk's own codes"
	}
	return "Unknown codes"
}

// ParseSource reads a source name as written by Source.String, accepting a
// few common spellings ("cloud", "tenant", "aba", "domexception").
func ParseSource(s string) (Source, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "nevis", "fido2-client", "fido2client":
		return SourceNevis, true
	case "ctap", "ctap2":
		return SourceCTAP, true
	case "libfido2", "fido", "fido_err":
		return SourceLibfido2, true
	case "http":
		return SourceHTTP, true
	case "cloud-api", "cloud", "cloudapi":
		return SourceCloudAPI, true
	case "tenant-api", "tenant", "tenantapi":
		return SourceTenantAPI, true
	case "app-native", "appnative", "aba":
		return SourceAppNative, true
	case "dom", "domexception", "webauthn", "browser":
		return SourceDOMException, true
	case "keydesk":
		return SourceKeyDesk, true
	case "unknown":
		return SourceUnknown, true
	}
	return "", false
}

// Code is one result code: a source and the value as that source writes it
// (normalised: CTAP as "0x31", libfido2 in decimal, app-native without its
// "ABA-" prefix).
type Code struct {
	Source Source `json:"source"`
	Value  string `json:"value"`
}

// String writes the code as "source:value", the form ParseCode reads back.
func (c Code) String() string {
	return string(c.Source) + ":" + c.Value
}

// ParseString reads a code as String writes it ("ctap:0x31"); false when s
// is not a known source, a colon and a value. People's spellings are
// ParseCode's.
func ParseString(s string) (Code, bool) {
	src, v, ok := strings.Cut(s, ":")
	if !ok || v == "" {
		return Code{}, false
	}
	for _, known := range append(Sources(), SourceUnknown) {
		if string(known) == src {
			return Code{known, v}, true
		}
	}
	return Code{}, false
}

// IsZero reports whether c is the zero Code.
func (c Code) IsZero() bool { return c == Code{} }

// Nevis returns the fido2-client code with the given statusCode
// ("error-1001", "success-registration").
func Nevis(statusCode string) Code {
	return Code{SourceNevis, strings.ToLower(strings.TrimSpace(statusCode))}
}

// CTAP returns the code of a CTAP2 status byte.
func CTAP(status byte) Code {
	return Code{SourceCTAP, fmt.Sprintf("0x%02X", status)}
}

// Libfido2 returns the code of a libfido2 return value (FIDO_ERR_*).
func Libfido2(v int) Code {
	return Code{SourceLibfido2, strconv.Itoa(v)}
}

// HTTP returns the code of an HTTP status.
func HTTP(status int) Code {
	return Code{SourceHTTP, strconv.Itoa(status)}
}

// CloudAPI returns an Authentication Cloud API code: the HTTP status of an
// error body ("401") or a transaction status ("failed").
func CloudAPI(v string) Code {
	return Code{SourceCloudAPI, strings.ToLower(strings.TrimSpace(v))}
}

// TenantAPI returns a tenant API error code ("tenant_mismatch").
func TenantAPI(code string) Code {
	return Code{SourceTenantAPI, strings.ToLower(strings.TrimSpace(code))}
}

// AppNative returns an app-native authentication API error code; "ABA-60008"
// and "60008" name the same code.
func AppNative(code string) Code {
	v := strings.TrimSpace(code)
	if len(v) > 4 && strings.EqualFold(v[:4], "ABA-") {
		v = v[4:]
	}
	return Code{SourceAppNative, v}
}

// DOMException returns the code of a browser exception name
// ("NotAllowedError").
func DOMException(name string) Code {
	return Code{SourceDOMException, strings.TrimSpace(name)}
}

// KeyDesk returns one of KeyDesk's own codes ("rp-id-mismatch").
func KeyDesk(name string) Code {
	return Code{SourceKeyDesk, strings.ToLower(strings.TrimSpace(name))}
}
