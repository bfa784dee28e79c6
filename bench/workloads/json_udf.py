"""Workload 2: a JSON UDF in the shape of Flink's thread-mode benchmark.

A number sequence feeds a Python map that renders a JSON record of about
--size bytes; the UDF does json.loads, lower-cases one field and json.dumps.
A filter keeps one record in a hundred (by the fixed-width id at the start
of the document), which is printed for the harness to compare.

Runs unchanged on PyFlink and on pyflink-go (`python -m pyflink_go json_udf.py`).
"""
import argparse
import json

from pyflink.common import Configuration, Types, WatermarkStrategy
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.datastream.connectors.number_seq import NumberSequenceSource

# json.dumps({"id": "%010d" ...}) puts the id's digits at [8:18].
ID_LAST_TWO = slice(16, 18)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1_000_000, help="number of records")
    p.add_argument("--size", type=int, default=100, help="approximate record size in bytes")
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


def make_record(size):
    """Returns n -> a JSON document of about `size` bytes."""
    pad = max(0, size - 60)

    def record(n):
        return json.dumps({"id": "%010d" % n, "name": "User_%d_ABC" % (n % 977),
                           "payload": ("Xy%d" % n * (pad // 3 + 1))[:pad]})
    return record


def lower_name(doc):
    """The UDF: parse, lower-case one field, serialize."""
    value = json.loads(doc)
    value["name"] = value["name"].lower()
    return json.dumps(value)


def main():
    args = parse_args()
    env = make_env(args)
    numbers = env.from_source(NumberSequenceSource(1, args.n), WatermarkStrategy.no_watermarks(),
                              "numbers")
    docs = numbers.map(make_record(args.size), output_type=Types.STRING())
    lowered = docs.map(lower_name, output_type=Types.STRING())
    lowered.filter(lambda d: d[ID_LAST_TWO] == "00").print()
    env.execute("w2-json-udf")


if __name__ == "__main__":
    main()
