package app

import (
	"context"
	"errors"
	"net"

	"fyne.io/fyne/v2"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
)

// isCancel reports whether err means the person (or the window) cancelled.
func isCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, ctap.ErrCancelled) || errors.Is(err, errDialogCancelled)
}

// codeOf finds the catalogue code behind an error of ctap, the Cloud
// client or KeyDesk: the UI shows that code's catalogue text, never the
// error's own words. (client has the same logic for ceremonies, unexported.)
func codeOf(err error) result.Code {
	if c, ok := result.CodeOf(err); ok {
		return c
	}
	if isCancel(err) {
		return result.KeyDesk("cancelled")
	}
	if c, ok := ctap.CodeOf(err); ok {
		if c > 0 && c <= 0xFF {
			return result.CTAP(byte(c))
		}
		return result.Libfido2(c)
	}
	var ae *cloud.APIError
	if errors.As(err, &ae) {
		return result.HTTP(ae.HTTPStatus)
	}
	var ce *cloud.ConfigError
	if errors.As(err, &ce) {
		return result.KeyDesk("insecure-url")
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) {
		return result.KeyDesk("unreachable")
	}
	if errors.Is(err, cloud.ErrMalformedResponse) {
		return result.KeyDesk("bad-response")
	}
	return result.DOMException("UnknownError")
}

// explain is the catalogue's title and advice for an error, for the
// audience.
func explain(err error, aud result.Audience) (title, text string) {
	e := result.Lookup(codeOf(err))
	return e.Title(), e.Text(aud)
}

// set updates a binding through fyne.Do: since Fyne 2.6 bindings are not
// safe for concurrent use, so view-models running on worker goroutines
// hand their updates to the UI goroutine (queued, in order).
func set[T any](b interface{ Set(T) error }, v T) {
	fyne.Do(func() { _ = b.Set(v) })
}
