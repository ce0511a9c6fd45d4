package ceremony

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestStepNamesComplete: every step the timeline begins is named by a
// StepName constant (never a string written in place), and StepNames,
// the list the front-ends' words are checked against, holds every one.
func TestStepNamesComplete(t *testing.T) {
	fset := token.NewFileSet()
	names, _ := filepath.Glob("*.go")
	consts := map[string]bool{}
	begun := 0
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
			case *ast.ValueSpec:
				if id, ok := x.Type.(*ast.Ident); ok && id.Name == "StepName" {
					for _, n := range x.Names {
						consts[n.Name] = true
					}
				}
			case *ast.CallExpr:
				sel, ok := x.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "begin" || len(x.Args) != 1 {
					return true
				}
				begun++
				id, ok := x.Args[0].(*ast.Ident)
				if !ok || !strings.HasPrefix(id.Name, "Step") {
					t.Errorf("%s: a step begun without its StepName constant", fset.Position(x.Pos()))
				}
			}
			return true
		})
	}
	if begun < 10 || len(consts) < 10 {
		t.Fatalf("found %d begin calls and %d step names", begun, len(consts))
	}
	if len(StepNames) != len(consts) {
		t.Errorf("StepNames holds %d names, the package declares %d", len(StepNames), len(consts))
	}
	seen := map[StepName]bool{}
	for _, n := range StepNames {
		if seen[n] || n == "" {
			t.Errorf("StepNames: %q twice or empty", n)
		}
		seen[n] = true
	}
}
