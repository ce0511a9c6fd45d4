package atomicfile

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writers are the standard library calls that write a whole file
// non-atomically, by import path and name.
var writers = map[string]map[string]bool{
	"os":        {"WriteFile": true, "Create": true, "CreateTemp": true},
	"io/ioutil": {"WriteFile": true, "TempFile": true},
}

// writerExceptions are the places allowed to call them anyway, by file name
// and enclosing function (not folder, so that a move keeps them), each with
// its reason.
var writerExceptions = map[string]string{
	"hidbridge.go BuildPreload": "writes bridge.c and bridge.h into a fresh temporary build folder for gcc; no reader, nothing to keep",
}

// TestEveryFileWrittenAtomically fails when code outside tests and this
// package writes a file with os.WriteFile, os.Create, os.CreateTemp or
// ioutil: every file KeyDesk writes goes through WriteFile (the kiosk
// journal appends with os.OpenFile and is not concerned).
func TestEveryFileWrittenAtomically(t *testing.T) {
	root := moduleRoot(t)
	self, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || path == self) {
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
		checked++
		rel, _ := filepath.Rel(root, path)
		for _, bad := range writeCalls(f) {
			if _, ok := writerExceptions[filepath.Base(path)+" "+bad.fn]; ok {
				continue
			}
			t.Errorf("%s:%d: %s writes a file non-atomically; use atomicfile.WriteFile",
				rel, fset.Position(bad.pos).Line, bad.call)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("only %d Go files checked under %s: the walk is broken", checked, root)
	}
}

type writeCall struct {
	call, fn string // "os.WriteFile", the enclosing function
	pos      token.Pos
}

// writeCalls finds the uses of writers in f, through whatever name each
// package is imported as.
func writeCalls(f *ast.File) []writeCall {
	names := map[string]string{} // local name → import path
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		if writers[p] == nil {
			continue
		}
		name := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		names[name] = p
	}
	var found []writeCall
	for _, decl := range f.Decls {
		fn := ""
		if fd, ok := decl.(*ast.FuncDecl); ok {
			fn = fd.Name.Name
		}
		ast.Inspect(decl, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			id, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			if p, ok := names[id.Name]; ok && writers[p][sel.Sel.Name] {
				found = append(found, writeCall{call: id.Name + "." + sel.Sel.Name, fn: fn, pos: sel.Pos()})
			}
			return true
		})
	}
	return found
}

// moduleRoot is the folder holding go.mod, above this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("go.mod not found above the package")
		}
		dir = up
	}
}

// TestWriteCallsSeesAliases: the static check is not fooled by an import
// name.
func TestWriteCallsSeesAliases(t *testing.T) {
	src := `package p
import (
	xos "os"
	"io/ioutil"
)
func f() { xos.WriteFile("a", nil, 0); ioutil.WriteFile("b", nil, 0); xos.ReadFile("c") }
var g, _ = xos.Create("d")
`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range writeCalls(f) {
		got = append(got, c.call+"@"+c.fn)
	}
	want := "xos.WriteFile@f ioutil.WriteFile@f xos.Create@"
	if strings.Join(got, " ") != want {
		t.Errorf("writeCalls = %q, want %q", strings.Join(got, " "), want)
	}
}
