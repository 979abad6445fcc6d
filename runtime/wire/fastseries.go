package wire

import (
	"math"
	"strconv"

	"github.com/trafofn/trafofn/runtime/data"
)

// parseSeriesFast handles the overwhelmingly common SERIES input — a JSON object of
// strictly increasing ISO timestamps (one zone) to numbers or null — in one pass over the
// string, without building the generic JSON tree. It yields exactly what the generic
// read_json emulation yields for such input and reports ok=false for anything else
// (duplicates, unsorted keys, other value types, epoch-like values), which then takes
// the generic path.
func parseSeriesFast(s string) (*data.Series, bool) {
	i := skipWS(s, 0)
	if i >= len(s) || s[i] != '{' {
		return nil, false
	}
	i++
	capHint := len(s) / 32
	if capHint > 1<<20 {
		capHint = 1 << 20
	}
	idx := make([]int64, 0, capHint)
	vals := make([]float64, 0, capHint)
	var ints []int64
	allInt, anyNull := true, false
	var zone data.Zone
	i = skipWS(s, i)
	if i < len(s) && s[i] == '}' {
		return nil, false // empty: generic path decides dtypes
	}
	for {
		i = skipWS(s, i)
		if i >= len(s) || s[i] != '"' {
			return nil, false
		}
		i++
		ks := i
		for i < len(s) && s[i] != '"' && s[i] != '\\' {
			i++
		}
		if i >= len(s) || s[i] != '"' {
			return nil, false
		}
		ns, z, err := data.ParseISO(s[ks:i])
		if err != nil {
			return nil, false
		}
		if len(idx) == 0 {
			zone = z
		} else if z != zone || ns <= idx[len(idx)-1] {
			return nil, false
		}
		i = skipWS(s, i+1)
		if i >= len(s) || s[i] != ':' {
			return nil, false
		}
		i = skipWS(s, i+1)
		if i >= len(s) {
			return nil, false
		}
		if s[i] == 'n' {
			if len(s)-i < 4 || s[i:i+4] != "null" {
				return nil, false
			}
			i += 4
			vals = append(vals, math.NaN())
			anyNull = true
			allInt = false
		} else {
			ns := i
			isFloat := false
			if s[i] == '-' {
				i++
			}
			ds := i
			for i < len(s) {
				c := s[i]
				if c >= '0' && c <= '9' {
					i++
					continue
				}
				if c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
					isFloat = true
					i++
					continue
				}
				break
			}
			if i == ds {
				return nil, false
			}
			lit := s[ns:i]
			if !isFloat && i-ds <= 18 && (s[ds] != '0' || i-ds == 1) {
				var v int64
				for k := ds; k < i; k++ {
					v = v*10 + int64(s[k]-'0')
				}
				if s[ns] == '-' {
					v = -v
				}
				if allInt {
					if ints == nil {
						ints = make([]int64, len(vals), cap(vals))
					}
					ints = append(ints, v)
				}
				vals = append(vals, float64(v))
			} else {
				if !isFloat || !validJSONNumber(lit) {
					return nil, false
				}
				f, err := strconv.ParseFloat(lit, 64)
				if err != nil {
					return nil, false
				}
				vals = append(vals, f)
				allInt = false
			}
		}
		idx = append(idx, ns)
		i = skipWS(s, i)
		if i >= len(s) {
			return nil, false
		}
		if s[i] == ',' {
			i++
			continue
		}
		if s[i] != '}' {
			return nil, false
		}
		if skipWS(s, i+1) != len(s) {
			return nil, false
		}
		break
	}
	// pandas would read a series whose every value exceeds minStamp as epoch timestamps
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
	case allInt && !anyNull:
		values = data.Ints(ints)
	default:
		values = data.Floats(vals)
		if !anyNull {
			whole := make([]int64, len(vals))
			ok := true
			for k, f := range vals {
				if math.IsInf(f, 0) || math.Abs(f) >= 1<<63 || f != math.Trunc(f) {
					ok = false
					break
				}
				whole[k] = int64(f)
			}
			if ok {
				values = data.Ints(whole)
			}
		}
	}
	return &data.Series{Index: data.Datetimes(idx, zone), Values: values}, true
}

func skipWS(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// validJSONNumber checks the JSON grammar of a number literal that contains a fraction
// or exponent (ParseFloat alone would also accept forms such as "1." or "01.5").
func validJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) {
		return false
	}
	if s[i] == '0' {
		i++
	} else if s[i] >= '1' && s[i] <= '9' {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		st := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == st {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		st := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == st {
			return false
		}
	}
	return i == len(s)
}
