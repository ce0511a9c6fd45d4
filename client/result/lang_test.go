package result

import (
	"strings"
	"testing"
)

// TestGermanEndUserTexts: every text of the catalogue has German: each
// entry's explanation, end-user text, helpdesk text and message (also
// those the catalogue writes itself for whole ranges), and each cause's
// summary and texts.
func TestGermanEndUserTexts(t *testing.T) {
	for _, e := range Entries() {
		de := e.In(German)
		if e.UserText != "" && de.UserText == e.UserText {
			t.Errorf("%s: end-user text has no German: %q", e.Code, e.UserText)
		}
		// Every entry has a German explanation, and a German message and
		// helpdesk text where it has them (libfido2's messages are its
		// constant names; the catalogue's ranges share their texts).
		if de.Explanation == e.Explanation {
			t.Errorf("%s: explanation has no German: %q", e.Code, e.Explanation)
		}
		if e.Message != "" && e.Message != "OK" && de.Message == e.Message && e.Code.Source != SourceLibfido2 {
			t.Errorf("%s: message has no German: %q", e.Code, e.Message)
		}
		if e.HelpdeskText != "" && de.HelpdeskText == e.HelpdeskText {
			t.Errorf("%s: helpdesk text has no German", e.Code)
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
		{map[string]string{"LANG": "C", "LANGUAGE": "de"}, "en"},
		{map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "de"}, "de"},
	} {
		if got := LanguageFromEnv(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.env, got, tc.want)
		}
	}
}

// TestGermanNotes: the notes a diagnosis adds are German too.
func TestGermanNotes(t *testing.T) {
	for _, in := range []string{
		`{"success": true, "code": {"statusCode": "error-1001", "message": "something else"}, "token": "eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJ4In0.sig"}`,
		`{"code":"60008","message":"App native authentication is not enabled for the application.","traceId":"5f1c2a9e"}`,
		`{"code":"not_found","message":"No pending enrollment found","details":{},"notices":["policy enroll-window"]}`,
		"35",
	} {
		d := Diagnose(in, Helpdesk)
		if len(d.Notes) == 0 {
			t.Errorf("%s: no notes", in)
		}
		for i, n := range d.In(German).Notes {
			if n == d.Notes[i] {
				t.Errorf("%s: note has no German: %q", in, n)
			}
		}
	}
}
