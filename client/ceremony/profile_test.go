package ceremony_test

import (
	"errors"
	"testing"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/client/webauthn/options"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/protocol"
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
				if prof == virtualkey.ProfileU2F && withPIN {
					// A U2F key cannot have a PIN: KeyDesk does not ask it.
					if err := r.dev.SetPIN(ctx, "2468"); !errors.Is(err, ctap.ErrNotSupported) {
						t.Fatalf("set PIN on a U2F key: %v", err)
					}
					return
				}
				if withPIN {
					if err := r.dev.SetPIN(ctx, "2468"); err != nil {
						t.Fatal(err)
					}
					r.prompter.SetPINs("2468", "2468", "2468", "2468")
				}
				res := r.runner.Enroll(ctx, ceremony.EnrollInput{Username: "pia", DisplayName: "Pia"})
				if prof == virtualkey.ProfileNoResidentKeys || prof == virtualkey.ProfileU2F {
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
					if prof == virtualkey.ProfileU2F {
						testU2FAtTheCloud(t, r)
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
// matrix needs an enrollment, so the matrix does not run with it. A U2F
// key runs with options it can meet (runFault) every row whose fault it
// can have: not the PIN's, not a refusal or a timeout of its own, not a
// scripted CTAP2 status (faultCase.notU2F).
func profileSupports(p virtualkey.Profile, c faultCase) bool {
	switch p {
	case virtualkey.ProfileNoResidentKeys:
		return false
	case virtualkey.ProfileU2F:
		return !c.pin && c.notU2F == ""
	}
	return true
}

// u2fOptions are creation options a U2F key can meet: no discoverable
// credential, no user verification (a relying party that asks for them
// through the Cloud's fido2Options, registration-ref).
var u2fOptions = &cloud.EnrollFIDO2Options{
	AuthenticatorSelection: &options.AuthenticatorSelectionCriteria{ResidentKey: "discouraged", UserVerification: "discouraged"},
	Attestation:            "direct",
}

// testU2FAtTheCloud: a U2F-only key, refused with the Cloud's documented
// options (TestCeremoniesOverProfiles), enrolls where the relying party
// asks for no discoverable credential: the real libfido2's U2F
// registration becomes a fido-u2f attestation that the emulator verifies
// with go-webauthn, chained to the key's CA. Its assertion carries no
// userHandle (the credential is not discoverable), which the Cloud's
// documented assertion body refuses; a relying party that accepts it
// (AcceptAssertionsWithoutUserHandle) verifies it end to end. Usernameless
// sign-in is impossible with it (NotAllowedError, UNSUPPORTED_OPTION).
func testU2FAtTheCloud(t *testing.T, r *rig) {
	t.Helper()
	ctx := ctxT(t)
	r.runner.AttestationRoots = r.em.AttestationRoots()
	res := r.runner.Enroll(ctx, ceremony.EnrollInput{Username: "uma", DisplayName: "Uma", FIDO2Options: u2fOptions})
	wantOutcome(t, res, "success-registration")
	obj, err := protocol.ParseAttestationObject(res.Credential.AttestationObject())
	if err != nil || obj.Format != protocol.AttestationFormatFIDOU2F {
		t.Fatalf("U2F attestation: %v", err)
	}
	if res.AttestationTrust != protocol.TrustRoot {
		t.Errorf("trust %q, want trusted (a chain to the key's CA)", res.AttestationTrust)
	}
	ap := r.runner.Approve(ctx, ceremony.ApproveInput{Username: "uma"})
	wantOutcome(t, ap, "error-0002")
	if ap.Cause != result.CodeCloudRejected {
		t.Errorf("sign-in without userHandle at the Cloud: cause %s (%v)", ap.Cause, ap.Err)
	}
	ul := r.runner.Approve(ctx, ceremony.ApproveInput{})
	wantOutcome(t, ul, "error-0001")
	if ul.DOMException != webauthn.NotAllowedError || ul.Cause != result.CTAP(0x2B) {
		t.Errorf("usernameless sign-in with a U2F key: %s, cause %s (%v)", ul.DOMException, ul.Cause, ul.Err)
	}

	lenient := newRig(t, rigOptions{key: virtualkey.Options{Profile: virtualkey.ProfileU2F},
		emulator: emulator.Config{AcceptAssertionsWithoutUserHandle: true}})
	wantOutcome(t, lenient.runner.Enroll(ctx, ceremony.EnrollInput{Username: "uma", FIDO2Options: u2fOptions}), "success-registration")
	for range 2 {
		ok := lenient.runner.Approve(ctx, ceremony.ApproveInput{Username: "uma"})
		wantOutcome(t, ok, "success-authentication")
		if ad := ok.Credential.AuthenticatorData(); !ad.Flags.UserPresent() || ad.Flags.UserVerified() {
			t.Errorf("U2F assertion flags %s", ad.Flags)
		}
	}
}
