package cli

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// This file holds the CLI's help: `keydesk help` and each command's -h.
// The words go through say (German in germanCLI); the synopses are
// commands, flags and placeholders as they are typed, and stay as they
// are.

// commandHelp is one command's help.
type commandHelp struct {
	// synopsis is how the command is typed: one line per form.
	synopsis []string
	// about says what the command does (English; say gives the German).
	// It may hold fmt verbs, filled by printHelp's arguments.
	about string
}

// helps are the commands' helps, by command name (a sub-command such as
// "pin set" takes its command's).
var helps = map[string]commandHelp{
	"enroll": {[]string{"keydesk enroll --user NAME [--display-name NAME] [--key-name NAME] [--device PATH] [--demo] [--json]", "keydesk enroll --pass FILE|- [--key-name NAME] [--device PATH] [--demo] [--json]"},
		"Registers a security key for a user at the Authentication Cloud: the key makes a credential (touch it, and type its PIN if it has one) and the Cloud stores it. Without a configured instance KeyDesk runs in demo mode: the emulator on this computer and KeyDesk's virtual key."},
	"approve": {[]string{"keydesk approve [--user NAME | --user-id ID] [--authenticator-id ID] [--device PATH] [--demo] [--json]", "keydesk approve --pass FILE|- [--device PATH] [--demo] [--json]"},
		"Signs a user in with a security key, as a test: the key signs the Cloud's challenge (touch it, and type its PIN if asked) and the Cloud checks the signature."},
	"pass": {[]string{"keydesk pass issue --user NAME [--display-name NAME] [--approve] [--expires 72h] [--out FILE|-] [--demo] [--json]",
		"keydesk pass issue --handoff --user NAME [--display-name NAME] [--out FILE|-] [--json]",
		"keydesk pass issue --users users.csv --out DIR [--approve] [--expires 72h] [--demo] [--json]", "keydesk pass list [--demo] [--json]"},
		"Issues enrollment passes on a helpdesk station (it needs the access key): a one-time pass per person, holding the Authentication Cloud's intent tokens, which their own KeyDesk redeems with 'keydesk enroll --pass FILE' without the access key, for that person only. A pass is a secret: it is written to the file (readable by you only) or standard output, never into the station's record, which keeps the pass ID, user, operations and dates. 'pass list' shows that record and, where the users can be looked up, whether each person has a new authenticator since (redeemed)."},
	"devices": {[]string{"keydesk devices [--demo] [--json]"},
		"Lists the security keys connected to this computer, with the path that --device takes."},
	"info": {[]string{"keydesk info [--device PATH] [--demo] [--json]"},
		"Shows what a key tells about itself (getInfo): its model, versions, options, PIN state and free slots."},
	"pin": {[]string{"keydesk pin set|change [--device PATH] [--demo] [--json]"},
		"Sets a PIN on a key that has none, or changes it. The PIN is read without echo, or from standard input; never from the command line."},
	"credentials": {[]string{"keydesk credentials list [--device PATH] [--demo] [--json]", "keydesk credentials delete --id CREDENTIAL_ID [--device PATH] [--demo] [--json]"},
		"Lists the discoverable credentials stored on a key (this needs its PIN), or deletes one of them."},
	"reset": {[]string{"keydesk reset [--device PATH] [--yes] [--demo] [--json]"},
		"Resets a key to its factory state: every credential on it and its PIN are erased, and accounts that use it no longer accept it. Most keys allow this only in the first seconds after they are plugged in."},
	"webauthn": {[]string{"keydesk webauthn create|get --options FILE|- --origin URL [--device PATH] [--demo] [--json]", "keydesk webauthn create|get - --origin URL"},
		"The WebAuthn client as a tool: reads creation or request options (standard WebAuthn JSON with base64url fields, optionally inside {\"publicKey\": …}, or the Authentication Cloud's options) from a file or standard input (-), runs the ceremony on the key as a browser would for the origin, and prints the PublicKeyCredential as JSON."},
	"codes": {[]string{"keydesk codes [--source SOURCE[,SOURCE]] [--format md|json] [--json]"},
		"Prints every result code KeyDesk knows, with its official message, explanation and advice for users and the helpdesk. Sources: %s."},
	"emulator": {[]string{"keydesk emulator [--addr 127.0.0.1:PORT] [--state FILE] [--origin URL] [--rp-name NAME] [--rp-style relyingParty|rp] [--json]"},
		"Runs the Authentication Cloud emulator on this computer until it is interrupted (for integrators' tests). The access key is taken from KEYDESK_ACCESS_KEY; without it a local test key is made and printed."},
	"kiosk": {[]string{"keydesk kiosk [run]", "keydesk kiosk journal [-since T] [-format jsonl|csv] [-file PATH]", "keydesk kiosk admin-pin"},
		"Opens the walk-up enrollment station full screen (run, the default), exports its journal for the helpdesk, or sets the admin PIN that closes it."},
	"settings": {[]string{"keydesk settings [show] [--json]", "keydesk settings station helpdesk|desktop|kiosk", "keydesk settings test [--json]"},
		"Shows the settings and the kind of station this computer is (show, the default): a helpdesk station holds the organisation's access key and may look users up and enroll a key for any username; a user desktop (the default once an instance is configured) and a kiosk hold no access key; with no instance configured KeyDesk runs in demo mode. station chooses helpdesk, desktop or kiosk. test tests the connection to the configured Authentication Cloud instance as the window's Test connection does: the instance's ping, then, on a helpdesk station, a read that changes nothing, which proves the access key. The instance URL may be the API endpoint base URL the Management Console shows (ending in /api/v1)."},
	"explain": {[]string{"keydesk explain [--audience user|helpdesk] [--json] CODE...", "keydesk explain [--audience user|helpdesk] [--json] --file FILE|-", "keydesk explain [--audience user|helpdesk] [--json] -"},
		"Explains a code (error-1001, 0x31, FIDO_ERR_PIN_INVALID, ABA-60008, tenant_mismatch, -7, 429, NotAllowedError), or anything pasted into a file or standard input (-): a fido2-client result object, an API error body, a browser console line. Several codes are read together, as one failure. Secrets are redacted."},
}

// helpFor is the help of the command fs parses ("keydesk pin set": pin's).
func helpFor(name string) (commandHelp, bool) {
	name = strings.TrimPrefix(name, "keydesk ")
	if h, ok := helps[name]; ok {
		return h, true
	}
	first, _, _ := strings.Cut(name, " ")
	h, ok := helps[first]
	return h, ok
}

// helpText is a command's synopsis and what it does, in the CLI's
// language.
func helpText(name string, args ...any) string {
	var b strings.Builder
	h, ok := helpFor(name)
	if !ok {
		h = commandHelp{synopsis: []string{"keydesk " + strings.TrimPrefix(name, "keydesk ") + " [flags]"}}
	}
	pre := wordUsage.String() + " "
	for i, l := range h.synopsis {
		if i > 0 {
			pre = strings.Repeat(" ", len([]rune(pre)))
		}
		b.WriteString(pre + l + "\n")
	}
	if h.about != "" {
		b.WriteString("\n" + wrap(fmt.Sprintf(say(h.about), args...), 78) + "\n")
	}
	return b.String()
}

// printHelp writes a command's help and its flags, each flag's help in
// the CLI's language.
func printHelp(w io.Writer, fs *flag.FlagSet, args ...any) {
	fmt.Fprint(w, helpText(fs.Name(), args...))
	var flags []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
	if len(flags) == 0 {
		return
	}
	fmt.Fprintln(w, "\n"+wordFlags.String())
	for _, f := range flags {
		g := *f
		g.Usage = say(f.Usage)
		name, usage := flag.UnquoteUsage(&g)
		if name == "string" { // no `name` in the help: the flag package's type
			name = wordValue.String()
		}
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); !isBool && f.DefValue != "" {
			usage += " " + wordDefault.f(f.DefValue)
		}
		fmt.Fprintln(w, line)
		fmt.Fprintln(w, "      "+usage)
	}
}

// usage is `keydesk help`: the commands and what each does.
func usage(w io.Writer) {
	fmt.Fprintln(w, wordHelpTitle)
	fmt.Fprintln(w)
	fmt.Fprintln(w, wordUsage)
	fmt.Fprintf(w, "  %-26s %s\n", "keydesk", wordOpenWindow)
	fmt.Fprintf(w, "  %-26s %s\n", "keydesk "+wordCommandFlags.String(), wordRunCommand)
	fmt.Fprintln(w)
	fmt.Fprintln(w, wordCommands)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0 // the longest name sets the column, so every summary lines up
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, say(commands[n].Summary))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, wordLanguages)
}

// flagProblem words an error of package flag in the CLI's language (the
// flag package writes English).
func flagProblem(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return wordUnknownFlag.f(name)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return wordFlagNeedsValue.f(name)
	}
	return msg
}

// wrap breaks s into lines of at most width runes, at spaces.
func wrap(s string, width int) string {
	var b strings.Builder
	for i, para := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteString("\n")
		}
		n := 0
		for j, word := range strings.Fields(para) {
			l := len([]rune(word))
			if j > 0 && n+1+l > width {
				b.WriteString("\n")
				n = 0
			} else if j > 0 {
				b.WriteString(" ")
				n++
			}
			b.WriteString(word)
			n += l
		}
	}
	return b.String()
}

// kioskUsage is the help of `keydesk kiosk`, in the CLI's language.
// Its sub-commands and the journal's options are a table of their own.
func kioskUsage() string { return helpText("kiosk") + say(kioskHelp) }

const kioskHelp = `
  run        open the enrollment station full screen (the default)
  journal    export the station's journal: one line per session, no PINs
  admin-pin  set the admin PIN that closes the station
             (read twice, without echo; at least 8 characters)

journal options:
  -since T     only sessions from then on: a time (RFC 3339), a date
               (2006-01-02) or a duration back from now (24h)
  -format F    jsonl (the default) or csv
  -file PATH   the journal file (default: the station's, in the config folder)
`

// germanHelp is the help's German, keyed by its English; init puts it in
// germanCLI, where say finds it.
var germanHelp = map[string]string{
	"Shows the settings and the kind of station this computer is (show, the default): a helpdesk station holds the organisation's access key and may look users up and enroll a key for any username; a user desktop (the default once an instance is configured) and a kiosk hold no access key; with no instance configured KeyDesk runs in demo mode. station chooses helpdesk, desktop or kiosk. test tests the connection to the configured Authentication Cloud instance as the window's Test connection does: the instance's ping, then, on a helpdesk station, a read that changes nothing, which proves the access key. The instance URL may be the API endpoint base URL the Management Console shows (ending in /api/v1).": "Zeigt die Einstellungen und die Art der Station, die dieser Rechner ist (show, die Vorgabe): Eine Helpdesk-Station hat den Zugangsschlüssel der Organisation und darf Benutzer nachschlagen und einen Schlüssel für jeden Benutzernamen registrieren; der Arbeitsplatz eines Benutzers (die Vorgabe, sobald eine Instanz eingerichtet ist) und ein Kiosk haben keinen Zugangsschlüssel; ohne eingerichtete Instanz läuft KeyDesk im Demo-Modus. station wählt helpdesk, desktop oder kiosk. test testet die Verbindung zur eingerichteten Authentication-Cloud-Instanz wie „Verbindung testen“ im Fenster: den Ping der Instanz, dann, an einer Helpdesk-Station, einen Lesezugriff, der nichts ändert und den Zugangsschlüssel beweist. Die Instanz-URL darf die API-Basis-URL sein, die die Verwaltungskonsole zeigt (mit /api/v1 am Ende).",
	// keydesk help.

	kioskHelp: `
  run        die Registrierungsstation im Vollbild öffnen (Standard)
  journal    das Journal der Station ausgeben: eine Zeile je Sitzung, ohne PINs
  admin-pin  die Admin-PIN setzen, mit der die Station geschlossen wird
             (zweimal gelesen, ohne Anzeige; mindestens 8 Zeichen)

Optionen von journal:
  -since T     nur Sitzungen ab T: ein Zeitpunkt (RFC 3339), ein Datum
               (2006-01-02) oder eine Dauer zurück ab jetzt (24h)
  -format F    jsonl (Standard) oder csv
  -file PFAD   die Journaldatei (Standard: die der Station, im Konfigurationsordner)
`,
	"Opens the walk-up enrollment station full screen (run, the default), exports its journal for the helpdesk, or sets the admin PIN that closes it.": "Öffnet die Registrierungsstation zur Selbstbedienung im Vollbild (run, der Standard), gibt ihr Journal für den Helpdesk aus oder setzt die Admin-PIN, mit der sie geschlossen wird.",

	// The commands' summaries.

	// What each command does.
	"Registers a security key for a user at the Authentication Cloud: the key makes a credential (touch it, and type its PIN if it has one) and the Cloud stores it. Without a configured instance KeyDesk runs in demo mode: the emulator on this computer and KeyDesk's virtual key.":                                                           "Registriert einen Sicherheitsschlüssel für einen Benutzer bei der Authentication Cloud: Der Schlüssel legt einen Zugang an (berühren Sie ihn und geben Sie seine PIN ein, falls er eine hat), und die Cloud speichert ihn. Ohne eingerichtete Instanz läuft KeyDesk im Demo-Modus: mit dem Emulator auf diesem Rechner und KeyDesks virtuellem Schlüssel.",
	"Signs a user in with a security key, as a test: the key signs the Cloud's challenge (touch it, and type its PIN if asked) and the Cloud checks the signature.":                                                                                                                                                                               "Meldet einen Benutzer zum Test mit einem Sicherheitsschlüssel an: Der Schlüssel signiert die Challenge der Cloud (berühren Sie ihn und geben Sie seine PIN ein, wenn Sie danach gefragt werden), und die Cloud prüft die Signatur.",
	"Lists the security keys connected to this computer, with the path that --device takes.":                                                                                                                                                                                                                                                      "Listet die an diesen Rechner angeschlossenen Sicherheitsschlüssel auf, mit dem Pfad, den --device erwartet.",
	"Shows what a key tells about itself (getInfo): its model, versions, options, PIN state and free slots.":                                                                                                                                                                                                                                      "Zeigt, was ein Schlüssel über sich selbst angibt (getInfo): Modell, Versionen, Optionen, PIN-Zustand und freie Plätze.",
	"Sets a PIN on a key that has none, or changes it. The PIN is read without echo, or from standard input; never from the command line.":                                                                                                                                                                                                        "Setzt eine PIN auf einem Schlüssel, der noch keine hat, oder ändert sie. Die PIN wird ohne Anzeige oder von der Standardeingabe gelesen, nie von der Befehlszeile.",
	"Lists the discoverable credentials stored on a key (this needs its PIN), or deletes one of them.":                                                                                                                                                                                                                                            "Listet die auf einem Schlüssel gespeicherten auffindbaren Zugänge auf (dafür braucht es seine PIN) oder löscht einen davon.",
	"Resets a key to its factory state: every credential on it and its PIN are erased, and accounts that use it no longer accept it. Most keys allow this only in the first seconds after they are plugged in.":                                                                                                                                   "Setzt einen Schlüssel auf Werkseinstellungen zurück: Alle Zugänge darauf und seine PIN werden gelöscht, und Konten, die ihn verwenden, akzeptieren ihn nicht mehr. Die meisten Schlüssel erlauben das nur in den ersten Sekunden nach dem Einstecken.",
	"The WebAuthn client as a tool: reads creation or request options (standard WebAuthn JSON with base64url fields, optionally inside {\"publicKey\": …}, or the Authentication Cloud's options) from a file or standard input (-), runs the ceremony on the key as a browser would for the origin, and prints the PublicKeyCredential as JSON.": "Der WebAuthn-Client als Werkzeug: Liest Optionen zum Anlegen oder Anmelden (Standard-WebAuthn-JSON mit base64url-Feldern, auch in {\"publicKey\": …}, oder die Optionen der Authentication Cloud) aus einer Datei oder von der Standardeingabe (-), führt den Vorgang auf dem Schlüssel aus, wie ein Browser es für den Origin täte, und gibt die PublicKeyCredential als JSON aus.",
	"Prints every result code KeyDesk knows, with its official message, explanation and advice for users and the helpdesk. Sources: %s.":                                                                                                                                                                                                          "Gibt jeden Ergebniscode aus, den KeyDesk kennt, mit seiner offiziellen Meldung, Erklärung und den Hinweisen für Benutzer und Helpdesk. Quellen: %s.",
	"Runs the Authentication Cloud emulator on this computer until it is interrupted (for integrators' tests). The access key is taken from KEYDESK_ACCESS_KEY; without it a local test key is made and printed.":                                                                                                                                 "Startet den Authentication-Cloud-Emulator auf diesem Rechner, bis er unterbrochen wird (für Tests von Integratoren). Der Zugangsschlüssel kommt aus KEYDESK_ACCESS_KEY; ohne ihn wird ein lokaler Testschlüssel erzeugt und ausgegeben.",
	"Explains a code (error-1001, 0x31, FIDO_ERR_PIN_INVALID, ABA-60008, tenant_mismatch, -7, 429, NotAllowedError), or anything pasted into a file or standard input (-): a fido2-client result object, an API error body, a browser console line. Several codes are read together, as one failure. Secrets are redacted.":                       "Erklärt einen Code (error-1001, 0x31, FIDO_ERR_PIN_INVALID, ABA-60008, tenant_mismatch, -7, 429, NotAllowedError) oder alles, was in eine Datei oder die Standardeingabe (-) eingefügt wurde: ein fido2-client-Ergebnisobjekt, den Fehlertext einer API, eine Zeile der Browser-Konsole. Mehrere Codes werden zusammen gelesen, als ein Fehler. Geheimnisse werden geschwärzt.",
	// The helpdesk commands (helpdesk.go).

	"Looks a user up at the Authentication Cloud by username or user ID and shows its state, last sign-ins and authenticators, or deletes the user with all its authenticators (type the username to confirm).": "Sucht einen Benutzer bei der Authentication Cloud nach Benutzername oder Benutzer-ID und zeigt seinen Zustand, seine letzten Anmeldungen und Authenticatoren, oder löscht den Benutzer mit allen Authenticatoren (zur Bestätigung den Benutzernamen eintippen).",
	"Renames an authenticator at the Authentication Cloud, or deletes it: the user can no longer sign in with it. The IDs are in 'keydesk user show'.":                                                          "Benennt einen Authenticator bei der Authentication Cloud um oder löscht ihn: Der Benutzer kann sich dann nicht mehr damit anmelden. Die IDs zeigt „keydesk user show“.",
	"Exports the Cloud's audit log (the last 30 days unless --since or --until say otherwise), for one user or all, and prints each event and the events per day.":                                              "Exportiert das Audit-Log der Cloud (die letzten 30 Tage, sofern --since oder --until nichts anderes angeben), für einen oder alle Benutzer, und gibt jedes Ereignis und die Ereignisse pro Tag aus.",

	"Issues enrollment passes on a helpdesk station (it needs the access key): a one-time pass per person, holding the Authentication Cloud's intent tokens, which their own KeyDesk redeems with 'keydesk enroll --pass FILE' without the access key, for that person only. A pass is a secret: it is written to the file (readable by you only) or standard output, never into the station's record, which keeps the pass ID, user, operations and dates. 'pass list' shows that record and, where the users can be looked up, whether each person has a new authenticator since (redeemed).": "Stellt an einer Helpdesk-Station Registrierungspässe aus (sie braucht den Zugangsschlüssel): einen einmal gültigen Pass pro Person mit den Intent-Tokens der Authentication Cloud, den ihr eigenes KeyDesk mit „keydesk enroll --pass DATEI“ ohne Zugangsschlüssel einlöst, nur für diese Person. Ein Pass ist ein Geheimnis: Er wird in die Datei (nur für Sie lesbar) oder auf die Standardausgabe geschrieben, nie in die Liste der Station, die Pass-ID, Benutzer, Vorgänge und Daten festhält. „pass list“ zeigt diese Liste und, wo die Benutzer nachgeschlagen werden können, ob jede Person seither einen neuen Authenticator hat (eingelöst).",

	// The flags.
}

func init() {
	for en, de := range germanHelp {
		if _, dup := germanCLI[en]; dup {
			panic("cli: help word in germanCLI twice: " + en)
		}
		germanCLI[en] = de
	}
}
