package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/keydesk/keydesk/client/ceremony"
)

// TestCLIGermanWords: every literal the CLI passes to say has German, so
// has every entry of the help's tables, every named word (words.go) and
// every timeline step of package ceremony (stepWords).
func TestCLIGermanWords(t *testing.T) {
	need := map[string]string{}
	collect := func(dir string, match func(call *ast.CallExpr) (ast.Expr, bool)) {
		fset := token.NewFileSet()
		names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, n := range names {
			if strings.HasSuffix(n, "_test.go") {
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
				if a, ok := match(call); ok {
					if b, ok := a.(*ast.BasicLit); ok && b.Kind == token.STRING {
						s, _ := strconv.Unquote(b.Value)
						need[s] = fset.Position(b.Pos()).String()
					}
				}
				return true
			})
		}
	}
	named := func(name string, arg int) func(*ast.CallExpr) (ast.Expr, bool) {
		return func(c *ast.CallExpr) (ast.Expr, bool) {
			var n string
			switch f := c.Fun.(type) {
			case *ast.Ident:
				n = f.Name
			case *ast.SelectorExpr:
				n = f.Sel.Name
			}
			if n != name || len(c.Args) <= arg {
				return nil, false
			}
			return c.Args[arg], true
		}
	}
	collect(".", named("say", 0))
	collect(".", named("done", 2))
	// The help: each flag's help (printHelp says it) and each command's
	// summary are words of words.go (their .en: the flag package and the
	// command table keep the English), what each command does (helps) a
	// literal keyed for say.
	tableWord := func(e ast.Expr) bool {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "en" {
			return false
		}
		id, ok := sel.X.(*ast.Ident)
		return ok && strings.HasPrefix(id.Name, "word")
	}
	flagHelps := 0
	fset := token.NewFileSet()
	names, _ := filepath.Glob("*.go")
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(nd ast.Node) bool {
			switch x := nd.(type) {
			case *ast.CallExpr: // flag helps: fs.String(name, value, help), fs.StringVar(p, name, value, help)
				if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
					i := map[string]int{"String": 2, "Bool": 2, "Int": 2, "Duration": 2, "StringVar": 3, "BoolVar": 3, "IntVar": 3, "DurationVar": 3}[sel.Sel.Name]
					if i > 0 && len(x.Args) == i+1 {
						flagHelps++
						if !tableWord(x.Args[i]) {
							t.Errorf("%s: a flag's help that is not a word of words.go", fset.Position(x.Pos()))
						}
					}
					if sel.Sel.Name == "PrintDefaults" {
						t.Errorf("%s: PrintDefaults writes the flags' help in English; printHelp says it", fset.Position(x.Pos()))
					}
				}
			case *ast.KeyValueExpr: // Command{Summary: wordSummary….en}
				if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Summary" && !tableWord(x.Value) {
					t.Errorf("%s: a command's summary that is not a word of words.go", fset.Position(x.Pos()))
				}
			case *ast.ValueSpec: // helps: what each command does
				if len(x.Names) == 1 && x.Names[0].Name == "helps" && len(x.Values) == 1 {
					for _, e := range x.Values[0].(*ast.CompositeLit).Elts {
						h := e.(*ast.KeyValueExpr).Value.(*ast.CompositeLit)
						if b, ok := h.Elts[1].(*ast.BasicLit); ok && b.Kind == token.STRING {
							s, _ := strconv.Unquote(b.Value)
							need[s] = fset.Position(b.Pos()).String()
						}
					}
				}
			case *ast.BasicLit: // no help of a command's own in English
				if s, _ := strconv.Unquote(x.Value); x.Kind == token.STRING && n != "help.go" && n != "words.go" && (strings.HasPrefix(strings.ToLower(s), "usage:") || strings.HasPrefix(s, "Usage of")) {
					t.Errorf("%s: %q: a command's help outside helps", fset.Position(x.Pos()), s)
				}
			}
			return true
		})
	}
	if flagHelps < 15 {
		t.Errorf("found only %d flag helps", flagHelps)
	}
	t.Setenv("LANGUAGE", "de")
	for _, w := range tableWords {
		if strings.Count(w.de, "`") != strings.Count(w.en, "`") {
			t.Errorf("flag help %q: its German %q names its value differently", w.en, w.de)
		}
		if say(w.en) != w.de {
			t.Errorf("say(%q) is not its German %q", w.en, w.de)
		}
	}
	t.Setenv("LANGUAGE", "en")
	if len(helps) < len(commands) {
		t.Errorf("%d commands but %d helps", len(commands), len(helps))
	}
	for _, n := range ceremony.StepNames {
		if w, ok := stepNameWords[n]; !ok || w.en == "" || w.de == "" {
			t.Errorf("timeline step %q has no words in both languages (stepNameWords)", n)
		}
	}
	checkWordTwins(t)
	for s, where := range need {
		if _, ok := germanCLI[s]; !ok {
			t.Errorf("%s: %q has no German", where, s)
		}
	}
}

// TestCLIGerman: with LANGUAGE=de a ceremony's report, the prompts and
// keydesk explain are German; --json stays English.
func TestCLIGerman(t *testing.T) {
	useConfigDir(t)
	t.Setenv("LANGUAGE", "de")
	code, out, errs := run(t, "", []string{"5555", "5555", "5555"}, "enroll", "--demo", "--user", "alice")
	if code != 0 {
		t.Fatalf("enroll: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"WebAuthn-Zugang erfolgreich registriert", "Ablauf:", "Registrierung starten", "Token prüfen"} {
		if !strings.Contains(out, want) {
			t.Errorf("enroll output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "Berühren Sie Ihren Sicherheitsschlüssel, um einen Zugang anzulegen") {
		t.Errorf("touch prompt not German:\n%s", errs)
	}
	for _, w := range []string{"Timeline:", "start enrollment", "Touch your security key"} {
		if strings.Contains(out+errs, w) {
			t.Errorf("German output still says %q", w)
		}
	}
	out, errs, code = runCLI(t, "", "explain", "--audience", "user", "error-1001")
	if code != 0 || !strings.Contains(out, "Am wahrscheinlichsten:") || !strings.Contains(out, "Was zu tun ist:") {
		t.Errorf("explain in German: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = run(t, "", []string{"5555"}, "enroll", "--demo", "--user", "bob", "--json")
	if code != 0 || !strings.Contains(out, `"statusCode": "success-registration"`) || strings.Contains(out, "Registrierung") {
		t.Errorf("--json is not English: exit %d\n%s\n%s", code, out, errs)
	}
}

// TestCLIHelpGerman: with LANGUAGE=de, `keydesk help` and every
// command's -h are German: no line with words reads as in English, other
// than what is typed (the synopses' commands, the flags' names).
func TestCLIHelpGerman(t *testing.T) {
	help := func(lang string, args ...string) string {
		t.Setenv("LANGUAGE", lang)
		out, errOut, code := runCLI(t, "", args...)
		if code != 0 {
			t.Errorf("LANGUAGE=%s keydesk %s: exit %d", lang, strings.Join(args, " "), code)
		}
		return out + errOut
	}
	runs := [][]string{{"help"}, {"pin", "-h"}, {"credentials", "-h"}, {"webauthn", "-h"}, {"pin", "set", "-h"}, {"credentials", "delete", "-h"}, {"webauthn", "get", "-h"}}
	for name := range commands {
		runs = append(runs, []string{name, "-h"})
	}
	for _, args := range runs {
		en, de := help("en", args...), help("de", args...)
		english := map[string]bool{}
		for _, l := range strings.Split(en, "\n") {
			english[strings.TrimSpace(l)] = true
		}
		for _, l := range strings.Split(de, "\n") {
			l = strings.TrimSpace(l)
			typed := strings.HasPrefix(l, "keydesk ") || strings.HasPrefix(l, "--") || l == ""
			if english[l] && !typed {
				t.Errorf("LANGUAGE=de keydesk %s: %q is English", strings.Join(args, " "), l)
			}
		}
		if !strings.Contains(de, "Aufruf:") {
			t.Errorf("LANGUAGE=de keydesk %s: no \"Aufruf:\"\n%s", strings.Join(args, " "), de)
		}
	}
	t.Setenv("LANGUAGE", "de")
	if _, de, code := runCLI(t, "", "enroll", "--no-such-flag"); code != 2 || !strings.Contains(de, "unbekannte Option -no-such-flag") || !strings.Contains(de, "Aufruf:") {
		t.Errorf("a bad flag in German: exit %d\n%s", code, de)
	}
}

// checkWordTwins: every word of words.go has its English and its German
// (a word{…} literal, or an entry of a map of words, with two texts).
func checkWordTwins(t *testing.T) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "words.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]string{}
	ast.Inspect(f, func(nd ast.Node) bool {
		if vs, ok := nd.(*ast.ValueSpec); ok && len(vs.Names) == 1 && len(vs.Values) == 1 {
			if b, ok := vs.Values[0].(*ast.BasicLit); ok && b.Kind == token.STRING {
				consts[vs.Names[0].Name], _ = strconv.Unquote(b.Value)
			}
		}
		return true
	})
	text := func(e ast.Expr) string {
		switch x := e.(type) {
		case *ast.BasicLit:
			s, _ := strconv.Unquote(x.Value)
			return s
		case *ast.Ident:
			return consts[x.Name]
		}
		return ""
	}
	check := func(c *ast.CompositeLit) {
		if len(c.Elts) != 2 || text(c.Elts[0]) == "" || text(c.Elts[1]) == "" {
			t.Errorf("%s: a word without its English and German", fset.Position(c.Pos()))
		}
	}
	words := 0
	ast.Inspect(f, func(nd ast.Node) bool {
		c, ok := nd.(*ast.CompositeLit)
		if !ok {
			return true
		}
		switch ty := c.Type.(type) {
		case *ast.Ident:
			if ty.Name == "word" {
				words++
				check(c)
			}
		case *ast.MapType:
			if v, ok := ty.Value.(*ast.Ident); ok && v.Name == "word" {
				for _, e := range c.Elts {
					words++
					check(e.(*ast.KeyValueExpr).Value.(*ast.CompositeLit))
				}
			}
		}
		return true
	})
	if words < 100 {
		t.Errorf("found only %d words in words.go", words)
	}
}

// typedNames are what a person types and the CLI writes as it is typed:
// the program's name, its commands and sub-commands.
func typedNames() map[string]bool {
	m := map[string]bool{"keydesk": true}
	for n := range commands {
		m[n] = true
	}
	for _, sub := range []string{"run", "journal", "admin-pin", "set", "change", "list", "delete", "create", "get"} {
		m[sub] = true
	}
	return m
}

// formatVerb matches a fmt verb with its flags, width and precision.
var formatVerb = regexp.MustCompile(`%[-+# 0]*[0-9*]*(\.[0-9*]+)?[a-zA-Z%]`)

// prose reports whether s holds words a person reads: letters left once
// the fmt verbs are gone, other than the typed names.
func prose(s string, typed map[string]bool) bool {
	for _, f := range strings.FieldsFunc(formatVerb.ReplaceAllString(s, " "), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '-'
	}) {
		if len([]rune(strings.Trim(f, "-"))) > 1 && !typed[f] {
			return true
		}
	}
	return false
}

// TestCLIWordsInOnePlace: no command file prints, formats or fails with
// English of its own: every string literal with words that reaches
// fmt.Fprint*/Print*/Sprint*/Errorf, errors.New, result.Errorf or one of
// the CLI's own reporters (usageFail, fail, done, failUnsupported) is in
// words.go; a command file holds only formats ("%s\n") and typed names.
// A word is made in words.go only.
func TestCLIWordsInOnePlace(t *testing.T) {
	typed := typedNames()
	printers := map[string]map[string]bool{
		"fmt":    {"Fprint": true, "Fprintf": true, "Fprintln": true, "Print": true, "Printf": true, "Println": true, "Sprint": true, "Sprintf": true, "Sprintln": true, "Errorf": true},
		"errors": {"New": true},
		"result": {"Errorf": true},
	}
	own := map[string]bool{"usageFail": true, "fail": true, "done": true, "failUnsupported": true, "failPIN": true}
	fset := token.NewFileSet()
	names, _ := filepath.Glob("*.go")
	checked := 0
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") || n == "words.go" {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(nd ast.Node) bool {
			if c, ok := nd.(*ast.CompositeLit); ok {
				if id, ok := c.Type.(*ast.Ident); ok && id.Name == "word" {
					t.Errorf("%s: a word made outside words.go", fset.Position(c.Pos()))
				}
			}
			call, ok := nd.(*ast.CallExpr)
			if !ok {
				return true
			}
			match := false
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				if pkg, ok := fn.X.(*ast.Ident); ok {
					match = printers[pkg.Name][fn.Sel.Name]
				}
			case *ast.Ident:
				match = own[fn.Name]
			}
			if !match {
				return true
			}
			checked++
			for _, a := range call.Args {
				ast.Inspect(a, func(an ast.Node) bool {
					if _, ok := an.(*ast.FuncLit); ok {
						return false
					}
					if b, ok := an.(*ast.BasicLit); ok && b.Kind == token.STRING {
						if s, _ := strconv.Unquote(b.Value); prose(s, typed) {
							t.Errorf("%s: %q: English in a command file; name it in words.go", fset.Position(b.Pos()), s)
						}
					}
					return true
				})
			}
			return true
		})
	}
	if checked < 50 {
		t.Errorf("checked only %d calls", checked)
	}
}

// TestCLIErrorsGerman: with LANGUAGE=de a failure a person reads is German,
// a failure made of words inside another one too; under --json the same
// failure is English.
func TestCLIErrorsGerman(t *testing.T) {
	t.Setenv("LANGUAGE", "de")
	missing := filepath.Join(t.TempDir(), "missing.txt")
	out, errs, code := runCLI(t, "", "explain", "--file", missing)
	if code != 1 || !strings.Contains(errs, "keydesk: explain: Lesen der Eingabe:") || strings.Contains(errs, "reading input") {
		t.Errorf("explain --file missing in German: exit %d\n%s\n%s", code, out, errs)
	}
	out, errs, code = runCLI(t, "", "codes", "--format", "xml")
	if code != 2 || !strings.Contains(errs, "keydesk codes: unbekanntes Format \"xml\" (erwartet: md oder json)") {
		t.Errorf("codes --format xml in German: exit %d\n%s\n%s", code, out, errs)
	}
	out, errs, code = runCLI(t, "", "webauthn", "create", "--json")
	if code != 2 || !strings.Contains(out, `"message": "keydesk webauthn: --options and --origin are required"`) || strings.Contains(out, "Pflicht") {
		t.Errorf("webauthn create --json is not English: exit %d\n%s\n%s", code, out, errs)
	}
}
