package app

import (
	"embed"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

//go:embed translations
var translations embed.FS

// Languages the window offers; "" follows the system.
var Languages = []string{"", "en", "de"}

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
// translations are added, so a chosen language is put there first.
// Screens built afterwards use it; the window rebuilds its content.
func SetLanguage(code string) {
	if code == "" {
		restoreLanguageEnv()
	} else {
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
	}
	if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
		fyne.LogError("loading KeyDesk's translations", err)
	}
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
