"""Stateful programs give the same output run plainly and stopped midway with a savepoint, then
restored from it (at the same and at another parallelism).

Each program prints. Stop-with-savepoint ends the sources right after the savepoint's barrier, so
the first run prints exactly what the records before the barrier cause (no final watermark: open
windows and timers stay in the savepoint), and the restored run prints the rest. Together they
must equal the plain run's output, line for line (order aside, as across parallel subtasks).
"""
import os
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from pyflink_go.common import Configuration, Duration, Types, WatermarkStrategy
from pyflink_go.common.watermark_strategy import TimestampAssigner
from pyflink_go.datastream import KeyedBroadcastProcessFunction, KeyedProcessFunction, \
    StreamExecutionEnvironment
from pyflink_go.datastream.functions import ProcessWindowFunction
from pyflink_go.datastream.state import ListStateDescriptor, MapStateDescriptor, \
    ReducingStateDescriptor, ValueStateDescriptor
from pyflink_go.datastream.window import CountTrigger, Trigger, TriggerResult, \
    TumblingEventTimeWindows

N = 900
KEYS = ["k%d" % i for i in range(7)]


def records():
    """(key, event time ms, value): event time grows with small disorder."""
    return [(KEYS[(i * 5) % 7], i * 10 - (i % 3) * 4, i) for i in range(N)]


def slow_while(marker: str, started: str):
    """Identity that is slow while ``marker`` exists and creates ``started`` on first use. It
    runs chained to the source, holding the source back so the savepoint cuts the input."""
    def f(x):
        if os.path.exists(marker):
            if not os.path.exists(started):
                open(started, "w").close()
            time.sleep(0.002)
        return x
    return f


ROW = Types.TUPLE([Types.STRING(), Types.LONG(), Types.INT()])


class Ts(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value[1]


def word_count(env, f):
    env.from_collection(records(), type_info=ROW) \
        .map(f, output_type=ROW).set_parallelism(1).uid("slow") \
        .key_by(lambda r: r[0], key_type=Types.STRING()) \
        .reduce(lambda a, b: (a[0], b[1], a[2] + b[2])).uid("reduce") \
        .print()


def native_sum(env, f):
    env.from_collection(records(), type_info=ROW) \
        .map(f, output_type=ROW).set_parallelism(1).uid("slow") \
        .key_by(lambda r: r[0], key_type=Types.STRING()) \
        .sum(2).uid("sum") \
        .print()


class CountWindow(ProcessWindowFunction):
    def process(self, key, context, elements):
        yield "%s [%d,%d) %d" % (key, context.window().start, context.window().end,
                                 sum(1 for _ in elements))


def keyed_events(env, f):
    """The records through f (the slow map), with event time and 20 ms of allowed
    out-of-orderness, keyed by word: the input of the window programs."""
    strategy = WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(20)) \
        .with_timestamp_assigner(Ts())
    return env.from_collection(records(), type_info=ROW) \
        .map(f, output_type=ROW).set_parallelism(1).uid("slow") \
        .assign_timestamps_and_watermarks(strategy).uid("timestamps") \
        .key_by(lambda r: r[0], key_type=Types.STRING())


def windows(env, f):
    keyed_events(env, f) \
        .window(TumblingEventTimeWindows.of(Duration.of_millis(500))) \
        .process(CountWindow(), output_type=Types.STRING()).uid("window") \
        .print()


def native_window_reduce(env, f):
    """The windows above with a reduce of per-field expressions: the engine reduces natively
    and keeps one accumulator per key and window in its state."""
    keyed_events(env, f) \
        .window(TumblingEventTimeWindows.of(Duration.of_millis(500))) \
        .reduce(lambda a, b: (a[0], max(a[1], b[1]), a[2] + b[2])).uid("window") \
        .print()


class SumBehind(KeyedProcessFunction):
    """Keeps every element of a key in ListState and, 300 ms of event time after each element,
    emits the sum of the values with event time up to that element's. The output does not depend
    on when watermarks happen to be emitted, only on event time."""

    def open(self, runtime_context):
        self.seen = runtime_context.get_list_state(
            ListStateDescriptor("seen", Types.TUPLE([Types.LONG(), Types.INT()])))

    def process_element(self, value, ctx):
        self.seen.add((value[1], value[2]))
        ctx.timer_service().register_event_time_timer(value[1] + 300)

    def on_timer(self, timestamp, ctx):
        total = sum(v for t, v in self.seen.get() if t <= timestamp - 300)
        yield "%s@%d=%d" % (ctx.get_current_key(), timestamp, total)


def state_and_timers(env, f):
    strategy = WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(Ts())
    env.from_collection(records(), type_info=ROW) \
        .map(f, output_type=ROW).set_parallelism(1).uid("slow") \
        .assign_timestamps_and_watermarks(strategy).uid("timestamps") \
        .key_by(lambda r: r[0], key_type=Types.STRING()) \
        .process(SumBehind(), output_type=Types.STRING()).uid("sum") \
        .print()


PROGRAMS = {"word_count": word_count, "native_sum": native_sum, "windows": windows,
            "native_window_reduce": native_window_reduce, "state_and_timers": state_and_timers}


def make_env(parallelism, savepoints: Path, resume=None, backend="hashmap"):
    config = Configuration()
    if backend == "pebble-incremental":
        # Incremental checkpoints on; savepoints stay in the canonical key-group format.
        backend = "pebble"
        config.set_string("execution.checkpointing.incremental", "true")
    config.set_string("state.backend.type", backend)
    if resume:
        config.set_string("execution.state-recovery.path", resume)
    config.set_string("execution.checkpointing.savepoint-dir", "file://" + str(savepoints))
    config.set_string("python.fn-execution.bundle.size", "20")
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(parallelism)
    env.enable_checkpointing(3_600_000)  # only the savepoint is taken
    return env


def printed(capsys):
    """The printed lines without print's "<subtask>> " prefix (parallelism changes it)."""
    return sorted(re.sub(r"^\d+> ", "", line) for line in capsys.readouterr().out.splitlines()
                  if line.strip())


def three_runs(tmp_path, capsys, build, parallelism, new_parallelism, backend, before_stop=None):
    """Runs build plainly, then stopped with a savepoint midway, then restored from it at
    new_parallelism; asserts the two parts together print what the plain run printed.
    before_stop() runs between the plain and the stopped run."""
    marker, started = tmp_path / "slow", tmp_path / "started"

    env = make_env(parallelism, tmp_path / "unused")
    build(env, slow_while(str(marker), str(started)))
    env.execute("plain")
    want = printed(capsys)
    assert len(want) > 10

    if before_stop is not None:
        before_stop()
    marker.write_text("")
    env = make_env(parallelism, tmp_path / "savepoints", backend=backend)
    build(env, slow_while(str(marker), str(started)))
    client = env.execute_async("stopped")
    deadline = time.monotonic() + 60
    while not started.exists():
        assert time.monotonic() < deadline, "the job did not start"
        time.sleep(0.02)
    time.sleep(0.4)
    path = client.stop_with_savepoint(False, str(tmp_path / "savepoints")).result()
    client.get_job_execution_result().result()
    first = printed(capsys)
    assert Path(path, "_metadata").exists()
    assert '"shared"' not in Path(path, "_metadata").read_text(), "a savepoint must be canonical"

    marker.unlink()
    env = make_env(new_parallelism, tmp_path / "savepoints", resume=path, backend=backend)
    build(env, slow_while(str(marker), str(started)))
    env.execute("restored")
    rest = printed(capsys)
    assert first and rest, "the savepoint should cut the output (%d + %d lines)" % (
        len(first), len(rest))
    got = Counter(first + rest)
    missing, extra = Counter(want) - got, got - Counter(want)
    assert not missing and not extra, "missing %s\nextra %s" % (
        sorted(missing.elements()), sorted(extra.elements()))
    return first, rest


RESTORES = [(2, 2, "hashmap"), (2, 3, "hashmap"), (2, 3, "pebble"), (2, 3, "pebble-incremental")]


@pytest.mark.parametrize("program", sorted(PROGRAMS))
@pytest.mark.parametrize("parallelism,new_parallelism,backend", RESTORES)
def test_stop_with_savepoint_and_restore_prints_what_a_plain_run_prints(
        tmp_path, capsys, program, parallelism, new_parallelism, backend):
    three_runs(tmp_path, capsys, PROGRAMS[program], parallelism, new_parallelism, backend)


# -- state Python functions keep in the worker ----------------------------------------------

RULES = MapStateDescriptor("rules", Types.STRING(), Types.INT())
FACTORS = [(key, 2 + i) for i, key in enumerate(KEYS)]


class ApplyRules(KeyedBroadcastProcessFunction):
    """Multiplies each event by its key's factor, a broadcast rule, and counts the key's events
    in keyed state. Once a subtask holds every rule it creates ``<rules_dir>/<subtask>``."""

    def __init__(self, rules_dir):
        self.rules_dir = rules_dir

    def open(self, runtime_context):
        self.count = runtime_context.get_state(ValueStateDescriptor("count", Types.INT()))
        self.subtask = runtime_context.get_index_of_this_subtask()

    def process_element(self, value, ctx):
        factor = ctx.get_broadcast_state(RULES).get(value[0])
        n = (self.count.value() or 0) + 1
        self.count.update(n)
        yield "%s #%d %d*%s" % (value[0], n, value[2], factor)

    def process_broadcast_element(self, value, ctx):
        rules = ctx.get_broadcast_state(RULES)
        rules.put(value[0], value[1])
        if len(rules.keys()) == len(FACTORS):
            open(os.path.join(self.rules_dir, str(self.subtask)), "w").close()


def after_rules(rules_dir: str, subtasks: int):
    """Identity that first waits until ``subtasks`` subtasks hold every rule: events come after
    the rules. (A restored run finds the files of the stopped run: its rules are in the
    savepoint, and its rules source, finished, sends none again.)"""
    def f(x):
        deadline = time.monotonic() + 60
        while not all(os.path.exists(os.path.join(rules_dir, str(i))) for i in range(subtasks)):
            if time.monotonic() > deadline:
                raise RuntimeError("the rules did not arrive")
            time.sleep(0.01)
        return x
    return f


def rules_program(rules_dir: str, subtasks: int):
    def build(env, f):
        wait = after_rules(rules_dir, subtasks)
        rules = env.from_collection(FACTORS, type_info=Types.TUPLE([Types.STRING(), Types.INT()])) \
            .uid("rules-source").broadcast(RULES)
        env.from_collection(records(), type_info=ROW) \
            .map(lambda x: f(wait(x)), output_type=ROW).set_parallelism(1).uid("slow") \
            .key_by(lambda r: r[0], key_type=Types.STRING()) \
            .connect(rules) \
            .process(ApplyRules(rules_dir), output_type=Types.STRING()).uid("apply") \
            .print()
    return build


@pytest.mark.parametrize("parallelism,new_parallelism,backend", RESTORES)
def test_broadcast_state_is_restored(tmp_path, capsys, parallelism, new_parallelism, backend):
    """Rules broadcast first, events that read them after: the restored run's events (its rules
    source sends nothing again) read the rules from the savepoint, at another parallelism too."""
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()

    def forget_rules():
        for f in rules_dir.iterdir():
            f.unlink()
    first, rest = three_runs(tmp_path, capsys, rules_program(str(rules_dir), parallelism),
                             parallelism, new_parallelism, backend, before_stop=forget_rules)
    assert not any(line.endswith("*None") for line in first + rest)


# The programs below print nothing that depends on the order in which a key's records reach the
# window: the records cross from one timestamps subtask to two, so that order is not fixed.


class Firings(ProcessWindowFunction):
    """Counts the firings of each window (window_state) and remembers the windows each key has
    fired (global_state); clears the window's count at its clean-up."""

    def process(self, key, context, elements):
        w = context.window()
        fired = context.window_state().get_state(FIRED)
        fired.update((fired.value() or 0) + 1)
        windows = context.global_state().get_map_state(WINDOWS)
        windows.put(w.start, True)
        earlier = sum(1 for start in windows.keys() if start < w.start)
        yield "%s [%d,%d) firing %d, %d elements, after %d earlier windows" % (
            key, w.start, w.end, fired.value(), sum(1 for _ in elements), earlier)

    def clear(self, context):
        context.window_state().get_state(FIRED).clear()


FIRED = ValueStateDescriptor("fired", Types.INT())
WINDOWS = MapStateDescriptor("windows", Types.LONG(), Types.BOOLEAN())


def window_and_global_state(env, f):
    """Windows of 2 s of event time that fire every 3 elements (a count trigger): each window
    fires several times, and the savepoint falls inside windows that have fired."""
    keyed_events(env, f) \
        .window(TumblingEventTimeWindows.of(Duration.of_millis(2000))) \
        .trigger(CountTrigger.of(3)) \
        .process(Firings(), output_type=Types.STRING()).uid("window") \
        .print()


COUNT = ReducingStateDescriptor("count", lambda a, b: a + b, Types.LONG())


class EveryFiveOrEnd(Trigger):
    """Fires a window at every fifth element (counted in partitioned state), and fires and
    purges it at its end. Had the count been lost, a restored window would fire at other
    sizes."""

    def on_element(self, element, timestamp, window, ctx):
        ctx.register_event_time_timer(window.max_timestamp())
        count = ctx.get_partitioned_state(COUNT)
        count.add(1)
        return TriggerResult.FIRE if count.get() % 5 == 0 else TriggerResult.CONTINUE

    def on_processing_time(self, time, window, ctx):
        return TriggerResult.CONTINUE

    def on_event_time(self, time, window, ctx):
        return TriggerResult.FIRE_AND_PURGE if time == window.max_timestamp() \
            else TriggerResult.CONTINUE

    def on_merge(self, window, ctx):
        pass

    def clear(self, window, ctx):
        ctx.delete_event_time_timer(window.max_timestamp())
        ctx.get_partitioned_state(COUNT).clear()


def trigger_state(env, f):
    """A custom trigger whose firings depend on its partitioned state across the savepoint."""
    keyed_events(env, f) \
        .window(TumblingEventTimeWindows.of(Duration.of_millis(3000))) \
        .trigger(EveryFiveOrEnd()) \
        .process(CountWindow(), output_type=Types.STRING()).uid("window") \
        .print()


WORKER_STATE_PROGRAMS = {"window_and_global_state": window_and_global_state,
                         "trigger_state": trigger_state}


@pytest.mark.parametrize("program", sorted(WORKER_STATE_PROGRAMS))
@pytest.mark.parametrize("parallelism,new_parallelism,backend", RESTORES)
def test_window_function_and_trigger_state_is_restored(
        tmp_path, capsys, program, parallelism, new_parallelism, backend):
    """window_state(), global_state() and a custom trigger's partitioned state are in the
    savepoint: restored windows go on counting where they were."""
    three_runs(tmp_path, capsys, WORKER_STATE_PROGRAMS[program], parallelism, new_parallelism,
               backend)
