//go:build linux && cgo

package hidbridge

/*
#cgo pkg-config: libfido2
#cgo LDFLAGS: -ldl -lpthread
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unsafe"
)

// Register makes the virtual key at path appear in libfido2's device
// listing with the given manufacturer and product strings.
func Register(path, manufacturer, product string) error {
	if !IsVirtual(path) {
		return fmt.Errorf("hidbridge: %q is not a virtual device path", path)
	}
	cp, cm, cprod := C.CString(path), C.CString(manufacturer), C.CString(product)
	defer C.free(unsafe.Pointer(cp))
	defer C.free(unsafe.Pointer(cm))
	defer C.free(unsafe.Pointer(cprod))
	if C.kd_register(cp, cm, cprod) != 0 {
		return errors.New("hidbridge: too many virtual keys registered")
	}
	return nil
}

// Unregister removes path from the device listing.
func Unregister(path string) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	C.kd_unregister(cp)
}

// Cancel sends CTAPHID_CANCEL to every open handle of the device at path,
// aborts an open still in progress (see Abort), and reports how many
// handles it reached. It is safe to call from any goroutine while
// another one waits in a libfido2 call on that device.
func Cancel(path string) int {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	return int(C.kd_cancel(cp))
}

// Abort ends at once every wait of libfido2 on the device at path, also
// while it is still being opened: the wait fails and the libfido2 call
// returns FIDO_ERR_RX. It is for a key that does not answer CTAPHID_CANCEL
// (Cancel also aborts a key that is still being opened, which cannot take a
// CANCEL). It reports how many handles it reached.
func Abort(path string) int {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	return int(C.kd_abort(cp))
}

// OpenCount reports how many libfido2 handles are open on path; tests use it
// to prove that every call closes what it opened.
func OpenCount(path string) int {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	return int(C.kd_open_count(cp))
}

//go:embed bridge.c
var bridgeC []byte

//go:embed bridge.h
var bridgeH []byte

// BuildPreload compiles the bridge as a shared object in dir and returns its
// path. With LD_PRELOAD set to it, and KEYDESK_VIRTUAL_DEVICES listing the
// virtual paths, upstream libfido2 tools (fido2-token, fido2-cred,
// fido2-assert) reach the virtual key too: an independent conformance check.
func BuildPreload(dir string) (string, error) {
	if err := os.WriteFile(filepath.Join(dir, "bridge.c"), bridgeC, 0o600); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "bridge.h"), bridgeH, 0o600); err != nil {
		return "", err
	}
	// The same flags as the cgo directive above: pkg-config knows where
	// this system keeps libfido2's header and library.
	flags, err := exec.Command("pkg-config", "--cflags", "--libs", "libfido2").Output()
	if err != nil {
		return "", fmt.Errorf("hidbridge: pkg-config libfido2: %v", err)
	}
	so := filepath.Join(dir, "libkeydesk-bridge.so")
	args := []string{"-shared", "-fPIC", "-O2", "-o", so, filepath.Join(dir, "bridge.c")}
	args = append(args, strings.Fields(string(flags))...)
	cmd := exec.Command("gcc", append(args, "-ldl", "-lpthread")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("hidbridge: building preload library: %v: %s", err, out)
	}
	return so, nil
}
