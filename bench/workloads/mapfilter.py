"""Workload 1: Python map + filter over small tuples.

A number sequence feeds a Python map that builds small tuples
(key, value, tag); a second map scales the value and a filter keeps one
record in a hundred. With --typed every Python operator declares its output
type (Flink's typed coders); without it records are pickled. The kept records
are printed as "key,value,tag" lines, which the harness sorts and compares.

Runs unchanged on PyFlink (`python mapfilter.py`) and on pyflink-go
(`python -m pyflink_go mapfilter.py`).
"""
import argparse

from pyflink.common import Configuration, Types, WatermarkStrategy
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.datastream.connectors.number_seq import NumberSequenceSource


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=5_000_000, help="number of input records")
    p.add_argument("--parallelism", type=int, default=1)
    p.add_argument("--typed", action="store_true", help="declare output types")
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                   help="Flink configuration entry (repeatable)")
    return p.parse_args()


def make_env(args):
    config = Configuration()
    for entry in args.conf:
        key, _, value = entry.partition("=")
        config.set_string(key, value)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(args.parallelism)
    return env


def main():
    args = parse_args()
    env = make_env(args)
    row = Types.TUPLE([Types.LONG(), Types.LONG(), Types.STRING()]) if args.typed else None
    numbers = env.from_source(NumberSequenceSource(1, args.n), WatermarkStrategy.no_watermarks(),
                              "numbers")
    events = numbers.map(lambda n: (n % 1000, n, "t%d" % (n % 7)), output_type=row)
    scaled = events.map(lambda e: (e[0], e[1] * 3, e[2]), output_type=row)
    kept = scaled.filter(lambda e: e[1] % 300 == 0)
    kept.map(lambda e: "%d,%d,%s" % e, output_type=Types.STRING()).print()
    env.execute("w1-map-filter")


if __name__ == "__main__":
    main()
