package kiosk

import (
	"context"
	"fmt"
	"github.com/keydesk/keydesk/app/kiosk/station"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/config"
)

// Run opens the station full screen and returns the exit code when the
// admin exit closes it. A nil opts.Cloud is filled from the settings
// (client/config: instance URL and origin in config.json, the access key
// from the keyring or KEYDESK_ACCESS_KEY, never shown); with no instance
// configured the station runs in demo mode against the emulator and a
// virtual key. A real station refuses to start without an admin PIN, as it
// could not be closed.
func Run(opts Options) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// SIGINT and SIGTERM (a logout, systemd's stop) end the station cleanly
	// at any point: before the window is up Run returns 0; after, the app
	// quits on its own goroutine (Fyne's desktop driver does so too).
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	var stopping atomic.Bool
	var running atomic.Pointer[fyne.App]
	if testOnlyStarting != nil {
		testOnlyStarting()
	}
	go func() {
		select {
		case <-sigs:
		case <-ctx.Done():
			return
		}
		stopping.Store(true)
		if a := running.Load(); a != nil {
			fyne.Do((*a).Quit)
		}
	}()
	if opts.JournalPath == "" {
		p, err := station.DefaultJournalPath()
		if err != nil {
			fmt.Fprintln(os.Stderr, "keydesk kiosk:", err)
			return 1
		}
		opts.JournalPath = p
	}
	if opts.AdminStatePath == "" {
		p, err := station.DefaultAdminStatePath()
		if err != nil {
			fmt.Fprintln(os.Stderr, "keydesk kiosk:", err)
			return 1
		}
		opts.AdminStatePath = p
	}
	mode, _ := station.Settings{Enrollment: opts.Enrollment}.EnrollmentMode()
	if mode == station.EnrollByPass {
		// Fail safe: a kiosk told to require passes never falls back to
		// usernames, and it cannot redeem a pass yet.
		fmt.Fprintln(os.Stderr, "keydesk kiosk:", tell(
			"kiosk.json verlangt Registrierungspässe („enrollment“: „pass“), aber diese Version des Kiosks kann noch keinen Pass einlösen; die Station startet nicht. Registrierung per Benutzername erlaubt „enrollment“: „username“ (lesen Sie vorher, was das erlaubt: README, Kiosk-Modus).",
			`kiosk.json requires enrollment passes ("enrollment": "pass"), but this version of the kiosk cannot redeem a pass yet, so the station does not start. "enrollment": "username" allows enrollment by username (read what that allows first: README, Kiosk mode).`))
		return 2
	}
	if opts.Cloud == nil {
		s, err := config.Load()
		if err != nil {
			fmt.Fprintln(os.Stderr, "keydesk kiosk:", err)
			return 1
		}
		if s.Configured() {
			// A kiosk that enrolls by typed username does the helpdesk
			// station's work (POST /users/enroll for any username), so it
			// holds the helpdesk's access key; its start-up log says so.
			cc, copts, err := s.CloudConfigAs(config.StationHelpdesk)
			if err != nil {
				fmt.Fprintln(os.Stderr, "keydesk kiosk:", err)
				return 1
			}
			cl, err := cloud.New(cc, copts...)
			if err != nil {
				fmt.Fprintln(os.Stderr, "keydesk kiosk:", err)
				return 1
			}
			opts.Cloud = cl
		} else {
			env, err := demo.Start(ctx, demo.Options{})
			if err != nil {
				fmt.Fprintln(os.Stderr, tell("keydesk kiosk: Demo-Modus:", "keydesk kiosk: demo mode:"), err)
				return 1
			}
			defer env.Close()
			opts.Cloud, opts.Demo = env.Client, true
		}
	}
	for _, l := range startupLog(opts) {
		fmt.Fprintln(os.Stderr, "keydesk kiosk:", l)
	}
	if opts.AdminPINHash == "" && !opts.Demo {
		fmt.Fprintln(os.Stderr, "keydesk kiosk:", tell(
			"Es ist keine Admin-PIN gesetzt, daher ließe sich die Station nicht schließen. Setzen Sie eine mit „keydesk kiosk admin-pin“.",
			"no admin PIN is set, so the station could not be closed; set one with `keydesk kiosk admin-pin`"))
		return 2
	}
	a := fyneapp.NewWithID("io.keydesk.kiosk")
	opts.OnExit = a.Quit
	k, err := New(a, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "keydesk kiosk:", err)
		return 1
	}
	if testOnlyStarted != nil {
		a.Lifecycle().SetOnStarted(func() { testOnlyStarted(k) })
	}
	running.Store(&a)
	if stopping.Load() {
		k.shutdown()
		return 0
	}
	k.Window().Show()
	// Fyne's desktop driver ends Run on SIGINT and SIGTERM (a logout,
	// systemd's stop) as on the admin exit's Quit. The driver and its
	// windows are gone then: only the station's own work is stopped.
	a.Run()
	k.shutdown()
	return 0
}

// testOnlyStarted, when set, runs on the UI goroutine once Run's window is
// up (the subprocess test of stopping on a signal).
var testOnlyStarted func(*Kiosk)

// testOnlyStarting, when set, runs as soon as Run catches signals.
var testOnlyStarting func()

// Open is `keydesk kiosk run`: it opens the station with the settings of
// kiosk.json in the config folder and returns the exit code. The command
// line (package app/cli) reaches it as its Windows.Kiosk.
func Open() int {
	p, err := station.SettingsPath()
	if err != nil {
		fmt.Fprintln(os.Stderr, "keydesk kiosk:", err)
		return 1
	}
	s, err := station.LoadSettings(p)
	if err != nil {
		fmt.Fprintln(os.Stderr, "keydesk kiosk:", err)
		return 1
	}
	return Run(OptionsFrom(s))
}

// startupLog is what the station logs (standard error: the session's log,
// the journal of systemd) when it starts, each line after "keydesk
// kiosk:": how people enroll here and, for a kiosk.json without an
// "enrollment" member, in plain words what a username kiosk allows.
// Writing "enrollment": "username" explicitly is the admin's
// acknowledgement and silences the warning.
func startupLog(opts Options) []string {
	mode, explicit := station.Settings{Enrollment: opts.Enrollment}.EnrollmentMode()
	switch {
	case mode != station.EnrollByUsername:
		return []string{tell("Station gestartet; Registrierung mit Pass", "station started; enrollment by pass")}
	case explicit:
		return []string{tell(
			"Station gestartet; Registrierung per Benutzername, wie in kiosk.json gewählt („enrollment“: „username“)",
			`station started; enrollment by username, as chosen in kiosk.json ("enrollment": "username")`)}
	}
	return []string{
		tell("Station gestartet; Registrierung per Benutzername", "station started; enrollment by username"),
		tell(
			"WARNUNG: An diesem Kiosk kann jeder einen Sicherheitsschlüssel für jeden Benutzernamen registrieren, den er eintippt, und sich danach als diese Person anmelden; die Station hält dafür den Zugangsschlüssel der Organisation. kiosk.json sagt nicht, wie registriert wird: Schreiben Sie „enrollment“: „username“ hinein, wenn das so gewollt ist (dann entfällt diese Warnung).",
			`WARNING: at this kiosk anyone can enroll a security key for any username they type, and then sign in as that person; for this the station holds the organisation's access key. kiosk.json does not say how people enroll: write "enrollment": "username" into it if this is intended (this warning then goes away).`),
	}
}
