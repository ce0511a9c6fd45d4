package kiosk

import (
	"github.com/keydesk/keydesk/app/kiosk/station"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// typeAsDriver types text as the desktop driver delivers it: each rune to
// the focused object, or to the canvas when nothing has focus
// (glfw window.processCharInput).
func (s *testStation) typeAsDriver(text string) {
	for _, r := range text {
		s.ui(func() {
			c := s.k.win.Canvas()
			if f := c.Focused(); f != nil {
				f.TypedRune(r)
			} else if h := c.OnTypedRune(); h != nil {
				h(r)
			}
		})
	}
}

// keyAsDriver presses a named key as the desktop driver delivers it.
func (s *testStation) keyAsDriver(name fyne.KeyName) {
	s.ui(func() {
		c := s.k.win.Canvas()
		ev := &fyne.KeyEvent{Name: name}
		if f := c.Focused(); f != nil {
			f.TypedKey(ev)
		} else if h := c.OnTypedKey(); h != nil {
			h(ev)
		}
	})
}

// pressAsDriver presses the key of r as the desktop driver reports it
// (glfw window.processKeyPressed and processCharInput): KeyDown, TypedKey
// and the character, then for each auto-repeat of a key held down TypedKey
// and the character again, then KeyUp; each event to the object focused at
// that moment, or to the canvas. The test canvas has no KeyDown hook, so
// the kiosk's own is called in its place.
func (s *testStation) pressAsDriver(r rune, repeats int) {
	ev := &fyne.KeyEvent{Name: fyne.KeyName(string(unicode.ToUpper(r)))}
	if r == ' ' {
		ev.Name = fyne.KeySpace
	}
	s.ui(func() {
		c := s.k.win.Canvas()
		down := func() {
			if f, ok := c.Focused().(desktop.Keyable); ok {
				f.KeyDown(ev)
			} else if c.Focused() == nil {
				s.k.canvasKeyDown(ev)
			}
		}
		typed := func() {
			if f := c.Focused(); f != nil {
				f.TypedKey(ev)
				f.TypedRune(r)
				return
			}
			c.OnTypedKey()(ev)
			if c.Focused() != nil { // the key started the session
				c.Focused().TypedRune(r)
			} else {
				c.OnTypedRune()(r)
			}
		}
		up := func() {
			if f, ok := c.Focused().(desktop.Keyable); ok {
				f.KeyUp(ev)
			} else if c.Focused() == nil {
				s.k.canvasKeyUp(ev)
			}
		}
		down()
		typed()
		for range repeats {
			typed()
		}
		up()
	})
}

// TestEveryKeystrokeLandsOnce: typing that starts on the attract screen
// lands in the username entry exactly once per key press, also when the X
// server auto-repeats a key whose release it saw late (xdotool or a
// scanner on a loaded station: "kim" became "kiiim", "scanner42"
// "scanneer42").
func TestEveryKeystrokeLandsOnce(t *testing.T) {
	s := newStation(t, virtualkey.Options{}, nil)
	for _, c := range []struct {
		text    string
		repeats map[int]int // index → auto-repeats of that key
	}{
		{"kim", nil},
		{"kim", map[int]int{1: 2}},
		{"scanner42", map[int]int{5: 1}},
		{"scanner42", map[int]int{0: 3, 8: 2}},
	} {
		s.waitScreen(ScreenAttract)
		for i, r := range []rune(c.text) {
			s.pressAsDriver(r, c.repeats[i])
		}
		var got string
		s.ui(func() { got = s.k.w.username.Text })
		if s.k.Screen() != ScreenUsername || got != c.text {
			t.Errorf("typed %q (repeats %v): screen %s, username %q", c.text, c.repeats, s.k.Screen(), got)
		}
		s.keyAsDriver(fyne.KeyEscape)
	}
	// Space starts the session and types nothing; the next keys land once.
	s.waitScreen(ScreenAttract)
	s.pressAsDriver(' ', 0)
	s.waitScreen(ScreenUsername)
	for _, r := range "ada" {
		s.pressAsDriver(r, 0)
	}
	s.ui(func() {
		if got := s.k.w.username.Text; got != "ada" {
			t.Errorf("after Space, typed \"ada\": username %q", got)
		}
	})
}

// TestEscapeCancels: Escape on the username screen (focused entry or not)
// and on the key screens goes back to the attract screen and forgets the
// person, as Cancel does.
func TestEscapeCancels(t *testing.T) {
	s := newStation(t, virtualkey.Options{}, nil)
	s.setKeyPIN(testKeyPIN)
	s.typeAsDriver("kim")
	s.waitScreen(ScreenUsername)
	s.keyAsDriver(fyne.KeyEscape)
	s.assertForgotten("kim")

	s.typeAsDriver("kim")
	s.waitScreen(ScreenUsername)
	s.ui(func() { s.k.win.Canvas().Unfocus() })
	s.keyAsDriver(fyne.KeyEscape)
	s.assertForgotten("kim")

	s.typeAsDriver("kim")
	s.keyAsDriver(fyne.KeyReturn)
	s.waitScreen(ScreenEnterPIN)
	s.keyAsDriver(fyne.KeyEscape)
	s.assertForgotten("kim")
	if es := s.journalEntries(); len(es) != 1 || es[0].Username != "kim" || es[0].Outcome != station.OutcomeAbandoned {
		t.Errorf("journal after Escape on the PIN screen: %+v", es)
	}
}
