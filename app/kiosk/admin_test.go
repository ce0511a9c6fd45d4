package kiosk

import (
	"bytes"
	"github.com/keydesk/keydesk/app/kiosk/station"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// restartAt is a new station process: a machine reading the lockout state
// at path, with the clock at now.
func restartAt(t *testing.T, path string, now time.Time) *Machine {
	t.Helper()
	m := newTestMachine(t, func(o *Options) {
		o.AdminStatePath = path
		o.AdminLockout = 5 * time.Minute
		o.now = func() time.Time { return now }
	})
	if m.GateErr != nil {
		t.Fatalf("restart: %v", m.GateErr)
	}
	m.OpenAdmin(now)
	return m
}

// TestAdminLockoutSurvivesRestart: wrong admin PINs and the lockout are
// kept in a 0600 file, so pulling the plug gives no fresh tries; each
// lockout before the right PIN lasts twice the one before.
func TestAdminLockoutSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", station.AdminStateFile)
	now := t0

	m := restartAt(t, path, now)
	m.AdminTry("wrong-1", now)
	m.AdminTry("wrong-2", now)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v %v", fi, err)
	}

	// Restart: the third wrong PIN in a row locks, not the first of three.
	m = restartAt(t, path, now)
	if v := m.AdminTry("wrong-3", now); !v.Locked || !v.LockedUntil.Equal(now.Add(5*time.Minute)) {
		t.Fatalf("third wrong PIN after a restart: %+v", v)
	}

	// Restart while locked: still locked, the right PIN included.
	now = now.Add(4 * time.Minute)
	m = restartAt(t, path, now)
	if !strings.HasPrefix(m.AdminHint, "Too many wrong PINs") {
		t.Errorf("a restarted station's admin prompt: %q", m.AdminHint)
	}
	if v := m.AdminTry(testAdminPIN, now); v.OK || !v.Locked {
		t.Fatalf("the right PIN passed a lock that outlived a restart: %+v", v)
	}

	// After the lock, three more wrong PINs lock for twice as long, then
	// four times.
	for i, want := range []time.Duration{10 * time.Minute, 20 * time.Minute, 40 * time.Minute} {
		now = now.Add(time.Hour)
		m = restartAt(t, path, now)
		var v AdminVerdict
		for range 3 {
			v = m.AdminTry("wrong", now)
		}
		if !v.Locked || !v.LockedUntil.Equal(now.Add(want)) {
			t.Fatalf("lockout %d: %+v, want %s", i+2, v, want)
		}
		if i == 0 && adminWords(v, now) != "Too many wrong PINs. Try again in 10 minutes." {
			t.Errorf("words: %q", adminWords(v, now))
		}
	}

	// The right PIN after the lock clears it all, also for the next start.
	now = now.Add(time.Hour)
	m = restartAt(t, path, now)
	if v := m.AdminTry(testAdminPIN, now); !v.OK {
		t.Fatalf("right PIN after the lockout: %+v", v)
	}
	m = restartAt(t, path, now)
	if v := m.AdminTry("wrong", now); v.TriesLeft != 2 {
		t.Errorf("after the right PIN: %+v", v)
	}
	b, _ := os.ReadFile(path)
	if bytes.Contains(b, []byte(testAdminPIN)) || bytes.Contains(b, []byte("pbkdf2")) {
		t.Errorf("the state file holds the PIN or its hash: %s", b)
	}

	// The growth stops at a day, and a clock set back cannot make it longer.
	g := &adminGate{lockout: 5 * time.Minute}
	if d := g.lockoutFor(40); d != adminLockoutMax {
		t.Errorf("lockout 40: %s", d)
	}
	if w := adminWords(AdminVerdict{Locked: true, LockedUntil: t0.Add(adminLockoutMax)}, t0); w != "Too many wrong PINs. Try again in 24 hours." {
		t.Errorf("a day's lockout: %q", w)
	}
	far := []byte(`{"failures":0,"lockouts":9,"lockedUntil":"` + t0.Add(365*24*time.Hour).Format(time.RFC3339) + `"}`)
	if err := os.WriteFile(path, far, 0o600); err != nil {
		t.Fatal(err)
	}
	m = restartAt(t, path, t0)
	if v := m.AdminTry(testAdminPIN, t0.Add(adminLockoutMax+time.Second)); !v.OK {
		t.Errorf("a lock a year ahead (clock set back) outlasted a day: %+v", v)
	}
}

// TestAdminLockoutStateDamaged: a state file that cannot be understood
// locks the admin exit (fail closed) and says why, without panicking.
func TestAdminLockoutStateDamaged(t *testing.T) {
	path := filepath.Join(t.TempDir(), station.AdminStateFile)
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := newTestMachine(t, func(o *Options) {
		o.AdminStatePath = path
		o.now = func() time.Time { return t0 }
	})
	if m.GateErr == nil || !strings.Contains(m.GateErr.Error(), "locked") {
		t.Errorf("error: %v", m.GateErr)
	}
	m.OpenAdmin(t0)
	if v := m.AdminTry(testAdminPIN, t0); !v.Locked {
		t.Errorf("a damaged state file gave fresh tries: %+v", v)
	}
	if v := m.AdminTry(testAdminPIN, t0.Add(6*time.Minute)); !v.OK {
		t.Errorf("after the lockout: %+v", v)
	}
}

// TestAdminLockoutAcrossStationRestart: the window of a restarted station
// (a new kiosk on the same state file) still refuses the right PIN.
func TestAdminLockoutAcrossStationRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), station.AdminStateFile)
	mod := func(o *Options) { o.AdminStatePath = path }
	admin := func(s *testStation) func() *kioskEntry { return func() *kioskEntry { return s.k.w.admin } }
	openAdmin := func(s *testStation) {
		s.ui(func() { s.k.win.Canvas().(fyne.Shortcutable).TypedShortcut(AdminShortcut) })
		s.waitScreen(ScreenAdmin)
	}

	t.Run("first", func(t *testing.T) {
		s := newStation(t, virtualkey.Options{}, mod)
		openAdmin(s)
		for _, pin := range []string{"1111", "2222", "3333"} {
			s.enter(admin(s), pin)
		}
		if st := s.state(); !strings.HasPrefix(st.AdminHint, "Too many wrong PINs") {
			t.Fatalf("third wrong PIN: %q", st.AdminHint)
		}
	})
	t.Run("restarted", func(t *testing.T) {
		s := newStation(t, virtualkey.Options{}, mod)
		openAdmin(s)
		if st := s.state(); !strings.HasPrefix(st.AdminHint, "Too many wrong PINs. Try again in 5 minutes") {
			t.Errorf("restarted station's admin prompt: %q", st.AdminHint)
		}
		s.enter(admin(s), testAdminPIN)
		if s.exits.Load() != 0 {
			t.Fatal("the right PIN passed the lock after a restart")
		}
		s.clock.Store(int64(5*time.Minute + time.Second))
		s.enter(admin(s), testAdminPIN)
		if s.exits.Load() != 1 {
			t.Fatal("the right PIN after the lockout did not exit")
		}
	})
}
