package window

import (
	"testing"
)

// TestLazyScreens: the window starts with only the Keys screen built;
// every other screen is built the first time it is selected, by Show or
// by its tab, takes its tab's place and is laid out at the tab's size.
// Rebuild starts over the same way and keeps the selected screen.
func TestLazyScreens(t *testing.T) {
	u, _ := newTestUI(t)
	built := func() []bool {
		var b []bool
		onUI(func() {
			b = []bool{u.keysScreen != nil, u.enrollScreen != nil, u.signInScreen != nil,
				u.manageScreen != nil, u.helpdeskScreen != nil, u.settingsScreen != nil}
		})
		return b
	}
	want := func(what string, w ...bool) {
		t.Helper()
		got := built()
		for i := range w {
			if got[i] != w[i] {
				t.Fatalf("%s: screens built %v, want %v", what, got, w)
			}
		}
	}
	want("at start", true, false, false, false, false, false)

	// A tap on a tab selects it (AppTabs.SelectIndex), then OnSelected
	// builds the screen into it.
	onUI(func() { u.tabs.SelectIndex(3) })
	want("after selecting Manage", true, false, false, true, false, false)
	onUI(func() {
		c := u.tabs.Items[3].Content
		if c != u.manageScreen.content {
			t.Fatal("Manage's tab still holds the stand-in")
		}
		if !c.Visible() || c.Size().Width < 100 || c.Size().Height < 100 {
			t.Fatalf("Manage laid out at %v, visible %v", c.Size(), c.Visible())
		}
	})
	manage := u.manageScreen
	onUI(func() { u.tabs.SelectIndex(0); u.tabs.SelectIndex(3) })
	if u.manageScreen != manage {
		t.Fatal("Manage built twice")
	}

	onUI(func() { u.Show(ScreenHelpdesk) })
	want("after Show(helpdesk)", true, false, false, true, true, false)
	var focused bool
	onUI(func() { focused = u.Win.Canvas().Focused() == u.helpdeskScreen.paste })
	if !focused {
		t.Fatal("Helpdesk's paste box not focused")
	}

	onUI(u.Rebuild)
	want("after Rebuild", true, false, false, false, true, false)
	var sel int
	onUI(func() { sel = u.tabs.SelectedIndex() })
	if sel != 4 {
		t.Fatalf("Rebuild selected tab %d", sel)
	}
}
