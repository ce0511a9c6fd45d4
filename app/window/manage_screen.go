package window

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/ctap"
)

// manageScreen sets or changes the PIN, lists and deletes discoverable
// credentials, and factory-resets the key.
type manageScreen struct {
	content   fyne.CanvasObject
	oldPIN    *secretEntry
	newPIN    *secretEntry
	againPIN  *secretEntry
	savePIN   *widget.Button
	pinProb   *widget.Label
	showCreds *widget.Button
	creds     *fyne.Container
	reset     *widget.Button
	message   *widget.Label
	codes     *widget.Accordion // the last failure's codes, closed
	// cancel ends the running operation; shown while one runs.
	cancel *widget.Button
	// dels are the credential rows' Delete buttons, disabled while an
	// operation runs.
	dels []*widget.Button
	// resetNow is the countdown dialog's button (tests tap it).
	resetNow *widget.Button
	replug   *widget.Button
	// The cards offer only what the chosen key can do (offer): the PIN
	// form in its set or change shape, or a sentence where the key lacks
	// the feature.
	pinForm   *fyne.Container
	pinBody   *fyne.Container
	pinNone   *widget.Label
	credBody  *fyne.Container
	credNone  *widget.Label
	resetBody *fyne.Container
	resetNone *widget.Label
	pinMode   pinMode
}

// pinMode is the shape of the PIN card.
type pinMode int

const (
	pinEither      pinMode = iota // the key is not read yet: set or change
	pinSet                        // the key has no PIN yet (clientPin false)
	pinChange                     // the key has a PIN (clientPin true)
	pinUnsupported                // the key cannot have a PIN (no clientPin)
)

// offers is what the Manage screen offers for a key: the getInfo
// predicates of package ctap, as the Keys screen read them.
type offers struct {
	pin             pinMode
	credMgmt, reset bool
}

// offersFor is what to offer for the chosen key's row; everything, as
// before a key is read, when the row is unknown or could not be read (the
// key then has the last word).
func offersFor(r KeyRow, known bool) offers {
	if !known || r.Problem != "" {
		return offers{pin: pinEither, credMgmt: true, reset: true}
	}
	o := offers{credMgmt: r.CredMgmt, reset: r.Reset}
	switch {
	case !r.PINSupported:
		o.pin = pinUnsupported
	case r.PINSet:
		o.pin = pinChange
	default:
		o.pin = pinSet
	}
	return o
}

func newManageScreen(u *UI) *manageScreen {
	m := u.Manage
	s := &manageScreen{
		oldPIN: newSecretEntry(lang.L("current PIN (empty if the key has none)")),
		newPIN: newSecretEntry(lang.L("new PIN")), againPIN: newSecretEntry(lang.L("new PIN again")),
		creds: container.NewVBox(),
	}
	s.pinProb = widget.NewLabel("")
	s.pinProb.Importance = widget.DangerImportance
	s.pinProb.Hide()
	s.savePIN = widget.NewButton(lang.L("Save PIN"), func() { s.submitPIN(u) })
	s.savePIN.Importance = widget.HighImportance
	s.oldPIN.OnSubmitted = func(string) { u.Win.Canvas().Focus(s.newPIN) }
	s.newPIN.OnSubmitted = func(string) { u.Win.Canvas().Focus(s.againPIN) }
	s.againPIN.OnSubmitted = func(string) { s.submitPIN(u) }
	s.pinForm = container.NewStack()
	// Each card's sentence of what it does is part of the body that the
	// card hides for a key that cannot do it.
	s.pinBody = container.NewVBox(wrapLabel(lang.L("Set a first PIN, or change the PIN (the current one is needed).")),
		s.pinForm, s.pinProb, container.NewHBox(s.savePIN))
	s.pinNone = widget.NewLabel(lang.L("This key cannot have a PIN."))
	s.pinNone.Wrapping = fyne.TextWrapWord
	s.pinNone.Hide()
	s.pinMode = -1
	pinCard := card(lang.L("PIN"), "", container.NewVBox(s.pinBody, s.pinNone))

	s.showCreds = widget.NewButton(lang.L("Show credentials"), func() {
		s.run(u, func(ctx context.Context, p ctap.Prompter) { _ = m.LoadCredentials(ctx, p) })
	})
	m.Creds.AddListener(binding.NewDataListener(func() { s.fillCreds(u) }))
	s.credBody = container.NewVBox(wrapLabel(lang.L("Passkeys stored on the key, by site. Listing them needs the PIN.")),
		container.NewHBox(s.showCreds), s.creds)
	s.credNone = widget.NewLabel(lang.L("This key cannot list its credentials: it has no credential management."))
	s.credNone.Wrapping = fyne.TextWrapWord
	s.credNone.Hide()
	credCard := card(lang.L("Discoverable credentials"), "", container.NewVBox(s.credBody, s.credNone))

	s.reset = widget.NewButtonWithIcon(lang.L("Factory reset…"), theme.WarningIcon(), func() { s.confirmReset(u) })
	s.reset.Importance = widget.DangerImportance
	s.resetBody = container.NewVBox(wrapLabel(lang.L("Erases every credential and the PIN. The key must have been plugged in within the last 10 seconds.")),
		container.NewHBox(s.reset))
	s.resetNone = widget.NewLabel(lang.L("This key cannot be reset through FIDO2."))
	s.resetNone.Wrapping = fyne.TextWrapWord
	s.resetNone.Hide()
	resetCard := card(lang.L("Factory reset"), "", container.NewVBox(s.resetBody, s.resetNone))
	s.offer(u)
	offer := binding.NewDataListener(func() { s.offer(u) })
	u.Keys.Selected.AddListener(offer)
	u.Keys.Reads.AddListener(offer)

	s.message = widget.NewLabelWithData(m.Message)
	s.message.Wrapping = fyne.TextWrapWord
	m.MessageEnding.AddListener(binding.NewDataListener(func() {
		e, _ := m.MessageEnding.Get()
		switch Ending(e) {
		case EndSucceeded:
			s.message.Importance = widget.SuccessImportance
		case EndCancelled:
			s.message.Importance = widget.MediumImportance
		case EndTimedOut:
			s.message.Importance = widget.WarningImportance
		default:
			s.message.Importance = widget.DangerImportance
		}
		s.message.Refresh()
	}))
	s.message.Hide()
	// A failure's code and message wait one click away, for the helpdesk.
	s.codes = codesDetails(m.MessageCodes)
	m.Message.AddListener(binding.NewDataListener(func() {
		if v, _ := m.Message.Get(); v == "" {
			s.message.Hide()
		} else {
			s.message.Show()
		}
	}))
	bar := widget.NewProgressBarInfinite()
	bar.Hide()
	s.cancel = widget.NewButton(lang.L("Cancel"), m.Cancel)
	s.cancel.Hide()
	showWhile(m.Busy, s.cancel)
	m.Busy.AddListener(binding.NewDataListener(func() {
		b, _ := m.Busy.Get()
		if b {
			bar.Show()
			bar.Start()
		} else {
			bar.Stop()
			bar.Hide()
		}
		for _, d := range s.dels {
			if b {
				d.Disable()
			} else {
				d.Enable()
			}
		}
	}))
	disableWhile(m.Busy, s.savePIN, s.showCreds, s.reset)
	top := heading(lang.L("Manage the selected key"), "")
	busy := container.NewBorder(nil, nil, nil, s.cancel, bar)
	s.content = container.NewVScroll(container.NewVBox(top, busy, s.message, s.codes, pinCard, credCard, resetCard))
	return s
}

// run starts one key operation through the Manage action: off the UI
// goroutine, with a context that the screen's Cancel button, the window
// closing and the dialogs' Cancel end; false (and nothing runs) while
// another operation runs.
func (s *manageScreen) run(u *UI, fn func(ctx context.Context, p ctap.Prompter)) bool {
	return u.Manage.act.run(u.ctx, func(ctx context.Context, cancel context.CancelFunc) {
		fn(ctx, u.prompter(cancel))
	})
}

// offer shows what the chosen key can do and only that: the PIN form to
// set a first PIN or to change it, or a sentence where the key has no
// client PIN, no credential management, no FIDO2 reset. Call it on the UI
// goroutine.
func (s *manageScreen) offer(u *UI) {
	o := offersFor(selectedRow(u))
	s.showPIN(o.pin)
	showEither(s.credBody, s.credNone, o.credMgmt)
	showEither(s.resetBody, s.resetNone, o.reset)
}

// showPIN gives the PIN card the shape of mode.
func (s *manageScreen) showPIN(mode pinMode) {
	if mode == s.pinMode {
		return
	}
	s.pinMode = mode
	showEither(s.pinBody, s.pinNone, mode != pinUnsupported)
	current := widget.NewFormItem(lang.L("Current PIN"), s.oldPIN)
	fresh := []*widget.FormItem{widget.NewFormItem(lang.L("New PIN"), s.newPIN), widget.NewFormItem(lang.L("New PIN again"), s.againPIN)}
	switch mode {
	case pinSet:
		s.oldPIN.SetText("")
		s.savePIN.SetText(lang.L("Set PIN"))
		s.pinForm.Objects = []fyne.CanvasObject{widget.NewForm(fresh...)}
	case pinChange:
		s.savePIN.SetText(lang.L("Change PIN"))
		s.pinForm.Objects = []fyne.CanvasObject{widget.NewForm(append([]*widget.FormItem{current}, fresh...)...)}
	default:
		s.savePIN.SetText(lang.L("Save PIN"))
		s.pinForm.Objects = []fyne.CanvasObject{widget.NewForm(append([]*widget.FormItem{current}, fresh...)...)}
	}
	s.pinForm.Refresh()
}

// showEither shows body when ok, else none.
func showEither(body, none fyne.CanvasObject, ok bool) {
	if ok {
		none.Hide()
		body.Show()
	} else {
		body.Hide()
		none.Show()
	}
}

// selectedRow is the Keys screen's row of the chosen key.
func selectedRow(u *UI) (KeyRow, bool) {
	p, _ := u.Keys.Selected.Get()
	return u.Keys.Row(p)
}

func (s *manageScreen) problem(msg string) {
	s.pinProb.SetText(msg)
	s.pinProb.Show()
}

// submitPIN checks the typed PINs, then sets or changes the PIN off the
// UI goroutine; the entries are cleared whatever happens.
func (s *manageScreen) submitPIN(u *UI) {
	old, pin, again := s.oldPIN.Text, s.newPIN.Text, s.againPIN.Text
	row, _ := selectedRow(u)
	minLen := max(row.MinPINLength, 4)
	s.pinProb.Hide()
	switch {
	case ctap.CheckPIN(pin, minLen) != nil:
		s.problem(lang.L("The PIN needs at least {{.N}} characters.", map[string]any{"N": minLen}))
		return
	case pin != again:
		s.againPIN.SetText("")
		s.problem(lang.L("The two PINs differ."))
		return
	case row.PINSet && old == "":
		s.problem(lang.L("Type the current PIN."))
		u.Win.Canvas().Focus(s.oldPIN)
		return
	}
	started := s.run(u, func(ctx context.Context, _ ctap.Prompter) {
		if row.PINSet || old != "" {
			_ = u.Manage.ChangePIN(ctx, old, pin)
		} else {
			_ = u.Manage.SetPIN(ctx, pin)
		}
	})
	if !started {
		return // another operation runs: what was typed stays for the next try
	}
	for _, e := range []*secretEntry{s.oldPIN, s.newPIN, s.againPIN} {
		e.SetText("")
	}
}

// fillCreds redraws the credential list: a heading per site, a row with
// a Delete button per credential.
func (s *manageScreen) fillCreds(u *UI) {
	items, _ := u.Manage.Creds.Get()
	busy, _ := u.Manage.Busy.Get()
	var objs []fyne.CanvasObject
	s.dels = s.dels[:0]
	for _, it := range items {
		r := it.(CredRow)
		if r.Header {
			t := r.RPID
			if r.RPName != "" && r.RPName != r.RPID {
				t += " (" + r.RPName + ")"
			}
			l := widget.NewLabel(t)
			l.TextStyle = fyne.TextStyle{Bold: true}
			objs = append(objs, l)
			continue
		}
		name := userLabel(r.User)
		del := widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), func() {
			dialog.ShowConfirm(lang.L("Delete this credential?"),
				lang.L("{{.User}} will no longer sign in to {{.RP}} with this key.", map[string]any{"User": name, "RP": r.RPID}),
				func(ok bool) {
					if ok {
						s.run(u, func(ctx context.Context, p ctap.Prompter) { _ = u.Manage.DeleteCredential(ctx, r, p) })
					}
				}, u.Win)
		})
		if busy {
			del.Disable()
		}
		s.dels = append(s.dels, del)
		objs = append(objs, container.NewBorder(nil, nil, nil, del, widget.NewLabel("    "+name)))
	}
	s.creds.Objects = objs
	s.creds.Refresh()
}

// confirmReset asks twice, then runs the replug-and-reset countdown.
func (s *manageScreen) confirmReset(u *UI) {
	dialog.ShowConfirm(lang.L("Reset this key?"),
		lang.L("Every credential and the PIN on the key are erased. Sites and the Authentication Cloud will no longer accept it."),
		func(ok bool) {
			if !ok {
				return
			}
			d := dialog.NewConfirm(lang.L("Erase everything?"), lang.L("This cannot be undone. Really erase the key?"), func(ok bool) {
				if ok {
					s.openResetCountdown(u)
				}
			}, u.Win)
			d.SetConfirmText(lang.L("Erase"))
			d.Show()
		}, u.Win)
}

// resetWindow is ResetWindow as a duration; tests shorten it.
func resetWindow() time.Duration {
	if testOnlyResetWindow > 0 {
		return testOnlyResetWindow
	}
	return ResetWindow * time.Second
}

// testOnlyResetWindow, when set by a test, replaces ResetWindow.
var testOnlyResetWindow time.Duration

// openResetCountdown finds out on a worker whether the chosen key is the
// virtual key (that lists the keys through libfido2, which must not run on
// the UI goroutine), then opens the countdown there.
func (s *manageScreen) openResetCountdown(u *UI) {
	go func() {
		virtual := u.Manage.CanReplug(u.ctx)
		fyne.Do(func() { s.resetCountdown(u, virtual) })
	}()
}

// resetCountdown asks for a replug, then gives ResetWindow seconds to
// press Reset now, as keys accept a reset only that soon after power-up.
// virtual says whether the window can replug the key itself.
func (s *manageScreen) resetCountdown(u *UI, virtual bool) {
	info := widget.NewLabel(lang.L("Unplug the key and plug it back in, then press Reset now within {{.N}} seconds.", map[string]any{"N": ResetWindow}))
	info.Wrapping = fyne.TextWrapWord
	left := widget.NewLabel("")
	var d *dialog.CustomDialog
	// Each replug starts a new countdown and ends the one before: a
	// countdown left running would disable Reset now again when its own
	// deadline passed.
	var stop chan struct{}
	halt := func() {
		if stop != nil {
			close(stop)
			stop = nil
		}
	}
	s.resetNow = widget.NewButton(lang.L("Reset now"), func() {
		halt()
		d.Hide()
		s.run(u, func(ctx context.Context, p ctap.Prompter) { _ = u.Manage.Reset(ctx, p) })
	})
	s.resetNow.Importance = widget.DangerImportance
	s.resetNow.Disable()
	startCountdown := func() {
		halt()
		stop = make(chan struct{})
		stopped := stop
		deadline := time.Now().Add(resetWindow())
		s.resetNow.Enable()
		left.SetText(countdownText(deadline))
		go func() {
			t := time.NewTicker(250 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stopped:
					return
				case <-t.C:
					fyne.Do(func() {
						select {
						case <-stopped: // a newer countdown runs
							return
						default:
						}
						if time.Now().After(deadline) {
							s.resetNow.Disable()
							left.SetText(lang.L("Too late: replug the key again."))
							return
						}
						left.SetText(countdownText(deadline))
					})
				}
			}
		}()
	}
	label := lang.L("I replugged it")
	if virtual {
		label = lang.L("Replug the virtual key")
	}
	s.replug = widget.NewButton(label, func() {
		if virtual {
			if err := u.S.Replug(); err != nil {
				left.SetText(problemTitle(err))
				return
			}
		}
		startCountdown()
	})
	cancel := widget.NewButton(lang.L("Cancel"), func() { halt(); d.Hide() })
	d = dialog.NewCustomWithoutButtons(lang.L("Factory reset"), container.NewVBox(info, left), u.Win)
	d.SetButtons([]fyne.CanvasObject{cancel, s.replug, s.resetNow})
	pop := u.esc.push(func() { halt(); d.Hide() })
	d.SetOnClosed(func() { halt(); pop() })
	d.Resize(fyne.NewSize(460, d.MinSize().Height))
	d.Show()
}
