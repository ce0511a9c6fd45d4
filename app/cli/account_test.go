package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/result"
)

// TestApproveLetsThePersonChooseTheAccount: a usernameless sign-in on a
// key holding two accounts for the site lists them, numbered, and signs in
// the one whose number is typed (a wrong answer asks again). With --json,
// or with nobody to answer, it fails with keydesk:several-accounts instead
// of guessing; nobody answering in time ends it as a timeout.
func TestApproveLetsThePersonChooseTheAccount(t *testing.T) {
	useConfigDir(t)
	for _, u := range []string{"ann", "ben"} {
		if code, out, errs := run(t, "", nil, "enroll", "--demo", "--user", u); code != 0 {
			t.Fatalf("enroll %s: exit %d\n%s\n%s", u, code, out, errs)
		}
	}

	// Which number is ben? Ask once with an answer that is not a number
	// and none after it: the list is shown, the wrong answer refused.
	code, out, errs := run(t, "x\n", nil, "approve", "--demo")
	m := regexp.MustCompile(`(?m)^\s*(\d)\) ben$`).FindStringSubmatch(errs)
	if code == 0 || m == nil || !strings.Contains(errs, "several accounts") {
		t.Fatalf("the accounts are not listed (exit %d):\n%s", code, errs)
	}
	if !strings.Contains(out, result.CodeSeveralAccounts.String()) {
		t.Errorf("no answer is not reported as %s:\n%s", result.CodeSeveralAccounts, out)
	}

	code, out, errs = run(t, "7\n"+m[1]+"\n", nil, "approve", "--demo", "--json")
	var rep ceremonyReport
	if code != 1 || json.Unmarshal([]byte(out), &rep) != nil || rep.Error == nil || rep.Error.Code != result.CodeSeveralAccounts.String() {
		t.Fatalf("--json does not refuse to guess (exit %d):\n%s\n%s", code, out, errs)
	}

	code, out, errs = run(t, "7\n"+m[1]+"\n", nil, "approve", "--demo")
	if code != 0 || !strings.Contains(errs, "No account 7") || !strings.Contains(errs, "Signing in as ben.") {
		t.Fatalf("choosing ben (number %s): exit %d\n%s\n%s", m[1], code, out, errs)
	}

	old := accountChoiceTime
	accountChoiceTime = 300 * time.Millisecond
	defer func() { accountChoiceTime = old }()
	pr, pw := io.Pipe() // a terminal nobody types on
	defer pw.Close()
	code, out, errs = runIn(t, pr, "approve", "--demo")
	if code == 0 || !strings.Contains(out, result.CTAP(0x2F).String()) {
		t.Fatalf("nobody choosing: exit %d\n%s\n%s", code, out, errs)
	}
}

// runIn is run with standard input from in.
func runIn(t *testing.T, in io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	s := IO{In: in, Out: &out, Err: &errb, Getenv: os.Getenv,
		ReadSecret: func(prompt string) (string, error) {
			t.Fatalf("unexpected secret prompt %q", prompt)
			return "", nil
		}}
	code = Main(args, s, Windows{})
	return code, out.String(), errb.String()
}
