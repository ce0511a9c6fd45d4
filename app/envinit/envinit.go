// Package envinit fixes up the process environment before Fyne's packages
// initialise. Fyne reads the user's language at init time and logs an
// error for the POSIX "C" locale, which every CLI run on a minimal system
// would print. Go initialises packages in import-path order among those
// whose dependencies are ready; this package has none but the standard
// library and sorts before Fyne's translation dependency
// (github.com/nicksnyder/go-i18n), so its init runs before fyne.io/.../lang.
// main imports it first; a test of the CLI checks that no Fyne error shows.
package envinit

import (
	"os"
	"strings"
)

func init() {
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		val := os.Getenv(v)
		if val == "" {
			continue
		}
		base := strings.SplitN(val, ".", 2)[0]
		if base != "C" && base != "POSIX" {
			return
		}
		break
	}
	// No usable language: English, for messages only.
	os.Setenv("LANGUAGE", "en")
}
