package cli

// germanHelpdesk are the German words of helpdesk.go, merged into
// germanCLI.
var germanHelpdesk = map[string]string{
	"show or delete a user at the Authentication Cloud: user show|delete":               "einen Benutzer bei der Authentication Cloud anzeigen oder löschen: user show|delete",
	"rename or delete a user's authenticator at the Cloud: authenticator rename|delete": "einen Authenticator eines Benutzers in der Cloud umbenennen oder löschen: authenticator rename|delete",
	"export the Cloud's audit log for a user or a time range: logs export":              "das Audit-Log der Cloud für einen Benutzer oder einen Zeitraum exportieren: logs export",
	"Looks a user up at the Authentication Cloud by username or user ID and shows its state, last sign-ins and authenticators, or deletes the user with all its authenticators (type the username to confirm).": "Sucht einen Benutzer bei der Authentication Cloud nach Benutzername oder Benutzer-ID und zeigt seinen Zustand, seine letzten Anmeldungen und Authenticatoren, oder löscht den Benutzer mit allen Authenticatoren (zur Bestätigung den Benutzernamen eintippen).",
	"Renames an authenticator at the Authentication Cloud, or deletes it: the user can no longer sign in with it. The IDs are in 'keydesk user show'.":                                                          "Benennt einen Authenticator bei der Authentication Cloud um oder löscht ihn: Der Benutzer kann sich dann nicht mehr damit anmelden. Die IDs zeigt „keydesk user show“.",
	"Exports the Cloud's audit log (the last 30 days unless --since or --until say otherwise), for one user or all, and prints each event and the events per day.":                                              "Exportiert das Audit-Log der Cloud (die letzten 30 Tage, sofern --since oder --until nichts anderes angeben), für einen oder alle Benutzer, und gibt jedes Ereignis und die Ereignisse pro Tag aus.",
	"the `username` of the user to delete, typed again to confirm (for scripts)":                                                                                                                                "der `Benutzername` des zu löschenden Benutzers, zur Bestätigung noch einmal angegeben (für Skripte)",
	"only the events of this `user` (username or user ID)":                                         "nur die Ereignisse dieses `Benutzers` (Benutzername oder Benutzer-ID)",
	"events from `T` on: a time (RFC 3339), a date (2006-01-02) or a duration back from now (24h)": "Ereignisse ab `T`: ein Zeitpunkt (RFC 3339), ein Datum (2006-01-02) oder eine Dauer zurück ab jetzt (24h)",
	"events up to `T`: a time (RFC 3339), a date (2006-01-02) or a duration back from now (24h)":   "Ereignisse bis `T`: ein Zeitpunkt (RFC 3339), ein Datum (2006-01-02) oder eine Dauer zurück ab jetzt (24h)",
	"only events with this `status`: succeeded or failed":                                          "nur Ereignisse mit diesem `Status`: succeeded oder failed",

	"keydesk user: name one user: a username or a user ID":              "keydesk user: Nennen Sie einen Benutzer: einen Benutzernamen oder eine Benutzer-ID",
	"keydesk user delete: with --json, confirm with --confirm USERNAME": "keydesk user delete: Mit --json bestätigen Sie mit --confirm BENUTZERNAME",
	"Deleting %s removes the user and its %d authenticators at the Cloud; nobody can sign in as this user any more.\nType the username (%s) to delete it: ": "Das Löschen von %s entfernt den Benutzer und seine %d Authenticatoren in der Cloud; niemand kann sich danach mehr als dieser Benutzer anmelden.\nTippen Sie den Benutzernamen (%s) ein, um ihn zu löschen: ",
	"not deleted: the typed username does not match":        "nicht gelöscht: Der eingetippte Benutzername stimmt nicht überein",
	"User %s deleted.\n":                                    "Benutzer %s gelöscht.\n",
	"keydesk user: unknown sub-command %q (show or delete)": "keydesk user: unbekannter Unterbefehl %q (show oder delete)",
	"not reported":            "nicht angegeben",
	"Username":                "Benutzername",
	"User ID":                 "Benutzer-ID",
	"State":                   "Zustand",
	"Created":                 "Angelegt",
	"Last successful sign-in": "Letzte erfolgreiche Anmeldung",
	"Last failed sign-in":     "Letzte fehlgeschlagene Anmeldung",
	"Rate limit":              "Ratenbegrenzung",
	"not reported by the Cloud (a rate-limited call fails with HTTP 429)": "von der Cloud nicht angegeben (ein begrenzter Aufruf scheitert mit HTTP 429)",
	"Authenticators: %d": "Authenticatoren: %d",
	"Name":               "Name",
	"Type":               "Typ",
	"Enrolled":           "Registriert",
	"Updated":            "Geändert",
	"keydesk authenticator: unknown sub-command %q (rename or delete)":                                           "keydesk authenticator: unbekannter Unterbefehl %q (rename oder delete)",
	"keydesk authenticator: rename takes an authenticator ID and the new name; delete takes an authenticator ID": "keydesk authenticator: rename erwartet eine Authenticator-ID und den neuen Namen, delete eine Authenticator-ID",
	"Authenticator renamed: %s\n":                                                             "Authenticator umbenannt: %s\n",
	"Authenticator deleted: the user can no longer sign in with it.":                          "Authenticator gelöscht: Der Benutzer kann sich nicht mehr damit anmelden.",
	"keydesk logs export: no arguments, only flags":                                           "keydesk logs export: keine Argumente, nur Optionen",
	"keydesk logs export: %q is neither a time (2006-01-02 or RFC 3339) nor a duration (24h)": "keydesk logs export: %q ist weder ein Zeitpunkt (2006-01-02 oder RFC 3339) noch eine Dauer (24h)",
	"keydesk logs: unknown sub-command %q (export)":                                           "keydesk logs: unbekannter Unterbefehl %q (export)",
	"keydesk %s: name a sub-command first":                                                    "keydesk %s: Nennen Sie zuerst einen Unterbefehl",
	"Events: %d":                                                                              "Ereignisse: %d",
	"Time (UTC)":                                                                              "Zeit (UTC)",
	"Event":                                                                                   "Ereignis",
	"Outcome":                                                                                 "Ergebnis",
	"Channel":                                                                                 "Kanal",
	"User":                                                                                    "Benutzer",
	"Per day (UTC): succeeded / failed / other":                                               "Pro Tag (UTC): erfolgreich / fehlgeschlagen / sonstige",
}

func init() {
	for en, de := range germanHelpdesk {
		if _, dup := germanCLI[en]; dup {
			panic("cli: helpdesk word in germanCLI twice: " + en)
		}
		germanCLI[en] = de
	}
}
