# ProcessWindowFunction.clear(context) runs when a window is cleaned up (the watermark passes its
# end plus the allowed lateness): here it drops the window's own state and notes the window in
# the key's global state, which the key's later windows report.
from typing import Iterable

from pyflink.common import Time, Types, WatermarkStrategy
from pyflink.common.watermark_strategy import TimestampAssigner
from pyflink.datastream import ProcessWindowFunction, StreamExecutionEnvironment
from pyflink.datastream.state import ListStateDescriptor, ValueStateDescriptor
from pyflink.datastream.window import TumblingEventTimeWindows

CLEARED = ListStateDescriptor("cleared", Types.LONG())
SEEN = ValueStateDescriptor("seen", Types.INT())


class Ts(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value[1]


class Report(ProcessWindowFunction):
    def process(self, key, context: ProcessWindowFunction.Context, elements: Iterable[tuple]):
        seen = context.window_state().get_state(SEEN)
        seen.update(len([e for e in elements]))
        cleared = list(context.global_state().get_list_state(CLEARED).get())
        yield "%s %d-%d: %d elements, windows cleared before: %s" % (
            key, context.window().start, context.window().end, seen.value(), cleared)

    def clear(self, context: ProcessWindowFunction.Context):
        context.window_state().get_state(SEEN).clear()
        context.global_state().get_list_state(CLEARED).add(context.window().start)


env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)
data = [("a", 1), ("a", 2), ("b", 3), ("a", 12), ("a", 25)]
env.from_collection(data, type_info=Types.TUPLE([Types.STRING(), Types.LONG()])) \
    .assign_timestamps_and_watermarks(
        WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(Ts())) \
    .key_by(lambda x: x[0], key_type=Types.STRING()) \
    .window(TumblingEventTimeWindows.of(Time.milliseconds(10))) \
    .process(Report(), Types.STRING()) \
    .print()
env.execute("window clear")
