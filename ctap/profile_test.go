package ctap_test

import (
	"slices"
	"testing"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestProfilesThroughLibfido2 drives each virtual key profile through the
// real libfido2: getInfo as the family answers it, and the ceremonies the
// family supports (with a PIN set, so PIN protocol 1 and the legacy
// getPINToken are exercised where the profile has only those).
func TestProfilesThroughLibfido2(t *testing.T) {
	for _, prof := range virtualkey.Profiles {
		if prof == virtualkey.ProfileU2F {
			continue // no getInfo, no PIN: TestU2FKeyThroughLibfido2
		}
		t.Run(prof.String(), func(t *testing.T) {
			tk := newKey(t, virtualkey.Options{Profile: prof})
			ctx := ctxT(t)
			info, err := tk.dev.Info(ctx)
			if err != nil {
				t.Fatal(err)
			}
			switch prof {
			case virtualkey.ProfileCTAP20:
				if len(info.Algorithms) != 0 || info.FirmwareVersion != 0 || !slices.Equal(info.PINUVAuthProtocols, []int{1}) ||
					slices.Contains(info.Versions, "FIDO_2_1") || ctap.CredMgmtSupported(info) {
					t.Fatalf("CTAP 2.0 getInfo %+v", info)
				}
			case virtualkey.ProfileCTAP21Pre:
				if !slices.Contains(info.Versions, "FIDO_2_1_PRE") || slices.Contains(info.Versions, "FIDO_2_1") ||
					!ctap.CredMgmtSupported(info) || info.Options["credMgmt"] || info.FirmwareVersion != 0x50403 {
					t.Fatalf("CTAP 2.1-PRE getInfo %+v", info)
				}
			case virtualkey.ProfileNoResidentKeys:
				if v, ok := info.Option("rk"); !ok || v || ctap.CredMgmtSupported(info) {
					t.Fatalf("no-rk getInfo %+v", info)
				}
			}
			if err := tk.dev.SetPIN(ctx, "1234"); err != nil {
				t.Fatal(err)
			}
			p := testkit.AlwaysPIN("1234")
			req := mcRequest("pat", false)
			req.UserVerification = ctap.UVPreferred
			res, err := tk.dev.MakeCredential(ctx, req, p)
			if err != nil {
				t.Fatal(err)
			}
			cdh := req.ClientDataHash
			as, err := tk.dev.GetAssertion(ctx, ctap.GetAssertionRequest{RPID: "example.com", ClientDataHash: cdh,
				AllowList: [][]byte{res.CredentialID}, UserVerification: ctap.UVPreferred}, p)
			if err != nil || len(as) != 1 {
				t.Fatalf("assertion: %v (%d)", err, len(as))
			}
			rk := mcRequest("quinn", true)
			rk.UserVerification = ctap.UVPreferred
			_, err = tk.dev.MakeCredential(ctx, rk, p)
			if prof == virtualkey.ProfileNoResidentKeys {
				if code, _ := ctap.CodeOf(err); code != ctap.StatusUnsupportedOption {
					t.Fatalf("discoverable credential on a key without rk: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rps, err := tk.dev.RelyingParties(ctx, "1234")
			if ctap.CredMgmtSupported(info) {
				if err != nil || len(rps) != 1 {
					t.Fatalf("credential management: %v %+v", err, rps)
				}
			} else if code, _ := ctap.CodeOf(err); code != ctap.StatusInvalidCommand {
				// Callers ask CredMgmtSupported first; the key itself
				// refuses the command it does not have.
				t.Fatalf("credential management on a key without it: %v", err)
			}
		})
	}
}

// TestUnlistedAlgorithmsPassTheRPsList: a CTAP 2.0 key lists no algorithms
// but makes EdDSA credentials; the relying party's preference reaches it as
// a browser passes pubKeyCredParams, instead of ES256 being assumed, and an
// algorithm the key lacks falls through to the next one.
func TestUnlistedAlgorithmsPassTheRPsList(t *testing.T) {
	tk := newKey(t, virtualkey.Options{Profile: virtualkey.ProfileCTAP20})
	ctx := ctxT(t)
	for _, tc := range []struct {
		rp   []int
		want int
	}{
		{[]int{-8, -7}, -8},
		{[]int{-257, -7}, -7},
		{[]int{-257, -8, -7}, -8},
		{[]int{-7, -8}, -7},
	} {
		req := mcRequest("ray", false)
		req.Algorithms = tc.rp
		res, err := tk.dev.MakeCredential(ctx, req, testkit.NoPIN(t))
		if err != nil {
			t.Fatalf("%v: %v", tc.rp, err)
		}
		if res.Algorithm != tc.want {
			t.Fatalf("RP %v: credential algorithm %d, want %d", tc.rp, res.Algorithm, tc.want)
		}
	}
	req := mcRequest("ray", false)
	req.Algorithms = []int{-257}
	if _, err := tk.dev.MakeCredential(ctx, req, testkit.NoPIN(t)); err == nil {
		t.Fatal("RS256 only: made a credential the key cannot make")
	} else if code, _ := ctap.CodeOf(err); code != ctap.StatusUnsupportedAlg {
		t.Fatalf("RS256 only: %v", err)
	}
}
