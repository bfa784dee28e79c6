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

var forbiddenImports = []string{"net", "os", "os/exec", "syscall", "google.golang.org/grpc", "github.com/cockroachdb/pebble"}

func TestPurePackages(t *testing.T) {
	for _, dir := range purePackages {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
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
			for _, imp := range ast.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, bad := range forbiddenImports {
					if path == bad || strings.HasPrefix(path, bad+"/") {
						t.Errorf("%s imports %s, which a pure package must not", f, path)
					}
				}
			}
			if strings.Contains(string(src), "time.Now(") {
				t.Errorf("%s reads the wall clock; take time as an argument", f)
			}
		}
	}
}
