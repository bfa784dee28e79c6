"""A keyed counting job for the fault-injection tests: file source -> Python map -> key_by ->
Python reduce -> FileSink, with checkpoints. Arguments: input file, output dir, checkpoint dir,
and optionally a checkpoint to resume from, the per-record sleep, the state backend ("hashmap", or
"pebble-incremental": Pebble with incremental checkpoints), the parallelism and the aggregation
("reduce", a Python reduce whose state is in the backend, or "sum", the native keyed sum whose
accumulators live in the operator and are checkpointed as a chain of changed keys).

Each Python map sleeps a little per record so that the job runs long enough to be killed many
times; the output is one committed line per input line: "(word,count)".
"""
import sys
import time

from pyflink.common import Configuration, Encoder, Types, WatermarkStrategy
from pyflink.common.restart_strategy import RestartStrategies
from pyflink.datastream import ExternalizedCheckpointRetention, StreamExecutionEnvironment
from pyflink.datastream.connectors.file_system import FileSink, FileSource, StreamFormat


def slow_pair(line):
    time.sleep(float(SLEEP))
    return line.strip(), 1


def main(src, out, checkpoints, resume=None, sleep="0.0005", backend="hashmap", parallelism="2",
         aggregate="reduce"):
    global SLEEP
    SLEEP = sleep
    config = Configuration()
    if backend == "pebble-incremental":
        config.set_string("state.backend.type", "rocksdb")
        config.set_string("execution.checkpointing.incremental", "true")
    # Small bundles keep few records in flight, so barriers pass the slow map quickly (as
    # python.fn-execution.bundle.size does for checkpoint times in PyFlink).
    config.set_string("python.fn-execution.bundle.size", "20")
    if resume:
        config.set_string("execution.state-recovery.path", resume)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(int(parallelism))
    env.enable_checkpointing(150)
    env.get_checkpoint_config().set_checkpoint_storage_dir("file://" + checkpoints)
    env.get_checkpoint_config().set_externalized_checkpoint_retention(
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION)
    env.set_restart_strategy(RestartStrategies.fixed_delay_restart(1000, 0))
    source = FileSource.for_record_stream_format(StreamFormat.text_line_format(), src).build()
    lines = env.from_source(source, WatermarkStrategy.no_watermarks(), "words")
    pairs = lines.map(slow_pair, output_type=Types.TUPLE([Types.STRING(), Types.INT()]))
    if aggregate == "sum":
        counts = pairs.key_by(lambda p: p[0], key_type=Types.STRING()).sum(1)
    else:
        counts = pairs.key_by(lambda p: p[0]).reduce(lambda a, b: (a[0], a[1] + b[1]))
    counts.map(lambda p: "(%s,%d)" % p, output_type=Types.STRING()) \
        .sink_to(FileSink.for_row_format(out, Encoder.simple_string_encoder()).build())
    env.execute("keyed counting")


if __name__ == "__main__":
    main(*sys.argv[1:])
