package data

import (
	"context"
)

// Calendar arithmetic of pandas' DateOffsets (pandas/_libs/tslibs/offsets.pyx), on the
// wall clock of the value's zone: an aware value is converted to local time, moved, and
// localized back with pandas' defaults (ambiguous and nonexistent results raise, as
// apply_wraps' tz_localize does). Ticks move in absolute time. Time of day is kept.

// errOutOfBounds is pandas' OutOfBoundsDatetime for a result outside 1677–2262.
func errOutOfBounds() error {
	return &Error{Type: "OutOfBoundsDatetime", Message: "Out of bounds nanosecond timestamp"}
}

// errNoArithmetic reports an offset whose arithmetic is not ported (SM, CBM, BH, …).
func errNoArithmetic(o Offset) error {
	return NotImplementedError("offset %s is not supported", o.Repr())
}

// Add is pandas' ts + n*offset for a value ts (UTC nanoseconds when zone is aware): a
// tick adds n times its length; a calendar offset of multiple N applies N·n steps as
// pandas does, rolling a value that is not on the offset to it first ("M" on Jan 15 gives
// Jan 31; on Jan 31 Feb 29 in a leap year). NaT stays NaT; results outside the
// datetime64[ns] range fail with OutOfBoundsDatetime.
func (o Offset) Add(ts int64, zone Zone, n int64) (int64, error) {
	if ts == NaT {
		return NaT, nil
	}
	if o.Fixed() {
		d, ok := checkedMul(o.nanos, n)
		if !ok {
			return 0, errOutOfBounds()
		}
		r, ok := checkedAdd(ts, d)
		if !ok {
			return 0, errOutOfBounds()
		}
		return r, nil
	}
	k, ok := checkedMul(o.N, n)
	if !ok {
		return 0, errOutOfBounds()
	}
	return o.applyZoned(ts, zone, k)
}

func (o Offset) applyZoned(ts int64, zone Zone, k int64) (int64, error) {
	if o.kind == kindOther {
		return 0, errNoArithmetic(o)
	}
	wall, ok := o.applyWall(zone.ToLocal(ts), k)
	if !ok {
		return 0, errOutOfBounds()
	}
	return zone.Localize(wall)
}

// IsOnOffset is pandas' offset.is_on_offset: ticks always; weeks on their weekday; month,
// quarter and year offsets on their anchor day (last/first/last business/first business day
// of an anchor month); business days Monday to Friday. The time of day is ignored.
func (o Offset) IsOnOffset(ts int64, zone Zone) bool {
	if o.Fixed() || ts == NaT {
		return true
	}
	days, _ := splitWall(zone.ToLocal(ts))
	y, m, d := civilFromDays(days)
	switch o.kind {
	case kindWeek:
		return weekday(days) == int64(o.anchor)
	case kindBusinessDay:
		return weekday(days) < 5
	case kindMonthEnd, kindMonthBegin, kindBMonthEnd, kindBMonthBegin:
		return d == dayOfMonth(y, m, o.dayOpt())
	case kindQuarterEnd, kindQuarterBegin, kindBQuarterEnd, kindBQuarterBegin:
		return floorMod(m-int64(o.anchor), 3) == 0 && d == dayOfMonth(y, m, o.dayOpt())
	case kindYearEnd, kindYearBegin, kindBYearEnd, kindBYearBegin:
		return m == int64(o.anchor) && d == dayOfMonth(y, m, o.dayOpt())
	}
	return false
}

// Rollforward is pandas' offset.rollforward: ts when it is on the offset, else ts moved
// forward by one step of the offset (multiple 1, whatever N is).
func (o Offset) Rollforward(ts int64, zone Zone) (int64, error) {
	if o.IsOnOffset(ts, zone) {
		return ts, nil
	}
	return o.applyZoned(ts, zone, 1)
}

// Rollback is pandas' offset.rollback: ts when it is on the offset, else ts moved back by
// one step.
func (o Offset) Rollback(ts int64, zone Zone) (int64, error) {
	if o.IsOnOffset(ts, zone) {
		return ts, nil
	}
	return o.applyZoned(ts, zone, -1)
}

// ShiftDatetimes is DatetimeIndex.shift(periods, freq): every value moved by
// periods*freq (Add; NaT stays NaT). The error for a tick overflow is pandas' "Overflow
// in int64 addition".
func ShiftDatetimes(ctx context.Context, c Column, freq Offset, periods int64) (Column, error) {
	if c.DType != Datetime {
		return Column{}, TypeError("This method is only implemented for DatetimeIndex, PeriodIndex and TimedeltaIndex; Got type %s", c.IndexTypeName())
	}
	out := make([]int64, len(c.I))
	for i, v := range c.I {
		if i%CheckEvery == 0 && i > 0 {
			if err := ctx.Err(); err != nil {
				return Column{}, err
			}
		}
		r, err := freq.Add(v, c.Zone, periods)
		if err != nil {
			if freq.Fixed() {
				return Column{}, &Error{Type: "OverflowError", Message: "Overflow in int64 addition"}
			}
			return Column{}, err
		}
		out[i] = r
	}
	return Datetimes(out, c.Zone), nil
}

// dayOpt is pandas' _day_opt of a month-based offset.
type dayOpt uint8

const (
	dayStart dayOpt = iota
	dayEnd
	dayBusinessStart
	dayBusinessEnd
)

func (o Offset) dayOpt() dayOpt {
	switch o.kind {
	case kindMonthEnd, kindQuarterEnd, kindYearEnd:
		return dayEnd
	case kindBMonthEnd, kindBQuarterEnd, kindBYearEnd:
		return dayBusinessEnd
	case kindBMonthBegin, kindBQuarterBegin, kindBYearBegin:
		return dayBusinessStart
	}
	return dayStart
}

// weekday is Python's date.weekday() of a day count since 1970-01-01 (a Thursday):
// Monday is 0.
func weekday(days int64) int64 { return floorMod(days+3, 7) }

// dayOfMonth is pandas' get_day_of_month: the anchor day of month m.
func dayOfMonth(y, m int64, opt dayOpt) int64 {
	switch opt {
	case dayEnd:
		return daysIn(y, m)
	case dayBusinessStart:
		switch weekday(daysFromCivil(y, m, 1)) {
		case 5:
			return 3
		case 6:
			return 2
		}
		return 1
	case dayBusinessEnd:
		last := daysIn(y, m)
		return last - max(weekday(daysFromCivil(y, m, last))-4, 0)
	}
	return 1
}

func splitWall(wall int64) (days, tod int64) {
	days = floorDiv(wall, nsPerDay)
	return days, wall - days*nsPerDay
}

// joinWall is the inverse of splitWall; ok is false outside the datetime64[ns] range.
func joinWall(days, tod int64) (int64, bool) {
	if days < -106752 || days > 106751 {
		return 0, false
	}
	r, ok := checkedAdd(days*nsPerDay, tod)
	return r, ok
}

// shiftMonth is pandas' shift_month: months later, on the anchor day of the new month.
func shiftMonth(y, m, months int64, opt dayOpt) (int64, bool) {
	if months > 12*400000 || months < -12*400000 {
		return 0, false
	}
	total := y*12 + (m - 1) + months
	ny, nm := floorDiv(total, 12), floorMod(total, 12)+1
	if ny < 1600 || ny > 2300 {
		return 0, false
	}
	return daysFromCivil(ny, nm, dayOfMonth(ny, nm, opt)), true
}

// rollQtrday is pandas' roll_qtrday/_roll_qtrday: adjusts n for a value before or after
// its period's anchor day (monthsSince: months from the anchor month, in the quarter or
// year).
func rollQtrday(y, m, d, n, monthsSince int64, opt dayOpt) int64 {
	if n > 0 {
		if monthsSince < 0 || (monthsSince == 0 && d < dayOfMonth(y, m, opt)) {
			n--
		}
	} else if monthsSince > 0 || (monthsSince == 0 && d > dayOfMonth(y, m, opt)) {
		n++
	}
	return n
}

// applyWall is the offset's _apply with multiple n on a wall-clock value.
func (o Offset) applyWall(wall, n int64) (int64, bool) {
	days, tod := splitWall(wall)
	y, m, d := civilFromDays(days)
	var nd int64
	ok := true
	switch o.kind {
	case kindWeek:
		k := n
		if wd := weekday(days); wd != int64(o.anchor) {
			days += floorMod(int64(o.anchor)-wd, 7)
			if k > 0 {
				k--
			}
		}
		if k > 1<<40 || k < -(1<<40) {
			return 0, false
		}
		nd = days + 7*k
	case kindMonthEnd, kindMonthBegin, kindBMonthEnd, kindBMonthBegin:
		opt := o.dayOpt()
		k := n
		compare := dayOfMonth(y, m, opt)
		if k > 0 && d < compare {
			k--
		} else if k <= 0 && d > compare {
			k++
		}
		nd, ok = shiftMonth(y, m, k, opt)
	case kindQuarterEnd, kindQuarterBegin, kindBQuarterEnd, kindBQuarterBegin:
		opt := o.dayOpt()
		since := m%3 - int64(o.anchor)%3
		q := rollQtrday(y, m, d, n, since, opt)
		if q > 1<<40 || q < -(1<<40) {
			return 0, false
		}
		nd, ok = shiftMonth(y, m, q*3-since, opt)
	case kindYearEnd, kindYearBegin, kindBYearEnd, kindBYearBegin:
		opt := o.dayOpt()
		yrs := rollQtrday(y, m, d, n, m-int64(o.anchor), opt)
		if yrs > 1<<30 || yrs < -(1<<30) {
			return 0, false
		}
		nd, ok = shiftMonth(y, m, yrs*12+(int64(o.anchor)-m), opt)
	case kindBusinessDay:
		k := n
		wd := weekday(days)
		weeks := floorDiv(k, 5)
		if k <= 0 && wd > 4 {
			k++ // roll forward
		}
		k -= 5 * weeks
		var step int64
		switch {
		case k == 0 && wd > 4:
			step = 4 - wd // roll back
		case wd > 4:
			step = (7 - wd) + (k - 1)
		case wd+k <= 4:
			step = k
		default:
			step = k + 2
		}
		if weeks > 1<<40 || weeks < -(1<<40) {
			return 0, false
		}
		nd = days + 7*weeks + step
	default:
		return 0, false
	}
	if !ok {
		return 0, false
	}
	return joinWall(nd, tod)
}
