#!/usr/bin/python3
"""Differential fuzzing of trafofn's components against hetida's own component code.

Run from the repository root with Debian's Python (pandas 1.5.3, numpy, scipy; pydantic 1.10,
scikit-learn and dateparser from Debian's python3-* packages for the components that import
them) and a trafofn listening on --url:

    go build -o /tmp/trafofn-df . && HETIDA_DESIGNER_KAFKA_ENABLED=false HTTP_PORT=18090 \
        TRANSFORMATIONS_DIR=/work/shared/conformance/workflows /tmp/trafofn-df &
    /usr/bin/python3 tools/difffuzz.py --url http://127.0.0.1:18090 [--only REGEX] [-n 25] [--seed 1]
    /usr/bin/python3 tools/difffuzz.py --calibrate     # the harness alone against the c-* cases

For every component file under --hetida/components/<category>/ (a JSON export whose
`content` is the code, or a .py file) the harness loads hetida's code at run time into a
fresh module (nothing of it lives in this repository), with small stand-ins for the modules
the code imports from hetida (`hdutils`, `hetdesrun.*`). It then generates inputs per
declared input type, parses each input value the way hetida's runtime does (contract §3.3),
calls `main(**inputs)`, encodes the outputs as hetida's HTTP response would (§2.5, §3.4) and
compares them with what trafofn answers for the same direct-provisioning request, using the
comparison of /work/shared/tools/conform.py (floats rel 1e-9, NaN == null). When hetida's
code raises, trafofn must answer result "failure"; a different error type is reported as a
soft difference.

--calibrate replays the c-* conformance cases through the harness alone: it shows where the
harness's input parsing or output encoding differs from the recorded reference, so that a
difference found by fuzzing can be trusted.

The project's wrapper workflows (--wrappers, conformance/workflows) are fuzzed too: there
the components' ANY inputs receive pandas objects from hetida's Pass Through operators, as
in the w-* cases, so trafofn must be started with TRANSFORMATIONS_DIR pointing at them.

Differences are printed one per input with the request that reproduces it; --out DIR also
writes each differing request and the harness's expectation as files.
"""
import argparse
import copy
import datetime as dt
import glob
import importlib.util
import io
import json
import math
import os
import random
import re
import sys
import traceback
import types
import urllib.error
import urllib.request
import uuid

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_HETIDA = "/work/shared/hetida/transformations"
DEFAULT_CASES = "/work/shared/conformance/cases"
DEFAULT_WRAPPERS = "/work/shared/conformance/workflows"
CONFORM = "/work/shared/tools/conform.py"

CATEGORIES = ["arithmetic", "basic", "basic-arithmetic", "connectors", "data-quality", "filters",
              "index-operations", "statistic", "time-length-operations", "remaining-useful-life",
              "regression", "trigonometric", "physics"]


def load_conform():
    spec = importlib.util.spec_from_file_location("conform", CONFORM)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


conform = load_conform()

# ---------------------------------------------------------------------------------------------
# stand-ins for the hetida modules component code imports


class ComponentException(Exception):
    def __init__(self, msg, error_code="", extra_information=None, **kwargs):
        super().__init__(msg)
        self.error_code = error_code
        self.extra_information = extra_information


class ComponentInputValidationException(ComponentException):
    def __init__(self, msg, error_code="", invalid_component_inputs=None, **kwargs):
        super().__init__(msg, error_code=error_code,
                         extra_information={"invalid_component_inputs": invalid_component_inputs or []})


def _parse_default_value(component_info, name):
    return component_info["inputs"][name].get("default_value")


def _install_stubs():
    hd = types.ModuleType("hdutils")
    hd.parse_default_value = _parse_default_value
    hd.ComponentException = ComponentException
    hd.ComponentInputValidationException = ComponentInputValidationException
    hd.plotly_fig_to_json_dict = lambda fig: {}
    hd.WrappedModelWithCustomObjects = object
    sys.modules["hdutils"] = hd
    for name in ["hetdesrun", "hetdesrun.component", "hetdesrun.component.registration",
                 "hetdesrun.datatypes", "hetdesrun.serialization", "hetdesrun.runtime",
                 "hetdesrun.runtime.exceptions"]:
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules["hetdesrun.component.registration"].register = lambda **kw: (lambda f: f)
    sys.modules["hetdesrun.datatypes"].DataType = types.SimpleNamespace(
        **{t: t for t in ["Integer", "Float", "String", "DataFrame", "Series", "MultiTSFrame",
                          "Boolean", "Any", "PlotlyJson"]})
    sys.modules["hetdesrun.runtime.exceptions"].ComponentException = ComponentException
    sys.modules["hetdesrun.runtime.exceptions"].ComponentInputValidationException = \
        ComponentInputValidationException


_install_stubs()


class Component:
    def __init__(self, path):
        self.path = path
        if path.endswith(".json"):
            d = json.load(open(path))
            self.code = d["content"]
            self.id, self.name, self.category = d["id"], d["name"], d["category"]
            self.inputs = [(i["name"], i["data_type"], i.get("type", "REQUIRED") == "OPTIONAL",
                            i.get("value")) for i in d["io_interface"]["inputs"]]
            self.outputs = [(o["name"], o["data_type"]) for o in d["io_interface"]["outputs"]]
        else:
            self.code = open(path).read()
        self.module = types.ModuleType("component_" + re.sub(r"\W", "_", os.path.basename(path)))
        exec(compile(self.code, "<string>", "exec"), self.module.__dict__)
        if not path.endswith(".json"):
            ci = self.module.COMPONENT_INFO
            self.id, self.name, self.category = ci["id"], ci["name"], ci["category"]
            self.inputs = []
            for k, v in ci["inputs"].items():
                if isinstance(v, dict):
                    self.inputs.append((k, v["data_type"], "default_value" in v, v.get("default_value")))
                else:
                    self.inputs.append((k, v, False, None))
            self.outputs = [(k, v["data_type"] if isinstance(v, dict) else v) for k, v in ci["outputs"].items()]

    def run(self, kwargs):
        return self.module.main(**kwargs)


class Wrapped:
    """One of the project's wrapper workflows (conformance/workflows): hetida's Pass Through
    (Series/DataFrame) operators feed a component's ANY inputs with pandas objects. Pass
    Through is the identity, so the reference is the wrapped component's main on the
    workflow's inputs, parsed by the workflow's input types."""

    def __init__(self, path, comps_by_id):
        d = json.load(open(path))
        c = d["content"]
        inner = [o for o in c["operators"] if not o["name"].startswith(("Pass Through", "Forget"))]
        if len(inner) != 1 or inner[0]["transformation_id"] not in comps_by_id:
            raise ValueError("not a single-component wrapper")
        comp = comps_by_id[inner[0]["transformation_id"]]
        self.comp, self.path, self.id = comp, path, d["id"]
        self.name, self.category = comp.name + " [wrapped]", comp.category
        self.inputs = [(i["name"], i["data_type"], i.get("type") == "OPTIONAL", i.get("value"))
                       for i in d["io_interface"]["inputs"]]
        types = dict(comp.outputs)
        self.outputs = [(o["name"], types.get(o["name"], o["data_type"])) for o in d["io_interface"]["outputs"]]

    def run(self, kwargs):
        return self.comp.run(kwargs)


# ---------------------------------------------------------------------------------------------
# input parsing as hetida's runtime does it (contract §3.3)


class ParseError(Exception):
    pass


def _decode_any(s):
    if not isinstance(s, str):
        return s
    try:
        v = json.loads(s)
    except Exception:
        return s
    if isinstance(v, str):
        try:
            return json.loads(v)
        except Exception:
            return v
    return v


def _read_pandas(data, typ, options):
    try:
        if isinstance(data, str):
            return pd.read_json(io.StringIO(data), typ=typ, **options)
        return pd.read_json(io.StringIO(json.dumps(data)), typ=typ, **options)
    except Exception:
        try:
            return pd.read_json(io.StringIO(json.dumps(data)), typ=typ, **options)
        except Exception as e:
            raise ParseError(str(e))


def parse_pandas(raw, typ):
    try:
        v = json.loads(raw) if isinstance(raw, str) else raw
    except Exception:
        raise ParseError("not JSON")
    marker = "SERIES" if typ == "series" else "DATAFRAME"
    if (isinstance(v, dict) and "__hd_wrapped_data_object__" in v and "__data__" in v
            and v["__hd_wrapped_data_object__"] == marker):
        obj = _read_pandas(v["__data__"], typ, v.get("__data_parsing_options__") or {})
        obj.attrs = copy.deepcopy(v.get("__metadata__") or {})
        return obj
    return _read_pandas(v, typ, {})


def parse_multits(raw):
    df = parse_pandas(raw, "frame")
    if len(df.columns) == 0:
        return pd.DataFrame({"timestamp": pd.Series([], dtype="datetime64[ns, UTC]"),
                             "metric": pd.Series([], dtype=str), "value": pd.Series([], dtype=float)})
    if len(df.columns) < 3:
        raise ParseError("MultiTSFrame requires at least 3 columns")
    if "timestamp" not in df.columns or "metric" not in df.columns:
        raise ParseError("missing timestamp/metric")
    if df["metric"].isna().any() or df["timestamp"].isna().any():
        raise ParseError("nulls")
    df["metric"] = df["metric"].astype("string")
    if not isinstance(df["timestamp"].dtype, pd.DatetimeTZDtype) or str(df["timestamp"].dt.tz) != "UTC":
        raise ParseError("timestamp not UTC")
    return df.sort_values("timestamp")


def parse_input(dtype, raw):
    if dtype == "INT":
        s = raw.strip()
        if not re.fullmatch(r"[+-]?\d+", s):
            raise ParseError("int")
        return int(s)
    if dtype == "FLOAT":
        try:
            return float(raw)
        except ValueError:
            raise ParseError("float")
    if dtype == "STRING":
        return raw
    if dtype == "BOOLEAN":
        s = raw.strip().lower()
        if s in ("true", "1", "yes", "on", "t", "y"):
            return True
        if s in ("false", "0", "no", "off", "f", "n"):
            return False
        raise ParseError("bool")
    if dtype == "ANY":
        return _decode_any(raw)
    if dtype == "SERIES":
        return parse_pandas(raw, "series")
    if dtype == "DATAFRAME":
        return parse_pandas(raw, "frame")
    if dtype == "MULTITSFRAME":
        return parse_multits(raw)
    raise ParseError("type " + dtype)


# ---------------------------------------------------------------------------------------------
# output encoding as hetida's HTTP response writes it (contract §2.5, §3.4)


class EncodeError(Exception):
    pass


class _NonFinite:
    """Stands for a NaN/inf float outside pandas objects: hetida's HTTP answer is a 500,
    trafofn writes null (a documented departure) or fails."""

    def __repr__(self):
        return "NaN"


NonFinite = _NonFinite()


def _mark_overflow(v):
    """to_json's 10 digits can carry a value near the float64 maximum to 1.797693135e+308,
    which Python reads back as inf: hetida's HTTP answer cannot serialise it."""
    if isinstance(v, float) and math.isinf(v):
        return NonFinite
    if isinstance(v, dict):
        return {k: _mark_overflow(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_mark_overflow(x) for x in v]
    return v


def encode(v):
    if isinstance(v, pd.Series):
        return {"__hd_wrapped_data_object__": "SERIES", "__metadata__": encode(dict(v.attrs)),
                "__data__": _mark_overflow(json.loads(v.to_json(orient="split", date_format="iso"))),
                "__data_parsing_options__": {"orient": "split"}}
    if isinstance(v, pd.DataFrame):
        try:
            d = _mark_overflow(json.loads(v.to_json(date_format="iso")))
        except ValueError as e:
            raise EncodeError(str(e))
        return {"__hd_wrapped_data_object__": "DATAFRAME", "__metadata__": encode(dict(v.attrs)),
                "__data__": d}
    if isinstance(v, np.ndarray):
        return encode(v.tolist())
    if isinstance(v, dict):
        return {str(k) if not isinstance(k, str) else k: encode(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, float):  # includes np.float64
        if math.isnan(v) or math.isinf(v):
            return NonFinite
        return float(v)
    if isinstance(v, int) and not isinstance(v, np.integer):
        return v
    if isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):
        if v is pd.NaT:
            return None
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return v.total_seconds()
    if isinstance(v, uuid.UUID):
        return str(v)
    if hasattr(v, "__dict__") and not isinstance(v, np.generic):
        return encode(dict(vars(v)))  # FastAPI's jsonable_encoder falls back to vars()
    raise EncodeError(f"Object of type {type(v).__name__} is not JSON serializable")


def run_reference(comp, raw_inputs):
    """Returns ("ok", outputs) | ("failure", error type, stage) | ("skip", why)."""
    kwargs = {}
    for name, dtype, optional, default in comp.inputs:
        if name not in raw_inputs:
            continue
        try:
            kwargs[name] = parse_input(dtype, raw_inputs[name])
        except ParseError:
            return ("skip", "input not parseable: " + name)
    try:
        res = comp.run(kwargs)
    except Exception as e:  # noqa: BLE001 - any exception of the user code is a failure
        return ("failure", type(e).__name__, "EXECUTING_COMPONENT_CODE", str(e))
    if not isinstance(res, dict):
        return ("failure", "RuntimeExecutionError", "EXECUTING_COMPONENT_CODE", "")
    out = {}
    for name, dtype in comp.outputs:
        if name not in res:
            return ("failure", "MissingOutputException", "EXECUTING_COMPONENT_CODE", "")
        if dtype == "PLOTLYJSON":
            out[name] = {}
            continue
        try:
            out[name] = encode(res[name])
        except EncodeError as e:
            return ("failure", "ValueError", "ENCODING_RESULTS_TO_JSON", str(e))
    return ("ok", out)


# ---------------------------------------------------------------------------------------------
# trafofn


def request_body(comp, raw_inputs, job):
    return {"id": comp.id,
            "wiring": {"input_wirings": [{"workflow_input_name": n, "adapter_id": "direct_provisioning",
                                          "filters": {"value": v}} for n, v in raw_inputs.items()],
                       "output_wirings": []},
            "run_pure_plot_operators": False,
            "job_id": job}


def run_trafofn(url, body):
    status, got = conform.post(url.rstrip("/") + "/api/transformations/execute",
                               json.dumps(body).encode(), 60)
    try:
        return status, json.loads(got)
    except Exception:
        return status, got


def has_nonfinite(v):
    if v is NonFinite:
        return True
    if isinstance(v, dict):
        return any(has_nonfinite(x) for x in v.values())
    if isinstance(v, list):
        return any(has_nonfinite(x) for x in v)
    return False


def compare(ref, status, act):
    """Returns (hard differences, soft differences)."""
    if status != 200 or not isinstance(act, dict):
        return [f"trafofn HTTP {status}: {str(act)[:200]}"], []
    if ref[0] == "failure":
        if act.get("result") != "failure":
            return [f"hetida fails with {ref[1]} ({ref[3][:120]!r}) at {ref[2]}, trafofn answers ok: "
                    + json.dumps(act.get("output_results_by_output_name"))[:300]], []
        err = act.get("error") or {}
        hard, soft = [], []
        if err.get("process_stage") != ref[2]:
            hard.append(f"stage: hetida {ref[2]}, trafofn {err.get('process_stage')} ({err.get('type')}: {str(err.get('message'))[:120]})")
        if err.get("type") != ref[1]:
            soft.append(f"error type: hetida {ref[1]} ({ref[3][:100]!r}), trafofn {err.get('type')} ({str(err.get('message'))[:100]!r})")
        return hard, soft
    outs = ref[1]
    if act.get("result") != "ok":
        if any(has_nonfinite(v) for v in outs.values()):
            return [], []  # deviation: NaN float output may fail
        err = act.get("error") or {}
        return [f"hetida ok, trafofn fails: {err.get('type')}: {str(err.get('message'))[:200]} -- hetida: "
                + json.dumps(outs, default=str)[:300]], []
    ao = act.get("output_results_by_output_name") or {}
    hard = []
    for name, ev in outs.items():
        if name not in ao:
            hard.append(f"output {name} missing")
            continue
        if has_nonfinite(ev):
            ev = json.loads(json.dumps(ev, default=lambda x: None))
        d = []
        conform.diff(ev, ao[name], f"{name}", d)
        hard.extend(d)
    return hard, []


# ---------------------------------------------------------------------------------------------
# input generation

T0 = pd.Timestamp("2026-01-05T00:00:00Z")


def iso(ts):
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def gen_index(rng, kind, n):
    if kind == "regular":
        return [iso(T0 + pd.Timedelta(minutes=5 * i)) for i in range(n)]
    if kind == "irregular":
        t, out = T0, []
        for _ in range(n):
            t = t + pd.Timedelta(seconds=rng.choice([1, 30, 60, 90, 300, 301, 3600, 7200]))
            out.append(iso(t))
        return out
    if kind == "duplicate":
        idx = [iso(T0 + pd.Timedelta(minutes=5 * i)) for i in range(n)]
        if n > 2:
            idx[2] = idx[1]
        return idx
    if kind == "unsorted":
        idx = [iso(T0 + pd.Timedelta(minutes=7 * i)) for i in range(n)]
        rng.shuffle(idx)
        return idx
    if kind == "naive":
        return [(T0 + pd.Timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%S") for i in range(n)]
    if kind == "offset":
        return [(T0 + pd.Timedelta(minutes=10 * i)).tz_convert("Europe/Berlin").isoformat() for i in range(n)]
    if kind == "int":
        return list(range(n))
    if kind == "intgap":
        return sorted(rng.sample(range(0, 4 * n + 1), n))
    if kind == "ms":
        return [iso(T0 + pd.Timedelta(milliseconds=250 * i)) for i in range(n)]
    if kind == "days":
        return [iso(T0 + pd.Timedelta(days=i)) for i in range(n)]
    if kind == "westoffset":  # a negative UTC offset, whole seconds
        return [(T0 + pd.Timedelta(minutes=15 * i)).tz_convert("America/New_York").isoformat() for i in range(n)]
    if kind == "naivems":
        return [(T0 + pd.Timedelta(milliseconds=1500 * i)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] for i in range(n)]
    if kind == "dateonly":
        return [(T0 + pd.Timedelta(days=i)).strftime("%Y-%m-%d") for i in range(n)]
    if kind == "floatidx":
        return [0.5 * i + 0.25 for i in range(n)]
    if kind == "stridx":
        return [f"k{i}" for i in range(n)]
    if kind == "dupint":
        return [i // 2 for i in range(n)]
    raise ValueError(kind)


def gen_values(rng, kind, n):
    if kind == "float":
        return [round(rng.uniform(-10, 10), 3) for _ in range(n)]
    if kind == "int":
        return [rng.randint(-5, 5) for _ in range(n)]
    if kind == "nan":
        return [None if rng.random() < 0.3 else round(rng.uniform(-5, 15), 2) for _ in range(n)]
    if kind == "positive":
        return [round(rng.uniform(0.1, 20), 2) for _ in range(n)]
    if kind == "zeros":
        return [0.0 if rng.random() < 0.5 else float(rng.randint(-2, 2)) for _ in range(n)]
    if kind == "allnan":
        return [None] * n
    if kind == "const":
        return [2.5] * n
    if kind == "wholefloat":
        return [float(rng.randint(0, 9)) for _ in range(n)]
    if kind == "bool":
        return [rng.random() < 0.5 for _ in range(n)]
    if kind == "boolnan":
        return [None if rng.random() < 0.3 else rng.random() < 0.5 for _ in range(n)]
    if kind == "numstr":
        return [rng.choice([1.5, "2", None, 3, "x"]) if rng.random() < 0.2 else rng.choice([1.5, "2", 4]) for _ in range(n)]
    if kind == "string":
        return [rng.choice(["a", "b", "x y"]) for _ in range(n)]
    if kind == "unit":
        return [round(rng.uniform(-1, 1), 3) for _ in range(n)]
    if kind == "huge":
        return [rng.choice([1e300, -1e300, 1e-300, -5e-324, 1.7976931348623157e308, 1e15 + 0.5, 123456789.123456789])
                for _ in range(n)]
    if kind == "bigint":
        return [rng.choice([2 ** 53 + 1, -(2 ** 62), 2 ** 63 - 1, 10 ** 15, 0]) for _ in range(n)]
    if kind == "negzero":
        return [rng.choice([-0.0, 0.0, 1.0]) for _ in range(n)]
    if kind == "tiny":
        return [round(rng.uniform(-1, 1) * 1e-9, 15) for _ in range(n)]
    if kind == "monotone":
        v, out = 0.0, []
        for _ in range(n):
            v += rng.uniform(0, 3)
            out.append(round(v, 2))
        return out
    raise ValueError(kind)


INDEX_KINDS = ["regular"] * 4 + ["irregular"] * 2 + ["duplicate", "unsorted", "naive", "int", "intgap",
                                                      "offset", "ms", "days", "westoffset", "naivems",
                                                      "dateonly", "floatidx", "stridx", "dupint"]
VALUE_KINDS = ["float"] * 3 + ["int"] * 2 + ["nan"] * 3 + ["positive", "zeros", "allnan", "const",
                                                            "wholefloat", "bool", "string", "unit",
                                                            "monotone", "boolnan", "numstr", "huge",
                                                            "bigint", "negzero", "tiny"]


def gen_series_parts(rng, n=None, ikind=None, vkind=None):
    if n is None:
        n = rng.choice([0, 1, 2, 3, 5, 6, 8, 12, 20])
    ikind = ikind or rng.choice(INDEX_KINDS)
    vkind = vkind or rng.choice(VALUE_KINDS)
    return gen_index(rng, ikind, n), gen_values(rng, vkind, n), ikind


def series_value(rng, index, values, name=None, wrapped=None, attrs=None):
    uniq = len(set(map(str, index))) == len(index)
    if wrapped is None:
        wrapped = (not uniq) or rng.random() < 0.6
    if not wrapped:
        return json.dumps({str(k): v for k, v in zip(index, values)})
    return json.dumps({"__hd_wrapped_data_object__": "SERIES", "__metadata__": attrs or {},
                       "__data__": {"name": name, "index": index, "data": values},
                       "__data_parsing_options__": {"orient": "split"}})


def gen_series(rng, **kw):
    index, values, _ = gen_series_parts(rng, **kw)
    name = rng.choice([None, None, "x", "value", "a", 0, 1, 2.5])
    return series_value(rng, index, values, name=name)


def gen_frame_cols(rng, index=None, ncols=None):
    if index is None:
        index, _, _ = gen_series_parts(rng)
    ncols = ncols if ncols is not None else rng.choice([1, 2, 2, 3])
    names = rng.sample(["a", "b", "c", "x", "value", "timestamp_x"], ncols) if ncols else []
    cols = {}
    for c in names:
        vk = rng.choice(["float", "int", "nan", "positive", "string", "wholefloat", "bool", "huge", "bigint",
                         "boolnan", "allnan"])
        cols[c] = gen_values(rng, vk, len(index))
    return index, cols


def frame_value(rng, index, cols, attrs=None):
    uniq = len(set(map(str, index))) == len(index)
    if uniq and rng.random() < 0.7:
        data = {c: {str(k): v for k, v in zip(index, vals)} for c, vals in cols.items()}
        return json.dumps({"__hd_wrapped_data_object__": "DATAFRAME", "__metadata__": attrs or {},
                           "__data__": data} if rng.random() < 0.5 else data)
    columns = list(cols)
    if rng.random() < 0.15:  # numeric column labels, which only split orient can carry
        columns = [i if rng.random() < 0.7 else i + 0.5 for i in range(len(columns))]
    data = {"columns": columns, "index": index, "data": [list(r) for r in zip(*cols.values())]}
    if not cols:
        data["data"] = []
    return json.dumps({"__hd_wrapped_data_object__": "DATAFRAME", "__metadata__": attrs or {},
                       "__data__": data, "__data_parsing_options__": {"orient": "split"}})


def gen_frame(rng):
    index, cols = gen_frame_cols(rng)
    return frame_value(rng, index, cols)


def gen_multits(rng):
    n = rng.choice([0, 1, 3, 6, 9])
    metrics = rng.choice([["a"], ["a", "b"], ["b", "a", "c"]])
    rows = []
    for i in range(n):
        m = metrics[i % len(metrics)]
        t = T0 + pd.Timedelta(minutes=5 * (i // len(metrics) if rng.random() < 0.8 else rng.randint(0, 5)))
        rows.append({"timestamp": iso(t), "metric": m,
                     "value": None if rng.random() < 0.15 else round(rng.uniform(-3, 3), 2)})
    if rng.random() < 0.3:
        rng.shuffle(rows)
    if rng.random() < 0.5:
        return json.dumps(rows)
    return json.dumps({"__hd_wrapped_data_object__": "DATAFRAME", "__metadata__": {},
                       "__data__": {k: [r[k] for r in rows] for k in ["timestamp", "metric", "value"]}})


FREQS = ["2min", "5min", "10min", "1h", "30s", "1D", "15T", "7s", "3H", "0min", "-5min", "bogus", "1W",
         "2M"]
TIMESTAMPS = ["2026-01-05T00:10:00Z", "2026-01-05T00:00:00+00:00", "2026-01-05T01:00:00Z",
              "2026-01-04T00:00:00Z", "2026-01-06T00:00:00Z", "2026-01-05T00:12:30.500Z",
              "2026-01-05T00:20:00", "not a date", ""]

STRING_POOLS = {
    "t": FREQS, "window_size": FREQS, "freq": FREQS, "frequency": FREQS, "window_frequency": FREQS,
    "max_distribution_delta": ["0s", "1min", "5min", "30s", "1h", "bogus"],
    "timedelta": ["1h", "-30min", "0", "1 days 02:00:00", "5s", "bogus", "P1D"],
    "pred_series_frequency": ["1h", "1D", "30min", "bogus", "2D"],
    "frequency_offset": ["0min", "1min", "2min30s", "0", "-1min", "bogus"],
    "expected_data_frequency": ["5min", "1min", "10min", "1h"],
    "expected_data_frequency_offset": ["0min", "1min", "2min"],
    "start": TIMESTAMPS, "stop": TIMESTAMPS,
    "interval_start_timestamp": TIMESTAMPS, "interval_end_timestamp": TIMESTAMPS,
    "column": ["a", "b", "x", "value", "nope"], "column_name": ["a", "b", "x", "value", "timestamp_x"],
    "key": ["k", "a", ""], "name": ["renamed", "", "a"], "new_name": ["merged", ""],
    "result_series_name": ["total", "", "a"], "metric_of_timeseries": ["a", "new", "1"],
    "how": ["inner", "left", "right", "outer", "cross", "bogus"],
    "interval_type": ["closed", "open", "left_closed", "right_closed", "left_open", "right_open",
                      "closed", "right_closed", "both"],
    "label_position": ["left", "right", "center", "left", "right"],
    "expression": ["x + 1", "x * 2 - a", "x > 0", "abs(x)", "x ** 2", "b - a", "a + b", "x / 0", "bogus +"],
}
INT_POOLS = {
    "n": [1, 2, 3, 4, 0, -1, 10], "periods": [1, -1, 0, 2, -3], "d": [1, 2, 3, 5, 0],
    "number_of_points": [1, 2, 3, 5, 0, -1], "decimals": [0, 1, 2, -1, 3], "b": [2, 3, 0, -2, 7],
    "min_num_datapoints_in_window": [1, 2, 3, 5], "min_num_desired_datapoints_in_window": [1, 2, 5, 10],
    "num_pred_series_future_days": [1, 2, 0, 5], "auto_freq_min_amount_datapoints": [1, 2, 5, 11],
}
FLOAT_POOLS = {
    "limit": [0.0, 1.5, -1.0, 5.0, 100.0], "frequency": [0.1, 0.3, 0.05, 0.45, 0.0],
    "level": [0.0, 1.0, -1.0, 2.5], "hysteresis": [0.0, 0.5, 1.0, -1.0], "edge_type": [0.0, 1.0, -1.0, 2.0],
    "allowed_deviation_factor": [1.0, 2.0, 0.5, 0.0], "buffer_factor": [1.0, 1.5, 0.5, 0.0],
    "mad_scaling_factor": [1.0, 2.0, 0.0], "min_band_width_factor": [0.0, 0.1, 1.0],
    "replacement_value": [0.0, -1.5, 42.0], "auto_freq_percentile": [0.5, 0.1, 0.9, 1.0, 0.0],
    "expected_data_freq_allowed_variance_factor": [1.0, 1.5, 0.5],
}


def gen_any(rng, name):
    k = rng.random()
    if k < 0.25:
        return json.dumps(rng.choice([0, 1, 2, -3, 7, 10]))
    if k < 0.5:
        return json.dumps(rng.choice([0.5, 2.0, -1.25, 3.7, 1e-3, 100.0, 0.0]))
    if k < 0.65:
        return json.dumps(gen_values(rng, rng.choice(["float", "int", "nan", "positive"]), rng.choice([0, 1, 3, 5])))
    if k < 0.85:
        index, values, _ = gen_series_parts(rng, vkind=rng.choice(["float", "int", "nan", "positive"]))
        return json.dumps({str(i): v for i, v in zip(index, values)})
    if k < 0.92:
        return rng.choice(["abc", "1h", "true", "null", "", "x"])
    return json.dumps({"a": {"0": 1, "1": 2}, "b": {"0": 3.5, "1": None}})


def gen_scalar(rng, dtype, name):
    if dtype == "INT":
        return str(rng.choice(INT_POOLS.get(name, [0, 1, 2, 3, -1, 5])))
    if dtype == "FLOAT":
        return repr(float(rng.choice(FLOAT_POOLS.get(name, [0.0, 1.5, -2.0, 0.5, 3.0]))))
    if dtype == "BOOLEAN":
        return rng.choice(["true", "false"])
    if dtype == "STRING":
        return rng.choice(STRING_POOLS.get(name, ["a", "", "x"]))
    raise ValueError(dtype)


def special_inputs(comp, rng):
    """Component-specific inputs that random ones hardly hit."""
    name = comp.name
    if name in ("Value Range Check",):
        lo = rng.choice([-1.0, 0.0, 2.0, 5.0])
        return {"value_range_dict": json.dumps({
            "r": {"min_value": lo, "max_value": lo + rng.choice([0.0, 1.0, 5.0, -1.0]),
                  "min_value_inclusive": rng.random() < 0.5, "max_value_inclusive": rng.random() < 0.5}})}
    if name in ("Select Time Intervals", "Correct Time Intervals With Fixed Values"):
        ivs = []
        for _ in range(rng.choice([0, 1, 2])):
            s = T0 + pd.Timedelta(minutes=rng.choice([0, 5, 12, 30]))
            e = s + pd.Timedelta(minutes=rng.choice([0, 5, 20, -5]))
            iv = {"start": iso(s), "end": iso(e), "start_inclusive": rng.random() < 0.5,
                  "end_inclusive": rng.random() < 0.5}
            if name.startswith("Correct"):
                iv["value_to_set"] = rng.choice([0.0, -1.0, 9.5])
            ivs.append(iv)
        return {"list_of_time_intervals": json.dumps(ivs)}
    if name == "Interpolate Timeseries":
        return {"interpolation_params": json.dumps(rng.choice([
            {"method": "time"}, {"method": "linear"}, {"method": "nearest"}, {"method": "pad"},
            {"method": "index"}, {"method": "time", "limit_direction": "both"}, {"method": "bogus"}]))}
    if name in ("Add/Update Attributes (DataFrame)", "Add/Update Attributes (MultiTSFrame)",
                "Add/Update Attributes (Series)"):
        return {"attributes": json.dumps(rng.choice([{"a": 1}, {"unit": "m", "n": [1, 2]}, {}]))}
    if name == "Merge DataFrames on Single Column":
        def side():
            n = rng.choice([0, 1, 3, 4, 6])
            keys = [rng.choice([1, 2, 3, None] if rng.random() < 0.5 else ["a", "b", "c"]) for _ in range(n)]
            cols = {"key": keys}
            for c in rng.sample(["v", "w", "x"], rng.choice([1, 2])):
                cols[c] = gen_values(rng, rng.choice(["float", "int", "nan", "string"]), n)
            return json.dumps(cols)
        return {"dataframe_left": side(), "dataframe_right": side(), "column_name": "key",
                "how": rng.choice(["inner", "left", "right", "outer", "inner", "outer"])}
    if name == "Merge timeseries deduplicating timestamps":
        n = rng.choice([0, 1, 3, 5, 8])
        ts = [iso(T0 + pd.Timedelta(minutes=rng.choice([0, 0, 1, 5, 10]))) for _ in range(n)]
        return {"timeseries_df": json.dumps({"timestamp": ts, "value": gen_values(rng, rng.choice(["float", "nan", "int"]), n)}),
                "max_distribution_delta": rng.choice(["1min", "30s", "0s", "10min", "1s"]),
                "new_name": rng.choice(["merged", "x"])}
    if name == "Gap Detection Intervals":
        n = rng.choice([3, 8, 15, 25])
        idx = [T0 + pd.Timedelta(minutes=5 * i) for i in range(n)]
        for _ in range(rng.choice([0, 1, 2, 3])):
            if len(idx) > 3:
                del idx[rng.randrange(1, len(idx) - 1)]
        out = {"timeseries": series_value(rng, [iso(t) for t in idx], gen_values(rng, "float", len(idx)), wrapped=False)}
        if rng.random() < 0.5:
            out.update({"auto_frequency_determination": "false", "expected_data_frequency": rng.choice(["5min", "10min", "4min"])})
        else:
            out.update({"auto_frequency_determination": "true",
                        "auto_freq_min_amount_datapoints": str(rng.choice([1, 2, 5, 11]))})
        if rng.random() < 0.5:
            out["interval_start_timestamp"] = iso(T0 - pd.Timedelta(minutes=rng.choice([0, 10])))
            out["interval_end_timestamp"] = iso(idx[-1] + pd.Timedelta(minutes=rng.choice([0, 7, 20])))
        return out
    if name == "Replacement Locations for Gaps":
        ivs = []
        for k in range(rng.choice([0, 1, 2])):
            st = T0 + pd.Timedelta(minutes=rng.choice([3, 12, 30]) + 40 * k)
            ivs.append({"start_time": iso(st), "end_time": iso(st + pd.Timedelta(minutes=rng.choice([5, 11, 20]))),
                        "start_inclusive": rng.random() < 0.5, "end_inclusive": rng.random() < 0.5})
        out = {"gap_intervals": json.dumps(ivs),
               "expected_data_frequency": rng.choice(["5min", "2min", "10min"]),
               "all_gap_points": rng.choice(["true", "false"])}
        if rng.random() < 0.5:
            out["expected_data_frequency_offset"] = rng.choice(["0min", "1min"])
        return out
    if name == "Add/Update Value in Dictionary":
        return {"dictionary": json.dumps(rng.choice([{}, {"k": 1}, {"a": {"b": 2}}]))}
    return {}


def gen_inputs(comp, rng):
    raw = {}
    pair_index = None
    for name, dtype, optional, default in comp.inputs:
        if optional and rng.random() < 0.4:
            continue
        if dtype == "SERIES":
            if pair_index is not None and rng.random() < 0.6:
                vk = rng.choice(VALUE_KINDS[:12])
                raw[name] = series_value(rng, pair_index, gen_values(rng, vk, len(pair_index)),
                                         name=rng.choice([None, "y", 3]),
                                         attrs=rng.choice([None, None, {"src": "y"}]))
            else:
                index, values, _ = gen_series_parts(rng)
                pair_index = index
                raw[name] = series_value(rng, index, values, name=rng.choice([None, None, "x", "a", 0, 7, 1.5]),
                                         attrs=rng.choice([None, None, {"unit": "C"}]))
        elif dtype == "DATAFRAME":
            if pair_index is not None and rng.random() < 0.5:
                index, cols = gen_frame_cols(rng, index=pair_index)
            else:
                index, cols = gen_frame_cols(rng)
                pair_index = index
            raw[name] = frame_value(rng, index, cols, attrs=rng.choice([None, None, {"unit": "C"}]))
        elif dtype == "MULTITSFRAME":
            raw[name] = gen_multits(rng)
        elif dtype == "ANY":
            raw[name] = gen_any(rng, name)
        else:
            raw[name] = gen_scalar(rng, dtype, name)
    raw.update({k: v for k, v in special_inputs(comp, rng).items() if k in {i[0] for i in comp.inputs}})
    return raw


# ---------------------------------------------------------------------------------------------


SKIP = {"Wrap Keras Model with Custom Classes"}  # needs Keras; the harness has a stand-in only


def component_files(root, only, wrappers=""):
    files = []
    for cat in CATEGORIES:
        files += sorted(glob.glob(os.path.join(root, "components", cat, "*.json")))
        files += sorted(glob.glob(os.path.join(root, "components", cat, "*.py")))
    comps = []
    for f in files:
        try:
            c = Component(f)
        except Exception as e:  # noqa: BLE001
            print(f"LOAD {os.path.basename(f)}: {type(e).__name__}: {e}", file=sys.stderr)
            continue
        if any(t == "PLOTLYJSON" for _, t in c.outputs) and all(t == "PLOTLYJSON" for _, t in c.outputs):
            continue
        if c.name in SKIP:
            continue
        comps.append(c)
    if wrappers:
        by_id = {c.id: c for c in comps}
        for f in sorted(glob.glob(os.path.join(wrappers, "*.json"))):
            try:
                comps.append(Wrapped(f, by_id))
            except (ValueError, KeyError):
                continue
    if only:
        comps = [c for c in comps if re.search(only, c.name + " " + os.path.basename(c.path), re.I)]
    return comps


def fuzz(a):
    comps = component_files(a.hetida, a.only, a.wrappers)
    total = {"inputs": 0, "hard": 0, "soft": 0, "skipped": 0}
    if a.out:
        os.makedirs(a.out, exist_ok=True)
    for comp in comps:
        rng = random.Random(f"{a.seed}:{comp.id}")
        seen, n_in, n_hard, n_soft, n_skip, n_fail = set(), 0, 0, 0, 0, 0
        for i in range(a.n * 3):
            if n_in >= a.n:
                break
            raw = gen_inputs(comp, rng)
            key = json.dumps(raw, sort_keys=True)
            if key in seen:
                continue
            seen.add(key)
            ref = run_reference(comp, raw)
            if ref[0] == "skip":
                n_skip += 1
                continue
            n_in += 1
            n_fail += ref[0] == "failure"
            job = str(uuid.UUID(int=random.Random(key).getrandbits(128), version=4))
            body = request_body(comp, raw, job)
            status, act = run_trafofn(a.url, body)
            hard, soft = compare(ref, status, act)
            if hard:
                n_hard += 1
                print(f"DIFF {comp.name} #{i}: " + "; ".join(hard[:3]))
                if a.verbose:
                    print("     inputs: " + json.dumps(raw)[:1500])
                if a.out:
                    stem = os.path.join(a.out, re.sub(r"\W+", "-", comp.name.lower()) + f"-{i}")
                    json.dump(body, open(stem + ".request.json", "w"), indent=1)
                    json.dump({"reference": ref[1] if ref[0] == "ok" else list(ref), "hard": hard},
                              open(stem + ".expected.json", "w"), indent=1, default=lambda x: None)
            elif soft:
                n_soft += 1
                if a.soft:
                    print(f"SOFT {comp.name} #{i}: " + "; ".join(soft[:2]))
                    if a.verbose:
                        print("     inputs: " + json.dumps(raw)[:1500])
        print(f"== {comp.name}: {n_in} inputs ({n_fail} failing in hetida), {n_hard} differ, "
              f"{n_soft} soft, {n_skip} skipped")
        total["inputs"] += n_in
        total["hard"] += n_hard
        total["soft"] += n_soft
        total["skipped"] += n_skip
    print(f"{len(comps)} components, {total['inputs']} inputs: {total['hard']} differ, "
          f"{total['soft']} soft differences, {total['skipped']} skipped")
    return 0 if total["hard"] == 0 else 1


def calibrate(a):
    comps = {c.id: c for c in component_files(a.hetida, "", a.wrappers)}
    ok = bad = 0
    for case in sorted(os.listdir(a.cases)):
        if not case.startswith(("c-", "w-")) or (a.only and not re.search(a.only, case)):
            continue
        d = os.path.join(a.cases, case)
        req = json.load(open(os.path.join(d, "request.json")))
        meta = json.load(open(os.path.join(d, "meta.json")))
        comp = comps.get(str(req.get("id")))
        if comp is None or meta.get("http_status") != 200:
            continue
        try:
            exp = json.load(open(os.path.join(d, "expected.json")))
        except Exception:
            continue
        wiring = req.get("wiring") or {}
        raw = {w["workflow_input_name"]: (w.get("filters") or {}).get("value")
               for w in wiring.get("input_wirings", []) if not w.get("use_default_value")}
        if any(v is None for v in raw.values()):
            continue
        ref = run_reference(comp, raw)
        if ref[0] == "skip":
            continue
        hard, _ = compare(ref, 200, exp)
        if hard:
            bad += 1
            print(f"CAL {case}: " + "; ".join(hard[:2]))
        else:
            ok += 1
    print(f"calibration: {ok} agree, {bad} differ")
    return 0 if bad == 0 else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:18090")
    ap.add_argument("--hetida", default=DEFAULT_HETIDA)
    ap.add_argument("--cases", default=DEFAULT_CASES)
    ap.add_argument("--wrappers", default=DEFAULT_WRAPPERS,
                    help="folder of wrapper workflows (trafofn must load it: TRANSFORMATIONS_DIR); '' for none")
    ap.add_argument("--only", default="")
    ap.add_argument("-n", type=int, default=25, help="inputs per component")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--out", default="")
    ap.add_argument("--soft", action="store_true", help="print soft differences (error types)")
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    import warnings
    warnings.filterwarnings("ignore")
    np.seterr(all="ignore")
    sys.exit(calibrate(a) if a.calibrate else fuzz(a))


if __name__ == "__main__":
    main()
