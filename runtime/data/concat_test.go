package data

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

// Expectations from pandas (pd.concat([a, b], ignore_index=True).dtypes and values);
// where pandas 1.5 and 2.1 differ (empty parts, zones) the comment says which is kept.
func TestConcatFrames(t *testing.T) {
	utc := func(ns ...int64) Column { return Datetimes(ns, UTC) }
	for _, tc := range []struct {
		name string
		a, b *DataFrame
		want *DataFrame
	}{
		{
			// int with float is float; b's columns in another order follow a's
			"int and float",
			mgFrame("timestamp", utc(0), "metric", mgO("a"), "value", mgI(1)),
			mgFrame("timestamp", utc(1), "value", mgF(1.5), "metric", mgO("x")),
			mgFrame("timestamp", utc(0, 1), "metric", mgO("a", "x"), "value", mgF(1, 1.5)),
		},
		{
			// naive with aware timestamps is object; int with bool is object
			"mixed kinds",
			mgFrame("timestamp", utc(0), "value", mgI(1)),
			mgFrame("timestamp", Datetimes([]int64{1}, Naive), "value", mgB(true)),
			mgFrame("timestamp", mgO(Timestamp{0, UTC}, Timestamp{1, Naive}), "value", mgO(int64(1), true)),
		},
		{
			// aware zones: UTC as pandas 2 (pandas 1.5 gave object)
			"zones",
			mgFrame("timestamp", utc(0)),
			mgFrame("timestamp", Datetimes([]int64{7200e9}, Zone{Aware: true, Offset: 7200})),
			mgFrame("timestamp", utc(0, 7200e9)),
		},
		{
			// a column only a has: b's rows are missing there (bool becomes object, int
			// float64, datetimes NaT)
			"missing columns",
			mgFrame("v", mgF(1), "flag", mgB(true), "n", mgI(5), "t", utc(3)),
			mgFrame("v", mgF(2)),
			mgFrame("v", mgF(1, 2), "flag", mgO(true, nil), "n", mgF(5, mgNaN), "t", utc(3, NaT)),
		},
		{
			// an empty part does not decide the dtype (pandas 2.1; pandas 1.5 gave float64)
			"empty part",
			mgFrame("timestamp", utc(), "metric", mgO(), "value", mgF()),
			mgFrame("timestamp", utc(1), "value", mgB(true), "metric", mgO("x")),
			mgFrame("timestamp", utc(1), "metric", mgO("x"), "value", mgB(true)),
		},
		{
			"strings with numbers",
			mgFrame("value", mgF(1.5)),
			mgFrame("value", mgO("s")),
			mgFrame("value", mgO(1.5, "s")),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ConcatFrames(context.Background(), tc.a, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			mgCheck(t, got, tc.want)
		})
	}
}

func TestConcatFramesAttrs(t *testing.T) {
	a, b := mgFrame("x", mgI(1)), mgFrame("x", mgI(2))
	d := NewDict(1)
	d.Set("k", int64(1))
	a.Attrs = d
	if got := mgConcat(t, a, b).Attrs; got.Len() != 0 {
		t.Errorf("different attrs kept: %v", got.Keys())
	}
	b.Attrs = d.Clone()
	if got := mgConcat(t, a, b).Attrs; !reflect.DeepEqual(got.Keys(), []string{"k"}) {
		t.Errorf("equal attrs lost: %v", got.Keys())
	}
}

func mgConcat(t *testing.T, frames ...*DataFrame) *DataFrame {
	t.Helper()
	f, err := ConcatFrames(context.Background(), frames...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestConcatFramesCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	long := mgFrame("v", Range(50_000))
	if _, err := ConcatFrames(ctx, long, long); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
