// Package app is KeyDesk's Fyne GUI: screens, view-models and kiosk mode.
// It never talks to libfido2 or HTTP itself; it drives the ctap and client
// packages off the UI goroutine and updates widgets through fyne.Do.
package app

import (
	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

// Run opens the KeyDesk window and returns the exit code when it closes.
func Run() int {
	a := fyneapp.NewWithID("io.keydesk.app")
	w := a.NewWindow("KeyDesk")
	w.SetContent(widget.NewLabel("KeyDesk"))
	w.Resize(fyne.NewSize(900, 600))
	w.ShowAndRun()
	return 0
}
