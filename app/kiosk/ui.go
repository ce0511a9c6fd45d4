package kiosk

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// widgets are the kiosk's widgets. Every screen is built once and stays in
// the tree (hidden when not shown), so clearing them is all it takes to
// forget a person, and a test can walk the whole tree.
type widgets struct {
	root    *fyne.Container
	screens [ScreenAdmin + 1]*fyne.Container

	attractSteps *widget.Label

	username     *kioskEntry
	usernameHint *widget.Label

	insertHint *widget.Label

	setPINBody *widget.Label
	newPIN     *kioskEntry
	newPIN2    *kioskEntry
	setPINHint *widget.Label

	pin     *kioskEntry
	pinHint *widget.Label

	touchCountdown *widget.Label
	touchBar       *widget.ProgressBar

	working *widget.Label

	successBody *widget.Label
	successNext *widget.Label

	failureText *widget.Label
	failureCode *widget.Label

	admin     *kioskEntry
	adminHint *widget.Label
}

// kioskEntry is an Entry that lets the admin shortcut through: a focused
// Entry takes every shortcut and Fyne does not pass the ones it ignores on
// to the canvas.
type kioskEntry struct {
	widget.Entry
	k *Kiosk
}

func (k *Kiosk) newEntry(password bool, placeholder string, submit func()) *kioskEntry {
	e := &kioskEntry{k: k}
	e.Password = password
	e.PlaceHolder = placeholder
	e.ExtendBaseWidget(e)
	e.OnSubmitted = func(string) { submit() }
	e.OnChanged = func(string) { k.m.Activity(k.now()) }
	return e
}

func (e *kioskEntry) TypedShortcut(s fyne.Shortcut) {
	if s.ShortcutName() == AdminShortcut.ShortcutName() {
		e.k.openAdmin()
		return
	}
	// No clipboard at a shared station: what one person copied must not
	// be pasted by the next.
	switch s.(type) {
	case *fyne.ShortcutCopy, *fyne.ShortcutCut, *fyne.ShortcutPaste:
		return
	}
	e.Entry.TypedShortcut(s)
}

// TypedKey counts every key as activity (Backspace does not change the
// text when it is empty); Escape is Cancel.
func (e *kioskEntry) TypedKey(ev *fyne.KeyEvent) {
	e.k.keys.typed()
	if ev.Name == fyne.KeyEscape {
		e.k.escape()
		return
	}
	e.k.m.Activity(e.k.now())
	e.Entry.TypedKey(ev)
}

// TypedRune drops a held key's repeats (see keyRepeat).
func (e *kioskEntry) TypedRune(r rune) {
	if e.k.keys.drop() {
		return
	}
	e.Entry.TypedRune(r)
}

// KeyDown and KeyUp tell a new key press from a repeat.
func (e *kioskEntry) KeyDown(ev *fyne.KeyEvent) {
	e.k.keys.down()
	e.Entry.KeyDown(ev)
}

func (e *kioskEntry) KeyUp(ev *fyne.KeyEvent) {
	e.k.keys.up()
	e.Entry.KeyUp(ev)
}

func heading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameHeadingText
	l.TextStyle.Bold = true
	l.Alignment = fyne.TextAlignCenter
	l.Wrapping = fyne.TextWrapWord
	return l
}

func body(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Alignment = fyne.TextAlignCenter
	l.Wrapping = fyne.TextWrapWord
	return l
}

func hint(importance widget.Importance) *widget.Label {
	l := body("")
	l.Importance = importance
	l.TextStyle.Bold = true
	return l
}

func bigButton(text string, imp widget.Importance, tapped func()) *widget.Button {
	b := widget.NewButton(text, tapped)
	b.Importance = imp
	return b
}

// column centres a screen's content in a column of readable width.
func column(objs ...fyne.CanvasObject) *fyne.Container {
	inner := container.NewVBox(objs...)
	return container.NewBorder(nil, nil, nil, nil,
		container.NewCenter(container.New(&widthLayout{width: 1100}, inner)))
}

// widthLayout gives its single child a fixed width (or the container's,
// when narrower) and its minimum height.
type widthLayout struct{ width float32 }

func (l *widthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(fyne.NewSize(size.Width, o.MinSize().Height))
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l *widthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		// Height of the wrapped text at the column's width.
		o.Resize(fyne.NewSize(l.width, o.MinSize().Height))
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

// buttons lays out a screen's buttons as large touch targets.
func buttons(bs ...fyne.CanvasObject) *fyne.Container {
	row := container.NewHBox()
	for _, b := range bs {
		row.Add(container.NewGridWrap(fyne.NewSize(320, 88), b))
	}
	return container.NewCenter(row)
}

func spacer(h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(1, h))
	return r
}

func (k *Kiosk) build() *widgets {
	w := &widgets{}
	label := k.opts.UsernameLabel

	org := body(k.opts.Organisation)
	org.TextStyle.Bold = true
	org.SizeName = theme.SizeNameSubHeadingText
	w.attractSteps = body(fmt.Sprintf(wordsAttractSteps, label))
	w.attractSteps.Alignment = fyne.TextAlignLeading
	w.attractSteps.Wrapping = fyne.TextWrapOff
	w.attractSteps.SizeName = theme.SizeNameSubHeadingText
	start := bigButton(wordsAttractStart, widget.HighImportance, k.begin)
	w.screens[ScreenAttract] = column(org, heading(wordsAttractTitle), spacer(20),
		container.NewCenter(w.attractSteps), spacer(20), buttons(start), body(wordsAttractHint))

	w.username = k.newEntry(false, label, k.submitUsername)
	w.usernameHint = hint(widget.DangerImportance)
	w.screens[ScreenUsername] = column(heading(wordsUsernameTitle), body(fmt.Sprintf(wordsUsernameBody, label)),
		w.username, w.usernameHint,
		buttons(bigButton(wordsCancel, widget.MediumImportance, k.reset), bigButton(wordsContinue, widget.HighImportance, k.submitUsername)))

	w.insertHint = body("")
	w.screens[ScreenInsertKey] = column(heading(wordsInsertTitle), body(wordsInsertBody), keyIcon(), w.insertHint,
		buttons(bigButton(wordsCancel, widget.MediumImportance, k.reset)))

	w.screens[ScreenChooseKey] = column(heading(wordsChooseTitle), body(wordsChooseBody), keyIcon(),
		buttons(bigButton(wordsCancel, widget.MediumImportance, k.reset)))

	w.setPINBody = body("")
	w.newPIN = k.newEntry(true, wordsNewPIN, func() { k.win.Canvas().Focus(w.newPIN2) })
	w.newPIN2 = k.newEntry(true, wordsNewPINAgain, k.submitNewPIN)
	w.setPINHint = hint(widget.DangerImportance)
	w.screens[ScreenSetPIN] = column(heading(wordsSetPINTitle), w.setPINBody, w.newPIN, w.newPIN2, w.setPINHint,
		buttons(bigButton(wordsCancel, widget.MediumImportance, k.reset), bigButton(wordsContinue, widget.HighImportance, k.submitNewPIN)))

	w.pin = k.newEntry(true, wordsPIN, k.submitPIN)
	w.pinHint = hint(widget.DangerImportance)
	w.screens[ScreenEnterPIN] = column(heading(wordsEnterPINTitle), body(wordsEnterPINBody), w.pin, w.pinHint,
		buttons(bigButton(wordsCancel, widget.MediumImportance, k.reset), bigButton(wordsContinue, widget.HighImportance, k.submitPIN)))

	w.touchCountdown = body("")
	w.touchCountdown.SizeName = theme.SizeNameSubHeadingText
	w.touchBar = widget.NewProgressBar()
	w.touchBar.TextFormatter = func() string { return "" }
	w.screens[ScreenTouch] = column(heading(wordsTouchTitle), body(wordsTouchBody), keyIcon(), w.touchCountdown, w.touchBar,
		buttons(bigButton(wordsCancel, widget.MediumImportance, k.reset)))

	w.working = body("")
	w.working.SizeName = theme.SizeNameSubHeadingText
	w.screens[ScreenWorking] = column(heading(wordsWorkingTitle), widget.NewProgressBarInfinite(), w.working)

	w.successBody = body("")
	w.successBody.SizeName = theme.SizeNameSubHeadingText
	w.successNext = body("")
	okIcon := widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	w.screens[ScreenSuccess] = column(bigIcon(okIcon), heading(wordsSuccessTitle), w.successBody, w.successNext,
		buttons(bigButton(wordsDone, widget.HighImportance, k.reset)))

	w.failureText = body("")
	w.failureText.SizeName = theme.SizeNameSubHeadingText
	w.failureCode = hint(widget.MediumImportance)
	badIcon := widget.NewIcon(theme.NewErrorThemedResource(theme.ErrorIcon()))
	w.screens[ScreenFailure] = column(bigIcon(badIcon), heading(wordsFailureTitle), w.failureText, w.failureCode,
		buttons(bigButton(wordsDone, widget.HighImportance, k.reset)))

	w.admin = k.newEntry(true, wordsAdminPIN, k.submitAdmin)
	w.adminHint = hint(widget.DangerImportance)
	w.screens[ScreenAdmin] = column(heading(wordsAdminTitle), body(wordsAdminBody), w.admin, w.adminHint,
		buttons(bigButton(wordsCancel, widget.MediumImportance, k.reset), bigButton(wordsAdminExit, widget.DangerImportance, k.submitAdmin)))

	stack := container.NewStack()
	for _, s := range w.screens {
		stack.Add(s)
	}
	var top fyne.CanvasObject = stack
	if k.opts.Demo {
		banner := widget.NewLabel(wordsDemo)
		banner.Importance = widget.WarningImportance
		banner.Alignment = fyne.TextAlignCenter
		banner.SizeName = theme.SizeNameCaptionText
		top = container.NewBorder(banner, nil, nil, nil, stack)
	}
	w.root = container.NewPadded(top)
	return w
}

func keyIcon() fyne.CanvasObject {
	return bigIcon(widget.NewIcon(theme.NewPrimaryThemedResource(theme.LoginIcon())))
}

func bigIcon(icon *widget.Icon) fyne.CanvasObject {
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(120, 120), icon))
}

// render shows the machine's screen with its texts.
func (k *Kiosk) render() {
	st := k.m.State
	w := k.w
	for i, c := range w.screens {
		if Screen(i) == st.Screen {
			c.Show()
		} else {
			c.Hide()
		}
	}
	w.usernameHint.SetText(st.UsernameHint)
	w.insertHint.SetText(st.InsertHint)
	w.setPINBody.SetText(st.PINRules)
	w.setPINHint.SetText(st.PINHint)
	w.pinHint.SetText(st.PINHint)
	w.working.SetText(st.Working)
	if st.Screen == ScreenSuccess {
		w.successBody.SetText(fmt.Sprintf(wordsSuccessBody, st.Key.Model, st.Username))
		w.successNext.SetText(k.opts.NextSteps)
	} else {
		w.successBody.SetText("")
		w.successNext.SetText("")
	}
	w.failureText.SetText(st.FailureText)
	if st.HelpCode != "" && st.MayBeRegistered {
		// With the code, in its label rather than one of its own: the screen
		// still fits a 1366×768 display.
		w.failureCode.SetText(fmt.Sprintf(wordsMayBeRegistered, st.HelpCode))
	} else if st.HelpCode != "" {
		w.failureCode.SetText(fmt.Sprintf(wordsHelpdesk, st.HelpCode))
	} else {
		w.failureCode.SetText("")
	}
	w.adminHint.SetText(st.AdminHint)
	k.renderCountdown(k.now())

	if st.Screen != k.shown {
		k.shown = st.Screen
		c := k.win.Canvas()
		switch st.Screen {
		case ScreenUsername:
			c.Focus(w.username)
		case ScreenSetPIN:
			c.Focus(w.newPIN)
		case ScreenEnterPIN:
			c.Focus(w.pin)
		case ScreenAdmin:
			c.Focus(w.admin)
		default:
			c.Unfocus()
		}
	}
}

func (k *Kiosk) renderCountdown(now time.Time) {
	st := &k.m.State
	if st.TouchDeadline.IsZero() {
		k.w.touchCountdown.SetText("")
		k.w.touchBar.SetValue(0)
		return
	}
	left := k.m.SecondsLeft(now)
	k.w.touchCountdown.SetText(fmt.Sprintf(wordsTouchCountdown, left))
	total := st.TouchDeadline.Sub(st.TouchStart).Seconds()
	if total > 0 {
		k.w.touchBar.SetValue(min(1, max(0, float64(left)/total)))
	}
}

// clearWidgets empties every entry (which also drops its undo history) and
// every label that can carry something of a person.
func (k *Kiosk) clearWidgets() {
	w := k.w
	for _, e := range []*kioskEntry{w.username, w.newPIN, w.newPIN2, w.pin, w.admin} {
		e.SetText("")
	}
	for _, l := range []*widget.Label{w.usernameHint, w.insertHint, w.setPINHint, w.pinHint, w.touchCountdown,
		w.working, w.successBody, w.successNext, w.failureText, w.failureCode, w.adminHint} {
		l.SetText("")
	}
	w.touchBar.SetValue(0)
}

var _ fyne.Layout = (*widthLayout)(nil)
