package cli

import (
	"os"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
)

// The CLI speaks the language of its environment (LANGUAGE, then the
// first set of LC_ALL, LC_MESSAGES, LANG): German or English. What it
// prints for people is translated: the catalogue's texts (result.In),
// the ceremony report, the prompts and the fixed messages below. --json
// output stays English (keys, codes and texts), for scripts.

// language is the CLI's language now: "de" or "en".
func language() string { return result.LanguageFromEnv(os.Getenv) }

// say is s in the CLI's language; words without German stay English.
func say(s string) string {
	if language() == result.German {
		if t, ok := germanCLI[s]; ok {
			return t
		}
	}
	return s
}

// touchPurposeWords is what the key waits for a touch for, as the end of
// "Touch your security key to …".
func touchPurposeWords(p ctap.TouchPurpose) string {
	switch p {
	case ctap.TouchMakeCredential:
		return say("create a credential")
	case ctap.TouchGetAssertion:
		return say("sign in")
	case ctap.TouchReset:
		return say("reset")
	}
	return say("confirm")
}

// germanCLI are the CLI's fixed words in German, keyed by their English.
var germanCLI = map[string]string{
	// The ceremony report.
	"Cause: %s\n  %s\n  What to do: %s\n": "Ursache: %s\n  %s\n  Was zu tun ist: %s\n",
	"\nTimeline:":                         "\nAblauf:",
	"Signed in as: %s (user ID %s)\n":     "Angemeldet als: %s (Benutzer-ID %s)\n",
	mayBeRegisteredHint:                   "  Die Authentication Cloud hat den Zugang angenommen; der Schlüssel ist also vielleicht schon registriert.\n  Prüfen Sie das mit einer Test-Anmeldung, bevor Sie ihn erneut registrieren: keydesk approve --user %s\n",
	// Timeline steps (package client/ceremony) and touch purposes
	// (touchPurposeWords).
	"check input":              "Eingabe prüfen",
	"check authenticators":     "Authenticators prüfen",
	"start enrollment":         "Registrierung starten",
	"find security key":        "Sicherheitsschlüssel suchen",
	"create credential on key": "Zugang auf dem Schlüssel anlegen",
	"send attestation":         "Attestierung senden",
	"start approval":           "Anmeldung starten",
	"get assertion from key":   "Assertion vom Schlüssel holen",
	"send assertion":           "Assertion senden",
	"poll status":              "Status abfragen",
	"introspect token":         "Token prüfen",
	"create a credential":      "einen Zugang anzulegen",
	"sign in":                  "sich anzumelden",
	"reset":                    "ihn zurückzusetzen",
	"confirm":                  "zu bestätigen",
	// Prompts.
	"Wrong PIN. %s\n": "Falsche PIN. %s\n",
	"This key has no PIN yet and the site requires one. Choose a PIN of at least %d characters.\n": "Dieser Schlüssel hat noch keine PIN, und die Website verlangt eine. Wählen Sie eine PIN mit mindestens %d Zeichen.\n",
	"1 try left before the key blocks its PIN.":                                                    "Noch 1 Versuch, dann sperrt der Schlüssel seine PIN.",
	"%d tries left.": "Noch %d Versuche.",
	"Touch your security key to %s (within %d s)...\n": "Berühren Sie Ihren Sicherheitsschlüssel, um %s (innerhalb von %d s)...\n",
	"PIN: ":                "PIN: ",
	"PIN":                  "PIN",
	"%s (1 try left): ":    "%s (noch 1 Versuch): ",
	"%s (%d tries left): ": "%s (noch %d Versuche): ",
	"After three wrong PINs in a row the key refuses its PIN until you remove it and plug it in again. Do that, then try again.":  "Nach drei falschen PINs in Folge nimmt der Schlüssel seine PIN erst wieder an, wenn Sie ihn abziehen und wieder einstecken. Tun Sie das und versuchen Sie es dann erneut.",
	"the PIN is blocked: only a factory reset ('keydesk reset') makes the key usable again, and it erases every credential on it": "Die PIN ist gesperrt: Nur ein Zurücksetzen auf Werkseinstellungen ('keydesk reset') macht den Schlüssel wieder nutzbar, und es löscht alle Zugangsdaten darauf.",
	"New PIN: ":       "Neue PIN: ",
	"New PIN again: ": "Neue PIN wiederholen: ",
	// Keys and demo mode.
	"No security key found: using KeyDesk's virtual key (demo mode).":     "Kein Sicherheitsschlüssel gefunden: KeyDesks virtueller Schlüssel wird verwendet (Demo-Modus).",
	"No security key found: KeyDesk's virtual key is listed (demo mode).": "Kein Sicherheitsschlüssel gefunden: KeyDesks virtueller Schlüssel wird aufgeführt (Demo-Modus).",
	"No security key found.": "Kein Sicherheitsschlüssel gefunden.",
	"Plug in your security key (or tap it on the reader) and try again.": "Stecken Sie Ihren Sicherheitsschlüssel ein (oder halten Sie ihn an das Lesegerät) und versuchen Sie es erneut.",
	noKeyHelp: `Wenn er eingesteckt ist: Prüfen Sie unter Linux, ob Sie /dev/hidraw* öffnen dürfen (die FIDO-udev-Regeln,
z. B. 70-u2f.rules von libfido2, und die Gruppen Ihres Benutzers); 'keydesk devices' listet die Schlüssel, die KeyDesk sieht.
Um KeyDesk ohne Schlüssel auszuprobieren, geben Sie --demo an: Damit werden KeyDesks virtueller Schlüssel und, für enroll und
approve, der eingebaute Emulator statt der eingerichteten Instanz verwendet.`,
	"No Authentication Cloud instance configured: demo mode (local emulator and KeyDesk's virtual key).":                                                             "Keine Authentication-Cloud-Instanz eingerichtet: Demo-Modus (lokaler Emulator und KeyDesks virtueller Schlüssel).",
	"--demo: using the built-in Authentication Cloud emulator INSTEAD OF the configured instance %s, and KeyDesk's virtual key. Nothing is sent to that instance.\n": "--demo: Statt der eingerichteten Instanz %s werden der eingebaute Authentication-Cloud-Emulator und KeyDesks virtueller Schlüssel verwendet. An diese Instanz wird nichts gesendet.\n",
	// Managing a key.
	"Resetting %s erases every credential on it and its PIN. Accounts that use this key will no longer accept it.\nType RESET to go on: ":         "Das Zurücksetzen von %s löscht alle Zugänge darauf und seine PIN. Konten, die diesen Schlüssel verwenden, akzeptieren ihn danach nicht mehr.\nGeben Sie RESET ein, um fortzufahren: ",
	"The key allows a reset only in the first seconds after it is plugged in: unplug it, plug it back in, and run 'keydesk reset' again at once.": "Der Schlüssel lässt sich nur in den ersten Sekunden nach dem Einstecken zurücksetzen: Ziehen Sie ihn ab, stecken Sie ihn wieder ein und führen Sie sofort erneut „keydesk reset“ aus.",
	"Key reset: it has no credentials and no PIN.": "Schlüssel zurückgesetzt: keine Zugänge und keine PIN.",
	"PIN set.":                    "PIN gesetzt.",
	"PIN changed.":                "PIN geändert.",
	"Credential deleted.":         "Zugang gelöscht.",
	"This key cannot have a PIN.": "Dieser Schlüssel kann keine PIN haben.",
	"This key cannot list or delete its credentials: it has no credential management.": "Dieser Schlüssel kann seine Zugänge nicht auflisten oder löschen: Er hat keine Zugangsverwaltung.",
	"This key cannot be reset through FIDO2.":                                          "Dieser Schlüssel lässt sich nicht über FIDO2 zurücksetzen.",
}
