package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// pyDict is a Python dict literal with its insertion order (port order matters).
type pyDict []struct {
	k string
	v any
}

func (d pyDict) get(k string) any {
	for _, kv := range d {
		if kv.k == k {
			return kv.v
		}
	}
	return nil
}

func (d pyDict) has(k string) bool {
	for _, kv := range d {
		if kv.k == k {
			return true
		}
	}
	return false
}

// json renders the dict as JSON text (hetida's manual-input form of an ANY default).
func (d pyDict) json() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, kv := range d {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(kv.k)
		b.Write(k)
		b.WriteByte(':')
		var v []byte
		if sub, ok := kv.v.(pyDict); ok {
			v = []byte(sub.json())
		} else {
			v, _ = json.Marshal(kv.v)
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}

// pyParser reads the subset of Python literals COMPONENT_INFO uses: dicts, lists,
// strings (adjacent ones concatenated), ints, floats, True, False, None, comments and
// trailing commas.
type pyParser struct {
	s string
	i int
}

func (p *pyParser) skip() {
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.i++
		case c == '#':
			for p.i < len(p.s) && p.s[p.i] != '\n' {
				p.i++
			}
		default:
			return
		}
	}
}

func (p *pyParser) errorf(format string, args ...any) error {
	line := strings.Count(p.s[:p.i], "\n") + 1
	return fmt.Errorf("line %d: %s", line, fmt.Sprintf(format, args...))
}

func (p *pyParser) value() (any, error) {
	p.skip()
	if p.i >= len(p.s) {
		return nil, p.errorf("unexpected end")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.dict()
	case c == '[':
		return p.list()
	case c == '"' || c == '\'':
		var b strings.Builder
		for p.i < len(p.s) && (p.s[p.i] == '"' || p.s[p.i] == '\'') {
			s, err := p.str()
			if err != nil {
				return nil, err
			}
			b.WriteString(s)
			p.skip()
		}
		return b.String(), nil
	default:
		start := p.i
		for p.i < len(p.s) && strings.IndexByte(",}] \t\n\r#", p.s[p.i]) < 0 {
			p.i++
		}
		tok := p.s[start:p.i]
		switch tok {
		case "None":
			return nil, nil
		case "True":
			return true, nil
		case "False":
			return false, nil
		}
		if n, err := strconv.ParseInt(tok, 10, 64); err == nil {
			return n, nil
		}
		if f, err := strconv.ParseFloat(tok, 64); err == nil {
			return f, nil
		}
		return nil, p.errorf("unsupported literal %q", tok)
	}
}

func (p *pyParser) str() (string, error) {
	q := p.s[p.i]
	start := p.i
	p.i++
	for p.i < len(p.s) && p.s[p.i] != q {
		if p.s[p.i] == '\\' {
			p.i++
		}
		p.i++
	}
	if p.i >= len(p.s) {
		return "", p.errorf("unterminated string")
	}
	p.i++
	lit := p.s[start:p.i]
	if q == '\'' {
		lit = `"` + strings.ReplaceAll(strings.ReplaceAll(lit[1:len(lit)-1], `\'`, `'`), `"`, `\"`) + `"`
	}
	s, err := strconv.Unquote(lit)
	if err != nil {
		return "", p.errorf("string %s: %v", lit, err)
	}
	return s, nil
}

func (p *pyParser) dict() (any, error) {
	p.i++ // {
	var d pyDict
	for {
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return d, nil
		}
		k, err := p.value()
		if err != nil {
			return nil, err
		}
		ks, ok := k.(string)
		if !ok {
			return nil, p.errorf("dict key %v is not a string", k)
		}
		p.skip()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, p.errorf("expected ':'")
		}
		p.i++
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		d = append(d, struct {
			k string
			v any
		}{ks, v})
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
		}
	}
}

func (p *pyParser) list() (any, error) {
	p.i++ // [
	var l []any
	for {
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return l, nil
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		l = append(l, v)
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
		}
	}
}
