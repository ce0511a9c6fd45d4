package window

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// enrollScreen registers the key for a user: username and display name →
// start → touch dialog with countdown → PIN dialog → result explained.
type enrollScreen struct {
	content  fyne.CanvasObject
	username *widget.Entry
	display  *widget.Entry
	friendly *widget.Entry
	start    *widget.Button
	result   *resultCard
}

func newEnrollScreen(u *UI) *enrollScreen {
	m := u.Enroll
	s := &enrollScreen{
		username: widget.NewEntryWithData(m.Username),
		display:  widget.NewEntryWithData(m.DisplayName),
		friendly: widget.NewEntryWithData(m.FriendlyName),
	}
	s.username.SetPlaceHolder(lang.L("e.g. alice@example.com"))
	s.display.SetPlaceHolder(lang.L("e.g. Alice Example (optional)"))
	start := func() { u.whenKeyUsable(func() { m.Start(u.prompterFactory()) }) }
	s.start = widget.NewButton(lang.L("Enroll key"), start)
	s.start.Importance = widget.HighImportance
	for _, e := range []*widget.Entry{s.username, s.display, s.friendly} {
		e.OnSubmitted = func(string) { u.submit(s.start, start) }
	}
	disableWhile(m.Busy, s.start, s.username, s.display, s.friendly)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Username"), s.username),
		widget.NewFormItem(lang.L("Display name"), s.display),
		widget.NewFormItem(lang.L("Key name"), s.friendly),
	)
	s.result = newResultCard(m.HasResult, m.ResultEnding, m.ResultTitle, m.ResultText, m.ResultCodes)
	top := heading(lang.L("Enroll a security key"),
		lang.L("Registers the selected key for a user at the Authentication Cloud. You will be asked to touch the key, and for its PIN if it has one."))
	s.content = container.NewVScroll(container.NewVBox(top, form,
		container.NewHBox(s.start), busyLine(m.Busy, m.Step, m.Cancel), s.result.box))
	return s
}

// signInScreen tests a sign-in, with a username or usernameless.
type signInScreen struct {
	content       fyne.CanvasObject
	username      *widget.Entry
	authenticator *widget.Entry
	start         *widget.Button
	result        *resultCard
}

func newSignInScreen(u *UI) *signInScreen {
	m := u.SignIn
	s := &signInScreen{username: widget.NewEntryWithData(m.Username), authenticator: widget.NewEntryWithData(m.Authenticator)}
	s.username.SetPlaceHolder(lang.L("empty: sign in without a username"))
	s.authenticator.SetPlaceHolder(lang.L("optional: sign in with this one authenticator of the user"))
	start := func() { u.whenKeyUsable(func() { m.Start(u.prompterFactory()) }) }
	s.start = widget.NewButton(lang.L("Test sign-in"), start)
	s.start.Importance = widget.HighImportance
	s.username.OnSubmitted = func(string) { u.submit(s.start, start) }
	s.authenticator.OnSubmitted = s.username.OnSubmitted
	disableWhile(m.Busy, s.start, s.username, s.authenticator)
	form := widget.NewForm(widget.NewFormItem(lang.L("Username"), s.username),
		widget.NewFormItem(lang.L("Authenticator ID"), s.authenticator))
	s.result = newResultCard(m.HasResult, m.ResultEnding, m.ResultTitle, m.ResultText, m.ResultCodes)
	top := heading(lang.L("Test sign-in"),
		lang.L("Signs in with the selected key, as a website would. Leave the username empty to use a passkey stored on the key (usernameless)."))
	s.content = container.NewVScroll(container.NewVBox(top, form,
		container.NewHBox(s.start), busyLine(m.Busy, m.Step, m.Cancel), s.result.box))
	return s
}

// submit is a form's Enter: it starts what the form's button starts, unless
// the button is disabled or the Enter was meant for a dialog (one is open,
// or one closed a moment ago while the person was still typing into it).
func (u *UI) submit(button *widget.Button, start func()) {
	if button.Disabled() || u.guard.blocks() {
		return
	}
	start()
}
