"""The `window` plan nodes of windowed streams: assigner, trigger, lateness, late tag, the
pickled function dict, types, names, partitions and parallelism."""

import os

import cloudpickle
import pytest

from pyflink_go.common import Duration, Time, Types
from pyflink_go.datastream import OutputTag, StreamExecutionEnvironment
from pyflink_go.datastream._plan import build_plan
from pyflink_go.datastream.functions import AggregateFunction, AllWindowFunction, \
    ProcessAllWindowFunction, ProcessWindowFunction, ReduceFunction, WindowFunction
from pyflink_go.datastream.window import (
    CountTrigger, EventTimeSessionWindows, EventTimeTrigger, GlobalWindows, PurgingTrigger,
    SessionWindowTimeGapExtractor, SlidingEventTimeWindows, Trigger, TriggerResult,
    TumblingEventTimeWindows, TumblingProcessingTimeWindows, WindowAssigner)

MS = Time.milliseconds
PAIRS = Types.TUPLE([Types.STRING(), Types.INT()])


@pytest.fixture(autouse=True)
def four_cores(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")


@pytest.fixture
def env():
    return StreamExecutionEnvironment.get_execution_environment()


@pytest.fixture
def ds(env):
    return env.from_collection([("a", 1), ("b", 2)], type_info=PAIRS)


@pytest.fixture
def keyed(ds):
    return ds.key_by(lambda v: v[0], key_type=Types.STRING())


def plan_of(env):
    return build_plan(env, env._transformations)


def node(plan, stream):
    return next(n for n in plan["nodes"] if n["id"] == stream._transformation.id)


def window_node(env, stream):
    stream.print()
    return node(plan_of(env), stream)


def function_of(n):
    return cloudpickle.loads(n["params"]["fn"])


class Count(ProcessWindowFunction):
    def process(self, key, context, elements):
        yield key, context.window().start, len(list(elements))


class Apply(WindowFunction):
    def apply(self, key, window, inputs):
        return [(key, len(list(inputs)))]


class AllCount(ProcessAllWindowFunction):
    def process(self, context, elements):
        yield len(list(elements))


class AllApply(AllWindowFunction):
    def apply(self, window, inputs):
        return [sum(v[1] for v in inputs)]


class Sum(ReduceFunction):
    def reduce(self, value1, value2):
        return value1[0], value1[1] + value2[1]


class Average(AggregateFunction):
    def create_accumulator(self):
        return 0, 0

    def add(self, value, accumulator):
        return accumulator[0] + value[1], accumulator[1] + 1

    def get_result(self, accumulator):
        return accumulator[0] / accumulator[1]

    def merge(self, acc_a, acc_b):
        return acc_a[0] + acc_b[0], acc_a[1] + acc_b[1]


# ---- keyed windows ----

def test_process_window_node(env, keyed):
    out = keyed.window(TumblingEventTimeWindows.of(MS(5))) \
        .process(Count(), Types.TUPLE([Types.STRING(), Types.LONG(), Types.INT()]))
    n = window_node(env, out)
    assert (n["kind"], n["name"], n["parallelism"]) == ("window", "TumblingEventTimeWindows", 4)
    assert n["inputs"] == [{"node": keyed._transformation.id, "partition": "hash"}]
    params = n["params"]
    assert params["assigner"] == {"kind": "tumbling", "time": "event", "size": 5, "slide": 0,
                                  "offset": 0, "gap": 0}
    assert (params["trigger"], params["allowed_lateness"], params["late_tag"], params["all"]) \
        == (None, 0, None, False)
    assert params["out_type"] == n["out_type"] == \
        {"t": "TUPLE", "fields": [{"t": "STRING"}, {"t": "LONG"}, {"t": "INT"}]}
    fn = function_of(n)
    assert (fn["kind"], fn["window_fn"], fn["all"]) == ("process", None, False)
    assert isinstance(fn["fn"], Count)
    assert out._transformation.description == \
        "Window(TumblingEventTimeWindows(5, 0), EventTimeTrigger, Count)"


def test_apply_window_node(env, keyed):
    n = window_node(env, keyed.count_window(2).apply(Apply()))
    fn = function_of(n)
    assert (n["name"], fn["kind"], n["out_type"]) == \
        ("CountTumblingWindowAssigner", "apply", {"t": "PICKLED"})
    assert "out_type" not in n["params"]
    assert isinstance(fn["fn"], Apply)
    assert n["params"]["assigner"]["kind"] == "count"


def test_reduce_without_window_function_keeps_the_input_type(env, keyed):
    out = keyed.window(TumblingEventTimeWindows.of(MS(5))).reduce(lambda a, b: (a[0], a[1] + b[1]))
    n = window_node(env, out)
    fn = function_of(n)
    assert fn["kind"] == "reduce" and fn["window_fn"] is None
    assert fn["fn"].reduce(("a", 1), ("a", 2)) == ("a", 3)
    assert n["out_type"] == PAIRS.to_plan_type() and out.get_type() == PAIRS
    assert out._transformation.description.endswith(", EventTimeTrigger, function)")


def test_reduce_with_a_window_function(env, keyed):
    out = keyed.window(TumblingEventTimeWindows.of(MS(5))).reduce(Sum(), Count())
    n = window_node(env, out)
    fn = function_of(n)
    assert isinstance(fn["fn"], Sum) and isinstance(fn["window_fn"], Count)
    assert n["out_type"] == {"t": "PICKLED"}
    assert out._transformation.description.endswith("Sum, Count)")


def test_aggregate_window_node(env, keyed):
    out = keyed.window(SlidingEventTimeWindows.of(MS(10), MS(5))) \
        .aggregate(Average(), accumulator_type=Types.TUPLE([Types.LONG(), Types.LONG()]),
                   output_type=Types.DOUBLE())
    n = window_node(env, out)
    fn = function_of(n)
    assert (fn["kind"], fn["window_fn"]) == ("aggregate", None)
    assert isinstance(fn["fn"], Average)
    assert n["params"]["accumulator_type"] == \
        {"t": "TUPLE", "fields": [{"t": "LONG"}, {"t": "LONG"}]}
    assert n["out_type"] == {"t": "DOUBLE"}


def test_aggregate_accumulator_defaults(env, keyed):
    windowed = keyed.window(TumblingEventTimeWindows.of(MS(5)))
    pickled = window_node(env, windowed.aggregate(Average(), Apply()))
    assert pickled["params"]["accumulator_type"] == {"t": "PICKLED"}
    assert isinstance(function_of(pickled)["window_fn"], Apply)
    row = window_node(env, windowed.aggregate(Average(), accumulator_type=[Types.LONG()]))
    assert row["params"]["accumulator_type"]["t"] == "ROW"


def test_trigger_lateness_and_late_tag(env, keyed):
    late = OutputTag("late", PAIRS)
    out = keyed.window(TumblingEventTimeWindows.of(MS(5))) \
        .trigger(PurgingTrigger.of(CountTrigger.of(3))) \
        .allowed_lateness(Duration.of_millis(7)) \
        .side_output_late_data(late) \
        .process(Count())
    side = out.get_side_output(late)
    side.print()
    plan = plan_of(env)
    n = node(plan, out)
    assert n["params"]["trigger"] == {"kind": "purging", "nested": {"kind": "count", "count": 3}}
    assert (n["params"]["allowed_lateness"], n["params"]["late_tag"]) == (7, "late")
    assert node(plan, side)["inputs"] == [{"node": n["id"], "partition": "auto", "tag": "late"}]
    assert node(plan, side)["out_type"] == PAIRS.to_plan_type()
    assert "PurgingTrigger" in out._transformation.description


def test_allowed_lateness_takes_milliseconds_or_time(keyed):
    windowed = keyed.window(TumblingEventTimeWindows.of(MS(5)))
    assert windowed.allowed_lateness(12) is windowed and windowed._allowed_lateness == 12
    assert windowed.allowed_lateness(Time.seconds(1))._allowed_lateness == 1000
    with pytest.raises(ValueError, match="The allowed lateness cannot be negative."):
        windowed.allowed_lateness(-1)
    with pytest.raises(TypeError, match="time_ms must be an int"):
        windowed.allowed_lateness("1s")


def test_count_windows(env, keyed):
    tumbling = window_node(env, keyed.count_window(3).apply(Apply()))
    assert tumbling["params"]["assigner"] == \
        {"kind": "count", "time": "processing", "size": 3, "slide": 3, "offset": 0, "gap": 0}
    sliding = window_node(env, keyed.count_window(3, 1).apply(Apply()))
    assert sliding["name"] == "CountSlidingWindowAssigner"
    assert (sliding["params"]["assigner"]["size"], sliding["params"]["assigner"]["slide"]) == \
        (3, 1)
    with pytest.raises(ValueError, match="CountTumblingWindowAssigner parameters"):
        keyed.count_window(0)


def test_global_windows_with_a_trigger(env, keyed):
    n = window_node(env, keyed.window(GlobalWindows.create()).trigger(CountTrigger.of(2))
                    .apply(Apply()))
    assert n["params"]["assigner"]["kind"] == "global"
    assert n["params"]["trigger"] == {"kind": "count", "count": 2}


class Gap(SessionWindowTimeGapExtractor):
    def extract(self, element):
        return element[1]


def test_dynamic_session_gap_extractor_is_pickled(env, keyed):
    n = window_node(env, keyed.window(EventTimeSessionWindows.with_dynamic_gap(Gap()))
                    .process(Count()))
    assigner = n["params"]["assigner"]
    assert (n["name"], assigner["kind"], assigner["gap"]) == \
        ("DynamicEventTimeSessionWindows", "session", 0)
    assert cloudpickle.loads(assigner["gap_extractor"]).extract(("a", 9)) == 9


def test_plans_without_pickling_leave_functions_empty(env, keyed):
    keyed.window(EventTimeSessionWindows.with_dynamic_gap(Gap())).process(Count()).print()
    n = build_plan(env, env._transformations, pickle_functions=False)["nodes"][2]
    assert n["params"]["fn"] == b"" and n["params"]["assigner"]["gap_extractor"] == b""


# ---- window_all ----

def test_window_all_runs_at_parallelism_one_through_global_edges(env, ds):
    out = ds.window_all(TumblingProcessingTimeWindows.of(MS(100))).process(AllCount())
    n = window_node(env, out)
    assert (n["kind"], n["name"], n["parallelism"], n["max_parallelism"]) == \
        ("window", "TumblingProcessingTimeWindows", 1, 1)
    assert n["inputs"] == [{"node": ds._transformation.id, "partition": "global"}]
    assert n["params"]["all"] is True and function_of(n)["all"] is True
    assert out._transformation.description.startswith("AllWindow(")
    with pytest.raises(ValueError, match="The parallelism of non parallel operator must be 1."):
        out.set_parallelism(2)


def test_window_all_of_a_union_makes_every_edge_global(env, ds):
    other = env.from_collection([("c", 3)], type_info=PAIRS)
    n = window_node(env, ds.union(other).window_all(GlobalWindows.create())
                    .trigger(CountTrigger.of(2)).apply(AllApply()))
    assert [i["partition"] for i in n["inputs"]] == ["global", "global"]


def test_window_all_functions(env, ds):
    windowed = ds.window_all(TumblingEventTimeWindows.of(MS(5)))
    reduced = window_node(env, windowed.reduce(Sum()))
    assert reduced["out_type"] == PAIRS.to_plan_type()
    with_fn = window_node(env, windowed.reduce(Sum(), AllCount(), Types.INT()))
    assert isinstance(function_of(with_fn)["window_fn"], AllCount)
    aggregated = window_node(env, windowed.aggregate(Average(), AllApply(),
                                                     output_type=Types.INT()))
    assert function_of(aggregated)["kind"] == "aggregate"
    assert aggregated["out_type"] == {"t": "INT"}


def test_window_all_of_a_keyed_stream_uses_its_values(env, keyed):
    n = window_node(env, keyed.window_all(GlobalWindows.create()).apply(AllApply()))
    assert n["inputs"] == [{"node": keyed._transformation.id, "partition": "global"}]


# ---- errors ----

class MyTrigger(Trigger):
    def on_element(self, element, timestamp, window, ctx):
        return TriggerResult.FIRE

    def on_processing_time(self, time, window, ctx):
        return TriggerResult.CONTINUE

    def on_event_time(self, time, window, ctx):
        return TriggerResult.CONTINUE

    def on_merge(self, window, ctx):
        pass

    def clear(self, window, ctx):
        pass


class EveryElement(WindowAssigner):
    def assign_windows(self, element, timestamp, context):
        return []

    def get_default_trigger(self, env):
        return EventTimeTrigger()

    def get_window_serializer(self):
        return None

    def is_event_time(self):
        return True


def test_custom_trigger_travels_with_the_window_function(env, keyed):
    out = keyed.window(TumblingEventTimeWindows.of(MS(5))).trigger(MyTrigger()).process(Count())
    n = window_node(env, out)
    # The engine learns of a Python trigger from the worker that runs it with the function.
    assert n["params"].get("trigger") is None
    assert type(function_of(n)["trigger"]).__name__ == "MyTrigger"


def test_custom_assigner_fails_when_the_job_is_built(env, keyed):
    keyed.window(EveryElement()).process(Count()).print()
    with pytest.raises(NotImplementedError,
                       match="custom Python window assigners \\(EveryElement\\)"):
        plan_of(env)


def test_merging_assigner_needs_a_merging_trigger(keyed, ds):
    for windowed in (keyed.window(EventTimeSessionWindows.with_gap(MS(5))),
                     ds.window_all(EventTimeSessionWindows.with_gap(MS(5)))):
        with pytest.raises(TypeError, match="A merging window assigner cannot be used with a "
                                            "trigger that does not support merging."):
            windowed.trigger(MyTrigger())
        assert windowed.trigger(CountTrigger.of(2)) is windowed


@pytest.mark.parametrize("call, message", [
    (lambda k: k.window(None), "window_assigner must be a WindowAssigner, got NoneType"),
    (lambda k: k.window(TumblingEventTimeWindows.of(MS(5))).trigger("count"),
     "trigger must be a Trigger, got str"),
    (lambda k: k.window(TumblingEventTimeWindows.of(MS(5))).side_output_late_data("late"),
     "output_tag must be an OutputTag, got str"),
    (lambda k: k.window(TumblingEventTimeWindows.of(MS(5))).reduce(1),
     "The input must be a ReduceFunction or a callable function!"),
    (lambda k: k.window(TumblingEventTimeWindows.of(MS(5))).reduce(Sum(), AllCount()),
     "window_function should be a WindowFunction or ProcessWindowFunction"),
    (lambda k: k.window(TumblingEventTimeWindows.of(MS(5))).aggregate(Sum()),
     "The input must be a pyflink.datastream.functions.AggregateFunction!"),
    (lambda k: k.window(TumblingEventTimeWindows.of(MS(5))).aggregate(Average(), Sum()),
     "window_function should be a WindowFunction or ProcessWindowFunction"),
    (lambda k: k.window(TumblingEventTimeWindows.of(MS(5)))
     .aggregate(Average(), accumulator_type="x"),
     "accumulator_type must be None, list or TypeInformation"),
    (lambda k: k.window(TumblingEventTimeWindows.of(MS(5))).apply(Count()),
     "window_function should be a WindowFunction"),
    (lambda k: k.window(TumblingEventTimeWindows.of(MS(5))).process(Apply()),
     "process_window_function should be a ProcessWindowFunction"),
    (lambda k: k.window_all(GlobalWindows.create()).reduce(Sum(), Count()),
     "window_function should be a AllWindowFunction or ProcessAllWindowFunction"),
    (lambda k: k.window_all(GlobalWindows.create()).apply(Apply()),
     "window_function should be a AllWindowFunction"),
    (lambda k: k.window_all(GlobalWindows.create()).process(Count()),
     "process_window_function should be a ProcessAllWindowFunction"),
    (lambda k: k.window(TumblingEventTimeWindows.of(MS(5))).process(Count(), "INT"),
     "output_type must be None, list or TypeInformation"),
])
def test_window_arguments_are_checked(keyed, call, message):
    with pytest.raises(TypeError, match=message):
        call(keyed)


def test_windowed_stream_accessors(env, keyed, ds):
    windowed = keyed.window(TumblingEventTimeWindows.of(MS(5)))
    assert windowed.get_execution_environment() is env
    assert windowed.get_input_type() == PAIRS
    assert ds.window_all(GlobalWindows.create()).get_input_type() == PAIRS
