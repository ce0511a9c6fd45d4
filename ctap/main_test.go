package ctap_test

import (
	"bufio"
	"fmt"
	"os"
	"testing"

	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// envKeyProcess makes the test binary a virtual key in a process of its
// own: it serves a fresh key on the socket the variable names until its
// standard input closes. TestPINsDoNotStayInMemory uses it so that the
// process it scans holds only what the platform side (KeyDesk, libfido2)
// keeps, not what the authenticator does.
const envKeyProcess = "KEYDESK_TEST_VIRTUALKEY_SOCKET"

func TestMain(m *testing.M) {
	if sock := os.Getenv(envKeyProcess); sock != "" {
		os.Exit(serveKeyProcess(sock))
	}
	os.Exit(m.Run())
}

func serveKeyProcess(sock string) int {
	k, err := virtualkey.New(virtualkey.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	srv, err := k.Serve(sock)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer srv.Close()
	fmt.Println("ready")
	r := bufio.NewReader(os.Stdin)
	for {
		if _, err := r.ReadByte(); err != nil {
			return 0
		}
	}
}
