"""Issue-2 core figures, measured side by side in one run.

    python bench/engine_core.py [--records 1000000] [--repeat 3]

Prints, for the same machine and moment:
  1. records/s of a Python ``map`` over small tuples through the engine (from_collection →
     map → discarding sink, parallelism 1; the job's net runtime), next to a bare CPython loop that unpacks a
     msgpack batch, calls the same lambda and packs the results — the floor any
     out-of-process design pays; the ratio is the engine's share of that loop;
  2. native Go records/s of a map chain and a keyed reduce (``go test -bench``);
  3. wall time from ``python examples/uppercase_stream.py`` start to exit (warm).
Figures are medians of --repeat runs; the machine may be shared, so read ratios, not absolutes.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def engine_map(records):
    """Seconds for a Python map over ``records`` small tuples through the engine."""
    from pyflink_go.datastream import StreamExecutionEnvironment
    from pyflink_go.datastream.functions import SinkFunction
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    data = [(i, i * 2, 'k%d' % (i % 100)) for i in range(records)]
    ds = env.from_collection(data).map(lambda t: (t[0], t[1] + 1, t[2]))
    ds.add_sink(SinkFunction("org.apache.flink.streaming.api.functions.sink.DiscardingSink"))
    # The job's net runtime, as the engine measures it from start to finish:
    # building and packing the plan on the client is not part of the map.
    result = env.execute("python map")
    return result.get_net_runtime() / 1000.0


def bare_loop(records, batch=1000):
    """Seconds for unpack → same lambda → pack over ``records`` tuples, in batches."""
    from pyflink_go import _codec
    f = (lambda t: (t[0], t[1] + 1, t[2]))
    batches = []
    for lo in range(0, records, batch):
        batches.append(_codec.packb([(i, i * 2, 'k%d' % (i % 100)) for i in range(lo, min(records, lo + batch))]))
    start = time.perf_counter()
    unpack, pack = _codec.unpackb, _codec.packb_array  # the worker's own fastest paths
    for b in batches:
        pack([f(t) for t in unpack(b)])
    return time.perf_counter() - start


def go_bench():
    """Native records/s from the Go benchmarks of engine/stream."""
    out = subprocess.run(["go", "test", "-run", "^$", "-bench", "MapChain/p1|KeyedReduce/p1",
                          "-benchtime", "2000000x", "./engine/stream/"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        m = re.match(r"Benchmark(\S+?)-\d+\s+\d+\s+[\d.]+ ns/op\s+([\d.]+) records/s", line)
        if m:
            found[m.group(1)] = float(m.group(2))
    return found


def startup():
    """Seconds from starting ``python examples/uppercase_stream.py`` to its exit."""
    env = dict(os.environ)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "uppercase_stream.py")],
                         env=env, capture_output=True, text=True, check=True).stdout
    took = time.perf_counter() - start
    assert out.split() == ["APPLE", "BANANA", "MELON"], out
    return took


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    n = args.records
    eng, loop = [], []
    for _ in range(args.repeat):  # interleaved: A B A B ...
        eng.append(engine_map(n))
        loop.append(bare_loop(n))
    e, b = statistics.median(eng), statistics.median(loop)
    print("Python map over %d small tuples, parallelism 1 (median of %d)" % (n, args.repeat))
    print("  engine     %10.0f records/s" % (n / e))
    print("  bare loop  %10.0f records/s" % (n / b))
    print("  engine / bare loop = %.2f  (target >= 0.40)" % (b / e))
    g = go_bench()
    print("Native Go engine (go test -bench, parallelism 1)")
    for name, rate in sorted(g.items()):
        print("  %-16s %12.0f records/s" % (name, rate))
    startup()  # warm the caches
    s = statistics.median(startup() for _ in range(args.repeat))
    print("uppercase example, start to exit (warm, median): %.3f s  (target < 0.5 s)" % s)


if __name__ == "__main__":
    main()
