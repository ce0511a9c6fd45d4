package webauthn_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/client/webauthn/options"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

func isSecurityError(err error) bool {
	var de *webauthn.DOMError
	return errors.As(err, &de) && de.Name == webauthn.SecurityError
}

// TestParseOriginAsBrowsers: an origin is serialised as a browser
// serialises it, and refused where a browser would not run WebAuthn.
func TestParseOriginAsBrowsers(t *testing.T) {
	cases := []struct {
		in, want string // want "" means a SecurityError
	}{
		// WHATWG URL §4.4 / HTML "serialization of an origin": the default
		// port of the scheme is not part of the origin.
		{"https://portal.example.com:443", "https://portal.example.com"},
		{"http://localhost:80", "http://localhost"},
		{"https://portal.example.com:8443", "https://portal.example.com:8443"},
		{"http://localhost:0080", "http://localhost"}, // URL §4.4 port state: leading zeros
		// URL §3.5 host parser: domain to ASCII (UTS #46), lower case.
		{"https://BÜCHER.example", "https://xn--bcher-kva.example"},
		{"https://Portal.Example.COM", "https://portal.example.com"},
		{"https://faß.de", "https://xn--fa-hia.de"},    // UTS #46 non-transitional: ß kept
		{"https://ｅｘａｍｐｌｅ.com", "https://example.com"}, // UTS #46 mapping: full-width letters
		{"http://0x7f.0.0.1", "http://127.0.0.1"},      // URL §3.5 IPv4 parser: hex part
		{"http://2130706433", "http://127.0.0.1"},      // URL §3.5 IPv4 parser: one number
		{"http://127.1", "http://127.0.0.1"},           // URL §3.5 IPv4 parser: two parts
		{"http://0177.0.0.1", "http://127.0.0.1"},      // URL §3.5 IPv4 parser: octal part
		{"http://[::1]:80", "http://[::1]"},            // URL §3.5 IPv6, default port
		{"https://0x7f.1", "https://127.0.0.1"},        // https on a numeric host: parsed, refused later as RP ID
		{" https://portal.example.com", ""},            // whitespace refused, not trimmed
		{"https://portal.example.com\n", ""},           // whitespace refused, not trimmed
		{"http://portal.example.com", ""},              // WebAuthn: secure context only
		{"http://0x7f000002.example", ""},              // not a number at the end: a domain, and not loopback
		{"http://1.2.3.256", ""},                       // URL §3.5 IPv4 parser: last part out of range → failure
		{"http://0x100.0.0.1", ""},                     // URL §3.5 IPv4 parser: part > 255 → failure
		{"http://1.2.3.4.5", ""},                       // URL §3.5 IPv4 parser: more than four parts → failure
		{"https://xn--a.example", ""},                  // UTS #46: invalid punycode
		{"https://portal.example.com/path", ""},        // an origin has no path
	}
	for _, tc := range cases {
		o, err := webauthn.ParseOrigin(tc.in)
		if tc.want == "" {
			if !isSecurityError(err) {
				t.Errorf("ParseOrigin(%q) = %v, %v; want a SecurityError", tc.in, o, err)
			}
			continue
		}
		if err != nil || o.String() != tc.want {
			t.Errorf("ParseOrigin(%q) = %q, %v; want %q", tc.in, o.String(), err, tc.want)
		}
	}
}

// rpidCases are the RP ID rows: an origin, the options' RP ID, and the
// ASCII RP ID a browser would use ("" for a SecurityError).
var rpidCases = []struct {
	origin, rpID, want string // want "" means a SecurityError
}{
	// WebAuthn §5.1.3 step 8: an absent RP ID is the effective domain.
	{"https://portal.example.com", "", "portal.example.com"},
	{"https://bücher.example", "", "xn--bcher-kva.example"},
	// HTML "is a registrable domain suffix of or is equal to", after
	// domain to ASCII (URL §3.3) on both sides.
	{"https://bücher.example", "BÜCHER.example", "xn--bcher-kva.example"},
	{"https://xn--bcher-kva.example", "bücher.example", "xn--bcher-kva.example"},
	{"https://login.bücher.example", "bücher.example", "xn--bcher-kva.example"},
	{"https://login.xn--bcher-kva.example", "xn--bcher-kva.example", "xn--bcher-kva.example"},
	{"https://portal.example.com", "example.com", "example.com"},
	{"https://portal.example.com:443", "Portal.Example.com", "portal.example.com"},
	{"http://localhost", "localhost", "localhost"},
	{"http://a.localhost", "localhost", "localhost"},
	// HTML: a public suffix is no registrable domain suffix.
	{"https://portal.example.co.uk", "co.uk", ""},
	{"https://a.github.io", "github.io", ""},
	{"https://portal.example.com", "com", ""},
	// HTML: the suffix must end the host at a label boundary.
	{"https://portal.example.com", "l.example.com", ""},
	{"https://portal.example.com", "evil.example", ""},
	{"https://example.com", "portal.example.com", ""},
	// WebAuthn §5.1.3 step 7: an IP address is not a valid domain,
	// whichever way it is written (URL §3.5 IPv4 parser).
	{"https://portal.example.com", "127.0.0.1", ""},
	{"https://portal.example.com", "0x7f.0.0.1", ""},
	{"https://portal.example.com", "2130706433", ""},
	{"https://portal.example.com", "127.1", ""},
	{"https://portal.example.com", "[::1]", ""},
	{"https://portal.example.com", "::1", ""},
	{"http://127.0.0.1", "", ""},
	{"http://127.0.0.1", "127.0.0.1", ""},
	{"http://0x7f.0.0.1", "", ""},
	{"http://[::1]", "", ""},
	// Surrounding whitespace is refused, not trimmed (a browser's
	// host parser fails on it: forbidden host code point, URL §3.2).
	{"https://portal.example.com", " example.com", ""},
	{"https://portal.example.com", "example.com\t", ""},
	// URL §3.2: forbidden domain code points; UTS #46 failures.
	{"https://portal.example.com", "exa%mple.com", ""},
	{"https://portal.example.com", "example.com/", ""},
	{"https://portal.example.com", "xn--a.example.com", ""},
}

// TestEffectiveRPIDAsBrowsers table-tests the RP ID check against the
// WebAuthn and HTML rules: the result is the ASCII RP ID that is hashed and
// sent to the key.
func TestEffectiveRPIDAsBrowsers(t *testing.T) {
	for _, tc := range rpidCases {
		o, err := webauthn.ParseOrigin(tc.origin)
		if err != nil {
			t.Fatalf("ParseOrigin(%q): %v", tc.origin, err)
		}
		got, err := webauthn.EffectiveRPID(o, tc.rpID)
		if tc.want == "" {
			if !isSecurityError(err) {
				t.Errorf("EffectiveRPID(%s, %q) = %q, %v; want a SecurityError", tc.origin, tc.rpID, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("EffectiveRPID(%s, %q) = %q, %v; want %q", tc.origin, tc.rpID, got, err, tc.want)
		}
	}
}

// TestRefusedRPIDNeverTouchesKey runs every refused row of rpidCases
// through navigator.credentials.create on the virtual key (real libfido2):
// each ends in a SecurityError and the key receives no command at all
// (WebAuthn §5.1.3 steps 7–8 come before any authenticator is used).
func TestRefusedRPIDNeverTouchesKey(t *testing.T) {
	key := testkit.NewKey(t, virtualkey.Options{})
	var commands atomic.Int32
	key.OnEvent(func(e virtualkey.Event) {
		if e.Kind == virtualkey.EventCommand {
			commands.Add(1)
		}
	})
	dev := key.Open(t)
	before := commands.Load() // opening the key may talk to it
	for _, tc := range rpidCases {
		if tc.want != "" {
			continue
		}
		opts := &options.PublicKeyCredentialCreationOptionsJSON{
			RP:               options.PublicKeyCredentialRpEntity{ID: tc.rpID, Name: "Portal"},
			User:             options.PublicKeyCredentialUserEntityJSON{ID: "dXNlci0x", Name: "ivy", DisplayName: "Ivy"},
			Challenge:        "AAECAwQFBgcICQoLDA0ODw",
			PubKeyCredParams: []options.PublicKeyCredentialParameters{{Type: "public-key", Alg: -7}},
		}
		_, err := webauthn.Create(context.Background(), dev, tc.origin, opts, testkit.NewPrompter(), webauthn.StepTimes{})
		if !isSecurityError(err) {
			t.Errorf("Create(%s, rp.id %q) = %v; want a SecurityError", tc.origin, tc.rpID, err)
		}
	}
	if n := commands.Load() - before; n != 0 {
		t.Errorf("the key received %d commands for options the origin may not use", n)
	}
}

// TestRPIDASCIIThroughCreate runs internationalised origins and RP IDs
// through navigator.credentials.create on the virtual key (real libfido2)
// and posts the credential to the emulator, where go-webauthn checks the
// clientDataJSON origin and the rpIdHash against the ASCII forms. A client
// that hashed the Unicode name, or kept ":443" in the origin, fails there.
func TestRPIDASCIIThroughCreate(t *testing.T) {
	const asciiOrigin = "https://xn--bcher-kva.example"
	cases := []struct {
		name, origin, optionsRPID string
	}{
		{"unicode origin, no RP ID", "https://BÜCHER.example", ""},
		{"unicode origin with default port", "https://bücher.example:443", ""},
		{"unicode RP ID", "https://bücher.example", "Bücher.Example"},
		{"ASCII origin, unicode RP ID", asciiOrigin, "bücher.example"},
	}
	key := testkit.NewKey(t, virtualkey.Options{})
	dev := key.Open(t)
	em, err := emulator.Start(context.Background(), emulator.Config{Origin: asciiOrigin})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() })
	cl, err := cloud.New(cloud.Config{InstanceURL: em.URL(), Origin: asciiOrigin, AccessKey: cloud.NewSecret(em.AccessKey())})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			em.SetOptionsRPID(tc.optionsRPID)
			enr, err := cl.Enroll(ctx, cloud.EnrollRequest{Username: "idn" + string(rune('a'+i)), DisplayName: "IDN"})
			if err != nil {
				t.Fatal(err)
			}
			opts := enr.Enrollment.CredentialCreationOptions.PublicKeyCredentialCreationOptionsJSON
			cred, err := webauthn.Create(ctx, dev, tc.origin, &opts, testkit.NewPrompter(), webauthn.StepTimes{})
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			if h := cred.AuthenticatorData().RPIDHash; h != sha256.Sum256([]byte("xn--bcher-kva.example")) {
				t.Errorf("rpIdHash is not the hash of the ASCII RP ID")
			}
			app, err := cl.PostAttestation(ctx, cloud.AttestationResult{
				ID: cred.ID, Response: cloud.AttestationResponse{AttestationObject: cred.Response.AttestationObject, ClientDataJSON: cred.Response.ClientDataJSON},
				StatusToken: enr.Enrollment.StatusToken,
			})
			if err != nil || app.Status != cloud.StatusSucceeded {
				t.Fatalf("the emulator (go-webauthn) refused the credential: %+v, %v", app, err)
			}
		})
	}
	em.SetOptionsRPID("")
}
