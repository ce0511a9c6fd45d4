package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCLIGermanWords: every literal the CLI passes to say has German,
// and so has every timeline step of package client and every touch
// purpose of package ctap (say(st.Name), say(req.Purpose)).
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
	before := len(need)
	collect("../../client", named("begin", 0))
	collect("../../ctap", named("withPIN", 5))
	need["reset"] = "ctap TouchRequest"
	if len(need)-before < 8 {
		t.Fatalf("found only %d step names and purposes", len(need)-before)
	}
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
