package ceremony_test

import (
	"context"
	"crypto/x509"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// rig is a whole ceremony setup with real parts: the virtual key reached
// through the real libfido2 (go-libfido2 + the bridge), the emulator over
// loopback HTTP verifying with go-webauthn, and the real Cloud client.
type rig struct {
	key      *virtualkey.Key
	dev      *ctap.Device
	em       *emulator.Server
	cl       *cloud.Client
	prompter *testkit.Prompter
	runner   *ceremony.Runner
	logs     *testkit.SyncBuffer
	commands atomic.Int32 // CTAP commands the key received, getInfo included
	// makeCreds counts authenticatorMakeCredential (0x01) commands.
	makeCreds atomic.Int32
}

type rigOptions struct {
	key      virtualkey.Options
	emulator emulator.Config
}

func newRig(t testing.TB, o rigOptions) *rig {
	t.Helper()
	if o.key.PresenceTimeout == 0 {
		o.key.PresenceTimeout = 3 * time.Second
	}
	tk := testkit.NewKey(t, o.key)
	k, dev := tk.Key, tk.Open(t)
	cfg := o.emulator
	if cfg.Origin == "" {
		cfg.Origin = "https://portal.example.com"
	}
	cfg.AttestationRoots = x509.NewCertPool()
	cfg.AttestationRoots.AddCert(k.CACertificate())
	cfg.RecordRequests = true // the tests read em.Requests()
	em, err := emulator.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() })
	cl, err := cloud.New(cloud.Config{InstanceURL: em.URL(), Origin: em.Origin(), AccessKey: cloud.NewSecret(em.AccessKey())})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{key: k, dev: dev, em: em, cl: cl, prompter: testkit.NewPrompter(), logs: &testkit.SyncBuffer{}}
	k.OnEvent(func(e virtualkey.Event) {
		if e.Kind == virtualkey.EventCommand {
			r.commands.Add(1)
			if e.Command == 0x01 {
				r.makeCreds.Add(1)
			}
		}
	})
	r.runner = &ceremony.Runner{
		Cloud: cl, Key: dev, Prompter: r.prompter,
		PollInterval: 20 * time.Millisecond, PollTimeout: 2 * time.Second,
		Log: slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	return r
}
