"""The plan nodes DataStream operations record: names, kinds, partitions, types, parallelism."""

import os
import sys
import threading

import pytest

from pyflink_go.common import Configuration, Row, Types
from pyflink_go.datastream import CheckpointingMode, MapFunction, ProcessFunction, \
    RuntimeExecutionMode, StreamExecutionEnvironment
from pyflink_go.datastream._plan import build_plan
from pyflink_go.errors import FunctionSerializationError


@pytest.fixture(autouse=True)
def four_cores(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")


@pytest.fixture
def env():
    return StreamExecutionEnvironment.get_execution_environment()


def plan_of(env, **kwargs):
    return build_plan(env, env._transformations, **kwargs)


def node(plan, stream_or_sink):
    return next(n for n in plan["nodes"] if n["id"] == stream_or_sink._transformation.id)


def edges(plan, stream_or_sink):
    return [(i["node"], i["partition"]) for i in node(plan, stream_or_sink)["inputs"]]


class Double(MapFunction):
    def map(self, value):
        return value * 2


@pytest.mark.parametrize("apply, func, name, out_type, declared", [
    (lambda ds: ds.map(lambda x: x), "map", "Map", {"t": "PICKLED"}, False),
    (lambda ds: ds.map(Double(), Types.LONG()), "map", "Map", {"t": "LONG"}, True),
    (lambda ds: ds.map(str, output_type=[Types.STRING()]), "map", "Map",
     {"t": "ROW", "fields": [{"t": "STRING"}], "names": ["f0"]}, True),
    (lambda ds: ds.flat_map(lambda x: [x, x]), "flat_map", "FlatMap", {"t": "PICKLED"}, False),
    (lambda ds: ds.flat_map(lambda x: [x], Types.INT()), "flat_map", "FlatMap", {"t": "INT"},
     True),
    (lambda ds: ds.filter(lambda x: x > 1), "filter", "Filter", {"t": "INT"}, False),
    (lambda ds: ds.key_by(lambda x: x), "key_by", "_stream_key_by_map_operator", {"t": "INT"},
     False),
])
def test_one_input_operators(env, apply, func, name, out_type, declared):
    ds = env.from_collection([1, 2, 3], type_info=Types.INT())
    out = apply(ds)
    plan = plan_of(env)
    n = node(plan, out)
    assert n["kind"] == "python"
    assert n["name"] == name
    assert n["params"]["func"] == func
    assert n["out_type"] == out_type
    assert ("out_type" in n["params"]) is declared
    if declared:
        assert n["params"]["out_type"] == out_type
    assert "keyed" not in n["params"]
    assert edges(plan, out) == [(ds._transformation.id, "auto")]
    # key_by's extraction follows its input's parallelism (the collection source's 1), as
    # Flink aligns its key-by map operator; the other operators take the env's 4.
    assert n["parallelism"] == (1 if func == "key_by" else 4)
    assert n["chaining"] == "default"


@pytest.mark.parametrize("method, arg, message", [
    ("map", 1, "The input must be a MapFunction or a callable function"),
    ("flat_map", "x", "The input must be a FlatMapFunction or a callable function"),
    ("filter", None, "The input must be a FilterFunction or a callable function"),
    ("key_by", 3, "Parameter key_selector should be type of KeySelector or a callable function."),
])
def test_non_callables_are_rejected(env, method, arg, message):
    ds = env.from_collection([1])
    with pytest.raises(TypeError, match=message):
        getattr(ds, method)(arg)


def test_output_type_must_be_type_information(env):
    with pytest.raises(TypeError, match="output_type must be None, list or TypeInformation"):
        env.from_collection([1]).map(str, output_type="STRING")


@pytest.mark.parametrize("partition", ["rebalance", "shuffle", "forward", "rescale", "broadcast"])
def test_partitioning_sets_the_next_edge(env, partition):
    ds = env.from_collection([1])
    if partition == "forward":
        ds = ds.map(lambda x: x)  # forward needs equal parallelism
    out = getattr(ds, partition)().map(lambda x: x)
    plan = plan_of(env)
    assert edges(plan, out) == [(ds._transformation.id, partition)]


def test_union_merges_inputs_keeping_their_partitions(env):
    a = env.from_collection([1], type_info=Types.INT())
    b = env.from_collection([2], type_info=Types.INT()).map(lambda x: x, Types.INT())
    c = env.from_collection([3], type_info=Types.INT())
    union = a.union(b.rebalance(), c)
    out = union.map(lambda x: x)
    plan = plan_of(env)
    assert edges(plan, out) == [(a._transformation.id, "auto"), (b._transformation.id, "rebalance"),
                                (c._transformation.id, "auto")]
    assert union.get_type() == Types.INT()
    shuffled = union.shuffle().map(lambda x: x)
    assert {p for _, p in edges(plan_of(env), shuffled)} == {"shuffle"}


def test_union_of_different_types_fails(env):
    with pytest.raises(ValueError, match="Cannot union streams of different types"):
        env.from_collection([1], Types.INT()).union(env.from_collection(["a"], Types.STRING()))


@pytest.mark.parametrize("call", [
    lambda s: s.name("x"), lambda s: s.uid("u"), lambda s: s.set_parallelism(2),
    lambda s: s.get_name(), lambda s: s.disable_chaining(),
])
def test_operator_settings_need_an_operator(env, call):
    stream = env.from_collection([1]).map(lambda x: x).rebalance()
    with pytest.raises(TypeError, match="applies to the stream of one operator"):
        call(stream)


def test_operator_settings_reach_the_plan(env):
    ds = env.from_collection([1]).name("numbers").uid("src")
    mapped = ds.map(lambda x: x).name("double").uid("m").set_parallelism(3) \
        .set_max_parallelism(64).start_new_chain()
    filtered = mapped.filter(bool).disable_chaining()
    assert mapped.get_name() == "double"
    plan = plan_of(env)
    src, m, f = node(plan, ds), node(plan, mapped), node(plan, filtered)
    assert (src["name"], src["uid"], src["parallelism"], src["max_parallelism"]) == \
        ("numbers", "src", 1, 1)
    assert (m["name"], m["uid"], m["parallelism"], m["max_parallelism"], m["chaining"]) == \
        ("double", "m", 3, 64, "start_new_chain")
    assert f["chaining"] == "disable"
    assert f["uid"] is None


@pytest.mark.parametrize("call, error, message", [
    (lambda s: s.set_parallelism(0), ValueError, "must be at least 1"),
    (lambda s: s.set_max_parallelism(0), ValueError, "greater than 0"),
    (lambda s: s.set_max_parallelism(40000), ValueError, "smaller than or equal to 32768"),
])
def test_invalid_parallelism(env, call, error, message):
    with pytest.raises(error, match=message):
        call(env.from_collection([1]).map(lambda x: x))


def test_collection_source_is_non_parallel(env):
    with pytest.raises(ValueError, match="non parallel operator must be 1"):
        env.from_collection([1]).set_parallelism(2)


def test_force_non_parallel(env):
    mapped = env.from_collection([1]).map(lambda x: x).force_non_parallel()
    n = node(plan_of(env), mapped)
    assert (n["parallelism"], n["max_parallelism"]) == (1, 1)


def test_parallelism_is_taken_when_an_operator_is_created(env):
    first = env.from_collection([1]).map(lambda x: x)
    env.set_parallelism(2)
    second = first.map(lambda x: x)
    sink = second.print()
    plan = plan_of(env)
    assert plan["parallelism"] == 2
    assert node(plan, first)["parallelism"] == 4
    assert node(plan, second)["parallelism"] == 2
    assert node(plan, sink)["parallelism"] == 2


@pytest.mark.parametrize("type_info, style", [
    (None, "pickled"),
    (Types.ROW([Types.STRING(), Types.INT()]), "row"),
    (Types.ROW_NAMED(["a"], [Types.INT()]), "row"),
])
def test_print_renders_untyped_and_row_streams_first(env, type_info, style):
    values = [("a", 1)] if type_info is None or len(type_info.get_field_types()) == 2 else [(1,)]
    ds = env.from_collection(values, type_info=type_info)
    sink = ds.print("out")
    plan = plan_of(env)
    to_string = plan["nodes"][1]
    assert to_string["name"] == "Map"
    assert to_string["params"] == {"func": "to_string", "fn": None, "style": style}
    assert to_string["out_type"] == {"t": "STRING"}
    printed = node(plan, sink)
    assert printed["kind"] == "print_sink"
    assert printed["name"] == "Print to Std. Out"
    assert printed["params"] == {"identifier": "out"}
    assert printed["inputs"] == [{"node": to_string["id"], "partition": "auto"}]
    assert printed["parallelism"] == 4


@pytest.mark.parametrize("type_info", [
    Types.STRING(), Types.INT(), Types.TUPLE([Types.STRING(), Types.INT()]),
    Types.LIST(Types.INT()), Types.MAP(Types.STRING(), Types.INT()), Types.SQL_DATE(),
])
def test_print_of_other_types_goes_straight_to_the_sink(env, type_info):
    ds = env.from_collection([], type_info=type_info)
    sink = ds.print()
    plan = plan_of(env)
    assert [n["kind"] for n in plan["nodes"]] == ["collection_source", "print_sink"]
    assert node(plan, sink)["out_type"] == type_info.to_plan_type()


def test_data_stream_sink_settings(env):
    sink = env.from_collection(["a"], Types.STRING()).print().name("stdout").uid("p") \
        .set_parallelism(1).disable_chaining()
    n = node(plan_of(env), sink)
    assert (n["name"], n["uid"], n["parallelism"], n["chaining"]) == ("stdout", "p", 1, "disable")


def test_project_keeps_tuple_fields(env):
    import cloudpickle
    ds = env.from_collection([("a", 1, 2.0)],
                             Types.TUPLE([Types.STRING(), Types.INT(), Types.DOUBLE()]))
    projected = ds.project(2, 0)
    n = node(plan_of(env), projected)
    assert n["name"] == "Projection"
    assert n["out_type"] == {"t": "TUPLE", "fields": [{"t": "DOUBLE"}, {"t": "STRING"}]}
    assert cloudpickle.loads(n["params"]["fn"]).map(("a", 1, 2.0)) == (2.0, "a")


def test_project_needs_a_tuple_stream(env):
    with pytest.raises(Exception, match="Only Tuple DataStreams can be projected."):
        env.from_collection([1]).project(0)


def test_process_is_a_python_node(env):
    class Identity(ProcessFunction):
        def process_element(self, value, ctx):
            yield value

    out = env.from_collection([1]).process(Identity())
    out.print()
    n = node(plan_of(env), out)
    assert (n["kind"], n["name"], n["params"]["func"]) == ("python", "PROCESS", "process")
    assert "keyed" not in n["params"]


def test_unpicklable_function_names_the_operator(env):
    lock = threading.Lock()
    env.from_collection([1]).map(lambda x: (lock, x)).name("Locked").print()
    with pytest.raises(FunctionSerializationError, match="operator 'Locked'") as info:
        plan_of(env)
    assert "_thread.lock" in str(info.value)
    assert isinstance(info.value, TypeError)


def test_forward_between_different_parallelism_fails(env):
    ds = env.from_collection([1])
    ds.forward().map(lambda x: x).print()
    with pytest.raises(ValueError, match="Forward partitioning does not allow change of "
                                         "parallelism"):
        plan_of(env)


def test_a_job_needs_an_operator(env):
    env.from_collection([1])
    with pytest.raises(RuntimeError, match="No operators defined in streaming topology"):
        plan_of(env)


@pytest.mark.parametrize("setup, mode, job_name", [
    (lambda env: None, "STREAMING", "Flink Streaming Job"),
    (lambda env: env.set_runtime_mode(RuntimeExecutionMode.BATCH), "BATCH", "Flink Batch Job"),
    (lambda env: env.set_runtime_mode(RuntimeExecutionMode.AUTOMATIC), "BATCH", "Flink Batch Job"),
    (lambda env: env.configure(Configuration().set_string("execution.runtime-mode", "batch")),
     "BATCH", "Flink Batch Job"),
    (lambda env: env.configure(Configuration().set_string("pipeline.name", "named")),
     "STREAMING", "named"),
])
def test_runtime_mode_and_default_job_name(env, setup, mode, job_name):
    setup(env)
    env.from_collection([1]).print()
    plan = plan_of(env)
    assert plan["mode"] == mode
    assert plan["job_name"] == job_name


def test_environment_settings_in_the_plan(env):
    env.set_parallelism(3).set_max_parallelism(256).disable_operator_chaining()
    env.enable_checkpointing(500, CheckpointingMode.AT_LEAST_ONCE)
    env.get_config().set_global_job_parameters({"threshold": 5, "name": "a,b"})
    env.get_config().set_auto_watermark_interval(1000)
    env.from_collection([1]).print()
    plan = plan_of(env)
    assert plan["version"] == 1
    assert plan["parallelism"] == 3
    assert plan["max_parallelism"] == 256
    assert plan["chaining"] is False
    assert plan["job_parameters"] == {"threshold": "5", "name": "a,b"}
    assert plan["config"]["execution.checkpointing.interval"] == "500 ms"
    assert plan["config"]["execution.checkpointing.mode"] == "AT_LEAST_ONCE"
    assert plan["config"]["pipeline.auto-watermark-interval"] == "1 s"
    assert plan["python"]["executable"] == sys.executable
    assert all(os.path.isabs(p) for p in plan["python"]["path"])
    assert len(plan["job_id"]) == 32


def test_configuration_of_get_execution_environment(monkeypatch):
    config = Configuration()
    config.set_integer("parallelism.default", 2)
    config.set_string("execution.runtime-mode", "BATCH")
    config.set_string("my.key", "v")
    env = StreamExecutionEnvironment.get_execution_environment(config)
    assert env.get_parallelism() == 2
    env.from_collection([1]).map(lambda x: x).print()
    plan = plan_of(env)
    assert plan["parallelism"] == 2
    assert plan["mode"] == "BATCH"
    assert plan["config"]["my.key"] == "v"
    assert [n["parallelism"] for n in plan["nodes"]] == [1, 2, 2, 2]


def test_invalid_configuration_is_reported_early():
    with pytest.raises(ValueError, match="unknown runtime mode"):
        StreamExecutionEnvironment.get_execution_environment(
            Configuration().set_string("execution.runtime-mode", "SOMETIMES"))


def test_default_parallelism_is_the_cpu_count(env):
    assert env.get_parallelism() == 4
    assert env.get_config().get_parallelism() == 4
    assert env.get_max_parallelism() == -1
    env.from_collection([1]).print()
    assert plan_of(env)["max_parallelism"] == 128


@pytest.mark.parametrize("parallelism, expected", [(1, 128), (85, 128), (86, 256), (1000, 2048)])
def test_default_max_parallelism(parallelism, expected):
    from pyflink_go.datastream._plan import default_max_parallelism
    assert default_max_parallelism(parallelism) == expected


def test_typed_collection_values_are_converted(env):
    ds = env.from_collection([("a", 1), ["b", 2], Row("c", 3)],
                             type_info=Types.ROW([Types.STRING(), Types.INT()]))
    ds.print()
    rows = node(plan_of(env, pickle_functions=False), ds)["params"]["values"]
    assert [list(r) for r in rows] == [["a", 1], ["b", 2], ["c", 3]]
    assert all(r._fields == ["f0", "f1"] for r in rows)


def test_typed_collection_errors_name_the_element(env):
    with pytest.raises(TypeError, match=r"from_collection: element 1 \('x'\) does not match "
                                        r"type_info Integer"):
        env.from_collection([1, "x"], type_info=Types.INT())


def test_from_elements_is_from_collection(env):
    ds = env.from_elements("hello", "world")
    ds.print()
    n = node(plan_of(env), ds)
    assert (n["kind"], n["name"], n["params"]["values"]) == \
        ("collection_source", "Collection Source", ["hello", "world"])


def test_get_execution_plan_does_not_consume_the_job(env):
    from pyflink_go._testing import FakeEngine
    env.from_collection([1]).map(lambda x: x).print()
    with FakeEngine().installed() as engine:
        text = env.get_execution_plan()
        env.execute("twice")
    assert '"Print to Std. Out"' in text
    assert len(engine.plans) == 1
    assert [n["name"] for n in engine.plans[0]["nodes"]] == \
        [n["name"] for n in engine.plan_json_requests[0]["nodes"]]
    with pytest.raises(RuntimeError, match="No operators defined"):
        env.execute("again")
