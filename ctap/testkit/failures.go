package testkit

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// KeyFailureCodes are the codes of KeyFailures' failures: a deadline, the
// touch countdown and a person's cancel each keep their own.
var KeyFailureCodes = map[string]result.Code{
	"cancelled":         result.CodeCancelled,
	"caller's deadline": result.CTAP(ctap.StatusUserActionTimeout),
	"touch timeout":     result.CodeTouchTimeout,
	"denied":            result.CTAP(ctap.StatusOperationDenied),
	"key store full":    result.CTAP(ctap.StatusKeyStoreFull),
	"PIN too short":     result.CodePINTooShort,
	"silent key":        result.Libfido2(ctap.ErrCodeRX),
	"unplugged":         result.CodeKeyRemoved,
}

// KeyFailures makes a virtual key fail in each of the ways a key
// operation ends without an answer, through the real libfido2, and
// returns the errors by what happened (the keys of KeyFailureCodes).
// The front-ends' tests check that each names them with the code the
// ceremonies' cause gives.
func KeyFailures(t *testing.T) map[string]error {
	t.Helper()
	return KeyFailuresOn(t, virtualkey.ProfileCTAP21)
}

// U2FKeyFailures are the failures of KeyFailures that a U2F-only key can
// have: it cannot refuse (U2F has no status for it), store credentials or
// have a PIN, and FailNext scripts CTAP2 statuses.
var U2FKeyFailures = []string{"cancelled", "caller's deadline", "touch timeout", "silent key", "unplugged"}

// KeyFailuresOn is KeyFailures on a key of the profile; a U2F key
// (ProfileU2F) has only U2FKeyFailures.
func KeyFailuresOn(t *testing.T, prof virtualkey.Profile) map[string]error {
	t.Helper()
	k, err := virtualkey.New(virtualkey.Options{PresenceTimeout: 20 * time.Second, Profile: prof})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := k.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dev, err := ctap.Open(srv.Path())
	if err != nil {
		t.Fatal(err)
	}
	cdh := sha256.Sum256([]byte("client data"))
	req := ctap.MakeCredentialRequest{ClientDataHash: cdh[:], RP: ctap.RelyingPartyEntity{ID: "example.com"},
		User: ctap.UserEntity{ID: []byte{1}, Name: "ann"}, Algorithms: []int{-7}, Timeout: 20 * time.Second}
	makeCred := func(ctx context.Context, req ctap.MakeCredentialRequest) error {
		_, err := dev.MakeCredential(ctx, req, nil)
		return err
	}
	u2f := prof == virtualkey.ProfileU2F
	out := map[string]error{}
	k.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	out["cancelled"] = makeCred(ctx, req)
	ctx, cancel = context.WithTimeout(context.Background(), 300*time.Millisecond)
	out["caller's deadline"] = makeCred(ctx, req)
	cancel()
	short := req
	short.Timeout = 300 * time.Millisecond
	out["touch timeout"] = makeCred(context.Background(), short)
	if !u2f {
		k.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
		out["denied"] = makeCred(context.Background(), req)
		k.SetPresence(virtualkey.Presence{})
		k.FailNext(ctap.StatusKeyStoreFull)
		out["key store full"] = makeCred(context.Background(), req)
		out["PIN too short"] = dev.SetPIN(context.Background(), "12")
	}
	restore := ctap.SetMaxTimeoutForTesting(300 * time.Millisecond)
	k.SetSilent(true)
	_, out["silent key"] = dev.Info(context.Background())
	k.SetSilent(false)
	restore()
	k.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
	k.OnEvent(func(e virtualkey.Event) {
		if e.Kind == virtualkey.EventWaitingPresence {
			go k.Unplug()
		}
	})
	out["unplugged"] = makeCred(context.Background(), req)
	for what, err := range out {
		if err == nil {
			t.Fatalf("%s: no error", what)
		}
	}
	return out
}
