package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/protocol"
)

// This file holds the words of the CLI, each in English and German, and
// their rules (as age keeps its terminal's words in cmd/age/tui.go; the
// kiosk's are in app/kiosk/words.go). The command files hold no English
// prose: they print words from here (TestCLIWordsInOnePlace).
//
// The rules:
//   - The CLI speaks the language of its environment (LANGUAGE, then the
//     first set of LC_ALL, LC_MESSAGES, LANG): German or English. Every
//     word has its German twin (TestCLIGermanWords).
//   - --json output stays English (keys, codes, texts): scripts read it.
//     So an error made of words (word.err) is English as an error and in
//     JSON, and in the CLI's language when told to a person (localText).
//   - A failure a person reads starts "keydesk <command>:" (wordProblem),
//     then lowercase, without a final period; sentences that tell what
//     happened or what to do next are sentences.
//   - Results go to standard output; prompts, notices, failures and help
//     asked for with -h go to standard error.
//   - What the catalogue explains (a result code) is told in its words
//     (result.In), never with err.Error().
//   - The commands' summaries and the flags' helps are words too (the
//     command table and package flag hold their English, .en); the
//     commands' longer helps are help.go's table. Both are said through
//     say, which finds their German in germanCLI.

// language is the CLI's language now: "de" or "en".
func language() string { return result.LanguageFromEnv(os.Getenv) }

// say is s in the CLI's language; words without German stay English.
// It is for the help's tables (help.go, the flags' helps, the commands'
// summaries); the rest of the CLI's words are named below.
func say(s string) string {
	if language() == result.German {
		if t, ok := germanCLI[s]; ok {
			return t
		}
	}
	return s
}

// A word is one fixed text of the CLI in English and German. It may hold
// fmt verbs, filled by f or err.
type word struct{ en, de string }

// String is the word in the CLI's language.
func (w word) String() string {
	if language() == result.German {
		return w.de
	}
	return w.en
}

// f is the word in the CLI's language with its verbs filled.
func (w word) f(args ...any) string { return fmt.Sprintf(w.String(), args...) }

// err is an error made of the word: English as an error (logs, --json),
// in the CLI's language through localText. A %w verb wraps its operand.
func (w word) err(args ...any) error {
	return &wordError{w: w, args: args, en: fmt.Errorf(w.en, args...)}
}

// wordError is an error made of a word (word.err).
type wordError struct {
	w    word
	args []any
	en   error
}

func (e *wordError) Error() string { return e.en.Error() }
func (e *wordError) Unwrap() error { return errors.Unwrap(e.en) }

// local is the error in the CLI's language.
func (e *wordError) local() string {
	args := make([]any, len(e.args))
	for i, a := range e.args {
		if we, ok := a.(*wordError); ok {
			a = we.local()
		}
		args[i] = a
	}
	return fmt.Sprintf(strings.ReplaceAll(e.w.String(), "%w", "%v"), args...)
}

// localText is err as a person reads it: in the CLI's language when it
// is made of words (word.err), else its own text.
func localText(err error) string {
	var we *wordError
	if errors.As(err, &we) {
		return we.local()
	}
	return err.Error()
}

// trustWords says what an attestation's trust verdict means.
func trustWords(t protocol.Trust) string {
	switch t {
	case protocol.TrustRoot:
		return wordTrustRoot.String()
	case protocol.TrustKnownModel:
		return wordTrustKnownModel.String()
	}
	return wordTrustUntrusted.String()
}

// The account choice of a usernameless sign-in (termPrompter.ChooseAccount),
// an enrollment's attestation verdict, a getInfo member the key left out.
var (
	wordSeveralAccounts = word{"This key holds several accounts for this site:", "Dieser Schlüssel hat mehrere Konten für diese Website:"}
	wordAccountNumber   = word{"Account number (1-%d): ", "Nummer des Kontos (1-%d): "}
	wordNoAccount       = word{"No account %s: type a number from 1 to %d.\n", "Kein Konto %s: Geben Sie eine Zahl von 1 bis %d ein.\n"}
	wordSigningInAs     = word{"Signing in as %s.\n", "Anmeldung als %s.\n"}
	wordAccountN        = word{"Account %d", "Konto %d"}
	wordAttestation     = word{"Attestation: %s\n", "Beglaubigung: %s\n"}
	wordTrustRoot       = word{"trusted (its certificate leads to a root the relying party trusts)", "vertrauenswürdig (sein Zertifikat führt zu einer Wurzel, der die vertrauende Seite vertraut)"}
	wordTrustKnownModel = word{"known model, unconfirmed (the key names a model KeyDesk knows, but its certificate leads to no root the relying party trusts)", "bekanntes Modell, unbestätigt (der Schlüssel nennt ein Modell, das KeyDesk kennt, aber sein Zertifikat führt zu keiner Wurzel, der die vertrauende Seite vertraut)"}
	wordTrustUntrusted  = word{"untrusted (unknown model, certificate from an unknown root: accepted because this is the demo)", "nicht vertrauenswürdig (unbekanntes Modell, Zertifikat einer unbekannten Wurzel: nur im Demo-Modus angenommen)"}
	wordNotReported     = word{"not reported", "nicht angegeben"}
)

// A ceremony's report (signed-in account, an enrollment the Cloud had
// already accepted), approve's --authenticator-id, and settings test.
var (
	wordSignedInAs         = word{"Signed in as: %s (user ID %s)\n", "Angemeldet als: %s (Benutzer-ID %s)\n"}
	wordMayBeRegistered    = word{"  The Authentication Cloud accepted the credential, so the key may already be registered.\n  Check with a test sign-in before enrolling it again: keydesk approve --user %s\n", "  Die Authentication Cloud hat den Zugang angenommen; der Schlüssel ist also vielleicht schon registriert.\n  Prüfen Sie das mit einer Test-Anmeldung, bevor Sie ihn erneut registrieren: keydesk approve --user %s\n"}
	wordAuthIDNeedsUser    = word{"keydesk approve: --authenticator-id needs --user or --user-id", "keydesk approve: --authenticator-id braucht --user oder --user-id"}
	wordSettingsUnknown    = word{"keydesk settings: unknown command %q (want show, station or test)", "keydesk settings: unbekannter Befehl %q (erwartet: show, station oder test)"}
	wordNoInstanceDemoMode = word{"no instance configured: KeyDesk runs in demo mode", "keine Instanz eingerichtet: KeyDesk läuft im Demo-Modus"}
	wordConnectionWorks    = word{"Connection works: %s answered and accepted the access key.\n", "Die Verbindung funktioniert: %s hat geantwortet und den Zugangsschlüssel angenommen.\n"}
)

// The three kinds of station (station.go) and the settings command.
var (
	wordStationHelpdesk     = word{"helpdesk station", "Helpdesk-Station"}
	wordStationDesktop      = word{"user desktop", "Arbeitsplatz eines Benutzers"}
	wordStationKiosk        = word{"kiosk", "Kiosk"}
	wordStationDemo         = word{"demo", "Demo"}
	wordAccessKeyEnvIgnored = word{"KEYDESK_ACCESS_KEY is set, but KeyDesk ignores it: this computer is a %s, and only a helpdesk station uses the organisation's access key.\n",
		"KEYDESK_ACCESS_KEY ist gesetzt, aber KeyDesk beachtet es nicht: Dieser Rechner ist als %s eingerichtet, und nur eine Helpdesk-Station verwendet den Zugangsschlüssel der Organisation.\n"}
	wordStationRefuses = word{"keydesk %s works only on a helpdesk station; this computer is a %s, which holds no access key",
		"keydesk %s geht nur an einer Helpdesk-Station; dieser Rechner ist als %s eingerichtet und hat keinen Zugangsschlüssel"}
	wordSettingsShow = word{"Instance:    %s\nOrigin:      %s\nStation:     %s (%s)\nAccess key:  %s\n",
		"Instanz:     %s\nOrigin:      %s\nStation:     %s (%s)\nZugangsschlüssel: %s\n"}
	wordNoInstance        = word{"none (demo mode)", "keine (Demo-Modus)"}
	wordNoOrigin          = word{"not set (https://<rpId> of the instance's relying party)", "nicht gesetzt (https://<rpId> der Relying Party der Instanz)"}
	wordStationChosen     = word{"chosen in the settings", "in den Einstellungen gewählt"}
	wordStationDefault    = word{"the default of a configured instance; choose with: keydesk settings station helpdesk|desktop", "Vorgabe einer eingerichteten Instanz; wählen mit: keydesk settings station helpdesk|desktop"}
	wordStationNoInstance = word{"no instance configured", "keine Instanz eingerichtet"}
	wordKeyNotOnStation   = word{"not used on this station", "an dieser Station nicht verwendet"}
	wordKeyFrom           = word{"set (%s)", "gesetzt (%s)"}
	wordKeyMissing        = word{"missing: store it with the window's Settings (system keyring) or set KEYDESK_ACCESS_KEY", "fehlt: in den Einstellungen des Fensters speichern (System-Schlüsselbund) oder KEYDESK_ACCESS_KEY setzen"}
	wordKeyUnreadable     = word{"the system keyring cannot be read", "der System-Schlüsselbund lässt sich nicht lesen"}
	wordStationSet        = word{"This computer is now a %s.\n", "Dieser Rechner ist jetzt als %s eingerichtet.\n"}
	wordStationSetDemo    = word{"No instance is configured, so KeyDesk stays in demo mode until one is.\n", "Es ist keine Instanz eingerichtet; KeyDesk bleibt daher im Demo-Modus, bis eine eingerichtet ist.\n"}
	wordStationSetNeedKey = word{"A helpdesk station needs the access key: store it with the window's Settings (system keyring) or set KEYDESK_ACCESS_KEY.\n", "Eine Helpdesk-Station braucht den Zugangsschlüssel: in den Einstellungen des Fensters speichern (System-Schlüsselbund) oder KEYDESK_ACCESS_KEY setzen.\n"}
	wordStationWant       = word{"keydesk settings station: want one of helpdesk, desktop, kiosk", "keydesk settings station: erwartet wird helpdesk, desktop oder kiosk"}
	wordHelpdeskNeedsKey  = word{"this helpdesk station has no access key: store it with the window's Settings (it goes into the system keyring) or set KEYDESK_ACCESS_KEY", "diese Helpdesk-Station hat keinen Zugangsschlüssel: in den Einstellungen des Fensters speichern (er kommt in den System-Schlüsselbund) oder KEYDESK_ACCESS_KEY setzen"}
	wordConnectionNoKey   = word{"Connection works: %s answered. This computer (%s) holds no access key, so none was checked.\n", "Die Verbindung funktioniert: %s hat geantwortet. Dieser Rechner (%s) hat keinen Zugangsschlüssel; es wurde daher keiner geprüft.\n"}
)

// The summaries and flags of approve's --authenticator-id and settings.
var (
	wordFlagCeremonyAuthenticatorId = word{"sign in with this one `authenticator` of the user (its authenticatorId at the Cloud)", "mit genau diesem `Authenticator` des Benutzers anmelden (seine authenticatorId bei der Cloud)"}
	wordSummarySettings             = word{"show the settings and the station, choose the station, test the connection: settings [show|station|test]", "die Einstellungen und die Station zeigen, die Station wählen, die Verbindung testen: settings [show|station|test]"}
)

// touchPurposeWords is what the key waits for a touch for, as the end of
// "Touch your security key to …".
func touchPurposeWords(p ctap.TouchPurpose) string {
	switch p {
	case ctap.TouchMakeCredential:
		return wordTouchMakeCredential.String()
	case ctap.TouchGetAssertion:
		return wordTouchGetAssertion.String()
	case ctap.TouchReset:
		return wordTouchReset.String()
	}
	return wordTouchConfirm.String()
}

// stepWords names a ceremony's step in the CLI's language (the report's
// timeline); --json writes the step's own name.
func stepWords(n ceremony.StepName) string {
	if w, ok := stepNameWords[n]; ok {
		return w.String()
	}
	return string(n)
}

// stepNameWords are the words of every ceremony.StepNames.
var stepNameWords = map[ceremony.StepName]word{
	ceremony.StepCheckInput:          {"check input", "Eingabe prüfen"},
	ceremony.StepStartEnrollment:     {"start enrollment", "Registrierung starten"},
	ceremony.StepCheckAuthenticators: {"check authenticators", "Authenticators prüfen"},
	ceremony.StepFindKey:             {"find security key", "Sicherheitsschlüssel suchen"},
	ceremony.StepMakeCredential:      {"create credential on key", "Zugang auf dem Schlüssel anlegen"},
	ceremony.StepSendAttestation:     {"send attestation", "Attestierung senden"},
	ceremony.StepStartApproval:       {"start approval", "Anmeldung starten"},
	ceremony.StepGetAssertion:        {"get assertion from key", "Assertion vom Schlüssel holen"},
	ceremony.StepSendAssertion:       {"send assertion", "Assertion senden"},
	ceremony.StepPollStatus:          {"poll status", "Status abfragen"},
	ceremony.StepIntrospectToken:     {"introspect token", "Token prüfen"},
}

// The CLI's words, by the file that says them.
var (
	// Every command.
	wordProblem       = word{"keydesk %s: %v\n", "keydesk %s: %v\n"}
	wordUsageProblem  = word{"keydesk %s: %v", "keydesk %s: %v"}
	wordFailure       = word{"keydesk: %s\n", "keydesk: %s\n"}
	wordUnexpectedArg = word{"keydesk %s: unexpected argument %q", "keydesk %s: unerwartetes Argument %q"}

	// cli.go.
	wordUnknownCommand = word{"keydesk: unknown command %q\n\n", "keydesk: unbekannter Befehl %q\n\n"}
	wordNoDisplay      = word{"keydesk: the window needs a graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set).\nEverything the window does is also a command: see 'keydesk help'.",
		"keydesk: Das Fenster braucht eine grafische Sitzung (weder DISPLAY noch WAYLAND_DISPLAY ist gesetzt).\nAlles, was das Fenster kann, gibt es auch als Befehl: siehe „keydesk help“."}

	// help.go.
	wordHelpTitle    = word{"KeyDesk: a companion for FIDO2 security keys.", "KeyDesk: ein Begleiter für FIDO2-Sicherheitsschlüssel."}
	wordUsage        = word{"Usage:", "Aufruf:"}
	wordFlags        = word{"Flags:", "Optionen:"}
	wordCommandFlags = word{"COMMAND [flags]", "BEFEHL [Optionen]"}
	wordOpenWindow   = word{"open the KeyDesk window", "das KeyDesk-Fenster öffnen"}
	wordRunCommand   = word{"run a command (COMMAND -h for its flags)", "einen Befehl ausführen (BEFEHL -h zeigt seine Optionen)"}
	wordCommands     = word{"Commands:", "Befehle:"}
	wordLanguages    = word{"KeyDesk speaks German or English, as the environment's LANGUAGE (or LC_ALL, LC_MESSAGES, LANG) says; --json output is always English.",
		"KeyDesk spricht Deutsch oder Englisch, wie es LANGUAGE (oder LC_ALL, LC_MESSAGES, LANG) der Umgebung angibt; die Ausgabe mit --json ist immer Englisch."}
	wordUnknownFlag    = word{"unknown flag %s", "unbekannte Option %s"}
	wordFlagNeedsValue = word{"flag %s needs a value", "der Option %s fehlt ihr Wert"}
	wordDefault        = word{"(default %s)", "(Standard: %s)"}
	wordValue          = word{"value", "Wert"}

	// ceremony.go: enroll and approve, and their report.
	wordUserRequired = word{"keydesk enroll: --user is required", "keydesk enroll: --user ist Pflicht"}
	wordCause        = word{"Cause: %s\n  %s\n  What to do: %s\n", "Ursache: %s\n  %s\n  Was zu tun ist: %s\n"}
	wordTimeline     = word{"\nTimeline:", "\nAblauf:"}

	// session.go.
	wordDemoInstead = word{"--demo: using the built-in Authentication Cloud emulator INSTEAD OF the configured instance %s, and KeyDesk's virtual key. Nothing is sent to that instance.\n",
		"--demo: Statt der eingerichteten Instanz %s werden der eingebaute Authentication-Cloud-Emulator und KeyDesks virtueller Schlüssel verwendet. An diese Instanz wird nichts gesendet.\n"}
	wordDemoNoInstance = word{"No Authentication Cloud instance configured: demo mode (local emulator and KeyDesk's virtual key).",
		"Keine Authentication-Cloud-Instanz eingerichtet: Demo-Modus (lokaler Emulator und KeyDesks virtueller Schlüssel)."}

	// prompt.go and secret.go: PINs and touches.
	wordWrongPIN     = word{"Wrong PIN. %s\n", "Falsche PIN. %s\n"}
	wordChoosePIN    = word{"This key has no PIN yet and the site requires one. Choose a PIN of at least %d characters.\n", "Dieser Schlüssel hat noch keine PIN, und die Website verlangt eine. Wählen Sie eine PIN mit mindestens %d Zeichen.\n"}
	wordPIN          = word{"PIN", "PIN"}
	wordCurrentPIN   = word{"Current PIN", "Aktuelle PIN"}
	wordPINPrompt    = word{"%s: ", "%s: "}
	wordPINOneTry    = word{"%s (1 try left): ", "%s (noch 1 Versuch): "}
	wordPINTries     = word{"%s (%d tries left): ", "%s (noch %d Versuche): "}
	wordLastTry      = word{"1 try left before the key blocks its PIN.", "Noch 1 Versuch, dann sperrt der Schlüssel seine PIN."}
	wordTriesLeft    = word{"%d tries left.", "Noch %d Versuche."}
	wordPINAuthBlock = word{"After three wrong PINs in a row the key refuses its PIN until you remove it and plug it in again. Do that, then try again.",
		"Nach drei falschen PINs in Folge nimmt der Schlüssel seine PIN erst wieder an, wenn Sie ihn abziehen und wieder einstecken. Tun Sie das und versuchen Sie es dann erneut."}
	wordPINBlocked = word{"the PIN is blocked: only a factory reset ('keydesk reset') makes the key usable again, and it erases every credential on it",
		"Die PIN ist gesperrt: Nur ein Zurücksetzen auf Werkseinstellungen ('keydesk reset') macht den Schlüssel wieder nutzbar, und es löscht alle Zugangsdaten darauf."}
	wordTouch               = word{"Touch your security key to %s (within %d s)...\n", "Berühren Sie Ihren Sicherheitsschlüssel, um %s (innerhalb von %d s)...\n"}
	wordTouchMakeCredential = word{"create a credential", "einen Zugang anzulegen"}
	wordTouchGetAssertion   = word{"sign in", "sich anzumelden"}
	wordTouchReset          = word{"reset", "ihn zurückzusetzen"}
	wordTouchConfirm        = word{"confirm", "zu bestätigen"}
	wordNewPIN              = word{"New PIN: ", "Neue PIN: "}
	wordNewPINAgain         = word{"New PIN again: ", "Neue PIN wiederholen: "}
	wordPINsDiffer          = word{"the two PINs differ", "Die beiden PINs sind verschieden."}
	wordReadPINFailed       = word{"reading the PIN failed", "Die PIN konnte nicht gelesen werden."}
	wordNoPINOnStdin        = word{"no PIN on standard input", "Keine PIN auf der Standardeingabe."}
	wordLineTooLong         = word{"line too long", "Zeile zu lang"}

	// devices.go: the keys and the commands that manage one.
	wordCancelling   = word{"\nCancelling. Press Ctrl-C again to quit at once.", "\nAbbruch. Drücken Sie erneut Strg-C, um sofort zu beenden."}
	wordInterrupted  = word{"keydesk: interrupted", "keydesk: unterbrochen"}
	wordCtrlC        = word{"interrupted (Ctrl-C)", "unterbrochen (Strg-C)"}
	wordPlugIn       = word{"Plug in your security key (or tap it on the reader) and try again.", "Stecken Sie Ihren Sicherheitsschlüssel ein (oder halten Sie ihn an das Lesegerät) und versuchen Sie es erneut."}
	wordNoKeyHelp    = word{noKeyHelp, noKeyHelpDE}
	wordSeveralKeys  = word{"%d keys are connected (%s): choose one with --device", "%d Schlüssel sind angeschlossen (%s): Wählen Sie einen mit --device"}
	wordStartVirtual = word{"starting the virtual key: %w", "Start des virtuellen Schlüssels: %w"}
	wordUsingVirtual = word{"No security key found: using KeyDesk's virtual key (demo mode).", "Kein Sicherheitsschlüssel gefunden: KeyDesks virtueller Schlüssel wird verwendet (Demo-Modus)."}
	wordListsVirtual = word{"No security key found: KeyDesk's virtual key is listed (demo mode).", "Kein Sicherheitsschlüssel gefunden: KeyDesks virtueller Schlüssel wird aufgeführt (Demo-Modus)."}
	wordNoKeyFound   = word{"No security key found.", "Kein Sicherheitsschlüssel gefunden."}
	wordNoKeyAt      = word{"no security key at %s: it was unplugged or the path is wrong; run 'keydesk devices'", "kein Sicherheitsschlüssel unter %s: Er wurde abgezogen oder der Pfad ist falsch; führen Sie 'keydesk devices' aus"}
	wordDevicesHead  = word{"PATH\tMANUFACTURER\tPRODUCT\tKIND", "PFAD\tHERSTELLER\tPRODUKT\tART"}
	wordHardware     = word{"hardware", "Hardware"}
	wordVirtual      = word{"virtual", "virtuell"}
	wordHasPIN       = word{"this key already has a PIN: use 'keydesk pin change'", "Dieser Schlüssel hat schon eine PIN: Verwenden Sie 'keydesk pin change'"}
	wordHasNoPIN     = word{"this key has no PIN yet: use 'keydesk pin set'", "Dieser Schlüssel hat noch keine PIN: Verwenden Sie 'keydesk pin set'"}
	wordCredsNeedPIN = word{"managing credentials needs the key's PIN, and this key has none: set one with 'keydesk pin set'", "Die Verwaltung der Zugänge braucht die PIN des Schlüssels, und dieser hat keine: Setzen Sie eine mit 'keydesk pin set'"}
	wordBadCredID    = word{"keydesk: --id must be a credential ID in base64url, as 'keydesk credentials list' prints it", "keydesk: --id muss eine Zugangs-ID in base64url sein, wie 'keydesk credentials list' sie ausgibt"}
	wordSlots        = word{"%s, room for %d more.\n", "%s, Platz für %d weitere.\n"}
	wordCredOne      = word{"%d discoverable credential", "%d auffindbarer Zugang"}
	wordCredMany     = word{"%d discoverable credentials", "%d auffindbare Zugänge"}
	wordCredsHead    = word{"RP\tUSER\tDISPLAY NAME\tALG\tCREDENTIAL ID", "RP\tBENUTZER\tANZEIGENAME\tALG\tZUGANGS-ID"}
	wordResetConfirm = word{"Resetting %s erases every credential on it and its PIN. Accounts that use this key will no longer accept it.\nType RESET to go on: ",
		"Das Zurücksetzen von %s löscht alle Zugänge darauf und seine PIN. Konten, die diesen Schlüssel verwenden, akzeptieren ihn danach nicht mehr.\nGeben Sie RESET ein, um fortzufahren: "}
	wordNotReset    = word{"Not reset: the confirmation was not RESET", "Nicht zurückgesetzt: Die Bestätigung war nicht RESET"}
	wordResetReplug = word{"The key allows a reset only in the first seconds after it is plugged in: unplug it, plug it back in, and run 'keydesk reset' again at once.",
		"Der Schlüssel lässt sich nur in den ersten Sekunden nach dem Einstecken zurücksetzen: Ziehen Sie ihn ab, stecken Sie ihn wieder ein und führen Sie sofort erneut „keydesk reset“ aus."}
	wordResetDone     = word{"Key reset: it has no credentials and no PIN.", "Schlüssel zurückgesetzt: keine Zugänge und keine PIN."}
	wordPINSet        = word{"PIN set.", "PIN gesetzt."}
	wordPINChanged    = word{"PIN changed.", "PIN geändert."}
	wordCredDeleted   = word{"Credential deleted.", "Zugang gelöscht."}
	wordNoPINSupport  = word{"This key cannot have a PIN.", "Dieser Schlüssel kann keine PIN haben."}
	wordNoCredMgmt    = word{"This key cannot list or delete its credentials: it has no credential management.", "Dieser Schlüssel kann seine Zugänge nicht auflisten oder löschen: Er hat keine Zugangsverwaltung."}
	wordNoResetFIDO2  = word{"This key cannot be reset through FIDO2.", "Dieser Schlüssel lässt sich nicht über FIDO2 zurücksetzen."}
	wordLacksPIN      = word{"the key cannot have a PIN (no clientPin option)", "der Schlüssel kann keine PIN haben (keine Option clientPin)"}
	wordLacksCredMgmt = word{"the key has no credential management (credMgmt, credentialMgmtPreview)", "der Schlüssel hat keine Zugangsverwaltung (credMgmt, credentialMgmtPreview)"}
	wordLacksCTAP2    = word{"the key speaks no CTAP2 version", "der Schlüssel spricht keine CTAP2-Version"}
	wordRetries       = word{"set, %s left", "gesetzt, %s übrig"}
	wordRetryOne      = word{"%d retry", "%d Versuch"}
	wordRetryMany     = word{"%d retries", "%d Versuche"}
	wordYes           = word{"yes", "ja"}
	wordNo            = word{"no", "nein"}
	wordPINNoSupport  = word{"not supported", "nicht unterstützt"}
	wordPINNotSet     = word{"not set", "nicht gesetzt"}
	wordPINIsSet      = word{"set", "gesetzt"}
	wordInfoPath      = word{"Path", "Pfad"}
	wordInfoAAGUID    = word{"AAGUID", "AAGUID"}
	wordInfoVersions  = word{"Versions", "Versionen"}
	wordInfoExt       = word{"Extensions", "Erweiterungen"}
	wordInfoTransp    = word{"Transports", "Transportwege"}
	wordInfoAlgs      = word{"Algorithms", "Algorithmen"}
	wordInfoOptions   = word{"Options", "Optionen"}
	wordInfoProtocols = word{"PIN/UV protocols", "PIN/UV-Protokolle"}
	wordInfoCredMgmt  = word{"Credential management", "Zugangsverwaltung"}
	wordInfoConfig    = word{"Authenticator config", "Authenticator-Konfiguration"}
	wordInfoMinPIN    = word{"Min PIN length", "Mindestlänge der PIN"}
	wordInfoMaxMsg    = word{"Max message size", "Größte Nachricht"}
	wordInfoMaxList   = word{"Max credentials in list", "Höchstens Zugänge je Liste"}
	wordInfoMaxCredID = word{"Max credential ID length", "Größte Länge einer Zugangs-ID"}
	wordInfoSlots     = word{"Discoverable slots left", "Freie Plätze für auffindbare Zugänge"}
	wordInfoFirmware  = word{"Firmware", "Firmware"}
	wordInfoPINChange = word{"PIN change required", "PIN-Änderung verlangt"}
	wordInfoProtocol  = word{"Protocol", "Protokoll"}
	wordInfoU2FOnly   = word{"U2F (CTAP1) only", "nur U2F (CTAP1)"}

	// codes.go.
	wordUnknownSource = word{"keydesk codes: unknown source %q (want one of %s)", "keydesk codes: unbekannte Quelle %q (erwartet: eine von %s)"}
	wordUnknownFormat = word{"keydesk codes: unknown format %q (want md or json)", "keydesk codes: unbekanntes Format %q (erwartet: md oder json)"}

	// explain.go.
	wordCodesOrFile   = word{"keydesk explain: give codes or --file, not both", "keydesk explain: Codes oder --file angeben, nicht beides"}
	wordCodesNeeded   = word{"keydesk explain: give codes, - or --file", "keydesk explain: Codes, - oder --file angeben"}
	wordExplainFailed = word{"explain: %w", "explain: %w"}
	wordNoStdin       = word{"no standard input", "keine Standardeingabe"}
	wordReadingInput  = word{"reading input: %w", "Lesen der Eingabe: %w"}
	wordInputTooLarge = word{"input larger than %d bytes", "Eingabe größer als %d Bytes"}

	// emulator.go.
	wordEmulatorFailed    = word{"emulator: %w", "Emulator: %w"}
	wordEmulatorListening = word{"Authentication Cloud emulator listening\n", "Authentication-Cloud-Emulator bereit\n"}
	wordEmulatorURL       = word{"  instance URL: %s\n", "  Instanz-URL:  %s\n"}
	wordEmulatorAPI       = word{"  API base:     %s/api/v1\n", "  API-Basis:    %s/api/v1\n"}
	wordEmulatorOrigin    = word{"  origin:       %s (RP ID %s)\n", "  Origin:       %s (RP-ID %s)\n"}
	wordEmulatorKey       = word{"  access key:   %s\n", "  Zugangsschlüssel: %s\n"}
	wordEmulatorKeyMade   = word{"                (generated for this run: a local test key, not a Cloud key;\n                 set KEYDESK_ACCESS_KEY to choose one)\n",
		"                (für diesen Lauf erzeugt: ein lokaler Testschlüssel, kein Cloud-Schlüssel;\n                 KEYDESK_ACCESS_KEY wählt einen)\n"}
	wordEmulatorKeyEnv = word{"  access key:   from KEYDESK_ACCESS_KEY\n", "  Zugangsschlüssel: aus KEYDESK_ACCESS_KEY\n"}
	wordEmulatorState  = word{"  state file:   %s\n", "  Zustandsdatei: %s\n"}
	wordEmulatorStop   = word{"Press Ctrl-C to stop.\n", "Strg-C beendet ihn.\n"}
	wordEmulatorDone   = word{"emulator stopped", "Emulator beendet"}

	// kiosk.go.
	wordKioskUnknown   = word{"keydesk kiosk: unknown command %q (want run, journal or admin-pin)\n", "keydesk kiosk: unbekannter Befehl %q (erwartet: run, journal oder admin-pin)\n"}
	wordKioskFormat    = word{"keydesk kiosk journal: unknown format %q (want jsonl or csv)\n", "keydesk kiosk journal: unbekanntes Format %q (erwartet: jsonl oder csv)\n"}
	wordKioskNoJournal = word{"keydesk kiosk journal: the journal could not be read: %v\n", "keydesk kiosk journal: Das Journal konnte nicht gelesen werden: %v\n"}
	wordKioskSince     = word{"-since %q is neither a time (2006-01-02 or RFC 3339) nor a duration (24h)", "-since %q ist weder ein Zeitpunkt (2006-01-02 oder RFC 3339) noch eine Dauer (24h)"}
	wordAdminPIN       = word{"New admin PIN: ", "Neue Admin-PIN: "}
	wordAdminPINAgain  = word{"New admin PIN again: ", "Neue Admin-PIN wiederholen: "}
	wordAdminPINShort  = word{"keydesk kiosk admin-pin: the admin PIN needs at least %d characters\n", "keydesk kiosk admin-pin: Die Admin-PIN braucht mindestens %d Zeichen.\n"}
	wordAdminNotSaved  = word{"keydesk kiosk admin-pin: the settings could not be saved: %v\n", "keydesk kiosk admin-pin: Die Einstellungen konnten nicht gespeichert werden: %v\n"}
	wordAdminPINSet    = word{"Admin PIN set (stored hashed in %s).\n", "Admin-PIN gesetzt (als Hash gespeichert in %s).\n"}

	// webauthn.go.
	wordWebAuthnNeeds  = word{"keydesk webauthn: --options and --origin are required", "keydesk webauthn: --options und --origin sind Pflicht"}
	wordBadCreation    = word{"the options are not valid creation options JSON: %v", "die Optionen sind kein gültiges JSON mit Optionen zum Anlegen: %v"}
	wordBadRequest     = word{"the options are not valid request options JSON: %v", "die Optionen sind kein gültiges JSON mit Optionen zum Anmelden: %v"}
	wordReadingOptions = word{"reading the options: %v", "Lesen der Optionen: %v"}
	wordOptionsTooBig  = word{"the options are larger than %d bytes", "die Optionen sind größer als %d Bytes"}
)

// The helpdesk commands (helpdesk.go): user, authenticator, logs.
var (
	wordEmulatorBadRPStyle                              = word{"keydesk emulator: --rp-style %q: want %s or %s", "keydesk emulator: --rp-style %q: erwartet %s oder %s"}
	wordHelpdeskID                                      = word{"ID", "ID"}
	wordHelpdeskUserNameOneUserA                        = word{"keydesk user: name one user: a username or a user ID", "keydesk user: Nennen Sie einen Benutzer: einen Benutzernamen oder eine Benutzer-ID"}
	wordHelpdeskUserDeleteWithJsonConfirm               = word{"keydesk user delete: with --json, confirm with --confirm USERNAME", "keydesk user delete: Mit --json bestätigen Sie mit --confirm BENUTZERNAME"}
	wordHelpdeskDeletingRemovesTheUserAnd               = word{"Deleting %s removes the user and its %d authenticators at the Cloud; nobody can sign in as this user any more.\nType the username (%s) to delete it: ", "Das Löschen von %s entfernt den Benutzer und seine %d Authenticatoren in der Cloud; niemand kann sich danach mehr als dieser Benutzer anmelden.\nTippen Sie den Benutzernamen (%s) ein, um ihn zu löschen: "}
	wordHelpdeskNotDeletedTheTypedUsername              = word{"not deleted: the typed username does not match", "nicht gelöscht: Der eingetippte Benutzername stimmt nicht überein"}
	wordHelpdeskUserDeleted                             = word{"User %s deleted.\n", "Benutzer %s gelöscht.\n"}
	wordHelpdeskUserUnknownSubCommandShow               = word{"keydesk user: unknown sub-command %q (show or delete)", "keydesk user: unbekannter Unterbefehl %q (show oder delete)"}
	wordHelpdeskUsername                                = word{"Username", "Benutzername"}
	wordHelpdeskUserId                                  = word{"User ID", "Benutzer-ID"}
	wordHelpdeskState                                   = word{"State", "Zustand"}
	wordHelpdeskCreated                                 = word{"Created", "Angelegt"}
	wordHelpdeskLastSuccessfulSignIn                    = word{"Last successful sign-in", "Letzte erfolgreiche Anmeldung"}
	wordHelpdeskLastFailedSignIn                        = word{"Last failed sign-in", "Letzte fehlgeschlagene Anmeldung"}
	wordHelpdeskRateLimit                               = word{"Rate limit", "Ratenbegrenzung"}
	wordHelpdeskNotReportedByTheCloud                   = word{"not reported by the Cloud (a rate-limited call fails with HTTP 429)", "von der Cloud nicht angegeben (ein begrenzter Aufruf scheitert mit HTTP 429)"}
	wordHelpdeskAuthenticators                          = word{"Authenticators: %d", "Authenticatoren: %d"}
	wordHelpdeskName                                    = word{"Name", "Name"}
	wordHelpdeskType                                    = word{"Type", "Typ"}
	wordHelpdeskEnrolled                                = word{"Enrolled", "Registriert"}
	wordHelpdeskUpdated                                 = word{"Updated", "Geändert"}
	wordHelpdeskAuthenticatorUnknownSubCommandRename    = word{"keydesk authenticator: unknown sub-command %q (rename or delete)", "keydesk authenticator: unbekannter Unterbefehl %q (rename oder delete)"}
	wordHelpdeskAuthenticatorRenameTakesAnAuthenticator = word{"keydesk authenticator: rename takes an authenticator ID and the new name; delete takes an authenticator ID", "keydesk authenticator: rename erwartet eine Authenticator-ID und den neuen Namen, delete eine Authenticator-ID"}
	wordHelpdeskAuthenticatorRenamed                    = word{"Authenticator renamed: %s\n", "Authenticator umbenannt: %s\n"}
	wordHelpdeskAuthenticatorDeletedTheUserCan          = word{"Authenticator deleted: the user can no longer sign in with it.", "Authenticator gelöscht: Der Benutzer kann sich nicht mehr damit anmelden."}
	wordHelpdeskLogsExportNoArgumentsOnly               = word{"keydesk logs export: no arguments, only flags", "keydesk logs export: keine Argumente, nur Optionen"}
	wordHelpdeskLogsExportIsNeitherA                    = word{"keydesk logs export: %q is neither a time (2006-01-02 or RFC 3339) nor a duration (24h)", "keydesk logs export: %q ist weder ein Zeitpunkt (2006-01-02 oder RFC 3339) noch eine Dauer (24h)"}
	wordHelpdeskLogsUnknownSubCommandExport             = word{"keydesk logs: unknown sub-command %q (export)", "keydesk logs: unbekannter Unterbefehl %q (export)"}
	wordHelpdeskNameASubCommandFirst                    = word{"keydesk %s: name a sub-command first", "keydesk %s: Nennen Sie zuerst einen Unterbefehl"}
	wordHelpdeskEvents                                  = word{"Events: %d", "Ereignisse: %d"}
	wordHelpdeskTimeUtc                                 = word{"Time (UTC)", "Zeit (UTC)"}
	wordHelpdeskEvent                                   = word{"Event", "Ereignis"}
	wordHelpdeskOutcome                                 = word{"Outcome", "Ergebnis"}
	wordHelpdeskChannel                                 = word{"Channel", "Kanal"}
	wordHelpdeskUser                                    = word{"User", "Benutzer"}
	wordHelpdeskPerDayUtcSucceededFailed                = word{"Per day (UTC): succeeded / failed / other", "Pro Tag (UTC): erfolgreich / fehlgeschlagen / sonstige"}
)

// The helpdesk commands' summaries and flags (said through say).
var (
	wordSummaryUser          = word{"show or delete a user at the Authentication Cloud: user show|delete", "einen Benutzer bei der Authentication Cloud anzeigen oder löschen: user show|delete"}
	wordSummaryAuthenticator = word{"rename or delete a user's authenticator at the Cloud: authenticator rename|delete", "einen Authenticator eines Benutzers in der Cloud umbenennen oder löschen: authenticator rename|delete"}
	wordSummaryLogs          = word{"export the Cloud's audit log for a user or a time range: logs export", "das Audit-Log der Cloud für einen Benutzer oder einen Zeitraum exportieren: logs export"}
	wordFlagUserConfirm      = word{"the `username` of the user to delete, typed again to confirm (for scripts)", "der `Benutzername` des zu löschenden Benutzers, zur Bestätigung noch einmal angegeben (für Skripte)"}
	wordFlagLogsUser         = word{"only the events of this `user` (username or user ID)", "nur die Ereignisse dieses `Benutzers` (Benutzername oder Benutzer-ID)"}
	wordFlagLogsSince        = word{"events from `T` on: a time (RFC 3339), a date (2006-01-02) or a duration back from now (24h)", "Ereignisse ab `T`: ein Zeitpunkt (RFC 3339), ein Datum (2006-01-02) oder eine Dauer zurück ab jetzt (24h)"}
	wordFlagLogsUntil        = word{"events up to `T`: a time (RFC 3339), a date (2006-01-02) or a duration back from now (24h)", "Ereignisse bis `T`: ein Zeitpunkt (RFC 3339), ein Datum (2006-01-02) oder eine Dauer zurück ab jetzt (24h)"}
	wordFlagLogsStatus       = word{"only events with this `status`: succeeded or failed", "nur Ereignisse mit diesem `Status`: succeeded oder failed"}
)

// The enrollment passes (pass.go, and enroll/approve --pass in ceremony.go).
var (
	wordPassUnknownSub        = word{"keydesk pass: unknown sub-command %q (issue or list)", "keydesk pass: unbekannter Unterbefehl %q (issue oder list)"}
	wordPassRecordUnreadable  = word{"the record of issued passes %s is not readable", "die Liste der ausgestellten Pässe %s ist nicht lesbar"}
	wordPassUserOrUsers       = word{"keydesk pass issue: give --user NAME or --users FILE", "keydesk pass issue: --user NAME oder --users DATEI angeben"}
	wordPassUsersNeedsDir     = word{"keydesk pass issue: --users needs --out DIR (one pass file per person)", "keydesk pass issue: --users braucht --out ORDNER (eine Passdatei pro Person)"}
	wordPassUsersNoDisplay    = word{"keydesk pass issue: --display-name is for one person; put display names into the list's second column", "keydesk pass issue: --display-name gilt für eine Person; Anzeigenamen gehören in die zweite Spalte der Liste"}
	wordPassExpiresRange      = word{"keydesk pass issue: --expires must be more than 0 and at most %v", "keydesk pass issue: --expires muss größer als 0 und höchstens %v sein"}
	wordPassNoLetterYet       = word{"keydesk pass issue: --out %s: this KeyDesk does not make the printable letter or the QR code yet; write the pass to a text file or to - (standard output)", "keydesk pass issue: --out %s: Dieses KeyDesk erstellt den Druckbrief und den QR-Code noch nicht; schreiben Sie den Pass in eine Textdatei oder nach - (Standardausgabe)"}
	wordPassRecordNotSaved    = word{"keydesk: the station's record of passes was not updated: %s\n", "keydesk: Die Pass-Liste der Station wurde nicht aktualisiert: %s\n"}
	wordPassIssued            = word{"Pass %s for %s (%s), valid until %s.\n", "Pass %s für %s (%s), gültig bis %s.\n"}
	wordPassWritten           = word{"Written to %s (readable by you only).\n", "Geschrieben nach %s (nur für Sie lesbar).\n"}
	wordPassTreatLikePassword = word{"Treat the pass like a password: it enrolls a security key for this person until it is used or expires.",
		"Behandeln Sie den Pass wie ein Passwort: Er registriert einen Sicherheitsschlüssel für diese Person, bis er verwendet wurde oder abläuft."}
	wordPassApproveNeedsUser      = word{"a pass with a test sign-in can only be issued for a user who is already registered, and %s is not: issue the pass without --approve", "ein Pass mit Test-Anmeldung kann nur für einen bereits registrierten Benutzer ausgestellt werden, und %s ist es nicht: stellen Sie den Pass ohne --approve aus"}
	wordPassUsersCSVBad           = word{"%s: line %d is not readable CSV", "%s: Zeile %d ist kein lesbares CSV"}
	wordPassUsersCSVLine          = word{"%s: line %d: %s", "%s: Zeile %d: %s"}
	wordPassUsersCSVEmpty         = word{"%s: the list names nobody", "%s: die Liste nennt niemanden"}
	wordPassBulkFailed            = word{"keydesk pass issue: %s: no pass: %s\n", "keydesk pass issue: %s: kein Pass: %s\n"}
	wordPassBulkDone              = word{"%d passes written to %s (summary.csv lists them); %d failed.\n", "%d Pässe nach %s geschrieben (summary.csv listet sie auf); %d fehlgeschlagen.\n"}
	wordPassListNoLookup          = word{"keydesk pass list: the users cannot be looked up (%s), so whether a pass was redeemed is not shown\n", "keydesk pass list: Die Benutzer können nicht nachgeschlagen werden (%s), daher wird nicht gezeigt, ob ein Pass eingelöst wurde\n"}
	wordPassListEmpty             = word{"This station has issued no passes.", "Diese Station hat keine Pässe ausgestellt."}
	wordPassListHeader            = word{"PASS ID\tUSER\tFOR\tISSUED\tEXPIRES\tSTATE", "PASS-ID\tBENUTZER\tFÜR\tAUSGESTELLT\tGÜLTIG BIS\tZUSTAND"}
	wordPassUnknown               = word{"unknown", "unbekannt"}
	wordPassOpen                  = word{"not redeemed", "nicht eingelöst"}
	wordPassRedeemed              = word{"redeemed (new authenticator)", "eingelöst (neuer Authenticator)"}
	wordPassExpired               = word{"expired", "abgelaufen"}
	wordPassOpEnroll              = word{"enroll", "registrieren"}
	wordPassOpApprove             = word{"test sign-in", "Test-Anmeldung"}
	wordPassNoUserWithPass        = word{"keydesk %s: the pass names the person: do not give --user, --display-name, --user-id or --authenticator-id with --pass", "keydesk %s: Der Pass nennt die Person: --user, --display-name, --user-id oder --authenticator-id nicht zusammen mit --pass angeben"}
	wordPassRegisteredOrgConfirms = word{"Registered for %s — your organisation confirms it. This computer holds no access key, so it cannot ask the Authentication Cloud to confirm the transaction; your helpdesk sees the new key.\n",
		"Für %s registriert – Ihre Organisation bestätigt es. Dieser Computer hat keinen Zugangsschlüssel und kann die Authentication Cloud daher nicht um eine Bestätigung des Vorgangs bitten; Ihr Helpdesk sieht den neuen Schlüssel.\n"}
	wordPassSignedInOrgConfirms = word{"Signed in as %s — your organisation confirms it (this computer holds no access key and cannot ask the Authentication Cloud to confirm the transaction).\n",
		"Angemeldet als %s – Ihre Organisation bestätigt es (dieser Computer hat keinen Zugangsschlüssel und kann die Authentication Cloud nicht um eine Bestätigung des Vorgangs bitten).\n"}
	wordPassUsed          = word{"Pass: %s\n", "Pass: %s\n"}
	wordPassHandoffAlone  = word{"keydesk pass issue: --handoff is for one person, an enrollment only, and lives as long as the enrollment: not with --users, --approve or --expires", "keydesk pass issue: --handoff gilt für eine Person, nur zum Registrieren, und so lange wie die Registrierung: nicht mit --users, --approve oder --expires"}
	wordPassHandoffNoDemo = word{"a hand-off lives only as long as the emulator that started it, and each demo command runs its own: in demo mode issue a pass without --handoff", "eine Übergabe lebt nur so lange wie der Emulator, der sie gestartet hat, und jeder Demo-Befehl startet seinen eigenen: im Demo-Modus einen Pass ohne --handoff ausstellen"}

	wordSummaryPass       = word{"enrollment passes: pass issue (helpdesk) | pass list", "Registrierungspässe: pass issue (Helpdesk) | pass list"}
	wordFlagPassUser      = word{"the `username` the pass is for", "der `Benutzername`, für den der Pass gilt"}
	wordFlagPassUsers     = word{"a CSV `file` of people (username[,display name]), one pass each", "eine CSV-`Datei` mit Personen (Benutzername[,Anzeigename]), je ein Pass"}
	wordFlagPassApprove   = word{"add a test sign-in to the pass (for a user who is already registered)", "dem Pass eine Test-Anmeldung hinzufügen (für einen bereits registrierten Benutzer)"}
	wordFlagPassExpires   = word{"how long the pass is valid (`duration`, at most 720h)", "wie lange der Pass gilt (`Dauer`, höchstens 720h)"}
	wordFlagPassOut       = word{"write the pass to this `file` (- or none: standard output); with --users a folder", "den Pass in diese `Datei` schreiben (- oder keine: Standardausgabe); mit --users ein Ordner"}
	wordFlagPassHandoff   = word{"hand over an enrollment this station starts now (for an instance that refuses intent tokens for FIDO2): redeem it within the enrollment's time", "eine Registrierung übergeben, die diese Station jetzt startet (für eine Instanz, die keine Intent-Tokens für FIDO2 annimmt): innerhalb der Zeit der Registrierung einlösen"}
	wordFlagCeremonyPass  = word{"enroll with this enrollment pass (`file`, or - for standard input): the person comes from the pass, and no access key is used", "mit diesem Registrierungspass registrieren (`Datei`, oder - für die Standardeingabe): Die Person kommt aus dem Pass, und es wird kein Zugangsschlüssel verwendet"}
	wordFlagCeremonyPass2 = word{"test the sign-in with this enrollment pass (`file`, or - for standard input); no access key is used", "die Anmeldung mit diesem Registrierungspass testen (`Datei`, oder - für die Standardeingabe); es wird kein Zugangsschlüssel verwendet"}
)

// The help's table words: the commands' summaries and the flags' helps.
// The command table and package flag keep their English (.en); say finds
// their German, put in germanCLI at init.
var (
	wordSummaryEnroll           = word{"register a security key for a user at the Authentication Cloud", "einen Sicherheitsschlüssel für einen Benutzer bei der Authentication Cloud registrieren"}
	wordSummaryApprove          = word{"sign a user in with a security key (test sign-in)", "einen Benutzer mit einem Sicherheitsschlüssel anmelden (Test-Anmeldung)"}
	wordFlagCeremonyUser        = word{"the `username` to enroll (required)", "der zu registrierende `Benutzername` (Pflicht)"}
	wordFlagCeremonyDisplayName = word{"the user's display `name`", "der `Anzeigename` des Benutzers"}
	wordFlagCeremonyKeyName     = word{"a `name` for the key at the Cloud (default: the key's product name)", "ein `Name` für den Schlüssel in der Cloud (Standard: der Produktname des Schlüssels)"}
	wordFlagCeremonyUser2       = word{"the `username` to sign in; empty: usernameless, with a credential stored on the key", "der anzumeldende `Benutzername`; leer: ohne Benutzernamen, mit einem auf dem Schlüssel gespeicherten Zugang"}
	wordFlagCeremonyUserId      = word{"the Cloud's `userId` instead of a username", "die `userId` der Cloud statt eines Benutzernamens"}
	wordSummaryCodes            = word{"print the catalogue of result codes (Markdown or JSON)", "den Katalog der Ergebniscodes ausgeben (Markdown oder JSON)"}
	wordFlagCodesSource         = word{"only these `sources`, comma-separated (see above)", "nur diese `Quellen`, durch Kommas getrennt (siehe oben)"}
	wordFlagCodesFormat         = word{"output `format`: md or json", "`Ausgabeformat`: md oder json"}
	wordFlagCodesJson           = word{"print JSON (the same as --format json)", "JSON ausgeben (wie --format json)"}
	wordSummaryDevices          = word{"list security keys", "Sicherheitsschlüssel auflisten"}
	wordSummaryInfo             = word{"show a key's full information (getInfo, PIN state)", "alle Angaben eines Schlüssels zeigen (getInfo, PIN-Zustand)"}
	wordSummaryPin              = word{"set or change a key's PIN: pin set | pin change", "die PIN eines Schlüssels setzen oder ändern: pin set | pin change"}
	wordSummaryCredentials      = word{"list or delete discoverable credentials on a key", "auffindbare Zugänge auf einem Schlüssel auflisten oder löschen"}
	wordSummaryReset            = word{"factory-reset a key (erases every credential and the PIN)", "einen Schlüssel auf Werkseinstellungen zurücksetzen (löscht alle Zugänge und die PIN)"}
	wordFlagDevicesDevice       = word{"device `path` (from 'keydesk devices'); default: the only key connected", "`Pfad` des Geräts (aus 'keydesk devices'); Standard: der einzige angeschlossene Schlüssel"}
	wordFlagDevicesDemo         = word{"demo mode: use KeyDesk's virtual key even when a hardware key is connected; for enroll and approve it also REPLACES the configured Authentication Cloud instance with the built-in emulator", "Demo-Modus: KeyDesks virtuellen Schlüssel verwenden, auch wenn ein Hardware-Schlüssel angeschlossen ist; bei enroll und approve ERSETZT er außerdem die eingerichtete Authentication-Cloud-Instanz durch den eingebauten Emulator"}
	wordFlagDevicesJson         = word{"print JSON", "JSON ausgeben"}
	wordFlagDevicesId           = word{"credential `ID` to delete (base64url, from 'credentials list')", "`ID` des zu löschenden Zugangs (base64url, aus 'credentials list')"}
	wordFlagDevicesYes          = word{"do not ask for confirmation", "nicht um Bestätigung bitten"}
	wordSummaryEmulator         = word{"run the Authentication Cloud emulator on loopback (for integrators' tests)", "den Authentication-Cloud-Emulator auf Loopback starten (für Tests von Integratoren)"}
	wordFlagEmulatorAddr        = word{"listen `address`; loopback only (127.0.0.1, ::1, localhost)", "`Adresse`, auf der er lauscht; nur Loopback (127.0.0.1, ::1, localhost)"}
	wordFlagEmulatorState       = word{"keep users and keys in this JSON `file` across runs", "Benutzer und Schlüssel über Neustarts hinweg in dieser JSON-`Datei` behalten"}
	wordFlagEmulatorOrigin      = word{"the `origin` the WebAuthn client must claim", "der `Origin`, den der WebAuthn-Client angeben muss"}
	wordFlagEmulatorRpName      = word{"relying party `name` in the creation options", "`Name` der Relying Party in den Optionen zum Anlegen"}
	wordFlagEmulatorRpStyle     = word{"the creation options' relying party member: `relyingParty` (as the Cloud's docs show) or rp (as its sample apps read it)", "Feld der Relying Party in den Optionen zum Anlegen: `relyingParty` (wie in der Dokumentation der Cloud) oder rp (wie in ihren Beispiel-Apps)"}
	wordFlagEmulatorJson        = word{"print where the emulator listens as one JSON object", "als ein JSON-Objekt ausgeben, wo der Emulator lauscht"}
	wordSummaryExplain          = word{"explain a result code, result object, API error or console line", "einen Ergebniscode, ein Ergebnisobjekt, einen API-Fehler oder eine Konsolenzeile erklären"}
	wordFlagExplainFile         = word{"read the text to explain from `FILE` (- for standard input)", "den zu erklärenden Text aus `DATEI` lesen (- für die Standardeingabe)"}
	wordFlagExplainJson         = word{"write the diagnosis as JSON", "die Diagnose als JSON ausgeben"}
	wordFlagExplainAudience     = word{"who the text is for (`audience`): user or helpdesk", "für wen der Text ist (`Zielgruppe`): user oder helpdesk"}
	wordSummaryKiosk            = word{"the walk-up enrollment station: kiosk [run|journal|admin-pin]", "die Registrierungsstation zur Selbstbedienung: kiosk [run|journal|admin-pin]"}
	wordFlagKioskSince          = word{"only sessions from `T` on: a time (RFC 3339), a date (2006-01-02) or a duration back from now (24h)", "nur Sitzungen ab `T`: ein Zeitpunkt (RFC 3339), ein Datum (2006-01-02) oder eine Dauer zurück ab jetzt (24h)"}
	wordFlagKioskFormat         = word{"output `format`: jsonl or csv", "`Ausgabeformat`: jsonl oder csv"}
	wordFlagKioskFile           = word{"the journal `file` (default: the station's, in the config folder)", "die Journal`datei` (Standard: die der Station, im Konfigurationsordner)"}
	wordSummaryWebauthn         = word{"the WebAuthn client as a tool: webauthn create|get --options FILE --origin URL", "der WebAuthn-Client als Werkzeug: webauthn create|get --options DATEI --origin URL"}
	wordFlagWebauthnOptions     = word{"options `file`, or - for standard input", "`Datei` mit den Optionen, oder - für die Standardeingabe"}
	wordFlagWebauthnOrigin      = word{"the web `origin` to claim, e.g. https://portal.example.com", "der anzugebende Web-`Origin`, z. B. https://portal.example.com"}
)

// tableWords are the words said through say (the help's tables).
var tableWords = []word{
	wordSummaryEnroll,
	wordSummaryApprove,
	wordFlagCeremonyUser,
	wordFlagCeremonyDisplayName,
	wordFlagCeremonyKeyName,
	wordFlagCeremonyUser2,
	wordFlagCeremonyUserId,
	wordSummaryCodes,
	wordFlagCodesSource,
	wordFlagCodesFormat,
	wordFlagCodesJson,
	wordSummaryDevices,
	wordSummaryInfo,
	wordSummaryPin,
	wordSummaryCredentials,
	wordSummaryReset,
	wordFlagDevicesDevice,
	wordFlagDevicesDemo,
	wordFlagDevicesJson,
	wordFlagDevicesId,
	wordFlagDevicesYes,
	wordSummaryEmulator,
	wordFlagEmulatorAddr,
	wordFlagEmulatorState,
	wordFlagEmulatorOrigin,
	wordFlagEmulatorRpName,
	wordFlagEmulatorRpStyle,
	wordFlagEmulatorJson,
	wordSummaryExplain,
	wordFlagExplainFile,
	wordFlagExplainJson,
	wordFlagExplainAudience,
	wordSummaryKiosk,
	wordFlagKioskSince,
	wordFlagKioskFormat,
	wordFlagKioskFile,
	wordSummaryWebauthn,
	wordFlagWebauthnOptions,
	wordFlagWebauthnOrigin,
	wordFlagCeremonyAuthenticatorId,
	wordSummarySettings,
	wordSummaryUser,
	wordSummaryAuthenticator,
	wordSummaryLogs,
	wordFlagUserConfirm,
	wordFlagLogsUser,
	wordFlagLogsSince,
	wordFlagLogsUntil,
	wordFlagLogsStatus,
	wordSummaryPass,
	wordFlagPassUser,
	wordFlagPassUsers,
	wordFlagPassApprove,
	wordFlagPassExpires,
	wordFlagPassOut,
	wordFlagCeremonyPass,
	wordFlagCeremonyPass2,
	wordFlagPassHandoff,
}

func init() {
	for _, w := range tableWords {
		if _, dup := germanCLI[w.en]; dup {
			panic("cli: word in germanCLI twice: " + w.en)
		}
		germanCLI[w.en] = w.de
	}
}

// noKeyHelp is what to check when the key is plugged in, and --demo.
const noKeyHelp = `If it is plugged in: on Linux, check that you may open /dev/hidraw* (the FIDO udev rules,
e.g. libfido2's 70-u2f.rules, and your user's groups); 'keydesk devices' lists the keys KeyDesk sees.
To try KeyDesk without a key, add --demo: it uses KeyDesk's virtual key and, for enroll and
approve, the built-in emulator instead of the configured instance.`

const noKeyHelpDE = `Wenn er eingesteckt ist: Prüfen Sie unter Linux, ob Sie /dev/hidraw* öffnen dürfen (die FIDO-udev-Regeln,
z. B. 70-u2f.rules von libfido2, und die Gruppen Ihres Benutzers); 'keydesk devices' listet die Schlüssel, die KeyDesk sieht.
Um KeyDesk ohne Schlüssel auszuprobieren, geben Sie --demo an: Damit werden KeyDesks virtueller Schlüssel und, für enroll und
approve, der eingebaute Emulator statt der eingerichteten Instanz verwendet.`

// germanCLI are the German of the help's tables (help.go: the commands'
// summaries and helps, the flags' helps), keyed by their English; say
// finds them. help.go and kiosk.go put their tables in at init.
var germanCLI = map[string]string{}
