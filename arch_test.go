package pyflinkgo_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// purePackages must not do I/O or read the wall clock (see ARCHITECTURE.md).
var purePackages = []string{
	"engine/types", "engine/value", "engine/plan", "engine/graph", "engine/keygroup", "engine/format",
	"engine/window", "engine/watermark", "engine/watermark/valve", "engine/aggregate", "engine/checkpoint",
}

// selfContainedPackages import no package of this module (see ARCHITECTURE.md).
var selfContainedPackages = []string{"engine/rest"}

const modulePath = "github.com/pyflink-go/pyflink-go"

var forbiddenImports = []string{"net", "os", "os/exec", "syscall", "google.golang.org/grpc", "github.com/cockroachdb/pebble"}

func TestPurePackages(t *testing.T) {
	checkImports(t, purePackages, func(f, path string, src []byte) {
		for _, bad := range forbiddenImports {
			if path == bad || strings.HasPrefix(path, bad+"/") {
				t.Errorf("%s imports %s, which a pure package must not", f, path)
			}
		}
	}, func(f string, src []byte) {
		if strings.Contains(string(src), "time.Now(") {
			t.Errorf("%s reads the wall clock; take time as an argument", f)
		}
	})
}

func TestSelfContainedPackages(t *testing.T) {
	checkImports(t, selfContainedPackages, func(f, path string, src []byte) {
		if path == modulePath || strings.HasPrefix(path, modulePath+"/") {
			t.Errorf("%s imports %s; a self-contained package imports no package of this module", f, path)
		}
	}, func(string, []byte) {})
}

// checkImports calls imp for every import of every non-test Go file of dirs,
// and file for every such file.
func checkImports(t *testing.T, dirs []string, imp func(f, path string, src []byte), file func(f string, src []byte)) {
	t.Helper()
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		if len(files) == 0 {
			t.Errorf("%s: no Go files (a package moved? update the list)", dir)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			fset := token.NewFileSet()
			ast, err := parser.ParseFile(fset, f, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, spec := range ast.Imports {
				path, _ := strconv.Unquote(spec.Path.Value)
				imp(f, path, src)
			}
			file(f, src)
		}
	}
}
