package window

import (
	"embed"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/keydesk/keydesk/client/result"
)

//go:embed translations
var translations embed.FS

// Languages the window offers; "" follows the system.
var Languages = []string{"", "en", "de"}

// uiLanguage is the language the window speaks now: "en" or "de".
var uiLanguage atomic.Value

// Language returns the language the window speaks: "en" or "de". The
// result catalogue's texts are picked with it (result.Entry.In).
func Language() string {
	if v, ok := uiLanguage.Load().(string); ok {
		return v
	}
	return "en"
}

// langMu guards Fyne's lang package, which has no lock of its own: its
// bundle's maps and its localizer are written when translations are
// loaded (SetLanguage) and read by every lookup. Lookups come from the UI
// goroutine (Fyne's widgets, KeyDesk's screens) and from workers (a key
// scan, a ceremony's step words, the helpdesk's lookups, the report), so
// a language switch during any of those was "concurrent map read and map
// write". Each lookup holds the read lock, SetLanguage the write lock.
var langMu sync.RWMutex

// init routes every lookup through langMu: lang.L, lang.X, lang.N and
// lang.XN are variables that Fyne's widgets and KeyDesk's code both call
// through, so guarding them here covers calls that KeyDesk does not
// write itself, and words added later. It runs before any goroutine of
// KeyDesk's starts, so replacing the variables is not itself a race.
func init() {
	lang.L = func(in string, data ...any) string {
		langMu.RLock()
		defer langMu.RUnlock()
		return lang.Localize(in, data...)
	}
	lang.X = func(key, fallback string, data ...any) string {
		langMu.RLock()
		defer langMu.RUnlock()
		return lang.LocalizeKey(key, fallback, data...)
	}
	lang.N = func(in string, count int, data ...any) string {
		langMu.RLock()
		defer langMu.RUnlock()
		return lang.LocalizePlural(in, count, data...)
	}
	lang.XN = func(key, fallback string, count int, data ...any) string {
		langMu.RLock()
		defer langMu.RUnlock()
		return lang.LocalizePluralKey(key, fallback, count, data...)
	}
}

// languageName names a language in its own words.
func languageName(code string) string {
	switch code {
	case "en":
		return "English"
	case "de":
		return "Deutsch"
	}
	return lang.L("System default")
}

// SetLanguage loads KeyDesk's translations and selects code ("" for the
// system's language). Fyne's lang package picks the language from the
// environment (LANGUAGE, then LC_ALL/LC_MESSAGES/LANG) each time
// translations are added, so the chosen language is put there first.
//
// The system's language is narrowed to one KeyDesk speaks (English when
// it speaks none of the system's): Fyne itself speaks more languages,
// and would otherwise pick, say, French, and then log a "Translation
// failure" for each of KeyDesk's words on every redraw.
// Screens built afterwards use it; the window rebuilds its content.
//
// Words looked up while it runs wait for it (langMu), in the old language
// until it returns; do not call it while holding a word lookup.
func SetLanguage(code string) {
	langMu.Lock()
	defer langMu.Unlock()
	restoreLanguageEnv()
	if code != "en" && code != "de" {
		code = SystemLanguage()
	}
	uiLanguage.Store(code)
	os.Setenv("LANGUAGE", code)
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		val := os.Getenv(v)
		if val == "" {
			continue
		}
		// A C or POSIX locale hides LANGUAGE from the lookup.
		if b := strings.SplitN(val, ".", 2)[0]; b == "C" || b == "POSIX" {
			os.Setenv(v, code)
		}
		break
	}
	if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
		fyne.LogError("loading KeyDesk's translations", err)
	}
}

// SystemLanguage is the first language of the environment KeyDesk
// started with (LANGUAGE's list, then LC_ALL, LC_MESSAGES, LANG) that
// KeyDesk speaks: "de" or "en"; "en" when none is.
func SystemLanguage() string {
	return result.LanguageFromEnv(func(k string) string {
		if v := startEnv[k]; v != nil {
			return *v
		}
		return ""
	})
}

// startEnv is the language environment KeyDesk started with, for "system".
var startEnv = func() map[string]*string {
	m := map[string]*string{}
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		if val, ok := os.LookupEnv(v); ok {
			m[v] = &val
		} else {
			m[v] = nil
		}
	}
	return m
}()

func restoreLanguageEnv() {
	for k, v := range startEnv {
		if v == nil {
			os.Unsetenv(k)
		} else {
			os.Setenv(k, *v)
		}
	}
}

// lookup is the catalogue's entry for c, in the window's language.
func lookup(c result.Code) result.Entry {
	return result.Lookup(c).In(Language())
}
