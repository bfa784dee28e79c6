"""Windows run end to end (the engine with its Python workers): count windows as CountWindow,
custom Python triggers on merging session windows and on window_all, window_state()."""
from pyflink_go.common import Time, Types, WatermarkStrategy
from pyflink_go.common.watermark_strategy import TimestampAssigner
from pyflink_go.datastream import StreamExecutionEnvironment
from pyflink_go.datastream.functions import ProcessAllWindowFunction, ProcessWindowFunction, \
    WindowFunction
from pyflink_go.datastream.state import ReducingStateDescriptor, ValueStateDescriptor
from pyflink_go.datastream.window import CountSlidingWindowAssigner, EventTimeSessionWindows, \
    Trigger, TriggerResult, TumblingEventTimeWindows


class Ts(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value[1]


def timestamped(env, data):
    env.set_parallelism(1)
    return env.from_collection(data, type_info=Types.TUPLE([Types.STRING(), Types.LONG()])) \
        .assign_timestamps_and_watermarks(
            WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(Ts()))


class CountOrEnd(Trigger):
    """Fires once a window (merged sessions included) holds n elements, and at its end."""

    def __init__(self, n):
        self._n = n
        self._count = ReducingStateDescriptor("count", lambda a, b: a + b, Types.LONG())

    def on_element(self, element, timestamp, window, ctx):
        ctx.register_event_time_timer(window.max_timestamp())
        count = ctx.get_partitioned_state(self._count)
        count.add(1)
        if count.get() >= self._n:
            count.clear()
            return TriggerResult.FIRE
        return TriggerResult.CONTINUE

    def on_processing_time(self, time, window, ctx):
        return TriggerResult.CONTINUE

    def on_event_time(self, time, window, ctx):
        return TriggerResult.FIRE_AND_PURGE if time == window.max_timestamp() \
            else TriggerResult.CONTINUE

    def can_merge(self):
        return True

    def on_merge(self, window, ctx):
        ctx.merge_partitioned_state(self._count)
        ctx.register_event_time_timer(window.max_timestamp())

    def clear(self, window, ctx):
        ctx.delete_event_time_timer(window.max_timestamp())
        ctx.get_partitioned_state(self._count).clear()


class Bounds(ProcessWindowFunction):
    def process(self, key, context, elements):
        w = context.window()
        yield key, w.start, w.end, [e[1] for e in elements]


def test_custom_trigger_on_merging_session_windows():
    env = StreamExecutionEnvironment.get_execution_environment()
    data = [("a", 1), ("a", 4), ("a", 7), ("b", 20)]
    out = timestamped(env, data).key_by(lambda x: x[0], key_type=Types.STRING()) \
        .window(EventTimeSessionWindows.with_gap(Time.milliseconds(5))) \
        .trigger(CountOrEnd(3)) \
        .process(Bounds())
    # [1,6) and [4,9) merge, then [7,12): the merged count reaches 3 at the third element
    assert list(out.execute_and_collect()) == [
        ("a", 1, 12, [1, 4, 7]), ("a", 1, 12, [1, 4, 7]), ("b", 20, 25, [20])]


def test_custom_trigger_on_window_all():
    class All(ProcessAllWindowFunction):
        def process(self, context, elements):
            yield context.window().start, [e[1] for e in elements]
    env = StreamExecutionEnvironment.get_execution_environment()
    data = [("a", 1), ("b", 2), ("c", 3), ("d", 11)]
    out = timestamped(env, data) \
        .window_all(TumblingEventTimeWindows.of(Time.milliseconds(10))) \
        .trigger(CountOrEnd(2)) \
        .process(All())
    assert list(out.execute_and_collect()) == [(0, [1, 2]), (0, [1, 2, 3]), (10, [11])]


def test_count_sliding_windows_are_count_windows():
    class Sum(WindowFunction):
        def apply(self, key, window, inputs):
            return [(key, repr(window), sum(i[0] for i in inputs))]
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    data = [(1, 'hi'), (2, 'hello'), (3, 'hi'), (4, 'hello'), (5, 'hi'), (6, 'hello')]
    out = env.from_collection(data, type_info=Types.TUPLE([Types.INT(), Types.STRING()])) \
        .key_by(lambda x: x[1], key_type=Types.STRING()) \
        .window(CountSlidingWindowAssigner.of(2, 1)) \
        .apply(Sum())
    assert list(out.execute_and_collect()) == [
        ('hi', 'CountWindow(id=0)', 4), ('hello', 'CountWindow(id=0)', 6),
        ('hi', 'CountWindow(id=1)', 8), ('hello', 'CountWindow(id=1)', 10)]


def test_window_state_survives_between_firings_of_a_count_window():
    seen = ValueStateDescriptor("seen", Types.INT())

    class Firings(ProcessWindowFunction):
        def process(self, key, context, elements):
            state = context.window_state().get_state(seen)
            state.update((state.value() or 0) + 1)
            yield key, context.window().id, state.value(), len(elements)
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    from pyflink_go.datastream.window import CountTrigger
    out = env.from_collection([("k", i) for i in range(5)],
                              type_info=Types.TUPLE([Types.STRING(), Types.INT()])) \
        .key_by(lambda x: x[0], key_type=Types.STRING()) \
        .count_window(4) \
        .trigger(CountTrigger.of(2)) \
        .process(Firings())
    # CountTrigger fires without purging: window 0 fires at its 2nd and 4th element
    assert list(out.execute_and_collect()) == [("k", 0, 1, 2), ("k", 0, 2, 4)]
