"""Windowed reduces of per-field expressions run natively in the engine and print exactly
what the same jobs print with the reduce in Python (recognition switched off with
PYFLINK_GO_NATIVE_WINDOW_REDUCE=0): tumbling, sliding, session and count windows,
window_all, allowed lateness with a late side output, purging triggers, Rows, ints beyond
their declared type and beyond 64 bits, FLOAT and DOUBLE sums with NaN and infinities.

A small collection's watermarks come at its end (they are periodic), so no element is late
here; late firings with the updated accumulator are pinned by the Go operator transcripts
(engine/window/testdata/operator/fieldreduce).
"""
import pytest

from pyflink_go.common import Duration, Row, Time, Types, WatermarkStrategy
from pyflink_go.common.watermark_strategy import TimestampAssigner
from pyflink_go.datastream import OutputTag, StreamExecutionEnvironment
from pyflink_go.datastream._plan import build_plan
from pyflink_go.datastream.window import CountTrigger, DynamicEventTimeSessionWindows, \
    EventTimeSessionWindows, GlobalWindows, PurgingTrigger, SlidingEventTimeWindows, \
    TumblingEventTimeWindows

SWITCH = "PYFLINK_GO_NATIVE_WINDOW_REDUCE"


class TsAt(TimestampAssigner):
    def __init__(self, pos):
        self._pos = pos

    def extract_timestamp(self, value, record_timestamp):
        return value[self._pos]


def timestamped(env, data, type_info, pos, out_of_orderness=0):
    return env.from_collection(data, type_info=type_info).assign_timestamps_and_watermarks(
        WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(out_of_orderness))
        .with_timestamp_assigner(TsAt(pos)))


WORDS = Types.TUPLE([Types.STRING(), Types.INT(), Types.DOUBLE(), Types.LONG()])
WORD_DATA = [("w%d" % (i % 5), i % 7 - 2, (i % 11) * 0.1, i * 37 % 1000) for i in range(300)]


def tumbling(env):
    ds = timestamped(env, WORD_DATA, WORDS, 3, out_of_orderness=400)
    return ds.key_by(lambda x: x[0]).window(TumblingEventTimeWindows.of(Time.milliseconds(100))) \
        .reduce(lambda a, b: (a[0], a[1] + b[1], a[2] + b[2], max(a[3], b[3])))


def tumbling_parallel(env):
    # Arrival order at parallelism 2 varies from run to run: only order-free fields here.
    env.set_parallelism(2)
    ds = timestamped(env, WORD_DATA, WORDS, 3, out_of_orderness=400)
    return ds.key_by(lambda x: x[0]).window(TumblingEventTimeWindows.of(Time.milliseconds(100))) \
        .reduce(lambda a, b: (a[0], a[1] + b[1], max(a[2], b[2]), max(a[3], b[3])))


def sliding(env):
    ds = timestamped(env, WORD_DATA, WORDS, 3, out_of_orderness=400)
    return ds.key_by(lambda x: x[0]) \
        .window(SlidingEventTimeWindows.of(Time.milliseconds(200), Time.milliseconds(70))) \
        .reduce(lambda a, b: (b[0], min(a[1], b[1]), b[2] + a[2], a[3]))


def sessions(env):
    data = [("a", 1, 0.5, 1), ("a", 2, 0.25, 12), ("a", 3, 0.125, 6), ("b", 4, 1.0, 30),
            ("a", 5, 2.0, 40), ("a", 6, 4.0, 34), ("b", 7, 8.0, 36), ("a", 8, 0.1, 90)]
    ds = timestamped(env, data, WORDS, 3, out_of_orderness=20)
    return ds.key_by(lambda x: x[0]) \
        .window(EventTimeSessionWindows.with_gap(Time.milliseconds(6))) \
        .reduce(lambda a, b: (a[0], a[1] + b[1], a[2] + b[2], max(a[3], b[3])))


def dynamic_sessions(env):
    ds = timestamped(env, WORD_DATA[:80], WORDS, 3, out_of_orderness=100)
    return ds.key_by(lambda x: x[0]) \
        .window(DynamicEventTimeSessionWindows.with_dynamic_gap(lambda e: 5 + e[1])) \
        .reduce(lambda a, b: (a[0], a[1] + b[1], a[2], max(a[3], b[3])))


def count_window(env):
    # The shape of PyFlink's windowing/tumbling_count_window.py example, as a reduce.
    data = [(1, 'hi'), (2, 'hello'), (3, 'hi'), (4, 'hello'), (5, 'hi'), (6, 'hello'),
            (6, 'hello')]
    ds = env.from_collection(data, type_info=Types.TUPLE([Types.INT(), Types.STRING()]))
    return ds.key_by(lambda x: x[1], key_type=Types.STRING()).count_window(2) \
        .reduce(lambda a, b: (a[0] + b[0], a[1]))


def count_sliding(env):
    ds = env.from_collection(WORD_DATA[:60], type_info=WORDS)
    return ds.key_by(lambda x: x[0]).count_window(4, 2) \
        .reduce(lambda a, b: (a[0], a[1] + b[1], a[2] + b[2], b[3]))


def purging(env):
    ds = env.from_collection(WORD_DATA[:50], type_info=WORDS)
    return ds.key_by(lambda x: x[0]).window(GlobalWindows.create()) \
        .trigger(PurgingTrigger.of(CountTrigger.of(3))) \
        .reduce(lambda a, b: (a[0], a[1] + b[1], max(a[2], b[2]), min(a[3], b[3])))


def window_all(env):
    ds = timestamped(env, WORD_DATA, WORDS, 3, out_of_orderness=400)
    return ds.window_all(TumblingEventTimeWindows.of(Time.milliseconds(250))) \
        .reduce(lambda a, b: (b[0], a[1] + b[1], a[2] + b[2], max(a[3], b[3])))


LATE = [("k", 1, 0.5, 1), ("k", 2, 0.5, 5), ("j", 3, 0.5, 7), ("k", 4, 0.5, 12),
        ("k", 5, 0.5, 3), ("j", 6, 0.5, 8), ("k", 7, 0.5, 30), ("k", 8, 0.5, 9),
        ("k", 9, 0.5, 2), ("j", 10, 0.5, 45), ("k", 11, 0.5, 4)]


def lateness(env):
    tag = OutputTag("late", WORDS)
    ds = timestamped(env, LATE, WORDS, 3)
    out = ds.key_by(lambda x: x[0]).window(TumblingEventTimeWindows.of(Time.milliseconds(10))) \
        .allowed_lateness(15).side_output_late_data(tag) \
        .reduce(lambda a, b: (a[0], a[1] + b[1], a[2] + b[2], max(a[3], b[3])))
    out.get_side_output(tag).map(lambda v: "late %s" % (v,)).print()
    return out


def window_all_lateness(env):
    tag = OutputTag("late-all", WORDS)
    ds = timestamped(env, LATE, WORDS, 3)
    out = ds.window_all(TumblingEventTimeWindows.of(Time.milliseconds(10))) \
        .allowed_lateness(15).side_output_late_data(tag) \
        .reduce(lambda a, b: (a[0], a[1] + b[1], a[2] + b[2], max(a[3], b[3])))
    out.get_side_output(tag).map(lambda v: "late %s" % (v,)).print()
    return out


def rows(env):
    t = Types.ROW_NAMED(["w", "n", "x"], [Types.STRING(), Types.LONG(), Types.FLOAT()])
    data = [Row(w="a", n=1, x=0.1), Row(w="b", n=5, x=0.3), Row(w="a", n=2, x=0.2),
            Row(w="a", n=3, x=1e-9)]
    return env.from_collection(data, type_info=t).key_by(lambda r: r[0]).count_window(3) \
        .reduce(lambda a, b: (a[0], a[1] + b[1], a[2] + b[2]))


def wide_ints(env):
    t = Types.TUPLE([Types.STRING(), Types.INT(), Types.LONG(), Types.LONG()])
    data = [("k", 2 ** 31 - 1, 2 ** 63 - 1, 2 ** 63 - 1), ("k", 5, 5, 2 ** 63 - 1),
            ("k", 7, -20, 2 ** 63 - 1), ("j", -2 ** 31, -2 ** 63, -2 ** 63),
            ("j", -1, -1, -2 ** 63)]
    return env.from_collection(data, type_info=t).key_by(lambda x: x[0]).count_window(2) \
        .reduce(lambda a, b: (a[0], a[1] + b[1], a[2] + b[2], a[3] + b[3])) \
        .map(lambda v: "%s %d %d %d" % v)


def floats(env):
    t = Types.TUPLE([Types.STRING(), Types.FLOAT(), Types.DOUBLE()])
    data = [("k", 0.1, 0.1), ("k", 0.2, 0.2), ("k", 1e-9, 1e300), ("k", 3.5, -1e300),
            ("k", float("nan"), 1.0), ("k", 2.0, float("inf"))]
    return env.from_collection(data, type_info=t).key_by(lambda x: x[0]).count_window(3) \
        .reduce(lambda a, b: (a[0], a[1] + b[1], max(a[2], b[2]))) \
        .map(lambda v: "%s %r %r" % v)


JOBS = [tumbling, tumbling_parallel, sliding, sessions, dynamic_sessions, count_window,
        count_sliding, purging, window_all, lateness, window_all_lateness, rows, wide_ints,
        floats]


def run(monkeypatch, capsys, job, native):
    monkeypatch.setenv(SWITCH, "1" if native else "0")
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    job(env).print()
    plan = build_plan(env, env._transformations)
    windows = [n for n in plan["nodes"] if n["kind"] == "window"]
    assert windows and all(("native_reduce" in n["params"]) == native for n in windows)
    capsys.readouterr()
    env.execute(job.__name__)
    return sorted(capsys.readouterr().out.splitlines())


@pytest.mark.parametrize("job", JOBS, ids=[j.__name__ for j in JOBS])
def test_native_equals_python(monkeypatch, capsys, job):
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")
    python = run(monkeypatch, capsys, job, native=False)
    native = run(monkeypatch, capsys, job, native=True)
    assert python, "the job printed nothing"
    assert native == python


def test_count_window_example_output(monkeypatch, capsys):
    # The example's windows: (1+3, hi), (2+4, hello), (6+6, hello); the last hi never fires.
    assert run(monkeypatch, capsys, count_window, native=True) == \
        ["(12,hello)", "(4,hi)", "(6,hello)"]


def test_wide_ints_stay_exact(monkeypatch, capsys):
    out = run(monkeypatch, capsys, wide_ints, native=True)
    assert out == ["j -2147483649 -9223372036854775809 -18446744073709551616",
                   "k 2147483652 9223372036854775812 18446744073709551614"]
