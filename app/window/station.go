package window

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// passNeededScreen stands where the Enroll and Test sign-in screens are on
// a station without the access key (a user desktop): no username form, only
// what to do (issue 14). It says what is true today: enrollment there needs
// a pass from the helpdesk, and this computer cannot enroll for a typed
// username.
func passNeededScreen(title string) fyne.CanvasObject {
	why := widget.NewLabel(lang.L("Enrolling a security key on this computer needs an enrollment pass from your helpdesk. This computer is a user desktop: it holds no access key of your organisation, so it cannot enroll a key, or start a test sign-in, for a username typed here. Ask your helpdesk."))
	why.Wrapping = fyne.TextWrapWord
	rest := widget.NewLabel(lang.L("The Keys and Manage key screens work without a pass: they only talk to your key."))
	rest.Wrapping = fyne.TextWrapWord
	return container.NewVScroll(container.NewVBox(heading(title, ""), card(lang.L("Needs your helpdesk"), "", container.NewVBox(why, rest))))
}
