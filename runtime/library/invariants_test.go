package library

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// outcome is one Run of a component under test.
type outcome struct {
	out        component.Outputs
	err        error
	panicked   string
	undeclared []string
}

func run(ctx context.Context, spec *component.Spec, vals map[string]any) (o outcome) {
	defer func() {
		if r := recover(); r != nil {
			o.panicked = fmt.Sprintf("%v\n%s", r, debug.Stack())
		}
	}()
	in := component.NewInputs(spec, vals).Traced(&o.undeclared).WithEnv(&component.Env{Objects: memStore{}, RDatasetsDir: "testdata/rdatasets"})
	o.out, o.err = spec.Run(ctx, in)
	return o
}

// encodePanic encodes v as the response would; an error is a legitimate outcome (hetida
// fails such outputs at ENCODING_RESULTS_TO_JSON too), a panic is not.
func encodePanic(v any) (panicked string) {
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprintf("%v\n%s", r, debug.Stack())
		}
	}()
	_, _ = wire.AppendValue(nil, v)
	return ""
}

func parsedDefault(t *testing.T) func(component.Port) any {
	return func(p component.Port) any {
		v, err := wire.Parse(p.Type, p.Default, true)
		if err != nil {
			t.Fatalf("default of %s: %v", p.Name, err)
		}
		return v
	}
}

// alwaysFailing are the components that fail whatever they get, by design: their
// reference code needs TensorFlow.
var alwaysFailing = map[string]bool{
	"AntirectifierLayer": true, "Train Keras Model with Custom Layer": true,
	"Test Keras Model": true, "Wrap Keras Model with Custom Classes": true,
}

// specificInputs are components that give a result only for inputs generated values
// cannot hit (a stored object's name, a dataset on disk); their own tests cover them.
var specificInputs = map[string]string{
	"Load Object":   "needs the name of an object stored before (TestObjectStoreComponents)",
	"Get R Dataset": "needs a dataset that exists (TestGetRDataset)",
	// the generated frames hold a timestamp column, which scikit-learn refuses as features
	"Isolation Forest":                        "needs frames of numbers only (TestIsolationForestComponent)",
	"Linear Regression":                       "needs frames of numbers only (TestLinearRegressionComponent)",
	"Decision Function Sklearn Trained Model": "needs a model trained by Isolation Forest (TestModelComponents)",
	"Predict Sklearn Trained Model":           "needs a model trained by Isolation Forest or Linear Regression (TestModelComponents)",
	"Univariate Linear RUL Regression":        "needs a valid frequency and a finite limit at once (TestUnivariateLinearRULRegression)",
	// the ANY edge values never form an orderable pair (a Series with a DataFrame, a
	// dict with a list …)
	"Greater":          "needs two orderable operands (TestComparisons)",
	"Greater or equal": "needs two orderable operands (TestComparisons)",
	"Smaller":          "needs two orderable operands (TestComparisons)",
	"Smaller or equal": "needs two orderable operands (TestComparisons)",
	// no string edge value names a column of the generated frames
	"Select Column from DataFrame":      "needs the name of one of the frame's columns (TestSelectColumn)",
	"Merge DataFrames on Single Column": "needs the name of a column both frames have (TestMergeDataFrames)",
	// the edge strings hold no expression; the window string and a series never meet
	"Eval Expression On Series":    "needs an expression over x (TestEvalExpressionComponents)",
	"Eval Expression On DataFrame": "needs an expression over its columns (TestEvalExpressionComponents)",
	"MAVG Outlier Filter":          "needs a time window and a series or frame together (TestMAVGOutlierFilter)",
	"CPU bound":                    `needs bind "single" or "multi" (TestCPUBound)`,
	"Time to length":               "needs a Series with a scalar or Series speed; generated ANY pairs are never both (TestTimeToLength)",
	"Log to base":                  "needs two numeric values; generated ANY pairs hold a frame with timestamps or a non-number (TestLogToBase)",
	"nth root":                     "needs a numeric n; generated ANY pairs hold a frame with timestamps or a non-number (TestNthRoot)",
	// the generated values never have these shapes
	"Value Range Check":                         "needs a dict of value range dicts (TestValueRangeCheck)",
	"Replacement Locations for Gaps":            "needs a frame of gap intervals (TestReplacementLocationsForGaps)",
	"Interpolate Timeseries":                    "needs a boolean filter series (TestInterpolateTimeseries)",
	"Merge timeseries deduplicating timestamps": "needs a frame with timestamp and value columns (TestMergeTimeseriesDeduplicatingTimestamps)",
	"Add Timedelta to Index":                    "needs a JSON object keyed by timestamps (TestAddTimedeltaToIndex)",
}

// The library's invariants, for every registered component and every kind of edge-case
// input of its declared types: Run never panics; it returns a result or a Python-typed
// error (*data.Error, reported as hetida would) — never an untyped Go error; a result
// holds only declared outputs of their declared types, which encode without a panic; it reads only declared inputs; and
// it leaves its inputs exactly as they were (they are shared between operators).
func TestLibraryInvariants(t *testing.T) {
	parse := parsedDefault(t)
	for _, spec := range Registry().All() {
		t.Run(spec.Name+" "+spec.Version, func(t *testing.T) {
			t.Parallel()
			results := 0
			for v := range nVariants {
				for shift, useDefaults := range []bool{true, false} {
					if v == vBig && !useDefaults {
						continue
					}
					vals := inputsFor(spec, v, useDefaults, parse, shift)
					before := map[string]uint64{}
					for k, x := range vals {
						before[k] = component.Fingerprint(x)
					}
					o := run(context.Background(), spec, vals)
					where := fmt.Sprintf("%s inputs (defaults %v)", v, useDefaults)
					if o.panicked != "" {
						t.Fatalf("%s: panic: %s", where, o.panicked)
					}
					if len(o.undeclared) > 0 {
						t.Errorf("%s: reads undeclared inputs %v", where, o.undeclared)
					}
					for k, x := range vals {
						if component.Fingerprint(x) != before[k] {
							t.Errorf("%s: modified its input %q", where, k)
						}
					}
					if o.err != nil {
						var de *data.Error
						if !errors.As(o.err, &de) {
							t.Errorf("%s: untyped error %T: %v", where, o.err, o.err)
						}
						continue
					}
					results++
					if err := spec.CheckOutputs(o.out); err != nil {
						t.Errorf("%s: %v", where, err)
					}
					for name, x := range o.out {
						if p := encodePanic(x); p != "" {
							t.Fatalf("%s: encoding output %q panics: %s", where, name, p)
						}
					}
				}
			}
			if results == 0 && !alwaysFailing[spec.Name] && specificInputs[spec.Name] == "" {
				t.Errorf("no edge-case input gave a result: the generated inputs never fit this component")
			}
		})
	}
}

// countingCtx counts how often a component asks whether it should stop.
type countingCtx struct {
	context.Context
	checks atomic.Int64
}

func (c *countingCtx) Err() error {
	c.checks.Add(1)
	return c.Context.Err()
}

// Every component honours its context: one whose run over 10⁶ points is long enough to
// matter (more than 50 ms, so that twice the points would exceed the promised 100 ms)
// asks its context at least once per 10⁴ rows, and stops with context.Canceled when the
// context is already cancelled. (Quick components need not ask; the 50 ms only sorts
// them out, nothing here is a speed limit.)
func TestLibraryHonoursCancellation(t *testing.T) {
	if testing.Short() {
		t.Skip("10⁵-point runs")
	}
	parse := parsedDefault(t)
	const n = 1_000_000
	for _, spec := range Registry().All() {
		t.Run(spec.Name+" "+spec.Version, func(t *testing.T) {
			// the first rotation of scalar edge values that gives a result, found on 10⁵
			// points, then run on 10⁶
			found := -1
			for shift := range len(stringEdges) {
				o := run(context.Background(), spec, inputsFor(spec, vBig, true, parse, shift))
				if o.panicked != "" {
					t.Fatalf("panic: %s", o.panicked)
				}
				if o.err == nil {
					found = shift
					break
				}
			}
			if found < 0 {
				return
			}
			vals := inputsFor(spec, vHuge, true, parse, found)
			// the fastest of up to three runs: on a busy machine (go test runs packages
			// side by side) a single pass over the rows can take longer than the limit
			var ctx *countingCtx
			took := time.Duration(math.MaxInt64)
			for range 3 {
				c := &countingCtx{Context: context.Background()}
				start := time.Now()
				o := run(c, spec, vals)
				d := time.Since(start)
				if o.panicked != "" {
					t.Fatalf("panic: %s", o.panicked)
				}
				if o.err != nil {
					return
				}
				if d < took {
					took, ctx = d, c
				}
				if took < 50*time.Millisecond*raceSlowdown {
					return
				}
			}
			if min := int64(n / 10_000); ctx.checks.Load() < min {
				t.Errorf("took %v over %d rows and asked its context %d times, want at least %d", took, n, ctx.checks.Load(), min)
			}
			cctx, cancel := context.WithCancel(context.Background())
			cancel()
			if o := run(cctx, spec, vals); !errors.Is(o.err, context.Canceled) {
				t.Errorf("with a cancelled context: %v, want context.Canceled", o.err)
			}
		})
	}
}
