package ceremony_test

import (
	"testing"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestCeremoniesOverProfiles runs enroll and sign-in (by username, and
// usernameless where the key stores discoverable credentials) with each
// virtual key profile of a real key family, with and without a PIN, end to
// end: real libfido2, the emulator over loopback.
func TestCeremoniesOverProfiles(t *testing.T) {
	for _, prof := range virtualkey.Profiles {
		for _, withPIN := range []bool{false, true} {
			name := prof.String()
			if withPIN {
				name += "/pin"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				r := newRig(t, rigOptions{key: virtualkey.Options{Profile: prof}})
				ctx := ctxT(t)
				if withPIN {
					if err := r.dev.SetPIN(ctx, "2468"); err != nil {
						t.Fatal(err)
					}
					r.prompter.SetPINs("2468", "2468", "2468", "2468")
				}
				res := r.runner.Enroll(ctx, ceremony.EnrollInput{Username: "pia", DisplayName: "Pia"})
				if prof == virtualkey.ProfileNoResidentKeys {
					// The Cloud's documented creation options require a
					// discoverable credential (requireResidentKey true), which
					// this key cannot store: KeyDesk refuses before the key
					// makes a credential, as a browser ignores such a key
					// (WebAuthn §5.1.3, §6.3.2 step 3: ConstraintError), says
					// why (CTAP2_ERR_UNSUPPORTED_OPTION, "a resident key
					// (rk)"), and sends the Cloud no attestation.
					wantOutcome(t, res, "error-1001")
					if res.DOMException != webauthn.ConstraintError || res.Cause != result.CTAP(0x2B) {
						t.Errorf("enroll with a key that stores no credentials: %s, cause %s (%v)", res.DOMException, res.Cause, res.Err)
					}
					if n := r.makeCreds.Load(); n != 0 {
						t.Errorf("the key received %d makeCredential commands", n)
					}
					if asked := r.prompter.PINRequests(); len(asked) != 0 {
						t.Errorf("the PIN was asked for a key that cannot enroll: %v", asked)
					}
					for _, q := range r.em.Requests() {
						if q.Endpoint == emulator.EndpointAttestation {
							t.Errorf("an attestation was sent to the Cloud: %s", q.Path)
						}
					}
					return
				}
				wantOutcome(t, res, "success-registration")
				if withPIN && !res.Credential.AuthenticatorData().Flags.UserVerified() {
					t.Error("the PIN was not used")
				}
				byName := r.runner.Approve(ctx, ceremony.ApproveInput{Username: "pia"})
				wantOutcome(t, byName, "success-authentication")
				ap := r.runner.Approve(ctx, ceremony.ApproveInput{})
				wantOutcome(t, ap, "success-authentication")
				if ap.UserID != res.UserID {
					t.Errorf("usernameless sign-in as %q, enrolled %q", ap.UserID, res.UserID)
				}
			})
		}
	}
}

// TestFaultMatrixOverProfiles runs the fault matrix (fault_test.go) with
// each other profile, every fault whose ceremony the profile supports
// (profileSupports).
func TestFaultMatrixOverProfiles(t *testing.T) {
	for _, prof := range virtualkey.Profiles {
		if prof == virtualkey.ProfileCTAP21 {
			continue // TestFaultMatrix
		}
		t.Run(prof.String(), func(t *testing.T) {
			for _, c := range faultCases() {
				if !profileSupports(prof, c) {
					continue
				}
				c.key.Profile = prof
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					runFault(t, c)
				})
			}
		})
	}
}

// profileSupports reports whether a fault's ceremony is one the profile's
// key can run at all. A key without discoverable credentials cannot enroll
// at the Cloud (its documented creation options require one:
// TestCeremoniesOverProfiles checks that refusal), and every row of the
// matrix needs an enrollment, so the matrix does not run with it.
func profileSupports(p virtualkey.Profile, _ faultCase) bool {
	return p != virtualkey.ProfileNoResidentKeys
}
