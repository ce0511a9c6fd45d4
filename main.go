// Command keydesk is a desktop companion for FIDO2 security keys.
//
// With no arguments it opens the KeyDesk window; with a sub-command it runs
// the same code paths from the command line (see `keydesk help`).
package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/keydesk/keydesk/app/cli"
	_ "github.com/keydesk/keydesk/app/envinit" // before Fyne initialises: see its doc
	"github.com/keydesk/keydesk/app/kiosk"
	"github.com/keydesk/keydesk/app/window"
)

func main() {
	args := os.Args[1:]
	opensWindow := len(args) == 0 || (args[0] == "kiosk" && (len(args) == 1 || args[1] == "run"))
	if opensWindow && !haveDisplay() {
		// GLFW would panic without a display: say what to do instead.
		fmt.Fprintln(os.Stderr, "keydesk: the window needs a graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set).\nEverything the window does is also a command: see 'keydesk help'.")
		os.Exit(1)
	}
	switch {
	case len(args) == 0:
		os.Exit(window.Run())
	case args[0] == "kiosk":
		// The kiosk is a Fyne window, so it lives outside the CLI package.
		os.Exit(kiosk.Main(args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(cli.Main(args, cli.Std()))
}

// haveDisplay reports whether a window can open: always on macOS and
// Windows, with an X11 or Wayland display elsewhere.
func haveDisplay() bool {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}
