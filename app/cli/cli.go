// Package cli is KeyDesk's command line: one file per command, each
// registering itself in the command table, `keydesk kiosk …` included. It
// never imports Fyne, so the CLI runs on machines without a display: the
// two commands that open a window (`keydesk` alone, `keydesk kiosk [run]`)
// call the functions main.go hands Main (Windows), after one display
// check (openWindow).
package cli

import (
	"fmt"
	"io"
	"os"
	"runtime"
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

	// windows are the front-ends Main was handed (openWindow).
	windows Windows

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

// Windows are the front-ends that open a window. main.go hands them in,
// so that this package never imports Fyne and every command, the kiosk's
// journal and admin-pin included, runs without a display.
type Windows struct {
	// Main is `keydesk` with no arguments: the KeyDesk window.
	Main func() int
	// Kiosk is `keydesk kiosk [run]`: the walk-up enrollment station.
	Kiosk func() int
}

// Main runs the sub-command named by args[0], or with no arguments the
// main window, and returns the exit code.
func Main(args []string, s IO, w Windows) int {
	// Everything printed passes through safetext: a relying party's
	// user.name, a key's product string or a pasted text can hold terminal
	// escapes or bidi overrides, and none reaches the terminal raw.
	if s.Out != nil {
		s.Out = safetext.NewWriter(s.Out)
	}
	if s.Err != nil {
		s.Err = safetext.NewWriter(s.Err)
	}
	s.windows = w
	if len(args) == 0 && w.Main != nil {
		return openWindow(s, w.Main)
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(s.Out)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprint(s.Err, wordUnknownCommand.f(args[0]))
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

// openWindow runs a front-end that opens a window, after checking that one
// can open: GLFW would panic without a display, so it says what to do
// instead. Every window KeyDesk opens is opened here.
func openWindow(s IO, open func() int) int {
	if open == nil { // a build (or test) without this window
		usage(s.Err)
		return 2
	}
	getenv := s.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if !haveDisplay(runtime.GOOS, getenv) {
		fmt.Fprintln(s.Err, wordNoDisplay)
		return 1
	}
	return open()
}

// haveDisplay reports whether a window can open: always on macOS and
// Windows, with an X11 or Wayland display elsewhere.
func haveDisplay(goos string, getenv func(string) string) bool {
	if goos == "darwin" || goos == "windows" {
		return true
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}
