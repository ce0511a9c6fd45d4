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
