package cli

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/safetext"
	"github.com/keydesk/keydesk/ctap"
)

// termPrompter asks for PINs on the terminal (never echoed; from standard
// input when it is not a terminal) and prints the touch prompt.
type termPrompter struct{ s IO }

func (p termPrompter) PIN(ctx context.Context, req ctap.PINRequest) (string, error) {
	switch req.Reason {
	case ctap.PINRetry:
		fmt.Fprint(p.s.Err, wordWrongPIN.f(retriesText(req.RetriesLeft)))
	case ctap.PINNew:
		fmt.Fprint(p.s.Err, wordChoosePIN.f(req.MinLength))
		return readNewPIN(p.s, req.MinLength)
	}
	return p.s.ReadSecret(pinPrompt(wordPIN, req.RetriesLeft))
}

// pinPrompt is the prompt for a key's PIN with the tries left (n < 0:
// unknown), so nobody types a guess without knowing what it costs.
func pinPrompt(label word, n int) string {
	switch {
	case n < 0:
		return wordPINPrompt.f(label)
	case n == 1:
		return wordPINOneTry.f(label)
	}
	return wordPINTries.f(label, n)
}

// errPINBlocked is the advice for a key whose PIN is blocked for good.
var errPINBlocked = &ctap.Error{Op: "use the PIN", Code: ctap.StatusPINBlocked,
	Err: wordPINBlocked.err()}

// readKeyPIN asks for the key's PIN, saying how many tries are left; a key
// whose PIN is blocked is not asked for one.
func readKeyPIN(ctx context.Context, s IO, dev *ctap.Device, label word) (string, error) {
	n, err := dev.PINRetries(ctx)
	if err != nil {
		n = -1
	}
	if n == 0 {
		return "", errPINBlocked
	}
	return s.ReadSecret(pinPrompt(label, n))
}

// failPIN reports a failed PIN operation, then what the key's PIN state
// is now: the tries left, or what to do when the key refuses its PIN.
func failPIN(ctx context.Context, s IO, dev *ctap.Device, err error) int {
	code := fail(s, err)
	if s.json {
		return code
	}
	c, _ := ctap.CodeOf(err)
	switch c {
	case ctap.StatusPINInvalid, ctap.StatusPINAuthBlocked:
		if c == ctap.StatusPINAuthBlocked {
			fmt.Fprintln(s.Err, wordPINAuthBlock)
		}
		if n, rerr := dev.PINRetries(ctx); rerr == nil && n > 0 {
			fmt.Fprintln(s.Err, retriesText(n))
		} else if rerr == nil && n == 0 {
			fmt.Fprintln(s.Err, wordPINBlocked)
		}
	case ctap.StatusPINBlocked:
		fmt.Fprintln(s.Err, wordPINBlocked)
	}
	return code
}

func retriesText(n int) string {
	switch {
	case n < 0:
		return ""
	case n == 1:
		return wordLastTry.String()
	default:
		return wordTriesLeft.f(n)
	}
}

func (p termPrompter) Touch(req ctap.TouchRequest) func() {
	secs := int(time.Until(req.Deadline).Round(time.Second) / time.Second)
	fmt.Fprint(p.s.Err, wordTouch.f(touchPurposeWords(req.Purpose), secs))
	return func() {}
}

// readNewPIN reads a new PIN twice and checks it against the key's policy.
func readNewPIN(s IO, minLen int) (string, error) {
	pin, err := s.ReadSecret(wordNewPIN.String())
	if err != nil {
		return "", err
	}
	if err := ctap.CheckPIN(pin, minLen); err != nil {
		return "", err
	}
	again, err := s.ReadSecret(wordNewPINAgain.String())
	if err != nil {
		return "", err
	}
	if again != pin {
		return "", wordPINsDiffer.err()
	}
	return pin, nil
}

// accountChoiceTime bounds the account choice on the terminal (the key's
// own wait bounds it too); a variable so that tests can shorten it.
var accountChoiceTime = time.Minute

// errSeveralAccounts: a usernameless sign-in found several accounts and
// nobody could choose one; KeyDesk does not guess.
var errSeveralAccounts = result.New(result.CodeSeveralAccounts)

// ChooseAccount lets the person pick one of the accounts a key holds for
// the site (usernameless sign-in): a numbered list on standard error, the
// number read from standard input, asked again after a wrong answer,
// within accountChoiceTime. With --json, or when standard input ends
// without an answer, it fails with keydesk:several-accounts.
func (p termPrompter) ChooseAccount(ctx context.Context, users []ctap.UserEntity) (int, error) {
	if p.s.json || p.s.In == nil {
		return 0, errSeveralAccounts
	}
	ctx, cancel := context.WithTimeout(ctx, accountChoiceTime)
	defer cancel()
	fmt.Fprintln(p.s.Err, wordSeveralAccounts)
	for i, u := range users {
		fmt.Fprintf(p.s.Err, "  %d) %s\n", i+1, safetext.Escape(accountName(u, i)))
	}
	lines := make(chan string)
	go func() {
		// Left reading when the time is up: the process ends soon after.
		defer close(lines)
		sc := bufio.NewScanner(p.s.In)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		fmt.Fprint(p.s.Err, wordAccountNumber.f(len(users)))
		select {
		case l, ok := <-lines:
			if !ok {
				fmt.Fprintln(p.s.Err)
				return 0, errSeveralAccounts
			}
			l = strings.TrimSpace(l)
			if n, err := strconv.Atoi(l); err == nil && n >= 1 && n <= len(users) {
				fmt.Fprint(p.s.Err, wordSigningInAs.f(safetext.Escape(accountName(users[n-1], n-1))))
				return n - 1, nil
			}
			fmt.Fprint(p.s.Err, wordNoAccount.f(safetext.Escape(l), len(users)))
		case <-ctx.Done():
			fmt.Fprintln(p.s.Err)
			return 0, ctx.Err()
		}
	}
}

// accountName is an account as the key stores it (ctap.UserEntity.Label),
// or its number when the key keeps no name.
func accountName(u ctap.UserEntity, i int) string {
	if l := u.Label(); l != "" {
		return l
	}
	return wordAccountN.f(i + 1)
}
