# Windowed reduces of per-field expressions (pyflink_go runs them natively): the shape of
# PyFlink's windowing/tumbling_count_window.py as a reduce over count windows, and an
# event-time window that sums, keeps the maximum and the first and last fields; a window
# of one element emits that element; an incomplete count window never fires.
from pyflink.common import Duration, Time, Types, WatermarkStrategy
from pyflink.common.watermark_strategy import TimestampAssigner
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.datastream.window import TumblingEventTimeWindows


class At(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value[3]


env = StreamExecutionEnvironment.get_execution_environment()
env.set_parallelism(1)

counts = env.from_collection(
    [(1, 'hi'), (2, 'hello'), (3, 'hi'), (4, 'hello'), (5, 'hi'), (6, 'hello'), (6, 'hello')],
    type_info=Types.TUPLE([Types.INT(), Types.STRING()]))
counts.key_by(lambda x: x[1], key_type=Types.STRING()) \
    .count_window(2) \
    .reduce(lambda a, b: (a[0] + b[0], a[1])) \
    .print()

events = env.from_collection(
    [("a", 3, 0.5, 1000), ("b", 1, 0.25, 1500), ("a", 4, 1.5, 2500), ("a", -2, 0.125, 4100),
     ("b", 9, 2.0, 3900), ("a", 8, 0.25, 5200), ("c", 7, 1.0, 5300),
     ("c", 10, 1.0, 5400)],
    type_info=Types.TUPLE([Types.STRING(), Types.INT(), Types.DOUBLE(), Types.LONG()]))
events.assign_timestamps_and_watermarks(
    WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_seconds(1))
    .with_timestamp_assigner(At())) \
    .key_by(lambda x: x[0], key_type=Types.STRING()) \
    .window(TumblingEventTimeWindows.of(Time.seconds(2))) \
    .reduce(lambda a, b: (a[0], a[1] + b[1], max(a[2], b[2]), b[3])) \
    .print()

env.execute("window reduce fields")
