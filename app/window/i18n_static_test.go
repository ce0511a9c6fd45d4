package window

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/keydesk/keydesk/client/ceremony"
)

// readCatalogue reads translations/<lang>.json.
func readCatalogue(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := os.ReadFile("translations/" + lang + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// parseDir parses the non-test Go files of dir.
func parseDir(t *testing.T, dir string) (*token.FileSet, []*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

func stringLit(e ast.Expr) (string, bool) {
	if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
		s, err := strconv.Unquote(b.Value)
		return s, err == nil
	}
	return "", false
}

// isPkgCall reports whether call is pkg.Name(…) with Name in names (any
// name when names is empty).
func isPkgCall(call *ast.CallExpr, pkg string, names ...string) (string, bool) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok || id.Name != pkg {
		return "", false
	}
	if len(names) == 0 {
		return sel.Sel.Name, true
	}
	for _, n := range names {
		if sel.Sel.Name == n {
			return sel.Sel.Name, true
		}
	}
	return "", false
}

// dynamicKeys are the expressions passed to lang.L that are not string
// literals ("file expression"), with every value they can take (collected
// from the source where it can be).
var dynamicKeys = map[string]func(t *testing.T) []string{
	// The steps' names (stepNameText), for every ceremony.StepNames.
	"words.go w": func(t *testing.T) []string { return stepNames(t) },
	// The HTML report's words: the literals its template passes to L and
	// Lt, and the values it words (reportFuncs).
	"report.go s": func(t *testing.T) []string { return reportTemplateWords(t) },
}

// reportTemplateSource is the text of the HTML report's template: the
// string literal passed to Parse in report.go.
func reportTemplateSource(t *testing.T) string {
	_, files := parseDir(t, ".")
	var src string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Parse" {
				if s, ok := stringLit(call.Args[0]); ok && strings.Contains(s, "<html") {
					src = s
				}
			}
			return true
		})
	}
	if src == "" {
		t.Fatal("the HTML report's template is not found in report.go")
	}
	return src
}

// templateWord is a call of the report template's L or Lt with its
// string literal.
var templateWord = regexp.MustCompile(`\b(?:L|Lt)\s+("(?:[^"\\]|\\.)*")`)

// reportTemplateWords returns the words the HTML report's template
// passes to L and Lt.
func reportTemplateWords(t *testing.T) []string {
	var out []string
	for _, m := range templateWord.FindAllStringSubmatch(reportTemplateSource(t), -1) {
		s, err := strconv.Unquote(m[1])
		if err != nil {
			t.Fatalf("report template: %s: %v", m[1], err)
		}
		out = append(out, s)
	}
	if len(out) < 20 {
		t.Fatalf("found only %d words in the report template", len(out))
	}
	return out
}

// templateAction is one {{…}} of a template, quoted strings within it
// included ("Generated {{.Time}} UTC." inside an Lt call).
var templateAction = regexp.MustCompile(`\{\{(?:"(?:[^"\\]|\\.)*"|[^"}]|\}[^}])*\}\}`)

// TestReportTemplateWords: the HTML report's template writes no word of
// its own outside L and Lt (the words a person reads follow the
// window's language; values come from its data).
func TestReportTemplateWords(t *testing.T) {
	src := reportTemplateSource(t)
	src = regexp.MustCompile(`(?s)<style>.*?</style>`).ReplaceAllString(src, " ")
	src = templateAction.ReplaceAllString(src, " ")
	src = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(src, " ")
	for _, w := range strings.FieldsFunc(src, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if hasWords(w) && !sameInGerman[w] {
			t.Errorf("the report template writes %q itself: pass it to L", w)
		}
	}
}

// stepNames returns the words of every ceremony step (ceremony.StepNames)
// as the helpdesk reads them (stepNameWords); a step without words fails.
func stepNames(t *testing.T) []string {
	var out []string
	for _, n := range ceremony.StepNames {
		w, ok := stepNameWords[n]
		if !ok {
			t.Errorf("step %q has no words in stepNameWords", n)
			continue
		}
		out = append(out, w)
	}
	if len(out) < 10 {
		t.Fatalf("found only %d timeline steps", len(out))
	}
	return out
}

// TestStepTextComplete: the person at the key reads every step of
// ceremony.StepNames in words of its own (stepText), none the fallback.
func TestStepTextComplete(t *testing.T) {
	fallback := stepText(ceremony.Step{Name: "no such step"})
	seen := map[string]ceremony.StepName{}
	for _, n := range ceremony.StepNames {
		s := stepText(ceremony.Step{Name: n})
		if s == fallback {
			t.Errorf("step %q has no words in stepText", n)
		}
		if o, dup := seen[s]; dup {
			t.Errorf("steps %q and %q read the same: %q", o, n, s)
		}
		seen[s] = n
	}
}

// sameInGerman are words a German reader reads as they are.
var sameInGerman = map[string]bool{"AAGUID": true}

// hasWords reports whether s holds letters a person reads (not a code,
// a format or a single symbol).
func hasWords(s string) bool {
	if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		return false
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

// TestGermanComplete is the static check: every string the window passes
// to lang.L / lang.X (and every value of the few keys it passes as
// variables) has a German translation, and no string literal reaches a
// widget, a dialog or a label's text without passing through lang.L.
func TestGermanComplete(t *testing.T) {
	de := readCatalogue(t, "de")
	need := map[string][]string{} // key → where
	fset, files := parseDir(t, ".")
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			pos := fset.Position(call.Pos()).String()
			if name, ok := isPkgCall(call, "lang", "L", "N", "X", "XN"); ok {
				if s, ok := stringLit(call.Args[0]); ok {
					need[s] = append(need[s], pos)
					return true
				}
				expr := filepath.Base(fset.Position(call.Pos()).Filename) + " " + exprString(call.Args[0])
				values, known := dynamicKeys[expr]
				if !known {
					t.Errorf("%s: lang.%s(%s): a key that is not a string literal; list its values in dynamicKeys", pos, name, expr)
					return true
				}
				for _, v := range values(t) {
					need[v] = append(need[v], pos+" ("+expr+")")
				}
				return true
			}
			checkUnwrapped(t, pos, call)
			return true
		})
	}
	for k, where := range need {
		if _, ok := de[k]; !ok {
			t.Errorf("%s: %q has no German translation", where[0], k)
		}
	}
	for k, v := range de {
		if strings.Count(k, "{{") != strings.Count(v, "{{") {
			t.Errorf("de.json: %q and its German %q differ in template fields", k, v)
		}
	}
}

// uiTextCalls are the calls whose string arguments a person reads.
var uiTextCalls = map[string]bool{
	"SetText": true, "SetPlaceHolder": true, "SetTitle": true, "NewFormItem": true,
	"ShowInformation": true, "ShowConfirm": true, "NewConfirm": true, "NewInformation": true,
	"ShowCustom": true, "ShowCustomConfirm": true, "NewCustom": true, "NewCustomConfirm": true,
}

// checkUnwrapped reports string literals with words passed straight to
// package widget or dialog, or to a text setter.
func checkUnwrapped(t *testing.T, pos string, call *ast.CallExpr) {
	_, w := isPkgCall(call, "widget")
	_, d := isPkgCall(call, "dialog")
	sel, _ := call.Fun.(*ast.SelectorExpr)
	if !w && !d && (sel == nil || !uiTextCalls[sel.Sel.Name]) {
		return
	}
	for _, a := range call.Args {
		if s, ok := stringLit(a); ok && hasWords(s) && !sameInGerman[s] {
			t.Errorf("%s: %q reaches the window without lang.L", pos, s)
		}
	}
}

func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	}
	return "?"
}
