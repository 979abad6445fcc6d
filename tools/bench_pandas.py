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

Both sides are timed alike: after a warm-up (numba compiles its kernels there, Go's heap
and pools fill), each round (--rounds=N, default 3) times --calls calls (default 20) of
one side right after the other, so that both see the same machine load. The speed-ups
compare the median call with the median call and the fastest with the fastest, per
round; printed are the medians over the rounds and the range of the rounds' speed-ups
(the speed of this shared machine drifts by ±25 % over minutes, which a comparison of
each side's best round, taken at different moments, would not cancel). The Go
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
    per = {name: [] for name, _ in benches}  # per round: (go, pandas), each (mean, median, fastest)
    # each round times one side right after the other, so that both see the same load; the
    # speed-up is taken per round and the median over the rounds reported (a spell of the
    # machine's other work slows both sides of a round, not one side of the comparison)
    for _ in range(rounds):
        go = time_go([n for n, _ in benches], calls)
        for name, fn in benches:
            if name in go:
                per[name].append((go[name], time_pandas(fn, s, calls)))
    print(f"pandas {pd.__version__}, rolling apply engine {ENGINE}; {N} points; "
          f"{calls} calls a side in each of {rounds} rounds; medians over the rounds")
    print(f"{'benchmark':32} {'trafofn':>10} {'pandas':>10} {'speed-up':>9} {'rounds':>16}"
          f" {'trafofn':>10} {'pandas':>10} {'speed-up':>9}")
    print(f"{'':32} {'median call':^30} {'(min–max)':>16} {'fastest call':^31}")
    for name, _ in benches:
        rs = per[name]
        if not rs:
            print(f"{name:32} {'(no result)':>10}")
            continue
        ups = [p[1] / g[1] for g, p in rs]
        fast = [p[2] / g[2] for g, p in rs]
        print(f"{name:32} {med([g[1] for g, _ in rs]) * 1e3:8.3f}ms {med([p[1] for _, p in rs]) * 1e3:8.2f}ms"
              f" {med(ups):8.1f}x {f'{min(ups):.1f}–{max(ups):.1f}x':>16}"
              f" {med([g[2] for g, _ in rs]) * 1e3:8.3f}ms {med([p[2] for _, p in rs]) * 1e3:8.2f}ms {med(fast):8.1f}x")


def med(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


if __name__ == "__main__":
    main()
