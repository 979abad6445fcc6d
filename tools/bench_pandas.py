#!/usr/bin/python3
"""Times trafofn's statistic components against the same pandas operations, side by side.

Run from the repository root with Debian's Python (stdlib + pandas; numba if installed):

    /usr/bin/python3 tools/bench_pandas.py            # all benchmarks
    /usr/bin/python3 tools/bench_pandas.py MovingMedianTime

Both sides get the same series (tools/bench_pandas.py and benchSeries in
runtime/library/statistic_bench_test.go build it alike): 100k points one minute apart from
2023-01-01T00:00:00Z, value 100 + 10 sin(i/50) + ((i*7919) mod 1000)/100, NaN at every
97th point, as the component receives it from an upstream operator (JSON parsing is not
timed on either side). The Go figure is `go test -bench` (ns/op over 20 runs, with
serve's collector settings, GOGC=200 and the 32 MiB heap headroom); the pandas figure the best of 5 runs of the pandas
steps the component performs; both sides are measured in alternating rounds
(--rounds=N, default 3) and the best round counts, so that both see the same machine
load. pandas is single-threaded; trafofn's rolling median splits long series over up to
4 cores (its time bounds too).
"""
import re
import subprocess
import sys
import time

import numpy as np
import pandas as pd

try:
    import numba  # noqa: F401

    ENGINE = "numba"
except ImportError:  # pragma: no cover
    ENGINE = None

N = 100_000


def series():
    i = np.arange(N)
    v = 100 + 10 * np.sin(i / 50) + ((i * 7919) % 1000) / 100
    v[i % 97 == 0] = np.nan
    idx = pd.Timestamp("2023-01-01", tz="UTC") + pd.to_timedelta(i, unit="min")
    return pd.Series(v, index=idx)


def moving_time(agg):
    # the component's steps: index to datetime, sort, drop NaN, rolling(t).<agg>()
    def run(s):
        d = s.copy()
        d.index = pd.to_datetime(d.index)
        return getattr(d.sort_index().dropna().rolling("1h"), agg)()

    return run


def _finite(kernel):
    if ENGINE == "numba":
        import numba as nb

        if kernel == "mean":
            return nb.njit(lambda a: np.mean(a[~np.isnan(a)]))
        return nb.njit(lambda a: np.median(a[~np.isnan(a)]))
    if kernel == "mean":
        return lambda a: np.mean(a[~np.isnan(a)])
    return lambda a: np.median(a[~np.isnan(a)])


def moving_time_window(kernel, freq):
    # 1h windows every `freq`, both ends closed, offset 0: the rolling path — right window
    # edges on the rhythm, the series reindexed onto edges ∪ data, rolled, back onto edges
    f = _finite(kernel)
    size, step = pd.Timedelta("1h"), pd.Timedelta(freq)

    def run(s):
        s = s.sort_index()
        first = (s.index[0] - size).ceil(step) + size
        last = s.index[-1].floor(step) + size
        edges = pd.date_range(first, last, freq=step, inclusive="both")
        r = s.reindex(edges.union(s.index)).rolling("1h", closed="both")
        return r.apply(f, raw=True, engine=ENGINE).reindex(edges)

    return run


BENCHES = [
    ("MovingMedianTime100k", moving_time("median")),
    ("MovingAverageTime100k", moving_time("mean")),
    ("MovingTimeWindowMean100k", moving_time_window("mean", "30min")),
    ("MovingTimeWindowMedian100k", moving_time_window("median", "30min")),
    ("MovingTimeWindowMedianDense100k", moving_time_window("median", "1min")),
]


def time_pandas(fn, s, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn(s)
        best = min(best, time.perf_counter() - t)
    return best


def time_go(names):
    pattern = "^Benchmark(" + "|".join(names) + ")$"
    out = subprocess.run(
        ["go", "test", "./runtime/library/", "-run", "^$", "-bench", pattern, "-benchmem", "-benchtime", "20x"],
        capture_output=True, text=True, check=True,
    ).stdout
    res = {}
    for m in re.finditer(r"^Benchmark(\w+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op", out, re.M):
        res[m.group(1)] = float(m.group(2)) / 1e9
    return res


def main():
    args = sys.argv[1:]
    rounds = 3
    if args and args[0].startswith("--rounds="):
        rounds = int(args.pop(0).split("=", 1)[1])
    benches = [(n, f) for n, f in BENCHES if not args or any(a in n for a in args)]
    s = series()
    for _, fn in benches:
        fn(s)  # warm-up (numba compiles its kernels here)
    go, pd_best = {}, {}
    # rounds alternate between the two sides, so that both see the same load
    for _ in range(rounds):
        for name, g in time_go([n for n, _ in benches]).items():
            go[name] = min(go.get(name, float("inf")), g)
        for name, fn in benches:
            pd_best[name] = min(pd_best.get(name, float("inf")), time_pandas(fn, s))
    print(f"pandas {pd.__version__}, rolling apply engine {ENGINE}; {N} points; best of {rounds} alternating rounds")
    print(f"{'benchmark':34} {'trafofn':>12} {'pandas':>12} {'speed-up':>9}")
    for name, _ in benches:
        p, g = pd_best[name], go.get(name)
        if g is None:
            print(f"{name:34} {'(no result)':>12} {p * 1e3:10.2f}ms")
            continue
        print(f"{name:34} {g * 1e3:10.3f}ms {p * 1e3:10.2f}ms {p / g:8.1f}x")


if __name__ == "__main__":
    main()
