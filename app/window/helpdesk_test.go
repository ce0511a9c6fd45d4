package window

import (
	"context"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/ctap/testkit"
)

func labelWith(text string) func(fyne.CanvasObject) bool {
	return func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.Contains(l.Text, text)
	}
}

// TestHelpdeskScreen drives the helpdesk screen against the emulator and
// the virtual key: the lookup field has a visible label; the result rows
// and the lookup's status sit inside the lookup card, above the Report
// card (they used to be drawn over its heading, the status far below);
// refilling the field clears the previous user's result; the chart says
// when it shows only the newest ceremonies; a sign-in gets a signature
// verdict in "Key data", verified with the public key this session enrolled.
func TestHelpdeskScreen(t *testing.T) {
	u, _ := newTestUI(t)
	ctx := context.Background()
	r, err := u.S.Runner(testkit.NewPrompter(), nil)
	if err != nil {
		t.Fatal(err)
	}
	add := func(kind ceremony.Kind, res *ceremony.Result) *Ceremony {
		t.Helper()
		if !res.Outcome.Success {
			t.Fatalf("%s: %+v", kind, res.Outcome)
		}
		c := newCeremony(kind, res)
		u.S.History.Add(c)
		return c
	}
	aliceRes := r.Enroll(ctx, ceremony.EnrollInput{Username: "alice", DisplayName: "Alice"})
	alice := add(ceremony.KindEnroll, aliceRes)
	bobRes := r.Enroll(ctx, ceremony.EnrollInput{Username: "bob", DisplayName: "Bob"})
	bob := add(ceremony.KindEnroll, bobRes)
	signInRes := r.Approve(ctx, ceremony.ApproveInput{Username: "alice"})
	signIn := add(ceremony.KindSignIn, signInRes)

	// The sign-in's signature, checked with alice's enrolled public key;
	// bob's key does not verify it.
	if c := signIn.Credential; c == nil || c.Verdict != VerdictSigVerified || !c.Verified {
		t.Fatalf("sign-in verdict: %+v", signIn.Credential)
	}
	other := DecodeCredential(signInRes.Credential)
	other.checkAssertion(DecodeCredential(bobRes.Credential).pub, true)
	if other.Verdict != VerdictSigBad || other.Verified {
		t.Fatalf("verdict with the wrong key: %q", other.Verdict)
	}

	onUI(func() { u.Show(ScreenHelpdesk) })
	h := u.helpdeskScreen
	onUI(func() {
		if uitest.Find(h.content, uitest.Renderers|uitest.VisibleOnly, labelWith(VerdictSigVerified.Text())) == nil {
			t.Error("Key data shows no signature verdict for the sign-in")
		}
		if uitest.Find(h.content, uitest.Renderers|uitest.VisibleOnly, func(o fyne.CanvasObject) bool {
			f, ok := o.(*widget.Form)
			return ok && len(f.Items) > 0 && f.Items[0].Text == "Username or user ID" && uitest.Find(f.Items[0].Widget, uitest.Renderers|uitest.VisibleOnly, func(o fyne.CanvasObject) bool { return o == h.userID }) != nil
		}) == nil {
			t.Error("the user ID field has no visible label")
		}
	})

	fyne.DoAndWait(func() {
		h.userID.SetText(alice.UserID)
		h.userID.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitFor(t, "alice's authenticators", func() bool {
		return lenOf(u.Helpdesk.Authenticators) == 1 && strings.Contains(get[string](t, u.Helpdesk.LookupStatus), "1")
	})
	lookupStatus := get[string](t, u.Helpdesk.LookupStatus)
	onUI(func() {
		d := fyne.CurrentApp().Driver()
		report := uitest.Find(h.content, uitest.Renderers|uitest.VisibleOnly, func(o fyne.CanvasObject) bool { c, ok := o.(*widget.Card); return ok && c.Title == "Report" })
		del := uitest.Find(h.auths, uitest.Renderers|uitest.VisibleOnly, func(o fyne.CanvasObject) bool { _, ok := o.(*widget.Button); return ok })
		status := uitest.Find(h.content, uitest.Renderers|uitest.VisibleOnly, labelWith(lookupStatus))
		if report == nil || del == nil || status == nil {
			t.Fatalf("report card %v, delete button %v, status %v", report, del, status)
		}
		top := d.AbsolutePositionForObject(report).Y
		if bottom := d.AbsolutePositionForObject(del).Y + del.Size().Height; bottom > top {
			t.Errorf("the authenticator row (bottom %v) overlaps the Report card (top %v)", bottom, top)
		}
		entry := d.AbsolutePositionForObject(h.userID).Y
		if y := d.AbsolutePositionForObject(status).Y; y < entry || y > top {
			t.Errorf("the lookup status (y %v) is not between the lookup (y %v) and the Report card (y %v)", y, entry, top)
		}
	})

	// Refill the field with another user: alice's result goes.
	fyne.DoAndWait(func() { h.userID.SetText(bob.UserID) })
	if txt := get[string](t, u.Helpdesk.UserText); txt != "" || lenOf(u.Helpdesk.Authenticators) != 0 {
		t.Fatalf("alice's result stayed after the field changed: %q", txt)
	}

	// More ceremonies than the chart draws: it says so.
	for range 5 {
		add(ceremony.KindSignIn, r.Approve(ctx, ceremony.ApproveInput{Username: "bob"}))
	}
	n := len(u.S.History.All())
	onUI(func() {
		if uitest.Find(h.content, uitest.Renderers|uitest.VisibleOnly, labelWith("newest 6 of 8")) == nil {
			t.Errorf("the chart does not say it shows 6 of %d ceremonies", n)
		}
	})
}

// TestTimelineLegendNamesEveryColour: the Timeline card's line under its
// title names the colour of every ending the chart draws (green, red,
// amber, grey), not only "red is the failing step".
func TestTimelineLegendNamesEveryColour(t *testing.T) {
	u, _ := newTestUI(t)
	onUI(func() { u.Show(ScreenHelpdesk) })
	var legend string
	onUI(func() {
		for _, s := range texts(u.helpdeskScreen.content) {
			if strings.Contains(s, "bar length") {
				legend = s
			}
		}
	})
	if legend == "" {
		t.Fatal("no timeline legend on the Helpdesk screen")
	}
	names := map[color.NRGBA]string{colorOK: "green", colorFail: "red", colorTimeout: "amber", colorCancel: "grey"}
	for _, e := range []Ending{EndSucceeded, EndFailed, EndTimedOut, EndCancelled} {
		c, _ := endingColor(e).(color.NRGBA)
		name, ok := names[c]
		if !ok {
			t.Fatalf("the timeline draws %s in %v, a colour this test cannot name", endingNames[e], c)
		}
		if !strings.Contains(legend, name+": "+endingWord(e)) {
			t.Errorf("the legend %q does not say %q", legend, name+": "+endingWord(e))
		}
	}
}
