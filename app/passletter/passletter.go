// Package passletter presents an enrollment pass (issue 14) for the person
// it was issued to: as a QR code (QR), as a PNG of the code with a caption
// (WritePNG), and as a printable one-page A4 letter (WritePDF) with the
// person's name, plain steps in English and German, the code, the expiry and
// "treat this like a password".
//
// The pass itself is opaque here (client/pass makes it). It is a secret: it
// is only ever inside the QR code — the PDF draws the code as filled
// rectangles, so the pass is in no text, no metadata and no error of this
// package. Everything else a letter prints is public: the name, the username,
// the instance's host, the pass ID and the times.
//
// The package imports no Fyne: the window and the CLI both call it.
package passletter

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/keydesk/keydesk/client/safetext"
)

// Letter is what a pass letter says.
type Letter struct {
	Organisation          string // may be empty
	Username, DisplayName string
	Instance              string   // the instance URL; shown as host only
	Operations            []string // "enroll", "approve"
	Issued, Expires       time.Time
	PassID                string // short public id, printed
	Pass                  string // the secret: only inside the QR code, never as text
	Lang                  string // "en", "de", or "" = both languages on the page (default)
}

// check refuses a letter that could not tell its reader what the pass is for
// or until when, before anything is drawn.
func (l Letter) check() error {
	switch {
	case l.Pass == "":
		return errors.New("passletter: the letter has no pass")
	case strings.TrimSpace(l.Username) == "":
		return errors.New("passletter: the letter has no username")
	case l.Expires.IsZero():
		return errors.New("passletter: the letter has no expiry")
	case !l.Issued.IsZero() && l.Expires.Before(l.Issued):
		return errors.New("passletter: the pass expires before it was issued")
	}
	return nil
}

// person is "Display Name (username)", or the username alone when there is
// no display name or it says the same; both are cut to maxRunes each first.
func (l Letter) person(maxRunes int) string {
	user := clip(clean(l.Username), maxRunes)
	name := clip(clean(l.DisplayName), maxRunes)
	if name == "" || name == user {
		return user
	}
	return name + " (" + user + ")"
}

// titled is template ("… for %s") filled with the person, both names cut
// short enough that the whole fits maxLines lines as fits measures them, so
// that a long display name never pushes the username (the part that
// matters) off the page.
func (l Letter) titled(template string, fits func(string) bool, maxLines int) string {
	n := 120
	for ; n > 12; n -= 4 {
		s := fmt.Sprintf(template, l.person(n))
		if len(wrap(s, fits, maxLines+1)) <= maxLines {
			return s
		}
	}
	return fmt.Sprintf(template, l.person(n))
}

// host is the instance's host name, without scheme, port, path or user
// information; empty when the instance is not a URL with a host.
func (l Letter) host() string {
	u, err := url.Parse(strings.TrimSpace(l.Instance))
	if err != nil {
		return ""
	}
	return clean(u.Hostname())
}

// clean makes text KeyDesk did not write printable: control and
// text-direction characters become visible escapes, runs of spaces one space.
func clean(s string) string {
	return strings.Join(strings.Fields(safetext.Escape(s)), " ")
}

// clip cuts s to at most n runes, marking the cut with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
