package kiosk

import (
	"strings"
	"testing"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestKeyWithoutClientPIN: the station gives every key a PIN, so a key
// that cannot have one (no clientPin in its getInfo) is told at once, in
// the kiosk's words, that it cannot be used here: no set-PIN screen whose
// PIN the key would refuse (0x2B), nothing sent to the key, and the
// session journalled with keydesk:key-unsupported.
func TestKeyWithoutClientPIN(t *testing.T) {
	s := newStation(t, virtualkey.Options{NoClientPIN: true}, nil)
	s.start(testUser)
	s.waitScreen(ScreenFailure)
	st := s.state()
	if st.Cause != result.CodeKeyUnsupported || st.FailureText != wordsKeyNoPIN {
		t.Errorf("cause %v, failure text %q, want %v and %q", st.Cause, st.FailureText, result.CodeKeyUnsupported, wordsKeyNoPIN)
	}
	if !strings.Contains(s.visibleText(), wordsKeyNoPIN) {
		t.Errorf("the words are not shown: %q", s.visibleText())
	}
	if s.env.Key.Key.Status().PINSet {
		t.Error("a PIN reached a key without client PIN")
	}
	es := s.journalEntries()
	if len(es) != 1 || es[0].Cause != result.CodeKeyUnsupported.String() || es[0].Outcome == "success-registration" {
		t.Errorf("journal: %+v", es)
	}
	var de string
	for _, w := range wordsIn {
		if w.w == &wordsKeyNoPIN {
			de = w.de
		}
	}
	if de == "" || de == wordsKeyNoPIN {
		t.Errorf("no German twin for %q", wordsKeyNoPIN)
	}
	s.tap(wordsDone)
	s.assertForgotten(testUser)
}
