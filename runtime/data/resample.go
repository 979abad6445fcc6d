package data

import (
	"context"
	"math"
	"slices"
)

// Side is the closed or the labelled side of resample bins (pandas' closed= and label=);
// the zero value asks for pandas' default for the rule.
type Side uint8

const (
	SideDefault Side = iota
	SideLeft
	SideRight
)

// ParseSide reads a closed= or label= value ("left", "right", "" for the default); what
// names the argument in pandas' error ("Unsupported value up for `label`").
func ParseSide(what, s string) (Side, error) {
	switch s {
	case "":
		return SideDefault, nil
	case "left":
		return SideLeft, nil
	case "right":
		return SideRight, nil
	}
	return 0, ValueError("Unsupported value %s for `%s`", s, what)
}

// OriginKind is what resample bins are anchored to (pandas' origin=).
type OriginKind uint8

const (
	OriginStartDay  OriginKind = iota // midnight of the first day (pandas' default)
	OriginStart                       // the first value
	OriginEpoch                       // 1970-01-01 00:00 in the index's zone
	OriginEnd                         // the last value, counting backwards
	OriginEndDay                      // midnight after the last value, counting backwards
	OriginTimestamp                   // At
)

// Origin is pandas' resample origin: one of the named anchors or a timestamp.
type Origin struct {
	Kind OriginKind
	At   Timestamp // OriginTimestamp only
}

// ParseOrigin reads origin= as pandas does: "start_day", "start", "epoch", "end",
// "end_day", or an ISO timestamp; anything else fails with pandas' ValueError.
func ParseOrigin(s string) (Origin, error) {
	switch s {
	case "start_day", "":
		return Origin{Kind: OriginStartDay}, nil
	case "start":
		return Origin{Kind: OriginStart}, nil
	case "epoch":
		return Origin{Kind: OriginEpoch}, nil
	case "end":
		return Origin{Kind: OriginEnd}, nil
	case "end_day":
		return Origin{Kind: OriginEndDay}, nil
	}
	ns, z, err := ParseISO(s)
	if err != nil {
		return Origin{}, ValueError("'origin' should be equal to 'epoch', 'start', 'start_day', 'end', 'end_day' or should be a Timestamp convertible type. Got '%s' instead.", s)
	}
	return Origin{Kind: OriginTimestamp, At: Timestamp{NS: ns, Zone: z}}, nil
}

// ResampleOptions are the arguments of pandas' resample(rule, closed, label, origin,
// offset).
type ResampleOptions struct {
	Rule   Offset
	Closed Side
	Label  Side
	Origin Origin
	Offset int64 // nanoseconds added to the origin (pandas' offset=, a Timedelta)
	Limit  int   // most bins allowed; ≤ 0 means DefaultRangeLimit
}

// NewResampleOptions reads resample's string arguments as pandas does, in pandas' order
// of validation (label, closed, rule, origin, offset) and with its messages; empty
// strings mean the defaults.
func NewResampleOptions(rule, closed, label, origin, offset string) (ResampleOptions, error) {
	var o ResampleOptions
	var err error
	if o.Label, err = ParseSide("label", label); err != nil {
		return o, err
	}
	if o.Closed, err = ParseSide("closed", closed); err != nil {
		return o, err
	}
	if o.Rule, err = ParseOffset(rule); err != nil {
		return o, ValueError("%s", err.Error())
	}
	if o.Origin, err = ParseOrigin(origin); err != nil {
		return o, err
	}
	if offset != "" {
		d, err := ParseTimedelta(offset)
		if err != nil || d.IsNaT() {
			return o, ValueError("'offset' should be a Timedelta convertible type. Got '%s' instead.", offset)
		}
		o.Offset = d.NS
	}
	return o, nil
}

// endAnchored reports whether pandas closes and labels bins of the rule on the right by
// default: month, quarter and year ends and weeks (M, BM, Q, BQ, A, BA, W).
func (o Offset) endAnchored() bool {
	switch o.kind {
	case kindMonthEnd, kindBMonthEnd, kindQuarterEnd, kindBQuarterEnd, kindYearEnd, kindBYearEnd, kindWeek:
		return true
	}
	return false
}

// superDaily is pandas' is_superperiod(rule, "D") for the rules resample handles, minus
// "D" itself: _adjust_bin_edges then moves right-closed edges to the end of their day.
func (o Offset) superDaily() bool {
	switch o.kind {
	case kindTick:
		return o.unit == 'D' && o.N != 1
	case kindYearEnd, kindQuarterEnd, kindBQuarterEnd, kindBQuarterBegin, kindMonthEnd, kindBMonthEnd, kindWeek, kindBusinessDay:
		return true
	}
	return false
}

// resolve fills in pandas' defaults for closed and label.
func (opt ResampleOptions) resolve() (closed, label Side) {
	closed, label = opt.Closed, opt.Label
	def := SideLeft
	if opt.Rule.endAnchored() || opt.Origin.Kind == OriginEnd || opt.Origin.Kind == OriginEndDay {
		def = SideRight
	}
	if closed == SideDefault {
		closed = def
	}
	if label == SideDefault {
		label = def
	}
	return closed, label
}

// Agg is a resample aggregation.
type Agg uint8

const (
	AggMean Agg = iota
	AggSum
	AggMin
	AggMax
	AggCount
	AggFirst
	AggLast
	AggMedian
)

var aggNames = [...]string{"mean", "sum", "min", "max", "count", "first", "last", "median"}

func (a Agg) String() string { return aggNames[a] }

// Bins are the bins of a resample over one datetime index: built once (NewBins), then
// applied to any number of value columns of that index (Aggregate), as pandas'
// BinGrouper is.
type Bins struct {
	Labels []int64 // the result index: one label per bin (stored values in Zone)
	Zone   Zone

	binner  []int64 // pandas' binner: the bin edges as date_range produced them (trimmed)
	ends    []int   // bin k holds the sorted rows ends[k−1] ≤ r < ends[k] (ends[−1] = 0)
	order   []int   // row of each sorted position; nil when the index was sorted
	sorted  []int64 // the index values in ascending order, NaT left out
	nat     []int   // rows whose label is NaT
	closed  Side
	n       int // rows of the index
	rule    Offset
	nonempt bool // every bin has at least one row
}

// NewBins computes resample bins with pandas' own algorithm (pandas/core/resample.py,
// 2.1): the index is sorted (stably); for a tick rule the first and last values are
// moved onto the grid origin + offset + k·rule (_get_timestamp_range_edges,
// _adjust_dates_anchored: origin start_day is local midnight of the first day, epoch is
// 1970-01-01 in the index's zone, end/end_day count back from the last value or the
// midnight after it; a Day rule works on the wall clock, other ticks in absolute time),
// for a calendar rule the first day is rolled back (closed left) or moved one rule step
// back (closed right) and the last day one step forward (origin and offset are ignored,
// as in pandas). The edges are date_range(first, last, rule) (daylight-saving gaps shift
// forward, repeated hours take the first occurrence), right-closed edges of rules longer
// than a day are moved to the last nanosecond of their day (_adjust_bin_edges, which in
// pandas 2.1 also applies to "2D"), and rows are assigned with generate_bins: bin k is
// [e_k, e_k+1) for closed left and (e_k, e_k+1] for closed right. Labels are the left or
// right edges (label=). Rows with a NaT label belong to no bin. Defaults for closed and
// label are right for M, BM, Q, BQ, A, BA and W rules and for origin end/end_day, left
// otherwise.
//
// The index must be a Datetime column (pandas' TypeError otherwise); more bins than
// opt.Limit fail with a MemoryError before they are allocated.
func NewBins(ctx context.Context, index Column, opt ResampleOptions) (*Bins, error) {
	if index.DType != Datetime {
		return nil, TypeError("Only valid with DatetimeIndex, TimedeltaIndex or PeriodIndex, but got an instance of '%s'", index.IndexTypeName())
	}
	closed, label := opt.resolve()
	zone := index.Zone
	b := &Bins{Zone: zone, closed: closed, n: index.Len(), rule: opt.Rule}
	if b.n == 0 {
		return b, nil
	}
	if index.IsMonotonicIncreasing() {
		b.sorted = index.I
	} else {
		b.order = index.ArgSort() // stable; NaT last
		k := len(b.order)
		for k > 0 && index.I[b.order[k-1]] == NaT {
			k--
		}
		b.nat = b.order[k:]
		b.order = b.order[:k]
		b.sorted = make([]int64, k)
		for i, r := range b.order {
			b.sorted[i] = index.I[r]
		}
	}
	if len(b.sorted) == 0 {
		return nil, &Error{Type: "AttributeError", Message: "'NaTType' object has no attribute 'normalize'"}
	}
	first, last := b.sorted[0], b.sorted[len(b.sorted)-1]
	lo, hi, err := rangeEdges(first, last, zone, opt, closed)
	if err != nil {
		return nil, err
	}
	binner, err := dateRange(ctx, lo, hi, zone, opt.Rule, InclusiveBoth, opt.Limit, AmbiguousDST, NonexistentShiftForward)
	if err != nil {
		return nil, err
	}
	edges := binner
	if opt.Rule.superDaily() {
		if closed == SideRight {
			edges = make([]int64, len(binner))
			for i, e := range binner {
				if edges[i], err = zone.Localize(zone.ToLocal(e) + nsPerDay - 1); err != nil {
					return nil, err
				}
			}
		}
		if len(edges) >= 2 && edges[len(edges)-2] > last {
			edges = edges[:len(edges)-1]
			binner = binner[:len(binner)-1]
		}
	}
	if b.ends, err = generateBins(ctx, b.sorted, edges, closed == SideRight); err != nil {
		return nil, err
	}
	b.binner = binner
	labels := binner
	if label == SideRight {
		labels = labels[1:]
	}
	if len(labels) > len(b.ends) {
		labels = labels[:len(b.ends)]
	}
	b.Labels = labels
	b.nonempt = true
	prev := 0
	for _, e := range b.ends {
		if e == prev {
			b.nonempt = false
			break
		}
		prev = e
	}
	return b, nil
}

// rangeEdges is pandas' _get_timestamp_range_edges: the first and last bin edges.
func rangeEdges(first, last int64, zone Zone, opt ResampleOptions, closed Side) (int64, int64, error) {
	rule := opt.Rule
	if !rule.Fixed() {
		var err error
		if first, err = Normalize(first, zone); err != nil {
			return 0, 0, err
		}
		if last, err = Normalize(last, zone); err != nil {
			return 0, 0, err
		}
		if closed == SideLeft {
			first, err = rule.Rollback(first, zone)
		} else {
			first, err = rule.Add(first, zone, -1)
		}
		if err != nil {
			return 0, 0, err
		}
		if last, err = rule.Add(last, zone, 1); err != nil {
			return 0, 0, err
		}
		return first, last, nil
	}
	origin := opt.Origin
	switch origin.Kind {
	case OriginTimestamp:
		if origin.At.Zone.Aware != zone.Aware {
			return 0, 0, ValueError("The origin must have the same timezone as the index.")
		}
	case OriginEpoch:
		// Timestamp("1970-01-01", tz=index.tz)
		at, err := zone.Localize(0)
		if err != nil {
			return 0, 0, err
		}
		origin = Origin{Kind: OriginTimestamp, At: Timestamp{NS: at, Zone: zone}}
	}
	calc := zone // the zone the anchoring runs in
	if rule.IsDay() {
		// pandas pretends the values are naive so that a day is a wall-clock day
		first, last = zone.ToLocal(first), zone.ToLocal(last)
		if origin.Kind == OriginTimestamp {
			origin.At = Timestamp{NS: origin.At.Zone.ToLocal(origin.At.NS)}
		}
		calc = Naive
	}
	lo, hi, err := adjustDatesAnchored(first, last, calc, rule.nanos, closed, origin, opt.Offset)
	if err != nil {
		return 0, 0, err
	}
	if rule.IsDay() {
		if lo, err = zone.Localize(lo); err != nil {
			return 0, 0, err
		}
		if hi, err = zone.Localize(hi); err != nil {
			return 0, 0, err
		}
	}
	return lo, hi, nil
}

// adjustDatesAnchored is pandas' _adjust_dates_anchored for a tick of freq nanoseconds.
func adjustDatesAnchored(first, last int64, zone Zone, freq int64, closed Side, origin Origin, offset int64) (int64, int64, error) {
	if freq == 0 {
		return 0, 0, ZeroDivisionError("integer modulo by zero")
	}
	var originNS int64 // epoch
	var err error
	switch origin.Kind {
	case OriginStartDay:
		if originNS, err = Normalize(first, zone); err != nil {
			return 0, 0, err
		}
	case OriginStart:
		originNS = first
	case OriginTimestamp:
		originNS = origin.At.NS
	case OriginEnd, OriginEndDay:
		originLast := last
		if origin.Kind == OriginEndDay {
			if originLast, err = CeilTo(last, zone, nsPerDay); err != nil {
				return 0, 0, err
			}
		}
		sub := floorDiv(originLast-first, freq)
		if closed == SideLeft {
			sub++
		}
		first = originLast - sub*freq
		originNS = first
	}
	originNS += offset
	foff := floorMod(first-originNS, freq)
	loff := floorMod(last-originNS, freq)
	var lo, hi int64
	if closed == SideRight {
		if foff > 0 {
			lo = first - foff
		} else {
			lo = first - freq
		}
		if loff > 0 {
			hi = last + (freq - loff)
		} else {
			hi = last
		}
	} else {
		if foff > 0 {
			lo = first - foff
		} else {
			lo = first
		}
		if loff > 0 {
			hi = last + (freq - loff)
		} else {
			hi = last + freq
		}
	}
	return lo, hi, nil
}

// generateBins is pandas' lib.generate_bins_dt64 for sorted values without NaT: ends[k] is
// the number of values before the right edge of bin k (at or before it when rightClosed).
func generateBins(ctx context.Context, values, edges []int64, rightClosed bool) ([]int, error) {
	if len(values) == 0 || len(edges) == 0 {
		return nil, ValueError("Invalid length for values or for binner")
	}
	if values[0] < edges[0] {
		return nil, ValueError("Values falls before first bin")
	}
	if values[len(values)-1] > edges[len(edges)-1] {
		return nil, ValueError("Values falls after last bin")
	}
	ends := make([]int, len(edges)-1)
	j := 0
	for i := range ends {
		if i%CheckEvery == 0 && i > 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		r := edges[i+1]
		if rightClosed {
			for j < len(values) && values[j] <= r {
				j++
			}
		} else {
			for j < len(values) && values[j] < r {
				j++
			}
		}
		ends[i] = j
	}
	return ends, nil
}

// Len is the number of bins.
func (b *Bins) Len() int { return len(b.Labels) }

// Index is the result index: the bin labels as a Datetime column.
func (b *Bins) Index() Column { return Datetimes(b.Labels, b.Zone) }

func errAggFailed(a Agg, c Column) error {
	return TypeError("agg function failed [how->%s,dtype->%s]", a, c.DType)
}

// Aggregate reduces the rows of each bin of a value column (of the index the bins were
// built on), as pandas' resample(…).agg() does:
//
//   - Mean: Kahan-compensated sum of the non-NaN values / their count (pandas' group_mean,
//     including its reset of the compensation at ±Inf); NaN for a bin without values.
//   - Sum: the same compensated sum; 0 for a bin without values, NaN when it has fewer
//     than minCount values (pandas' min_count; 0 is its default). Integer and boolean
//     columns sum exactly as int64.
//   - Min, Max, First, Last: of the non-NaN values; NaN for an empty bin.
//   - Median: of the non-NaN values (the mean of the two middle ones for an even count);
//     NaN for an empty bin.
//   - Count: the number of non-missing values, int64.
//
// Dtypes follow pandas: mean and median give float64; int64 and bool columns keep their
// dtype for min/max/first/last (bool sums become int64) unless some bin is empty, then
// they become float64 with NaN. Datetime and Timedelta columns support count, first,
// last, min and max (NaT for empty bins), Datetime columns mean too (meanDatetimes);
// object columns count, first and last (None for
// empty bins); anything else fails with pandas' TypeError "agg function failed
// [how->mean,dtype->object]".
func (b *Bins) Aggregate(ctx context.Context, values Column, agg Agg, minCount int) (Column, error) {
	if values.Len() != b.n {
		return Column{}, ValueError("Length of values (%d) does not match length of index (%d)", values.Len(), b.n)
	}
	switch values.DType {
	case Float64:
		return b.aggFloat(ctx, values.F, agg, minCount)
	case Int64, Bool:
		switch agg {
		case AggSum, AggCount:
			return b.aggInt(ctx, values, agg, minCount)
		case AggMin, AggMax, AggFirst, AggLast:
			if b.nonempt {
				return b.pick(ctx, values, agg)
			}
		}
		return b.aggFloat(ctx, values.AsFloat64().F, agg, minCount)
	case Datetime, Timedeltas, Object:
		if agg == AggMean && values.DType == Datetime {
			return b.meanDatetimes(ctx, values)
		}
		switch agg {
		case AggCount, AggFirst, AggLast:
			return b.pick(ctx, values, agg)
		case AggMin, AggMax:
			if values.DType != Object {
				return b.pick(ctx, values, agg)
			}
		}
	}
	return Column{}, errAggFailed(agg, values)
}

// meanDatetimes is pandas 1.5.3's resample mean of datetimes (pandas 2 refuses it): the
// nanoseconds averaged as float64 (group_mean on the i8 values) and cast back, NaT for a
// bin without values — so an all-null JSON series (NaT datetimes) resamples to NaT.
func (b *Bins) meanDatetimes(ctx context.Context, values Column) (Column, error) {
	f := make([]float64, len(values.I))
	for i, ns := range values.I {
		if ns == NaT {
			f[i] = math.NaN()
		} else {
			f[i] = float64(ns)
		}
	}
	m, err := b.aggFloat(ctx, f, AggMean, 0)
	if err != nil {
		return Column{}, err
	}
	out := make([]int64, len(m.F))
	for i, x := range m.F {
		if x != x || math.IsInf(x, 0) || math.Abs(x) >= 1<<63 {
			out[i] = NaT
		} else {
			out[i] = int64(x)
		}
	}
	return Datetimes(out, values.Zone), nil
}

// rows returns the bounds of bin k in sorted positions.
func (b *Bins) rows(k int) (lo, hi int) {
	if k > 0 {
		lo = b.ends[k-1]
	}
	return lo, b.ends[k]
}

// row maps a sorted position to its row.
func (b *Bins) row(p int) int {
	if b.order == nil {
		return p
	}
	return b.order[p]
}

func (b *Bins) aggFloat(ctx context.Context, v []float64, agg Agg, minCount int) (Column, error) {
	if (agg == AggMean || agg == AggSum) && b.order == nil {
		return b.meanSumLanes(ctx, v, agg, minCount)
	}
	out := make([]float64, len(b.ends))
	var scratch []float64
	nan := math.NaN()
	for k := range out {
		if k%CheckEvery == 0 && k > 0 {
			if err := ctx.Err(); err != nil {
				return Column{}, err
			}
		}
		lo, hi := b.rows(k)
		switch agg {
		case AggMean, AggSum:
			var sum, comp float64
			n := 0
			for p := lo; p < hi; p++ {
				x := v[b.row(p)]
				if x != x {
					continue
				}
				n++
				y := x - comp
				t := sum + y
				comp = t - sum - y
				if comp != comp {
					comp = 0 // GH#50367: an infinite value would turn the sum into NaN
				}
				sum = t
			}
			switch {
			case agg == AggSum && n < minCount:
				out[k] = nan
			case agg == AggSum:
				out[k] = sum
			case n == 0:
				out[k] = nan
			default:
				out[k] = sum / float64(n)
			}
		case AggMin, AggMax:
			m := nan
			for p := lo; p < hi; p++ {
				x := v[b.row(p)]
				if x == x && (m != m || (agg == AggMin && x < m) || (agg == AggMax && x > m)) {
					m = x
				}
			}
			out[k] = m
		case AggFirst:
			out[k] = nan
			for p := lo; p < hi; p++ {
				if x := v[b.row(p)]; x == x {
					out[k] = x
					break
				}
			}
		case AggLast:
			out[k] = nan
			for p := hi - 1; p >= lo; p-- {
				if x := v[b.row(p)]; x == x {
					out[k] = x
					break
				}
			}
		case AggMedian:
			scratch = scratch[:0]
			for p := lo; p < hi; p++ {
				if x := v[b.row(p)]; x == x {
					scratch = append(scratch, x)
				}
			}
			out[k] = medianInPlace(scratch)
		case AggCount:
			n := int64(0)
			for p := lo; p < hi; p++ {
				if x := v[b.row(p)]; x == x {
					n++
				}
			}
			out[k] = float64(n)
		}
	}
	if agg == AggCount {
		counts := make([]int64, len(out))
		for i, c := range out {
			counts[i] = int64(c)
		}
		return Ints(counts), nil
	}
	return Floats(out), nil
}

// medianInPlace is the median of NaN-free values (reordering them); NaN when empty.
func medianInPlace(a []float64) float64 {
	n := len(a)
	if n == 0 {
		return math.NaN()
	}
	slices.Sort(a)
	if n%2 == 1 {
		return a[n/2]
	}
	return (a[n/2] + a[n/2-1]) / 2
}

// aggInt sums or counts int64/bool columns exactly.
func (b *Bins) aggInt(ctx context.Context, values Column, agg Agg, minCount int) (Column, error) {
	out := make([]int64, len(b.ends))
	short := false
	for k := range out {
		if k%CheckEvery == 0 && k > 0 {
			if err := ctx.Err(); err != nil {
				return Column{}, err
			}
		}
		lo, hi := b.rows(k)
		if agg == AggCount {
			out[k] = int64(hi - lo)
			continue
		}
		var s int64
		for p := lo; p < hi; p++ {
			r := b.row(p)
			if values.DType == Bool {
				if values.B[r] {
					s++
				}
			} else {
				s += values.I[r]
			}
		}
		out[k] = s
		if hi-lo < minCount {
			short = true
		}
	}
	if !short {
		return Ints(out), nil
	}
	f := make([]float64, len(out))
	for k, s := range out {
		if lo, hi := b.rows(k); hi-lo < minCount {
			f[k] = math.NaN()
		} else {
			f[k] = float64(s)
		}
	}
	return Floats(f), nil
}

// pick takes one row per bin (first, last, min, max) or counts, keeping the dtype:
// int64/bool columns without empty bins, and NaT/None-capable columns.
func (b *Bins) pick(ctx context.Context, values Column, agg Agg) (Column, error) {
	if agg == AggCount {
		out := make([]int64, len(b.ends))
		for k := range out {
			if k%CheckEvery == 0 && k > 0 {
				if err := ctx.Err(); err != nil {
					return Column{}, err
				}
			}
			lo, hi := b.rows(k)
			for p := lo; p < hi; p++ {
				if !values.IsNA(b.row(p)) {
					out[k]++
				}
			}
		}
		return Ints(out), nil
	}
	pos := make([]int, len(b.ends))
	for k := range pos {
		if k%CheckEvery == 0 && k > 0 {
			if err := ctx.Err(); err != nil {
				return Column{}, err
			}
		}
		lo, hi := b.rows(k)
		best := -1
		for p := lo; p < hi; p++ {
			r := b.row(p)
			if values.IsNA(r) {
				continue
			}
			switch agg {
			case AggFirst:
				if best < 0 {
					best = r
				}
			case AggLast:
				best = r
			case AggMin, AggMax:
				if best < 0 {
					best = r
					continue
				}
				c := comparePlain(values, r, best)
				if (agg == AggMin && c < 0) || (agg == AggMax && c > 0) {
					best = r
				}
			}
		}
		pos[k] = best
	}
	return values.Take(pos), nil
}

// comparePlain orders rows i and j of an int64, bool, datetime or timedelta column.
func comparePlain(c Column, i, j int) int {
	switch c.DType {
	case Bool:
		switch {
		case c.B[i] == c.B[j]:
			return 0
		case c.B[j]:
			return -1
		}
		return 1
	case Int64, Datetime, Timedeltas:
		return cmpInt(c.I[i], c.I[j])
	}
	return Compare(c.At(i), c.At(j))
}

// Resample is s.resample(…).<agg>(): one value per bin, labelled as pandas labels bins
// (see NewBins and Aggregate). The name and attrs are kept; an empty series is returned
// as it is, as pandas does.
func Resample(ctx context.Context, s *Series, opt ResampleOptions, agg Agg, minCount int) (*Series, error) {
	if s.Len() == 0 && s.Index.DType == Datetime {
		return s, nil
	}
	b, err := NewBins(ctx, s.Index, opt)
	if err != nil {
		return nil, err
	}
	v, err := b.Aggregate(ctx, s.Values, agg, minCount)
	if err != nil {
		return nil, err
	}
	return &Series{Name: s.Name, Index: b.Index(), Values: v, Attrs: s.Attrs}, nil
}

// ResampleFrame is df.resample(…).<agg>() on every column.
func ResampleFrame(ctx context.Context, f *DataFrame, opt ResampleOptions, agg Agg, minCount int) (*DataFrame, error) {
	if f.Len() == 0 && f.Index.DType == Datetime {
		return f, nil
	}
	b, err := NewBins(ctx, f.Index, opt)
	if err != nil {
		return nil, err
	}
	cols := make([]Column, len(f.Columns))
	for i, c := range f.Columns {
		if cols[i], err = b.Aggregate(ctx, c, agg, minCount); err != nil {
			return nil, err
		}
	}
	return &DataFrame{Index: b.Index(), Names: f.Names, Columns: cols, Attrs: f.Attrs}, nil
}

// asfreq returns the regular grid of resample(rule).asfreq() and, per grid point, the row
// it takes (−1: none). pandas (Resampler._upsample) takes the bin edges without the last
// one (closed left) or the first one (closed right), NaT first when the index has NaT,
// and reindexes onto them — except when the index is already regular at exactly the rule
// (its inferred frequency equals the rule) and as long as the grid: then the sorted rows
// are relabelled with the grid one for one, even if they are not on it.
func (b *Bins) asfreq(index Column) ([]int64, []int, error) {
	if b.n == 0 {
		return nil, nil, nil
	}
	// pandas inserts NaT before the edges when the index has NaT, then drops the first
	// (closed right) or the last (closed left) element: closed right drops the NaT again
	// and keeps the first edge
	grid := b.binner
	if len(b.nat) > 0 {
		grid = append([]int64{NaT}, grid...)
	}
	if b.closed == SideRight {
		grid = grid[1:]
	} else {
		grid = grid[:len(grid)-1]
	}
	hasNaT := len(grid) > 0 && grid[0] == NaT
	pos := make([]int, len(grid))
	if len(b.nat) == 0 && len(grid) == len(b.sorted) && inferredIsRule(b.sorted, b.Zone, b.rule) {
		for i := range pos {
			pos[i] = b.row(i)
		}
		return grid, pos, nil
	}
	if !index.IsUnique() {
		return nil, nil, ValueError("cannot reindex on an axis with duplicate labels")
	}
	g := grid
	k := 0
	if hasNaT {
		pos[0] = b.nat[0]
		g = grid[1:]
		k = 1
	}
	j := 0
	for i, t := range g {
		for j < len(b.sorted) && b.sorted[j] < t {
			j++
		}
		if j < len(b.sorted) && b.sorted[j] == t {
			pos[k+i] = b.row(j)
		} else {
			pos[k+i] = -1
		}
	}
	return grid, pos, nil
}

// inferredIsRule reports whether pandas' inferred_freq of the sorted values is an offset
// equal to the rule (ticks compare by length, calendar offsets by class, multiple and
// anchor).
func inferredIsRule(v []int64, zone Zone, rule Offset) bool {
	got, ok := inferFreq(v, zone)
	if !ok {
		return false
	}
	if rule.Fixed() || got.Fixed() {
		return rule.Fixed() && got.Fixed() && rule.nanos == got.nanos
	}
	return got.kind == rule.kind && got.N == rule.N && got.anchor == rule.anchor
}

// inferFreq is pandas' infer_freq (_FrequencyInferer.get_freq) for strictly increasing
// values, on the wall clock of their zone: steps of whole days infer annual, quarterly or
// monthly rules from the calendar position of every value (month ends, starts, business
// ends or starts), else Day or Week ticks for equal steps, else "B" for business days;
// other steps infer a tick when they are all equal in absolute time. Business hours and
// week-of-month rules are not inferred (pandas' "BH" and "WOM-…"); ok is false when
// nothing is.
func inferFreq(v []int64, zone Zone) (Offset, bool) {
	n := len(v)
	if n < 3 {
		return Offset{}, false
	}
	wall := make([]int64, n)
	for i, x := range v {
		if i > 0 && x <= v[i-1] {
			return Offset{}, false
		}
		wall[i] = zone.ToLocal(x)
	}
	minStep, uniform := int64(math.MaxInt64), true
	for i := 1; i < n; i++ {
		d := wall[i] - wall[i-1]
		minStep = min(minStep, d)
		uniform = uniform && d == wall[1]-wall[0]
	}
	if minStep <= 0 || minStep%nsPerDay != 0 {
		step := v[1] - v[0]
		for i := 2; i < n; i++ {
			if v[i]-v[i-1] != step {
				return Offset{}, false
			}
		}
		return OffsetFromTimedelta(step), true
	}
	ys, ms, ds, wds := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	for i, w := range wall {
		days, _ := splitWall(w)
		ys[i], ms[i], ds[i] = civilFromDays(days)
		wds[i] = weekday(days)
	}
	uniqueDiff := func(a []int64) (int64, bool) {
		for i := 2; i < n; i++ {
			if a[i]-a[i-1] != a[1]-a[0] {
				return 0, false
			}
		}
		return a[1] - a[0], true
	}
	months := make([]int64, n)
	sameMonth := true
	for i := range months {
		months[i] = ys[i]*12 + ms[i]
		sameMonth = sameMonth && ms[i] == ms[0]
	}
	pos := monthPosition(ys, ms, ds, wds)
	if dy, ok := uniqueDiff(ys); ok && sameMonth && pos != "" {
		kind := map[string]offKind{"cs": kindYearBegin, "bs": kindBYearBegin, "ce": kindYearEnd, "be": kindBYearEnd}[pos]
		return Offset{Name: "A", N: dy, kind: kind, anchor: int8(ms[0])}, true
	}
	if dm, ok := uniqueDiff(months); ok {
		if dm%3 == 0 && pos != "" {
			kind := map[string]offKind{"cs": kindQuarterBegin, "bs": kindBQuarterBegin, "ce": kindQuarterEnd, "be": kindBQuarterEnd}[pos]
			anchor := [3]int8{12, 10, 11}[ms[0]%3]
			return Offset{Name: "Q", N: dm / 3, kind: kind, anchor: anchor}, true
		}
		if pos != "" {
			kind := map[string]offKind{"cs": kindMonthBegin, "bs": kindBMonthBegin, "ce": kindMonthEnd, "be": kindBMonthEnd}[pos]
			return Offset{Name: "M", N: dm, kind: kind}, true
		}
	}
	if uniform {
		days := minStep / nsPerDay
		if days%7 == 0 {
			return Offset{Name: "W", N: days / 7, kind: kindWeek, anchor: int8(wds[0])}, true
		}
		return makeTick('D', days)
	}
	// business days: steps of one and three days, three only from Friday to Monday
	wd := wds[0]
	for i := 1; i < n; i++ {
		step := (wall[i] - wall[i-1]) / nsPerDay
		if (wall[i]-wall[i-1])%nsPerDay != 0 {
			return Offset{}, false
		}
		wd = floorMod(wd+step, 7)
		if !(wd == 0 && step == 3 || wd > 0 && wd <= 4 && step == 1) {
			return Offset{}, false
		}
	}
	return Offset{Name: "B", N: 1, kind: kindBusinessDay}, true
}

// monthPosition is pandas' month_position_check: "ce" when every value is a month's last
// day, else "be" (last business day), "cs" (first day), "bs" (first business day) or "".
func monthPosition(ys, ms, ds, wds []int64) string {
	ce, be, cs, bs := true, true, true, true
	for i := range ys {
		d, wd := ds[i], wds[i]
		cs = cs && d == 1
		bs = bs && (d == 1 || (d <= 3 && wd == 0))
		dim := daysIn(ys[i], ms[i])
		cal := d == dim
		ce = ce && cal
		be = be && (cal || (dim-d < 3 && wd == 4))
	}
	switch {
	case ce:
		return "ce"
	case be:
		return "be"
	case cs:
		return "cs"
	case bs:
		return "bs"
	}
	return ""
}

// Asfreq is s.resample(rule, closed, label, origin, offset).asfreq(): the series on the
// regular grid of the resample's bins, NaN (or the missing value of the dtype; int64
// becomes float64, bool object) where no row sits exactly on a grid point — original rows
// off the grid are dropped. See Bins.asfreq for pandas' relabelling shortcut for an index
// that is already regular at the rule. A duplicate label fails with pandas' "cannot
// reindex on an axis with duplicate labels".
func Asfreq(ctx context.Context, s *Series, opt ResampleOptions) (*Series, error) {
	if s.Len() == 0 && s.Index.DType == Datetime {
		return s, nil
	}
	b, err := NewBins(ctx, s.Index, opt)
	if err != nil {
		return nil, err
	}
	grid, pos, err := b.asfreq(s.Index)
	if err != nil {
		return nil, err
	}
	return &Series{Name: s.Name, Index: Datetimes(grid, b.Zone), Values: s.Values.Take(pos), Attrs: s.Attrs}, nil
}

// AsfreqFrame is Asfreq for every column of a DataFrame.
func AsfreqFrame(ctx context.Context, f *DataFrame, opt ResampleOptions) (*DataFrame, error) {
	if f.Len() == 0 && f.Index.DType == Datetime {
		return f, nil
	}
	b, err := NewBins(ctx, f.Index, opt)
	if err != nil {
		return nil, err
	}
	grid, pos, err := b.asfreq(f.Index)
	if err != nil {
		return nil, err
	}
	cols := make([]Column, len(f.Columns))
	for i, c := range f.Columns {
		cols[i] = c.Take(pos)
	}
	return &DataFrame{Index: Datetimes(grid, b.Zone), Names: f.Names, Columns: cols, Attrs: f.Attrs}, nil
}
