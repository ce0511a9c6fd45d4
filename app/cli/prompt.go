package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/keydesk/keydesk/ctap"
)

// termPrompter asks for PINs on the terminal (never echoed; from standard
// input when it is not a terminal) and prints the touch prompt.
type termPrompter struct{ s IO }

func (p termPrompter) PIN(ctx context.Context, req ctap.PINRequest) (string, error) {
	switch req.Reason {
	case ctap.PINRetry:
		fmt.Fprintf(p.s.Err, say("Wrong PIN. %s\n"), retriesText(req.RetriesLeft))
	case ctap.PINNew:
		fmt.Fprintf(p.s.Err, say("This key has no PIN yet and the site requires one. Choose a PIN of at least %d characters.\n"), req.MinLength)
		return readNewPIN(p.s, req.MinLength)
	}
	return p.s.ReadSecret(say("PIN: "))
}

func retriesText(n int) string {
	switch {
	case n < 0:
		return ""
	case n == 1:
		return say("1 try left before the key blocks its PIN.")
	default:
		return fmt.Sprintf(say("%d tries left."), n)
	}
}

func (p termPrompter) Touch(req ctap.TouchRequest) func() {
	secs := int(time.Until(req.Deadline).Round(time.Second) / time.Second)
	fmt.Fprintf(p.s.Err, say("Touch your security key to %s (within %d s)...\n"), say(req.Purpose), secs)
	return func() {}
}

// readNewPIN reads a new PIN twice and checks it against the key's policy.
func readNewPIN(s IO, minLen int) (string, error) {
	pin, err := s.ReadSecret(say("New PIN: "))
	if err != nil {
		return "", err
	}
	if err := ctap.CheckPIN(pin, minLen); err != nil {
		return "", err
	}
	again, err := s.ReadSecret(say("New PIN again: "))
	if err != nil {
		return "", err
	}
	if again != pin {
		return "", fmt.Errorf("the two PINs differ")
	}
	return pin, nil
}
