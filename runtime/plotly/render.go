package plotly

import (
	"fmt"
	"math"
	"strconv"
	"sync"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// constructed is the born mark of objects whose every property counts as set by a
// plotly constructor (list elements such as shapes, traces appended to Figure.Data
// without Add).
const constructed = math.MaxUint64

// object is a plotly compound property: it lists its fields, set or not, in any order.
type object interface {
	fields(p *props)
}

// leafNode is a scalar-like property value (an Opt or an extra prop).
type leafNode interface {
	write(w *writer)
	merge(src leafNode)
}

// list is a property holding a list of objects (layout.shapes, sliders, steps).
type list interface {
	n() int
	at(i int) object
	// key is when the list's key was set (0: not recorded, use its elements')
	key() *uint64
	assign(src list)
}

// objList adapts a *[]T of objects and the tick of its key to list.
type objList[T any, P interface {
	*T
	object
}] struct {
	s   *[]T
	seq *uint64
}

func (l objList[T, P]) n() int          { return len(*l.s) }
func (l objList[T, P]) at(i int) object { return P(&(*l.s)[i]) }
func (l objList[T, P]) key() *uint64    { return l.seq }

// assign replaces the list as assigning a Python dict key does: a new key is placed now,
// an existing one keeps its place.
func (l objList[T, P]) assign(src list) {
	s, ok := src.(objList[T, P])
	if !ok || len(*s.s) == 0 {
		return
	}
	if *l.seq == 0 {
		if len(*l.s) > 0 {
			var w writer
			*l.seq = w.firstOfList(l)
		} else {
			*l.seq = tick()
		}
	}
	*l.s = append([]T(nil), *s.s...)
}

// appendTo appends to a list, placing its key now if it is new (fig.add_shape).
func appendTo[T any](s *[]T, seq *uint64, v T) {
	if len(*s) == 0 && *seq == 0 {
		*seq = tick()
	}
	*s = append(*s, v)
}

// entry is one property of an object while it is rendered or merged.
type entry struct {
	key  string
	seq  uint64 // 0 = unset
	leaf leafNode
	obj  object
	list list
	// dyn marks subplot keys (xaxis2, yaxis3, …) that plotly's Layout constructor sets
	// after its own properties, in argument order.
	dyn bool
	// extra marks a Props key (merged key by key)
	extra *Props
}

// props collects an object's entries on the writer's stack.
type props struct {
	w   *writer
	all bool // keep unset entries too (merging)
}

func (p *props) push(e entry) {
	if e.seq != 0 || p.all {
		p.w.stack = append(p.w.stack, e)
	}
}

func (p *props) str(key string, o *Opt[string]) { p.push(entry{key: key, seq: o.seq, leaf: o}) }
func (p *props) bool(key string, o *Opt[bool])  { p.push(entry{key: key, seq: o.seq, leaf: o}) }
func (p *props) num(key string, o *Opt[Number]) { p.push(entry{key: key, seq: o.seq, leaf: o}) }
func (p *props) data(key string, o *Opt[Data])  { p.push(entry{key: key, seq: o.seq, leaf: o}) }
func (p *props) obj(key string, o object)       { p.push(entry{key: key, seq: p.first(o), obj: o}) }

// subplot adds a numbered axis (see entry.dyn).
func (p *props) subplot(key string, o object) {
	p.push(entry{key: key, seq: p.first(o), obj: o, dyn: true})
}
func (p *props) list(key string, l list) {
	var seq uint64
	if !p.all {
		seq = p.w.firstOfList(l)
	}
	p.push(entry{key: key, seq: seq, list: l})
}

// first is w.first(o) when it matters: a merge's destination entries are found by key,
// and walking each of its objects for their earliest tick made StandardLayout a third of
// a 10-point plot.
func (p *props) first(o object) uint64 {
	if p.all {
		return 0
	}
	return p.w.first(o)
}

// extra adds the keys of x as leaf entries.
func (p *props) extra(x *Props) {
	for i := range x.kv {
		e := &x.kv[i]
		p.push(entry{key: e.key, seq: e.seq, leaf: e, extra: x})
	}
	if p.all {
		p.w.stack = append(p.w.stack, entry{extra: x})
	}
}

// writer renders a figure: the output, the first error, and a stack of entries shared
// by all objects being rendered (no allocation per object).
type writer struct {
	b     []byte
	err   error
	stack []entry
	// used is the most of stack ever in use: what release clears
	used int
	// the collectors handed to fields (one each, so that rendering does not allocate)
	collect, collectAll props
}

// stacks keeps the writers' entry stacks between figures: a layout merge pushes hundreds
// of entries, and growing a fresh stack for every Update was most of a small plot's
// allocations.
var stacks = sync.Pool{New: func() any { s := make([]entry, 0, 256); return &s }}

// newWriter returns a writer appending to b with a stack from the pool.
func newWriter(b []byte) *writer {
	return &writer{b: b, stack: (*stacks.Get().(*[]entry))[:0]}
}

// release returns the stack to the pool, cleared so that it keeps no figure alive.
func (w *writer) release() {
	s := w.stack[:max(w.used, len(w.stack))]
	clear(s)
	s = s[:0]
	stacks.Put(&s)
	w.stack = nil
}

// pop drops the entries from start on.
func (w *writer) pop(start int) {
	w.used = max(w.used, len(w.stack))
	w.stack = w.stack[:start]
}

// props returns the writer's collector; all keeps unset entries (merging).
func (w *writer) props(all bool) *props {
	if all {
		w.collectAll = props{w: w, all: true}
		return &w.collectAll
	}
	w.collect = props{w: w}
	return &w.collect
}

func (w *writer) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// first is the earliest tick inside o (0 when nothing is set): where plotly would have
// created o's key.
func (w *writer) first(o object) uint64 {
	start := len(w.stack)
	o.fields(w.props(false))
	var m uint64
	for _, e := range w.stack[start:] {
		if m == 0 || e.seq < m {
			m = e.seq
		}
	}
	w.pop(start)
	return m
}

func (w *writer) firstOfList(l list) uint64 {
	if k := *l.key(); k != 0 && l.n() > 0 {
		return k
	}
	var m uint64
	for i := 0; i < l.n(); i++ {
		if s := w.first(l.at(i)); s != 0 && (m == 0 || s < m) {
			m = s
		}
	}
	return m
}

// class ranks an entry for ordering: properties set before the object was constructed
// come first in plotly's property order (alphabetical), then subplot keys set then, then
// (for traces) "type", then everything set later in the order it was set.
func class(e *entry, born uint64) int {
	switch {
	case e.seq > born:
		return 2
	case e.dyn:
		return 1
	}
	return 0
}

func before(a, b *entry, born uint64) bool {
	ca, cb := class(a, born), class(b, born)
	if ca != cb {
		return ca < cb
	}
	if ca == 0 {
		return a.key < b.key
	}
	return a.seq < b.seq
}

// object renders o; typ is a trace's type, written after the constructor's properties.
func (w *writer) object(o object, born uint64, typ string) {
	start := len(w.stack)
	o.fields(w.props(false))
	es := w.stack[start:]
	// insertion sort: objects have a few dozen properties at most
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && before(&es[j], &es[j-1], born); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
	w.b = append(w.b, '{')
	n := 0
	key := func(k string) {
		if n > 0 {
			w.b = append(w.b, ',')
		}
		n++
		w.b = wire.AppendString(w.b, k)
		w.b = append(w.b, ':')
	}
	typeDone := typ == "" // only traces have a type key
	// es stays valid while nested objects push onto the stack: they only append beyond it
	for i := range es {
		e := &es[i]
		if !typeDone && class(e, born) == 2 {
			key("type")
			w.b = wire.AppendString(w.b, typ)
			typeDone = true
		}
		key(e.key)
		switch {
		case e.leaf != nil:
			e.leaf.write(w)
		case e.obj != nil:
			w.object(e.obj, born, "")
		case e.list != nil:
			w.list(e.list)
		}
	}
	if !typeDone {
		key("type")
		w.b = wire.AppendString(w.b, typ)
	}
	w.b = append(w.b, '}')
	w.pop(start)
}

// list renders list elements; each was built by a constructor (fig.add_shape, a list of
// dicts given to update_layout), so their keys are in property order.
func (w *writer) list(l list) {
	w.b = append(w.b, '[')
	for i := 0; i < l.n(); i++ {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.object(l.at(i), constructed, "")
	}
	w.b = append(w.b, ']')
}

// merge applies the set properties of src to dst (same type) as plotly's update does:
// existing keys keep their place and take the new value, new keys are appended in the
// order they were set in src. Lists replace the whole list.
func (w *writer) merge(dst, src object) {
	start := len(w.stack)
	src.fields(w.props(false))
	mid := len(w.stack)
	dst.fields(w.props(true))
	ss, ds := w.stack[start:mid], w.stack[mid:]
	for i := 1; i < len(ss); i++ {
		for j := i; j > 0 && ss[j].seq < ss[j-1].seq; j-- {
			ss[j], ss[j-1] = ss[j-1], ss[j]
		}
	}
	var dstExtra *Props
	for i := range ds {
		if ds[i].extra != nil {
			dstExtra = ds[i].extra
		}
	}
	for i := range ss {
		s := &ss[i]
		if s.extra != nil {
			if dstExtra != nil {
				p := s.leaf.(*prop)
				dstExtra.Set(p.key, p.v)
			}
			continue
		}
		var d *entry
		for j := range ds {
			if ds[j].key == s.key && ds[j].extra == nil {
				d = &ds[j]
				break
			}
		}
		switch {
		case d == nil:
		case s.leaf != nil && d.leaf != nil:
			d.leaf.merge(s.leaf)
		case s.obj != nil && d.obj != nil:
			w.merge(d.obj, s.obj)
		case s.list != nil && d.list != nil:
			d.list.assign(s.list)
		}
	}
	w.pop(start)
}

func (o *Opt[T]) write(w *writer) {
	switch v := any(&o.v).(type) {
	case *string:
		w.b = wire.AppendString(w.b, *v)
	case *bool:
		w.b = strconv.AppendBool(w.b, *v)
	case *Number:
		w.number(*v)
	case *Data:
		w.array(v.v)
	}
}

func (w *writer) number(n Number) {
	if n.isFloat {
		w.b = wire.AppendFloat(w.b, n.f)
	} else {
		w.b = strconv.AppendInt(w.b, n.i, 10)
	}
}

// array renders a Data value in a data-array property: a column as plotly converts a
// pandas object (datetimes through to_pydatetime), anything else as w.any does.
func (w *writer) array(v any) {
	c, ok := v.(data.Column)
	if !ok {
		w.any(v)
		return
	}
	w.b = append(w.b, '[')
	n := c.Len()
	switch c.DType {
	case data.Float64:
		for i, f := range c.F {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = wire.AppendFloat(w.b, f)
		}
	case data.Int64, data.Timedeltas:
		// timedeltas are not converted by plotly: numpy's tolist() gives nanoseconds
		for i, x := range c.I {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			if x == data.NaT && c.DType == data.Timedeltas {
				w.b = append(w.b, "null"...)
			} else {
				w.b = strconv.AppendInt(w.b, x, 10)
			}
		}
	case data.Bool:
		for i, x := range c.B {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = strconv.AppendBool(w.b, x)
		}
	case data.Datetime:
		for i, x := range c.I {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			if x == data.NaT {
				w.b = append(w.b, "null"...)
				continue
			}
			w.b = append(w.b, '"')
			w.b = data.AppendISOFormat(w.b, x, c.Zone)
			w.b = append(w.b, '"')
		}
	default:
		for i := 0; i < n; i++ {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.any(c.At(i))
		}
	}
	w.b = append(w.b, ']')
}

// column renders a column element by element as PlotlyJSONEncoder renders the Python
// objects of a list of Series (table cells): Timestamp.isoformat() with nanoseconds,
// Timedelta.isoformat(), NaN/NaT as null.
func (w *writer) column(c data.Column) {
	switch c.DType {
	case data.Datetime, data.Timedeltas:
		w.b = append(w.b, '[')
		for i := 0; i < c.Len(); i++ {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.any(c.At(i))
		}
		w.b = append(w.b, ']')
	default:
		w.array(c)
	}
}

// any renders a free-form value as json.dumps(…, cls=PlotlyJSONEncoder) renders the
// Python value it stands for.
func (w *writer) any(v any) {
	switch x := v.(type) {
	case nil:
		w.b = append(w.b, "null"...)
	case bool:
		w.b = strconv.AppendBool(w.b, x)
	case int:
		w.b = strconv.AppendInt(w.b, int64(x), 10)
	case int64:
		w.b = strconv.AppendInt(w.b, x, 10)
	case float64:
		w.b = wire.AppendFloat(w.b, x)
	case string:
		w.b = wire.AppendString(w.b, x)
	case Number:
		w.number(x)
	case data.Timestamp:
		if x.IsNaT() {
			w.b = append(w.b, "null"...)
			return
		}
		w.b = append(w.b, '"')
		w.b = appendTimestampISO(w.b, x)
		w.b = append(w.b, '"')
	case data.Timedelta:
		if x.IsNaT() {
			w.b = append(w.b, "null"...)
			return
		}
		w.b = append(w.b, '"')
		w.b = appendTimedeltaISO(w.b, x.NS)
		w.b = append(w.b, '"')
	case data.Column:
		w.array(x)
	case []data.Column:
		w.b = append(w.b, '[')
		for i, c := range x {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.column(c)
		}
		w.b = append(w.b, ']')
	case []float64:
		w.array(data.Floats(x))
	case []int64:
		w.array(data.Ints(x))
	case []bool:
		w.array(data.Bools(x))
	case []string:
		w.b = append(w.b, '[')
		for i, s := range x {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = wire.AppendString(w.b, s)
		}
		w.b = append(w.b, ']')
	case []any:
		w.b = append(w.b, '[')
		for i, e := range x {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.any(e)
		}
		w.b = append(w.b, ']')
	case [][]float64:
		w.b = append(w.b, '[')
		for i, row := range x {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.array(data.Floats(row))
		}
		w.b = append(w.b, ']')
	case [][]string:
		w.b = append(w.b, '[')
		for i, row := range x {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.any(row)
		}
		w.b = append(w.b, ']')
	case [][]any:
		w.b = append(w.b, '[')
		for i, row := range x {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.any(row)
		}
		w.b = append(w.b, ']')
	case *data.Dict:
		w.b = append(w.b, '{')
		for i := 0; i < x.Len(); i++ {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			k, e := x.At(i)
			w.b = wire.AppendString(w.b, k)
			w.b = append(w.b, ':')
			w.any(e)
		}
		w.b = append(w.b, '}')
	case RawJSON:
		w.b = append(w.b, x...)
	case Data:
		w.any(x.v)
	default:
		w.fail(fmt.Errorf("plotly: cannot render a value of type %T", v))
		w.b = append(w.b, "null"...)
	}
}

// appendTimestampISO appends pd.Timestamp.isoformat(): like datetime.isoformat() but with
// nine fractional digits when the nanoseconds are not a whole microsecond.
func appendTimestampISO(b []byte, t data.Timestamp) []byte {
	local := t.NS
	if t.Zone.Aware {
		local += int64(t.Zone.Offset) * 1e9
	}
	nano := (local%1e9 + 1e9) % 1e9
	ns := nano % 1000
	if ns == 0 {
		return data.AppendISOFormat(b, t.NS, t.Zone)
	}
	// the wall time without the zone, with microseconds when they are set
	b = data.AppendISOFormat(b, local-ns, data.Naive)
	if nano/1000 == 0 {
		b = append(b, ".000000"...)
	}
	b = append(b, byte('0'+ns/100), byte('0'+ns/10%10), byte('0'+ns%10))
	if t.Zone.Aware {
		b = appendZoneOffset(b, int64(t.Zone.Offset))
	}
	return b
}

// appendZoneOffset appends a UTC offset in seconds as "+HH:MM" (":SS" when not whole
// minutes), as Python's isoformat does.
func appendZoneOffset(b []byte, off int64) []byte {
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	h, m, s := off/3600, off/60%60, off%60
	b = append(b, sign, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10))
	if s != 0 {
		b = append(b, ':', byte('0'+s/10), byte('0'+s%10))
	}
	return b
}

// appendTimedeltaISO appends pd.Timedelta.isoformat(): "P{days}DT{h}H{m}M{s}S" with the
// components of str(Timedelta) (negative durations: negative days, non-negative rest) and
// the fraction's trailing zeros trimmed.
func appendTimedeltaISO(b []byte, ns int64) []byte {
	const day = int64(86400e9)
	days := ns / day
	rest := ns % day
	if rest < 0 {
		days--
		rest += day
	}
	b = append(b, 'P')
	b = strconv.AppendInt(b, days, 10)
	b = append(b, 'D', 'T')
	b = strconv.AppendInt(b, rest/3600e9, 10)
	b = append(b, 'H')
	b = strconv.AppendInt(b, rest/60e9%60, 10)
	b = append(b, 'M')
	b = strconv.AppendInt(b, rest/1e9%60, 10)
	if frac := rest % 1e9; frac != 0 {
		var d [9]byte
		for i := 8; i >= 0; i-- {
			d[i] = byte('0' + frac%10)
			frac /= 10
		}
		n := 9
		for d[n-1] == '0' {
			n--
		}
		b = append(b, '.')
		b = append(b, d[:n]...)
	}
	return append(b, 'S')
}
