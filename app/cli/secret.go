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
	return secretReader(os.Stdin, os.Stderr)(prompt)
}

// secretReader reads secrets without echo from in when it is a terminal
// (the prompt goes to errw), else one line at a time from in.
func secretReader(in io.Reader, errw io.Writer) func(prompt string) (string, error) {
	return func(prompt string) (string, error) {
		if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			fd := int(f.Fd())
			fmt.Fprint(errw, prompt)
			b, err := term.ReadPassword(fd)
			defer clear(b) // the Go string below is the only copy left
			fmt.Fprintln(errw)
			if err != nil {
				return "", wordReadPINFailed.err()
			}
			return string(b), nil
		}
		line, err := readLine(in)
		if err != nil {
			return "", wordNoPINOnStdin.err()
		}
		return line, nil
	}
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
				return "", wordLineTooLong.err()
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
