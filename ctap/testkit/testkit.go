// Package testkit is KeyDesk's one test kit for the tests of ctap, client
// and app: a virtual key served on a short socket (NewKey, SocketDir), a
// scripted prompter (Prompter) and a log sink safe for goroutines
// (SyncBuffer). It is for tests only: no package of the product imports
// it (TestNoProductImportsTheKit checks), and app/internal/uitest holds
// the Fyne half of the kit (widget walkers).
//
// The kit runs real parts only: the key is ctap/virtualkey, reached
// through the real libfido2 by the caller; the prompter stands in for the
// person at the key, not for any code.
package testkit

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// SocketDir returns a new directory for Unix sockets, removed when the
// test ends. A socket path must fit sockaddr_un (108 bytes on Linux,
// 104 on the BSDs), which t.TempDir() can exceed: the directory is
// directly under /tmp.
func SocketDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("/tmp", "kdk")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// Key is a virtual key served on a socket of its own; it is not listed in
// libfido2's device listing (use Server.List for that).
type Key struct {
	*virtualkey.Key
	Server *virtualkey.Server
	// Path is the libfido2 device path ("virtual:<socket>").
	Path string
}

// NewKey makes a virtual key with opts and serves it on a socket in a
// SocketDir; both are closed when the test ends.
func NewKey(t testing.TB, opts virtualkey.Options) *Key {
	t.Helper()
	k, err := virtualkey.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := k.Serve(filepath.Join(SocketDir(t), "k"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &Key{Key: k, Server: srv, Path: srv.Path()}
}

// Open opens the key through libfido2.
func (k *Key) Open(t testing.TB) *ctap.Device {
	t.Helper()
	dev, err := ctap.Open(k.Path)
	if err != nil {
		t.Fatal(err)
	}
	return dev
}

// Prompter is the person at the key, scripted: it answers PIN requests
// from a list and records every request; touches are recorded and their
// end counted. Its zero value gives up (context.Canceled) on the first
// PIN request. It is safe for the goroutines of one operation and the
// test reading it.
type Prompter struct {
	mu sync.Mutex
	// pins are answered in order; then always, if set, else a cancel.
	pins   []string
	always string
	choose int
	failOn testing.TB

	asked   []ctap.PINRequest
	touches []ctap.TouchRequest
	ended   int
}

// NewPrompter answers the PIN requests with pins, in order, and then
// gives up.
func NewPrompter(pins ...string) *Prompter { return &Prompter{pins: pins} }

// AlwaysPIN answers every PIN request with pin.
func AlwaysPIN(pin string) *Prompter { return &Prompter{always: pin} }

// NoPIN fails t when asked for a PIN (and then gives up): for operations
// that must not need one.
func NoPIN(t testing.TB) *Prompter { return &Prompter{failOn: t} }

// PIN answers the next scripted PIN.
func (p *Prompter) PIN(_ context.Context, req ctap.PINRequest) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, req)
	if p.failOn != nil {
		p.failOn.Errorf("asked for a PIN (reason %v) where none may be needed", req.Reason)
		return "", context.Canceled
	}
	if len(p.pins) > 0 {
		pin := p.pins[0]
		p.pins = p.pins[1:]
		return pin, nil
	}
	if p.always != "" {
		return p.always, nil
	}
	return "", context.Canceled
}

// Touch records the touch request; the returned func counts its end.
func (p *Prompter) Touch(req ctap.TouchRequest) func() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.touches = append(p.touches, req)
	return func() { p.mu.Lock(); p.ended++; p.mu.Unlock() }
}

// ChooseAccount picks the account SetChoice chose (the first by default).
func (p *Prompter) ChooseAccount(context.Context, []ctap.UserEntity) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.choose, nil
}

// SetPINs replaces the PINs still to answer.
func (p *Prompter) SetPINs(pins ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pins = pins
}

// SetChoice sets the account ChooseAccount picks.
func (p *Prompter) SetChoice(i int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.choose = i
}

// PINRequests returns the PIN requests so far.
func (p *Prompter) PINRequests() []ctap.PINRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]ctap.PINRequest(nil), p.asked...)
}

// TouchRequests returns the touch requests so far.
func (p *Prompter) TouchRequests() []ctap.TouchRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]ctap.TouchRequest(nil), p.touches...)
}

// TouchesEnded counts the touch waits that ended.
func (p *Prompter) TouchesEnded() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ended
}

// SyncBuffer is a bytes.Buffer safe for the goroutines that write it (a
// logger, a command's output) and the test that reads it.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
