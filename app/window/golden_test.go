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
		onUI(func() {
			u.Show(n)
			test.AssertRendersToMarkup(t, n+".xml", u.Win.Canvas())
		})
	}
}
