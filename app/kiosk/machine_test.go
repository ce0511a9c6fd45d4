package kiosk

import (
	"encoding/json"
	"github.com/keydesk/keydesk/app/kiosk/station"
	"strings"
	"testing"
	"time"

	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
)

// The flow machine without widgets, keys or servers.

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func newTestMachine(t *testing.T, mod func(*Options)) *Machine {
	t.Helper()
	o := Options{PIN: station.PINPolicy{MinLength: 6}, IdleTimeout: time.Minute, ResultHold: 10 * time.Second,
		AdminPINHash: testAdminHash, Station: "m"}
	if mod != nil {
		mod(&o)
	}
	m, err := NewMachine(o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMachineWalkUp(t *testing.T) {
	m := newTestMachine(t, func(o *Options) { o.UsernamePattern = `[a-z]+(\.[a-z]+)?` })
	if m.Screen != ScreenAttract || m.Due(t0.Add(time.Hour)) {
		t.Fatal("the attract screen must wait for ever")
	}
	m.Begin(t0)
	if m.SubmitUsername("  ", t0) || m.UsernameHint == "" {
		t.Error("an empty username passed")
	}
	if m.SubmitUsername("Ada.Lovelace", t0) || m.UsernameHint != usernameWords(station.UsernameNoMatch, "username") {
		t.Errorf("a username outside the pattern passed: %q", m.UsernameHint)
	}
	if !m.SubmitUsername(" ada.lovelace ", t0) || m.Username != "ada.lovelace" || m.Screen != ScreenInsertKey {
		t.Fatalf("username refused: %q", m.UsernameHint)
	}
	if _, ok := m.KeysFound(nil, t0); ok || m.Screen != ScreenInsertKey {
		t.Error("no key moved on")
	}
	two := []KeyInfo{{Path: "a"}, {Path: "b"}}
	m.KeysFound(two, t0)
	if m.Screen != ScreenChooseKey {
		t.Fatalf("two keys: %s", m.Screen)
	}
	m.SelectionFailed(t0)
	if m.Screen != ScreenInsertKey || m.InsertHint == "" {
		t.Errorf("selection failed: %s %q", m.Screen, m.InsertHint)
	}
	k, ok := m.KeysFound([]KeyInfo{{Path: "a", Model: "Key A", MinPINLength: 8}}, t0.Add(time.Second))
	if !ok || k.Path != "a" || m.Screen != ScreenSetPIN || m.PINMin != 8 {
		t.Fatalf("one key without PIN: %s, min %d", m.Screen, m.PINMin)
	}
	if p := m.NewPIN("12345678", "12345678", t0); p != station.PINTrivial {
		t.Errorf("trivial PIN: %v", p)
	}
	if p := m.NewPIN("38561942", "38561942", t0.Add(2*time.Second)); p != station.PINOK || m.Screen != ScreenWorking || !m.PINSetHere {
		t.Fatalf("good PIN: %v, %s", p, m.Screen)
	}
	m.AskPIN(ctap.PINRetry, 2, t0)
	if m.Screen != ScreenEnterPIN || m.PINHint != retryWords(2) {
		t.Errorf("retry: %s %q", m.Screen, m.PINHint)
	}
	m.PINEntered(t0)
	m.TouchWaiting(t0.Add(30*time.Second), t0.Add(3*time.Second))
	if m.Screen != ScreenTouch || m.SecondsLeft(t0.Add(10*time.Second)) != 20 {
		t.Errorf("touch: %s %d", m.Screen, m.SecondsLeft(t0.Add(10*time.Second)))
	}
	m.TouchDone(t0.Add(4 * time.Second))
	e, ok := m.Finish(finished("success-registration", result.Code{}), t0.Add(5*time.Second))
	if !ok || m.Screen != ScreenSuccess {
		t.Fatal("no success")
	}
	want := station.JournalEntry{Time: t0, Station: "m", Username: "ada.lovelace", Outcome: "success-registration",
		KeyModel: "Key A", PINSet: true, DurationMS: 5000}
	if e != want {
		t.Errorf("journal entry %+v, want %+v", e, want)
	}
	if _, ok := m.Finish(finished("error-1001", result.CTAP(0x31)), t0); ok {
		t.Error("a second result for the same person")
	}
	if m.Due(t0.Add(14*time.Second)) || !m.Due(t0.Add(15*time.Second)) {
		t.Error("the success screen must stay ResultHold, then go")
	}
	if _, ok := m.Reset(t0.Add(15 * time.Second)); ok {
		t.Error("a finished session was journalled twice")
	}
	if m.State != (State{}) {
		t.Errorf("not zeroed: %+v", m.State)
	}
}

func TestMachineFailureTextIsTheCatalogues(t *testing.T) {
	m := newTestMachine(t, nil)
	m.Begin(t0)
	m.SubmitUsername("bob", t0)
	m.KeysFound([]KeyInfo{{Path: "a", PINSet: true}}, t0)
	if m.Screen != ScreenWorking {
		t.Fatalf("a key with a PIN goes straight to the ceremony, not %s", m.Screen)
	}
	m.Finish(finished("error-1002", result.HTTP(503)), t0)
	if m.FailureText != result.Lookup(result.HTTP(503)).Text(result.User) || m.HelpCode != "error-1002 (http:503)" {
		t.Errorf("failure: %q %q", m.FailureText, m.HelpCode)
	}
	m.Reset(t0)
	m.Begin(t0)
	m.SubmitUsername("bob", t0)
	m.KeysFound([]KeyInfo{{Path: "a", PINSet: true}}, t0)
	m.Finish(finished("error-1099", result.Code{}), t0)
	if m.FailureText != result.Lookup(result.Nevis("error-1099")).Text(result.User) || m.HelpCode != "error-1099" {
		t.Errorf("failure without cause: %q %q", m.FailureText, m.HelpCode)
	}
}

func TestMachineMayBeRegistered(t *testing.T) {
	m := newTestMachine(t, nil)
	m.Begin(t0)
	m.SubmitUsername("bob", t0)
	m.KeysFound([]KeyInfo{{Path: "a", PINSet: true}}, t0)
	rec := finished("error-1002", result.HTTP(500))
	rec.AcceptedByCloud = true
	e, _ := m.Finish(rec, t0)
	if !m.MayBeRegistered || m.FailureText != result.Lookup(result.HTTP(500)).Text(result.User) || e.Cause != "http:500" {
		t.Errorf("accepted, then failed: %v %q, journal cause %q", m.MayBeRegistered, m.FailureText, e.Cause)
	}
	m.Reset(t0)
	if m.MayBeRegistered {
		t.Error("not forgotten")
	}
	m.Begin(t0)
	m.SubmitUsername("bob", t0)
	m.KeysFound([]KeyInfo{{Path: "a", PINSet: true}}, t0)
	m.Finish(finished("error-1002", result.HTTP(500)), t0)
	if m.MayBeRegistered {
		t.Error("a failure the Cloud did not accept says the key may be registered")
	}
}

func TestMachineIdle(t *testing.T) {
	m := newTestMachine(t, nil)
	m.Begin(t0)
	if m.Due(t0.Add(59 * time.Second)) {
		t.Error("due before the idle timeout")
	}
	m.Activity(t0.Add(30 * time.Second))
	if m.Due(t0.Add(89*time.Second)) || !m.Due(t0.Add(90*time.Second)) {
		t.Error("activity must restart the idle timeout")
	}
	if _, ok := m.Reset(t0); ok {
		t.Error("a session without username was journalled")
	}
	m.Begin(t0)
	m.SubmitUsername("carol", t0)
	e, ok := m.Reset(t0.Add(time.Minute))
	if !ok || e.Outcome != station.OutcomeAbandoned || e.Username != "carol" || e.Cause != "keydesk:cancelled" {
		t.Errorf("abandoned session: %+v", e)
	}
	// Left idle is not a cancel.
	m.Begin(t0)
	m.SubmitUsername("dave", t0)
	e, ok = m.Expire(t0.Add(time.Minute))
	if !ok || e.Outcome != station.OutcomeAbandoned || e.Username != "dave" || e.Cause != result.CodeIdleTimeout.String() {
		t.Errorf("session left idle: %+v", e)
	}
	m.Activity(t0)
	if m.State != (State{}) {
		t.Error("activity on the attract screen changed the state")
	}
}

func TestMachineStaleReportsIgnored(t *testing.T) {
	m := newTestMachine(t, nil)
	m.AskPIN(ctap.PINEnter, 8, t0)
	m.TouchWaiting(t0, t0)
	m.KeysFound([]KeyInfo{{Path: "a"}}, t0)
	if _, ok := m.Finish(finished("success-registration", result.Code{}), t0); ok || m.Screen != ScreenAttract {
		t.Errorf("a report reached the attract screen: %s", m.Screen)
	}
}

func TestAdminGate(t *testing.T) {
	m := newTestMachine(t, func(o *Options) { o.AdminLockout = time.Minute })
	m.OpenAdmin(t0)
	if v := m.AdminTry("1", t0); v.OK || v.TriesLeft != 2 {
		t.Errorf("first wrong: %+v", v)
	}
	if v := m.AdminTry(testAdminPIN, t0); !v.OK || !m.Exiting() {
		t.Errorf("right PIN: %+v", v)
	}
	m.OpenAdmin(t0)
	for i := range 3 {
		v := m.AdminTry("nope", t0)
		if (i == 2) != v.Locked {
			t.Errorf("try %d: %+v", i, v)
		}
	}
	if v := m.AdminTry(testAdminPIN, t0.Add(59*time.Second)); v.OK || !v.Locked {
		t.Errorf("the right PIN passed the lock: %+v", v)
	}
	m.Reset(t0)
	m.OpenAdmin(t0.Add(30 * time.Second))
	if !strings.HasPrefix(m.AdminHint, "Too many") {
		t.Errorf("reopening a locked prompt: %q", m.AdminHint)
	}
	if v := m.AdminTry(testAdminPIN, t0.Add(61*time.Second)); !v.OK {
		t.Errorf("after the lockout: %+v", v)
	}
}

func TestPINPolicy(t *testing.T) {
	p := station.PINPolicy{MinLength: 6, Forbidden: []string{"Passw0rd"}}
	for _, c := range []struct {
		pin    string
		keyMin int
		want   station.PINProblem
	}{
		{"", 4, station.PINEmpty},
		{"12345", 4, station.PINTooShort},
		{"385619", 8, station.PINTooShort},
		{"38561942", 8, station.PINOK},
		{"000000", 4, station.PINTrivial},
		{"123456", 4, station.PINTrivial},
		{"987654", 4, station.PINTrivial},
		{"121212", 4, station.PINTrivial},
		{"123123", 4, station.PINTrivial},
		{"abcdef", 4, station.PINTrivial},
		{"passw0rd", 4, station.PINForbidden},
		{"385619", 4, station.PINOK},
		{"12121x", 4, station.PINOK},
		{"pin\x01ab", 4, station.PINInvalid},
		{strings.Repeat("ü", 32), 4, station.PINTooLong},
	} {
		if got := p.Check(c.pin, c.pin, c.keyMin); got != c.want {
			t.Errorf("Check(%q, key min %d) = %v, want %v", c.pin, c.keyMin, got, c.want)
		}
	}
	if got := p.Check("385619", "385618", 4); got != station.PINMismatch {
		t.Errorf("mismatch: %v", got)
	}
	off := false
	for _, c := range []struct {
		name   string
		p      station.PINPolicy
		pin    string
		want   station.PINProblem
		banned bool // the set-PIN screen promises no simple patterns
	}{
		{"default", station.PINPolicy{}, "1234", station.PINTrivial, true},
		{"default", station.PINPolicy{}, "0000", station.PINTrivial, true},
		{"default", station.PINPolicy{}, "3856", station.PINOK, true},
		{"from an empty kiosk.json", mustPolicy(t, `{}`), "1234", station.PINTrivial, true},
		{"forbidTrivial true", mustPolicy(t, `{"forbidTrivial":true}`), "4321", station.PINTrivial, true},
		{"forbidTrivial false", mustPolicy(t, `{"forbidTrivial":false}`), "1234", station.PINOK, false},
		{"off, with a list", station.PINPolicy{ForbidTrivial: &off, Forbidden: []string{"1234"}}, "1234", station.PINForbidden, false},
		{"off, with a list", station.PINPolicy{ForbidTrivial: &off, Forbidden: []string{"1234"}}, "1111", station.PINOK, false},
	} {
		if got := c.p.Check(c.pin, c.pin, 4); got != c.want {
			t.Errorf("%s: Check(%q) = %v, want %v", c.name, c.pin, got, c.want)
		}
		words := setPINWords(4, c.p.ForbidsTrivial())
		if promised := strings.Contains(words, "1234"); promised != c.banned {
			t.Errorf("%s: the set-PIN screen says %q", c.name, words)
		}
	}
}

func mustPolicy(t *testing.T, js string) station.PINPolicy {
	t.Helper()
	var s station.Settings
	if err := json.Unmarshal([]byte(`{"pinPolicy":`+js+`}`), &s); err != nil {
		t.Fatal(err)
	}
	return s.PIN
}

// finished is the record of an enrollment that ended with the
// fido2-client status code status and the cause cause.
func finished(status string, cause result.Code) ceremony.Record {
	return ceremony.Record{Kind: ceremony.KindEnroll, Outcome: result.NewOutcome(status, ""), Cause: cause}
}
