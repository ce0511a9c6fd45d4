package kiosk

import (
	"fmt"
	"github.com/keydesk/keydesk/app/kiosk/station"
	"os"
	"time"

	"github.com/keydesk/keydesk/client/result"
)

// This file holds the kiosk's own words, in English and German; failures
// are told in the result catalogue's end-user text, never with
// err.Error(). The words are variables so that useLanguage can put a
// station's language in place before its screens are built.

// wordsLanguage is the language the words are in now: "en" or "de".
var wordsLanguage = "en"

var (
	wordsAttractTitle    string
	wordsAttractSteps    string
	wordsAttractStart    string
	wordsAttractHint     string
	wordsUsernameTitle   string
	wordsUsernameBody    string
	wordsContinue        string
	wordsCancel          string
	wordsInsertTitle     string
	wordsInsertBody      string
	wordsChooseTitle     string
	wordsChooseBody      string
	wordsSetPINTitle     string
	wordsSetPINBody      string
	wordsNewPIN          string
	wordsNewPINAgain     string
	wordsEnterPINTitle   string
	wordsEnterPINBody    string
	wordsPIN             string
	wordsTouchTitle      string
	wordsTouchBody       string
	wordsTouchCountdown  string
	wordsWorkingTitle    string
	wordsSuccessTitle    string
	wordsSuccessBody     string
	wordsFailureTitle    string
	wordsMayBeRegistered string
	wordsHelpdesk        string
	wordsDone            string
	wordsTryAgain        string
	wordsAdminTitle      string
	wordsAdminBody       string
	wordsAdminPIN        string
	wordsAdminExit       string
	wordsNoneTouched     string
	wordsKeyNoPIN        string
	wordsDemo            string
	wordsSecurityKey     string
	wordsUsernameLabel   string
	wordsNextSteps       string

	wordsWorkingPreparing string
	wordsWorkingSetPIN    string
	wordsWorkingServer    string
	wordsWorkingChecking  string
)

// wordsIn are the kiosk's words by language: each entry points at a word
// and gives it in English and German.
var wordsIn = []struct {
	w      *string
	en, de string
}{
	{&wordsAttractTitle, "Enroll your security key", "Registrieren Sie Ihren Sicherheitsschlüssel"},
	{&wordsAttractSteps, "1  Type or scan your %s\n2  Plug in your security key\n3  Touch it when it blinks",
		"1  %s eingeben oder scannen\n2  Sicherheitsschlüssel einstecken\n3  Schlüssel berühren, wenn er blinkt"},
	{&wordsAttractStart, "Start", "Los geht’s"},
	{&wordsAttractHint, "Tap Start or just begin typing", "Tippen Sie auf „Los geht’s“ oder beginnen Sie einfach zu schreiben"},
	{&wordsUsernameTitle, "Who are you?", "Wer sind Sie?"},
	{&wordsUsernameBody, "Type or scan your %s, then press Enter.", "Geben Sie Folgendes ein oder scannen Sie es, und drücken Sie dann die Eingabetaste: %s"},
	{&wordsContinue, "Continue", "Weiter"},
	{&wordsCancel, "Cancel", "Abbrechen"},
	{&wordsInsertTitle, "Plug in your security key", "Stecken Sie Ihren Sicherheitsschlüssel ein"},
	{&wordsInsertBody, "Put your key into a USB port of this station.\nIt is found automatically.",
		"Stecken Sie Ihren Schlüssel in einen USB-Anschluss dieser Station.\nEr wird automatisch erkannt."},
	{&wordsChooseTitle, "Touch the key you want to enroll", "Berühren Sie den Schlüssel, den Sie registrieren möchten"},
	{&wordsChooseBody, "Several keys are plugged in. Touch the one you want to enroll when it blinks,\nor unplug the others.",
		"Es sind mehrere Schlüssel eingesteckt. Berühren Sie den, den Sie registrieren möchten, wenn er blinkt,\noder ziehen Sie die anderen ab."},
	{&wordsSetPINTitle, "Choose a PIN for your key", "Wählen Sie eine PIN für Ihren Schlüssel"},
	{&wordsSetPINBody, "Your key has no PIN yet. Choose one of at least %d characters (no simple patterns like 1234) and type it twice. You will need it to sign in.",
		"Ihr Schlüssel hat noch keine PIN. Wählen Sie eine mit mindestens %d Zeichen (keine einfachen Muster wie 1234) und geben Sie sie zweimal ein. Sie brauchen sie für die Anmeldung."},
	{&wordsNewPIN, "New PIN", "Neue PIN"},
	{&wordsNewPINAgain, "New PIN again", "Neue PIN wiederholen"},
	{&wordsEnterPINTitle, "Enter your key's PIN", "Geben Sie die PIN Ihres Schlüssels ein"},
	{&wordsEnterPINBody, "Type the PIN of your security key.", "Geben Sie die PIN Ihres Sicherheitsschlüssels ein."},
	{&wordsPIN, "PIN", "PIN"},
	{&wordsTouchTitle, "Touch your key now", "Berühren Sie jetzt Ihren Schlüssel"},
	{&wordsTouchBody, "Touch the metal contact or button of your key while it blinks.",
		"Berühren Sie den Metallkontakt oder die Taste Ihres Schlüssels, solange er blinkt."},
	{&wordsTouchCountdown, "%d seconds left", "Noch %d Sekunden"},
	{&wordsWorkingTitle, "One moment…", "Einen Moment…"},
	{&wordsSuccessTitle, "Your key is enrolled", "Ihr Schlüssel ist registriert"},
	{&wordsSuccessBody, "%s is ready to sign you in as %s.", "%s ist bereit, Sie als %s anzumelden."},
	{&wordsFailureTitle, "Your key was not enrolled", "Ihr Schlüssel wurde nicht registriert"},
	// An enrollment that failed after the Cloud accepted the credential
	// (ceremony.MayBeRegistered says it for the window and the CLI); it
	// takes the place of wordsHelpdesk.
	{&wordsMayBeRegistered, "Your key may already be registered: the Authentication Cloud accepted it before this went wrong. Ask the helpdesk to check before you enroll it again: code %s.",
		"Ihr Schlüssel ist vielleicht schon registriert: Die Authentication Cloud hat ihn vor dem Fehler angenommen. Lassen Sie das vom Helpdesk prüfen, bevor Sie ihn erneut registrieren: Code %s."},
	{&wordsHelpdesk, "If this happens again, call the helpdesk and give them code %s",
		"Wenn das wieder passiert, rufen Sie den Helpdesk an und nennen Sie den Code %s"},
	{&wordsDone, "Done", "Fertig"},
	{&wordsTryAgain, "Try again", "Erneut versuchen"},
	{&wordsAdminTitle, "Administrator", "Administration"},
	{&wordsAdminBody, "Enter the admin PIN to close the kiosk.", "Geben Sie die Admin-PIN ein, um den Kiosk zu schließen."},
	{&wordsAdminPIN, "Admin PIN", "Admin-PIN"},
	{&wordsAdminExit, "Close the kiosk", "Kiosk schließen"},
	// A key that cannot have a PIN: the station gives every key one (the
	// sign-in at the Cloud's relying party asks for it: user verification),
	// so it cannot enroll such a key (keydesk:key-unsupported).
	{&wordsKeyNoPIN, "This security key cannot be used here: it cannot have a PIN, and every key enrolled here needs one. Please use another security key, or ask the helpdesk.",
		"Dieser Sicherheitsschlüssel kann hier nicht verwendet werden: Er kann keine PIN haben, und jeder hier registrierte Schlüssel braucht eine. Bitte verwenden Sie einen anderen Sicherheitsschlüssel oder fragen Sie den Helpdesk."},
	{&wordsNoneTouched, "No key was touched. Unplug the keys you do not want to enroll.",
		"Kein Schlüssel wurde berührt. Ziehen Sie die Schlüssel ab, die Sie nicht registrieren möchten."},
	{&wordsDemo, "DEMO: virtual key and local test server", "DEMO: virtueller Schlüssel und lokaler Testserver"},
	{&wordsSecurityKey, "Security key", "Sicherheitsschlüssel"},
	{&wordsUsernameLabel, "username", "Benutzername"},
	{&wordsNextSteps, "Take your key with you. The next time you sign in, plug it in and touch it when asked, and enter its PIN if asked.",
		"Nehmen Sie Ihren Schlüssel mit. Stecken Sie ihn bei der nächsten Anmeldung ein, berühren Sie ihn, wenn Sie dazu aufgefordert werden, und geben Sie seine PIN ein, wenn Sie danach gefragt werden."},

	{&wordsWorkingPreparing, "Getting ready…", "Wird vorbereitet…"},
	{&wordsWorkingSetPIN, "Setting your PIN…", "Ihre PIN wird gesetzt…"},
	{&wordsWorkingServer, "Talking to the server…", "Verbindung zum Server…"},
	{&wordsWorkingChecking, "Checking your PIN…", "Ihre PIN wird geprüft…"},
}

func init() { setWords("en") }

// useLanguage puts the words of lang ("de"; anything else is English) in
// place. It writes only when the language changes, so stations of one
// language never write the words while another station reads them.
func useLanguage(lang string) {
	if lang != "de" {
		lang = "en"
	}
	if lang != wordsLanguage {
		setWords(lang)
	}
}

func setWords(lang string) {
	wordsLanguage = lang
	for _, w := range wordsIn {
		if lang == "de" {
			*w.w = w.de
		} else {
			*w.w = w.en
		}
	}
}

// tell picks the German or the English form for the terminal: what Run
// says before the station is up speaks the terminal's language
// (LANGUAGE, then LC_ALL, LC_MESSAGES, LANG) as the rest of KeyDesk's
// command line does, not a station's.
func tell(german, english string) string {
	if result.LanguageFromEnv(os.Getenv) == result.German {
		return german
	}
	return english
}

// de picks the German or the English form.
func de(german, english string) string {
	if wordsLanguage == "de" {
		return german
	}
	return english
}

func usernameWords(p station.UsernameProblem, label string) string {
	switch p {
	case station.UsernameEmpty:
		return de("Bitte geben Sie Folgendes ein: "+label+".", "Please type your "+label+".")
	case station.UsernameTooLong:
		return de("Das ist zu lang. Bitte prüfen Sie: "+label+".", "That is too long to be a "+label+".")
	case station.UsernameInvalid:
		return de("Das enthält unzulässige Zeichen. Bitte prüfen Sie: "+label+".", "That "+label+" contains characters that are not allowed.")
	case station.UsernameNoMatch:
		return de("Das ist kein gültiger Wert für „"+label+"“. Bitte prüfen Sie die Eingabe und versuchen Sie es erneut.",
			"That does not look like a "+label+". Check it and try again.")
	}
	return ""
}

func pinWords(p station.PINProblem, minLen int) string {
	switch p {
	case station.PINEmpty:
		return de("Bitte geben Sie eine PIN ein.", "Please type a PIN.")
	case station.PINTooShort:
		return fmt.Sprintf(de("Die PIN braucht mindestens %d Zeichen.", "The PIN needs at least %d characters."), minLen)
	case station.PINTooLong:
		return de("Die PIN ist zu lang.", "The PIN is too long.")
	case station.PINTrivial:
		return de("Diese PIN ist zu leicht zu erraten. Vermeiden Sie wiederholte oder aufeinanderfolgende Zeichen wie 1111 oder 1234.",
			"That PIN is too easy to guess. Avoid repeated or consecutive characters like 1111 or 1234.")
	case station.PINMismatch:
		return de("Die beiden PINs sind verschieden. Geben Sie zweimal dieselbe PIN ein.", "The two PINs are different. Type the same PIN twice.")
	case station.PINInvalid:
		return de("Die PIN enthält unzulässige Zeichen.", "The PIN contains characters that are not allowed.")
	case station.PINForbidden:
		return de("Diese PIN ist hier nicht erlaubt. Wählen Sie eine andere.", "That PIN is not allowed here. Choose another one.")
	}
	return ""
}

func retryWords(retries int) string {
	switch {
	case retries == 1:
		return de("Falsche PIN. Noch 1 Versuch, dann sperrt Ihr Schlüssel seine PIN.", "Wrong PIN. 1 try left before your key locks its PIN.")
	case retries > 1:
		return fmt.Sprintf(de("Falsche PIN. Noch %d Versuche.", "Wrong PIN. %d tries left."), retries)
	}
	return de("Falsche PIN. Versuchen Sie es erneut.", "Wrong PIN. Try again.")
}

func adminWords(v AdminVerdict, now time.Time) string {
	switch {
	case v.OK:
		return ""
	case v.Locked:
		mins := int(v.LockedUntil.Sub(now).Round(time.Minute) / time.Minute)
		if mins < 1 {
			return de("Zu viele falsche PINs. Versuchen Sie es in einer Minute erneut.", "Too many wrong PINs. Try again in a minute.")
		}
		if mins >= 120 {
			return fmt.Sprintf(de("Zu viele falsche PINs. Versuchen Sie es in %d Stunden erneut.", "Too many wrong PINs. Try again in %d hours."), (mins+30)/60)
		}
		return fmt.Sprintf(de("Zu viele falsche PINs. Versuchen Sie es in %d Minuten erneut.", "Too many wrong PINs. Try again in %d minutes."), mins)
	case v.TriesLeft == 1:
		return de("Falsche Admin-PIN. Noch 1 Versuch.", "Wrong admin PIN. 1 try left.")
	}
	return fmt.Sprintf(de("Falsche Admin-PIN. Noch %d Versuche.", "Wrong admin PIN. %d tries left."), v.TriesLeft)
}

// failureText is the catalogue's end-user text for a failure: the cause's
// when it has one, else the fido2-client code's.
func failureText(status string, cause result.Code) string {
	if cause == result.CodeKeyUnsupported {
		// The only key the station cannot use for what it lacks: one that
		// cannot have a PIN (KeyInfo.NoClientPIN).
		return wordsKeyNoPIN
	}
	if !cause.IsZero() {
		if t := result.Lookup(cause).In(wordsLanguage).Text(result.User); t != "" {
			return t
		}
	}
	return result.Lookup(result.Nevis(status)).In(wordsLanguage).Text(result.User)
}

// helpdeskCode is what the person reads out to the helpdesk: the
// fido2-client code and the cause in the form `keydesk explain` reads.
func helpdeskCode(status string, cause result.Code) string {
	if cause.IsZero() {
		return status
	}
	return status + " (" + cause.String() + ")"
}

// wordsSetPINBodyAny is the set-PIN screen's rule when kiosk.json allows
// simple patterns.
const wordsSetPINBodyAny = "Your key has no PIN yet. Choose one of at least %d characters and type it twice. You will need it to sign in."

// setPINWords is the set-PIN screen's rule: the minimum length, and the
// ban on simple patterns only when the policy in force has it.
func setPINWords(minLen int, forbidTrivial bool) string {
	if forbidTrivial {
		return fmt.Sprintf(wordsSetPINBody, minLen)
	}
	return fmt.Sprintf(wordsSetPINBodyAny, minLen)
}
