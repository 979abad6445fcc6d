#!/usr/bin/python3
"""Times trafofn's Data Quality / Time length components against the same pandas steps.

Run from the repository root with Debian's Python (stdlib + pandas only):

    /usr/bin/python3 tools/bench_pandas_dq.py                 # all benchmarks
    /usr/bin/python3 tools/bench_pandas_dq.py GapDetection

Both sides get the same series (this script and dqBenchSeries in
runtime/library/data_quality_bench_test.go build it alike): 100k points from
2023-01-01T00:00:00Z, point i at minute i + 5*(i // 45) (a six-minute gap after every 45
points), value 100 + 10 sin(i/50) + ((i*7919) mod 1000)/100, NaN at every 97th point, as
the component receives it from an upstream operator (JSON parsing is not timed on either
side). Both sides are measured alike, in three rounds that time trafofn and then pandas so
that both see the machine in the same state, and the best round of each counts: the
wall-clock mean per call over about a second of calls (`go test -bench` for trafofn, with
trafofn serve's GOGC=200; the pandas steps the component performs, written out below —
hetida's validation layer is left out, which only favours pandas), and the CPU time per
call (the Go process' user+system time over a fixed number of calls, garbage collection
and parallel parts included; Python's process_time). On a machine shared with other work
the wall-clock figures include waiting for a CPU, the CPU figures do not.
"""
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

N = 100_000


def series():
    i = np.arange(N)
    v = 100 + 10 * np.sin(i / 50) + ((i * 7919) % 1000) / 100
    v[i % 97 == 0] = np.nan
    minutes = i + 5 * (i // 45)
    idx = pd.Timestamp("2023-01-01", tz="UTC") + pd.to_timedelta(minutes, unit="min")
    return pd.Series(v, index=idx)


def gap_detection(s):
    # range = first..last point (no bounds given), bounds already in the index
    start, end = s.index[0], s.index[-1]
    clipped = s[(s.index >= start) & (s.index <= end)].sort_index()
    steps = clipped.index.to_series().diff()
    freq = steps.dropna().quantile(0.5, interpolation="nearest")
    # each step in seconds over the expected frequency, as a Python float per row
    ratio = [pd.Timedelta(d).total_seconds() / freq.total_seconds() if pd.notna(d) else None
             for d in steps.to_numpy()]
    marks = pd.Series(ratio, index=clipped.index, dtype=float) > 1.0
    ends = clipped.index[marks.to_numpy()]
    pos = np.flatnonzero(marks.to_numpy())
    starts = clipped.index[pos - 1]
    gaps = pd.DataFrame({"start_time": starts, "end_time": ends,
                         "start_inclusive": False, "end_inclusive": False})
    # merging: four group-by passes over consecutive rows (equal starts, equal ends,
    # overlaps, touching inclusive intervals)
    gaps = gaps.sort_values(["start_time", "end_time"])
    passes = [
        (lambda g: g["start_time"] != g["start_time"].shift(), "any", "last"),
        (lambda g: g["end_time"] != g["end_time"].shift(), "first", "any"),
        (lambda g: g["start_time"] >= g["end_time"].shift(), "first", "last"),
        (lambda g: (g["start_time"] > g["end_time"].shift()) | ~(g["start_inclusive"] & g["end_inclusive"]), "first", "last"),
    ]
    for key, si, ei in passes:
        gaps = gaps.groupby(key(gaps).cumsum()).agg(
            {"start_time": "first", "end_time": "last", "start_inclusive": si, "end_inclusive": ei})
    # values around the gaps: reindex with ffill at the (exclusive) starts, bfill at ends
    left = clipped.reindex(clipped.index.join(pd.Index(gaps["start_time"]), how="outer", sort=True),
                           method="ffill")[gaps["start_time"].to_numpy()].to_numpy()
    right = clipped.reindex(clipped.index.join(pd.Index(gaps["end_time"]), how="outer", sort=True),
                            method="bfill")[gaps["end_time"].to_numpy()].to_numpy()
    info = pd.DataFrame({
        "start_time": gaps["start_time"].to_numpy(), "end_time": gaps["end_time"].to_numpy(),
        "start_inclusive": gaps["start_inclusive"].to_numpy(), "end_inclusive": gaps["end_inclusive"].to_numpy(),
        "gap_size_in_seconds": (gaps["end_time"] - gaps["start_time"]).dt.total_seconds().to_numpy(),
        "value_to_left": left, "value_to_right": right,
        "mean_left_right": np.mean((left, right), axis=0),
    })
    return info, pd.tseries.frequencies.to_offset(freq).freqstr


def resample_mean(s):
    d = s.copy()
    d.index = pd.to_datetime(d.index)
    assert s.index.is_monotonic_increasing
    return d.resample("15min").mean()


def interpolate_timeseries(s, params={"method": "time"}):
    flt = FILTERS.get(id(s))
    if flt is None:  # the filter is an input: built once per series, not timed
        flt = FILTERS[id(s)] = pd.Series(np.arange(len(s)) % 10 == 3, index=s.index)
    union = s.index.union(flt.index)  # sort=True in pandas 2.1, the default sort here
    marked = pd.Series(False, index=union)
    marked.loc[flt[flt].index] = True
    prepared = pd.Series(np.nan, index=union)
    prepared[s.index] = s
    prepared[marked] = np.nan
    # "time" keeps the DatetimeIndex; the values go through a fresh series on its values
    work = pd.Series(prepared.values, index=prepared.index.values)
    out = pd.Series(work.interpolate(**params).values, index=union)
    return out, out[marked]


FILTERS = {}


BENCHES = [
    ("GapDetectionIntervals100k", gap_detection),
    ("ResampleDatetimeIndexUsingMean100k", resample_mean),
    ("InterpolateTimeseries100k", interpolate_timeseries),
]


def time_pandas(fn, s, seconds=1.0):
    # as `go test -bench` measures: the mean per call over about a second of calls; also
    # the CPU time per call, which waiting for a busy machine does not inflate
    fn(s)
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while True:
        fn(s)
        n += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= seconds:
            break
    return elapsed / n, (time.process_time() - c0) / n


def build_go(tmp):
    exe = os.path.join(tmp, "library.test")
    subprocess.run(["go", "test", "-c", "-o", exe, "./runtime/library/"], check=True)
    return exe


def time_go(exe, name, calls=None):
    # wall: go test -bench's ns/op; CPU: the process' user+system time over a fixed number
    # of calls (GC and any parallel work included)
    bt = f"{calls}x" if calls else "1s"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [exe, "-test.run", "^$", "-test.bench", "^Benchmark" + name + "$", "-test.benchtime", bt],
        capture_output=True, text=True, check=True, cwd="runtime/library",
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    m = re.search(r"^Benchmark\w+?(?:-\d+)?\s+(\d+)\s+([\d.]+) ns/op", out, re.M)
    if not m:
        return None, None
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return float(m.group(2)) / 1e9, cpu / (int(m.group(1)) + 1)


def main():
    only = sys.argv[1:]
    benches = [(n, f) for n, f in BENCHES if not only or any(o in n for o in only)]
    s = series()
    best = {}
    with tempfile.TemporaryDirectory() as tmp:
        exe = build_go(tmp)
        # three rounds, each timing trafofn and then pandas, so that both sides see the
        # machine in the same state; the best round of each side counts
        for _ in range(3):
            for name, fn in benches:
                g, _ = time_go(exe, name)
                _, gc = time_go(exe, name, max(5, int(1 / g))) if g else (None, None)
                p, pc = time_pandas(fn, s)
                b = best.setdefault(name, [float("inf")] * 4)
                for k, v in enumerate((g, gc, p, pc)):
                    if v is not None:
                        b[k] = min(b[k], v)
    print(f"pandas {pd.__version__}; {N} points; best of 3 rounds (wall-clock / CPU time per call)")
    print(f"{'benchmark':36} {'trafofn':>19} {'pandas':>19} {'speed-up':>13}")
    for name, _ in benches:
        g, gc, p, pc = best[name]
        print(f"{name:36} {g * 1e3:8.3f} /{gc * 1e3:7.3f}ms {p * 1e3:8.2f} /{pc * 1e3:7.2f}ms {p / g:5.1f}x /{pc / gc:5.1f}x")


if __name__ == "__main__":
    main()
