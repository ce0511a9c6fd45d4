package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/protocol"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestDemoEnrollsAKeyItHasNeverSeen: `make run` with a hardware key
// plugged in, simulated by virtual key profiles whose attestation CA the
// demo emulator has never seen. The key enrolls and signs in (real
// libfido2, real HTTP on loopback), and the enrollment reports the trust
// verdict the emulator recorded: untrusted for an unknown vendor, a known
// model for a YubiKey 5 NFC's AAGUID on a root the demo does not know, a
// trusted root for the demo's own key.
func TestDemoEnrollsAKeyItHasNeverSeen(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	env, err := demo.Start(ctx, demo.Options{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	for _, tc := range []struct {
		profile virtualkey.Profile
		own     bool
		want    protocol.Trust
	}{
		{virtualkey.ProfileUnknownVendor, false, protocol.TrustUntrusted},
		{virtualkey.ProfileCTAP21Pre, false, protocol.TrustKnownModel},
		{virtualkey.ProfileCTAP21, true, protocol.TrustRoot},
	} {
		t.Run(tc.profile.String(), func(t *testing.T) {
			path := env.Key.Path()
			if !tc.own {
				hw, err := demo.StartMemoryKey(virtualkey.Options{Profile: tc.profile, PresenceTimeout: 5 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				defer hw.Close()
				path = hw.Path()
			}
			dev, err := ctap.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			r := &ceremony.Runner{Cloud: env.Client, Key: dev, Prompter: testkit.NewPrompter(),
				AttestationRoots: env.AttestationRoots(), PollInterval: 20 * time.Millisecond}
			user := "hw-" + tc.profile.String()
			res := r.Enroll(ctx, ceremony.EnrollInput{Username: user, DisplayName: user})
			if !res.Success() {
				t.Fatalf("enroll: %v (%s)", res.Err, res.Outcome.Code.StatusCode)
			}
			if res.AttestationTrust != tc.want || ceremony.NewRecord(ceremony.KindEnroll, res).AttestationTrust != tc.want {
				t.Errorf("the enrollment reports %q, want %q", res.AttestationTrust, tc.want)
			}
			if got := env.Cloud.AttestationTrust(user); len(got) != 1 || got[0] != tc.want {
				t.Errorf("the emulator recorded %v, want [%s]", got, tc.want)
			}
			if res := r.Approve(ctx, ceremony.ApproveInput{Username: user}); !res.Success() {
				t.Fatalf("sign-in: %v (%s)", res.Err, res.Outcome.Code.StatusCode)
			}
		})
	}
}
