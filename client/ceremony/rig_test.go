package ceremony_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/ctap"
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
	prompter *scriptPrompter
	runner   *ceremony.Runner
	logs     *syncBuffer
	commands atomic.Int32 // CTAP commands the key received, getInfo included
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
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
	k, err := virtualkey.New(o.key)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("/tmp", "kdc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	srv, err := k.Serve(filepath.Join(dir, "k"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dev, err := ctap.Open(srv.Path())
	if err != nil {
		t.Fatal(err)
	}
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
	r := &rig{key: k, dev: dev, em: em, cl: cl, prompter: &scriptPrompter{}, logs: &syncBuffer{}}
	k.OnEvent(func(e virtualkey.Event) {
		if e.Kind == virtualkey.EventCommand {
			r.commands.Add(1)
		}
	})
	r.runner = &ceremony.Runner{
		Cloud: cl, Key: dev, Prompter: r.prompter,
		PollInterval: 20 * time.Millisecond, PollTimeout: 2 * time.Second,
		Log: slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	return r
}

// scriptPrompter answers PIN prompts from a list and records what it was
// asked.
type scriptPrompter struct {
	mu      sync.Mutex
	pins    []string
	asked   []ctap.PINRequest
	touches []ctap.TouchRequest
	choose  int
}

func (p *scriptPrompter) PIN(ctx context.Context, req ctap.PINRequest) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, req)
	if len(p.pins) == 0 {
		return "", context.Canceled
	}
	pin := p.pins[0]
	p.pins = p.pins[1:]
	return pin, nil
}

func (p *scriptPrompter) Touch(req ctap.TouchRequest) func() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.touches = append(p.touches, req)
	return func() {}
}

func (p *scriptPrompter) ChooseAccount(_ context.Context, users []ctap.UserEntity) (int, error) {
	return p.choose, nil
}

func (p *scriptPrompter) setPINs(pins ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pins = pins
}

func (p *scriptPrompter) pinRequests() []ctap.PINRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]ctap.PINRequest(nil), p.asked...)
}
