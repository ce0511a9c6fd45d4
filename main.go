// Command keydesk is a desktop companion for FIDO2 security keys.
//
// With no arguments it opens the KeyDesk window; with a sub-command it runs
// the same code paths from the command line (see `keydesk help`). The
// command line dispatches everything; the two front-ends that open a
// window reach it as functions, so package cli never imports Fyne.
package main

import (
	"os"

	"github.com/keydesk/keydesk/app/cli"
	_ "github.com/keydesk/keydesk/app/envinit" // before Fyne initialises: see its doc
	"github.com/keydesk/keydesk/app/kiosk"
	"github.com/keydesk/keydesk/app/window"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Std(), cli.Windows{Main: window.Run, Kiosk: kiosk.Open}))
}
