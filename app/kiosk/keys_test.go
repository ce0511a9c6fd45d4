package kiosk

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// typeAsDriver types text as the desktop driver delivers it: each rune to
// the focused object, or to the canvas when nothing has focus
// (glfw window.processCharInput).
func (s *station) typeAsDriver(text string) {
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
func (s *station) keyAsDriver(name fyne.KeyName) {
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
	if es := s.journalEntries(); len(es) != 1 || es[0].Username != "kim" || es[0].Outcome != OutcomeAbandoned {
		t.Errorf("journal after Escape on the PIN screen: %+v", es)
	}
}
