"""Workload 3: Python word count, flat_map(split) -> key_by -> reduce.

A number sequence feeds a Python map that renders a line of --words words
drawn deterministically from --distinct distinct words; flat_map splits it
into (word, 1) pairs, key_by the word, reduce adds the counts (a rolling count
per record, as in streaming mode). The running counts of the words whose
number ends in "00" (one word in a hundred) are printed as "word,count" lines:
the same set on every engine whatever the arrival order.

Runs unchanged on PyFlink and on pyflink-go (`python -m pyflink_go wordcount.py`).
"""
import argparse

from pyflink.common import Configuration, Types, WatermarkStrategy
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.datastream.connectors.number_seq import NumberSequenceSource


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100_000, help="number of lines")
    p.add_argument("--words", type=int, default=10, help="words per line")
    p.add_argument("--distinct", type=int, default=10_000, help="distinct words")
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


def make_line(words, distinct):
    """Returns n -> a line of `words` words spread over `distinct` words."""
    def line(n):
        base = n * words
        return " ".join("w%d" % ((base + i) * 2654435761 % distinct) for i in range(words))
    return line


def main():
    args = parse_args()
    env = make_env(args)
    pair = Types.TUPLE([Types.STRING(), Types.LONG()])
    numbers = env.from_source(NumberSequenceSource(1, args.n), WatermarkStrategy.no_watermarks(),
                              "numbers")
    lines = numbers.map(make_line(args.words, args.distinct), output_type=Types.STRING())
    pairs = lines.flat_map(lambda l: [(w, 1) for w in l.split()], output_type=pair)
    counts = pairs.key_by(lambda p: p[0], key_type=Types.STRING()) \
                  .reduce(lambda a, b: (a[0], a[1] + b[1]))
    sample = counts.filter(lambda c: c[0].endswith("00"))
    sample.map(lambda c: "%s,%d" % (c[0], c[1]), output_type=Types.STRING()).print()
    env.execute("w3-word-count")


if __name__ == "__main__":
    main()
