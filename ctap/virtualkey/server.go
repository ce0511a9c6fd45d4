package virtualkey

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"

	"github.com/keydesk/keydesk/ctap/internal/hidbridge"
)

// maxSocketPath keeps socket paths within sockaddr_un's sun_path on every
// platform (104 bytes on the BSDs, 108 on Linux) with room for the NUL.
const maxSocketPath = 100

// Server serves a Key on a SOCK_SEQPACKET Unix socket.
type Server struct {
	k        *Key
	ln       *net.UnixListener
	sock     string
	tmpDir   string // removed on Close when Start made it
	listed   bool   // registered with hidbridge
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	closeErr error
	once     sync.Once
}

// Serve listens on sockPath (mode 0600) and serves each connection in its own
// goroutine until Close. The key state is shared by all connections.
func (k *Key) Serve(sockPath string) (*Server, error) {
	if len(sockPath) >= maxSocketPath {
		return nil, fmt.Errorf("virtualkey: socket path %q is longer than %d bytes", sockPath, maxSocketPath-1)
	}
	ln, err := net.ListenUnix("unixpacket", &net.UnixAddr{Name: sockPath, Net: "unixpacket"})
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(sockPath, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	s := &Server{k: k, ln: ln, sock: sockPath, conns: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Start serves the key on a socket in a new short temporary directory and
// lists it in libfido2's device listing (through ctap/internal/hidbridge) as
// manufacturer "KeyDesk", product "Virtual Key". Close undoes both.
func (k *Key) Start() (*Server, error) {
	dir, err := os.MkdirTemp("/tmp", "vk")
	if err != nil {
		return nil, err
	}
	s, err := k.Serve(filepath.Join(dir, "s"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.tmpDir = dir
	if err := s.List("KeyDesk", "Virtual Key"); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// List makes the key appear in libfido2's device listing with the given
// manufacturer and product strings (demo mode names it as a person should
// see it); Close takes it out again.
func (s *Server) List(manufacturer, product string) error {
	if err := hidbridge.Register(s.Path(), manufacturer, product); err != nil {
		return err
	}
	s.mu.Lock()
	s.listed = true
	s.mu.Unlock()
	return nil
}

// Path is the libfido2 device path of the key: "virtual:" and the socket.
func (s *Server) Path() string { return hidbridge.Prefix + s.sock }

// Socket is the socket's file name.
func (s *Server) Socket() string { return s.sock }

// Key is the key the server serves.
func (s *Server) Key() *Key { return s.k }

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.AcceptUnix()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.k.ServeConn(c)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// Close stops listening, drops the connections, removes the socket (and the
// directory Start made) and takes the key out of the device listing.
func (s *Server) Close() error {
	s.once.Do(func() {
		s.mu.Lock()
		listed := s.listed
		s.mu.Unlock()
		if listed {
			hidbridge.Unregister(s.Path())
		}
		s.closeErr = s.ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
		if s.tmpDir != "" {
			if err := os.RemoveAll(s.tmpDir); err != nil && s.closeErr == nil {
				s.closeErr = err
			}
		}
	})
	return s.closeErr
}
