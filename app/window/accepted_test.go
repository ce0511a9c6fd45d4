package window

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/keydesk/keydesk/client/emulator"
)

// TestEnrollFailedAfterAcceptSaysHowToCheck: an enrollment that fails after
// the Cloud accepted the credential tells the person that the key may
// already be registered and how to check.
func TestEnrollFailedAfterAcceptSaysHowToCheck(t *testing.T) {
	u, env := newTestUI(t)
	env.Cloud.FailNext(emulator.EndpointStatus, emulator.Fault{Status: 200, Body: `{"status":"failed"}`})
	onUI(func() { u.Show(ScreenEnroll) })
	fyne.DoAndWait(func() {
		u.enrollScreen.username.SetText("xena")
		test.Tap(u.enrollScreen.start)
	})
	u.Enroll.Wait()
	if get[bool](t, u.Enroll.ResultOK) {
		t.Fatal("enroll succeeded")
	}
	if txt := get[string](t, u.Enroll.ResultText); !strings.Contains(txt, "may already be registered") || !strings.Contains(txt, "Test sign-in") {
		t.Fatalf("result text %q", txt)
	}
}
