"""Workload 7: end-to-end latency of workload 1 at a fixed offered rate.

A number sequence feeds a paced Python map that stamps each record with its
wall-clock creation time and emits at most --rate records/s in total; the
records cross the engine (rebalance) into workload 1's map and filter, and the
kept records (one in a hundred) are printed as "n,value|latency_ms" with the
latency from creation to the sink side.

Runs unchanged on PyFlink and on pyflink-go (`python -m pyflink_go latency.py`).
"""
import argparse
import time

from pyflink.common import Configuration, Types, WatermarkStrategy
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.datastream.connectors.number_seq import NumberSequenceSource
from pyflink.datastream.functions import MapFunction


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1_000_000, help="number of records")
    p.add_argument("--rate", type=float, default=50_000, help="offered records/s (all subtasks)")
    p.add_argument("--parallelism", type=int, default=1)
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE")
    return p.parse_args()


def make_env(args):
    config = Configuration()
    for entry in args.conf:
        key, _, value = entry.partition("=")
        config.set_string(key, value)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(args.parallelism)
    return env


class Paced(MapFunction):
    """n -> (n, created_ms), sleeping so that this subtask keeps to its share of the rate."""

    def __init__(self, rate):
        self.interval = 1.0 / rate
        self.start = None
        self.count = 0

    def map(self, n):
        now = time.time()
        if self.start is None:
            self.start = now
        due = self.start + self.count * self.interval
        self.count += 1
        if due > now:
            time.sleep(due - now)
            now = due
        return n, now * 1000.0


def main():
    args = parse_args()
    env = make_env(args)
    stamped_type = Types.TUPLE([Types.LONG(), Types.DOUBLE()])
    numbers = env.from_source(NumberSequenceSource(1, args.n), WatermarkStrategy.no_watermarks(),
                              "numbers")
    stamped = numbers.map(Paced(args.rate / args.parallelism), output_type=stamped_type)
    scaled = stamped.rebalance().map(lambda e: (e[0], e[0] * 3, e[1]),
                                     output_type=Types.TUPLE([Types.LONG(), Types.LONG(),
                                                              Types.DOUBLE()]))
    kept = scaled.filter(lambda e: e[1] % 300 == 0)
    kept.map(lambda e: "%d,%d|%.3f" % (e[0], e[1], time.time() * 1000.0 - e[2]),
             output_type=Types.STRING()).print()
    env.execute("w7-latency")


if __name__ == "__main__":
    main()
