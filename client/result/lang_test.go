package result

import (
	"strings"
	"testing"
)

// TestGermanEndUserTexts: every end-user text of the catalogue (each
// entry's and each cause's) and each cause's summary has German, and
// each fido2-client result its German message.
func TestGermanEndUserTexts(t *testing.T) {
	for _, e := range Entries() {
		de := e.In(German)
		// Every explanation of the catalogue's own ranges has German too.
		if de.Explanation == e.Explanation && (e.Kind == KindReserved || e.Kind == KindExtension || e.Kind == KindVendor ||
			e.Code.Source == SourceHTTP || len(e.Related) > 0 && e.Code.Source == SourceLibfido2) {
			t.Errorf("%s: generated explanation has no German: %q", e.Code, e.Explanation)
		}
		if e.UserText != "" && de.UserText == e.UserText {
			t.Errorf("%s: end-user text has no German: %q", e.Code, e.UserText)
		}
		// The fido2-client results, KeyDesk's own codes, the CTAP
		// statuses, the browsers' DOMExceptions and the HTTP and Cloud API
		// errors are what the window and the kiosk show: all their texts
		// have German.
		if e.Code.Source == SourceNevis || e.Code.Source == SourceKeyDesk || e.Code.Source == SourceDOMException ||
			e.Code.Source == SourceHTTP && e.Causes[0] != "unexpected" && e.Kind != KindSuccess && inFile(t, "http", e.Code.Value) ||
			e.Code.Source == SourceCloudAPI || e.Code.Source == SourceCTAP && (e.Kind == KindError || e.Kind == KindSuccess || e.Kind == KindStatus) {
			if (e.Message != "" && de.Message == e.Message) || de.Explanation == e.Explanation {
				t.Errorf("%s: message or explanation has no German", e.Code)
			}
			if e.HelpdeskText != "" && de.HelpdeskText == e.HelpdeskText {
				t.Errorf("%s: helpdesk text has no German", e.Code)
			}
		}
		if en := e.In("en"); en.UserText != e.UserText || en.Message != e.Message {
			t.Errorf("%s: English changed by In(en)", e.Code)
		}
	}
	for id, c := range cat().causes {
		de := c.In(German)
		if de.UserText == c.UserText || de.Summary == c.Summary || de.HelpdeskText == c.HelpdeskText {
			t.Errorf("cause %s has no German", id)
		}
	}
	u := Lookup(Code{SourceNevis, "error-7777"}).In(German)
	if !strings.Contains(u.Explanation, "keinen Eintrag") || !strings.Contains(u.Explanation, `"error-7777"`) {
		t.Errorf("uncatalogued code in German: %q", u.Explanation)
	}
}

// TestGermanKeysExist: every key of lang/de.json names a catalogued code
// or cause, so a renamed entry cannot silently lose its German.
func TestGermanKeysExist(t *testing.T) {
	k := cat()
	codes := map[string]bool{}
	for _, c := range k.order {
		codes[c.String()] = true
	}
	for key := range german().Entries {
		if !codes[key] {
			t.Errorf("lang/de.json: no catalogue entry %q", key)
		}
	}
	for id := range german().Causes {
		if _, ok := k.causes[id]; !ok {
			t.Errorf("lang/de.json: no cause %q", id)
		}
	}
}

func TestLanguageFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "en"},
		{map[string]string{"LANG": "de_CH.UTF-8"}, "de"},
		{map[string]string{"LANGUAGE": "fr:de", "LANG": "en_US.UTF-8"}, "de"},
		{map[string]string{"LC_ALL": "de_DE.UTF-8", "LANG": "en_US.UTF-8"}, "de"},
		{map[string]string{"LANGUAGE": "en", "LANG": "de_DE.UTF-8"}, "en"},
		{map[string]string{"LANG": "fr_FR.UTF-8"}, "en"},
		{map[string]string{"LANG": "C"}, "en"},
	} {
		if got := LanguageFromEnv(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.env, got, tc.want)
		}
	}
}

// inFile reports whether catalogue/<name>.json has an entry of its own
// for value (not one the catalogue fills in for a whole range).
func inFile(t *testing.T, name, value string) bool {
	b, err := catalogueFS.ReadFile("catalogue/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(b), `"value": "`+value+`"`)
}
