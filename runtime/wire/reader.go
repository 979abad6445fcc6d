package wire

// Reader reads a JSON document of an expected shape piece by piece, for decoders that
// build their result directly instead of going through Decode's generic values. It does
// not report errors: anything unexpected (malformed JSON, another type, a missing
// colon) makes Ok false, and the caller falls back to Decode, which finds and describes
// the problem. Leaf values are read by Decode's own code, so they come out as Decode
// would give them (Escaped strings included, with the same options).
//
//	r := wire.NewReader(body, opts)
//	for i := 0; r.More('{', '}', i); i++ {
//		switch r.Key() { … r.Value() … }
//	}
//	if !r.End() { /* decode generally */ }
type Reader struct {
	d   decoder
	bad bool
}

// NewReader starts reading b with Decode's options.
func NewReader(b []byte, opts DecodeOptions) *Reader {
	return &Reader{d: decoder{b: b, keep: opts.KeepEscaped, pandas: opts.PandasFloats}}
}

// Ok reports whether everything read so far was as expected.
func (r *Reader) Ok() bool { return !r.bad }

// Fail marks the document as not of the expected shape.
func (r *Reader) Fail() { r.bad = true }

// More steps through an object (open '{', close '}') or array ('[', ']'): call it with
// i = 0, 1, 2, … before each member; it consumes the opening bracket at i = 0 and the
// comma before the others, and returns false at the closing bracket (consumed) or when
// the document is not as expected.
func (r *Reader) More(open, close byte, i int) bool {
	if r.bad {
		return false
	}
	d := &r.d
	d.ws()
	if i == 0 {
		if d.i >= len(d.b) || d.b[d.i] != open {
			r.bad = true
			return false
		}
		d.i++
		d.ws()
		if d.i < len(d.b) && d.b[d.i] == close {
			d.i++
			return false
		}
		return true
	}
	if d.i < len(d.b) {
		switch d.b[d.i] {
		case ',':
			d.i++
			return true
		case close:
			d.i++
			return false
		}
	}
	r.bad = true
	return false
}

// Key reads an object member's key and its colon.
func (r *Reader) Key() string {
	if r.bad {
		return ""
	}
	d := &r.d
	d.ws()
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		r.bad = true
		return ""
	}
	k, err := d.str()
	if err != nil {
		r.bad = true
		return ""
	}
	d.ws()
	if d.i >= len(d.b) || d.b[d.i] != ':' {
		r.bad = true
		return ""
	}
	d.i++
	return k
}

// Value reads the next value as Decode does (at nesting depth 1 of its own).
func (r *Reader) Value() any {
	if r.bad {
		return nil
	}
	r.d.ws()
	v, err := r.d.value(1)
	if err != nil {
		r.bad = true
		return nil
	}
	return v
}

// String reads a value that must be a string that Decode gives as a Go string.
func (r *Reader) String() string {
	s, e := r.Text()
	if e != nil {
		r.bad = true
	}
	return s
}

// Text reads a value that must be a string: the string, or the Escaped value Decode
// would give for it.
func (r *Reader) Text() (string, *Escaped) {
	if r.bad {
		return "", nil
	}
	d := &r.d
	d.ws()
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		r.bad = true
		return "", nil
	}
	s, e, err := d.stringValue()
	if err != nil {
		r.bad = true
	}
	return s, e
}

// Bool reads a value that must be true or false.
func (r *Reader) Bool() bool {
	b, ok := r.Value().(bool)
	if !ok {
		r.bad = true
	}
	return b
}

// End reports whether the document ended after its value and everything was as
// expected.
func (r *Reader) End() bool {
	r.d.ws()
	return !r.bad && r.d.i == len(r.d.b)
}
