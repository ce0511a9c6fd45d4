package cli

import (
	"bufio"
	"errors"
	"fmt"
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
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return "", fmt.Errorf("reading secret: %w", err)
		}
		return string(b), nil
	}
	return readSecretLine(stdinReader)
}

var stdinReader = bufio.NewReader(os.Stdin)

func readSecretLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no secret on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
