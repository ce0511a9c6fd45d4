package kiosk

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/client/emulator"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// sameInGerman are the kiosk's words German writes as English does.
var sameInGerman = map[string]bool{"PIN": true}

var verb = regexp.MustCompile(`%[a-z]`)

// TestGermanWords is the static check of the kiosk's words: every word
// has German that differs from its English, with the same fmt verbs, and
// no string literal with words reaches a widget or a text setter except
// through the words (a go/ast walk over the package's source).
func TestGermanWords(t *testing.T) {
	for _, w := range wordsIn {
		if w.de == "" || (w.de == w.en && !sameInGerman[w.en]) {
			t.Errorf("%q has no German", w.en)
		}
		if a, b := verb.FindAllString(w.en, -1), verb.FindAllString(w.de, -1); strings.Join(a, "") != strings.Join(b, "") {
			t.Errorf("%q and %q differ in their verbs %v %v", w.en, w.de, a, b)
		}
	}
	fset := token.NewFileSet()
	names, _ := filepath.Glob("*.go")
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") || n == "words.go" {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(nd ast.Node) bool {
			call, ok := nd.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				name = fn.Sel.Name
				if id, ok := fn.X.(*ast.Ident); ok && (id.Name == "widget" || id.Name == "dialog") {
					name = "widget"
				}
			case *ast.Ident:
				name = fn.Name
			}
			switch name {
			case "widget", "SetText", "SetPlaceHolder", "heading", "body", "bigButton", "newEntry":
			default:
				return true
			}
			for _, a := range call.Args {
				ast.Inspect(a, func(nd ast.Node) bool {
					if b, ok := nd.(*ast.BasicLit); ok && b.Kind == token.STRING {
						s, _ := strconv.Unquote(b.Value)
						if hasWords(s) {
							t.Errorf("%s: %q reaches the screen without words.go", fset.Position(b.Pos()), s)
						}
					}
					return true
				})
			}
			return true
		})
	}
}

// commandWords are the parts of the command line's texts that are not
// translated: the command and its options, fmt verbs, formats.
var commandWords = regexp.MustCompile(`keydesk( kiosk)?( journal| admin-pin| run| help)?|-(since|format|file|h)\b|%[a-z]|\b(jsonl|csv|RFC 3339|\d{4}-\d\d-\d\d|\d+h)\b|[a-z]+\.[a-z.]+`)

// TestGermanCommandLine is the static check of what the kiosk prints on
// the terminal (run.go: what Run says before the station is up): every string literal with words in it is the
// German or the English of a tell call, and each tell's German differs
// from its English, with the same fmt verbs.
func TestGermanCommandLine(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "run.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	told := map[*ast.BasicLit]bool{}
	tells := 0
	ast.Inspect(f, func(nd ast.Node) bool {
		call, ok := nd.(*ast.CallExpr)
		if !ok {
			return true
		}
		if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "tell" || len(call.Args) != 2 {
			return true
		}
		tells++
		var pair [2]string
		for i, a := range call.Args {
			b, ok := a.(*ast.BasicLit)
			if !ok || b.Kind != token.STRING {
				t.Errorf("%s: tell takes two string literals", fset.Position(a.Pos()))
				continue
			}
			told[b] = true
			pair[i], _ = strconv.Unquote(b.Value)
		}
		if pair[0] == pair[1] {
			t.Errorf("%s: %q has no German", fset.Position(call.Pos()), pair[1])
		}
		if a, b := verb.FindAllString(pair[0], -1), verb.FindAllString(pair[1], -1); strings.Join(a, "") != strings.Join(b, "") {
			t.Errorf("%s: %q and %q differ in their verbs", fset.Position(call.Pos()), pair[0], pair[1])
		}
		return true
	})
	// run.go says only what Run says before the station is up (demo mode,
	// no admin PIN); the kiosk's commands and their words moved to package
	// cli, whose TestCLIGermanWords checks them.
	if tells < 2 {
		t.Errorf("only %d tell calls in run.go", tells)
	}
	ast.Inspect(f, func(nd ast.Node) bool {
		switch x := nd.(type) {
		case *ast.ImportSpec:
			return false
		case *ast.CallExpr: // strings.CutPrefix(msg, "flag provided…"): read, not written
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "strings" {
					return false
				}
			}
		}
		b, ok := nd.(*ast.BasicLit)
		if !ok || b.Kind != token.STRING || told[b] {
			return true
		}
		s, _ := strconv.Unquote(b.Value)
		if rest := commandWords.ReplaceAllString(s, " "); strings.Contains(strings.TrimSpace(rest), " ") && hasWords(rest) {
			t.Errorf("%s: %q reaches the terminal without tell", fset.Position(b.Pos()), s)
		}
		return true
	})
}

func hasWords(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n >= 2
}

// kioskTexts returns every sentence a person reads on the kiosk's window:
// labels, rich texts, buttons and canvas texts, and the placeholders of
// empty entries.
func kioskTexts(c fyne.Canvas) []string {
	var out []string
	add := func(s string) {
		for _, l := range strings.Split(s, "\n") {
			for _, p := range regexp.MustCompile(`[.!?:;]\s+`).Split(l, -1) {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
		}
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
		case *kioskEntry:
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

// journey walks one person through a station in language lang, as
// TestScreenshots does, and returns the texts of each screen.
func journey(t *testing.T, lang string) map[string][]string {
	s := newStation(t, virtualkey.Options{Presence: virtualkey.Presence{Mode: virtualkey.PresenceManual}},
		func(o *Options) { o.Language = lang })
	out := map[string][]string{}
	grab := func(name string) { s.ui(func() { out[name] = kioskTexts(s.k.win.Canvas()) }) }
	s.waitScreen(ScreenAttract)
	grab("attract")
	s.ui(func() { test.TypeOnCanvas(s.k.win.Canvas(), "e") })
	s.ui(func() { typeFocused(s.k, s.k.w.username, "mp-20417") })
	grab("username")
	s.env.Key.Unplug()
	s.ui(func() { s.k.w.username.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	s.waitScreen(ScreenInsertKey)
	grab("insert-key")
	if err := s.env.Key.Replug(); err != nil {
		t.Fatal(err)
	}
	s.waitScreen(ScreenSetPIN)
	grab("set-pin")
	s.ui(func() {
		typeFocused(s.k, s.k.w.newPIN, "1234")
		typeFocused(s.k, s.k.w.newPIN2, "1234")
	})
	s.tap(wordsContinue)
	grab("set-pin-trivial")
	s.ui(func() {
		s.k.w.newPIN.SetText("385619")
		s.k.w.newPIN2.SetText("385619")
	})
	s.tap(wordsContinue)
	s.waitScreen(ScreenTouch)
	s.waitFor("the key to blink", s.env.Key.Waiting)
	s.ui(func() { s.k.renderCountdown(s.k.now().Add(4 * time.Second)) })
	grab("touch")
	s.env.Key.Touch()
	s.waitScreen(ScreenSuccess)
	grab("success")
	s.tap(wordsDone)

	s.start("mp-20418")
	s.waitScreen(ScreenEnterPIN)
	grab("enter-pin")
	s.enter(func() *kioskEntry { return s.k.w.pin }, "111111")
	s.waitFor("the retry prompt", func() bool { return s.state().PINHint != "" })
	grab("enter-pin-retry")
	s.tap(wordsCancel)

	s.env.Cloud.FailNext(emulator.EndpointEnroll, emulator.CloudError(500, "internal", "boom"))
	s.start("mp-20419")
	s.waitScreen(ScreenFailure)
	grab("failure")
	s.tap(wordsDone)

	s.waitScreen(ScreenAttract)
	s.ui(func() { s.k.win.Canvas().(fyne.Shortcutable).TypedShortcut(AdminShortcut) })
	s.waitScreen(ScreenAdmin)
	grab("admin")
	s.enter(func() *kioskEntry { return s.k.w.admin }, "0000")
	grab("admin-wrong")
	return out
}

// notWords are texts that need no translation: codes, names, numbers.
var notWords = regexp.MustCompile(`^([^\pL]*|PIN|KeyDesk.*|Acme Corp|mp-\d+|error-\d{4}( \(\S+\))?|\S+:\S+)$`)

// TestGermanKiosk is the runtime check: a person's whole way through a
// station (every screen, the hints of wrong input, a failure, the admin
// exit) in English and in German; a sentence that reads the same in both,
// and is not a code or a name, was not translated.
func TestGermanKiosk(t *testing.T) {
	t.Cleanup(func() { useLanguage("en") })
	// Each station in its own subtest, so that the first one's virtual
	// key is gone before the second station looks for keys.
	var en, de map[string][]string
	t.Run("en", func(t *testing.T) { en = journey(t, "en") })
	t.Run("de", func(t *testing.T) { de = journey(t, "de") })
	names := make([]string, 0, len(de))
	for n := range de {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		english := map[string]bool{}
		for _, s := range en[n] {
			english[s] = true
		}
		if len(de[n]) == 0 {
			t.Errorf("%s: no text found", n)
		}
		for _, s := range de[n] {
			if english[s] && hasWords(s) && !notWords.MatchString(s) {
				t.Errorf("%s: %q is not translated", n, s)
			}
		}
	}
}

// TestHelpCodeNotInParentheses: a help code carries its own parentheses
// ("error-1002 (http:500)"), so a sentence that puts it in parentheses
// reads "(code error-1002 (http:500))" (seen in kiosk-failure-registered.png).
func TestHelpCodeNotInParentheses(t *testing.T) {
	t.Cleanup(func() { useLanguage("en") })
	for _, l := range []string{"en", "de"} {
		useLanguage(l)
		for _, w := range []string{wordsMayBeRegistered, wordsHelpdesk} {
			if s := fmt.Sprintf(w, "error-1002 (http:500)"); strings.Contains(s, "))") {
				t.Errorf("%s: %q", l, s)
			}
		}
	}
}
