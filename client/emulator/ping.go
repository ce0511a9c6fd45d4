package emulator

import (
	"io"
	"net/http"
)

// EndpointPing is GET /ping at the instance (the API reference overview's
// first example), answered PONG. The docs send the access key with it but
// do not say it is checked: the emulator does not check it, so a client
// cannot take a ping as proof of the key.
const EndpointPing Endpoint = "ping"

func (s *Server) handlePing(w http.ResponseWriter, _ *http.Request, _ []byte) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "PONG")
}
