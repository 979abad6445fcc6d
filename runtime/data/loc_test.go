package data

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestLocIndexer(t *testing.T) {
	// index 3, 1, 2, 2: loc[[2, 3]] takes both 2s (positions 2, 3), then 3 (position 0);
	// 2.0 is the label 2
	idx := mgI(3, 1, 2, 2)
	got, err := LocIndexer(context.Background(), idx, mgF(2, 3))
	if err != nil || !reflect.DeepEqual(got, []int{2, 3, 0}) {
		t.Errorf("got %v %v", got, err)
	}
	// aware labels match by instant across zones
	got, err = LocIndexer(context.Background(), Datetimes([]int64{0, 3600e9}, Zone{Aware: true, Offset: 7200}), Datetimes([]int64{3600e9}, UTC))
	if err != nil || !reflect.DeepEqual(got, []int{1}) {
		t.Errorf("zones: %v %v", got, err)
	}
	// sorted unique datetimes take the merge walk; a label the index lacks still fails
	sorted := Datetimes([]int64{10, 20, 30}, UTC)
	got, err = LocIndexer(context.Background(), sorted, Datetimes([]int64{20, 30}, UTC))
	if err != nil || !reflect.DeepEqual(got, []int{1, 2}) {
		t.Errorf("sorted: %v %v", got, err)
	}
	if _, err := LocIndexer(context.Background(), sorted, Datetimes([]int64{20, 25}, UTC)); err == nil {
		t.Errorf("sorted with a missing label: no error")
	}
	for _, tc := range []struct {
		labels Column
		msg    string
	}{
		{mgI(9), `"None of [Index([9], dtype='int64')] are in the [index]"`},
		{mgI(1, 9), `"[9] not in index"`},
	} {
		_, err := LocIndexer(context.Background(), idx, tc.labels)
		var de *Error
		if !errors.As(err, &de) || de.Type != "KeyError" || de.Message != tc.msg {
			t.Errorf("got %v, want KeyError %s", err, tc.msg)
		}
	}
}

func TestSliceLocs(t *testing.T) {
	ts := func(ns int64) any { return Timestamp{NS: ns, Zone: UTC} }
	sorted := Datetimes([]int64{10, 20, 20, 30}, UTC)
	for _, tc := range []struct {
		start, stop any
		from, to    int
	}{
		{ts(20), ts(20), 1, 3},  // both inclusive, duplicates included
		{ts(15), ts(25), 1, 3},  // bounds between labels
		{nil, ts(10), 0, 1},     // open start
		{ts(31), nil, 4, 4},     // beyond the end: empty
		{ts(25), ts(15), 3, 3},  // an inverted range is empty (to raised to from)
		{ts(-5), ts(100), 0, 4}, // the whole index
	} {
		from, to, err := sorted.SliceLocs(tc.start, tc.stop)
		if err != nil || from != tc.from || to != tc.to {
			t.Errorf("%v:%v: [%d, %d) %v, want [%d, %d)", tc.start, tc.stop, from, to, err, tc.from, tc.to)
		}
	}
	// a NaT label at the end (sort_index puts it there) makes the index non-monotonic:
	// bounds must be unique labels
	withNaT := Datetimes([]int64{10, 20, NaT}, UTC)
	if from, to, err := withNaT.SliceLocs(ts(10), ts(20)); err != nil || from != 0 || to != 2 {
		t.Errorf("exact bounds: [%d, %d) %v", from, to, err)
	}
	for _, tc := range []struct {
		idx         Column
		start, stop any
		msg         string
	}{
		{withNaT, ts(10), ts(25), PyRepr(ts(25))},
		{Datetimes([]int64{10, 10, NaT}, UTC), ts(10), nil, "Cannot get left slice bound for non-unique label: " + PyRepr(ts(10))},
	} {
		_, _, err := tc.idx.SliceLocs(tc.start, tc.stop)
		var de *Error
		if !errors.As(err, &de) || de.Type != "KeyError" || de.Message != tc.msg {
			t.Errorf("got %v, want KeyError %s", err, tc.msg)
		}
	}
	// numbers slice numerically
	if from, to, err := mgF(1, 2.5, 4).SliceLocs(int64(2), int64(4)); err != nil || from != 1 || to != 3 {
		t.Errorf("numbers: [%d, %d) %v", from, to, err)
	}
}

func TestOrderError(t *testing.T) {
	if err := mgO("b", nil, "a").OrderError(); err != nil {
		t.Errorf("strings with None: %v", err)
	}
	if err := mgO(int64(1), 2.5).OrderError(); err != nil {
		t.Errorf("numbers: %v", err)
	}
	err := mgO("a", int64(1)).OrderError()
	var de *Error
	if !errors.As(err, &de) || de.Message != "'<' not supported between instances of 'int' and 'str'" {
		t.Errorf("mixed: %v", err)
	}
}
