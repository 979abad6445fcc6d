package expr

import (
	"fmt"
	"slices"
	"strings"
)

// node is an expression tree node.
type node interface {
	position() int
	// write appends the fully parenthesised form of the node.
	write(b *strings.Builder)
}

type (
	numLit struct {
		pos   int
		f     float64
		i     int64
		isInt bool
		text  string
	}
	strLit struct {
		pos int
		s   string
	}
	boolLit struct {
		pos int
		b   bool
	}
	// nameRef is a variable: a column, the series (x), the index.
	nameRef struct {
		pos    int
		name   string
		quoted bool
	}
	// unary is -x, +x, ~x; not x is stored as "~" (pandas maps both to invert).
	unary struct {
		pos int
		op  string
		x   node
	}
	// binary is an arithmetic operator, a comparison (==, !=, <, <=, >, >=, in, not in)
	// or a logical one (& for and, | for or).
	binary struct {
		pos  int
		op   string
		l, r node
	}
	call struct {
		pos  int
		fn   string
		args []node
	}
	// list is a list or tuple literal, only allowed on the right of in / not in.
	list struct {
		pos   int
		elems []node
	}
)

func (n *numLit) position() int  { return n.pos }
func (n *strLit) position() int  { return n.pos }
func (n *boolLit) position() int { return n.pos }
func (n *nameRef) position() int { return n.pos }
func (n *unary) position() int   { return n.pos }
func (n *binary) position() int  { return n.pos }
func (n *call) position() int    { return n.pos }
func (n *list) position() int    { return n.pos }

func (n *numLit) write(b *strings.Builder) { b.WriteString(n.text) }
func (n *strLit) write(b *strings.Builder) { fmt.Fprintf(b, "%q", n.s) }
func (n *boolLit) write(b *strings.Builder) {
	if n.b {
		b.WriteString("True")
	} else {
		b.WriteString("False")
	}
}
func (n *nameRef) write(b *strings.Builder) {
	if n.quoted {
		b.WriteString("`" + n.name + "`")
	} else {
		b.WriteString(n.name)
	}
}
func (n *unary) write(b *strings.Builder) {
	b.WriteString("(" + n.op)
	n.x.write(b)
	b.WriteString(")")
}
func (n *binary) write(b *strings.Builder) {
	b.WriteString("(")
	n.l.write(b)
	b.WriteString(" " + n.op + " ")
	n.r.write(b)
	b.WriteString(")")
}
func (n *call) write(b *strings.Builder) {
	b.WriteString(n.fn + "(")
	for i, a := range n.args {
		if i > 0 {
			b.WriteString(", ")
		}
		a.write(b)
	}
	b.WriteString(")")
}
func (n *list) write(b *strings.Builder) {
	b.WriteString("[")
	for i, a := range n.elems {
		if i > 0 {
			b.WriteString(", ")
		}
		a.write(b)
	}
	b.WriteString("]")
}

// parser is a recursive-descent parser over the tokens of one expression.
type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

// isOp reports whether the current token is one of the operators.
func (p *parser) isOp(ops ...string) bool {
	t := p.peek()
	return t.kind == tOp && slices.Contains(ops, t.text)
}

// isWord reports whether the current token is the keyword w.
func (p *parser) isWord(w string) bool {
	t := p.peek()
	return t.kind == tName && t.text == w
}

func (p *parser) fail(t token, typ, format string, args ...any) error {
	return errAt(p.src, t.pos, typ, format, args...)
}

// unexpected reports the current token as out of place, naming the constructs that are
// deliberately outside the language.
func (p *parser) unexpected() error {
	t := p.peek()
	switch t.kind {
	case tEOF:
		return p.fail(t, "SyntaxError", "unexpected end of expression")
	case tNum, tStr, tBacktick:
		return p.fail(t, "SyntaxError", "unexpected %s", describe(t))
	case tName:
		if keywords[t.text] {
			return p.unsupportedWord(t)
		}
		return p.fail(t, "SyntaxError", "unexpected name %q", t.text)
	}
	switch t.text {
	case "=":
		return p.fail(t, "NotImplementedError", "assignments are not supported")
	case "+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=", "|=", "^=", ">>=", "<<=", ":=":
		return p.fail(t, "NotImplementedError", "assignments (%s) are not supported", t.text)
	case ".":
		return p.fail(t, "NotImplementedError", "attribute access is not supported")
	case "[":
		return p.fail(t, "NotImplementedError", "subscripts are not supported")
	case "@":
		return p.fail(t, "NotImplementedError", "'@' (local variables, matrix product) is not supported")
	case "^", "<<", ">>":
		return p.fail(t, "NotImplementedError", "operator %s is not supported", t.text)
	case ",":
		return p.fail(t, "NotImplementedError", "tuples are not supported (a list is allowed only after 'in')")
	case ";":
		return p.fail(t, "SyntaxError", "several statements are not supported")
	case "{", "}":
		return p.fail(t, "NotImplementedError", "dicts and sets are not supported")
	case ":":
		return p.fail(t, "NotImplementedError", "slices and annotations are not supported")
	}
	return p.fail(t, "SyntaxError", "unexpected %s", describe(t))
}

func (p *parser) unsupportedWord(t token) error {
	switch t.text {
	case "lambda":
		return p.fail(t, "NotImplementedError", "lambda is not supported")
	case "if", "else":
		return p.fail(t, "NotImplementedError", "conditional expressions (if/else) are not supported")
	case "is":
		return p.fail(t, "NotImplementedError", "'is' is not supported; use == or !=")
	case "None":
		return p.fail(t, "NotImplementedError", "None is not supported")
	case "for":
		return p.fail(t, "NotImplementedError", "comprehensions are not supported")
	case "and", "or", "not", "in", "True", "False":
		return p.fail(t, "SyntaxError", "unexpected %q", t.text)
	}
	return p.fail(t, "NotImplementedError", "statements (%s) are not supported", t.text)
}

func describe(t token) string {
	switch t.kind {
	case tNum:
		return "number " + t.text
	case tStr:
		return "string literal"
	case tBacktick:
		return "name `" + t.text + "`"
	case tName:
		return "name " + t.text
	case tEOF:
		return "end of expression"
	}
	return "'" + t.text + "'"
}

// parse reads the whole expression.
func (p *parser) parse() (node, error) {
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tEOF {
		return nil, p.unexpected()
	}
	if err := checkLists(p.src, n, false); err != nil {
		return nil, err
	}
	return n, nil
}

func (p *parser) or() (node, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.isWord("or") || p.isOp("|") {
		t := p.next()
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &binary{pos: t.pos, op: "|", l: l, r: r}
	}
	return l, nil
}

func (p *parser) and() (node, error) {
	l, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.isWord("and") || p.isOp("&") {
		t := p.next()
		r, err := p.not()
		if err != nil {
			return nil, err
		}
		l = &binary{pos: t.pos, op: "&", l: l, r: r}
	}
	return l, nil
}

func (p *parser) not() (node, error) {
	if p.isWord("not") {
		t := p.next()
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		return &unary{pos: t.pos, op: "~", x: x}, nil
	}
	return p.comparison()
}

// comparison reads a (chained) comparison: a < b < c is (a < b) & (b < c), as pandas
// rewrites it.
func (p *parser) comparison() (node, error) {
	l, err := p.arith()
	if err != nil {
		return nil, err
	}
	var parts []node
	left := l
	for {
		t := p.peek()
		op := ""
		switch {
		case p.isOp("==", "!=", "<", "<=", ">", ">="):
			op = t.text
			p.next()
		case p.isWord("in"):
			op = "in"
			p.next()
		case p.isWord("not") && p.toks[p.i+1].kind == tName && p.toks[p.i+1].text == "in":
			op = "not in"
			p.i += 2
		case p.isWord("is"):
			return nil, p.unsupportedWord(t)
		case p.isOp("!"):
			return nil, p.fail(t, "SyntaxError", "'!' is not an operator; use ~ or not")
		}
		if op == "" {
			break
		}
		r, err := p.arith()
		if err != nil {
			return nil, err
		}
		parts = append(parts, &binary{pos: t.pos, op: op, l: left, r: r})
		left = r
	}
	if len(parts) == 0 {
		return l, nil
	}
	out := parts[0]
	for _, c := range parts[1:] {
		out = &binary{pos: c.position(), op: "&", l: out, r: c}
	}
	return out, nil
}

func (p *parser) arith() (node, error) {
	l, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.isOp("+", "-") {
		t := p.next()
		r, err := p.term()
		if err != nil {
			return nil, err
		}
		l = &binary{pos: t.pos, op: t.text, l: l, r: r}
	}
	return l, nil
}

func (p *parser) term() (node, error) {
	l, err := p.factor()
	if err != nil {
		return nil, err
	}
	for p.isOp("*", "/", "//", "%") {
		t := p.next()
		r, err := p.factor()
		if err != nil {
			return nil, err
		}
		l = &binary{pos: t.pos, op: t.text, l: l, r: r}
	}
	return l, nil
}

func (p *parser) factor() (node, error) {
	if p.isOp("-", "+", "~") {
		t := p.next()
		x, err := p.factor()
		if err != nil {
			return nil, err
		}
		return &unary{pos: t.pos, op: t.text, x: x}, nil
	}
	return p.power()
}

// power reads primary ["**" factor]: right-associative, and binding tighter than a
// unary minus on its left (-2**2 is -(2**2)) but not on its right (2**-1).
func (p *parser) power() (node, error) {
	base, err := p.primary()
	if err != nil {
		return nil, err
	}
	if p.isOp(".", "[") {
		return nil, p.unexpected()
	}
	if p.isOp("(") {
		return nil, p.fail(p.peek(), "NotImplementedError", "only the supported functions can be called, by name")
	}
	if p.isOp("**") {
		t := p.next()
		exp, err := p.factor()
		if err != nil {
			return nil, err
		}
		return &binary{pos: t.pos, op: "**", l: base, r: exp}, nil
	}
	return base, nil
}

func (p *parser) primary() (node, error) {
	t := p.peek()
	switch t.kind {
	case tNum:
		p.next()
		return &numLit{pos: t.pos, f: t.num, i: t.inum, isInt: t.isInt, text: t.text}, nil
	case tStr:
		p.next()
		s := t.text
		// adjacent literals concatenate, as in Python
		for p.peek().kind == tStr {
			s += p.next().text
		}
		return &strLit{pos: t.pos, s: s}, nil
	case tBacktick:
		p.next()
		return &nameRef{pos: t.pos, name: t.text, quoted: true}, nil
	case tName:
		switch t.text {
		case "True", "False":
			p.next()
			return &boolLit{pos: t.pos, b: t.text == "True"}, nil
		}
		if keywords[t.text] {
			return nil, p.unsupportedWord(t)
		}
		p.next()
		if p.isOp("(") {
			return p.call(t)
		}
		return &nameRef{pos: t.pos, name: t.text}, nil
	case tOp:
		switch t.text {
		case "(":
			p.next()
			if p.isOp(")") {
				return nil, p.fail(p.peek(), "NotImplementedError", "empty tuples are not supported")
			}
			first, err := p.or()
			if err != nil {
				return nil, err
			}
			if p.isOp(",") {
				elems := []node{first}
				for p.isOp(",") {
					p.next()
					if p.isOp(")") {
						break
					}
					e, err := p.or()
					if err != nil {
						return nil, err
					}
					elems = append(elems, e)
				}
				if !p.isOp(")") {
					return nil, p.unexpected()
				}
				p.next()
				return &list{pos: t.pos, elems: elems}, nil
			}
			if !p.isOp(")") {
				return nil, p.unexpected()
			}
			p.next()
			return first, nil
		case "[":
			p.next()
			var elems []node
			for !p.isOp("]") {
				e, err := p.or()
				if err != nil {
					return nil, err
				}
				elems = append(elems, e)
				if p.isOp(",") {
					p.next()
					continue
				}
				if !p.isOp("]") {
					return nil, p.unexpected()
				}
			}
			p.next()
			return &list{pos: t.pos, elems: elems}, nil
		}
	}
	return nil, p.unexpected()
}

// call reads the argument list of a function call whose name token is fn; the function
// must be one of the supported ones (pandas' ValueError otherwise).
func (p *parser) call(fn token) (node, error) {
	f, ok := functions[fn.text]
	if !ok {
		return nil, p.fail(fn, "ValueError", "%q is not a supported function (supported: %s)", fn.text, strings.Join(functionNames(), ", "))
	}
	p.next() // (
	var args []node
	for !p.isOp(")") {
		if p.peek().kind == tName && p.toks[p.i+1].kind == tOp && p.toks[p.i+1].text == "=" {
			return nil, p.fail(p.peek(), "NotImplementedError", "keyword arguments are not supported")
		}
		a, err := p.or()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if p.isOp(",") {
			p.next()
			continue
		}
		if !p.isOp(")") {
			return nil, p.unexpected()
		}
	}
	p.next()
	if len(args) != f.arity {
		return nil, p.fail(fn, "TypeError", "%s() takes %d argument%s, got %d", fn.text, f.arity, plural(f.arity), len(args))
	}
	return &call{pos: fn.pos, fn: fn.text, args: args}, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// checkLists rejects list literals anywhere but on the right of in / not in, and
// anything but literals inside them.
func checkLists(src string, n node, allowed bool) error {
	switch x := n.(type) {
	case *list:
		if !allowed {
			return errAt(src, x.pos, "NotImplementedError", "lists and tuples are supported only on the right of 'in' / 'not in'")
		}
		for _, e := range x.elems {
			if !isLiteral(e) {
				return errAt(src, e.position(), "NotImplementedError", "the list after 'in' may hold only numbers, strings and True/False")
			}
		}
	case *unary:
		return checkLists(src, x.x, false)
	case *binary:
		in := x.op == "in" || x.op == "not in"
		if _, isList := x.r.(*list); in && !isList {
			return errAt(src, x.pos, "NotImplementedError", "'%s' needs a list of literals on its right, such as [1, 2]", x.op)
		}
		if err := checkLists(src, x.l, false); err != nil {
			return err
		}
		return checkLists(src, x.r, in)
	case *call:
		for _, a := range x.args {
			if err := checkLists(src, a, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// isLiteral reports whether n is a constant: a number (possibly negated), a string or a
// boolean.
func isLiteral(n node) bool {
	switch x := n.(type) {
	case *numLit, *strLit, *boolLit:
		return true
	case *unary:
		_, num := x.x.(*numLit)
		return num && (x.op == "-" || x.op == "+")
	}
	return false
}
