package window

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// texts returns every label and rich text shown in o, looking into
// widgets' renderers (call it on the UI goroutine).
func texts(o fyne.CanvasObject) []string {
	var out []string
	uitest.Walk(o, uitest.Renderers|uitest.VisibleOnly, func(o fyne.CanvasObject) bool {
		switch v := o.(type) {
		case *widget.Label:
			out = append(out, v.Text)
		case *widget.Button:
			out = append(out, v.Text)
		case *widget.Entry:
			// typed text is not shown words
		case *widget.RadioGroup:
			out = append(out, v.Options...)
		case *widget.RichText:
			out = append(out, v.String())
		default:
			return true
		}
		return false
	})
	return out
}

// dialogText is all the words of the top dialog.
func dialogAllText(w fyne.Window) string {
	var s []string
	top := topDialog(w)
	onUI(func() { s = texts(top) })
	return strings.Join(s, "\n")
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// TestEndUserWords: what the person at the key reads is words, not
// developer terms. An empty username is explained without a ceremony (no
// "error-1000: Invalid credentialCreationOptions"); the step line says what
// happened, not "Done: start enrollment"; the credential and authenticator
// dialogs name the person, not the Cloud's user ID (a UUID); Test
// connection on an empty form does not claim that a connection works.
func TestEndUserWords(t *testing.T) {
	u, env := newTestUI(t)
	ctx := context.Background()

	// An empty username.
	onUI(func() { u.Show(ScreenEnroll) })
	e := u.enrollScreen
	fyne.DoAndWait(func() { e.username.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	u.Enroll.Wait()
	title, text := get[string](t, u.Enroll.ResultTitle), get[string](t, u.Enroll.ResultText)
	if !get[bool](t, u.Enroll.HasResult) || strings.Contains(title+text, "error-1000") || strings.Contains(title+text, "credentialCreationOptions") ||
		!strings.Contains(title, "username") {
		t.Fatalf("empty username explained as %q / %q", title, text)
	}
	if n := len(u.S.History.All()); n != 0 {
		t.Fatalf("an empty username started %d ceremonies", n)
	}

	// The step line during an enrollment.
	var mu sync.Mutex
	var steps []string
	onUI(func() {
		u.Enroll.Step.AddListener(newListener(func() {
			v, _ := u.Enroll.Step.Get()
			mu.Lock()
			steps = append(steps, v)
			mu.Unlock()
		}))
	})
	fyne.DoAndWait(func() {
		test.Type(e.username, "carol")
		test.Type(e.display, "Carol Example")
		e.username.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	u.Enroll.Wait()
	if !get[bool](t, u.Enroll.ResultOK) {
		t.Fatalf("enroll carol: %s\n%s", get[string](t, u.Enroll.ResultTitle), get[string](t, u.Enroll.ResultText))
	}
	onUI(func() {}) // let the queued step updates run
	mu.Lock()
	shown := strings.Join(steps, "\n")
	mu.Unlock()
	// The step line shows the newest step when the UI goroutine gets to
	// it (a fast step's line may be replaced before it is drawn, as in
	// the real window): every step's line is its stepText.
	var lines []string
	for _, st := range u.S.History.Last().Steps {
		lines = append(lines, stepText(st))
	}
	all := strings.Join(lines, "\n")
	if shown == "" || strings.Contains(shown+all, "Done:") || strings.Contains(shown+all, "start enrollment") ||
		!strings.Contains(all, stepText(ceremony.Step{Name: "start enrollment"})) {
		t.Fatalf("step lines shown:\n%s\nof the steps:\n%s", shown, all)
	}

	// The credential on the key: listed and confirmed by the person's name.
	dev, err := u.S.Key(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.SetPIN(ctx, "1234"); err != nil {
		t.Fatal(err)
	}
	onUI(func() { u.Show(ScreenManage) })
	m := u.manageScreen
	fyne.DoAndWait(func() { test.Tap(m.showCreds) })
	answerPIN(t, u.Win, "1234")
	waitFor(t, "credentials", func() bool { return !get[bool](t, u.Manage.Busy) && lenOf(u.Manage.Creds) == 2 })
	var row string
	var delBtn *widget.Button
	onUI(func() {
		row = strings.Join(texts(m.creds.Objects[1]), " ")
		uitest.Each(m.creds.Objects[1], uitest.Containers, func(o fyne.CanvasObject) {
			if b, ok := o.(*widget.Button); ok {
				delBtn = b
			}
		})
	})
	if !strings.Contains(row, "Carol Example") || uuidRE.MatchString(row) {
		t.Fatalf("credential row %q", row)
	}
	fyne.DoAndWait(func() { test.Tap(delBtn) })
	waitFor(t, "the delete dialog", func() bool { return dialogButton(u.Win, "No") != nil })
	if d := dialogAllText(u.Win); !strings.Contains(d, "Carol Example") || uuidRE.MatchString(d) {
		t.Fatalf("credential dialog: %q", d)
	}
	tapDialog(t, u.Win, "No")

	// The authenticator at the Cloud: the dialog names the user.
	onUI(func() { u.Show(ScreenHelpdesk) })
	h := u.helpdeskScreen
	fyne.DoAndWait(func() {
		h.userID.SetText(u.S.History.Last().UserID)
		h.userID.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitFor(t, "the user's authenticators", func() bool { return lenOf(u.Helpdesk.Authenticators) == 1 })
	var authDel *widget.Button
	onUI(func() {
		uitest.Each(h.auths, uitest.Containers, func(o fyne.CanvasObject) {
			if b, ok := o.(*widget.Button); ok {
				authDel = b
			}
		})
	})
	fyne.DoAndWait(func() { test.Tap(authDel) })
	waitFor(t, "the delete dialog", func() bool { return dialogButton(u.Win, "No") != nil })
	if d := dialogAllText(u.Win); !strings.Contains(d, "carol can no longer sign in") || uuidRE.MatchString(d) {
		t.Fatalf("authenticator dialog: %q", d)
	}
	tapDialog(t, u.Win, "No")

	// Test connection with nothing typed.
	_ = env
	var st config.Settings
	onUI(func() { u.Show(ScreenSettings); st = u.Settings.Typed() })
	if st.InstanceURL != "" {
		t.Fatalf("settings not empty: %+v", st)
	}
	err = u.Settings.TestConnection(ctx, st, "")
	if msg := get[string](t, u.Settings.Status); err == nil || get[bool](t, u.Settings.StatusOK) || strings.Contains(msg, "Connection works") ||
		!strings.Contains(msg, "instance URL") {
		t.Fatalf("Test connection on an empty form: %v %q", err, msg)
	}
}

type listenerFunc func()

func (f listenerFunc) DataChanged() { f() }

func newListener(f func()) listenerFunc { return listenerFunc(f) }

// TestAccountChooserNames: a usernameless sign-in with two accounts on the
// key lets the person choose by name; the Cloud's user IDs (UUIDs, in
// user.name) are not what the chooser shows.
func TestAccountChooserNames(t *testing.T) {
	u, _ := newTestUI(t)
	ctx := context.Background()
	r, err := u.S.Runner(testkit.NewPrompter(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"dora", "emil"} {
		if res := r.Enroll(ctx, ceremony.EnrollInput{Username: n, DisplayName: strings.ToUpper(n[:1]) + n[1:] + " Example"}); !res.Outcome.Success {
			t.Fatalf("enroll %s: %+v", n, res.Outcome)
		}
	}
	onUI(func() { u.Show(ScreenSignIn) })
	fyne.DoAndWait(func() { test.Tap(u.signInScreen.start) })
	waitFor(t, "the account chooser", func() bool { return dialogButton(u.Win, "Sign in") != nil })
	d := dialogAllText(u.Win)
	tapDialog(t, u.Win, "Cancel")
	u.SignIn.Wait()
	if !strings.Contains(d, "Dora Example") || !strings.Contains(d, "Emil Example") || uuidRE.MatchString(d) {
		t.Fatalf("account chooser: %q", d)
	}
}

// resultCardText is the words the result card shows now.
func resultCardText(c *resultCard) string {
	var s []string
	onUI(func() { s = texts(c.box) })
	return strings.Join(s, "\n")
}

// detailsHeader is the button that opens the result card's codes (call
// it on the UI goroutine).
func detailsHeader(c *resultCard) *widget.Button {
	for _, o := range test.WidgetRenderer(c.details).Objects() {
		if b, ok := o.(*widget.Button); ok && b.Visible() {
			return b
		}
	}
	return nil
}

// openDetailsByKeyboard moves the focus with Tab until it reaches the
// result card's "Codes for the helpdesk" and presses Space on it; false
// when Tab never gets there.
func openDetailsByKeyboard(w fyne.Window) bool {
	for range 40 {
		onUI(func() { w.Canvas().FocusNext() })
		if b, ok := focused(w).(*widget.Button); ok && b.Text == "Codes for the helpdesk" {
			pressKey(w, fyne.KeySpace)
			return true
		}
	}
	return false
}

// TestResultCardCodesBehindDetails: after a failed enrollment (the key
// refuses the touch) and a failed sign-in, the result card leads with what
// happened and what to do in plain words (the catalogue's end-user text
// for the cause); the fido2-client status code, the cause's code and the
// DOMException are not shown until "Codes for the helpdesk" is opened
// (reached with Tab, opened with Space), and are shown after. The next
// result starts with the codes closed again.
func TestResultCardCodesBehindDetails(t *testing.T) {
	u, env := newTestUI(t)
	w := u.Win
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
	onUI(func() { u.Show(ScreenEnroll) })
	e := u.enrollScreen
	fyne.DoAndWait(func() {
		e.username.SetText("fay")
		test.Tap(e.start)
	})
	u.Enroll.Wait()
	c := u.S.History.Last()
	if c.Success() || c.DOMException == "" || c.Cause.IsZero() {
		t.Fatalf("the denied touch ended as %+v", c)
	}
	cause := lookup(c.Cause)
	codes := []string{c.Outcome.Code.StatusCode, cause.Display(), c.DOMException}
	closed := resultCardText(e.result)
	for _, code := range append(codes, "error-1") {
		if strings.Contains(closed, code) {
			t.Errorf("the result card shows %q before the details are opened:\n%s", code, closed)
		}
	}
	if !strings.Contains(closed, cause.UserText) || strings.TrimSpace(get[string](t, u.Enroll.ResultTitle)) == "" {
		t.Errorf("the result card does not say what happened and what to do (%q):\n%s", cause.UserText, closed)
	}
	if !openDetailsByKeyboard(w) {
		t.Fatalf("Tab never reaches the codes; the card reads:\n%s", closed)
	}
	open := resultCardText(e.result)
	for _, code := range codes {
		if !strings.Contains(open, code) {
			t.Errorf("the opened details lack %q:\n%s", code, open)
		}
	}

	// A successful enrollment reads in words too, its codes closed again.
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceGranted})
	fyne.DoAndWait(func() {
		e.username.SetText("gus")
		test.Tap(e.start)
	})
	u.Enroll.Wait()
	c = u.S.History.Last()
	if !c.Success() {
		t.Fatalf("enroll gus: %s", get[string](t, u.Enroll.ResultText))
	}
	if closed := resultCardText(e.result); strings.Contains(closed, c.Outcome.Code.StatusCode) {
		t.Errorf("the success card shows %q before the details are opened:\n%s", c.Outcome.Code.StatusCode, closed)
	}

	// A sign-in the key refuses: the same on the Test sign-in screen.
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
	onUI(func() { u.Show(ScreenSignIn) })
	s := u.signInScreen
	fyne.DoAndWait(func() {
		s.username.SetText("gus")
		test.Tap(s.start)
	})
	u.SignIn.Wait()
	c = u.S.History.Last()
	if c.Success() || c.DOMException == "" {
		t.Fatalf("the refused sign-in ended as %+v", c)
	}
	codes = []string{c.Outcome.Code.StatusCode, lookup(c.Cause).Display(), c.DOMException}
	closed = resultCardText(s.result)
	for _, code := range append(codes, "error-1") {
		if strings.Contains(closed, code) {
			t.Errorf("the sign-in card shows %q before the details are opened:\n%s", code, closed)
		}
	}
	if !strings.Contains(closed, lookup(c.Cause).UserText) {
		t.Errorf("the sign-in card does not say what to do:\n%s", closed)
	}
	if !openDetailsByKeyboard(w) {
		t.Fatalf("Tab never reaches the sign-in card's codes:\n%s", closed)
	}
	open = resultCardText(s.result)
	for _, code := range codes {
		if !strings.Contains(open, code) {
			t.Errorf("the sign-in card's opened details lack %q:\n%s", code, open)
		}
	}
}

// TestCannotStartInWords: an enrollment that cannot start (no Cloud
// configured, as when the settings could not be read at start) says so in
// words, with the catalogue's end-user text; its code is behind the
// details, as a ceremony's are.
func TestCannotStartInWords(t *testing.T) {
	u, _ := newTestUI(t)
	u.S.SetCloud(nil)
	onUI(func() { u.Show(ScreenEnroll) })
	e := u.enrollScreen
	fyne.DoAndWait(func() {
		e.username.SetText("hal")
		test.Tap(e.start)
	})
	u.Enroll.Wait()
	cause := lookup(result.KeyDesk("not-configured"))
	closed := resultCardText(e.result)
	if strings.Contains(closed, cause.Display()) || !strings.Contains(closed, cause.UserText) {
		t.Errorf("the card reads, details closed:\n%s", closed)
	}
	fyne.DoAndWait(func() { test.Tap(detailsHeader(e.result)) })
	if open := resultCardText(e.result); !strings.Contains(open, cause.Display()) {
		t.Errorf("the opened details lack %q:\n%s", cause.Display(), open)
	}
}
