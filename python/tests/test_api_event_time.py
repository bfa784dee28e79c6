"""Event time in the API: watermark strategies, assign_timestamps_and_watermarks, from_source's
strategy, process functions and side outputs, as the plan nodes they record."""

import os

import cloudpickle
import pytest

from pyflink_go.common import Duration, Time, Types, WatermarkStrategy
from pyflink_go.common.watermark_strategy import TimestampAssigner
from pyflink_go.datastream import KeyedProcessFunction, OutputTag, ProcessFunction, \
    StreamExecutionEnvironment, TimeCharacteristic
from pyflink_go.datastream._plan import build_plan
from pyflink_go.datastream.connectors.number_seq import NumberSequenceSource


@pytest.fixture(autouse=True)
def four_cores(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")


@pytest.fixture
def env():
    return StreamExecutionEnvironment.get_execution_environment()


def plan_of(env):
    return build_plan(env, env._transformations)


def by_id(plan):
    return {n["id"]: n for n in plan["nodes"]}


def node(plan, stream):
    return by_id(plan)[stream._transformation.id]


def inputs(n):
    return [(i["node"], i["partition"]) + ((i["tag"],) if "tag" in i else ())
            for i in n["inputs"]]


class FirstField(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value[0]


class Emit(ProcessFunction):
    def process_element(self, value, ctx):
        yield value


class KeyedEmit(KeyedProcessFunction):
    def process_element(self, value, ctx):
        yield value


PAIRS = Types.TUPLE([Types.LONG(), Types.STRING()])


# ---- WatermarkStrategy ----

@pytest.mark.parametrize("strategy, params", [
    (WatermarkStrategy.for_monotonous_timestamps(),
     {"kind": "monotonous", "max_out_of_orderness_ms": 0, "idle_timeout_ms": 0}),
    (WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_seconds(2)),
     {"kind": "bounded", "max_out_of_orderness_ms": 2000, "idle_timeout_ms": 0}),
    (WatermarkStrategy.no_watermarks(),
     {"kind": "none", "max_out_of_orderness_ms": 0, "idle_timeout_ms": 0}),
    (WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(5))
     .with_idleness(Duration.of_minutes(1)),
     {"kind": "bounded", "max_out_of_orderness_ms": 5, "idle_timeout_ms": 60000}),
    (WatermarkStrategy.for_bounded_out_of_orderness(Time.seconds(1)),
     {"kind": "bounded", "max_out_of_orderness_ms": 1000, "idle_timeout_ms": 0}),
])
def test_strategies_as_watermarks_params(strategy, params):
    assert strategy._watermarks_params() == params


def test_with_timestamp_assigner_returns_the_strategy_itself():
    strategy = WatermarkStrategy.for_monotonous_timestamps()
    assigner = FirstField()
    assert strategy.with_timestamp_assigner(assigner) is strategy
    assert strategy._timestamp_assigner is assigner
    idle = strategy.with_idleness(Duration.of_seconds(3))
    assert idle is not strategy and idle._timestamp_assigner is assigner


@pytest.mark.parametrize("call, error, message", [
    (lambda: WatermarkStrategy.for_bounded_out_of_orderness(5), TypeError,
     "max_out_of_orderness must be a Duration, got int"),
    (lambda: WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(-1)), ValueError,
     "maxOutOfOrderness cannot be negative"),
    (lambda: WatermarkStrategy.for_monotonous_timestamps().with_idleness(Duration.of_millis(0)),
     ValueError, "idleTimeout must be greater than zero"),
    (lambda: WatermarkStrategy.for_monotonous_timestamps().with_idleness("1s"), TypeError,
     "idle_timeout must be a Duration"),
])
def test_strategy_arguments_are_checked(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- assign_timestamps_and_watermarks ----

def test_assigner_then_watermarks(env):
    ds = env.from_collection([(1, "a")], type_info=PAIRS)
    strategy = WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_seconds(2)) \
        .with_timestamp_assigner(FirstField())
    out = ds.assign_timestamps_and_watermarks(strategy)
    out.print()
    plan = plan_of(env)
    source, stamp, watermarks = plan["nodes"][:3]
    assert (stamp["kind"], stamp["name"], stamp["params"]["func"]) == \
        ("python", "Extract-Timestamp", "timestamp_assigner")
    assert inputs(stamp) == [(source["id"], "auto")]
    assert stamp["out_type"] == PAIRS.to_plan_type() and stamp["parallelism"] == 4
    assert cloudpickle.loads(stamp["params"]["fn"]).extract_timestamp((7, "x"), -1) == 7
    assert watermarks == node(plan, out)
    assert (watermarks["kind"], watermarks["name"]) == ("watermarks", "Timestamps/Watermarks")
    assert watermarks["params"] == {
        "strategy": {"kind": "bounded", "max_out_of_orderness_ms": 2000, "idle_timeout_ms": 0},
        "interval_ms": 200}
    assert inputs(watermarks) == [(stamp["id"], "auto")]
    assert watermarks["parallelism"] == 4 and watermarks["out_type"] == PAIRS.to_plan_type()
    assert out.get_type() == PAIRS


def test_a_callable_assigner_is_accepted(env):
    strategy = WatermarkStrategy.for_monotonous_timestamps() \
        .with_timestamp_assigner(lambda value, ts: value[0])
    env.from_collection([(1, "a")], type_info=PAIRS).assign_timestamps_and_watermarks(strategy) \
        .print()
    stamp = plan_of(env)["nodes"][1]
    assert cloudpickle.loads(stamp["params"]["fn"])((3, "b"), -1) == 3


def test_without_assigner_only_watermarks_at_the_input_parallelism(env):
    ds = env.from_collection([1, 2])
    out = ds.assign_timestamps_and_watermarks(WatermarkStrategy.for_monotonous_timestamps())
    out.print()
    plan = plan_of(env)
    assert [n["kind"] for n in plan["nodes"]][:2] == ["collection_source", "watermarks"]
    assert node(plan, out)["parallelism"] == 1
    assert inputs(node(plan, out)) == [(ds._transformation.id, "auto")]


def test_watermark_interval_is_read_when_the_job_is_built(env):
    out = env.from_collection([1]).assign_timestamps_and_watermarks(
        WatermarkStrategy.for_monotonous_timestamps())
    out.print()
    env.get_config().set_auto_watermark_interval(50)
    assert node(plan_of(env), out)["params"]["interval_ms"] == 50
    env.set_stream_time_characteristic(TimeCharacteristic.ProcessingTime)
    assert node(plan_of(env), out)["params"]["interval_ms"] == 0


def test_no_watermarks_still_gets_a_node(env):
    out = env.from_collection([1]).assign_timestamps_and_watermarks(
        WatermarkStrategy.no_watermarks())
    out.print()
    assert node(plan_of(env), out)["params"]["strategy"]["kind"] == "none"


def test_the_watermarks_operator_can_be_named(env):
    out = env.from_collection([1]).assign_timestamps_and_watermarks(
        WatermarkStrategy.for_monotonous_timestamps()).name("stamps").uid("wm")
    out.print()
    n = node(plan_of(env), out)
    assert (n["name"], n["uid"]) == ("stamps", "wm")


@pytest.mark.parametrize("strategy, message", [
    (None, "watermark_strategy must be a WatermarkStrategy, got NoneType"),
    (WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(42),
     "The timestamp assigner must be a TimestampAssigner or a callable function, got int"),
])
def test_bad_strategies_are_rejected(env, strategy, message):
    with pytest.raises(TypeError, match=message):
        env.from_collection([1]).assign_timestamps_and_watermarks(strategy)


# ---- from_source ----

def test_from_source_without_watermarks_is_the_source_alone(env):
    ds = env.from_source(NumberSequenceSource(1, 3), WatermarkStrategy.no_watermarks(), "seq")
    ds.print()
    assert [n["kind"] for n in plan_of(env)["nodes"]] == ["number_sequence_source", "print_sink"]


def test_from_source_watermarks_follow_the_source(env):
    strategy = WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(10)) \
        .with_timestamp_assigner(lambda value, ts: value)
    ds = env.from_source(NumberSequenceSource(1, 3), strategy, "seq")
    ds.set_parallelism(3).name("numbers").uid("src")
    ds.map(lambda x: x).print()
    plan = plan_of(env)
    source, stamp, watermarks, mapped = plan["nodes"][:4]
    assert (source["kind"], source["name"], source["uid"], source["parallelism"]) == \
        ("number_sequence_source", "Source: numbers", "src", 3)
    assert stamp["params"]["func"] == "timestamp_assigner" and stamp["parallelism"] == 3
    assert watermarks["kind"] == "watermarks" and watermarks["parallelism"] == 3
    assert watermarks["params"]["strategy"]["max_out_of_orderness_ms"] == 10
    assert inputs(stamp) == [(source["id"], "auto")]
    assert inputs(watermarks) == [(stamp["id"], "auto")]
    assert inputs(mapped) == [(watermarks["id"], "auto")]
    assert ds.get_name() == "numbers"


def test_from_source_alone_has_no_operators(env):
    env.from_source(NumberSequenceSource(1, 3), WatermarkStrategy.for_monotonous_timestamps(),
                    "seq")
    with pytest.raises(RuntimeError, match="No operators defined"):
        plan_of(env)


# ---- process functions ----

def test_process_function_node(env):
    out = env.from_collection([1]).process(Emit(), output_type=[Types.INT()])
    out.print()
    n = node(plan_of(env), out)
    assert (n["kind"], n["name"], n["params"]["func"]) == ("python", "PROCESS", "process")
    assert n["out_type"] == {"t": "ROW", "fields": [{"t": "INT"}], "names": ["f0"]}
    assert isinstance(cloudpickle.loads(n["params"]["fn"]), Emit)


def test_keyed_process_function_node(env):
    keyed = env.from_collection([(1, "a")], type_info=PAIRS).key_by(lambda v: v[1])
    out = keyed.process(KeyedEmit(), Types.LONG())
    out.print()
    plan = plan_of(env)
    n = node(plan, out)
    assert (n["name"], n["params"]["func"], n["params"]["keyed"]) == \
        ("KEYED PROCESS", "keyed_process", True)
    assert inputs(n) == [(keyed._transformation.id, "hash")]
    assert n["params"]["out_type"] == {"t": "LONG"}


@pytest.mark.parametrize("apply, message", [
    (lambda ds: ds.process(lambda x: x), "The input must be a ProcessFunction"),
    (lambda ds: ds.process(KeyedEmit()), "The input must be a ProcessFunction"),
    (lambda ds: ds.key_by(lambda x: x).process(Emit()),
     "KeyedProcessFunction is required for KeyedStream."),
    (lambda ds: ds.process(Emit(), output_type="INT"),
     "output_type must be None, list or TypeInformation"),
])
def test_process_arguments_are_checked(env, apply, message):
    with pytest.raises(TypeError, match=message):
        apply(env.from_collection([1]))


# ---- side outputs ----

def test_get_side_output_reads_the_tag_through_a_map(env):
    tag = OutputTag("small", Types.TUPLE([Types.STRING(), Types.INT()]))
    main = env.from_collection([1]).process(Emit())
    side = main.get_side_output(tag)
    side.print()
    plan = plan_of(env)
    n = node(plan, side)
    assert (n["kind"], n["name"], n["params"]["func"]) == ("python", "Map", "map")
    assert inputs(n) == [(main._transformation.id, "auto", "small")]
    assert n["out_type"] == tag.type_info.to_plan_type()
    assert cloudpickle.loads(n["params"]["fn"])("x") == "x"
    assert side.get_type() == tag.type_info


def test_untyped_side_output_is_pickled(env):
    side = env.from_collection([1]).process(Emit()).get_side_output(OutputTag("any"))
    side.print()
    n = node(plan_of(env), side)
    assert n["out_type"] == {"t": "PICKLED"} and "out_type" not in n["params"]


@pytest.mark.parametrize("make, error, message", [
    (lambda: OutputTag(""), ValueError, "OutputTag tag_id cannot be None or empty string"),
    (lambda: OutputTag(None), ValueError, "OutputTag tag_id cannot be None or empty string"),
    (lambda: OutputTag("t", "INT"), TypeError,
     "OutputTag type_info must be None, list or TypeInformation"),
])
def test_output_tag_arguments(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_output_tag_list_type_is_a_row_and_tags_pickle():
    tag = OutputTag("row", [Types.STRING(), Types.LONG()])
    assert tag.type_info.to_plan_type()["t"] == "ROW"
    copy = cloudpickle.loads(cloudpickle.dumps(tag))
    assert copy == tag and copy.tag_id == "row" and copy.type_info == tag.type_info


def test_get_side_output_needs_a_tag(env):
    with pytest.raises(TypeError, match="output_tag must be an OutputTag, got str"):
        env.from_collection([1]).process(Emit()).get_side_output("late")
