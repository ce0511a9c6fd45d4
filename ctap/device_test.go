package ctap_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/internal/hidbridge"
	"github.com/keydesk/keydesk/ctap/protocol"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// These tests drive the device layer through go-libfido2 and the cgo shim,
// the real libfido2 and the bridge, against the virtual key.

type testKey struct {
	k    *virtualkey.Key
	path string
	dev  *ctap.Device
}

func newKey(t *testing.T, opts virtualkey.Options) *testKey {
	t.Helper()
	if opts.PresenceTimeout == 0 {
		opts.PresenceTimeout = 2 * time.Second
	}
	k := testkit.NewKey(t, opts)
	return &testKey{k: k.Key, path: k.Path, dev: k.Open(t)}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func mcRequest(user string, rk bool) ctap.MakeCredentialRequest {
	cdh := sha256.Sum256([]byte("client data of " + user))
	return ctap.MakeCredentialRequest{
		ClientDataHash: cdh[:],
		RP:             ctap.RelyingPartyEntity{ID: "example.com", Name: "Example"},
		User:           ctap.UserEntity{ID: []byte("id-" + user), Name: user, DisplayName: "User " + user},
		Algorithms:     []int{-7}, ResidentKey: rk, UserVerification: ctap.UVDiscouraged,
		Timeout: 5 * time.Second,
	}
}

func TestListAndInfo(t *testing.T) {
	tk := newKey(t, virtualkey.Options{})
	if err := hidbridge.Register(tk.path, "KeyDesk", "Virtual Key"); err != nil {
		t.Fatal(err)
	}
	defer hidbridge.Unregister(tk.path)
	list, err := ctap.ListDevices()
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, d := range list {
		found = found || (d.Path == tk.path && d.Virtual && d.Product == "Virtual Key")
	}
	if !found {
		t.Fatalf("virtual key not listed: %+v", list)
	}
	info, err := tk.dev.Info(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(info.AAGUID) != 16 || info.MaxMsgSize == 0 || info.MinPINLength != 4 || info.RemainingDiscoverableCredentials != 25 ||
		!info.SupportsAlgorithm(-8) || info.PINSet() || !ctap.PINSupported(info) || !ctap.CredMgmtSupported(info) {
		t.Fatalf("info %+v", info)
	}
	if hidbridge.OpenCount(tk.path) != 0 {
		t.Fatal("Info left the device open")
	}
}

func TestMakeCredentialPackedVerifiesAndAssertionSigns(t *testing.T) {
	tk := newKey(t, virtualkey.Options{})
	ctx := ctxT(t)
	p := testkit.NewPrompter()
	req := mcRequest("alice", true)
	req.Algorithms = []int{-257, -8, -7} // RS256 unsupported: EdDSA is picked
	res, err := tk.dev.MakeCredential(ctx, req, p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "packed" || res.Algorithm != -8 {
		t.Fatalf("format %q alg %d", res.Format, res.Algorithm)
	}
	if touches := p.TouchRequests(); len(touches) != 1 || p.TouchesEnded() != 1 || touches[0].Deadline.IsZero() {
		t.Fatalf("touch prompts %+v ended %d", touches, p.TouchesEnded())
	}
	attObj, err := protocol.MarshalAttestationObject(protocol.AttestationFormat(res.Format), protocol.RawCBOR(res.AttStmt), res.AuthData)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := protocol.ParseAttestationObject(attObj)
	if err != nil {
		t.Fatal(err)
	}
	verdict, err := obj.Verify(req.ClientDataHash)
	if err != nil || !verdict.Verified || verdict.Type != protocol.AttestationTypeBasic {
		t.Fatalf("packed attestation: verdict %+v err %v", verdict, err)
	}
	if err := verdict.Chain[0].CheckSignatureFrom(tk.k.CACertificate()); err != nil {
		t.Fatalf("batch certificate not issued by the key's CA: %v", err)
	}
	acd := obj.AuthData.AttestedCredentialData
	if !bytes.Equal(acd.CredentialID, res.CredentialID) || obj.AuthData.RPIDHash != sha256.Sum256([]byte("example.com")) {
		t.Fatal("authenticator data does not match the credential")
	}
	pub, err := acd.PublicKey.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	var last uint32
	for i := range 2 {
		cdh := sha256.Sum256([]byte{byte(i)})
		as, err := tk.dev.GetAssertion(ctx, ctap.GetAssertionRequest{RPID: "example.com", ClientDataHash: cdh[:], AllowList: [][]byte{res.CredentialID}, UserVerification: ctap.UVDiscouraged, Timeout: 5 * time.Second}, p)
		if err != nil {
			t.Fatal(err)
		}
		ad, err := protocol.ParseAuthenticatorData(as[0].AuthData)
		if err != nil {
			t.Fatal(err)
		}
		if err := protocol.VerifySignature(protocol.AlgEdDSA, pub, append(append([]byte{}, as[0].AuthData...), cdh[:]...), as[0].Signature); err != nil {
			t.Fatalf("assertion %d signature: %v", i, err)
		}
		if ad.SignCount <= last {
			t.Fatalf("counter %d after %d", ad.SignCount, last)
		}
		last = ad.SignCount
	}
}

func TestExcludedCredential(t *testing.T) {
	tk := newKey(t, virtualkey.Options{})
	ctx := ctxT(t)
	res, err := tk.dev.MakeCredential(ctx, mcRequest("bob", false), nil)
	if err != nil {
		t.Fatal(err)
	}
	req := mcRequest("bob", false)
	req.ExcludeList = [][]byte{[]byte("some other id"), res.CredentialID}
	_, err = tk.dev.MakeCredential(ctx, req, nil)
	if !errors.Is(err, ctap.ErrCode(ctap.StatusCredentialExcluded)) {
		t.Fatalf("err = %v, want CREDENTIAL_EXCLUDED", err)
	}
}

func TestPINLifecycle(t *testing.T) {
	tk := newKey(t, virtualkey.Options{})
	ctx := ctxT(t)
	if err := tk.dev.SetPIN(ctx, "123"); !errors.Is(err, ctap.ErrCode(ctap.StatusPINPolicyViolation)) {
		t.Fatalf("short PIN: %v", err)
	}
	if err := tk.dev.SetPIN(ctx, "1234"); err != nil {
		t.Fatal(err)
	}
	if err := tk.dev.SetPIN(ctx, "5678"); err == nil {
		t.Fatal("setting a PIN twice succeeded")
	}
	if err := tk.dev.ChangePIN(ctx, "1234", "24680"); err != nil {
		t.Fatal(err)
	}
	if n, err := tk.dev.PINRetries(ctx); err != nil || n != 8 {
		t.Fatalf("retries %d %v", n, err)
	}
	// Wrong PINs: retries go down; the third in a row blocks until replug.
	for i := range 2 {
		if err := tk.dev.ChangePIN(ctx, "0000", "13579"); !errors.Is(err, ctap.ErrCode(ctap.StatusPINInvalid)) {
			t.Fatalf("wrong PIN %d: %v", i, err)
		}
	}
	if err := tk.dev.ChangePIN(ctx, "0000", "13579"); !errors.Is(err, ctap.ErrCode(ctap.StatusPINAuthBlocked)) {
		t.Fatalf("third wrong PIN: %v, want PIN_AUTH_BLOCKED", err)
	}
	if err := tk.dev.ChangePIN(ctx, "24680", "13579"); !errors.Is(err, ctap.ErrCode(ctap.StatusPINAuthBlocked)) {
		t.Fatalf("right PIN while auth-blocked: %v", err)
	}
	if n, _ := tk.dev.PINRetries(ctx); n != 5 {
		t.Fatalf("retries after 3 wrong: %d, want 5", n)
	}
	if err := tk.k.Replug(); err != nil {
		t.Fatal(err)
	}
	if err := tk.dev.ChangePIN(ctx, "24680", "13579"); err != nil {
		t.Fatalf("right PIN after replug: %v", err)
	}
	if n, _ := tk.dev.PINRetries(ctx); n != 8 {
		t.Fatalf("retries after a right PIN: %d, want 8", n)
	}
	// Eight wrong PINs (with replugs) block the PIN for good.
	var err error
	for i := range 8 {
		if i%3 == 0 {
			tk.k.Replug()
		}
		err = tk.dev.ChangePIN(ctx, "0000", "11111")
	}
	if !errors.Is(err, ctap.ErrCode(ctap.StatusPINBlocked)) && !errors.Is(err, ctap.ErrCode(ctap.StatusPINAuthBlocked)) {
		t.Fatalf("8th wrong PIN: %v", err)
	}
	tk.k.Replug()
	if err := tk.dev.ChangePIN(ctx, "13579", "11111"); !errors.Is(err, ctap.ErrCode(ctap.StatusPINBlocked)) {
		t.Fatalf("right PIN after 8 wrong: %v, want PIN_BLOCKED", err)
	}
}

func TestMakeCredentialAsksForPIN(t *testing.T) {
	tk := newKey(t, virtualkey.Options{})
	ctx := ctxT(t)
	if err := tk.dev.SetPIN(ctx, "1234"); err != nil {
		t.Fatal(err)
	}
	p := testkit.NewPrompter("9999", "1234")
	req := mcRequest("carol", true)
	req.UserVerification = ctap.UVRequired
	res, err := tk.dev.MakeCredential(ctx, req, p)
	if err != nil {
		t.Fatal(err)
	}
	if asked := p.PINRequests(); len(asked) != 2 || asked[0].Reason != ctap.PINEnter || asked[1].Reason != ctap.PINRetry || asked[1].RetriesLeft != 7 || asked[0].MinLength != 4 {
		t.Fatalf("prompts %+v", asked)
	}
	ad, _ := protocol.ParseAuthenticatorData(res.AuthData)
	if !ad.Flags.UserVerified() {
		t.Fatal("UV flag missing")
	}
	// A prompter that gives up cancels the operation.
	abandoned := mcRequest("carol2", false)
	abandoned.UserVerification = ctap.UVPreferred
	_, err = tk.dev.MakeCredential(ctx, abandoned, testkit.NewPrompter())
	if !errors.Is(err, ctap.ErrCancelled) {
		t.Fatalf("abandoned PIN prompt: %v", err)
	}
}

func TestUVRequiredWithoutPINSetsOne(t *testing.T) {
	tk := newKey(t, virtualkey.Options{})
	ctx := ctxT(t)
	p := testkit.NewPrompter("8642", "8642")
	req := mcRequest("dan", false)
	req.UserVerification = ctap.UVRequired
	if _, err := tk.dev.MakeCredential(ctx, req, p); err != nil {
		t.Fatal(err)
	}
	// The new PIN is asked once (the prompter has the person type it
	// twice) and then used: nobody is asked a third time.
	if asked := p.PINRequests(); len(asked) != 1 || asked[0].Reason != ctap.PINNew {
		t.Fatalf("prompts %+v", asked)
	}
	info, _ := tk.dev.Info(ctx)
	if !info.PINSet() {
		t.Fatal("no PIN set")
	}
}

func TestDiscoverableCredentialsListAndDelete(t *testing.T) {
	tk := newKey(t, virtualkey.Options{})
	ctx := ctxT(t)
	tk.dev.SetPIN(ctx, "1234")
	p := testkit.NewPrompter("1234", "1234", "1234")
	for _, u := range []string{"erin", "fred"} {
		req := mcRequest(u, true)
		if _, err := tk.dev.MakeCredential(ctx, req, p); err != nil {
			t.Fatal(err)
		}
	}
	slots, err := tk.dev.CredentialSlots(ctx, "1234")
	if err != nil || slots.Existing != 2 || slots.Remaining != 23 {
		t.Fatalf("slots %+v %v", slots, err)
	}
	rps, err := tk.dev.RelyingParties(ctx, "1234")
	if err != nil || len(rps) != 1 || rps[0].ID != "example.com" {
		t.Fatalf("rps %+v %v", rps, err)
	}
	creds, err := tk.dev.Credentials(ctx, "example.com", "1234")
	if err != nil || len(creds) != 2 {
		t.Fatalf("creds %+v %v", creds, err)
	}
	names := map[string]bool{creds[0].User.Name: true, creds[1].User.Name: true}
	if !names["erin"] || !names["fred"] {
		t.Fatalf("users %v", names)
	}
	for _, c := range creds {
		if err := tk.dev.DeleteCredential(ctx, c.ID, "1234"); err != nil {
			t.Fatal(err)
		}
	}
	if rps, err := tk.dev.RelyingParties(ctx, "1234"); err != nil || len(rps) != 0 {
		t.Fatalf("after delete: %+v %v", rps, err)
	}
	if _, err := tk.dev.CredentialSlots(ctx, "0000"); !errors.Is(err, ctap.ErrCode(ctap.StatusPINInvalid)) {
		t.Fatalf("wrong PIN for credential management: %v", err)
	}
}

func TestResetWindow(t *testing.T) {
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	tk := newKey(t, virtualkey.Options{Now: clock})
	ctx := ctxT(t)
	tk.dev.SetPIN(ctx, "1234")
	mu.Lock()
	now = now.Add(11 * time.Second)
	mu.Unlock()
	p := testkit.NewPrompter()
	if err := tk.dev.Reset(ctx, p); !errors.Is(err, ctap.ErrCode(ctap.StatusNotAllowed)) {
		t.Fatalf("reset 11 s after plug-in: %v, want NOT_ALLOWED", err)
	}
	tk.k.Replug()
	if err := tk.dev.Reset(ctx, p); err != nil {
		t.Fatalf("reset right after replug: %v", err)
	}
	if touches := p.TouchRequests(); len(touches) != 2 || touches[0].Purpose != ctap.TouchReset {
		t.Fatalf("touch prompts %+v", touches)
	}
	info, _ := tk.dev.Info(ctx)
	if info.PINSet() {
		t.Fatal("PIN survived the reset")
	}
}

// Each scripted fault of the key becomes its typed error.
func TestScriptedFaults(t *testing.T) {
	cases := []struct {
		name  string
		setup func(k *virtualkey.Key)
		code  int
	}{
		{"presence denied", func(k *virtualkey.Key) { k.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied}) }, ctap.StatusOperationDenied},
		{"presence timeout", func(k *virtualkey.Key) { k.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceNever}) }, ctap.StatusUserActionTimeout},
		{"chosen status", func(k *virtualkey.Key) { k.FailNext(ctap.StatusKeyStoreFull) }, ctap.StatusKeyStoreFull},
		{"unexpected status", func(k *virtualkey.Key) { k.FailNext(0x6A) }, 0x6A},
		{"corrupted response", func(k *virtualkey.Key) { k.CorruptNext() }, ctap.ErrCodeRXNotCBOR},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tk := newKey(t, virtualkey.Options{PresenceTimeout: 500 * time.Millisecond})
			c.setup(tk.k)
			_, err := tk.dev.MakeCredential(ctxT(t), mcRequest("gus", false), nil)
			var ce *ctap.Error
			if !errors.As(err, &ce) || ce.Code != c.code {
				t.Fatalf("err = %v, want code %d", err, c.code)
			}
			want := result.Libfido2(c.code)
			if c.code > 0 {
				want = result.CTAP(byte(c.code))
			}
			if got := ce.ResultCode(); got != want {
				t.Fatalf("ResultCode() = %s, want %s", got, want)
			}
			if ce.Error() == "" || hidbridge.OpenCount(tk.path) != 0 {
				t.Fatal("error without text, or device left open")
			}
		})
	}
}

func TestUnplugMidCommand(t *testing.T) {
	tk := newKey(t, virtualkey.Options{PresenceTimeout: 10 * time.Second})
	tk.k.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
	tk.k.OnEvent(func(e virtualkey.Event) {
		if e.Kind == virtualkey.EventWaitingPresence {
			go tk.k.Unplug()
		}
	})
	_, err := tk.dev.MakeCredential(ctxT(t), mcRequest("hal", false), nil)
	code, ok := ctap.CodeOf(err)
	if !ok || (code != ctap.ErrCodeRX && code != ctap.ErrCodeTX) {
		t.Fatalf("unplugged mid-command: %v", err)
	}
	if !errors.Is(err, ctap.ErrKeyRemoved) {
		t.Fatalf("an unplugged key is not reported as removed: %v", err)
	}
	if c, _ := ctap.ResultCodeOf(err); c != result.CodeKeyRemoved {
		t.Fatalf("an unplugged key's code is %s", c)
	}
	if _, err := tk.dev.Info(ctxT(t)); err == nil {
		t.Fatal("Info on an unplugged key succeeded")
	}
	tk.k.OnEvent(nil)
	tk.k.Replug()
	tk.k.SetPresence(virtualkey.Presence{})
	if _, err := tk.dev.Info(ctxT(t)); err != nil {
		t.Fatalf("Info after replug: %v", err)
	}
}

// TestContextCancelsOnTheKey: the caller's context ends the key's wait,
// whether a person cancelled or the caller's deadline passed; the two end
// differently (a deadline is not a cancel).
func TestContextCancelsOnTheKey(t *testing.T) {
	for _, deadline := range []bool{true, false} {
		t.Run(map[bool]string{true: "deadline", false: "cancel"}[deadline], func(t *testing.T) {
			tk := newKey(t, virtualkey.Options{PresenceTimeout: 20 * time.Second})
			tk.k.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			if !deadline {
				ctx, cancel = context.WithCancel(context.Background())
				defer cancel()
				time.AfterFunc(300*time.Millisecond, cancel)
			}
			start := time.Now()
			_, err := tk.dev.MakeCredential(ctx, mcRequest("ida", false), nil)
			code, _ := ctap.ResultCodeOf(err)
			switch {
			case deadline && (errors.Is(err, ctap.ErrCancelled) || !errors.Is(err, context.DeadlineExceeded) || code != result.CTAP(ctap.StatusUserActionTimeout)):
				t.Fatalf("deadline: err = %v, code %s", err, code)
			case !deadline && (!errors.Is(err, ctap.ErrCancelled) || errors.Is(err, context.DeadlineExceeded) || code != result.CodeCancelled):
				t.Fatalf("cancel: err = %v, code %s", err, code)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("cancel took %s", d)
			}
			if tk.k.Waiting() {
				t.Fatal("the key still waits for a touch after the cancel")
			}
		})
	}
}

func TestErrorNamesAndCodes(t *testing.T) {
	cases := map[int]string{
		ctap.StatusPINInvalid:  "FIDO_ERR_PIN_INVALID (0x31)",
		ctap.ErrCodeRX:         "FIDO_ERR_RX (-2)",
		0x6A:                   "FIDO error 0x6A",
		ctap.ErrCodeInvalidSig: "FIDO_ERR_INVALID_SIG (-6)",
	}
	for code, want := range cases {
		if got := ctap.CodeName(code); got != want {
			t.Errorf("CodeName(%d) = %q, want %q", code, got, want)
		}
	}
	err := &ctap.Error{Op: "make credential", Code: ctap.StatusPINInvalid}
	if !errors.Is(err, ctap.ErrCode(ctap.StatusPINInvalid)) || errors.Is(err, ctap.ErrCode(ctap.StatusPINBlocked)) {
		t.Fatal("Is does not compare codes")
	}
	if s, ok := err.Status(); !ok || s != 0x31 {
		t.Fatal("Status")
	}
}

// Two callers on one key take turns instead of colliding on the key (which
// would answer the second with CHANNEL_BUSY).
func TestConcurrentCallsTakeTurns(t *testing.T) {
	tk := newKey(t, virtualkey.Options{})
	tk.k.SetPresence(virtualkey.Presence{Delay: 300 * time.Millisecond})
	ctx := ctxT(t)
	errs := make(chan error, 2)
	go func() {
		_, err := tk.dev.MakeCredential(ctx, mcRequest("jo", false), nil)
		errs <- err
	}()
	time.Sleep(100 * time.Millisecond)
	go func() {
		other, _ := ctap.Open(tk.path)
		info, err := other.Info(ctx)
		if err == nil && len(info.Versions) == 0 {
			err = errors.New("empty getInfo")
		}
		errs <- err
	}()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	// A caller waiting for its turn can give up.
	tk.k.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
	go tk.dev.MakeCredential(ctx, mcRequest("kim", false), nil)
	for !tk.k.Waiting() {
		time.Sleep(10 * time.Millisecond)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	// Its deadline ends the wait as a timeout, not as a cancel.
	if _, err := tk.dev.Info(short); !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ctap.ErrCancelled) {
		t.Fatalf("waiting caller: %v", err)
	}
	gone, giveUp := context.WithCancel(ctx)
	time.AfterFunc(100*time.Millisecond, giveUp)
	if _, err := tk.dev.Info(gone); !errors.Is(err, ctap.ErrCancelled) {
		t.Fatalf("waiting caller who cancels: %v", err)
	}
	tk.k.Touch()
}
