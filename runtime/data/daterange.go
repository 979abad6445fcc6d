package data

import (
	"context"
	"fmt"
)

// Inclusive says which ends of a date_range belong to it (pandas' inclusive=).
type Inclusive uint8

const (
	InclusiveBoth Inclusive = iota
	InclusiveLeft
	InclusiveRight
	InclusiveNeither
)

// ParseInclusive reads pandas' inclusive= values; others fail with pandas' ValueError.
func ParseInclusive(s string) (Inclusive, error) {
	switch s {
	case "both":
		return InclusiveBoth, nil
	case "left":
		return InclusiveLeft, nil
	case "right":
		return InclusiveRight, nil
	case "neither":
		return InclusiveNeither, nil
	}
	return 0, ValueError("Inclusive has to be either 'both', 'neither', 'left' or 'right'")
}

// DefaultRangeLimit is a sensible size limit for DateRange and Resample: 10 million
// timestamps (80 MB).
const DefaultRangeLimit = 10_000_000

// errTooLarge is the error for a range beyond the caller's limit: pandas would try to
// allocate it (and fail with a MemoryError for absurd sizes).
func errTooLarge(what string, n uint64, exact bool, limit int) error {
	if exact {
		return &Error{Type: "MemoryError", Message: fmt.Sprintf("%s would create %d timestamps, more than the limit of %d", what, n, limit)}
	}
	return &Error{Type: "MemoryError", Message: fmt.Sprintf("%s would create more than %d timestamps (the limit)", what, limit)}
}

// DateRange is pd.date_range(start, end, freq=freq, inclusive=inclusive): the timestamps
// from start to end stepping by freq, in start's zone (start and end must share it:
// pandas' TypeError otherwise).
//
//   - Ticks other than Day step in absolute time and start exactly at start (no anchoring:
//     start 00:07 with "5min" gives 00:07, 00:12, …): count = ⌊(end − start)/freq⌋ + 1,
//     none when that is below 1 (so a negative freq runs backwards from start).
//   - Day ticks ("D", "2D") step on the wall clock, so in an IANA zone a day across a
//     daylight-saving change lasts 23 or 25 hours; wall times are localized with pandas'
//     defaults.
//   - Calendar offsets start at start rolled forward onto the offset (time of day kept:
//     "M" from Jan 15 10:00 gives Jan 31 10:00, Feb 29 10:00, …) and apply the offset
//     until end is passed.
//
// inclusive drops start and/or end when the range hits them exactly (a single-point range
// only disappears for "neither"). NaT ends fail with pandas' ValueError; freq "0s" with
// ZeroDivisionError; more than limit timestamps (limit ≤ 0: DefaultRangeLimit) with a
// MemoryError naming the count, before anything is allocated. ctx is checked while
// calendar ranges are generated.
func DateRange(ctx context.Context, start, end Timestamp, freq Offset, inclusive Inclusive, limit int) (Column, error) {
	if start.IsNaT() || end.IsNaT() {
		return Column{}, ValueError("Neither `start` nor `end` can be NaT")
	}
	if start.Zone != end.Zone {
		return Column{}, TypeError("Start and end cannot both be tz-aware with different timezones")
	}
	ns, err := dateRange(ctx, start.NS, end.NS, start.Zone, freq, inclusive, limit, AmbiguousRaise, NonexistentRaise)
	if err != nil {
		return Column{}, err
	}
	return Datetimes(ns, start.Zone), nil
}

// dateRange is DateRange on stored values with date_range's ambiguous/nonexistent
// arguments (they matter for Day ticks in IANA zones only).
func dateRange(ctx context.Context, start, end int64, zone Zone, freq Offset, inclusive Inclusive, limit int, amb Ambiguous, nonex Nonexistent) ([]int64, error) {
	if limit <= 0 {
		limit = DefaultRangeLimit
	}
	var values []int64
	var err error
	switch {
	case freq.Fixed() && freq.IsDay() && zone.Loc != nil:
		// pandas strips the zone, generates the wall-clock range and localizes it
		values, err = regularRange(zone.ToLocal(start), zone.ToLocal(end), freq.nanos, limit)
		if err != nil {
			return nil, err
		}
		for i, v := range values {
			if i%CheckEvery == 0 && i > 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			if values[i], err = zone.FromLocal(v, amb, nonex); err != nil {
				return nil, err
			}
		}
	case freq.Fixed():
		values, err = regularRange(start, end, freq.nanos, limit)
	default:
		values, err = calendarRange(ctx, start, end, zone, freq, limit)
	}
	if err != nil {
		return nil, err
	}
	left := inclusive == InclusiveBoth || inclusive == InclusiveLeft
	right := inclusive == InclusiveBoth || inclusive == InclusiveRight
	if start == end {
		if !left && !right {
			if len(values) >= 2 {
				values = values[1 : len(values)-1]
			} else {
				values = nil
			}
		}
		return values, nil
	}
	if !left && len(values) > 0 && values[0] == start {
		values = values[1:]
	}
	if !right && len(values) > 0 && values[len(values)-1] == end {
		values = values[:len(values)-1]
	}
	return values, nil
}

// regularRange is pandas' generate_regular_range for start and end: start, start+stride,
// … up to end.
func regularRange(start, end, stride int64, limit int) ([]int64, error) {
	if stride == 0 {
		return nil, ZeroDivisionError("integer division or modulo by zero")
	}
	// k = ⌊(end − start)/stride⌋ in unsigned arithmetic: the span may exceed int64
	var k uint64
	switch {
	case end >= start && stride > 0:
		k = (uint64(end) - uint64(start)) / uint64(stride)
	case end <= start && stride < 0:
		k = (uint64(start) - uint64(end)) / (uint64(-(stride + 1)) + 1)
	default:
		return nil, nil
	}
	n := k + 1
	if k >= uint64(limit) {
		return nil, errTooLarge("date_range", n, true, limit)
	}
	values := make([]int64, n)
	v := start
	for i := range values {
		values[i] = v
		v += stride
	}
	return values, nil
}

// calendarRange is pandas' generate_range for a calendar offset.
func calendarRange(ctx context.Context, start, end int64, zone Zone, freq Offset, limit int) ([]int64, error) {
	var err error
	if !freq.IsOnOffset(start, zone) {
		if start, err = freq.Rollforward(start, zone); err != nil {
			return nil, err
		}
	} else if !freq.IsOnOffset(end, zone) {
		if end, err = freq.Rollback(end, zone); err != nil {
			return nil, err
		}
	}
	if end < start && freq.N >= 0 {
		// pandas: periods = 0, end = start + (periods − 1)·offset
		if end, err = freq.Add(start, zone, -1); err != nil {
			return nil, err
		}
	}
	var values []int64
	cur := start
	for {
		if freq.N >= 0 && cur > end || freq.N < 0 && cur < end {
			break
		}
		if len(values) >= limit {
			return nil, errTooLarge("date_range", 0, false, limit)
		}
		if len(values)%CheckEvery == CheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		values = append(values, cur)
		if cur == end {
			break
		}
		next, err := freq.Add(cur, zone, 1)
		if err != nil {
			return nil, err
		}
		if freq.N >= 0 && next <= cur {
			return nil, ValueError("Offset %s did not increment date", freq.Repr())
		}
		if freq.N < 0 && next >= cur {
			return nil, ValueError("Offset %s did not decrement date", freq.Repr())
		}
		cur = next
	}
	return values, nil
}
