// Package demo starts what demo mode needs on a machine with no security
// key and no Authentication Cloud instance configured: KeyDesk's virtual
// key (state kept in the user's config dir, so credentials survive a
// restart) and, for the ceremonies, the Authentication Cloud emulator on
// loopback. It has no Fyne in it: the GUI and the CLI share it.
//
// It is the one door from the product to the test and demo instruments:
// outside tests, no package but this one imports the virtual key
// (ctap/virtualkey) or the emulator (client/emulator), so neither is
// reached by accident (door_test.go checks every file of the module).
package demo

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// Manufacturer and Product are how the virtual key is listed.
const (
	Manufacturer = "KeyDesk"
	Product      = "Virtual Key (demo)"
)

// Key is a running virtual key.
type Key struct {
	*virtualkey.Key
	srv *virtualkey.Server
	dir string
}

// StartKey starts the demo virtual key with its state file (statePath; ""
// means virtualkey.DefaultStatePath) and lists it among the devices.
func StartKey(statePath string, opts virtualkey.Options) (*Key, error) {
	if statePath == "" {
		p, err := virtualkey.DefaultStatePath()
		if err != nil {
			return nil, err
		}
		statePath = p
	}
	if err := os.MkdirAll(filepath.Dir(statePath), 0o700); err != nil {
		return nil, fmt.Errorf("creating the virtual key's folder: %w", err)
	}
	k, err := virtualkey.Open(statePath, opts)
	if err != nil {
		return nil, err
	}
	return serve(k)
}

// StartUserKey starts the demo virtual key of `make run` and the CLI:
// state in the config folder, default options.
func StartUserKey() (*Key, error) { return StartKey("", virtualkey.Options{}) }

// StartMemoryKey starts a virtual key whose state lives in memory only.
func StartMemoryKey(opts virtualkey.Options) (*Key, error) {
	k, err := virtualkey.New(opts)
	if err != nil {
		return nil, err
	}
	return serve(k)
}

func serve(k *virtualkey.Key) (*Key, error) {
	// Unix socket paths are limited to 108 bytes: a short folder under /tmp.
	dir, err := os.MkdirTemp("/tmp", "keydesk-vk")
	if err != nil {
		return nil, err
	}
	srv, err := k.Serve(filepath.Join(dir, "key"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := srv.List(Manufacturer, Product); err != nil {
		srv.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	return &Key{Key: k, srv: srv, dir: dir}, nil
}

// Path is the key's libfido2 device path ("virtual:…").
func (k *Key) Path() string { return k.srv.Path() }

// Close stops serving the key and removes it from the device list.
func (k *Key) Close() {
	k.srv.Close() // also takes it out of the device list
	os.RemoveAll(k.dir)
}
