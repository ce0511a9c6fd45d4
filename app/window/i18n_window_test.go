package window

import (
	"context"
	"log"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// visibleTexts walks what the window shows (content and overlays: the
// dialogs) and returns every sentence a person reads: the texts of
// labels, rich texts, buttons, checks, links and canvas texts, the options
// of selects and radio groups and the placeholders of empty entries. A
// text is cut into lines and sentences (and after a colon), so that an
// English sentence inside a translated text is found too.
func visibleTexts(c fyne.Canvas) []string {
	var out []string
	add := func(s string) {
		out = append(out, splitSentences(s)...)
	}
	read := func(o fyne.CanvasObject) bool {
		switch x := o.(type) {
		case *canvas.Text:
			add(x.Text)
		case *widget.Label:
			add(x.Text)
		case *widget.RichText:
			add(x.String())
		case *widget.Button:
			add(x.Text)
		case *widget.Check:
			add(x.Text)
		case *widget.Hyperlink:
			add(x.Text)
		case *widget.Select:
			for _, opt := range x.Options {
				add(opt)
			}
			if x.Selected == "" {
				add(x.PlaceHolder)
			}
		case *widget.RadioGroup:
			for _, opt := range x.Options {
				add(opt)
			}
		case *widget.Entry:
			// What is typed is the person's; the placeholder is ours.
			if x.Text == "" {
				add(x.PlaceHolder)
			}
		default:
			return true
		}
		return false
	}
	uitest.WalkCanvas(c, uitest.Renderers|uitest.VisibleOnly, read)
	return out
}

// sentenceEnd ends a sentence: a full stop, a colon, a semicolon or a
// dash between words.
var sentenceEnd = regexp.MustCompile(`([.!?:;]|\s—)\s+`)

func splitSentences(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, p := range sentenceEnd.Split(l, -1) {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// notWords are visible texts that need no translation: names, codes,
// numbers, addresses, identifiers.
var notWords = []*regexp.Regexp{
	regexp.MustCompile(`^[^\pL]*$`),                 // no letters: numbers, times, symbols
	regexp.MustCompile(`^\S+@\S+$`),                 // usernames
	regexp.MustCompile(`^(https?://|virtual:)\S+$`), // addresses, device paths
	regexp.MustCompile(`^AAGUID [0-9a-f-]+$`),       // a key's model ID
	regexp.MustCompile(`^/\S*$`),                    // file paths
	// Names: KeyDesk, the virtual key's product line, the Cloud.
	regexp.MustCompile(`^(KeyDesk|Nevis|Authentication Cloud|KeyDesk Virtual Key|Virtual Key \(demo\))$`),
	// Words German uses as they are.
	regexp.MustCompile(`^(OK|PIN|Deutsch|English|Helpdesk|Diagnose|Origin|Authenticators|Firmware|Flags|Format)$`),
	// Key data: AAGUIDs, certificate names, flags, attestation formats.
	regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`),
	regexp.MustCompile(`^(CN|OU|O|C|L|ST)=`),
	regexp.MustCompile(`^[A-Z]{2}(\|[A-Z]{2})*$`),
	regexp.MustCompile(`^(packed|none|fido-u2f|tpm|android-key|android-safetynet|apple)$`),
	// Only codes and identifiers: CTAP2_ERR_…, NotAllowedError, success-authentication.
	regexp.MustCompile(`^(([A-Z0-9_]{3,}|[A-Z][a-zA-Z]+Error|[a-z]+(-[a-z0-9]+)+|/)\s*)+$`),
	regexp.MustCompile(`^(0x[0-9A-F]{2}|-?\d+) ?(CTAP\d?_\w+|FIDO_\w+)?$`), // CTAP and libfido2 codes and names
	regexp.MustCompile(`^[a-z]+(-[a-z0-9]+)+ \(\d+ ms\)$`),                 // a ceremony's code and duration
}

func needsTranslation(s string) bool {
	for _, re := range notWords {
		if re.MatchString(s) {
			return false
		}
	}
	return hasWords(s)
}

// screenTexts builds the window in language code against a fresh demo
// environment, runs an enrollment, a sign-in, a failed enrollment and a
// diagnosis so that results and the timeline are on screen, visits every
// screen and the touch dialog, and returns the texts read on each.
func screenTexts(t *testing.T, code string) map[string][]string {
	SetLanguage(code)
	u, env := newTestUI(t)
	defer u.Stop()
	ctx := context.Background()
	svc := u.S
	dev, err := svc.Key(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.SetPIN(ctx, "2468"); err != nil {
		t.Fatal(err)
	}
	r, err := svc.Runner(testkit.AlwaysPIN("2468"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		kind ceremony.Kind
		run  func() *ceremony.Result
	}{
		{ceremony.KindEnroll, func() *ceremony.Result {
			return r.Enroll(ctx, ceremony.EnrollInput{Username: "alice@example.com", DisplayName: "Alice Example", FriendlyName: "Key"})
		}},
		{ceremony.KindSignIn, func() *ceremony.Result { return r.Approve(ctx, ceremony.ApproveInput{Username: "alice@example.com"}) }},
		{ceremony.KindEnroll, func() *ceremony.Result {
			env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceDenied})
			defer env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceGranted})
			return r.Enroll(ctx, ceremony.EnrollInput{Username: "bob@example.com", FriendlyName: "Key"})
		}},
		// Last a good enrollment, so that the helpdesk shows its key data.
		{ceremony.KindEnroll, func() *ceremony.Result {
			return r.Enroll(ctx, ceremony.EnrollInput{Username: "dave@example.com", DisplayName: "Dave", FriendlyName: "Key"})
		}},
	} {
		cer := newCeremony(c.kind, c.run())
		svc.History.Add(cer)
		if c.kind == ceremony.KindEnroll {
			u.Enroll.show(cer)
		} else {
			u.SignIn.show(cer)
		}
	}
	u.Keys.Scan(ctx, true)
	onUI(func() {
		_ = u.Helpdesk.Paste.Set("error-1001")
		u.Helpdesk.Diagnose()
	})
	if err := u.Helpdesk.LookupUser(ctx, svc.History.All()[0].UserID); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, n := range Screens {
		onUI(func() { u.Show(n) })
		onUI(func() { out[n] = visibleTexts(u.Win.Canvas()) })
	}
	// The factory reset's confirmation, then dismissed.
	onUI(func() {
		u.Show(ScreenManage)
		test.Tap(u.manageScreen.reset)
		out["reset dialog"] = visibleTexts(u.Win.Canvas())
		if top := u.Win.Canvas().Overlays().Top(); top != nil {
			u.Win.Canvas().Overlays().Remove(top)
		}
	})

	// The PIN dialog of a sign-in (the key has a PIN), then cancelled.
	u.SignIn.OnDone = nil
	onUI(func() {
		u.Show(ScreenSignIn)
		_ = u.SignIn.Username.Set("alice@example.com")
		u.SignIn.Start(u.prompterFactory())
	})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var shown bool
		onUI(func() { shown = u.Win.Canvas().Overlays().Top() != nil })
		if shown {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no PIN dialog")
		}
	}
	time.Sleep(100 * time.Millisecond)
	onUI(func() { out["PIN dialog"] = visibleTexts(u.Win.Canvas()) })
	u.SignIn.Cancel()
	u.SignIn.Wait()

	// The touch dialog, waiting for a touch.
	env.Key.SetPresence(virtualkey.Presence{Mode: virtualkey.PresenceManual})
	// No rescan after it: a scan left running would still be writing
	// this window's texts when the next language's window is built.
	u.Enroll.OnDone = nil
	onUI(func() {
		u.Show(ScreenEnroll)
		_ = u.Enroll.Username.Set("carol@example.com")
		u.Enroll.Start(func(cancel context.CancelFunc) ctap.Prompter {
			return touchOnly{u.prompter(cancel), "2468"}
		})
	})
	for deadline := time.Now().Add(20 * time.Second); !env.Key.Waiting(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the key never waited for a touch")
		}
	}
	time.Sleep(100 * time.Millisecond)
	onUI(func() { out["touch dialog"] = visibleTexts(u.Win.Canvas()) })
	env.Key.Touch()
	u.Enroll.Wait()
	return out
}

// TestGermanWindow is the runtime check: every screen (and the touch
// dialog) is built in English and in German with the same results on
// it; a line of text that reads the same in both, and is not a name, a
// code or a number, was not translated. Fyne must log no "Translation
// failure" while the German window is built and used.
func TestGermanWindow(t *testing.T) {
	t.Cleanup(func() { SetLanguage("en") })
	en := screenTexts(t, "en")
	var logs testkit.SyncBuffer
	log.SetOutput(&logs)
	de := screenTexts(t, "de")
	log.SetOutput(os.Stderr)
	if strings.Contains(logs.String(), "Translation failure") {
		t.Errorf("Fyne logged translation failures in German:\n%s", firstLines(logs.String(), 20))
	}
	for _, screen := range append(append([]string(nil), Screens...), "reset dialog", "PIN dialog", "touch dialog") {
		english := map[string]bool{}
		for _, s := range en[screen] {
			english[s] = true
		}
		if len(de[screen]) == 0 {
			t.Errorf("%s: no text found", screen)
		}
		seen := map[string]bool{}
		var bad []string
		for _, s := range de[screen] {
			if english[s] && needsTranslation(s) && !seen[s] {
				seen[s] = true
				bad = append(bad, s)
			}
		}
		sort.Strings(bad)
		for _, s := range bad {
			t.Errorf("%s: %q is not translated", screen, s)
		}
	}
}

func firstLines(s string, n int) string {
	l := strings.SplitN(s, "\n", n+1)
	if len(l) > n {
		l = l[:n]
	}
	return strings.Join(l, "\n")
}
