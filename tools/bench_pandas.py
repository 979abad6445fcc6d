#!/usr/bin/python3
"""Times trafofn's statistic components against the same pandas operations, side by side.

Run from the repository root with Debian's Python (stdlib + pandas; numba if installed):

    /usr/bin/python3 tools/bench_pandas.py            # all benchmarks
    /usr/bin/python3 tools/bench_pandas.py MovingMedianTime

Both sides get the same series (tools/bench_pandas.py and benchSeries in
runtime/library/statistic_bench_test.go build it alike): 100k points one minute apart from
2023-01-01T00:00:00Z, value 100 + 10 sin(i/50) + ((i*7919) mod 1000)/100, NaN at every
97th point, as the component receives it from an upstream operator (JSON parsing is not
timed on either side).

Both sides are timed alike: after a warm-up call (numba compiles its kernels there, Go's
heap and pools fill), each round times --calls calls (default 20) of each side, and the
rounds (--rounds=N, default 3) alternate between the sides so that both see the same
machine load. Each side reports the median and the fastest call of its best round, and
the speed-ups compare median with median and fastest with fastest (the mean over the
calls is printed too; on a machine shared with other work it carries the load). The Go
figures come from `go test -bench` (its median-ns/op and fastest-ns/op metrics, with
serve's collector settings, GOGC=200 and the 32 MiB heap headroom). pandas is
single-threaded; trafofn's rolling median splits long series over up to 4 cores (its
time bounds too).
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


def time_pandas(fn, s, calls):
    """The mean, median and fastest of calls timed calls, in seconds."""
    ts = []
    for _ in range(calls):
        t = time.perf_counter()
        fn(s)
        ts.append(time.perf_counter() - t)
    ts.sort()
    return sum(ts) / len(ts), ts[len(ts) // 2], ts[0]


def time_go(names, calls):
    """The mean, median and fastest of calls timed calls per benchmark, in seconds."""
    pattern = "^Benchmark(" + "|".join(names) + ")$"
    out = subprocess.run(
        ["go", "test", "./runtime/library/", "-run", "^$", "-bench", pattern, "-benchmem", "-benchtime", f"{calls}x"],
        capture_output=True, text=True, check=True,
    ).stdout
    res = {}
    line = r"^Benchmark(\w+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op\s+([\d.]+) fastest-ns/op\s+([\d.]+) median-ns/op"
    for m in re.finditer(line, out, re.M):
        mean, fastest, median = (float(m.group(i)) / 1e9 for i in (2, 3, 4))
        res[m.group(1)] = (mean, median, fastest)
    return res


def main():
    args = sys.argv[1:]
    rounds, calls = 3, 20
    while args and args[0].startswith("--"):
        key, _, val = args.pop(0).partition("=")
        if key == "--rounds":
            rounds = int(val)
        elif key == "--calls":
            calls = int(val)
        else:
            sys.exit(f"unknown flag {key}")
    benches = [(n, f) for n, f in BENCHES if not args or any(a in n for a in args)]
    s = series()
    for _, fn in benches:
        fn(s)  # warm-up (numba compiles its kernels here)
    go, pd_best = {}, {}

    def keep(best, name, r):
        # the round with the best median
        if name not in best or r[1] < best[name][1]:
            best[name] = r

    # rounds alternate between the two sides, so that both see the same load
    for _ in range(rounds):
        for name, r in time_go([n for n, _ in benches], calls).items():
            keep(go, name, r)
        for name, fn in benches:
            keep(pd_best, name, time_pandas(fn, s, calls))
    print(f"pandas {pd.__version__}, rolling apply engine {ENGINE}; {N} points; "
          f"{calls} calls a round, best of {rounds} alternating rounds")
    print(f"{'benchmark':32} {'trafofn median':>14} {'pandas median':>14} {'speed-up':>8}"
          f" {'trafofn fastest':>15} {'pandas fastest':>14} {'speed-up':>8}"
          f" {'trafofn mean':>12} {'pandas mean':>12}")
    for name, _ in benches:
        p, g = pd_best[name], go.get(name)
        if g is None:
            print(f"{name:32} {'(no result)':>14} {p[1] * 1e3:12.2f}ms")
            continue
        print(f"{name:32} {g[1] * 1e3:12.3f}ms {p[1] * 1e3:12.2f}ms {p[1] / g[1]:7.1f}x"
              f" {g[2] * 1e3:13.3f}ms {p[2] * 1e3:12.2f}ms {p[2] / g[2]:7.1f}x"
              f" {g[0] * 1e3:10.3f}ms {p[0] * 1e3:10.2f}ms")


if __name__ == "__main__":
    main()
