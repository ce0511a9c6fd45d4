// Package hidbridge routes libfido2 device paths of the form
// "virtual:<unix socket>" to a software security key (package
// ctap/virtualkey), so that go-libfido2 runs unmodified against it exactly
// as against hardware. Importing the package is what turns the routing on:
// its C file defines fido_dev_open, fido_dev_close and
// fido_dev_info_manifest, which take precedence over libfido2's and forward
// every other path to the real functions.
//
// The socket is SOCK_SEQPACKET and carries one 64-byte CTAPHID report per
// packet in each direction.
//
// The package also tracks which devices are open, so that Cancel can send
// CTAPHID_CANCEL to a request in progress on any key, hardware or virtual.
//
// The bridge is Linux-only (it builds with cgo on Linux): on other systems,
// and without cgo, the package is a stub in which no path is routed, no
// virtual key can be registered and Cancel reaches no handle, so a hardware
// key there never goes through the bridge.
package hidbridge

import "strings"

// Prefix starts every virtual device path.
const Prefix = "virtual:"

// IsVirtual reports whether path names a virtual key.
func IsVirtual(path string) bool { return strings.HasPrefix(path, Prefix) }
