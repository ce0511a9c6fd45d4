package result

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// The catalogue is written in English. Translations of its texts live in
// lang/<code>.json, keyed by cause ID and by code ("nevis:error-1001"); a
// text a translation lacks stays English. The caller passes the language:
// this package knows nothing of the GUI or of how a language is chosen.

// German is the language code of the German texts.
const German = "de"

//go:embed lang/de.json
var germanJSON []byte

// translation is one lang/<code>.json.
type translation struct {
	Causes  map[string]causeText `json:"causes"`
	Entries map[string]entryText `json:"entries"`
	// Unknown is the explanation of a code nobody catalogued: a
	// fmt format taking the source and the value (%[1]s, %[2]q).
	Unknown string `json:"unknown"`
	// Generic translates the messages and explanations the catalogue
	// writes itself for ranges (reserved CTAP values, HTTP statuses and
	// classes), keyed by English.
	Generic map[string]string `json:"generic"`
	// Libfido2 explains a libfido2 error that equals a CTAP status: a fmt
	// format taking the status, its name and its explanation.
	Libfido2 string `json:"libfido2"`
}

type causeText struct {
	Summary  string `json:"summary"`
	User     string `json:"user"`
	Helpdesk string `json:"helpdesk"`
}

type entryText struct {
	Message     string `json:"message"`
	Explanation string `json:"explanation"`
	User        string `json:"user"`
	Helpdesk    string `json:"helpdesk"`
}

var (
	germanOnce sync.Once
	germanVal  *translation
)

func german() *translation {
	germanOnce.Do(func() {
		var t translation
		if err := decodeStrict(germanJSON, &t); err != nil {
			// Embedded and checked by the tests: a build defect.
			panic("result: lang/de.json: " + err.Error())
		}
		germanVal = &t
	})
	return germanVal
}

func translationFor(lang string) *translation {
	if strings.EqualFold(lang, German) {
		return german()
	}
	return nil
}

// In returns the entry with its texts in the language lang ("de"; "" or
// "en" is English) where the catalogue has them; other texts stay
// English. The official message stays as the source writes it unless a
// translation of it is catalogued.
func (e Entry) In(lang string) Entry {
	t := translationFor(lang)
	if t == nil {
		return e
	}
	var first Cause
	if len(e.Causes) > 0 {
		first, _ = CauseByID(e.Causes[0])
	}
	tr := t.Entries[e.Code.String()]
	switch {
	case tr.Message != "":
		e.Message = tr.Message
	case t.Generic[e.Message] != "":
		e.Message = t.Generic[e.Message]
	}
	switch {
	case tr.Explanation != "":
		e.Explanation = tr.Explanation
	case e.Generated && t.Unknown != "":
		e.Explanation = fmt.Sprintf(t.Unknown, e.Code.Source, e.Code.Value)
	case t.Generic[e.Explanation] != "":
		e.Explanation = t.Generic[e.Explanation]
	case e.Code.Source == SourceLibfido2 && len(e.Related) > 0 && strings.HasPrefix(e.Explanation, "libfido2's name for CTAP status "):
		ce := cat().entries[e.Related[0]]
		if x := ce.In(lang).Explanation; x != ce.Explanation && t.Libfido2 != "" {
			e.Explanation = fmt.Sprintf(t.Libfido2, ce.Code.Value, ce.Name, x)
		}
	}
	// An entry without texts of its own took its first cause's, or (a
	// libfido2 error) the CTAP status's it equals.
	for _, r := range e.Related {
		if tr.User == "" && e.UserText != "" && e.UserText == cat().entries[r].UserText {
			tr.User = t.Entries[r.String()].User
		}
		if tr.Helpdesk == "" && e.HelpdeskText != "" && e.HelpdeskText == cat().entries[r].HelpdeskText {
			tr.Helpdesk = t.Entries[r.String()].Helpdesk
		}
		if tr.Message == "" && e.Message != "" && e.Message == cat().entries[r].Message {
			if m := t.Entries[r.String()].Message; m != "" {
				e.Message = m
			}
		}
	}
	switch ct := t.Causes[first.ID]; {
	case tr.User != "":
		e.UserText = tr.User
	case first.ID != "" && e.UserText == first.UserText && ct.User != "":
		e.UserText = ct.User
	}
	switch ct := t.Causes[first.ID]; {
	case tr.Helpdesk != "":
		e.HelpdeskText = tr.Helpdesk
	case first.ID != "" && e.HelpdeskText == first.HelpdeskText && ct.Helpdesk != "":
		e.HelpdeskText = ct.Helpdesk
	}
	return e
}

// In returns the cause with its texts in the language lang where the
// catalogue has them; other texts stay English.
func (c Cause) In(lang string) Cause {
	t := translationFor(lang)
	if t == nil {
		return c
	}
	tr := t.Causes[c.ID]
	if tr.Summary != "" {
		c.Summary = tr.Summary
	}
	if tr.User != "" {
		c.UserText = tr.User
	}
	if tr.Helpdesk != "" {
		c.HelpdeskText = tr.Helpdesk
	}
	return c
}

// LanguageFromEnv returns the first language of the environment getenv
// reads (LANGUAGE's list, then the first set of LC_ALL, LC_MESSAGES,
// LANG, as gettext and Fyne read them: a C or POSIX locale means English) that KeyDesk speaks: "de" or "en"; "en"
// when it speaks none of them.
func LanguageFromEnv(getenv func(string) string) string {
	var locale string
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = getenv(v); locale != "" {
			break
		}
	}
	if locale == "C" || locale == "POSIX" {
		// As in gettext: the C locale turns LANGUAGE off.
		return "en"
	}
	locs := append(strings.Split(getenv("LANGUAGE"), ":"), locale)
	for _, l := range locs {
		l = strings.ToLower(strings.TrimSpace(l))
		for _, known := range []string{German, "en"} {
			if l == known || strings.HasPrefix(l, known+"_") || strings.HasPrefix(l, known+"-") || strings.HasPrefix(l, known+".") {
				return known
			}
		}
	}
	return "en"
}

// germanWords are the fixed words of Diagnosis.Text in German; a format
// without words (such as "  %s\n") needs none.
var germanWords = map[string]string{
	"Nothing to explain: paste a code, a result object, an error body or a console line.\n": "Nichts zu erklären: Fügen Sie einen Code, ein Ergebnisobjekt, eine Fehlerantwort oder eine Konsolenzeile ein.\n",
	"Read as: %s\n":                         "Gelesen als: %s\n",
	"Input (secrets redacted):\n%s\n":       "Eingabe (Geheimnisse geschwärzt):\n%s\n",
	"\nCodes found:\n":                      "\nGefundene Codes:\n",
	"  none\n":                              "  keine\n",
	"      HTTP status: %d\n":               "      HTTP-Status: %d\n",
	"Check: ":                               "Prüfen: ",
	"\nLikely causes, most likely first:\n": "\nMögliche Ursachen, die wahrscheinlichste zuerst:\n",
	" (from %s)":                            " (aus %s)",
	"\nNotes:\n":                            "\nHinweise:\n",
	"Code: %s\n":                            "Code: %s\n",
	"Most likely: %s.\n":                    "Am wahrscheinlichsten: %s.\n",
	"What to do: %s\n":                      "Was zu tun ist: %s\n",
	"Other possible causes:\n":              "Andere mögliche Ursachen:\n",
	"Policy notice: %s\n":                   "Richtlinienhinweis: %s\n",
	string(InputEmpty):                      "leer",
	string(InputCode):                       "Code",
	string(InputOutcome):                    "fido2-client-Ergebnis",
	string(InputCloudError):                 "Fehler der Cloud-API",
	string(InputCloudReply):                 "Antwort der Cloud-API",
	string(InputTenant):                     "Fehler der Tenant-API",
	string(InputAppNative):                  "Fehler der App-native-API",
	string(InputText):                       "Text",
}

// say is s in the diagnosis' language.
func (d Diagnosis) say(s string) string {
	if strings.EqualFold(d.lang, German) {
		if t, ok := germanWords[s]; ok {
			return t
		}
	}
	return s
}

// germanNotes translate the diagnosis' notes (diagnose.go's d.note):
// each English form as a pattern, and its German with the pattern's
// groups. What a note quotes from the input stays as it is.
var germanNotes = []struct {
	re *regexp.Regexp
	de string
}{
	{regexp.MustCompile(`^input cut to its first (\d+) bytes$`), "Eingabe auf die ersten $1 Bytes gekürzt"},
	{regexp.MustCompile(`^(.+) read as a libfido2 return value in decimal, which equals CTAP status (0x[0-9A-F]{2}); CTAP statuses are usually written in hex$`),
		"$1 als dezimaler Rückgabewert von libfido2 gelesen, der dem CTAP-Status $2 entspricht; CTAP-Status werden meist hexadezimal geschrieben"},
	{regexp.MustCompile(`^(.+) can be read as (.+)$`), "$1 lässt sich lesen als $2"},
	{regexp.MustCompile(`^code\.message differs from the official message of (.+)$`), "code.message weicht von der offiziellen Meldung von $1 ab"},
	{regexp.MustCompile(`^success and code\.statusCode disagree: trust statusCode, and verify the token$`),
		"success und code.statusCode widersprechen sich: Vertrauen Sie statusCode und prüfen Sie das Token"},
	{regexp.MustCompile(`^the result carries a transaction token \((.+)\): verify it with the introspection endpoint; never trust success without it$`),
		"das Ergebnis enthält ein Transaktionstoken ($1): Prüfen Sie es mit dem Introspection-Endpunkt; vertrauen Sie einem Erfolg nie ohne diese Prüfung"},
	{regexp.MustCompile(`^path: (.*)$`), "Pfad: $1"},
	{regexp.MustCompile(`^the answer carries a token \((.+)\)$`), "die Antwort enthält ein Token ($1)"},
	{regexp.MustCompile(`^introspection: the token is active$`), "Introspection: das Token ist aktiv"},
	{regexp.MustCompile(`^traceId: (.+) \(give it to the service's operators\)$`), "traceId: $1 (geben Sie sie an den Betrieb des Dienstes weiter)"},
	{regexp.MustCompile(`^code 60008 with the message of 60007: the vendor's table lists 60007 as 60008; read as ABA-60007$`),
		"Code 60008 mit der Meldung von 60007: Die Tabelle des Herstellers führt 60007 als 60008; gelesen als ABA-60007"},
	{regexp.MustCompile(`^message differs from the official message of (.+)$`), "message weicht von der offiziellen Meldung von $1 ab"},
	{regexp.MustCompile(`^policy notice: (.*)$`), "Richtlinienhinweis: $1"},
	{regexp.MustCompile(`^details: (.*)$`), "Details: $1"},
}

func germanNote(n string) string {
	for _, g := range germanNotes {
		if g.re.MatchString(n) {
			return g.re.ReplaceAllString(n, g.de)
		}
	}
	return n
}

// In returns the diagnosis with its entries' and causes' texts and its
// notes in the language lang where the catalogue has them, and Text
// writing its own words in that language.
func (d Diagnosis) In(lang string) Diagnosis {
	d.lang = lang
	if strings.EqualFold(lang, German) {
		notes := make([]string, len(d.Notes))
		for i, n := range d.Notes {
			notes[i] = germanNote(n)
		}
		d.Notes = notes
	}
	d.Matches = append([]Match(nil), d.Matches...)
	for i := range d.Matches {
		d.Matches[i].Entry = d.Matches[i].Entry.In(lang)
	}
	d.Causes = append([]RankedCause(nil), d.Causes...)
	for i := range d.Causes {
		d.Causes[i].Cause = d.Causes[i].Cause.In(lang)
	}
	return d
}
