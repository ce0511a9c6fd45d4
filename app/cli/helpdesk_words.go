package cli

// germanHelpdesk are the German twins of the helpdesk commands' longer
// helps (help.go's table is keyed by English too), merged into germanCLI.
var germanHelpdesk = map[string]string{
	"Looks a user up at the Authentication Cloud by username or user ID and shows its state, last sign-ins and authenticators, or deletes the user with all its authenticators (type the username to confirm).": "Sucht einen Benutzer bei der Authentication Cloud nach Benutzername oder Benutzer-ID und zeigt seinen Zustand, seine letzten Anmeldungen und Authenticatoren, oder löscht den Benutzer mit allen Authenticatoren (zur Bestätigung den Benutzernamen eintippen).",
	"Renames an authenticator at the Authentication Cloud, or deletes it: the user can no longer sign in with it. The IDs are in 'keydesk user show'.":                                                          "Benennt einen Authenticator bei der Authentication Cloud um oder löscht ihn: Der Benutzer kann sich dann nicht mehr damit anmelden. Die IDs zeigt „keydesk user show“.",
	"Exports the Cloud's audit log (the last 30 days unless --since or --until say otherwise), for one user or all, and prints each event and the events per day.":                                              "Exportiert das Audit-Log der Cloud (die letzten 30 Tage, sofern --since oder --until nichts anderes angeben), für einen oder alle Benutzer, und gibt jedes Ereignis und die Ereignisse pro Tag aus.",
}

func init() {
	for en, de := range germanHelpdesk {
		if _, dup := germanCLI[en]; dup {
			panic("cli: helpdesk word in germanCLI twice: " + en)
		}
		germanCLI[en] = de
	}
}
