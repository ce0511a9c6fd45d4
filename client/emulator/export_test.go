package emulator

import "time"

// SetServerTimeouts shortens the http.Server timeouts of emulators started
// afterwards; the returned function restores them.
func SetServerTimeouts(readHeader, read, idle time.Duration) (restore func()) {
	h, r, i := readHeaderTimeout, readTimeout, idleTimeout
	readHeaderTimeout, readTimeout, idleTimeout = readHeader, read, idle
	return func() { readHeaderTimeout, readTimeout, idleTimeout = h, r, i }
}
