package window

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestGoldens renders the Keys and Enroll screens to markup goldens under
// testdata/ (a failing run writes testdata/failed/).
func TestGoldens(t *testing.T) {
	u, _ := newTestUI(t)
	for _, n := range []string{ScreenKeys, ScreenEnroll} {
		onUI(func() { u.Show(n) })
		// A turn later, as the real driver draws it: the bound widgets
		// have taken their bindings' values by then.
		onUI(func() { test.AssertRendersToMarkup(t, n+".xml", u.Win.Canvas()) })
	}
}
