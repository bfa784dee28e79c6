# A custom Trigger on tumbling event-time windows: it fires a window early once the sum of its
# values reaches 100 (kept in partitioned state), and fires and purges it at the window's end.
from typing import Iterable

from pyflink.common import Time, Types, WatermarkStrategy
from pyflink.common.watermark_strategy import TimestampAssigner
from pyflink.datastream import ProcessWindowFunction, StreamExecutionEnvironment
from pyflink.datastream.state import ReducingStateDescriptor
from pyflink.datastream.window import TimeWindow, Trigger, TriggerResult, \
    TumblingEventTimeWindows


class Ts(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value[1]


class SumOrEndTrigger(Trigger):
    def __init__(self, threshold):
        self._threshold = threshold
        self._sum = ReducingStateDescriptor("sum", lambda a, b: a + b, Types.LONG())

    def on_element(self, element, timestamp, window: TimeWindow, ctx: Trigger.TriggerContext):
        ctx.register_event_time_timer(window.max_timestamp())
        total = ctx.get_partitioned_state(self._sum)
        total.add(element[2])
        if total.get() >= self._threshold:
            total.clear()
            return TriggerResult.FIRE
        return TriggerResult.CONTINUE

    def on_processing_time(self, time, window: TimeWindow, ctx: Trigger.TriggerContext):
        return TriggerResult.CONTINUE

    def on_event_time(self, time, window: TimeWindow, ctx: Trigger.TriggerContext):
        if time == window.max_timestamp():
            return TriggerResult.FIRE_AND_PURGE
        return TriggerResult.CONTINUE

    def on_merge(self, window: TimeWindow, ctx: Trigger.OnMergeContext):
        pass

    def clear(self, window: TimeWindow, ctx: Trigger.TriggerContext):
        ctx.delete_event_time_timer(window.max_timestamp())
        ctx.get_partitioned_state(self._sum).clear()


class Show(ProcessWindowFunction):
    def process(self, key, context: ProcessWindowFunction.Context, elements: Iterable[tuple]):
        w = context.window()
        yield "%s %d %d %s" % (key, w.start, w.end, [e[2] for e in elements])


env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)
data = [("a", 1, 10), ("a", 2, 200), ("a", 3, 5), ("b", 4, 1), ("a", 12, 7), ("b", 15, 300),
        ("b", 16, 2)]
env.from_collection(data, type_info=Types.TUPLE([Types.STRING(), Types.LONG(), Types.LONG()])) \
    .assign_timestamps_and_watermarks(
        WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(Ts())) \
    .key_by(lambda x: x[0], key_type=Types.STRING()) \
    .window(TumblingEventTimeWindows.of(Time.milliseconds(10))) \
    .trigger(SumOrEndTrigger(100)) \
    .process(Show(), Types.STRING()) \
    .print()
env.execute("custom trigger")
