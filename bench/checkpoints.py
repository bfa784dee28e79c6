"""Issue-5 figures, measured side by side in one run.

    PYTHONPATH=python python bench/checkpoints.py [--records 3000000] [--keys 1000000] [--runs 3]
    bench/.venv-flink/bin/python bench/checkpoints.py --engine pyflink ...   # part 1 on Flink

Prints:
  1. throughput of a stateful job (numbers -> key_by over ``--keys`` keys -> native keyed sum)
     without checkpoints and with 1 s checkpoints, on the heap and Pebble backends, interleaved,
     median of ``--runs`` (target: under 10% loss);
  2. checkpoint duration and size with 1 million keys of state: the longest completed
     checkpoint of part 1's job with 1 s checkpoints (trigger to durable metadata; the native
     sum's accumulators are checkpointed as a chain of changed keys on either backend), then one
     checkpoint of a Pebble backend holding 1M keys, full and incremental, from the Go benchmark
     (``go test -bench Snapshot1MKeys ./engine/runtime/``, when ``go`` is on the PATH);
  3. recovery: a job with a Python map and 200 ms checkpoints; a Python worker is killed and
     the time until the restarted job emits records again is measured (target: under 2 s).
"""

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

# ``--engine pyflink`` (run with bench/.venv-flink/bin/python) runs part 1 on Apache Flink
# (PyFlink, RocksDB state backend) with the same job, for the side-by-side figure.
def _engine_arg():
    for i, arg in enumerate(sys.argv):
        if arg.startswith("--engine="):
            return arg.split("=", 1)[1]
        if arg == "--engine" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
    return "pyflink_go"


ENGINE = _engine_arg()
if ENGINE == "pyflink":
    from pyflink.common import Configuration, Types, WatermarkStrategy
    from pyflink.datastream import StreamExecutionEnvironment
    from pyflink.datastream.connectors.number_seq import NumberSequenceSource
else:
    from pyflink_go.common import Configuration, Types, WatermarkStrategy
    from pyflink_go.datastream import StreamExecutionEnvironment
    from pyflink_go.datastream.connectors.number_seq import NumberSequenceSource


def make_env(backend, checkpoint_ms, parallelism=2, extra=None):
    config = Configuration()
    if ENGINE == "pyflink":
        backend = "rocksdb" if backend == "pebble" else backend
        config.set_string("execution.checkpointing.dir", "file:///tmp/pyflink-checkpoints-bench")
        # Thread mode: PyFlink's fastest mode for keyed Python functions here (process mode's
        # keyed path ran at about 1k records/s on this machine).
        config.set_string("python.execution-mode", "thread")
    config.set_string("state.backend.type", backend)
    config.set_string("restart-strategy.type", "fixed-delay")
    config.set_string("restart-strategy.fixed-delay.attempts", "10")
    config.set_string("restart-strategy.fixed-delay.delay", "0 ms")
    for k, v in (extra or {}).items():
        config.set_string(k, v)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(parallelism)
    if checkpoint_ms:
        env.enable_checkpointing(checkpoint_ms)
    return env


def stateful_job(env, records, keys):
    """numbers -> (key, 1) -> key_by -> native sum, discarding the output."""
    env.from_source(NumberSequenceSource(1, records), WatermarkStrategy.no_watermarks(), "numbers") \
        .map(lambda n: (n % keys, 1), output_type=Types.TUPLE([Types.LONG(), Types.LONG()])) \
        .key_by(lambda t: t[0], key_type=Types.LONG()) \
        .sum(1) \
        .filter(lambda t: False)\
        .print()


def backend_job(env, records, keys):
    """numbers -> (key, 1) -> key_by -> Python reduce (state in the backend), discarding the
    output."""
    env.from_source(NumberSequenceSource(1, records), WatermarkStrategy.no_watermarks(), "numbers") \
        .map(lambda n: (n % keys, 1), output_type=Types.TUPLE([Types.LONG(), Types.LONG()])) \
        .key_by(lambda t: t[0], key_type=Types.LONG()) \
        .reduce(lambda a, b: (a[0], a[1] + b[1])) \
        .filter(lambda t: False) \
        .print()


def watch(client, stop, seen):
    """Polls the job's status, keeping the longest checkpoint seen."""
    while not stop.is_set():
        st = client._job.status_report()
        cp = st.get("checkpoints") or {}
        if cp.get("last_duration_ms", 0) > seen.get("max_ms", -1) and cp.get("completed"):
            seen["max_ms"] = cp["last_duration_ms"]
            seen["size"] = cp.get("last_size", 0)
        seen["completed"] = cp.get("completed", 0)
        seen["failed"] = cp.get("failed", 0)
        time.sleep(0.05)


def run(backend, checkpoint_ms, records, keys, job=stateful_job, extra=None):
    """Returns (seconds, checkpoint stats) of one run of the stateful job."""
    env = make_env(backend, checkpoint_ms, extra=extra)
    job(env, records, keys)
    seen = {}
    if ENGINE == "pyflink":
        t0 = time.perf_counter()
        env.execute("stateful %s %s" % (backend, checkpoint_ms))
        return time.perf_counter() - t0, seen
    t0 = time.perf_counter()
    client = env.execute_async("stateful %s %s" % (backend, checkpoint_ms))
    stop = threading.Event()
    w = threading.Thread(target=watch, args=(client, stop, seen), daemon=True)
    w.start()
    client.get_job_execution_result().result()
    elapsed = time.perf_counter() - t0
    stop.set()
    w.join()
    return elapsed, seen


def worker_pids():
    me = os.getpid()
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open("/proc/%s/stat" % entry).read()
                cmd = open("/proc/%s/cmdline" % entry, "rb").read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == me and b"_worker" in cmd:
                out.append(int(entry))
    return out


def recovery(records):
    """Kills a Python worker of a running job; returns seconds until records flow again."""
    env = make_env("hashmap", 200, parallelism=1,
                   extra={"python.fn-execution.bundle.size": "100"})
    env.from_source(NumberSequenceSource(1, records), WatermarkStrategy.no_watermarks(), "numbers") \
        .map(lambda n: (time.sleep(0.0002), n)[1], output_type=Types.LONG()) \
        .key_by(lambda n: n % 1000, key_type=Types.LONG()) \
        .reduce(lambda a, b: a + b) \
        .filter(lambda n: False) \
        .print()
    client = env.execute_async("recovery")
    job = client._job

    def sink_out():
        st = job.status_report()
        return st.get("restarts", 0), sum(m.get("records_in", 0) for m in st.get("metrics") or []
                                          if "Filter" in m.get("name", "") or "Sink" in m.get("name", ""))

    deadline = time.monotonic() + 60
    while (sink_out()[1] < 1000 or not worker_pids()) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # let a few checkpoints complete
    victim = worker_pids()[0]
    t_kill = time.perf_counter()
    os.kill(victim, signal.SIGKILL)
    back = None
    while time.monotonic() < deadline + 60:
        restarts, out = sink_out()
        if restarts >= 1 and out > 0:
            back = time.perf_counter() - t_kill
            break
        time.sleep(0.01)
    client.cancel().result()
    return back


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=3_000_000)
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--engine", choices=["pyflink_go", "pyflink"], default="pyflink_go")
    ap.add_argument("--parts", default="1,2,3,4")
    a = ap.parse_args()
    parts = {int(x) for x in a.parts.split(",")}
    print("machine: %d cores, load %.1f" % (os.cpu_count(), os.getloadavg()[0]))

    for backend in ("hashmap", "pebble") if 1 in parts else ():
        plain, ckpt = [], []
        for i in range(a.runs):
            for cp, into in ((0, plain), (1000, ckpt)):
                into.append(run(backend, cp, a.records, a.keys))
        p = statistics.median(s for s, _ in plain)
        c = statistics.median(s for s, _ in ckpt)
        mid = sorted(ckpt, key=lambda r: r[0])[len(ckpt) // 2][1]
        print("1. stateful job, %d records over %d keys, %s, median of %d (interleaved):"
              % (a.records, a.keys, backend, a.runs))
        print("   no checkpoints      %.2f s  %9.0f rec/s" % (p, a.records / p))
        print("   1 s checkpoints     %.2f s  %9.0f rec/s  (%d checkpoints, longest %d ms)"
              % (c, a.records / c, mid.get("completed", 0), mid.get("max_ms", -1)))
        print("   throughput loss     %.1f%%  (target < 10%%)" % (100.0 * (1 - p / c)))
    if ENGINE == "pyflink":
        return 0

    if 4 in parts:
        backend_state(a)
    if 2 not in parts and 3 not in parts:
        return 0
    print("2. checkpoint of %d keys (longest completed checkpoint, trigger to durable):" % a.keys)
    for backend in ("hashmap", "pebble") if 2 in parts else ():
        secs, seen = run(backend, 1000, a.records, a.keys)
        print("   %-8s %6d ms  %8.1f MB  (%d completed, %d failed; job %.1f s)"
              % (backend, seen.get("max_ms", -1), seen.get("size", 0) / 1e6,
                 seen.get("completed", 0), seen.get("failed", 0), secs))

    if 2 in parts:
        pebble_snapshot_bench()
    if 3 not in parts:
        return 0
    back = recovery(2_000_000)
    print("3. worker killed -> records flow again: %s  (target < 2 s)"
          % ("%.2f s" % back if back is not None else "did not recover"))


def pebble_snapshot_bench():
    """Part 2, Pebble backend: one checkpoint of 1M keys in the backend after a fifth of them
    changed, full and incremental, from the Go benchmark (the task's snapshot and the shell's
    upload, as a job runs them)."""
    if shutil.which("go") is None:
        print("   pebble backend: go is not on the PATH, Go benchmark skipped")
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run(["go", "test", "-run", "^$", "-bench", "Snapshot1MKeys", "-benchtime", "3x",
                          "./engine/runtime/"], cwd=root, capture_output=True, text=True)
    rows = re.findall(r"BenchmarkSnapshot1MKeys/(\w+)\S*\s+\d+\s+(\d+) ns/op\s+([\d.]+) new-MB/op\s+([\d.]+) sync-ms/op",
                      out.stdout)
    if out.returncode != 0 or not rows:
        print("   pebble backend: the Go benchmark failed:\n" + out.stdout[-2000:] + out.stderr[-2000:])
        return
    for mode, ns, mb, sync in rows:
        print("   pebble backend, 1M keys, %-11s %6d ms  %6.1f new MB  %5.0f ms at the barrier%s"
              % (mode, int(ns) / 1e6, float(mb), float(sync),
                 "  (target < 1000 ms)" if mode == "incremental" else ""))


def backend_state(a):
    """Part 4: full vs incremental Pebble checkpoints of state that lives in the backend."""
    variants = [("no checkpoints", 0, {}),
                ("1 s full", 1000, {}),
                ("1 s incremental", 1000, {"execution.checkpointing.incremental": "true"})]
    results = {name: [] for name, _, _ in variants}
    for _ in range(a.runs):
        for name, cp, extra in variants:
            results[name].append(run("pebble", cp, a.records, a.keys, job=backend_job, extra=extra))
    base = statistics.median(s for s, _ in results["no checkpoints"])
    print("4. Python reduce over %d keys (state in Pebble), %d records, median of %d (interleaved):"
          % (a.keys, a.records, a.runs))
    for name, cp, _ in variants:
        runs = results[name]
        secs = statistics.median(s for s, _ in runs)
        line = "   %-16s %6.2f s  %8.0f rec/s" % (name, secs, a.records / secs)
        if cp:
            longest = [r[1].get("max_ms", -1) for r in runs]
            line += "  loss %5.1f%%  longest checkpoint %s ms  (%d completed, %d failed)" % (
                100.0 * (1 - base / secs), "/".join(str(x) for x in longest),
                statistics.median(r[1].get("completed", 0) for r in runs),
                statistics.median(r[1].get("failed", 0) for r in runs))
        print(line)


if __name__ == "__main__":
    sys.exit(main())
