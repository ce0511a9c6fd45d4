package demo

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// instruments are the test and demo instruments: the virtual key and the
// Authentication Cloud emulator. Go's internal/ cannot hide them (the
// tests of ctap, client and app all need them), so this test does.
var instruments = []string{
	"github.com/keydesk/keydesk/ctap/virtualkey",
	"github.com/keydesk/keydesk/client/emulator",
}

// TestOneDoorToInstruments: outside _test.go files, only package demo
// imports the virtual key or the emulator (besides the instruments
// themselves and their own sub-packages). Every other part of the product
// reaches them through demo, so none uses them by accident.
func TestOneDoorToInstruments(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	// ctap/testkit is the shared test kit (a virtual key on a short socket
	// for the tests of ctap, client and app): test-only by its own rule,
	// TestNoProductImportsTheKit, which keeps it out of the binary.
	allowed := []string{"app/demo", "ctap/virtualkey", "client/emulator", "ctap/testkit"}
	fset := token.NewFileSet()
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == ".git" || name == "testdata" || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		files++
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(rel))
		for _, a := range allowed {
			if dir == a || strings.HasPrefix(dir, a+"/") {
				return nil
			}
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, ins := range instruments {
				if p == ins || strings.HasPrefix(p, ins+"/") {
					t.Errorf("%s imports %s: outside tests, only app/demo may (use package demo)", rel, p)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("walked only %d Go files under %s", files, root)
	}
}
