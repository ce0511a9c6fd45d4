package kiosk

import (
	"github.com/keydesk/keydesk/app/kiosk/station"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestSetPINScreenEnforcesWhatItSays: with kiosk.json's default PIN policy
// the set-PIN screen promises "no simple patterns like 1234" and refuses
// 1234; with the check turned off it does not promise it, and 1234 is the
// key's business.
func TestSetPINScreenEnforcesWhatItSays(t *testing.T) {
	toSetPIN := func(s *testStation) string {
		s.start(testUser)
		s.waitScreen(ScreenSetPIN)
		var body string
		s.ui(func() { body = s.k.w.setPINBody.Text })
		return body
	}
	typePIN := func(s *testStation, pin string) {
		s.ui(func() {
			test.Type(s.k.w.newPIN, pin)
			test.Type(s.k.w.newPIN2, pin)
		})
		s.tap(wordsContinue)
	}

	t.Run("default", func(t *testing.T) {
		s := newStation(t, virtualkey.Options{}, func(o *Options) { o.PIN = mustPolicy(t, `{}`) })
		if body := toSetPIN(s); !strings.Contains(body, "no simple patterns like 1234") || !strings.Contains(body, "at least 4") {
			t.Errorf("default policy: the set-PIN screen says %q", body)
		}
		typePIN(s, "1234")
		if st := s.state(); st.Screen != ScreenSetPIN || st.PINHint != pinWords(station.PINTrivial, 4) || !strings.Contains(st.PINHint, "1234") {
			t.Errorf("1234 under the default policy: screen %s, hint %q", st.Screen, st.PINHint)
		}
		if !strings.Contains(s.visibleText(), pinWords(station.PINTrivial, 4)) {
			t.Errorf("the refusal is not on the screen: %q", s.visibleText())
		}
	})
	t.Run("relaxed", func(t *testing.T) {
		r := newStation(t, virtualkey.Options{}, func(o *Options) { o.PIN = mustPolicy(t, `{"forbidTrivial":false}`) })
		if body := toSetPIN(r); strings.Contains(body, "1234") || strings.Contains(body, "pattern") || !strings.Contains(body, "at least 4") {
			t.Errorf("trivial PINs allowed: the set-PIN screen says %q", body)
		}
		typePIN(r, "1234")
		r.waitScreen(ScreenSuccess)
	})
}
