package window

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/container"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/ctap/testkit"
)

// TestHelpdeskFitsTheWindow: the Helpdesk screen's two columns fit a
// window of ordinary width whatever the timeline holds: a ceremony for a
// long username wraps its line instead of pushing the right column (the
// lookup's button, the delete buttons) past the window's edge.
func TestHelpdeskFitsTheWindow(t *testing.T) {
	u, _ := newTestUI(t)
	r, err := u.S.Runner(testkit.NewPrompter(), nil)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.Repeat("a", 80) + "@example.com"
	res := r.Enroll(context.Background(), ceremony.EnrollInput{Username: name, DisplayName: "A"})
	if !res.Outcome.Success {
		t.Fatalf("enroll: %+v", res.Outcome)
	}
	u.S.History.Add(newCeremony(ceremony.KindEnroll, res))
	onUI(func() { u.Show(ScreenHelpdesk) })
	h := u.helpdeskScreen
	var w float32
	onUI(func() { w = h.content.(*container.Scroll).Content.MinSize().Width })
	// The window opens 1000 px wide (app.go); the navigation bar takes
	// about 110 of them.
	if limit := float32(1000 - 120); w > limit {
		t.Fatalf("the Helpdesk screen needs %v px of width, more than %v", w, limit)
	}
}
