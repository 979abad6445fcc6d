package data

import "testing"

func TestLabelIndex(t *testing.T) {
	cases := []struct {
		names []any
		dtype DType
	}{
		{[]any{"a", "b"}, Object},
		{[]any{int64(0), int64(1)}, Int64},
		{[]any{0.5, 1.5}, Float64},
		{[]any{"a", int64(1)}, Object},
		{nil, Object},
	}
	for _, c := range cases {
		got := LabelIndex(c.names)
		if got.DType != c.dtype || got.Len() != len(c.names) {
			t.Errorf("LabelIndex(%v) = %v of %d, want %v", c.names, got.DType, got.Len(), c.dtype)
			continue
		}
		for i, n := range c.names {
			if Compare(got.At(i), n) != 0 {
				t.Errorf("LabelIndex(%v)[%d] = %v", c.names, i, got.At(i))
			}
		}
	}
}
