"""Workload 6: a stateful job over many keys, with or without periodic checkpoints.

A number sequence feeds a Python map that turns n into (key, 1) with the key
spread over --keys keys; key_by the key, a Python reduce adds the counts (its
state lives in the state backend: --backend hashmap or rocksdb, which
pyflink-go runs on Pebble). The running counts of the keys divisible by 100
are printed as "key,count" lines: the same set on every engine whatever the
arrival order. With --checkpoint-ms the job checkpoints at that interval.

At the end the script writes one line to stderr for the harness:
    #bench checkpoints_completed=<n> checkpoint_max_ms=<ms> checkpoint_max_bytes=<b>
from the engine's own figures: pyflink-go's job status, or the "Completed
checkpoint" lines of Flink's log for this job.

Runs unchanged on PyFlink and on pyflink-go (`python -m pyflink_go stateful.py`).
"""
import argparse
import glob
import os
import re
import shutil
import sys
import tempfile
import threading
import time

from pyflink.common import Configuration, Types, WatermarkStrategy
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.datastream.connectors.number_seq import NumberSequenceSource


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1_000_000, help="number of records")
    p.add_argument("--keys", type=int, default=1_000_000, help="distinct keys")
    p.add_argument("--checkpoint-ms", type=int, default=0, help="checkpoint interval (0: none)")
    p.add_argument("--backend", default="hashmap", choices=["hashmap", "rocksdb"])
    p.add_argument("--parallelism", type=int, default=1)
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE")
    return p.parse_args()


def make_env(args, checkpoint_dir):
    config = Configuration()
    config.set_string("state.backend.type", args.backend)
    config.set_string("execution.checkpointing.dir", "file://" + checkpoint_dir)
    for entry in args.conf:
        key, _, value = entry.partition("=")
        config.set_string(key, value)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(args.parallelism)
    if args.checkpoint_ms:
        env.enable_checkpointing(args.checkpoint_ms)
    return env


def make_pair(keys):
    """Returns n -> (key, 1), the keys spread over `keys` distinct values."""
    def pair(n):
        return n * 2654435761 % keys, 1
    return pair


class PollCheckpoints:
    """Follows pyflink-go's job status while the job runs, keeping the longest
    completed checkpoint (its status reports the last one)."""

    def __init__(self, client):
        self.job = client._job
        self.seen = {"completed": 0, "max_ms": 0, "max_bytes": 0}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def sample(self):
        cp = self.job.status_report().get("checkpoints") or {}
        self.seen["completed"] = max(self.seen["completed"], cp.get("completed", 0))
        if cp.get("completed") and cp.get("last_duration_ms", 0) > self.seen["max_ms"]:
            self.seen["max_ms"] = cp["last_duration_ms"]
            self.seen["max_bytes"] = cp.get("last_size", 0)

    def loop(self):
        while not self.stop.is_set():
            self.sample()
            time.sleep(0.05)

    def finish(self):
        self.stop.set()
        self.thread.join()
        self.sample()
        return self.seen


COMPLETED = re.compile(r"Completed checkpoint (\d+) for job (\w+) \((\d+) bytes, "
                       r"checkpointDuration=(\d+) ms")


def flink_log_checkpoints(job_id):
    """The checkpoints Flink's log reports as completed for job_id."""
    import pyflink
    seen = {"completed": 0, "max_ms": 0, "max_bytes": 0}
    for path in glob.glob(os.path.join(os.path.dirname(pyflink.__file__), "log", "*.log")):
        with open(path, errors="replace") as f:
            for line in f:
                m = COMPLETED.search(line)
                if m and m.group(2) == job_id:
                    seen["completed"] += 1
                    if int(m.group(4)) > seen["max_ms"]:
                        seen["max_ms"], seen["max_bytes"] = int(m.group(4)), int(m.group(3))
    return seen


def main():
    args = parse_args()
    checkpoint_dir = tempfile.mkdtemp(prefix="bench-w6-")
    env = make_env(args, checkpoint_dir)
    pair = Types.TUPLE([Types.LONG(), Types.LONG()])
    numbers = env.from_source(NumberSequenceSource(1, args.n), WatermarkStrategy.no_watermarks(),
                              "numbers")
    counts = numbers.map(make_pair(args.keys), output_type=pair) \
        .key_by(lambda p: p[0], key_type=Types.LONG()) \
        .reduce(lambda a, b: (a[0], a[1] + b[1]))
    counts.filter(lambda c: c[0] % 100 == 0) \
        .map(lambda c: "%d,%d" % (c[0], c[1]), output_type=Types.STRING()).print()
    client = env.execute_async("w6-stateful")
    poll = PollCheckpoints(client) if hasattr(client, "_job") else None
    result = client.get_job_execution_result().result()
    if poll:
        seen = poll.finish()
    else:
        seen = flink_log_checkpoints(str(result.get_job_id()))
    sys.stdout.flush()
    shutil.rmtree(checkpoint_dir, ignore_errors=True)
    print("#bench checkpoints_completed=%d checkpoint_max_ms=%d checkpoint_max_bytes=%d"
          % (seen["completed"], seen["max_ms"], seen["max_bytes"]), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
