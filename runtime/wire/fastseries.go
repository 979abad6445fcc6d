package wire

import (
	"encoding/binary"
	"math"
	"strconv"
	"sync/atomic"
	"unsafe"

	"github.com/trafofn/trafofn/runtime/data"
)

// seriesScanner reads the overwhelmingly common SERIES input — a JSON object of strictly
// increasing ISO timestamps (one zone) mapping to numbers or null — in one pass, without
// building the generic JSON tree. In escaped mode it reads the JSON text as it sits inside
// a JSON string of the request (quotes as \", whitespace also as \n, \t, \r), so that the
// outer string never has to be unescaped. It yields exactly what the generic read_json
// emulation yields for such input and gives up (ok=false) on anything else: duplicates,
// unsorted keys, other value types, epoch-like values, other escapes. The generic path then
// handles (and validates) the input.
type seriesScanner struct {
	b   []byte
	i   int
	esc bool
	// inString: the text continues after the series with the closing quote of the string
	// that contains it; the scan stops there instead of requiring the end of b.
	inString bool
}

func parseSeriesFast(s string) (*data.Series, bool) {
	sc := seriesScanner{b: unsafe.Slice(unsafe.StringData(s), len(s))}
	return sc.series()
}

func parseSeriesFastEscaped(raw []byte) (*data.Series, bool) {
	sc := seriesScanner{b: raw, esc: true}
	return sc.series()
}

func (sc *seriesScanner) ws() {
	for sc.i < len(sc.b) {
		switch c := sc.b[sc.i]; c {
		case ' ':
			sc.i++
		case '\t', '\n', '\r':
			// inside a JSON string (escaped mode) a raw control byte is invalid JSON
			if sc.esc {
				return
			}
			sc.i++
		case '\\':
			if !sc.esc || sc.i+1 >= len(sc.b) {
				return
			}
			switch sc.b[sc.i+1] {
			case 'n', 't', 'r':
				sc.i += 2
			default:
				return
			}
		default:
			return
		}
	}
}

// quote consumes a quote (\" in escaped mode).
func (sc *seriesScanner) quote() bool {
	if sc.esc {
		if sc.i+1 < len(sc.b) && sc.b[sc.i] == '\\' && sc.b[sc.i+1] == '"' {
			sc.i += 2
			return true
		}
		return false
	}
	if sc.i < len(sc.b) && sc.b[sc.i] == '"' {
		sc.i++
		return true
	}
	return false
}

// quoteAt reports whether a quote (\" in escaped mode) starts at i; i+1 must be in b.
func (sc *seriesScanner) quoteAt(i int) bool {
	if sc.esc {
		return sc.b[i] == '\\' && sc.b[i+1] == '"'
	}
	return sc.b[i] == '"'
}

func (sc *seriesScanner) byte(c byte) bool {
	if sc.i < len(sc.b) && sc.b[sc.i] == c {
		sc.i++
		return true
	}
	return false
}

// parallelSeriesBytes is the size from which a series is scanned in two halves at once:
// a 100k-point series (4.5 MB) takes milliseconds to read, and the halves take a quarter
// off a single request's time (11–12 ms against 15–16 ms). The halves are not free: a
// second goroutine to wake, its own buffers, the join; under load they queue on the busy
// cores and cost CPU that one pass does not. At 10k points (0.43 MB) that cost decided:
// a function answering 10k-point requests over Kafka needed 2,390–2,520 µs of CPU per
// request with halves and 2,090–2,130 µs without (770 against 880 requests/s), for at
// most a tenth off one request on an idle machine. So only series of a megabyte and more
// (about 25k points) are split.
var parallelSeriesBytes = 1 << 20

// halvesJoined counts series read in two halves, compactRead the entries compactRun
// read (for tests).
var halvesJoined, compactRead atomic.Int64

// seriesPart is what a scan of consecutive entries found.
type seriesPart struct {
	idx                       []int64
	vals                      []float64
	ints                      []int64
	allInt, anyNull, allWhole bool
	zone                      data.Zone
	ok                        bool
}

func (sc *seriesScanner) series() (*data.Series, bool) {
	sc.ws()
	if !sc.byte('{') {
		return nil, false
	}
	sc.ws()
	if sc.i < len(sc.b) && sc.b[sc.i] == '}' {
		return nil, false // empty: the generic path decides dtypes
	}
	var head seriesPart
	if len(sc.b)-sc.i >= parallelSeriesBytes {
		sc.entriesInHalves(&head)
	} else {
		sc.entries(&head, -1, capHint(len(sc.b)), nil)
	}
	if !head.ok {
		return nil, false
	}
	vals := head.vals
	// pandas reads a series whose every value exceeds minStamp as epoch timestamps
	epochLike := true
	for _, v := range vals {
		if !(v != v || v > minStamp) {
			epochLike = false
			break
		}
	}
	if epochLike {
		return nil, false
	}
	var values data.Column
	switch {
	case head.allInt && !head.anyNull:
		values = data.Ints(head.ints)
	case !head.anyNull && head.allWhole:
		// read_json turns whole-number floats into int64
		whole := make([]int64, len(vals))
		for k, f := range vals {
			whole[k] = int64(f)
		}
		values = data.Ints(whole)
	default:
		values = data.Floats(vals)
	}
	return &data.Series{Index: data.Datetimes(head.idx, head.zone), Values: values}, true
}

// entriesInHalves scans the entries with a second goroutine reading from an entry
// boundary guessed near the middle. The first half stops there only if it really reaches
// that comma between entries; otherwise it simply scans on and the guess is discarded.
func (sc *seriesScanner) entriesInHalves(head *seriesPart) {
	sp := sc.splitPoint()
	if sp < 0 {
		sc.entries(head, -1, capHint(len(sc.b)), nil)
		return
	}
	var tail seriesPart
	var abort atomic.Bool
	tailSc := seriesScanner{b: sc.b, i: sp + 1, esc: sc.esc, inString: sc.inString}
	tailCap := capHint(len(sc.b) - sp)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tailSc.entries(&tail, -1, tailCap, &abort)
	}()
	stopped := sc.entries(head, sp, capHint(len(sc.b)), nil)
	if !stopped {
		abort.Store(true)
	}
	<-done
	if !stopped || !head.ok {
		return
	}
	if !tail.ok || tail.zone != head.zone || tail.idx[0] <= head.idx[len(head.idx)-1] {
		head.ok = false
		return
	}
	if head.allInt && tail.allInt {
		head.ints = append(head.ints, tail.ints...)
	}
	head.idx = append(head.idx, tail.idx...)
	head.vals = append(head.vals, tail.vals...)
	head.allInt = head.allInt && tail.allInt
	head.anyNull = head.anyNull || tail.anyNull
	head.allWhole = head.allWhole && tail.allWhole
	sc.i = tailSc.i
	halvesJoined.Add(1)
}

// capHint estimates the entries in n bytes of series text (a 5-minute series with
// 10-digit values takes ~40 bytes an entry).
func capHint(n int) int {
	return min(n/36+8, 1<<21)
}

// splitPoint guesses an entry boundary near the middle of the rest of the text: the
// position of a comma directly followed by a key's opening quote; -1 if none is near.
func (sc *seriesScanner) splitPoint() int {
	mid := sc.i + (len(sc.b)-sc.i)/2
	end := min(len(sc.b)-2, mid+4096)
	for j := mid; j < end; j++ {
		if sc.b[j] != ',' {
			continue
		}
		if sc.esc {
			if sc.b[j+1] == '\\' && sc.b[j+2] == '"' {
				return j
			}
		} else if sc.b[j+1] == '"' {
			return j
		}
	}
	return -1
}

// entries scans "key": value pairs into p until the closing brace (and, for the whole
// text, its end) or, when stopAt ≥ 0, until the separator comma at stopAt, reporting
// whether it stopped there. abort, when not nil, ends a scan whose result is no longer
// wanted. p.ok tells whether the entries were of the fast form.
func (sc *seriesScanner) entries(p *seriesPart, stopAt, capHint int, abort *atomic.Bool) (stopped bool) {
	idx := make([]int64, 0, capHint)
	vals := make([]float64, 0, capHint)
	var ints []int64
	allInt, anyNull, allWhole := true, false, true
	var zone data.Zone
	var tc tsCache
	q := 1 // a quote's length: \" in escaped mode
	if sc.esc {
		q = 2
	}
	for n := 0; ; n++ {
		if abort != nil && n&1023 == 1023 && abort.Load() {
			return false
		}
		if !allInt && zone == data.UTC && len(idx) > 0 {
			idx, vals, allWhole = sc.compactRun(idx, vals, &tc, allWhole, stopAt, q)
		}
		var ks, ke int
		if i := sc.i; i+2*q+26 < len(sc.b) && sc.quoteAt(i) && sc.b[i+q+10] == 'T' && sc.b[i+q+23] == 'Z' &&
			sc.quoteAt(i+q+24) && sc.b[i+2*q+24] == ':' {
			// the compact "YYYY-MM-DDTHH:MM:SS.fffZ": of nearly every series; tc.parse checks
			// every byte of the key
			ks, ke = i+q, i+q+24
			sc.i = i + 2*q + 25
		} else {
			sc.ws()
			if !sc.quote() {
				return false
			}
			ks = sc.i
			for sc.i < len(sc.b) && sc.b[sc.i] != '"' && sc.b[sc.i] != '\\' {
				sc.i++
			}
			ke = sc.i
			if !sc.quote() {
				return false
			}
			sc.ws()
			if !sc.byte(':') {
				return false
			}
		}
		ns, z, ok := tc.parse(unsafe.String(unsafe.SliceData(sc.b[ks:ke]), ke-ks))
		if !ok {
			return false
		}
		if len(idx) == 0 {
			zone = z
		} else if z != zone || ns <= idx[len(idx)-1] {
			return false
		}
		sc.ws()
		if sc.i >= len(sc.b) {
			return false
		}
		if sc.b[sc.i] == 'n' {
			if len(sc.b)-sc.i < 4 || string(sc.b[sc.i:sc.i+4]) != "null" {
				return false
			}
			sc.i += 4
			vals = append(vals, math.NaN())
			anyNull, allInt = true, false
		} else {
			f, iv, isInt, ok := sc.number()
			if !ok {
				return false
			}
			if isInt {
				if allInt {
					if ints == nil {
						ints = make([]int64, len(vals), cap(vals))
					}
					ints = append(ints, iv)
				}
			} else {
				allInt = false
				if allWhole && (f != math.Trunc(f) || math.Abs(f) >= 1<<63) {
					allWhole = false
				}
			}
			vals = append(vals, f)
		}
		idx = append(idx, ns)
		if sc.i < len(sc.b) && sc.b[sc.i] == ',' && sc.i != stopAt {
			sc.i++
			continue
		}
		sc.ws()
		if sc.i == stopAt {
			stopped = true
			break
		}
		if sc.byte(',') {
			continue
		}
		if !sc.byte('}') {
			return false
		}
		sc.ws()
		if sc.inString {
			if sc.i >= len(sc.b) || sc.b[sc.i] != '"' {
				return false
			}
		} else if sc.i != len(sc.b) {
			return false
		}
		break
	}
	*p = seriesPart{idx: idx, vals: vals, ints: ints, allInt: allInt, anyNull: anyNull, allWhole: allWhole, zone: zone, ok: true}
	return stopped
}

// compactWindow is the text compactRun needs ahead of an entry: the longest entry it reads
// (an escaped key, 18 + 15 digits, sign, point and comma) and then some.
const compactWindow = 72

// compactRun reads the entries nearly every series consists of — a key
// "YYYY-MM-DDTHH:MM:SS.fffZ" on the day of the previous key, a decimal number with a
// fraction (at most 18 digits before the point and 15 after it, number's arithmetic fast
// path) and a comma
// — in a loop of its own, with none of the general loop's branches: a quarter of the
// instructions per entry. It stops, with the cursor on the entry, at the first entry of
// any other form (and after 1024 entries, for the caller's abort check), which the
// general loop then reads. Precondition: the series so far is UTC and not all integers.
func (sc *seriesScanner) compactRun(idx []int64, vals []float64, tc *tsCache, allWhole bool, stopAt, q int) ([]int64, []float64, bool) {
	b := sc.b
	i := sc.i
	last := idx[len(idx)-1]
	n0 := len(idx)
	defer func() { compactRead.Add(int64(len(idx) - n0)) }()
	for range 1024 {
		if i+compactWindow > len(b) {
			break
		}
		w := b[i : i+compactWindow : i+compactWindow]
		k := w[q : q+24 : q+24] // the key
		if q == 2 {
			if w[0] != '\\' || w[1] != '"' || w[26] != '\\' || w[27] != '"' || w[28] != ':' {
				break
			}
		} else if w[0] != '"' || w[25] != '"' || w[26] != ':' {
			break
		}
		if !tc.valid || binary.LittleEndian.Uint64(k) != tc.date8 || binary.LittleEndian.Uint16(k[8:]) != tc.date2 ||
			k[10] != 'T' || k[13] != ':' || k[16] != ':' || k[19] != '.' || k[23] != 'Z' {
			break
		}
		h1, h0, m1, m0 := k[11]-'0', k[12]-'0', k[14]-'0', k[15]-'0'
		s1, s0, f2, f1, f0 := k[17]-'0', k[18]-'0', k[20]-'0', k[21]-'0', k[22]-'0'
		if h1 > 2 || h0 > 9 || m1 > 5 || m0 > 9 || s1 > 5 || s0 > 9 || f2 > 9 || f1 > 9 || f0 > 9 {
			break
		}
		h := int64(h1)*10 + int64(h0)
		if h > 23 {
			break
		}
		ns := tc.dayNano + ((h*60+int64(m1)*10+int64(m0))*60+int64(s1)*10+int64(s0))*1e9 +
			(int64(f2)*100+int64(f1)*10+int64(f0))*1e6
		if ns <= last {
			break
		}
		// the value: [-]digits.digits
		j := 2*q + 25
		neg := w[j] == '-'
		if neg {
			j++
		}
		ds := j
		var ip uint64
		for j-ds < 19 && w[j]-'0' < 10 {
			ip = ip*10 + uint64(w[j]-'0')
			j++
		}
		nInt := j - ds
		if nInt == 0 || nInt > 18 || (w[ds] == '0' && nInt > 1) || w[j] != '.' {
			break
		}
		j++
		fs := j
		var fm uint64
		if v := binary.LittleEndian.Uint64(w[j:]); eightDigits(v) {
			fm = parseEight(v)
			j += 8
		}
		for j-fs < 16 && w[j]-'0' < 10 {
			fm = fm*10 + uint64(w[j]-'0')
			j++
		}
		d := j - fs
		if d == 0 || d > ujsonMaxDecimals || w[j] != ',' || i+j == stopAt {
			break
		}
		// number's arithmetic (ujsonFloat's) exactly
		f := float64(int64(ip)) + float64(int64(fm))*ujsonFracPow10[d]
		if neg {
			f = -f
		}
		if allWhole && f != math.Trunc(f) {
			allWhole = false
		}
		idx = append(idx, ns)
		vals = append(vals, f)
		last = ns
		i += j + 1
	}
	sc.i = i
	return idx, vals, allWhole
}

// number parses a JSON number at the cursor. Integer literals of up to 18 digits are exact
// (iv, isInt); other literals take Clinger's fast path or strconv.
func (sc *seriesScanner) number() (f float64, iv int64, isInt, ok bool) {
	b := sc.b
	start := sc.i
	i := start
	neg := false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	ds := i
	var mant uint64
	for i < len(b) && b[i]-'0' < 10 {
		mant = mant*10 + uint64(b[i]-'0')
		i++
	}
	nInt := i - ds
	if nInt == 0 || (b[ds] == '0' && nInt > 1) {
		return 0, 0, false, false
	}
	exp10 := 0
	frac := false
	var fracMant uint64 // the fraction's digits as an integer
	if i < len(b) && b[i] == '.' {
		i++
		fs := i
		// eight digits at a time while the fraction's integer cannot overflow
		for i+8 <= len(b) && i-fs <= 11 {
			w := binary.LittleEndian.Uint64(b[i:])
			if !eightDigits(w) {
				break
			}
			fracMant = fracMant*100000000 + parseEight(w)
			i += 8
		}
		for i < len(b) && b[i]-'0' < 10 {
			fracMant = fracMant*10 + uint64(b[i]-'0')
			i++
		}
		if i == fs {
			return 0, 0, false, false
		}
		exp10 = -(i - fs)
		frac = true
	}
	expo := false
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		expo = true
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		es := i
		for i < len(b) && b[i]-'0' < 10 {
			i++
		}
		if i == es {
			return 0, 0, false, false
		}
	}
	sc.i = i
	if !frac && !expo && nInt <= 18 {
		v := int64(mant)
		if neg {
			v = -v
		}
		return float64(v), v, true, true
	}
	if d := -exp10; frac && !expo && nInt <= 18 && d <= ujsonMaxDecimals {
		// ujsonFloat's arithmetic on the digits read above: integer part plus the
		// fraction's digits as an integer times 10^−d, then the sign. Both integers are
		// below 2^63 here (at most 18 and 15 digits): int64 converts them in one step.
		f := float64(int64(mant)) + float64(int64(fracMant))*ujsonFracPow10[d&15]
		if neg {
			f = -f
		}
		return f, 0, false, true
	}
	lit := b[start:i]
	if frac || expo {
		// pandas' read_json arithmetic, not the correctly rounded value (see ujsonFloat)
		if f, ok := ujsonFloat(lit); ok {
			return f, 0, false, true
		}
	}
	v, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(lit), len(lit)), 64)
	if err != nil && !math.IsInf(v, 0) {
		return 0, 0, false, false
	}
	if !frac && !expo {
		if n, err := strconv.ParseInt(unsafe.String(unsafe.SliceData(lit), len(lit)), 10, 64); err == nil {
			return float64(n), n, true, true
		}
	}
	return v, 0, false, true
}

// tsCache parses the timestamps of a series: the common form YYYY-MM-DDTHH:MM:SS.fffZ
// directly, reusing the day of the previous key (consecutive points mostly share it);
// anything else through data.ParseISO.
type tsCache struct {
	date8   uint64 // first eight bytes of the cached date
	date2   uint16 // its last two bytes
	valid   bool
	dayNano int64
}

func (c *tsCache) parse(k string) (int64, data.Zone, bool) {
	if len(k) != 24 || k[10] != 'T' || k[13] != ':' || k[16] != ':' || k[19] != '.' || k[23] != 'Z' {
		ns, z, err := data.ParseISO(k)
		return ns, z, err == nil
	}
	kb := unsafe.Slice(unsafe.StringData(k), 24)
	d8 := binary.LittleEndian.Uint64(kb)
	d2 := binary.LittleEndian.Uint16(kb[8:])
	if !c.valid || d8 != c.date8 || d2 != c.date2 {
		ns, z, err := data.ParseISO(k[:10] + "T00:00:00Z")
		if err != nil || !z.Aware {
			return 0, data.Zone{}, false
		}
		c.date8, c.date2, c.dayNano, c.valid = d8, d2, ns, true
	}
	h1, h0 := k[11]-'0', k[12]-'0'
	m1, m0 := k[14]-'0', k[15]-'0'
	s1, s0 := k[17]-'0', k[18]-'0'
	f2, f1, f0 := k[20]-'0', k[21]-'0', k[22]-'0'
	if h1 > 2 || h0 > 9 || m1 > 5 || m0 > 9 || s1 > 5 || s0 > 9 || f2 > 9 || f1 > 9 || f0 > 9 {
		return 0, data.Zone{}, false
	}
	h := int64(h1)*10 + int64(h0)
	if h > 23 {
		return 0, data.Zone{}, false
	}
	m := int64(m1)*10 + int64(m0)
	sec := int64(s1)*10 + int64(s0)
	ms := int64(f2)*100 + int64(f1)*10 + int64(f0)
	return c.dayNano + ((h*60+m)*60+sec)*1e9 + ms*1e6, data.UTC, true
}

// eightDigits reports whether the eight bytes of w (little-endian) are ASCII digits.
func eightDigits(w uint64) bool {
	return (w&0xF0F0F0F0F0F0F0F0)|(((w+0x0606060606060606)&0xF0F0F0F0F0F0F0F0)>>4) == 0x3333333333333333
}

// parseEight converts eight ASCII digits (little-endian, first digit in the lowest byte)
// to their value with three multiplications (simdjson's parse_eight_digits_unrolled).
func parseEight(w uint64) uint64 {
	const mask = 0x000000FF000000FF
	const mul1 = 0x000F424000000064 // 100 + (1000000 << 32)
	const mul2 = 0x0000271000000001 // 1 + (10000 << 32)
	w -= 0x3030303030303030
	w = w*10 + w>>8
	return ((w&mask)*mul1 + ((w>>16)&mask)*mul2) >> 32
}
