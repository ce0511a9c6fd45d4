package emulator_test

import (
	"context"
	"testing"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/internal/testauthn"
	"github.com/keydesk/keydesk/ctap/protocol"
)

// TestRecordTrustPolicyAcceptsAndJudges: with AttestationPolicy
// RecordTrust (the demo's), an attestation whose signature verifies is
// accepted whatever its root, and the authenticator keeps the verdict:
// a chain to a configured root, a known model (AAGUID in the table) on an
// unknown root, or untrusted. Everything else is verified as before.
func TestRecordTrustPolicyAcceptsAndJudges(t *testing.T) {
	ca, err := testauthn.NewTestCA("KeyDesk test root")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := testauthn.NewTestCA("a vendor nobody knows")
	yubiKey5NFC := [16]byte{0x2f, 0xc0, 0x57, 0x9f, 0x81, 0x13, 0x47, 0xea, 0xb1, 0x16, 0xbb, 0x5a, 0x8d, 0xb9, 0x20, 0x2a}
	equipped := func(format string, by *testauthn.TestCA, aaguid *[16]byte) *testauthn.Authenticator {
		a := testauthn.New(format)
		if aaguid != nil {
			a.AAGUID = *aaguid
		}
		if by != nil {
			if err := by.Equip(a); err != nil {
				t.Fatal(err)
			}
		}
		return a
	}
	cases := []struct {
		name string
		key  *testauthn.Authenticator
		want protocol.Trust
	}{
		{"packed, chain to the configured root", equipped(testauthn.FormatPacked, ca, nil), protocol.TrustRoot},
		{"fido-u2f, chain to the configured root", equipped(testauthn.FormatFIDOU2F, ca, nil), protocol.TrustRoot},
		{"packed, unknown root, unknown model", equipped(testauthn.FormatPacked, other, nil), protocol.TrustUntrusted},
		{"packed, unknown root, known model", equipped(testauthn.FormatPacked, other, &yubiKey5NFC), protocol.TrustKnownModel},
		{"fido-u2f, unknown root", equipped(testauthn.FormatFIDOU2F, other, nil), protocol.TrustUntrusted},
		{"self attestation of a known model", equipped(testauthn.FormatPacked, nil, &yubiKey5NFC), protocol.TrustKnownModel},
		{"none", testauthn.New(testauthn.FormatNone), protocol.TrustUntrusted},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := start(t, emulator.Config{AttestationRoots: ca.Pool(), AttestationPolicy: emulator.RecordTrust})
			res, err := testauthn.Enroll(context.Background(), c, tc.key, cloud.EnrollRequest{Username: "u"}, nil)
			if err != nil || res.Status.Status != cloud.StatusSucceeded {
				t.Fatalf("enroll: %v (%+v)", err, res.Status)
			}
			if got := srv.AttestationTrust("u"); len(got) != 1 || got[0] != tc.want {
				t.Fatalf("verdicts %v, want [%s]", got, tc.want)
			}
		})
	}
	t.Run("verification is not loosened", func(t *testing.T) {
		srv, c := start(t, emulator.Config{AttestationRoots: ca.Pool(), AttestationPolicy: emulator.RecordTrust})
		res, err := testauthn.Enroll(context.Background(), c, equipped(testauthn.FormatPacked, other, nil), cloud.EnrollRequest{Username: "u"},
			func(a *testauthn.CreateArgs) { a.RPID = "evil.example.com" })
		// Refused: an HTTP error, or (as documented for _app results) an
		// answer carrying an errorMessage.
		if msg, refused := rejection(res.Attestation, err); !refused || msg == "" || len(srv.AttestationTrust("u")) != 0 {
			t.Fatalf("an attestation for another RP ID was accepted: %v %+v", err, res.Attestation)
		}
	})
}
