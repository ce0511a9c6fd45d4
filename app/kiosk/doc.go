// Package kiosk is KeyDesk's walk-up enrollment station: a full-screen,
// locked-down window where people enroll their own security key without
// help. One person at a time goes through attract → username → insert key
// (→ touch the one you want, when several are plugged in) → set a PIN if the
// key has none → touch → success or failure, and the station then forgets
// everything about them.
//
// The flow lives in Machine, a view-model without widgets that tests drive
// headless; Kiosk binds it to Fyne widgets and runs the key and Cloud work
// on worker goroutines, which report back through fyne.Do. Every session
// ends in the local journal, which the helpdesk can export.
//
// What needs no window lives in package app/kiosk/station (kiosk.json, the
// admin-PIN hash, the PIN and username rules, the journal), and the
// command line (package app/cli) runs every `keydesk kiosk …` command; it
// reaches this package only through Open, the one that opens the window.
//
// PINs only pass through: they go from an entry to the key (or the
// ceremony) and the entry is cleared at once. Go strings cannot be wiped, so
// "forgetting" means dropping every reference and clearing every widget.
package kiosk
