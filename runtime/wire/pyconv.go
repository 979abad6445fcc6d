package wire

import (
	"math"
	"strconv"
	"strings"
)

// Python's numeric conversions of strings, which hetida's parsers (pydantic, numpy astype)
// inherit: int("  1_000 "), float(" -1e3 "), float("nan"), float("-Infinity").

// pyInt parses a string as Python's int() does: surrounding whitespace, a sign, digits
// with single underscores between them. ok is false for anything else (including
// "1.0"); overflow reports ok with big=true.
func pyInt(s string) (v int64, ok bool, big bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false, false
	}
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' {
		return 0, false, false
	}
	var u uint64
	prevUnderscore := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			if prevUnderscore {
				return 0, false, false
			}
			prevUnderscore = true
			continue
		}
		prevUnderscore = false
		if c < '0' || c > '9' {
			return 0, false, false
		}
		if u > (math.MaxUint64-9)/10 {
			big = true
			continue
		}
		u = u*10 + uint64(c-'0')
	}
	if big || (!neg && u > math.MaxInt64) || (neg && u > 1<<63) {
		return 0, true, true
	}
	if neg {
		return -int64(u), true, false
	}
	return int64(u), true, false
}

// pyFloat parses a string as Python's float() does.
func pyFloat(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	body := s
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	switch strings.ToLower(body) {
	case "nan":
		return math.NaN(), true
	case "inf", "infinity":
		if s[0] == '-' {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	// Python allows single underscores between digits; Go's ParseFloat allows them only
	// with a base prefix, so strip them after checking their placement.
	if strings.Contains(s, "_") {
		for i := 0; i < len(s); i++ {
			if s[i] == '_' {
				if i == 0 || i == len(s)-1 || !isDigit(s[i-1]) || !isDigit(s[i+1]) {
					return 0, false
				}
			}
		}
		s = strings.ReplaceAll(s, "_", "")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return 0, false // rejects Go-only forms such as hex floats
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// PydanticBool is pydantic v1's bool coercion of a decoded JSON value, which hetida
// applies to boolean request fields and inputs: booleans, 0 and 1, and the words Python's
// pydantic accepts, in any case.
func PydanticBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case int64:
		if x == 0 || x == 1 {
			return x == 1, true
		}
	case float64:
		if x == 0 || x == 1 {
			return x == 1, true
		}
	case string:
		switch strings.ToLower(x) {
		case "0", "off", "f", "false", "n", "no":
			return false, true
		case "1", "on", "t", "true", "y", "yes":
			return true, true
		}
	}
	return false, false
}

// PydanticFloat is pydantic v1's float coercion of a decoded JSON value (float(v)):
// numbers, booleans (1.0 and 0.0) and strings Python's float() reads. ok is false for
// anything else (None included, which pydantic rejects before coercing).
func PydanticFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case string:
		return pyFloat(x)
	}
	return 0, false
}
