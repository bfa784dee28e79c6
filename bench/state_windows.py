"""Issue-4 figures, measured side by side in one run.

    python bench/state_windows.py [--records 300000] [--keys 1000]

Prints:
  1. native keyed 10 s tumbling event-time count, heap vs Pebble (``go test -bench WindowJob``);
  2. the window operator alone with the native field reduce (``go test -bench FieldReduce``);
  3. the same windowed count written as a Python ``reduce`` lambda,
     ``lambda a, b: (a[0], a[1] + b[1], max(a[2], b[2]))``, twice: run natively (the engine
     recognizes the per-field expressions) and forced into Python
     (``PYFLINK_GO_NATIVE_WINDOW_REDUCE=0``), alternating, records/s from the jobs' net
     runtime; then the same lambda in a window_all over count windows, where no other stage
     runs Python;
  4. a Python KeyedProcessFunction that reads and updates a ValueState per record:
     records/s and worker calls per record (state travels with the batches, so each
     call serves a whole batch: the target is far below one round trip per record).
"""

import argparse
import os
import re
import subprocess
import time

import msgpack

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def native_windows(records):
    """records/s of the Go benchmarks: the keyed window count job (BenchmarkWindowJob) and the
    window operator with the native field reduce over encoded tuples (BenchmarkFieldReduce)."""
    out = subprocess.run(["go", "test", "-run", "^$", "-bench", "WindowJob/.*/p1|FieldReduce",
                          "-benchtime", "%dx" % records, "./engine/window/"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        m = re.match(r"Benchmark(WindowJob|FieldReduce)/(\S+?)-\d+\s+\d+\s+[\d.]+ ns/op\s+"
                     r"([\d.]+) records/s", line)
        if m:
            found[(m.group(1), m.group(2))] = float(m.group(3))
    return found


def run_job(env, name):
    """Runs env's job to the end; returns (seconds of net runtime, status metrics)."""
    from pyflink_go import _codec, _engine_api
    from pyflink_go.datastream._plan import build_plan
    plan = build_plan(env, env._transformations)
    plan["job_name"] = name
    env._transformations.clear()
    job = _engine_api.submit(_codec.packb(plan))
    try:
        while True:
            envelope = msgpack.unpackb(_engine_api.poll(job, 200), raw=False)
            if envelope["state"] in ("FINISHED", "FAILED", "CANCELED"):
                break
        if envelope["state"] != "FINISHED":
            raise RuntimeError("%s: %s" % (name, envelope.get("error")))
        status = msgpack.unpackb(_engine_api.status(job), raw=False)
        return envelope["result"]["net_runtime_ms"] / 1000.0, status["metrics"]
    finally:
        _engine_api.release(job)


def discard(ds):
    from pyflink_go.datastream.functions import SinkFunction
    ds.add_sink(SinkFunction("org.apache.flink.streaming.api.functions.sink.DiscardingSink"))


def python_window(records, keys, native):
    from pyflink_go.common import Duration, Time, Types, WatermarkStrategy
    from pyflink_go.common.watermark_strategy import TimestampAssigner
    from pyflink_go.datastream import StreamExecutionEnvironment
    from pyflink_go.datastream.window import TumblingEventTimeWindows

    class Ts(TimestampAssigner):
        def extract_timestamp(self, value, record_timestamp):
            return value[2]

    os.environ["PYFLINK_GO_NATIVE_WINDOW_REDUCE"] = "1" if native else "0"
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    data = [("k%d" % (i % keys), 1, i) for i in range(records)]  # one record per ms
    ds = env.from_collection(data, type_info=Types.TUPLE([Types.STRING(), Types.INT(), Types.LONG()]))
    ds = ds.assign_timestamps_and_watermarks(
        WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(0)).with_timestamp_assigner(Ts()))
    counts = ds.key_by(lambda r: r[0]).window(TumblingEventTimeWindows.of(Time.seconds(10))) \
        .reduce(lambda a, b: (a[0], a[1] + b[1], max(a[2], b[2])))
    discard(counts)
    secs, _ = run_job(env, "native window reduce" if native else "python window reduce")
    return records / secs


def python_window_all(records, native):
    """records/s of a window_all over count windows of 100 with the same reduce lambda: no
    other stage runs Python, so this is the reduce's own cost."""
    from pyflink_go.common import Types
    from pyflink_go.datastream import StreamExecutionEnvironment
    from pyflink_go.datastream.window import CountTumblingWindowAssigner

    os.environ["PYFLINK_GO_NATIVE_WINDOW_REDUCE"] = "1" if native else "0"
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    data = [("k%d" % (i % 1000), 1, i) for i in range(records)]
    ds = env.from_collection(data, type_info=Types.TUPLE([Types.STRING(), Types.INT(), Types.LONG()]))
    discard(ds.window_all(CountTumblingWindowAssigner.of(100))
            .reduce(lambda a, b: (a[0], a[1] + b[1], max(a[2], b[2]))))
    secs, _ = run_job(env, "window_all %s reduce" % ("native" if native else "python"))
    return records / secs


def python_state(records, keys):
    from pyflink_go.common import Types
    from pyflink_go.datastream import KeyedProcessFunction, StreamExecutionEnvironment
    from pyflink_go.datastream.state import ValueStateDescriptor

    class Count(KeyedProcessFunction):
        def open(self, runtime_context):
            self.count = runtime_context.get_state(ValueStateDescriptor("count", Types.LONG()))

        def process_element(self, value, ctx):
            n = (self.count.value() or 0) + 1
            self.count.update(n)
            yield value[0], n

    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    data = [("k%d" % (i % keys), i) for i in range(records)]
    ds = env.from_collection(data, type_info=Types.TUPLE([Types.STRING(), Types.INT()]))
    discard(ds.key_by(lambda r: r[0]).process(Count()))
    secs, metrics = run_job(env, "python keyed state")
    calls = sum(m["calls"] for m in metrics if "PROCESS" in m["name"].upper())
    return records / secs, calls / records


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=300_000)
    ap.add_argument("--keys", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    os.environ.setdefault("PYFLINK_GO_PRESTART", "0")
    native = native_windows(max(args.records, 1_000_000))
    print("Native keyed 10 s tumbling event-time count (Go, parallelism 1)")
    for (bench, name), rate in sorted(native.items()):
        if bench == "WindowJob":
            print("  %-14s %12.0f records/s" % (name, rate))
    print("Window operator alone with the native field reduce of the lambda below, encoded tuples")
    for (bench, name), rate in sorted(native.items()):
        if bench == "FieldReduce":
            print("  %-14s %12.0f records/s" % (name, rate))
    # The two runs alternate, so both see the same machine; the median of each is reported.
    for title, run in (
            ("Same windowed count as a Python job, reduce lambda (a[0], a[1] + b[1], "
             "max(a[2], b[2])); key_by and timestamps stay in Python",
             lambda native_reduce: python_window(args.records, args.keys, native_reduce)),
            ("The same reduce lambda in a window_all over count windows of 100 (no other "
             "Python stage)", lambda native_reduce: python_window_all(args.records, native_reduce))):
        rates = {True: [], False: []}
        for _ in range(args.rounds):
            for native_reduce in (True, False):
                rates[native_reduce].append(run(native_reduce))
        median = {k: sorted(v)[len(v) // 2] for k, v in rates.items()}
        print("%s (median of %d alternating runs, %d records)" % (title, args.rounds, args.records))
        for native_reduce in (True, False):
            print("  %-22s %12.0f records/s  (runs: %s)"
                  % ("run natively" if native_reduce else "in Python", median[native_reduce],
                     ", ".join("%.0f" % r for r in rates[native_reduce])))
        print("  recognized reduce vs Python reduce: %.2fx" % (median[True] / median[False]))
    rate, per_record = python_state(args.records, args.keys)
    print("Python KeyedProcessFunction with a ValueState: %12.0f records/s" % rate)
    print("  worker round trips per record: %.5f  (target: far below 1)" % per_record)


if __name__ == "__main__":
    main()
