package window

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/ctap"
)

// errDialogCancelled is returned when the person cancels a prompt.
var errDialogCancelled = errors.New("cancelled in the dialog")

// Prompter turns the ctap layer's PIN and touch requests into dialogs on a
// window. Its methods are called from worker goroutines: they show the
// dialog through fyne.Do and wait on a channel (or the context). One
// Prompter serves one operation: Cancel on the touch dialog calls cancel,
// which ends the operation's context and so the key's wait.
type Prompter struct {
	win    fyne.Window
	cancel context.CancelFunc
	esc    *escapeStack
	// guard, when set, is told while a dialog is open, so the forms
	// behind it ignore an Enter meant for the dialog.
	guard *inputGuard
	// onTouch is told when a touch dialog opens and closes (tests).
	onTouch func(open bool)
}

var (
	_ ctap.Prompter           = (*Prompter)(nil)
	_ webauthn.AccountChooser = (*Prompter)(nil)
)

// NewPrompter returns a prompter for one operation on win; cancel ends it.
func NewPrompter(win fyne.Window, esc *escapeStack, cancel context.CancelFunc) *Prompter {
	return &Prompter{win: win, cancel: cancel, esc: esc}
}

type pinAnswer struct {
	pin string
	err error
}

// PIN shows the PIN dialog and returns what was typed. The entry is a
// password entry and is cleared as soon as it is read.
func (p *Prompter) PIN(ctx context.Context, req ctap.PINRequest) (string, error) {
	ch := make(chan pinAnswer, 1)
	var closeAlone func(why string)
	fyne.DoAndWait(func() { closeAlone = p.showPIN(req, ch) })
	select {
	case a := <-ch:
		return a.pin, a.err
	case <-ctx.Done():
		why := lang.L("The operation was stopped, so the PIN prompt was closed. Nothing was sent to your key.")
		if errors.Is(context.Cause(ctx), ctap.ErrPINTimeout) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			why = lang.L("The time to enter your PIN ran out, so the PIN prompt was closed. Nothing was sent to your key. Start again when you are ready.")
		}
		fyne.DoAndWait(func() { closeAlone(why) })
		return "", ctx.Err()
	}
}

// guardAfterClose is how long the forms ignore Enter after a dialog
// closed: keys the person meant for the dialog are still coming.
const guardAfterClose = 1500 * time.Millisecond

// closedAlone tells the person why a dialog closed without them: it takes
// the keyboard focus away from every input first (else the window gives it
// back to the field that had it, and a PIN still being typed would land
// there), then shows why until it is acknowledged. The forms ignore Enter
// while it is open and shortly after.
func (p *Prompter) closedAlone(title, why string) {
	p.win.Canvas().Unfocus()
	msg := widget.NewLabel(why)
	msg.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	closed := p.guard.open()
	var popEsc func()
	var once sync.Once
	ack := func() {
		once.Do(func() {
			popEsc()
			d.Hide()
			p.win.Canvas().Unfocus()
			closed()
		})
	}
	ok := widget.NewButton(lang.L("OK"), ack)
	d = dialog.NewCustomWithoutButtons(title, msg, p.win)
	d.SetButtons([]fyne.CanvasObject{ok})
	popEsc = p.esc.push(ack)
	d.Resize(fyne.NewSize(420, d.MinSize().Height))
	d.Show()
	// Not even the OK button takes the focus: an Enter or a space meant
	// for the PIN entry must not acknowledge what the person has not read.
	p.win.Canvas().Unfocus()
}

// pinTexts are the lines above the PIN entry: why, retries, minimum length.
func pinTexts(req ctap.PINRequest) (title, why string) {
	switch req.Reason {
	case ctap.PINNew:
		return lang.L("Choose a PIN"), lang.L("This key has no PIN yet and the service requires one.")
	case ctap.PINRetry:
		e := lookup(result.CTAP(ctap.StatusPINInvalid))
		why = e.Message
		if why == "" {
			why = e.Name
		}
		return lang.L("Wrong PIN"), why + "\n" + e.Text(result.User)
	}
	return lang.L("Enter your PIN"), lang.L("Your security key is protected by a PIN.")
}

func retriesText(n int) string {
	switch {
	case n < 0:
		return ""
	case n == 0:
		return lookup(result.CTAP(ctap.StatusPINBlocked)).Text(result.User)
	case n == 1:
		return lang.L("1 try left before the key blocks its PIN.")
	}
	return lang.L("{{.N}} tries left.", map[string]any{"N": n})
}

// showPIN shows the PIN dialog; the returned func closes it without an
// answer and says why (the operation ended while it was open).
func (p *Prompter) showPIN(req ctap.PINRequest, ch chan<- pinAnswer) (closeAlone func(why string)) {
	title, why := pinTexts(req)
	minLen := max(req.MinLength, 4)
	msg := widget.NewLabel(why)
	msg.Wrapping = fyne.TextWrapWord
	lines := []fyne.CanvasObject{msg}
	if t := retriesText(req.RetriesLeft); t != "" {
		r := widget.NewLabel(t)
		r.Wrapping = fyne.TextWrapWord
		if req.RetriesLeft <= 2 {
			r.Importance = widget.DangerImportance
		}
		lines = append(lines, r)
	}
	lines = append(lines, widget.NewLabel(lang.L("At least {{.N}} characters.", map[string]any{"N": minLen})))
	pin := newSecretEntry(lang.L("PIN"))
	var again *secretEntry
	lines = append(lines, pin)
	if req.Reason == ctap.PINNew {
		again = newSecretEntry(lang.L("PIN again"))
		lines = append(lines, again)
	}
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	problem.Hide()
	lines = append(lines, problem)

	var d *dialog.CustomDialog
	var once sync.Once
	var popEsc, unguard func()
	// hide closes the dialog however it ends (answered, or its context
	// ended): the fields are emptied and their keyboard handlers removed,
	// so nothing typed or pressed afterwards reaches them or the answer.
	hide := func() {
		for _, e := range []*secretEntry{pin, again} {
			if e != nil {
				e.SetText("")
				e.OnSubmitted, e.onEscape = nil, nil
			}
		}
		popEsc()
		d.Hide()
		unguard()
	}
	answer := func(a pinAnswer) {
		once.Do(func() {
			hide()
			ch <- a
		})
	}
	closeAlone = func(why string) {
		once.Do(func() {
			hide()
			p.closedAlone(lang.L("PIN entry closed"), why)
		})
	}
	submit := func() {
		v := pin.Text
		if req.Reason == ctap.PINNew {
			if err := ctap.CheckPIN(v, minLen); err != nil {
				problem.SetText(lang.L("The PIN needs at least {{.N}} characters.", map[string]any{"N": minLen}))
				problem.Show()
				return
			}
			if again.Text != v {
				problem.SetText(lang.L("The two PINs differ."))
				problem.Show()
				again.SetText("")
				return
			}
		} else if v == "" {
			return
		}
		answer(pinAnswer{pin: v})
	}
	cancel := func() { answer(pinAnswer{err: errDialogCancelled}) }
	pin.OnSubmitted = func(string) {
		if again != nil && again.Text == "" {
			p.win.Canvas().Focus(again)
			return
		}
		submit()
	}
	pin.onEscape = cancel
	if again != nil {
		again.OnSubmitted = func(string) { submit() }
		again.onEscape = cancel
	}
	ok := widget.NewButton(lang.L("Continue"), submit)
	ok.Importance = widget.HighImportance
	cancelBtn := widget.NewButton(lang.L("Cancel"), cancel)
	d = dialog.NewCustomWithoutButtons(title, container.NewVBox(lines...), p.win)
	d.SetButtons([]fyne.CanvasObject{cancelBtn, ok})
	popEsc = p.esc.push(cancel)
	unguard = p.guard.open()
	d.Resize(fyne.NewSize(420, d.MinSize().Height))
	d.Show()
	p.win.Canvas().Focus(pin)
	return closeAlone
}

// touchTick is how often the touch dialog's countdown moves.
const touchTick = 100 * time.Millisecond

// Touch shows "touch your key" with a live countdown to the key's deadline
// (a bar that empties and the seconds left) and a Cancel button that
// cancels the operation. The returned func closes the dialog.
func (p *Prompter) Touch(req ctap.TouchRequest) func() {
	stop := make(chan struct{})
	var once sync.Once
	var d *dialog.CustomDialog
	var popEsc, unguard func()
	opened := time.Now()
	fyne.Do(func() {
		left := widget.NewLabel(countdownText(req.Deadline))
		msg := widget.NewLabel(lang.L("Touch your security key to {{.Purpose}}.", map[string]any{"Purpose": touchPurposeText(req.Purpose)}))
		msg.Wrapping = fyne.TextWrapWord
		bar := newCountdownBar(opened, req.Deadline)
		cancel := func() {
			if p.cancel != nil {
				p.cancel()
			}
		}
		btn := widget.NewButton(lang.L("Cancel"), cancel)
		d = dialog.NewCustomWithoutButtons(lang.L("Touch your key"), container.NewVBox(msg, bar, left), p.win)
		d.SetButtons([]fyne.CanvasObject{btn})
		popEsc = p.esc.push(cancel)
		unguard = p.guard.open()
		d.Resize(fyne.NewSize(380, d.MinSize().Height))
		d.Show()
		if p.onTouch != nil {
			p.onTouch(true)
		}
		go func() {
			t := time.NewTicker(touchTick)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case now := <-t.C:
					txt, v := countdownText(req.Deadline), timeLeft(now, req.Deadline)
					fyne.Do(func() {
						bar.SetValue(v)
						if left.Text != txt {
							left.SetText(txt)
						}
					})
				}
			}
		}()
	})
	return func() {
		once.Do(func() {
			close(stop)
			fyne.Do(func() {
				popEsc()
				d.Hide()
				unguard()
				if p.onTouch != nil {
					p.onTouch(false)
				}
			})
		})
	}
}

// newCountdownBar is a progress bar full at start and empty at deadline;
// its value is the time left in seconds. The seconds are written beside
// it, so the bar shows no percentage.
func newCountdownBar(start, deadline time.Time) *widget.ProgressBar {
	bar := widget.NewProgressBar()
	bar.Max = deadline.Sub(start).Seconds()
	if bar.Max <= 0 {
		bar.Max = 1 // already past: an empty bar, not 0/0
	}
	bar.TextFormatter = func() string { return "" }
	bar.SetValue(timeLeft(start, deadline))
	return bar
}

// timeLeft is the time from now to deadline in seconds, 0 once past.
func timeLeft(now, deadline time.Time) float64 {
	return max(deadline.Sub(now).Seconds(), 0)
}

func countdownText(deadline time.Time) string {
	s := max(int(time.Until(deadline).Round(time.Second)/time.Second), 0)
	return lang.L("{{.S}} s left", map[string]any{"S": s})
}

// ChooseAccount lets the person pick one of the accounts a key holds for a
// site (usernameless sign-in).
func (p *Prompter) ChooseAccount(ctx context.Context, users []ctap.UserEntity) (int, error) {
	ch := make(chan int, 1)
	var d dialog.Dialog
	fyne.DoAndWait(func() {
		names := make([]string, len(users))
		for i, u := range users {
			names[i] = accountLabel(u, i)
		}
		chosen := 0
		group := widget.NewRadioGroup(names, func(s string) {
			for i, n := range names {
				if n == s {
					chosen = i
				}
			}
		})
		group.SetSelected(names[0])
		var popEsc func()
		unguard := p.guard.open()
		d = dialog.NewCustomConfirm(lang.L("Choose an account"), lang.L("Sign in"), lang.L("Cancel"), group, func(ok bool) {
			popEsc()
			unguard()
			if ok {
				ch <- chosen
			} else {
				ch <- -1
			}
		}, p.win)
		popEsc = p.esc.push(d.Hide)
		d.Show()
	})
	select {
	case i := <-ch:
		if i < 0 {
			return 0, errDialogCancelled
		}
		return i, nil
	case <-ctx.Done():
		fyne.DoAndWait(func() {
			d.Hide() // its callback releases the Escape handler and the guard
			p.closedAlone(lang.L("Account choice closed"), lang.L("The time to choose an account ran out, so the choice was closed. Start again when you are ready."))
		})
		return 0, ctx.Err()
	}
}

func accountLabel(u ctap.UserEntity, i int) string {
	if strings.TrimSpace(u.Name) == "" && strings.TrimSpace(u.DisplayName) == "" {
		return lang.L("Account {{.N}}", map[string]any{"N": i + 1})
	}
	return userLabel(u) // the display name, not the Cloud's user ID
}

// secretEntry is a password entry that reports Escape (Fyne's entry keeps
// the key to itself, so a dialog would not see it).
type secretEntry struct {
	widget.Entry
	onEscape func()
}

func newSecretEntry(placeholder string) *secretEntry {
	e := &secretEntry{}
	e.Password = true
	e.PlaceHolder = placeholder
	e.ExtendBaseWidget(e)
	return e
}

func (e *secretEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// escapeStack routes the Escape key to the topmost open dialog.
type escapeStack struct {
	mu  sync.Mutex
	fns []*func()
}

// push registers fn for Escape until the returned func is called.
func (s *escapeStack) push(fn func()) (pop func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &fn
	s.fns = append(s.fns, p)
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			for i, q := range s.fns {
				if q == p {
					s.fns = append(s.fns[:i], s.fns[i+1:]...)
					return
				}
			}
		})
	}
}

// escape calls the topmost handler; false when there is none.
func (s *escapeStack) escape() bool {
	s.mu.Lock()
	if len(s.fns) == 0 {
		s.mu.Unlock()
		return false
	}
	fn := *s.fns[len(s.fns)-1]
	s.mu.Unlock()
	fn()
	return true
}

// inputGuard tells the window's forms that a dialog is open, or closed a
// moment ago: an Enter arriving then was meant for the dialog and must not
// start anything (it would start a ceremony with whatever the focused field
// holds). A nil *inputGuard guards nothing.
type inputGuard struct {
	mu      sync.Mutex
	dialogs int
	until   time.Time
}

// open records an open dialog until the returned func is called; then the
// guard holds for guardAfterClose more.
func (g *inputGuard) open() (closed func()) {
	if g == nil {
		return func() {}
	}
	g.mu.Lock()
	g.dialogs++
	g.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			g.dialogs--
			g.until = time.Now().Add(guardAfterClose)
			g.mu.Unlock()
		})
	}
}

// blocks reports whether a form must ignore an Enter now.
func (g *inputGuard) blocks() bool {
	if g == nil {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.dialogs > 0 || time.Now().Before(g.until)
}
