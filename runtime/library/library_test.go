package library

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Every generated revision is either registered (with exactly the generated metadata) or
// listed as not ported yet, never both: porting a component means moving it from its
// category's Todo list into its table, and nothing else can change a component's facts.
func TestGeneratedMetadataIsBoundOrTodo(t *testing.T) {
	reg := Registry()
	todo := map[string]bool{}
	for _, list := range Todo() {
		for _, m := range list {
			if todo[m.ID] {
				t.Errorf("%s (%s) is listed twice as not ported", m.Name, m.Version)
			}
			todo[m.ID] = true
		}
	}
	generated := map[string]*component.Meta{}
	for _, m := range hetidaComponents {
		generated[m.ID] = m
		_, registered := reg.Get(m.ID)
		switch {
		case registered && todo[m.ID]:
			t.Errorf("%s (%s) is registered and still listed as not ported: remove it from %sTodo", m.Name, m.Version, m.Category)
		case !registered && !todo[m.ID]:
			t.Errorf("%s (%s) is neither registered nor listed as not ported", m.Name, m.Version)
		}
	}
	for id := range todo {
		if generated[id] == nil {
			t.Errorf("todo entry %s is not a generated revision", id)
		}
	}
	for _, s := range reg.All() {
		m := generated[s.ID]
		if m == nil {
			t.Errorf("%s (%s) is registered without generated metadata", s.Name, s.ID)
			continue
		}
		if !reflect.DeepEqual(s.Meta, *m) {
			t.Errorf("%s: registered metadata differs from the generated one", s.Name)
		}
		if strings.TrimSpace(s.Description) == "" {
			t.Errorf("%s has no description", s.Name)
		}
		for _, name := range s.Loose {
			if _, ok := s.Output(name); !ok {
				t.Errorf("%s: loose output %q is not declared", s.Name, name)
			}
		}
	}
	t.Logf("%d of %d generated revisions are native", len(reg.All()), len(hetidaComponents))
}

// Every default of an optional input parses with the input's type, as the engine will
// parse it when the input receives nothing.
func TestDefaultsParse(t *testing.T) {
	for _, m := range hetidaComponents {
		for _, p := range m.In {
			if !p.Optional {
				continue
			}
			if _, err := wire.Parse(p.Type, p.Default, true); err != nil {
				t.Errorf("%s: default of %s (%s) %#v: %v", m.Name, p.Name, p.Type, p.Default, err)
			}
		}
	}
}

// Every function of the package with a Run signature is bound in a category table: a
// component implemented but never registered (a "Run without a spec") fails here.
func TestEveryRunFunctionIsBound(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]token.Pos{}
	bound := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				if x.Recv == nil && isRunSignature(x.Type) {
					runs[x.Name.Name] = x.Pos()
				}
			case *ast.KeyValueExpr:
				if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Run" {
					ast.Inspect(x.Value, func(n ast.Node) bool {
						if id, ok := n.(*ast.Ident); ok {
							bound[id.Name] = true
						}
						return true
					})
				}
			}
			return true
		})
	}
	var unbound []string
	for name, pos := range runs {
		if !bound[name] {
			unbound = append(unbound, fset.Position(pos).String()+" "+name)
		}
	}
	slices.Sort(unbound)
	for _, u := range unbound {
		t.Errorf("Run function without a spec: %s", u)
	}
	if len(runs) == 0 {
		t.Fatal("found no Run functions: the signature check is broken")
	}
}

// isRunSignature reports func(context.Context, component.Inputs) (component.Outputs, error).
func isRunSignature(ft *ast.FuncType) bool {
	sel := func(e ast.Expr, pkg, name string) bool {
		s, ok := e.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		p, ok := s.X.(*ast.Ident)
		return ok && p.Name == pkg && s.Sel.Name == name
	}
	var params, results []ast.Expr
	for _, f := range ft.Params.List {
		for range max(1, len(f.Names)) {
			params = append(params, f.Type)
		}
	}
	if ft.Results != nil {
		for _, f := range ft.Results.List {
			for range max(1, len(f.Names)) {
				results = append(results, f.Type)
			}
		}
	}
	return len(params) == 2 && len(results) == 2 &&
		sel(params[0], "context", "Context") && sel(params[1], "component", "Inputs") &&
		sel(results[0], "component", "Outputs")
}
