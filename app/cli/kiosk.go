package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/keydesk/keydesk/app/kiosk/station"
)

// This file is `keydesk kiosk`: the station's commands that need no window
// (journal, admin-pin, help) run here; `keydesk kiosk [run]` opens the
// station through Windows.Kiosk (openWindow).

func init() {
	register(Command{Name: "kiosk", Summary: wordSummaryKiosk.en, Run: kioskCommand})
}

// kioskCommand is the `keydesk kiosk` command line:
//
//	keydesk kiosk [run]                               open the station
//	keydesk kiosk journal [-since T] [-format F] [-file P]  export the journal
//	keydesk kiosk admin-pin                           set the admin PIN (read twice, no echo)
//
// -since takes an RFC 3339 time, a date (2006-01-02) or a duration back
// from now (24h); -format is jsonl (default) or csv.
func kioskCommand(args []string, s IO) int {
	cmd := "run"
	if len(args) > 0 && (!strings.HasPrefix(args[0], "-") || args[0] == "-h" || args[0] == "--help") {
		cmd, args = args[0], args[1:]
	}
	// A flag first (keydesk kiosk --x) is one run does not take.
	switch cmd {
	case "run":
		if len(args) > 0 { // the station takes its settings from kiosk.json
			return kioskBadUsage(s, args[0])
		}
		return openWindow(s, s.windows.Kiosk)
	case "journal":
		return kioskJournal(args, s)
	case "admin-pin":
		return kioskAdminPIN(s)
	case "help":
		fmt.Fprint(s.Out, kioskUsage())
		return 0
	case "-h", "--help": // as every command's -h: on standard error
		fmt.Fprint(s.Err, kioskUsage())
		return 0
	}
	fmt.Fprint(s.Err, wordKioskUnknown.f(cmd))
	return 2
}

// kioskBadUsage refuses an argument `keydesk kiosk run` does not take.
func kioskBadUsage(s IO, arg string) int {
	problem := wordKioskUnknown.f(arg)
	if strings.HasPrefix(arg, "-") {
		problem = wordProblem.f("kiosk", wordUnknownFlag.f(arg))
	}
	fmt.Fprintf(s.Err, "%s\n%s", problem, kioskUsage())
	return 2
}

func kioskJournal(args []string, s IO) int {
	// The flags' help is kioskUsage, in the CLI's language; the flag
	// package's own words are English, so it prints nothing itself.
	fs := flag.NewFlagSet("keydesk kiosk journal", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	since := fs.String("since", "", wordFlagKioskSince.en)
	format := fs.String("format", "jsonl", wordFlagKioskFormat.en)
	file := fs.String("file", "", wordFlagKioskFile.en)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(s.Out, kioskUsage())
			return 0
		}
		fmt.Fprint(s.Err, wordProblem.f("kiosk journal", flagProblem(err))+"\n"+kioskUsage())
		return 2
	}
	if f := station.ExportFormat(*format); f != station.ExportJSONLines && f != station.ExportCSV {
		fmt.Fprint(s.Err, wordKioskFormat.f(*format))
		return 2
	}
	o := station.ExportOptions{Path: *file, Format: station.ExportFormat(*format)}
	if *file == "" {
		if p, err := station.SettingsPath(); err == nil {
			if st, err := station.LoadSettings(p); err == nil && st.Journal != "" {
				o.Path = st.Journal
			}
		}
	}
	if *since != "" {
		t, err := parseSince(*since, time.Now())
		if err != nil {
			fmt.Fprint(s.Err, wordProblem.f("kiosk journal", localText(err)))
			return 2
		}
		o.Since = t
	}
	if err := station.ExportJournal(s.Out, o); err != nil {
		fmt.Fprint(s.Err, wordKioskNoJournal.f(err))
		return 1
	}
	return 0
}

// parseSince reads -since: a duration back from now, an RFC 3339 time or
// a date.
func parseSince(v string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(v); err == nil {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, wordKioskSince.err(v)
}

func kioskAdminPIN(s IO) int {
	p, err := station.SettingsPath()
	if err != nil {
		fmt.Fprint(s.Err, wordProblem.f("kiosk admin-pin", localText(err)))
		return 1
	}
	st, err := station.LoadSettings(p)
	if err != nil {
		fmt.Fprint(s.Err, wordProblem.f("kiosk admin-pin", localText(err)))
		return 1
	}
	pin, err := s.ReadSecret(wordAdminPIN.String())
	if err != nil {
		fmt.Fprint(s.Err, wordProblem.f("kiosk admin-pin", localText(err)))
		return 1
	}
	again, err := s.ReadSecret(wordAdminPINAgain.String())
	if err != nil {
		fmt.Fprint(s.Err, wordProblem.f("kiosk admin-pin", localText(err)))
		return 1
	}
	if pin != again {
		fmt.Fprint(s.Err, wordProblem.f("kiosk admin-pin", wordPINsDiffer))
		return 1
	}
	if len([]rune(pin)) < station.AdminPINMinLength {
		fmt.Fprint(s.Err, wordAdminPINShort.f(station.AdminPINMinLength))
		return 1
	}
	h, err := station.HashAdminPIN(pin)
	if err != nil {
		fmt.Fprint(s.Err, wordProblem.f("kiosk admin-pin", localText(err)))
		return 1
	}
	st.AdminPINHash = h
	if err := station.SaveSettings(p, st); err != nil {
		fmt.Fprint(s.Err, wordAdminNotSaved.f(err))
		return 1
	}
	fmt.Fprint(s.Err, wordAdminPINSet.f(p))
	return 0
}
