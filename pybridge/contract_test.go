package pybridge

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestBridgeContract keeps the rules of doc.go true as the package changes:
// no exported types, no exported variables or constants, and every exported
// function that can fail returns an error and starts with
// `defer recoverInto("<its name>", &err)`.
func TestBridgeContract(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	funcs := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		for _, decl := range file.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				checkGenDecl(t, fset, d)
			case *ast.FuncDecl:
				if d.Recv != nil || !d.Name.IsExported() {
					continue
				}
				funcs++
				checkFunc(t, fset, d)
			}
		}
	}
	if funcs < 8 {
		t.Errorf("found %d exported functions, want the 8 of the bridge API", funcs)
	}
}

func checkGenDecl(t *testing.T, fset *token.FileSet, d *ast.GenDecl) {
	for _, spec := range d.Specs {
		switch s := spec.(type) {
		case *ast.TypeSpec:
			if s.Name.IsExported() {
				t.Errorf("%s: exported type %s: gopy would wrap it; keep types unexported", fset.Position(s.Pos()), s.Name)
			}
		case *ast.ValueSpec:
			for _, n := range s.Names {
				if n.IsExported() {
					t.Errorf("%s: exported %s %s: gopy would wrap it", fset.Position(n.Pos()), d.Tok, n)
				}
			}
		}
	}
}

func checkFunc(t *testing.T, fset *token.FileSet, d *ast.FuncDecl) {
	pos := fset.Position(d.Pos())
	results := d.Type.Results
	if results == nil || len(results.List) == 0 {
		t.Errorf("%s: %s returns nothing; return an error so a panic can be reported", pos, d.Name)
		return
	}
	last := results.List[len(results.List)-1]
	if id, ok := last.Type.(*ast.Ident); !ok || id.Name != "error" {
		if d.Name.Name == "Version" {
			return // returns a constant and cannot fail
		}
		t.Errorf("%s: %s must return an error as its last result", pos, d.Name)
		return
	}
	if len(last.Names) != 1 || last.Names[0].Name != "err" {
		t.Errorf("%s: %s must name its error result err (recoverInto writes to it)", pos, d.Name)
	}
	if d.Body == nil || len(d.Body.List) == 0 {
		t.Errorf("%s: %s has no body", pos, d.Name)
		return
	}
	want := `recoverInto("` + d.Name.Name + `", &err)`
	def, ok := d.Body.List[0].(*ast.DeferStmt)
	if !ok || exprString(def.Call) != want {
		t.Errorf("%s: %s must start with `defer %s`", pos, d.Name, want)
	}
}

// exprString renders the simple call expressions used by the bridge.
func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.CallExpr:
		args := make([]string, len(x.Args))
		for i, a := range x.Args {
			args[i] = exprString(a)
		}
		return exprString(x.Fun) + "(" + strings.Join(args, ", ") + ")"
	case *ast.Ident:
		return x.Name
	case *ast.BasicLit:
		return x.Value
	case *ast.UnaryExpr:
		return x.Op.String() + exprString(x.X)
	default:
		return "?"
	}
}
