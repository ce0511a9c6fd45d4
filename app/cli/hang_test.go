package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// A key that takes a connection and never answers (not even CTAPHID_INIT)
// must not hang a command: each wait has a deadline, the first Ctrl-C
// cancels, the second exits.

// silentKey starts a virtual key that never answers and returns its path.
func silentKey(t *testing.T) string {
	t.Helper()
	k, err := virtualkey.New(virtualkey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := k.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	k.SetSilent(true)
	return srv.Path()
}

func TestInfoAndResetOnKeyThatNeverAnswersEndAtTheDeadline(t *testing.T) {
	useConfigDir(t)
	defer ctap.SetMaxTimeoutForTesting(300 * time.Millisecond)()
	path := silentKey(t)
	for _, args := range [][]string{
		{"info", "--json", "--device", path},
		{"reset", "--yes", "--json", "--device", path},
	} {
		start := time.Now()
		type res struct {
			code     int
			out, err string
		}
		ch := make(chan res, 1)
		go func() {
			code, out, errs := run(t, "", nil, args...)
			ch <- res{code, out, errs}
		}()
		var r res
		select {
		case r = <-ch:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: still waiting on the key after 10 s (deadline 300 ms)", args[0])
		}
		if d := time.Since(start); d > 4*time.Second {
			t.Errorf("%s took %v with a 300 ms deadline", args[0], d)
		}
		var rep struct {
			Error jsonError `json:"error"`
		}
		if r.code != 1 || json.Unmarshal([]byte(r.out), &rep) != nil || rep.Error.Code != "libfido2:-2" {
			t.Errorf("%s: exit %d, want 1 and the code of FIDO_ERR_RX (the key did not answer):\n%s\n%s", args[0], r.code, r.out, r.err)
		}
	}
}

// The subprocess tests run the test binary as keydesk (runChild) against a
// virtual key of its own that never answers, and signal it.
const (
	envChild     = "KEYDESK_TEST_CLI_CHILD" // the command's arguments, \x1f-separated
	childReady   = "child: key ready at "
	childTimeout = 60 * time.Second // longer than any test waits: only a signal ends the wait
)

func runChild() int {
	args := strings.Split(os.Getenv(envChild), "\x1f")
	ctap.SetMaxTimeoutForTesting(childTimeout)
	k, err := virtualkey.New(virtualkey.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 99
	}
	srv, err := k.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 99
	}
	defer srv.Close()
	k.SetSilent(true)
	fmt.Fprintln(os.Stderr, childReady+srv.Path())
	return Main(append(args, "--device", srv.Path()), Std(), Windows{})
}

type child struct {
	cmd    *exec.Cmd
	stderr *bufio.Reader
	stdin  io.WriteCloser
	exited chan error
}

func startChild(t *testing.T, wait string, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"="+strings.Join(args, "\x1f"), "KEYDESK_CONFIG_DIR="+t.TempDir(), "KEYDESK_ACCESS_KEY=")
	stdin, err := cmd.StdinPipe() // kept open: a prompt waits for it
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, stderr: bufio.NewReader(pr), stdin: stdin, exited: make(chan error, 1)}
	go func() { err := cmd.Wait(); pw.Close(); c.exited <- err }()
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
	})
	c.waitFor(t, childReady, nil)
	c.waitFor(t, "\n", func(rest string) {
		sock := strings.TrimPrefix(strings.TrimSpace(rest), "virtual:")
		t.Cleanup(func() { os.RemoveAll(filepath.Dir(sock)) }) // an exit at the second Ctrl-C skips the child's own cleanup
	})
	if wait != "" {
		c.waitFor(t, wait, nil)
	}
	go io.Copy(io.Discard, c.stderr)
	return c
}

// waitFor reads the child's standard error up to the end of want (a
// prompt ends in no newline) and passes seen the text read.
func (c *child) waitFor(t *testing.T, want string, seen func(text string)) {
	t.Helper()
	found := make(chan string, 1)
	failed := make(chan error, 1)
	go func() {
		var sb strings.Builder
		for {
			b, err := c.stderr.ReadByte()
			if err != nil {
				failed <- err
				return
			}
			sb.WriteByte(b)
			if strings.HasSuffix(sb.String(), want) {
				found <- sb.String()
				return
			}
		}
	}()
	select {
	case text := <-found:
		if seen != nil {
			seen(text)
		}
	case err := <-failed:
		t.Fatalf("child ended before %q: %v", want, err)
	case <-time.After(10 * time.Second):
		t.Fatalf("child never printed %q", want)
	}
}

func (c *child) exitCode(t *testing.T, within time.Duration) (int, bool) {
	t.Helper()
	select {
	case err := <-c.exited:
		var ee *exec.ExitError
		if err == nil {
			return 0, true
		}
		if errors.As(err, &ee) {
			return ee.ExitCode(), true
		}
		t.Fatal(err)
	case <-time.After(within):
	}
	return 0, false
}

// TestFirstCtrlCCancelsKeyBeingOpened: info waits on a key that never
// answers the open (a 60 s deadline); the first Ctrl-C cancels it at once.
func TestFirstCtrlCCancelsKeyBeingOpened(t *testing.T) {
	c := startChild(t, "", "info")
	time.Sleep(300 * time.Millisecond) // the open is under way
	c.cmd.Process.Signal(syscall.SIGINT)
	code, exited := c.exitCode(t, 3*time.Second)
	if !exited {
		t.Fatal("info still waits on the key 3 s after Ctrl-C")
	}
	if code != 1 {
		t.Errorf("exit %d after a cancelled info, want 1", code)
	}
}

// TestSecondCtrlCExits: reset waits for its confirmation on standard input;
// the first Ctrl-C cancels what can be cancelled, the second ends keydesk
// with status 130 whatever it waits for.
func TestSecondCtrlCExits(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			c := startChild(t, "Type RESET", "reset")
			c.cmd.Process.Signal(syscall.SIGINT)
			if code, exited := c.exitCode(t, 500*time.Millisecond); exited {
				t.Fatalf("the first Ctrl-C ended keydesk (exit %d): it should cancel, and the second exit", code)
			}
			c.cmd.Process.Signal(sig)
			code, exited := c.exitCode(t, 3*time.Second)
			if !exited {
				t.Fatalf("keydesk still runs 3 s after a second signal (%v)", sig)
			}
			if code != exitInterrupted {
				t.Errorf("exit %d after the second signal, want %d", code, exitInterrupted)
			}
		})
	}
}
