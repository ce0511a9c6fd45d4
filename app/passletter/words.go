package passletter

import (
	"fmt"
	"strings"
	"time"
)

// words are everything the letter and the PNG caption say in one language.
// All of the package's user-visible text is in this file, English and German
// side by side.
type words struct {
	title      string // "%s" is the person: "Display Name (username)"
	warning    string
	stepsHead  string
	steps      []string
	kiosk      string
	validUntil string
	issued     string
	passID     string
	service    string
	allows     string
	ops        map[string]string
	months     [12]string
	date       func(t time.Time, month string) string
}

var english = words{
	title:     "Security key enrollment pass for %s",
	warning:   "Treat this like a password: anyone holding this pass can enroll a key for you. Destroy it after use.",
	stepsHead: "How to enroll your security key",
	steps: []string{
		"Open KeyDesk on your computer.",
		"Choose \u201cEnroll with a pass\u201d.",
		"Scan this code with a barcode scanner, or open the pass file you received.",
		"Follow the prompts: type your key's PIN (or choose one), then touch the key when asked.",
	},
	kiosk:      "At a kiosk: scan this code at the kiosk instead of typing your username, then follow the prompts.",
	validUntil: "Valid until",
	issued:     "Issued",
	passID:     "Pass ID",
	service:    "Service",
	allows:     "Allows",
	ops: map[string]string{
		"enroll":  "enrolling a security key",
		"approve": "a test sign-in",
	},
	months: [12]string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"},
	date: func(t time.Time, month string) string {
		return fmt.Sprintf("%d %s %d, %02d:%02d", t.Day(), month, t.Year(), t.Hour(), t.Minute())
	},
}

var german = words{
	title:     "Pass zur Registrierung eines Sicherheitsschlüssels für %s",
	warning:   "Behandeln Sie diesen Pass wie ein Passwort: Wer ihn besitzt, kann einen Schlüssel für Sie registrieren. Vernichten Sie ihn nach Gebrauch.",
	stepsHead: "So registrieren Sie Ihren Sicherheitsschlüssel",
	steps: []string{
		"Öffnen Sie KeyDesk auf Ihrem Computer.",
		"Wählen Sie \u201eMit einem Pass registrieren\u201c.",
		"Scannen Sie diesen Code mit einem Barcode-Scanner oder öffnen Sie die Pass-Datei, die Sie erhalten haben.",
		"Folgen Sie den Anweisungen: Geben Sie die PIN Ihres Schlüssels ein (oder legen Sie eine fest) und berühren Sie den Schlüssel, wenn Sie dazu aufgefordert werden.",
	},
	kiosk:      "An einem Kiosk: Scannen Sie diesen Code am Kiosk, statt Ihren Benutzernamen einzugeben, und folgen Sie den Anweisungen.",
	validUntil: "Gültig bis",
	issued:     "Ausgestellt",
	passID:     "Pass-ID",
	service:    "Dienst",
	allows:     "Erlaubt",
	ops: map[string]string{
		"enroll":  "Registrieren eines Sicherheitsschlüssels",
		"approve": "eine Testanmeldung",
	},
	months: [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
		"August", "September", "Oktober", "November", "Dezember"},
	date: func(t time.Time, month string) string {
		return fmt.Sprintf("%d. %s %d, %02d:%02d Uhr", t.Day(), month, t.Year(), t.Hour(), t.Minute())
	},
}

// when words a moment in the zone the caller gave it (the person's own, as
// the helpdesk station knows it): date, time, the zone's abbreviation and its
// offset from UTC, since abbreviations alone are ambiguous ("IST").
func (w words) when(t time.Time) string {
	s := w.date(t, w.months[t.Month()-1])
	name, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	offset := fmt.Sprintf("UTC%c%02d:%02d", sign, off/3600, off%3600/60)
	switch {
	case name == "UTC" && off == 0:
		return s + " UTC"
	case name == "" || strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-"):
		return s + " " + offset
	}
	return s + " " + name + " (" + offset + ")"
}

// operations words what the pass allows; an operation the letter does not
// know is printed as given (already escaped by the caller).
func (w words) operations(ops []string) string {
	out := make([]string, 0, len(ops))
	for _, op := range ops {
		if s, ok := w.ops[op]; ok {
			out = append(out, s)
		} else {
			out = append(out, op)
		}
	}
	return strings.Join(out, ", ")
}

// languages returns the word sets a letter in lang is written in: one, or
// English and German for "" (the default, since the helpdesk may not know
// which the person reads).
func languages(lang string) ([]words, error) {
	switch strings.ToLower(lang) {
	case "":
		return []words{english, german}, nil
	case "en":
		return []words{english}, nil
	case "de":
		return []words{german}, nil
	}
	return nil, fmt.Errorf("passletter: unknown language %q (en, de or empty for both)", lang)
}
