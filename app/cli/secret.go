package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// readSecretTerminal reads a secret from the terminal without echo, or one
// line from standard input when it is not a terminal (scripts, pipes).
// Secrets are never accepted as command-line arguments.
func readSecretTerminal(prompt string) (string, error) {
	fd := int(os.Stdin.Fd())
	if term.IsTerminal(fd) {
		fmt.Fprint(os.Stderr, prompt)
		b, err := term.ReadPassword(fd)
		defer clear(b) // the Go string below is the only copy left
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return "", errors.New("reading the PIN failed")
		}
		return string(b), nil
	}
	line, err := readLine(os.Stdin)
	if err != nil {
		return "", errors.New("no PIN on standard input")
	}
	return line, nil
}

// readLine reads one line a byte at a time, so that nothing after it is
// consumed: the next prompt reads the next line of the same stream.
func readLine(r io.Reader) (string, error) {
	var sb strings.Builder
	b := make([]byte, 1)
	for {
		n, err := r.Read(b)
		if n == 1 {
			if b[0] == '\n' {
				return strings.TrimRight(sb.String(), "\r"), nil
			}
			sb.WriteByte(b[0])
			if sb.Len() > 4096 {
				return "", errors.New("line too long")
			}
		}
		if err != nil {
			if sb.Len() > 0 && errors.Is(err, io.EOF) {
				return sb.String(), nil
			}
			return "", err
		}
	}
}

// readSecretLineFrom reads a plain answer (a confirmation) from s.In.
func readSecretLineFrom(s IO) (string, error) { return readLine(s.In) }
