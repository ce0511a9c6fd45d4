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
	// KeyRow.Verdict: the Verdict… constants.
	"keys_screen.go r.Verdict": func(t *testing.T) []string { return constValues(t, ".", "Verdict") },
	// The longest verdict sizes the Keys list's column.
	"keys_screen.go VerdictReinsert": func(t *testing.T) []string { return []string{VerdictReinsert} },
	// Ceremony.Kind: "enroll" or "sign-in" (newCeremonyModel's callers).
	"timeline.go c.Kind": func(t *testing.T) []string { return []string{"enroll", "sign-in"} },
	// CredentialInfo.Kind (decode.go).
	"helpdesk_screen.go c.Kind": func(t *testing.T) []string { return []string{"attestation", "assertion"} },
	// ceremony.Step.Name: every timeline step the client begins.
	"timeline.go st.Name": func(t *testing.T) []string { return stepNames(t) },
	"ceremony.go st.Name": func(t *testing.T) []string { return stepNames(t) },
	// CredentialInfo.Verdict: the literals decode.go assigns to it (its
	// one formatted verdict has a template of its own in verdictText).
	// The Verdict… constants are the sign-in verdicts.
	"i18n.go v": func(t *testing.T) []string {
		return append(assignedTo(t, "Verdict"), constValues(t, ".", "Verdict")...)
	},
	// ctap.TouchRequest.Purpose: what package ctap asks the touch for.
	"prompter.go req.Purpose": func(t *testing.T) []string { return touchPurposes(t) },
	// The HTML report's words: the literals its template passes to L and
	// Lt, and the values it words (reportFuncs).
	"report.go s":          func(t *testing.T) []string { return reportTemplateWords(t) },
	"report.go reportKind": func(t *testing.T) []string { return []string{"enroll", "sign-in", "attestation", "assertion"} },
	"report.go keyVerdict": func(t *testing.T) []string { return constValues(t, ".", "Verdict") },
	"report.go stepName":   func(t *testing.T) []string { return stepNames(t) },
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

// touchPurposes returns the purposes package ctap puts in its touch
// requests: TouchRequest{Purpose: "…"} and withPIN's purpose argument.
func touchPurposes(t *testing.T) []string {
	_, files := parseDir(t, "../../ctap")
	var out []string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.KeyValueExpr:
				if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Purpose" {
					if s, ok := stringLit(x.Value); ok {
						out = append(out, s)
					}
				}
			case *ast.CallExpr:
				if id, ok := x.Fun.(*ast.Ident); ok && id.Name == "withPIN" {
					for _, a := range x.Args { // the purpose is its one string literal
						if s, ok := stringLit(a); ok {
							out = append(out, s)
						}
					}
				}
			}
			return true
		})
	}
	if len(out) < 3 {
		t.Fatalf("found only %d touch purposes in ../ctap", len(out))
	}
	return out
}

// constValues returns the values of the string constants of dir whose
// names start with prefix.
func constValues(t *testing.T, dir, prefix string) []string {
	_, files := parseDir(t, dir)
	var out []string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, name := range vs.Names {
				if strings.HasPrefix(name.Name, prefix) && i < len(vs.Values) {
					if s, ok := stringLit(vs.Values[i]); ok {
						out = append(out, s)
					}
				}
			}
			return true
		})
	}
	if len(out) == 0 {
		t.Fatalf("no %s… constants in %s", prefix, dir)
	}
	return out
}

// assignedTo returns the string literals the package's source assigns to
// a field named field (x.field = "…").
func assignedTo(t *testing.T, field string) []string {
	_, files := parseDir(t, ".")
	var out []string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, l := range as.Lhs {
				if sel, ok := l.(*ast.SelectorExpr); ok && sel.Sel.Name == field {
					if s, ok := stringLit(as.Rhs[i]); ok {
						out = append(out, s)
					}
				}
			}
			return true
		})
	}
	if len(out) == 0 {
		t.Fatalf("no literal assigned to .%s", field)
	}
	return out
}

// stepNames returns the names of the ceremony steps of package ceremony
// (its timeline's begin("…") calls).
func stepNames(t *testing.T) []string {
	_, files := parseDir(t, "../../client/ceremony")
	var out []string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "begin" {
				if s, ok := stringLit(call.Args[0]); ok {
					out = append(out, s)
				}
			}
			return true
		})
	}
	if len(out) < 5 {
		t.Fatalf("found only %d timeline steps in client/ceremony", len(out))
	}
	return out
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
