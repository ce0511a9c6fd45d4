package kiosk

import (
	"context"
	"errors"
	"github.com/keydesk/keydesk/app/kiosk/station"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
)

// AdminShortcut opens the admin PIN prompt: Ctrl+Alt+Q.
var AdminShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierControl | fyne.KeyModifierAlt}

// selectionTimeout is how long keys blink for "touch the one you want".
const selectionTimeout = 30 * time.Second

// Kiosk is one station window bound to its Machine.
//
// Threading: widget callbacks run on Fyne's UI goroutine and change the
// machine and widgets directly. Worker goroutines (key discovery, the
// ceremony, the clock) never touch them: they report through post, which
// runs on the UI goroutine via fyne.Do and drops reports about a previous
// person. mu is held around every such report, so that a test (whose
// driver runs fyne.Do on the calling goroutine) can inspect and drive the
// widgets under the same lock.
type Kiosk struct {
	app     fyne.App
	win     fyne.Window
	opts    Options
	cloud   ceremony.Cloud
	journal *station.Journal

	mu    sync.Mutex
	m     *Machine
	w     *widgets
	sess  *session
	shown Screen
	exit  bool
	keys  keyRepeat
	down  atomic.Bool // shutdown began: the window may be gone

	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup
}

// session is what the workers of one person share.
type session struct {
	id     uint64
	ctx    context.Context
	cancel context.CancelFunc
	pins   chan string // the person's answers to the ceremony's PIN prompts
	mode   atomic.Int32
	path   atomic.Pointer[string] // the chosen key, for watchMonitor
}

// What a session's watcher does on each tick.
const (
	watchNone    int32 = iota
	watchFind          // look for plugged-in keys
	watchMonitor       // check the chosen key is still there
)

// New builds the kiosk window in a (full screen and undecorated where the
// driver allows) and starts its clock. Show it with Window().Show, or use
// Run. Close stops it.
func New(a fyne.App, opts Options) (*Kiosk, error) {
	opts.fill()
	if opts.Cloud == nil {
		return nil, errors.New("kiosk: no Authentication Cloud configured")
	}
	m, err := NewMachine(opts)
	if err != nil {
		return nil, err
	}
	if m.GateErr != nil {
		fyne.LogError("kiosk: the admin lockout", m.GateErr)
	}
	k := &Kiosk{app: a, opts: opts, cloud: opts.Cloud, m: m}
	if opts.JournalPath != "" {
		k.journal = station.OpenJournal(opts.JournalPath)
	}
	k.ctx, k.stop = context.WithCancel(context.Background())
	a.Settings().SetTheme(newKioskTheme())
	k.win = newStationWindow(a)
	k.w = k.build()
	k.win.SetContent(k.w.root)
	k.win.SetFullScreen(true)
	// The window manager's close button (where there is one) and Alt+F4 do
	// nothing: only the admin exit ends the kiosk.
	k.win.SetCloseIntercept(func() {})
	k.win.Canvas().AddShortcut(AdminShortcut, func(fyne.Shortcut) { k.openAdmin() })
	k.win.Canvas().SetOnTypedRune(k.typedRune)
	k.win.Canvas().SetOnTypedKey(k.typedKey)
	if dc, ok := k.win.Canvas().(desktop.Canvas); ok {
		dc.SetOnKeyDown(k.canvasKeyDown)
		dc.SetOnKeyUp(k.canvasKeyUp)
	}
	k.shown = -1
	k.render()
	k.wg.Add(1)
	go k.clock()
	return k, nil
}

// newStationWindow returns a window without decorations where the driver
// can make one: the desktop (GLFW) driver's splash window has no title bar,
// border or close button, and full screen then covers the whole display
// (the window manager's panels included). Other drivers (mobile, the test
// driver) give a normal window made full screen.
func newStationWindow(a fyne.App) fyne.Window {
	if d, ok := a.Driver().(desktop.Driver); ok {
		w := d.CreateSplashWindow()
		w.SetTitle("KeyDesk kiosk")
		return w
	}
	return a.NewWindow("KeyDesk kiosk")
}

// Window is the station's window.
func (k *Kiosk) Window() fyne.Window { return k.win }

// Close stops the clock and any person's work, and closes the window.
func (k *Kiosk) Close() {
	k.shutdown()
	k.win.Close()
}

// shutdown ends the station's work without touching the window, which is
// gone once the driver has stopped (Run, after a signal or the admin
// exit): reports still on their way are dropped, a person's session ends
// and goes to the journal as abandoned, and the workers are waited for.
func (k *Kiosk) shutdown() {
	k.down.Store(true)
	k.stop()
	k.mu.Lock()
	if k.sess != nil {
		k.sess.cancel()
		k.sess = nil
	}
	if e, ok := k.m.Reset(k.now()); ok {
		k.record(e)
	}
	k.mu.Unlock()
	k.wg.Wait()
}

// do runs f on the UI goroutine with mu held, unless the station stopped.
func (k *Kiosk) do(f func()) {
	if k.down.Load() {
		return
	}
	fyne.Do(func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		if k.down.Load() {
			return
		}
		f()
	})
}

// post runs f for session s on the UI goroutine, unless s has ended.
func (k *Kiosk) post(s *session, f func()) {
	k.do(func() {
		if k.sess != s || s.ctx.Err() != nil {
			return
		}
		f()
		k.render()
	})
}

func (k *Kiosk) now() time.Time { return k.opts.now() }

// clock resets the station after the result has been shown or when the
// person walked away, and runs the touch countdown.
func (k *Kiosk) clock() {
	defer k.wg.Done()
	t := time.NewTicker(k.opts.tick)
	defer t.Stop()
	for {
		select {
		case <-k.ctx.Done():
			return
		case <-t.C:
		}
		k.do(func() {
			if k.ctx.Err() != nil || k.exit {
				return
			}
			now := k.now()
			if k.m.Due(now) {
				k.resetBy(k.m.Expire)
				return
			}
			if k.m.Screen == ScreenTouch {
				k.renderCountdown(now)
			}
		})
	}
}

// begin starts a new person's session.
func (k *Kiosk) begin() {
	if k.m.Screen != ScreenAttract {
		return
	}
	k.m.Begin(k.now())
	ctx, cancel := context.WithCancel(k.ctx)
	k.sess = &session{id: k.m.Session, ctx: ctx, cancel: cancel, pins: make(chan string, 1)}
	k.render()
}

// reset forgets the person: their session ends (cancelling the key and the
// Cloud), the machine is zeroed and every widget cleared.
func (k *Kiosk) reset() { k.resetBy(k.m.Reset) }

// resetBy is reset with the machine's end of the session: Reset (a
// cancel) or Expire (left idle).
func (k *Kiosk) resetBy(end func(time.Time) (station.JournalEntry, bool)) {
	if k.sess != nil {
		k.sess.cancel()
		k.sess = nil
	}
	if e, ok := end(k.now()); ok {
		k.record(e)
	}
	k.clearWidgets()
	k.render()
}

func (k *Kiosk) record(e station.JournalEntry) {
	if k.journal == nil {
		return
	}
	if err := k.journal.Append(e); err != nil {
		fyne.LogError("kiosk: writing the journal", err)
	}
}

func (k *Kiosk) submitUsername() {
	if k.sess == nil {
		return
	}
	text := k.w.username.Text
	if !k.m.SubmitUsername(text, k.now()) {
		k.render()
		return
	}
	k.w.username.SetText("")
	s := k.sess
	s.mode.Store(watchFind)
	k.wg.Add(1)
	go k.watch(s)
	k.render()
}

// watch looks for the person's key, then checks it stays plugged in until
// the ceremony takes over.
func (k *Kiosk) watch(s *session) {
	defer k.wg.Done()
	t := time.NewTicker(k.opts.PollInterval)
	defer t.Stop()
	for {
		switch s.mode.Load() {
		case watchFind:
			keys := findKeys(s.ctx)
			k.post(s, func() { k.keysFound(s, keys) })
		case watchMonitor:
			if p := s.path.Load(); p != nil && !keyPresent(s.ctx, *p) && s.mode.Load() == watchMonitor {
				k.post(s, func() { k.keyGone(s) })
			}
		}
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (k *Kiosk) keysFound(s *session, keys []KeyInfo) {
	if s.mode.Load() != watchFind {
		return
	}
	key, ok := k.m.KeysFound(keys, k.now())
	switch {
	case ok:
		k.keyChosen(s, key)
	case k.m.Screen == ScreenChooseKey:
		// Keys busy blinking cannot be listed reliably: stop looking until
		// one is touched or none was.
		s.mode.Store(watchNone)
		k.wg.Add(1)
		go func() {
			defer k.wg.Done()
			_, among, _ := pickKey(keys)
			key, err := selectByTouch(s.ctx, among, selectionTimeout)
			k.post(s, func() {
				if err != nil {
					k.m.SelectionFailed(k.now())
					s.mode.Store(watchFind)
					return
				}
				k.m.KeyChosen(key, k.now())
				k.keyChosen(s, key)
			})
		}()
	}
}

// keyChosen goes on with the person's key: watch it while they choose a
// PIN, or start the ceremony. A key that cannot have a PIN cannot be
// enrolled here (the station gives every key one): the session ends at
// once, with nothing sent to the key.
func (k *Kiosk) keyChosen(s *session, key KeyInfo) {
	if key.NoClientPIN {
		s.mode.Store(watchNone)
		k.finish(failedBefore(result.CodeKeyUnsupported))
		return
	}
	switch k.m.Screen {
	case ScreenSetPIN:
		path := key.Path
		s.path.Store(&path)
		s.mode.Store(watchMonitor)
	case ScreenWorking:
		s.mode.Store(watchNone)
		k.enroll(s, key, "")
	}
}

func (k *Kiosk) keyGone(s *session) {
	s.mode.Store(watchNone)
	k.finish(failedBefore(result.CodeKeyRemoved))
}

// failedBefore is the record of an enrollment that failed before its
// ceremony could run (the key left, or setting its PIN failed).
func failedBefore(cause result.Code) ceremony.Record {
	return ceremony.Record{Kind: ceremony.KindEnroll, Outcome: result.NewOutcome(result.RegistrationFailed.Value, ""), Cause: cause}
}

func (k *Kiosk) submitNewPIN() {
	if k.sess == nil || k.m.Screen != ScreenSetPIN {
		return
	}
	pin, again := k.w.newPIN.Text, k.w.newPIN2.Text
	k.w.newPIN.SetText("")
	k.w.newPIN2.SetText("")
	if k.m.NewPIN(pin, again, k.now()) != station.PINOK {
		k.render()
		return
	}
	s := k.sess
	s.mode.Store(watchNone)
	k.enroll(s, k.m.Key, pin)
	k.render()
}

func (k *Kiosk) submitPIN() {
	if k.sess == nil || k.m.Screen != ScreenEnterPIN {
		return
	}
	pin := k.w.pin.Text
	k.w.pin.SetText("")
	if pin == "" {
		k.m.PINHint = pinWords(station.PINEmpty, 0)
		k.render()
		return
	}
	k.m.PINEntered(k.now())
	select {
	case k.sess.pins <- pin:
	default:
	}
	k.render()
}

// enroll sets the new PIN (when the person chose one) and runs the
// enrollment ceremony on a worker goroutine.
func (k *Kiosk) enroll(s *session, key KeyInfo, newPIN string) {
	username := k.m.Username
	name := strings.ReplaceAll(k.opts.FriendlyName, "%s", key.Model)
	k.wg.Add(1)
	go func() {
		defer k.wg.Done()
		dev, err := ctap.Open(key.Path)
		if err == nil && newPIN != "" {
			err = dev.SetPIN(s.ctx, newPIN)
		}
		if err != nil {
			rec := failedBefore(keyCause(err))
			k.post(s, func() { k.finish(rec) })
			return
		}
		r := ceremony.Runner{Cloud: k.cloud, Key: dev, Prompter: &prompter{k: k, s: s, newPIN: newPIN}, UserAgent: "KeyDesk kiosk"}
		res := r.Enroll(s.ctx, ceremony.EnrollInput{Username: username, DisplayName: username, FriendlyName: name})
		rec := ceremony.NewRecord(ceremony.KindEnroll, res)
		k.post(s, func() { k.finish(rec) })
	}()
}

// keyCause names a key failure outside the ceremony in catalogue terms
// (ctap.ResultCodeOf, the ceremonies' and the CLI's mapper too); an error
// that names none is the key gone.
func keyCause(err error) result.Code {
	if c, ok := ctap.ResultCodeOf(err); ok {
		return c
	}
	return result.CodeKeyRemoved
}

func (k *Kiosk) finish(rec ceremony.Record) {
	if k.sess != nil {
		k.sess.mode.Store(watchNone)
	}
	if e, ok := k.m.Finish(rec, k.now()); ok {
		k.record(e)
	}
}

// prompter turns the ceremony's PIN and touch requests into kiosk screens.
type prompter struct {
	k      *Kiosk
	s      *session
	newPIN string // the PIN the kiosk just set, answered once
}

func (p *prompter) PIN(ctx context.Context, req ctap.PINRequest) (string, error) {
	if p.newPIN != "" && req.Reason != ctap.PINRetry {
		pin := p.newPIN
		p.newPIN = ""
		return pin, nil
	}
	p.newPIN = ""
	p.k.post(p.s, func() { p.k.m.AskPIN(req.Reason, req.RetriesLeft, p.k.now()) })
	select {
	case pin := <-p.s.pins:
		return pin, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (p *prompter) Touch(req ctap.TouchRequest) func() {
	p.k.post(p.s, func() { p.k.m.TouchWaiting(req.Deadline, p.k.now()) })
	return func() { p.k.post(p.s, func() { p.k.m.TouchDone(p.k.now()) }) }
}

// openAdmin ends any session and shows the admin PIN prompt. Without an
// admin PIN, a demo station exits at once; a real one ignores the keys.
func (k *Kiosk) openAdmin() {
	if k.opts.AdminPINHash == "" {
		if k.opts.Demo {
			k.quit()
		}
		return
	}
	if k.sess != nil {
		k.sess.cancel()
		k.sess = nil
	}
	if e, ok := k.m.OpenAdmin(k.now()); ok {
		k.record(e)
	}
	k.clearWidgets()
	k.render()
}

func (k *Kiosk) submitAdmin() {
	if k.m.Screen != ScreenAdmin {
		return
	}
	pin := k.w.admin.Text
	k.w.admin.SetText("")
	v := k.m.AdminTry(pin, k.now())
	if k.m.GateErr != nil {
		fyne.LogError("kiosk: the admin lockout", k.m.GateErr)
	}
	k.render()
	if v.OK {
		k.quit()
	}
}

func (k *Kiosk) quit() {
	k.exit = true
	if k.opts.OnExit != nil {
		k.opts.OnExit()
	}
}

// Exited reports whether the admin exit was used.
func (k *Kiosk) Exited() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.exit
}

// Screen is the screen shown now.
func (k *Kiosk) Screen() Screen {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.m.Screen
}

// escape is the Escape key: Cancel (or Done) on every screen that has it,
// back to the attract screen. While the key or the Cloud is busy it waits,
// as the working screen has no Cancel either.
func (k *Kiosk) escape() {
	switch k.m.Screen {
	case ScreenAttract, ScreenWorking:
		return
	}
	k.reset()
}

func (k *Kiosk) typedRune(r rune) {
	if k.m.Screen != ScreenAttract || k.keys.drop() {
		return
	}
	// A badge reader types the username: the first character starts the
	// session and lands in the username entry, once.
	k.begin()
	k.w.username.TypedRune(r)
}

func (k *Kiosk) typedKey(e *fyne.KeyEvent) {
	k.keys.typed()
	if e.Name == fyne.KeyEscape {
		k.escape()
		return
	}
	if k.m.Screen == ScreenAttract && !k.keys.repeat && (e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter || e.Name == fyne.KeySpace) {
		k.begin()
		k.keys.consumed = e.Name == fyne.KeySpace
		return
	}
	if k.m.Screen != ScreenAttract {
		k.m.Activity(k.now())
	}
}

func (k *Kiosk) canvasKeyDown(*fyne.KeyEvent) { k.keys.down() }
func (k *Kiosk) canvasKeyUp(*fyne.KeyEvent)   { k.keys.up() }

// keyRepeat tells a key's auto-repeat from a new key press. The desktop
// driver reports each press as KeyDown, TypedKey and the character; a key
// held down (or one whose release the X server saw late, as under load)
// repeats TypedKey and the character without a KeyDown. Nobody at the
// kiosk means a repeat (a username, a PIN) and a badge reader never holds
// a key, so repeated characters are dropped: each keystroke lands once.
//
// A driver that reports no KeyDown (the test driver, mobile) has no
// repeats to tell apart: nothing is dropped there.
type keyRepeat struct {
	seen     bool // the driver reports KeyDown
	fresh    bool // a KeyDown has not had its TypedKey yet
	repeat   bool // the last TypedKey was a repeat
	consumed bool // the press's TypedKey did its job (Space: Start); drop its character
}

func (r *keyRepeat) down() { *r = keyRepeat{seen: true, fresh: true} }
func (r *keyRepeat) up()   { r.fresh, r.repeat = false, false }

// typed records a TypedKey: the press's own, or a repeat.
func (r *keyRepeat) typed() {
	r.repeat = r.seen && !r.fresh
	r.fresh = false
}

// drop reports whether a character is to be dropped: a repeat, or that of
// a press already used.
func (r *keyRepeat) drop() bool {
	if r.consumed {
		r.consumed = false
		return true
	}
	return r.repeat
}
