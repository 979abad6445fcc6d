package data

// Dict is a JSON object that keeps its keys in insertion order, as Python dicts do.
// hetida echoes ANY values and metadata in the order they arrived; a Go map would not.
// Lookups are linear for small objects and indexed once an object grows.
type Dict struct {
	keys  []string
	vals  []any
	index map[string]int
}

const dictIndexThreshold = 16

// NewDict returns an empty object with room for n members.
func NewDict(n int) *Dict {
	return &Dict{keys: make([]string, 0, n), vals: make([]any, 0, n)}
}

// Len is the number of members; a nil Dict is empty.
func (o *Dict) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

// Keys returns the keys in order. The slice must not be modified.
func (o *Dict) Keys() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

// At returns the i-th member.
func (o *Dict) At(i int) (string, any) { return o.keys[i], o.vals[i] }

func (o *Dict) find(k string) int {
	if o == nil {
		return -1
	}
	if o.index != nil {
		if i, ok := o.index[k]; ok {
			return i
		}
		return -1
	}
	for i, kk := range o.keys {
		if kk == k {
			return i
		}
	}
	return -1
}

// Get returns the value stored under k.
func (o *Dict) Get(k string) (any, bool) {
	i := o.find(k)
	if i < 0 {
		return nil, false
	}
	return o.vals[i], true
}

// Has reports whether k is present.
func (o *Dict) Has(k string) bool { return o.find(k) >= 0 }

// Set stores v under k. An existing key keeps its position (Python dict semantics).
func (o *Dict) Set(k string, v any) {
	if i := o.find(k); i >= 0 {
		o.vals[i] = v
		return
	}
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
	if o.index != nil {
		o.index[k] = len(o.keys) - 1
	} else if len(o.keys) > dictIndexThreshold {
		o.index = make(map[string]int, len(o.keys)*2)
		for i, kk := range o.keys {
			o.index[kk] = i
		}
	}
}

// Delete removes k if present, keeping the order of the others.
func (o *Dict) Delete(k string) {
	i := o.find(k)
	if i < 0 {
		return
	}
	o.keys = append(o.keys[:i], o.keys[i+1:]...)
	o.vals = append(o.vals[:i], o.vals[i+1:]...)
	if o.index != nil {
		o.index = make(map[string]int, len(o.keys)*2)
		for j, kk := range o.keys {
			o.index[kk] = j
		}
	}
}

// Clone returns a shallow copy: members are shared, the order is not.
func (o *Dict) Clone() *Dict {
	if o == nil {
		return NewDict(0)
	}
	c := &Dict{keys: append([]string(nil), o.keys...), vals: append([]any(nil), o.vals...)}
	if o.index != nil {
		c.index = make(map[string]int, len(o.index))
		for k, v := range o.index {
			c.index[k] = v
		}
	}
	return c
}
