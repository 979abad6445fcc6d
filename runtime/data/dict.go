package data

// Dict is a JSON object that keeps its keys in insertion order, as Python dicts do.
// hetida echoes ANY values and metadata in the order they arrived; a Go map would not.
// Lookups are linear for small objects and indexed once an object grows.
type Dict struct {
	members []member
	index   map[string]int
}

type member struct {
	key string
	val any
}

const dictIndexThreshold = 16

// DictArena hands out small Dicts from shared chunks: decoding a request, whose objects
// are many and small, then costs a few allocations instead of two per object. A Dict from
// an arena keeps its chunk alive as long as it lives, so arenas suit short-lived documents.
// The zero value is ready to use.
type DictArena struct {
	dicts   []Dict
	members []member
}

// New returns an empty object with room for n members; it grows like any other Dict.
func (a *DictArena) New(n int) *Dict {
	if len(a.dicts) == 0 {
		a.dicts = make([]Dict, 16)
	}
	o := &a.dicts[0]
	a.dicts = a.dicts[1:]
	if n > 16 {
		o.members = make([]member, 0, n)
		return o
	}
	if cap(a.members)-len(a.members) < n {
		a.members = make([]member, 0, 64)
	}
	l := len(a.members)
	o.members = a.members[l : l : l+n] // capped: growing reallocates, never overwrites a neighbour
	a.members = a.members[:l+n]
	return o
}

// NewDict returns an empty object with room for n members.
func NewDict(n int) *Dict {
	return &Dict{members: make([]member, 0, n)}
}

// Len is the number of members; a nil Dict is empty.
func (o *Dict) Len() int {
	if o == nil {
		return 0
	}
	return len(o.members)
}

// Keys returns the keys in order.
func (o *Dict) Keys() []string {
	if o == nil {
		return nil
	}
	keys := make([]string, len(o.members))
	for i, m := range o.members {
		keys[i] = m.key
	}
	return keys
}

// At returns the i-th member.
func (o *Dict) At(i int) (string, any) { return o.members[i].key, o.members[i].val }

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
	for i := range o.members {
		if o.members[i].key == k {
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
	return o.members[i].val, true
}

// Has reports whether k is present.
func (o *Dict) Has(k string) bool { return o.find(k) >= 0 }

// Set stores v under k. An existing key keeps its position (Python dict semantics).
func (o *Dict) Set(k string, v any) {
	if i := o.find(k); i >= 0 {
		o.members[i].val = v
		return
	}
	o.members = append(o.members, member{k, v})
	if o.index != nil {
		o.index[k] = len(o.members) - 1
	} else if len(o.members) > dictIndexThreshold {
		o.reindex()
	}
}

func (o *Dict) reindex() {
	o.index = make(map[string]int, len(o.members)*2)
	for i, m := range o.members {
		o.index[m.key] = i
	}
}

// Delete removes k if present, keeping the order of the others.
func (o *Dict) Delete(k string) {
	i := o.find(k)
	if i < 0 {
		return
	}
	o.members = append(o.members[:i], o.members[i+1:]...)
	if o.index != nil {
		o.reindex()
	}
}

// Clone returns a shallow copy: members are shared, the order is not.
func (o *Dict) Clone() *Dict {
	if o == nil {
		return NewDict(0)
	}
	c := &Dict{members: append([]member(nil), o.members...)}
	if o.index != nil {
		c.reindex()
	}
	return c
}
