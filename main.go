// Command keydesk is a desktop companion for FIDO2 security keys.
//
// With no arguments it opens the KeyDesk window; with a sub-command it runs
// the same code paths from the command line (see `keydesk help`).
package main

import (
	"os"

	"github.com/keydesk/keydesk/app"
	"github.com/keydesk/keydesk/app/cli"
	_ "github.com/keydesk/keydesk/app/envinit" // before Fyne initialises: see its doc
	"github.com/keydesk/keydesk/app/kiosk"
)

func main() {
	if len(os.Args) < 2 {
		os.Exit(app.Run())
	}
	if os.Args[1] == "kiosk" {
		// The kiosk is a Fyne window, so it lives outside the CLI package.
		os.Exit(kiosk.Main(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(cli.Main(os.Args[1:], cli.Std()))
}
