package window

import (
	"errors"

	"fyne.io/fyne/v2"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
)

// codeOf finds the catalogue code behind an error: the UI shows that
// code's catalogue text, never the error's own words.
func codeOf(err error) result.Code {
	if errors.Is(err, errDialogCancelled) {
		return result.CodeCancelled
	}
	return ceremony.CauseOf(err)
}

// explain is the catalogue's title and advice for an error, for the
// audience.
func explain(err error, aud result.Audience) (title, text string) {
	e := lookup(codeOf(err))
	return e.Title(), e.Text(aud)
}

// set updates a binding from a worker goroutine through fyne.Do: since
// Fyne 2.6 bindings are not safe for concurrent use, so view-models
// running on worker goroutines hand their updates to the UI goroutine
// (queued, in order). Code already on the UI goroutine (building the
// window, a button's callback) calls the binding's Set itself: fyne.Do
// from there would only defer the update, and Fyne reports it as an error.
func set[T any](b interface{ Set(T) error }, v T) {
	fyne.Do(func() { _ = b.Set(v) })
}
