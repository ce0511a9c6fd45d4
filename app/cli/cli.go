// Package cli is KeyDesk's command line: one file per command, each
// registering itself in the command table. It never imports Fyne, so the
// CLI runs on machines without a display.
package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/keydesk/keydesk/client/safetext"
)

// IO is where a command reads and writes; tests pass buffers.
type IO struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	Getenv func(string) string
	// ReadSecret reads a secret (a PIN) without echo when In is a terminal.
	ReadSecret func(prompt string) (string, error)

	// json is set by Main when the command line asks for --json: failures
	// are then written as JSON too (see fail).
	json bool
}

// Std returns the process's standard streams.
func Std() IO {
	return IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv, ReadSecret: readSecretTerminal}
}

// Command is one sub-command.
type Command struct {
	Name    string
	Summary string
	// Run returns the process exit code.
	Run func(args []string, s IO) int
}

var commands = map[string]Command{}

// register adds a command to the table; called from each command file's init.
func register(c Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: duplicate command " + c.Name)
	}
	commands[c.Name] = c
}

// Main runs the sub-command named by args[0] and returns the exit code.
func Main(args []string, s IO) int {
	// Everything printed passes through safetext: a relying party's
	// user.name, a key's product string or a pasted text can hold terminal
	// escapes or bidi overrides, and none reaches the terminal raw.
	if s.Out != nil {
		s.Out = safetext.NewWriter(s.Out)
	}
	if s.Err != nil {
		s.Err = safetext.NewWriter(s.Err)
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(s.Out)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(s.Err, say("keydesk: unknown command %q\n\n"), args[0])
		usage(s.Err)
		return 2
	}
	s.json = wantsJSON(args[1:])
	return c.Run(args[1:], s)
}

// wantsJSON reports whether args hold --json (or -json, --json=true) before
// a "--" that ends the flags.
func wantsJSON(args []string) bool {
	on := false
	for _, a := range args {
		if a == "--" {
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "json" {
			continue
		}
		on = true
		if hasVal {
			on, _ = strconv.ParseBool(val)
		}
	}
	return on
}
