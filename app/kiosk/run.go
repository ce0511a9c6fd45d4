package kiosk

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"golang.org/x/term"

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
		p, err := DefaultJournalPath()
		if err != nil {
			fmt.Fprintln(os.Stderr, "keydesk kiosk:", err)
			return 1
		}
		opts.JournalPath = p
	}
	if opts.AdminStatePath == "" {
		p, err := DefaultAdminStatePath()
		if err != nil {
			fmt.Fprintln(os.Stderr, "keydesk kiosk:", err)
			return 1
		}
		opts.AdminStatePath = p
	}
	if opts.Cloud == nil {
		s, err := config.Load()
		if err != nil {
			fmt.Fprintln(os.Stderr, "keydesk kiosk:", err)
			return 1
		}
		if s.Configured() {
			cc, copts, err := s.CloudConfig()
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

// Main is the `keydesk kiosk` command line:
//
//	keydesk kiosk [run]                               open the station
//	keydesk kiosk journal [-since T] [-format F] [-file P]  export the journal
//	keydesk kiosk admin-pin                           set the admin PIN (read twice, no echo)
//
// -since takes an RFC 3339 time, a date (2006-01-02) or a duration back
// from now (24h); -format is jsonl (default) or csv.
func Main(args []string, in io.Reader, out, errw io.Writer) int {
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "run":
		p, err := SettingsPath()
		if err != nil {
			fmt.Fprintln(errw, "keydesk kiosk:", err)
			return 1
		}
		s, err := LoadSettings(p)
		if err != nil {
			fmt.Fprintln(errw, "keydesk kiosk:", err)
			return 1
		}
		return Run(s.Options())
	case "journal":
		return journalCommand(args, out, errw)
	case "admin-pin":
		return adminPINCommand(in, errw)
	case "help", "-h", "--help":
		fmt.Fprint(out, kioskUsage())
		return 0
	}
	fmt.Fprintf(errw, tell("keydesk kiosk: unbekannter Befehl %q (erwartet: run, journal oder admin-pin)\n",
		"keydesk kiosk: unknown command %q (want run, journal or admin-pin)\n"), cmd)
	return 2
}

// kioskUsage is the help of `keydesk kiosk`, in the terminal's language.
func kioskUsage() string {
	return tell(`Aufruf: keydesk kiosk [run]
        keydesk kiosk journal [-since T] [-format jsonl|csv] [-file PFAD]
        keydesk kiosk admin-pin

  run        die Registrierungsstation im Vollbild öffnen (Standard)
  journal    das Journal der Station ausgeben: eine Zeile je Sitzung, ohne PINs
  admin-pin  die Admin-PIN setzen, mit der die Station geschlossen wird
             (zweimal gelesen, ohne Anzeige; mindestens 8 Zeichen)

Optionen von journal:
  -since T     nur Sitzungen ab T: ein Zeitpunkt (RFC 3339), ein Datum
               (2006-01-02) oder eine Dauer zurück ab jetzt (24h)
  -format F    jsonl (Standard) oder csv
  -file PFAD   die Journaldatei (Standard: die der Station, im Konfigurationsordner)
`, `usage: keydesk kiosk [run]
       keydesk kiosk journal [-since T] [-format jsonl|csv] [-file PATH]
       keydesk kiosk admin-pin

  run        open the enrollment station full screen (the default)
  journal    export the station's journal: one line per session, no PINs
  admin-pin  set the admin PIN that closes the station
             (read twice, without echo; at least 8 characters)

journal options:
  -since T     only sessions from then on: a time (RFC 3339), a date
               (2006-01-02) or a duration back from now (24h)
  -format F    jsonl (the default) or csv
  -file PATH   the journal file (default: the station's, in the config folder)
`)
}

func journalCommand(args []string, out, errw io.Writer) int {
	// The flags' help is kioskUsage, in the terminal's language; the flag
	// package's own words are English, so it prints nothing itself.
	fs := flag.NewFlagSet("keydesk kiosk journal", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	since := fs.String("since", "", "")
	format := fs.String("format", "jsonl", "")
	file := fs.String("file", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(out, kioskUsage())
			return 0
		}
		fmt.Fprintf(errw, "keydesk kiosk journal: %v\n\n%s", flagProblem(err), kioskUsage())
		return 2
	}
	if f := ExportFormat(*format); f != ExportJSONLines && f != ExportCSV {
		fmt.Fprintf(errw, tell("keydesk kiosk journal: unbekanntes Format %q (erwartet: jsonl oder csv)\n",
			"keydesk kiosk journal: unknown format %q (want jsonl or csv)\n"), *format)
		return 2
	}
	o := ExportOptions{Path: *file, Format: ExportFormat(*format)}
	if *file == "" {
		if p, err := SettingsPath(); err == nil {
			if s, err := LoadSettings(p); err == nil && s.Journal != "" {
				o.Path = s.Journal
			}
		}
	}
	if *since != "" {
		t, err := parseSince(*since, time.Now())
		if err != nil {
			fmt.Fprintln(errw, "keydesk kiosk journal:", err)
			return 2
		}
		o.Since = t
	}
	if err := ExportJournal(out, o); err != nil {
		fmt.Fprintf(errw, tell("keydesk kiosk journal: Das Journal konnte nicht gelesen werden: %v\n",
			"keydesk kiosk journal: the journal could not be read: %v\n"), err)
		return 1
	}
	return 0
}

// flagProblem words a command-line error of package flag in the
// terminal's language (the flag package writes English).
func flagProblem(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return fmt.Sprintf(tell("unbekannte Option %s", "unknown option %s"), name)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return fmt.Sprintf(tell("der Option %s fehlt ihr Wert", "option %s needs a value"), name)
	}
	return msg
}

func parseSince(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf(tell("-since %q ist weder ein Zeitpunkt (2006-01-02 oder RFC 3339) noch eine Dauer (24h)",
		"-since %q is neither a time (2006-01-02 or RFC 3339) nor a duration (24h)"), s)
}

func adminPINCommand(in io.Reader, errw io.Writer) int {
	p, err := SettingsPath()
	if err != nil {
		fmt.Fprintln(errw, "keydesk kiosk admin-pin:", err)
		return 1
	}
	s, err := LoadSettings(p)
	if err != nil {
		fmt.Fprintln(errw, "keydesk kiosk admin-pin:", err)
		return 1
	}
	read := secretReader(in, errw)
	pin, err := read(tell("Neue Admin-PIN: ", "New admin PIN: "))
	if err != nil {
		fmt.Fprintln(errw, "keydesk kiosk admin-pin:", err)
		return 1
	}
	again, err := read(tell("Neue Admin-PIN wiederholen: ", "New admin PIN again: "))
	if err != nil {
		fmt.Fprintln(errw, "keydesk kiosk admin-pin:", err)
		return 1
	}
	if pin != again {
		fmt.Fprintln(errw, "keydesk kiosk admin-pin:", tell("Die beiden PINs sind verschieden.", "the two PINs differ"))
		return 1
	}
	if len([]rune(pin)) < AdminPINMinLength {
		fmt.Fprintf(errw, tell("keydesk kiosk admin-pin: Die Admin-PIN braucht mindestens %d Zeichen.\n",
			"keydesk kiosk admin-pin: the admin PIN needs at least %d characters\n"), AdminPINMinLength)
		return 1
	}
	h, err := HashAdminPIN(pin)
	if err != nil {
		fmt.Fprintln(errw, "keydesk kiosk admin-pin:", err)
		return 1
	}
	s.AdminPINHash = h
	if err := SaveSettings(p, s); err != nil {
		fmt.Fprintf(errw, tell("keydesk kiosk admin-pin: Die Einstellungen konnten nicht gespeichert werden: %v\n",
			"keydesk kiosk admin-pin: the settings could not be saved: %v\n"), err)
		return 1
	}
	fmt.Fprintf(errw, tell("Admin-PIN gesetzt (als Hash gespeichert in %s).\n", "Admin PIN set (stored hashed in %s).\n"), p)
	return 0
}

// secretReader reads secrets without echo from a terminal, else one line
// at a time from in.
func secretReader(in io.Reader, errw io.Writer) func(prompt string) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return func(prompt string) (string, error) {
			fmt.Fprint(errw, prompt)
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(errw)
			if err != nil {
				return "", errors.New(tell("Die PIN konnte nicht gelesen werden.", "reading the PIN failed"))
			}
			return string(b), nil
		}
	}
	br := bufio.NewReader(in)
	return func(string) (string, error) {
		line, err := br.ReadString('\n')
		if err != nil && line == "" {
			return "", errors.New(tell("Keine PIN auf der Standardeingabe.", "no PIN on standard input"))
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
}
