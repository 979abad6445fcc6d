package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/expr"
)

// The Eval Expression components: hetida passes the expression to pandas.eval; here it is
// the language of package expr (its documentation lists the grammar, the functions and
// where it departs from pandas' numexpr engine).

// evalExpressionOnDataFrame is dataframe.eval(expression) over the frame's columns: a
// plain name or a `backtick-quoted` one is the column with that (string) label, and
// "index" the frame's index unless a column has that name. A column result becomes an
// unnamed Series on the frame's index without attrs (pandas rebuilds the numexpr result
// that way); an expression that uses no column gives its scalar, which is why
// result_series is Loose. pandas' assignments (which return a whole DataFrame), @local
// variables, attribute access and calls of other functions are rejected with the
// position in the expression.
func evalExpressionOnDataFrame(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("dataframe")
	src := r.String("expression")
	if err := r.Err(); err != nil {
		return nil, err
	}
	lookup := func(name string) (data.Column, bool) {
		for i, label := range f.Names {
			if s, ok := label.(string); ok && s == name {
				return f.Columns[i], true
			}
		}
		if name == "index" {
			return f.Index, true
		}
		return data.Column{}, false
	}
	return evalExpression(ctx, src, f.Index, lookup)
}

// evalExpressionOnSeries is pd.eval(expression) with the series visible as x (and under
// its parameter name, series): a column result becomes an unnamed Series on the series'
// index without attrs, an expression without x its scalar (result_series is Loose).
// hetida's other local names (expression, pd) are not reachable.
func evalExpressionOnSeries(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	src := r.String("expression")
	if err := r.Err(); err != nil {
		return nil, err
	}
	lookup := func(name string) (data.Column, bool) {
		if name == "x" || name == "series" {
			return s.Values, true
		}
		return data.Column{}, false
	}
	return evalExpression(ctx, src, s.Index, lookup)
}

func evalExpression(ctx context.Context, src string, index data.Column, lookup func(string) (data.Column, bool)) (component.Outputs, error) {
	e, err := expr.Parse(src)
	if err != nil {
		return nil, err
	}
	res, err := e.Eval(ctx, expr.Env{Rows: index.Len(), Lookup: lookup, Index: index})
	if err != nil {
		return nil, err
	}
	if !res.IsColumn {
		return component.Outputs{"result_series": res.Scalar}, nil
	}
	return component.Outputs{"result_series": data.NewSeries(nil, index, res.Column)}, nil
}
