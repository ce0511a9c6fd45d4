package ctap

import (
	"errors"
	"fmt"
)

// The one rule that says which key an operation acts on, for every
// front-end (the window's services and Keys screen, the CLI, the kiosk).

var (
	// ErrNoKey is PickKey's answer when no key is connected.
	ErrNoKey = errors.New("no security key is connected")
	// ErrSeveralKeys is wrapped by PickKey's answer when several keys are
	// connected and none was named: the caller must say which
	// (*SeveralKeysError lists them).
	ErrSeveralKeys = errors.New("several security keys are connected: say which")
	// ErrKeyGone is PickKey's answer when the named key is no longer
	// listed: it was unplugged, or it came back under another path.
	ErrKeyGone = errors.New("this security key is gone")
)

// SeveralKeysError is PickKey's answer when several keys could be meant;
// Keys are the candidates, in listing order. errors.Is(err,
// ErrSeveralKeys) holds for it.
type SeveralKeysError struct {
	Keys []DeviceDescriptor
}

func (e *SeveralKeysError) Error() string {
	return fmt.Sprintf("%d security keys are connected: say which", len(e.Keys))
}

// Is makes errors.Is(err, ErrSeveralKeys) hold.
func (e *SeveralKeysError) Is(target error) bool { return target == ErrSeveralKeys }

// Paths are the candidates' device paths.
func (e *SeveralKeysError) Paths() []string {
	out := make([]string, len(e.Keys))
	for i, k := range e.Keys {
		out[i] = k.Path
	}
	return out
}

// PickKey chooses the key an operation acts on from the keys listed now
// (ListDevices) and the path the person chose (want, "" when none):
//   - a chosen key is used if it is still listed, else ErrKeyGone: an
//     operation never moves on to another key by itself;
//   - with none chosen, the only key connected is used; hardware keys come
//     before virtual keys, which stand in only when no hardware key is
//     connected;
//   - no key is ErrNoKey, several candidates a *SeveralKeysError.
func PickKey(keys []DeviceDescriptor, want string) (DeviceDescriptor, error) {
	if want != "" {
		for _, k := range keys {
			if k.Path == want {
				return k, nil
			}
		}
		return DeviceDescriptor{}, ErrKeyGone
	}
	var hardware, virtual []DeviceDescriptor
	for _, k := range keys {
		if k.Virtual {
			virtual = append(virtual, k)
		} else {
			hardware = append(hardware, k)
		}
	}
	candidates := hardware
	if len(candidates) == 0 {
		candidates = virtual
	}
	switch len(candidates) {
	case 0:
		return DeviceDescriptor{}, ErrNoKey
	case 1:
		return candidates[0], nil
	}
	return DeviceDescriptor{}, &SeveralKeysError{Keys: candidates}
}
