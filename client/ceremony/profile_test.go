package ceremony_test

import (
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
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
				wantOutcome(t, res, "success-registration")
				if withPIN && !res.Credential.AuthenticatorData().Flags.UserVerified() {
					t.Error("the PIN was not used")
				}
				byName := r.runner.Approve(ctx, ceremony.ApproveInput{Username: "pia"})
				if prof == virtualkey.ProfileNoResidentKeys {
					// residentKey "preferred" made a server-side credential,
					// whose assertion carries no userHandle; the Cloud's
					// assertion reference requires one ("cannot be null or
					// empty"), so the Cloud refuses the sign-in, and KeyDesk
					// says it was the Cloud that refused, in its words.
					wantOutcome(t, byName, "error-0002")
					if byName.Cause != result.CodeCloudRejected || byName.Err == nil || !strings.Contains(byName.Err.Error(), "userHandle") {
						t.Errorf("sign-in with a key that stores no credentials: cause %s, %v", byName.Cause, byName.Err)
					}
					// Without a username the key has nothing to offer.
					if r.runner.Approve(ctx, ceremony.ApproveInput{}).Success() {
						t.Fatal("usernameless sign-in with a key that stores no credentials")
					}
					return
				}
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
// key can run at all. A key without discoverable credentials cannot sign
// in at the Cloud (its assertions carry no userHandle, which the Cloud
// requires: TestCeremoniesOverProfiles checks that refusal and its
// enrollment), and every row of the matrix proves its recovery with a
// sign-in, so the matrix does not run with it.
func profileSupports(p virtualkey.Profile, _ faultCase) bool {
	return p != virtualkey.ProfileNoResidentKeys
}
