"""Per-record cost of the worker's out_type conversion, two versions side by side.

    PYTHONPATH=python python3 bench/convert_micro.py [--base REV] [--records 200000] [--repeat 5]

Loads python/pyflink_go/_worker/convert.py as it is in the working tree and as
it was at git revision --base (default HEAD), and times both, interleaved, on
the batches the workloads convert: w1's (LONG, LONG, STRING) tuples, STRING
results, a ROW and a tuple with a FLOAT field. Checks first that both versions
return equal values (and the same errors) over many edge cases. Prints the median ns per record and the ratio base / new.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
import types

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATH = "python/pyflink_go/_worker/convert.py"


def load(source, name):
    mod = types.ModuleType(name)
    mod.__file__ = name
    exec(compile(source, name, "exec"), mod.__dict__)
    return mod


def cases(n):
    LONG, STRING = {"t": "LONG"}, {"t": "STRING"}
    tup = {"t": "TUPLE", "fields": [LONG, LONG, STRING]}
    return [
        ("w1 TUPLE(LONG, LONG, STRING)", tup, [(i % 1000, i * 3, "t%d" % (i % 7)) for i in range(n)]),
        ("STRING", STRING, ["%d,%d" % (i, i * 3) for i in range(n)]),
        ("ROW(INT, DOUBLE)", {"t": "ROW_NAMED", "names": ["a", "b"], "fields": [{"t": "INT"}, {"t": "DOUBLE"}]},
         [(i, i * 0.5) for i in range(n)]),
        ("TUPLE(STRING, FLOAT)", {"t": "TUPLE", "fields": [STRING, {"t": "FLOAT"}]},
         [("k%d" % (i % 100), i * 0.25) for i in range(n)]),
        ("TUPLE(LONG, TUPLE(STRING, BOOLEAN))", {"t": "TUPLE", "fields": [LONG, {"t": "TUPLE", "fields": [STRING, {"t": "BOOLEAN"}]}]},
         [(i, ("x", i % 2 == 0)) for i in range(n)]),
    ]


def edge_values():
    """Values of every shape the converters meet, good and bad."""
    import datetime
    import decimal

    class Int(int):
        pass

    class Str(str):
        pass
    scalars = [None, 0, 1, -1, 2 ** 31, 2 ** 63, -2 ** 63 - 1, True, Int(5), 1.5, float("inf"),
               3.4e39, "s", Str("t"), b"b", decimal.Decimal("1.5"), datetime.date(2020, 1, 2),
               datetime.datetime(2020, 1, 2, 3), datetime.time(1, 2), [1], {"a": 1}]
    out = list(scalars)
    out += [(a, b) for a in scalars[:12] for b in scalars[10:]]
    out += [[1, "x"], (1, "x", 2), (1, (2, "y")), (1, [2, "y"]), (1, (2, None)), ()]
    return out


def edge_types():
    names = ["STRING", "CHAR", "BOOLEAN", "BYTE", "SHORT", "INT", "LONG", "BIG_INT", "FLOAT",
             "DOUBLE", "BIG_DEC", "SQL_DATE", "SQL_TIME", "SQL_TIMESTAMP", "PICKLED"]
    out = [{"t": n} for n in names]
    for a in names:
        for b in ("LONG", "STRING", "FLOAT", "DOUBLE", "PICKLED"):
            out.append({"t": "TUPLE", "fields": [{"t": a}, {"t": b}]})
            out.append({"t": "ROW", "fields": [{"t": a}, {"t": b}]})
    nested = {"t": "TUPLE", "fields": [{"t": "LONG"}, {"t": "STRING"}]}
    out += [{"t": "TUPLE", "fields": [{"t": "INT"}, nested]},
            {"t": "TUPLE", "fields": [{"t": "INT"}, {"t": "ROW", "fields": [{"t": "INT"}]}]},
            {"t": "ROW_NAMED", "names": ["a", "b"], "fields": [{"t": "INT"}, nested]},
            {"t": "TUPLE", "fields": [{"t": "LIST", "elem": {"t": "INT"}}, {"t": "STRING"}]},
            {"t": "TUPLE", "fields": []}, {"t": "ROW", "fields": []}]
    return out


def outcome(conv, v):
    try:
        r = conv(v)
    except TypeError as e:
        return "TypeError: " + str(e)
    return repr((r, type(r).__name__, [type(x).__name__ for x in r] if isinstance(r, tuple) else None,
                 getattr(r, "_values", None), getattr(r, "_fields", None)))


def check_same(base, new):
    """Both versions give the same value (and value types) or the same error for every case."""
    n = 0
    for t in edge_types():
        cb, cn = base.converter(t, "op"), new.converter(t, "op")
        if cb is None or cn is None:
            assert cb is None and cn is None, t
            continue
        for v in edge_values():
            ob, on = outcome(cb, v), outcome(cn, v)
            assert ob == on, (t, v, ob, on)
            n += 1
    return n


def time_batch(conv, values):
    t = time.perf_counter()
    [conv(v) for v in values]   # the shape of ops.build_stage's loop
    return time.perf_counter() - t


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", default="HEAD", help="git revision of the version to compare with")
    p.add_argument("--records", type=int, default=200_000)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    base_src = subprocess.run(["git", "-C", ROOT, "show", f"{args.base}:{PATH}"], check=True,
                              capture_output=True, text=True).stdout
    with open(os.path.join(ROOT, PATH)) as f:
        new_src = f.read()
    base, new = load(base_src, "convert_base"), load(new_src, "convert_new")
    print(f"same results or errors in {check_same(base, new):,} type/value cases")
    print(f"load average {' '.join(open('/proc/loadavg').read().split()[:3])}; "
          f"{args.records:,} records, median of {args.repeat}")
    print(f"{'case':<38} {'base ns/rec':>12} {'new ns/rec':>12} {'base/new':>9}")
    for label, t, values in cases(args.records):
        cb, cn = base.converter(t, "op"), new.converter(t, "op")
        got_b, got_n = [cb(v) for v in values[:1000]], [cn(v) for v in values[:1000]]
        assert got_b == got_n and [type(x) for x in got_b] == [type(x) for x in got_n], label
        tb, tn = [], []
        for _ in range(args.repeat):
            tb.append(time_batch(cb, values))
            tn.append(time_batch(cn, values))
        b, nw = statistics.median(tb), statistics.median(tn)
        print(f"{label:<38} {b / len(values) * 1e9:12.0f} {nw / len(values) * 1e9:12.0f} {b / nw:8.2f}×")


if __name__ == "__main__":
    sys.exit(main())
