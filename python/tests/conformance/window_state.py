# Per-window and per-key state in a ProcessWindowFunction: tumbling event-time windows that a
# CountTrigger fires every two elements; window_state() counts the firings of each window,
# global_state() those of the key, and clear() drops the window's state when it is cleaned up.
from typing import Iterable

from pyflink.common import Time, Types, WatermarkStrategy
from pyflink.common.watermark_strategy import TimestampAssigner
from pyflink.datastream import ProcessWindowFunction, StreamExecutionEnvironment
from pyflink.datastream.state import ValueStateDescriptor
from pyflink.datastream.window import CountTrigger, TumblingEventTimeWindows

FIRED = ValueStateDescriptor("fired", Types.INT())
TOTAL = ValueStateDescriptor("total", Types.INT())


class Ts(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value[1]


class Firings(ProcessWindowFunction):
    def process(self, key, context: ProcessWindowFunction.Context, elements: Iterable[tuple]):
        fired = context.window_state().get_state(FIRED)
        fired.update((fired.value() or 0) + 1)
        total = context.global_state().get_state(TOTAL)
        total.update((total.value() or 0) + 1)
        yield "%s %s firing %d of the window, %d of the key: %s" % (
            key, context.window(), fired.value(), total.value(), [e[1] for e in elements])

    def clear(self, context: ProcessWindowFunction.Context):
        context.window_state().get_state(FIRED).clear()


env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)
data = [("a", 1), ("a", 2), ("b", 5), ("a", 3), ("a", 4), ("b", 6), ("a", 12), ("a", 13)]
env.from_collection(data, type_info=Types.TUPLE([Types.STRING(), Types.LONG()])) \
    .assign_timestamps_and_watermarks(
        WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(Ts())) \
    .key_by(lambda x: x[0], key_type=Types.STRING()) \
    .window(TumblingEventTimeWindows.of(Time.milliseconds(10))) \
    .trigger(CountTrigger.of(2)) \
    .process(Firings(), Types.STRING()) \
    .print()
env.execute("window state")
