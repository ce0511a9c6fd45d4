// Package station is everything of the walk-up enrollment station that
// needs no window: its settings file (kiosk.json) with the admin-PIN hash,
// the organisation's PIN and username rules, and the session journal with
// its export for the helpdesk. The station's window (package app/kiosk)
// and the command line (package app/cli: `keydesk kiosk journal`,
// `keydesk kiosk admin-pin`) both build on it; it never imports Fyne, so
// those commands run on machines without a display (purity_test.go).
//
// Nothing here holds a secret in clear: the admin PIN is kept as a salted
// PBKDF2 hash, and a journal entry has no PIN, token, challenge or
// credential ID.
package station
