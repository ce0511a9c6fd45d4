package result

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// namedCodeFiles are the files that name KeyDesk's codes, by the
// constructor their variables use.
var namedCodeFiles = map[string]string{"KeyDesk": "codes_keydesk.go", "Nevis": "codes_nevis.go"}

// namedCodes reads the variables of codes_keydesk.go and codes_nevis.go
// (name → code) from their source, so that a variable added there is
// checked without a list to keep.
func namedCodes(t *testing.T) map[string]Code {
	t.Helper()
	out := map[string]Code{}
	for ctor, name := range namedCodeFiles {
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				t.Errorf("%s: only a var block of named codes belongs here", name)
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, id := range vs.Names {
					lit, ok := literalArg(vs.Values[i], "", ctor)
					if !ok {
						t.Errorf("%s: %s is not %s(\"…\")", name, id.Name, ctor)
						continue
					}
					c, err := normalise(map[string]Source{"KeyDesk": SourceKeyDesk, "Nevis": SourceNevis}[ctor], lit)
					if err != nil {
						t.Errorf("%s: %s: %v", name, id.Name, err)
					}
					out[id.Name] = c
					n++
				}
			}
		}
		if n == 0 {
			t.Fatalf("%s names no codes", name)
		}
	}
	return out
}

// literalArg reports the string literal passed to pkg.fn (pkg "" for an
// unqualified call), if e is such a call.
func literalArg(e ast.Expr, pkg, fn string) (string, bool) {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return "", false
	}
	switch f := call.Fun.(type) {
	case *ast.Ident:
		if pkg != "" || f.Name != fn {
			return "", false
		}
	case *ast.SelectorExpr:
		x, ok := f.X.(*ast.Ident)
		if !ok || pkg == "" || x.Name != pkg || f.Sel.Name != fn {
			return "", false
		}
	default:
		return "", false
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// TestKeyDeskCodesNamed: every KeyDesk code and every fido2-client code
// KeyDesk produces has a named variable (codes_keydesk.go, codes_nevis.go)
// with a catalogue entry, every entry of those two sources has exactly one
// variable, and no code outside tests and those files builds such a code
// from a literal: not result.KeyDesk("cancelled"), not result.Nevis("…"),
// not "error-1001".
func TestKeyDeskCodesNamed(t *testing.T) {
	named := namedCodes(t)
	byCode := map[Code]string{}
	for name, c := range named {
		if !Known(c) {
			t.Errorf("%s = %s has no catalogue entry", name, c)
		}
		if other, dup := byCode[c]; dup {
			t.Errorf("%s and %s both name %s", name, other, c)
		}
		byCode[c] = name
	}
	for _, e := range Entries(SourceKeyDesk, SourceNevis) {
		if _, ok := byCode[e.Code]; !ok {
			t.Errorf("catalogue entry %s has no named variable in %s", e.Code, map[Source]string{SourceKeyDesk: namedCodeFiles["KeyDesk"], SourceNevis: namedCodeFiles["Nevis"]}[e.Code.Source])
		}
	}

	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(wd, "..", "..")
	nevisLiteral := regexp.MustCompile(`^(error-\d{4}|success-(registration|authentication))$`)
	fset := token.NewFileSet()
	files := 0
	err = filepath.WalkDir(root, func(path string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if de.IsDir() {
			if name := de.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		rel, _ := filepath.Rel(root, path)
		inResult := filepath.Dir(path) == wd
		pkg := "" // how this file calls package result
		if !inResult {
			for _, im := range f.Imports {
				if p, _ := strconv.Unquote(im.Path.Value); p == "github.com/keydesk/keydesk/client/result" {
					pkg = "result"
					if im.Name != nil {
						pkg = im.Name.Name
					}
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case ast.Expr:
				for ctor, home := range namedCodeFiles {
					if !inResult && pkg == "" {
						break
					}
					if v, ok := literalArg(n, pkg, ctor); ok && !(inResult && filepath.Base(path) == home) {
						t.Errorf("%s:%d: %s(%q): name the code (see %s)", rel, fset.Position(n.Pos()).Line, ctor, v, home)
					}
				}
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil && nevisLiteral.MatchString(s) &&
						!(inResult && filepath.Base(path) == namedCodeFiles["Nevis"]) {
						t.Errorf("%s:%d: %q: use the named fido2-client code (see %s)", rel, fset.Position(lit.Pos()).Line, s, namedCodeFiles["Nevis"])
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("only %d Go files read under %s: the walk is broken", files, root)
	}
}
