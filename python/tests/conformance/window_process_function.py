# A tumbling event-time window with a ProcessWindowFunction at parallelism 1: each window's key,
# bounds, element count and sum; the end of the input fires the windows still open.
from typing import Iterable

from pyflink.common import Time, Types, WatermarkStrategy
from pyflink.common.watermark_strategy import TimestampAssigner
from pyflink.datastream import ProcessWindowFunction, StreamExecutionEnvironment
from pyflink.datastream.window import TimeWindow, TumblingEventTimeWindows


class Ts(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value[1]


class Summary(ProcessWindowFunction):
    def process(self, key, context: ProcessWindowFunction.Context[TimeWindow], elements: Iterable[tuple]):
        values = [e[2] for e in elements]
        yield key, context.window().start, context.window().end, len(values), sum(values)


env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)
data = [("a", 1, 10), ("a", 4, 20), ("a", 12, 5), ("b", 21, 7), ("b", 25, 1), ("b", 33, 100)]
t = Types.TUPLE([Types.STRING(), Types.LONG(), Types.INT()])
env.from_collection(data, type_info=t) \
    .assign_timestamps_and_watermarks(
        WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(Ts())) \
    .key_by(lambda x: x[0], key_type=Types.STRING()) \
    .window(TumblingEventTimeWindows.of(Time.milliseconds(10))) \
    .process(Summary(), Types.TUPLE([Types.STRING(), Types.LONG(), Types.LONG(), Types.INT(), Types.INT()])) \
    .print()
env.execute("tumbling process window")
