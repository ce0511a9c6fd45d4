package window

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestManageFailureInWords: a failed key operation on the Manage screen
// (a wrong current PIN, on the virtual key through real libfido2) reads
// in words for the person at the key; the CTAP code waits under "Codes for
// the helpdesk" and shows after one click (issue 11, item 16).
func TestManageFailureInWords(t *testing.T) {
	u, _ := newTestUI(t)
	setKeyPIN(t, u, "1234")
	onUI(func() { u.Show(ScreenManage) })
	m := u.manageScreen
	fyne.DoAndWait(func() {
		test.Type(m.oldPIN, "9999")
		test.Type(m.newPIN, "98765")
		test.Type(m.againPIN, "98765")
		m.againPIN.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitFor(t, "the change to fail", func() bool { return !get[bool](t, u.Manage.Busy) && get[string](t, u.Manage.Message) != "" })
	if get[bool](t, u.Manage.MessageOK) {
		t.Fatal("a wrong current PIN changed the PIN")
	}
	shown := func() string {
		var s []string
		onUI(func() { s = texts(m.content) })
		return strings.Join(s, "\n")
	}
	msg, codes := get[string](t, u.Manage.Message), get[string](t, u.Manage.MessageCodes)
	if strings.Contains(msg, "0x31") || strings.Contains(msg, "CTAP2_ERR") {
		t.Errorf("the message shows codes: %q", msg)
	}
	if !strings.Contains(strings.ToLower(msg), "pin") {
		t.Errorf("the message does not say what happened: %q", msg)
	}
	if !strings.Contains(codes, "0x31") {
		t.Errorf("codes for the helpdesk: %q, want 0x31", codes)
	}
	if s := shown(); strings.Contains(s, "0x31") || !strings.Contains(s, msg) || !strings.Contains(s, "Codes for the helpdesk") {
		t.Fatalf("before the click the screen shows:\n%s", s)
	}
	onUI(func() { m.codes.Open(0) })
	if s := shown(); !strings.Contains(s, "0x31") {
		t.Fatalf("after the click the code is not shown:\n%s", s)
	}
}
