# A KeyedProcessFunction with a ValueState and event-time timers at parallelism 1. The watermark
# trails the timestamps by 100 s, so no timer fires before the end of the input; then they fire
# in timestamp order, each reading (and clearing) its key's state. Registering the same timer
# twice for a key fires it once.
from pyflink.common import Duration, Types, WatermarkStrategy
from pyflink.common.watermark_strategy import TimestampAssigner
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.datastream.functions import KeyedProcessFunction, RuntimeContext
from pyflink.datastream.state import ValueStateDescriptor


class Ts(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value[1]


class CountThenFire(KeyedProcessFunction):
    def open(self, runtime_context: RuntimeContext):
        self.count = runtime_context.get_state(ValueStateDescriptor("count", Types.INT()))

    def process_element(self, value, ctx: 'KeyedProcessFunction.Context'):
        n = (self.count.value() or 0) + 1
        self.count.update(n)
        ctx.timer_service().register_event_time_timer(value[1] // 1000 * 1000 + 1000)
        yield "element", ctx.get_current_key(), ctx.timestamp(), n

    def on_timer(self, timestamp, ctx: 'KeyedProcessFunction.OnTimerContext'):
        yield "timer", ctx.get_current_key(), timestamp, self.count.value()
        self.count.clear()


env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)
data = [("a", 1100), ("b", 2200), ("a", 1500), ("a", 3300), ("b", 4400)]
env.from_collection(data, type_info=Types.TUPLE([Types.STRING(), Types.LONG()])) \
    .assign_timestamps_and_watermarks(
        WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_seconds(100))
        .with_timestamp_assigner(Ts())) \
    .key_by(lambda x: x[0], key_type=Types.STRING()) \
    .process(CountThenFire()) \
    .print()
env.execute("keyed state timer")
