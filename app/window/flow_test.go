package window

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestWindowFlow is the newcomer's path through the window, against the
// emulator and the virtual key through real libfido2: enroll, sign in,
// set and change the PIN, list and delete the credential, see a failed
// enrollment explained, export the report.
func TestWindowFlow(t *testing.T) {
	u, env := newTestUI(t)
	w := u.Win
	var pins []string

	if r, _ := u.Keys.Row(env.Key.Path()); r.Model != "KeyDesk Virtual Key" || r.Verdict != VerdictSetPIN || r.Firmware != "1.0.0" {
		t.Fatalf("keys row: %+v", r)
	}

	// Set a first PIN on Manage.
	onUI(func() { u.Show(ScreenManage) })
	m := u.manageScreen
	pins = append(pins, "1234")
	fyne.DoAndWait(func() {
		test.Type(m.newPIN, "1234")
		test.Type(m.againPIN, "1234")
		test.Tap(m.savePIN)
	})
	waitFor(t, "PIN set", func() bool { return !get[bool](t, u.Manage.Busy) && get[string](t, u.Manage.Message) != "" })
	if !get[bool](t, u.Manage.MessageOK) {
		t.Fatalf("set PIN: %s", get[string](t, u.Manage.Message))
	}
	if m.newPIN.Text != "" || m.againPIN.Text != "" {
		t.Fatal("PIN entries not cleared")
	}
	waitFor(t, "keys re-read", func() bool { r, _ := u.Keys.Row(env.Key.Path()); return r.Verdict == VerdictReady })

	// Enroll alice: type, Enter, PIN dialog.
	onUI(func() { u.Show(ScreenEnroll) })
	e := u.enrollScreen
	var focused fyne.Focusable
	onUI(func() { focused = w.Canvas().Focused() })
	if focused != e.username {
		t.Fatal("username not focused on Enroll")
	}
	fyne.DoAndWait(func() { test.Type(e.username, "alice") })
	fyne.DoAndWait(func() { e.username.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	answerPIN(t, w, "1234")
	u.Enroll.Wait()
	if !get[bool](t, u.Enroll.ResultOK) {
		t.Fatalf("enroll: %s\n%s", get[string](t, u.Enroll.ResultTitle), get[string](t, u.Enroll.ResultText))
	}
	if codes := get[string](t, u.Enroll.ResultCodes); !strings.Contains(codes, "success-registration") {
		t.Fatalf("enroll codes %q", codes)
	}

	// Sign in with the username.
	onUI(func() { u.Show(ScreenSignIn) })
	fyne.DoAndWait(func() {
		test.Type(u.signInScreen.username, "alice")
		test.Tap(u.signInScreen.start)
	})
	answerPIN(t, w, "1234")
	u.SignIn.Wait()
	if !get[bool](t, u.SignIn.ResultOK) {
		t.Fatalf("sign-in: %s\n%s", get[string](t, u.SignIn.ResultTitle), get[string](t, u.SignIn.ResultText))
	}

	// Usernameless sign-in with the discoverable credential.
	fyne.DoAndWait(func() {
		u.signInScreen.username.SetText("")
		test.Tap(u.signInScreen.start)
	})
	answerPIN(t, w, "1234")
	u.SignIn.Wait()
	if !get[bool](t, u.SignIn.ResultOK) {
		t.Fatalf("usernameless sign-in: %s\n%s", get[string](t, u.SignIn.ResultTitle), get[string](t, u.SignIn.ResultText))
	}
	// The account that signed in is named (from the Cloud's status answer).
	if title := get[string](t, u.SignIn.ResultTitle); title != "Signed in as alice" {
		t.Fatalf("usernameless sign-in titled %q, want the account named", title)
	}

	// Change the PIN.
	onUI(func() { u.Show(ScreenManage) })
	pins = append(pins, "98765")
	fyne.DoAndWait(func() {
		test.Type(m.oldPIN, "1234")
		test.Type(m.newPIN, "98765")
		test.Type(m.againPIN, "98765")
		m.againPIN.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitFor(t, "PIN changed", func() bool { return !get[bool](t, u.Manage.Busy) && get[string](t, u.Manage.Message) != "" })
	if !get[bool](t, u.Manage.MessageOK) {
		t.Fatalf("change PIN: %s", get[string](t, u.Manage.Message))
	}

	// List the credentials (PIN asked), delete alice's.
	fyne.DoAndWait(func() { test.Tap(m.showCreds) })
	answerPIN(t, w, "98765")
	waitFor(t, "credentials", func() bool { return !get[bool](t, u.Manage.Busy) && lenOf(u.Manage.Creds) == 2 })
	var del fyne.CanvasObject
	fyne.DoAndWait(func() { del = m.creds.Objects[1] })
	var delBtn fyne.Tappable
	uitest.Each(del, uitest.Containers, func(o fyne.CanvasObject) {
		if b, ok := o.(fyne.Tappable); ok {
			delBtn = b
		}
	})
	fyne.DoAndWait(func() { test.Tap(delBtn) })
	tapDialog(t, w, "Yes")
	waitFor(t, "credential deleted", func() bool {
		return !get[bool](t, u.Manage.Busy) && strings.Contains(get[string](t, u.Manage.Message), "deleted")
	})
	if n := lenOf(u.Manage.Creds); n != 0 {
		t.Fatalf("%d rows left", n)
	}

	// A failed enrollment, explained; what was typed stays.
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
	onUI(func() { u.Show(ScreenEnroll) })
	fyne.DoAndWait(func() {
		e.username.SetText("bob")
		test.Tap(e.start)
	})
	answerPIN(t, w, "98765")
	u.Enroll.Wait()
	if get[bool](t, u.Enroll.ResultOK) {
		t.Fatal("enrollment with a denied touch succeeded")
	}
	title, text, codes := get[string](t, u.Enroll.ResultTitle), get[string](t, u.Enroll.ResultText), get[string](t, u.Enroll.ResultCodes)
	if !strings.Contains(codes, "error-1001") || strings.Contains(title+text, "error-1001") || text == "" {
		t.Fatalf("failure shown as %q / %q, codes %q", title, text, codes)
	}
	if e.username.Text != "bob" {
		t.Fatalf("username lost: %q", e.username.Text)
	}
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceGranted})

	// Helpdesk: the user at the Cloud, the timeline, the report.
	onUI(func() { u.Show(ScreenHelpdesk) })
	aliceID := u.S.History.All()[0].UserID
	if err := u.Helpdesk.LookupUser(context.Background(), aliceID); err != nil {
		t.Fatal(err)
	}
	if n := lenOf(u.Helpdesk.Authenticators); n != 1 {
		t.Fatalf("alice has %d authenticators at the Cloud", n)
	}
	if n := len(u.S.History.All()); n != 4 {
		t.Fatalf("history has %d ceremonies", n)
	}
	dir := t.TempDir()
	fyne.DoAndWait(func() {
		u.helpdeskScreen.exportDir.SetText(dir)
		test.Tap(u.helpdeskScreen.export)
	})
	waitFor(t, "report", func() bool { return strings.Contains(get[string](t, u.Helpdesk.Status), dir) })
	checkReports(t, dir, env, pins)
}

// secretsSent collects every status token, transaction token and
// challenge that crossed the wire to the emulator.
func secretsSent(t *testing.T, env *demo.Env) []string {
	var out []string
	for _, r := range env.Cloud.Requests() {
		if vals, err := url.ParseQuery(string(r.Body)); err == nil && vals.Get("token") != "" {
			out = append(out, vals.Get("token"))
		}
		var body struct {
			StatusToken string `json:"statusToken"`
			Response    struct {
				ClientDataJSON string `json:"clientDataJSON"`
			} `json:"response"`
		}
		if json.Unmarshal(r.Body, &body) != nil {
			continue
		}
		if body.StatusToken != "" {
			out = append(out, body.StatusToken)
		}
		if cd, err := base64.RawURLEncoding.DecodeString(body.Response.ClientDataJSON); err == nil && len(cd) > 0 {
			var c struct{ Challenge string }
			if json.Unmarshal(cd, &c) == nil && c.Challenge != "" {
				out = append(out, c.Challenge, body.Response.ClientDataJSON)
			}
		}
	}
	if len(out) < 4 {
		t.Fatalf("only %d secrets seen on the wire", len(out))
	}
	return out
}

func checkReports(t *testing.T, dir string, env *demo.Env, pins []string) {
	t.Helper()
	files, _ := os.ReadDir(dir)
	if len(files) != 2 {
		t.Fatalf("%d files in the report folder", len(files))
	}
	secrets := append(secretsSent(t, env), env.Cloud.AccessKey())
	for _, f := range files {
		b, err := os.ReadFile(dir + "/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, sec := range secrets {
			if strings.Contains(s, sec) {
				t.Errorf("%s holds a token, challenge or access key", f.Name())
			}
		}
		for _, p := range pins {
			if strings.Contains(s, `"`+p+`"`) || strings.Contains(s, ">"+p+"<") {
				t.Errorf("%s holds a PIN", f.Name())
			}
		}
		for _, want := range []string{"success-registration", "error-1001", "KeyDesk Virtual Key", "create credential on key"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s lacks %q", f.Name(), want)
			}
		}
		if strings.HasSuffix(f.Name(), ".json") {
			var r Report
			if err := json.Unmarshal(b, &r); err != nil {
				t.Fatalf("report JSON: %v", err)
			}
			if len(r.Ceremonies) != 4 || len(r.Keys) != 1 || len(r.Codes) == 0 || r.Environment.Mode != "demo" {
				t.Errorf("report: %d ceremonies, %d keys, %d codes, mode %q", len(r.Ceremonies), len(r.Keys), len(r.Codes), r.Environment.Mode)
			}
		}
	}
}

// TestResponsiveWhileTouching proves the event loop keeps running while
// the key waits for a touch: UI round-trips complete quickly, the touch
// dialog counts down, then the touch ends the wait.
func TestResponsiveWhileTouching(t *testing.T) {
	u, env := newTestUI(t)
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
	fyne.DoAndWait(func() {
		u.Show(ScreenEnroll)
		u.enrollScreen.username.SetText("carol")
		test.Tap(u.enrollScreen.start)
	})
	waitFor(t, "the key to wait for a touch", env.Key.Waiting)
	waitFor(t, "the touch dialog", func() bool { return dialogButton(u.Win, "Cancel") != nil })
	for i := 0; i < 50; i++ {
		start := time.Now()
		fyne.DoAndWait(func() {})
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Fatalf("UI round-trip %d took %s while the key waited", i, d)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !get[bool](t, u.Enroll.Busy) {
		t.Fatal("ceremony no longer running")
	}
	env.Key.Touch()
	u.Enroll.Wait()
	if !get[bool](t, u.Enroll.ResultOK) {
		t.Fatalf("enroll after touch: %s", get[string](t, u.Enroll.ResultText))
	}
	waitFor(t, "the touch dialog to close", func() bool { return topDialog(u.Win) == nil })
}

// TestEscapeCancelsTouch: Escape on the touch dialog cancels the
// ceremony; the result says so in catalogue words.
func TestEscapeCancelsTouch(t *testing.T) {
	u, env := newTestUI(t)
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
	fyne.DoAndWait(func() {
		u.Show(ScreenEnroll)
		u.enrollScreen.username.SetText("dave")
		test.Tap(u.enrollScreen.start)
	})
	waitFor(t, "the key to wait for a touch", env.Key.Waiting)
	waitFor(t, "the touch dialog", func() bool { return dialogButton(u.Win, "Cancel") != nil })
	fyne.DoAndWait(func() { u.Win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape}) })
	u.Enroll.Wait()
	if get[bool](t, u.Enroll.ResultOK) {
		t.Fatal("cancelled enrollment succeeded")
	}
	if txt := get[string](t, u.Enroll.ResultText); !strings.Contains(txt, "keydesk:cancelled") && !strings.Contains(strings.ToLower(txt), "cancel") {
		t.Fatalf("cancel explained as %q", txt)
	}
}

// TestFactoryReset goes through the double confirmation and the replug
// countdown with the virtual key.
func TestFactoryReset(t *testing.T) {
	u, env := newTestUI(t)
	dev, err := u.S.Key(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.SetPIN(context.Background(), "4321"); err != nil {
		t.Fatal(err)
	}
	_ = env
	onUI(func() { u.Show(ScreenManage) })
	fyne.DoAndWait(func() { test.Tap(u.manageScreen.reset) })
	tapDialog(t, u.Win, "Yes")
	tapDialog(t, u.Win, "Erase")
	tapDialog(t, u.Win, "Replug the virtual key")
	tapDialog(t, u.Win, "Reset now")
	waitFor(t, "reset", func() bool { return !get[bool](t, u.Manage.Busy) && get[string](t, u.Manage.Message) != "" })
	if !get[bool](t, u.Manage.MessageOK) {
		t.Fatalf("reset: %s", get[string](t, u.Manage.Message))
	}
	waitFor(t, "keys re-read", func() bool { r, _ := u.Keys.Row(env.Key.Path()); return r.Verdict == VerdictSetPIN })
}
