//go:build !linux || !cgo

package hidbridge

import "errors"

// errNoBridge is what the stub answers where the bridge does not exist.
var errNoBridge = errors.New("hidbridge: virtual keys need the Linux cgo bridge")

// Register fails: without the bridge libfido2 cannot reach a virtual key.
func Register(path, manufacturer, product string) error { return errNoBridge }

// Unregister does nothing: nothing was registered.
func Unregister(path string) {}

// Cancel reaches no handle: without the bridge, open devices are not
// tracked. It reports 0.
func Cancel(path string) int { return 0 }

// Abort reaches no handle; it reports 0.
func Abort(path string) int { return 0 }

// OpenCount reports 0: open devices are not tracked.
func OpenCount(path string) int { return 0 }

// BuildPreload fails: the preload library is the Linux bridge.
func BuildPreload(dir string) (string, error) { return "", errNoBridge }
