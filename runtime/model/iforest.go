package model

import (
	"context"
	"math"
	"math/rand/v2"

	"github.com/trafofn/trafofn/runtime/data"
)

// IsolationForest is scikit-learn's IsolationForest with its defaults (max_samples
// "auto", contamination "auto", max_features 1.0, no bootstrap), fitted natively:
//
//   - each of NEstimators trees is grown on MaxSamples = min(256, n) rows drawn without
//     replacement, to depth ceil(log2(max(MaxSamples, 2)));
//   - a node splits on a feature drawn uniformly among those not constant in the node (a
//     range of at most 1e-7 counts as constant, as in sklearn's splitter) at a threshold
//     drawn uniformly in [min, max) of that feature (a draw equal to max becomes min);
//     rows with value <= threshold go left; a node with one row, no non-constant feature
//     or at the depth limit is a leaf;
//   - the path length of a row in a tree is the number of nodes from the root to its
//     leaf, minus one, plus c(leaf size), where c(n) is the average path length of an
//     unsuccessful search in a binary search tree: c(n) = 2(ln(n-1) + γ) - 2(n-1)/n for
//     n > 2, c(2) = 1, c(n ≤ 1) = 0;
//   - score_samples(x) = -2^(-E[h(x)] / c(MaxSamples)), E[h] the mean over the trees (the
//     exponent is -1 when c(MaxSamples) = 0, a single training row), and
//     decision_function(x) = score_samples(x) - Offset with Offset = -0.5: positive for
//     inliers, negative for outliers; predict gives +1 / -1 by its sign.
//
// Values are cast to float32, as sklearn's trees cast X. The random source is the
// caller's: sklearn's draws are its own, so the same data gives other trees than any
// sklearn run, with the same distribution; results that do not depend on the draws
// (identical training rows, clusters of duplicates) agree to rounding.
type IsolationForest struct {
	NEstimators int
	MaxSamples  int
	Offset      float64
	names       []string
	nFeatures   int
	trees       []isoTree
}

// MaxEstimators bounds n_estimators: sklearn builds whatever it is asked for, until
// memory runs out; trafofn refuses a forest beyond this many trees.
const MaxEstimators = 10_000

// featureThreshold is sklearn's FEATURE_THRESHOLD: a feature whose range in a node is
// at most this is constant there.
const featureThreshold = 1e-7

// eulerGamma is numpy's euler_gamma.
const eulerGamma = 0.5772156649015329

// isoNode is a node of an isolation tree. A split sends a row to left when its value of
// feature is <= threshold, else to left+1 (children are adjacent). A leaf points to
// itself with threshold +Inf, so that every row can take the same number of steps
// (the tree's depth) without a branch; its path is the row's path-length
// contribution, (nodes on the path) + c(leaf size) - 1, summed in sklearn's order.
type isoNode struct {
	feature   int32
	left      int32
	threshold float64
	path      float64
}

// isoTree is a tree's nodes (the root first) and the depth of its deepest leaf.
type isoTree struct {
	nodes []isoNode
	depth int
}

// AveragePathLength is c(n) of the isolation forest paper as sklearn computes it.
func AveragePathLength(n int) float64 {
	switch {
	case n <= 1:
		return 0
	case n == 2:
		return 1
	}
	f := float64(n)
	return 2.0*(math.Log(f-1.0)+eulerGamma) - 2.0*(f-1.0)/f
}

// FitIsolationForest fits a forest of nEstimators trees on x (a DataFrame normally)
// with the random source rng. Parameter errors and input errors are sklearn's.
func FitIsolationForest(ctx context.Context, x any, nEstimators int64, rng *rand.Rand) (*IsolationForest, error) {
	if nEstimators < 1 {
		return nil, &data.Error{Type: "InvalidParameterError", Message: "The 'n_estimators' parameter of IsolationForest must be an int in the range [1, inf). Got " + data.PyRepr(nEstimators) + " instead."}
	}
	if nEstimators > MaxEstimators {
		return nil, &data.Error{Type: "MemoryError", Message: "n_estimators=" + data.PyRepr(nEstimators) + ": trafofn builds at most " + data.PyRepr(int64(MaxEstimators)) + " trees"}
	}
	m, err := arrayCheck{estimator: "IsolationForest", input: "X", float32: true}.check(ctx, x)
	if err != nil {
		return nil, err
	}
	n := m.Rows
	f := &IsolationForest{
		NEstimators: int(nEstimators),
		MaxSamples:  min(256, n),
		Offset:      -0.5,
		names:       m.Names,
		nFeatures:   len(m.Cols),
		trees:       make([]isoTree, nEstimators),
	}
	maxDepth := int(math.Ceil(math.Log2(float64(max(f.MaxSamples, 2)))))
	b := &isoBuilder{x: m.Cols, rng: rng, maxDepth: maxDepth, features: make([]int, len(m.Cols))}
	for t := range f.trees {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b.samples = sampleWithoutReplacement(rng, n, f.MaxSamples, b.samples)
		f.trees[t] = b.build()
	}
	return f, nil
}

// sampleWithoutReplacement draws k distinct row numbers of 0..n-1 (Floyd's algorithm for
// few of many rows, a partial shuffle otherwise).
func sampleWithoutReplacement(rng *rand.Rand, n, k int, buf []int) []int {
	out := buf[:0]
	if k*8 < n {
		seen := make(map[int]struct{}, k)
		for j := n - k; j < n; j++ {
			t := rng.IntN(j + 1)
			if _, dup := seen[t]; dup {
				t = j
			}
			seen[t] = struct{}{}
			out = append(out, t)
		}
		return out
	}
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	for i := 0; i < k; i++ {
		j := i + rng.IntN(n-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	return append(out, perm[:k]...)
}

// isoBuilder grows one tree at a time over its sample of rows, partitioning the sample
// in place like sklearn's depth-first builder.
type isoBuilder struct {
	x        [][]float64
	rng      *rand.Rand
	maxDepth int
	samples  []int
	features []int
	nodes    []isoNode
}

type isoTask struct {
	start, end, depth int
	node              int32
}

func (b *isoBuilder) build() isoTree {
	b.nodes = make([]isoNode, 1, 2*len(b.samples)-1)
	depth := 0
	stack := []isoTask{{start: 0, end: len(b.samples), depth: 0, node: 0}}
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := t.end - t.start
		feature, threshold, pos := -1, 0.0, 0
		if t.depth < b.maxDepth && n >= 2 {
			feature, threshold, pos = b.split(t.start, t.end)
		}
		if feature < 0 {
			b.nodes[t.node] = isoNode{left: t.node, threshold: math.Inf(1), path: float64(t.depth+1) + AveragePathLength(n) - 1.0}
			depth = max(depth, t.depth)
			continue
		}
		left := int32(len(b.nodes))
		b.nodes = append(b.nodes, isoNode{}, isoNode{})
		b.nodes[t.node] = isoNode{feature: int32(feature), threshold: threshold, left: left}
		stack = append(stack, isoTask{pos, t.end, t.depth + 1, left + 1}, isoTask{t.start, pos, t.depth + 1, left})
	}
	return isoTree{nodes: b.nodes, depth: depth}
}

// split draws features in random order until one is not constant on samples[start:end],
// draws its threshold and partitions the rows; feature is -1 when every feature is
// constant (the node is a leaf).
func (b *isoBuilder) split(start, end int) (feature int, threshold float64, pos int) {
	rows := b.samples[start:end]
	for i := range b.features {
		b.features[i] = i
	}
	for left := len(b.features); left > 0; left-- {
		k := b.rng.IntN(left)
		f := b.features[k]
		b.features[k] = b.features[left-1]
		col := b.x[f]
		lo, hi := col[rows[0]], col[rows[0]]
		for _, r := range rows[1:] {
			v := col[r]
			lo, hi = min(lo, v), max(hi, v)
		}
		if hi <= lo+featureThreshold {
			continue
		}
		threshold = (hi-lo)*b.rng.Float64() + lo
		if threshold == hi {
			threshold = lo
		}
		p := 0
		for i, r := range rows {
			if col[r] <= threshold {
				rows[p], rows[i] = rows[i], rows[p]
				p++
			}
		}
		return f, threshold, start + p
	}
	return -1, 0, 0
}

// PyTypeName is the class name hetida's Python would report.
func (*IsolationForest) PyTypeName() string { return "IsolationForest" }

// AppendJSON fails as hetida's response encoder fails on a fitted sklearn forest (its
// trees are extension objects without __dict__): the output cannot be written.
func (*IsolationForest) AppendJSON(b []byte) ([]byte, error) {
	return b, data.ValueError(`[TypeError("'sklearn.tree._tree.Tree' object is not iterable"), TypeError('vars() argument must have __dict__ attribute')]`)
}

// ScoreSamples is score_samples(x): the opposite of the anomaly score, in [-1, 0).
func (f *IsolationForest) ScoreSamples(ctx context.Context, x any) ([]float64, error) {
	m, err := validateX(ctx, x, arrayCheck{estimator: "IsolationForest", input: "X"}, f.names, f.nFeatures)
	if err != nil {
		return nil, err
	}
	// the trees cast X to float32 (check_array in tree.apply: a value beyond float32's
	// range is infinite there)
	c32 := arrayCheck{estimator: "IsolationForest", input: "X", float32: true}
	cols := make([][]float64, len(m.Cols))
	for j, col := range m.Cols {
		if cols[j], err = c32.floats(ctx, data.Floats(col)); err != nil {
			return nil, err
		}
	}
	if err := c32.finite(&Matrix{Rows: m.Rows, Cols: cols}); err != nil {
		return nil, err
	}
	// rows are walked in row-major order, every row taking the tree's depth in steps
	p := len(cols)
	xr := make([]float64, m.Rows*p)
	for j, col := range cols {
		for i, v := range col {
			xr[i*p+j] = v
		}
	}
	depths := make([]float64, m.Rows)
	work := 0
	for _, tree := range f.trees {
		nodes := tree.nodes
		for i := range depths {
			if work%data.CheckEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			work++
			row := xr[i*p : i*p+p]
			k := int32(0)
			for range tree.depth {
				nd := &nodes[k]
				k = nd.left
				if row[nd.feature] > nd.threshold {
					k++
				}
			}
			depths[i] += nodes[k].path
		}
	}
	denominator := float64(len(f.trees)) * AveragePathLength(f.MaxSamples)
	for i, d := range depths {
		e := -1.0
		if denominator != 0 {
			e = -(d / denominator)
		}
		depths[i] = -math.Pow(2, e)
	}
	return depths, nil
}

// DecisionFunction is decision_function(x) = score_samples(x) - Offset.
func (f *IsolationForest) DecisionFunction(ctx context.Context, x any) ([]float64, error) {
	s, err := f.ScoreSamples(ctx, x)
	if err != nil {
		return nil, err
	}
	for i := range s {
		s[i] -= f.Offset
	}
	return s, nil
}

// Predict is predict(x): -1 for outliers (decision function below 0), +1 for inliers,
// as one int64 column.
func (f *IsolationForest) Predict(ctx context.Context, x any) ([]data.Column, error) {
	d, err := f.DecisionFunction(ctx, x)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(d))
	for i, v := range d {
		out[i] = 1
		if v < 0 {
			out[i] = -1
		}
	}
	return []data.Column{data.Ints(out)}, nil
}
