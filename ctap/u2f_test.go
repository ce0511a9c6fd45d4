package ctap_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/protocol"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestU2FKeyThroughLibfido2: a U2F-only key (no CBOR, CTAPHID_MSG) is
// used through the real libfido2's U2F path: KeyDesk reads it as a U2F
// key (no PIN, no discoverable credentials, no credential management, no
// reset), registers a credential whose attestation is a fido-u2f statement
// that verifies (WebAuthn §8.6), signs in with it, and refuses what a U2F
// key cannot do with UNSUPPORTED_OPTION, as libfido2 and browsers do.
func TestU2FKeyThroughLibfido2(t *testing.T) {
	tk := newKey(t, virtualkey.Options{Profile: virtualkey.ProfileU2F})
	ctx := ctxT(t)
	info, err := tk.dev.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !info.U2FOnly() || !slices.Equal(info.Versions, []string{"U2F_V2"}) || info.Options["rk"] || info.PINSet() ||
		ctap.PINSupported(info) || ctap.CredMgmtSupported(info) || ctap.ResetSupported(info) || ctap.ConfigSupported(info) ||
		!slices.Equal(info.Algorithms, []int{-7}) || info.AAGUIDString() != "" {
		t.Fatalf("U2F key info %+v", info)
	}
	if err := tk.dev.SetPIN(ctx, "1234"); !errors.Is(err, ctap.ErrNotSupported) {
		t.Fatalf("set PIN on a U2F key: %v", err)
	}

	// Registration, with a touch that comes late (the key is polled) and
	// extensions a U2F key does not have (left out, as a browser does).
	tk.k.SetPresence(virtualkey.Presence{Delay: 300 * time.Millisecond})
	p := testkit.NewPrompter()
	req := mcRequest("una", false)
	req.UserVerification = ctap.UVPreferred
	req.HMACSecret, req.CredProtect = true, 2
	res, err := tk.dev.MakeCredential(ctx, req, p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "fido-u2f" || res.Algorithm != -7 || res.UVUsed || res.ResidentKey {
		t.Fatalf("U2F registration: format %q alg %d uv %v rk %v", res.Format, res.Algorithm, res.UVUsed, res.ResidentKey)
	}
	if len(p.TouchRequests()) != 1 {
		t.Errorf("touch prompts %v, want one", p.TouchRequests())
	}
	attObj, err := protocol.MarshalAttestationObject(protocol.AttestationFormat(res.Format), protocol.RawCBOR(res.AttStmt), res.AuthData)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := protocol.ParseAttestationObject(attObj)
	if err != nil {
		t.Fatalf("the fido-u2f attestation object does not parse: %v", err)
	}
	verdict, err := obj.Verify(req.ClientDataHash)
	if err != nil || !verdict.Verified || len(verdict.Chain) != 1 || !verdict.Chain[0].Equal(tk.k.BatchCertificate()) {
		t.Fatalf("fido-u2f verification: %v %+v", err, verdict)
	}
	if err := verdict.Chain[0].CheckSignatureFrom(tk.k.CACertificate()); err != nil {
		t.Errorf("attestation certificate not from the test CA: %v", err)
	}
	ad := obj.AuthData
	acd := ad.AttestedCredentialData
	if ad.RPIDHash != sha256.Sum256([]byte("example.com")) || !ad.Flags.UserPresent() || ad.Flags.UserVerified() ||
		ad.SignCount != 0 || acd.AAGUID != (protocol.AAGUID{}) || !bytes.Equal(acd.CredentialID, res.CredentialID) {
		t.Fatalf("U2F authenticator data %+v", ad)
	}
	pub, err := acd.PublicKey.PublicKey()
	if err != nil {
		t.Fatal(err)
	}

	// Sign-in, twice: the counter grows.
	cdh := sha256.Sum256([]byte("sign in"))
	var last uint32
	for i := range 2 {
		as, err := tk.dev.GetAssertion(ctx, ctap.GetAssertionRequest{RPID: "example.com", ClientDataHash: cdh[:],
			AllowList: [][]byte{[]byte("not this one"), res.CredentialID}, UserVerification: ctap.UVPreferred}, p)
		if err != nil || len(as) != 1 {
			t.Fatalf("U2F assertion: %v (%d)", err, len(as))
		}
		a := as[0]
		sad, err := protocol.ParseAuthenticatorData(a.AuthData)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.CredentialID, res.CredentialID) || !sad.Flags.UserPresent() || sad.SignCount <= last {
			t.Fatalf("assertion %d: id %x, flags %s, counter %d after %d", i, a.CredentialID, sad.Flags, sad.SignCount, last)
		}
		last = sad.SignCount
		if err := protocol.VerifySignature(protocol.AlgES256, pub, slices.Concat(a.AuthData, cdh[:]), a.Signature); err != nil {
			t.Fatalf("assertion signature: %v", err)
		}
	}

	// What a U2F key cannot do.
	for name, err := range map[string]error{
		"discoverable credential": func() error { _, err := tk.dev.MakeCredential(ctx, mcRequest("rk", true), nil); return err }(),
		"UV required (create)": func() error {
			r := mcRequest("uv", false)
			r.UserVerification = ctap.UVRequired
			_, err := tk.dev.MakeCredential(ctx, r, testkit.AlwaysPIN("1234"))
			return err
		}(),
		"UV required (get)": func() error {
			_, err := tk.dev.GetAssertion(ctx, ctap.GetAssertionRequest{RPID: "example.com", ClientDataHash: cdh[:],
				AllowList: [][]byte{res.CredentialID}, UserVerification: ctap.UVRequired}, testkit.AlwaysPIN("1234"))
			return err
		}(),
		"usernameless": func() error {
			_, err := tk.dev.GetAssertion(ctx, ctap.GetAssertionRequest{RPID: "example.com", ClientDataHash: cdh[:]}, nil)
			return err
		}(),
	} {
		if code, _ := ctap.CodeOf(err); code != ctap.StatusUnsupportedOption {
			t.Errorf("%s on a U2F key: %v, want UNSUPPORTED_OPTION", name, err)
		}
	}
	// Another site's credential is no credential; an excluded one is
	// refused after a touch (libfido2's "bogus" registration).
	if _, err := tk.dev.GetAssertion(ctx, ctap.GetAssertionRequest{RPID: "other.example", ClientDataHash: cdh[:],
		AllowList: [][]byte{res.CredentialID}}, nil); !errors.Is(err, ctap.ErrCode(ctap.StatusNoCredentials)) {
		t.Errorf("another site's credential: %v", err)
	}
	touches := tk.k.Touches()
	ex := mcRequest("una", false)
	ex.ExcludeList = [][]byte{res.CredentialID}
	if _, err := tk.dev.MakeCredential(ctx, ex, nil); !errors.Is(err, ctap.ErrCode(ctap.StatusCredentialExcluded)) {
		t.Errorf("excluded credential: %v", err)
	}
	if tk.k.Touches() != touches+1 {
		t.Errorf("the exclusion took %d touches, want 1", tk.k.Touches()-touches)
	}
}

// TestBusyCTAP2KeyIsNotU2F: a CTAP2 key busy with another platform's
// command answers libfido2's getInfo with CHANNEL_BUSY, and libfido2 then
// treats it as U2F-only for that handle; a key that announced no U2F
// messages (CAPABILITY_NMSG) is no U2F key, so KeyDesk reports the failure
// (FIDO_ERR_NOTFOUND, as before U2F keys were read) rather than a U2F key.
func TestBusyCTAP2KeyIsNotU2F(t *testing.T) {
	tk := newKey(t, virtualkey.Options{Presence: virtualkey.Presence{Mode: virtualkey.PresenceManual}})
	sock := strings.TrimPrefix(tk.path, "virtual:")
	c, err := net.Dial("unixpacket", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	report := func(cid uint32, cmd byte, data []byte) {
		t.Helper()
		p := make([]byte, 64)
		binary.BigEndian.PutUint32(p, cid)
		p[4] = cmd
		binary.BigEndian.PutUint16(p[5:], uint16(len(data)))
		copy(p[7:], data)
		if _, err := c.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	report(0xffffffff, 0x86, []byte("nonce-01")) // CTAPHID_INIT
	buf := make([]byte, 64)
	if _, err := c.Read(buf); err != nil {
		t.Fatal(err)
	}
	cid := binary.BigEndian.Uint32(buf[15:])
	waiting := make(chan struct{}, 1)
	tk.k.OnEvent(func(e virtualkey.Event) {
		if e.Kind == virtualkey.EventWaitingPresence {
			select {
			case waiting <- struct{}{}:
			default:
			}
		}
	})
	report(cid, 0x90, []byte{0x0B}) // CTAPHID_CBOR authenticatorSelection: waits for a touch
	<-waiting
	info, err := tk.dev.Info(ctxT(t))
	if code, _ := ctap.CodeOf(err); code != ctap.ErrCodeNotFIDO {
		t.Fatalf("a busy CTAP2 key: info %+v, %v; want FIDO_ERR_NOTFOUND", info, err)
	}
	tk.k.Touch()
}
