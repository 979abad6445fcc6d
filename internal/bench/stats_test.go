package bench

import "testing"

func TestMedianAndRatio(t *testing.T) {
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Fatalf("median %v", m)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Fatalf("median %v", m)
	}
	if m := median(nil); m != 0 {
		t.Fatalf("median of nothing %v", m)
	}
	// round 2 was slow for both: the per-round ratios are 0.6, 0.6, 0.9
	if r := ratio([]float64{60, 30, 90}, []float64{100, 50, 100}); r != 0.6 {
		t.Fatalf("ratio %v", r)
	}
	if r := ratio([]float64{60, 30}, []float64{100, 0}); r != 0.6 {
		t.Fatalf("ratio skipping an empty baseline round: %v", r)
	}
}
