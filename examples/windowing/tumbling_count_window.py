"""Tumbling count windows: sum the first field of every two elements per key.

The shape of Flink's own Python example (flink-python/pyflink/examples/datastream/windowing/
tumbling_count_window.py), on pyflink_go:

    python examples/windowing/tumbling_count_window.py                 # printed
    python examples/windowing/tumbling_count_window.py --output out/   # part files

A window fires when it holds two elements; the last 'hi' stays alone and never fires, so it
prints (hi,4), (hello,6) and (hello,12).
"""

import argparse
import sys
from typing import Iterable

from pyflink_go.common import Encoder, Types
from pyflink_go.datastream import StreamExecutionEnvironment, WindowFunction
from pyflink_go.datastream.connectors.file_system import FileSink, OutputFileConfig, \
    RollingPolicy
from pyflink_go.datastream.window import CountWindow


class SumWindowFunction(WindowFunction[tuple, tuple, str, CountWindow]):
    def apply(self, key: str, window: CountWindow, inputs: Iterable[tuple]):
        result = 0
        for i in inputs:
            result += i[0]
        return [(key, result)]


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--output', dest='output', required=False,
                        help='Output file to write results to.')
    known_args, _ = parser.parse_known_args(sys.argv[1:])
    output_path = known_args.output

    env = StreamExecutionEnvironment.get_execution_environment()
    # write all the data to one file
    env.set_parallelism(1)

    # define the source
    data_stream = env.from_collection([
        (1, 'hi'), (2, 'hello'), (3, 'hi'), (4, 'hello'), (5, 'hi'), (6, 'hello'), (6, 'hello')],
        type_info=Types.TUPLE([Types.INT(), Types.STRING()]))

    ds = data_stream.key_by(lambda x: x[1], key_type=Types.STRING()) \
        .count_window(2) \
        .apply(SumWindowFunction(), Types.TUPLE([Types.STRING(), Types.INT()]))

    # define the sink
    if output_path is not None:
        ds.sink_to(
            sink=FileSink.for_row_format(
                base_path=output_path,
                encoder=Encoder.simple_string_encoder())
            .with_output_file_config(
                OutputFileConfig.builder()
                .with_part_prefix("prefix")
                .with_part_suffix(".ext")
                .build())
            .with_rolling_policy(RollingPolicy.default_rolling_policy())
            .build()
        )
    else:
        print("Printing result to stdout. Use --output to specify output path.")
        ds.print()

    # submit for execution
    env.execute()
