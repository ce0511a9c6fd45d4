package ctap

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

const goLibfido2 = "github.com/keys-pub/go-libfido2"

// TestOneRouteIntoLibfido2: every key operation reaches libfido2 through
// one route, the cgo shim. go-libfido2 only lists keys (and errors.go maps
// the sentinel errors of that listing); no other product file of the module
// imports it, and in this package only shim.go calls libfido2's C API.
func TestOneRouteIntoLibfido2(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || strings.HasPrefix(n, ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			switch {
			case p == goLibfido2 && rel != "ctap/libfido2.go" && rel != "ctap/errors.go":
				t.Errorf("%s imports go-libfido2: key operations go through the cgo shim (ctap/shim.go); go-libfido2 only lists keys", rel)
			case p == "C" && filepath.Dir(rel) == "ctap" && rel != "ctap/shim.go":
				t.Errorf("%s calls libfido2's C API: in package ctap only shim.go does", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The go-libfido2 names the package uses: listing keys and the error
	// values that listing may return.
	for _, name := range []string{"libfido2.go", "errors.go"} {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "libfido2" {
				s := sel.Sel.Name
				if s != "DeviceLocations" && s != "Error" && !strings.HasPrefix(s, "Err") {
					t.Errorf("%s: %s uses go-libfido2's %s: only listing keys may go through go-libfido2", fset.Position(sel.Pos()), name, s)
				}
			}
			return true
		})
	}
}
