"""Two-input plan nodes: connect with co-functions, keyed connect, and broadcast state."""

import os

import cloudpickle
import pytest

from pyflink_go.common import Types
from pyflink_go.datastream import BroadcastConnectedStream, BroadcastProcessFunction, \
    BroadcastStream, CoFlatMapFunction, CoMapFunction, CoProcessFunction, ConnectedStreams, \
    KeyedBroadcastProcessFunction, KeyedCoProcessFunction, StreamExecutionEnvironment
from pyflink_go.datastream._plan import build_plan
from pyflink_go.datastream.state import MapStateDescriptor, ValueStateDescriptor


@pytest.fixture(autouse=True)
def four_cores(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")


@pytest.fixture
def env():
    return StreamExecutionEnvironment.get_execution_environment()


def plan_of(env):
    return build_plan(env, env._transformations)


def node(plan, stream):
    return next(n for n in plan["nodes"] if n["id"] == stream._transformation.id)


def inputs(n):
    return [(i["node"], i["partition"]) for i in n["inputs"]]


class Both(CoMapFunction):
    def map1(self, value):
        return "1:%s" % value

    def map2(self, value):
        return "2:%s" % value


class BothFlat(CoFlatMapFunction):
    def flat_map1(self, value):
        yield value

    def flat_map2(self, value):
        yield value


class Co(CoProcessFunction):
    def process_element1(self, value, ctx):
        yield value

    def process_element2(self, value, ctx):
        yield value


class KeyedCo(KeyedCoProcessFunction):
    def process_element1(self, value, ctx):
        yield value

    def process_element2(self, value, ctx):
        yield value


class Rules(BroadcastProcessFunction):
    def process_element(self, value, ctx):
        yield value

    def process_broadcast_element(self, value, ctx):
        pass


class KeyedRules(KeyedBroadcastProcessFunction):
    def process_element(self, value, ctx):
        yield value

    def process_broadcast_element(self, value, ctx):
        pass


@pytest.mark.parametrize("apply, func, name, fn_type", [
    (lambda c: c.map(Both()), "co_map", "Co-Map", Both),
    (lambda c: c.flat_map(BothFlat()), "co_flat_map", "Co-Flat Map", BothFlat),
    (lambda c: c.process(Co()), "co_process", "Co-Process", Co),
])
def test_connected_streams_nodes(env, apply, func, name, fn_type):
    first = env.from_collection([1, 2])
    second = env.from_collection(["a"])
    connected = first.connect(second)
    assert isinstance(connected, ConnectedStreams)
    assert (connected.stream1, connected.stream2) == (first, second)
    out = apply(connected)
    out.print()
    n = node(plan_of(env), out)
    assert (n["kind"], n["name"], n["params"]["func"], n["parallelism"]) == \
        ("python", name, func, 4)
    assert "keyed" not in n["params"]
    assert inputs(n) == [(first._transformation.id, "auto"), (second._transformation.id, "auto")]
    assert isinstance(cloudpickle.loads(n["params"]["fn"]), fn_type)
    assert n["out_type"] == {"t": "PICKLED"}


def test_keyed_connected_streams(env):
    first = env.from_collection([(1, "a")])
    second = env.from_collection([("a", 2.0)])
    connected = first.connect(second).key_by(lambda v: v[1], lambda v: v[0], Types.STRING())
    out = connected.process(KeyedCo(), Types.STRING())
    mapped = connected.map(Both())
    out.print()
    mapped.print()
    plan = plan_of(env)
    n = node(plan, out)
    assert (n["name"], n["params"]["func"], n["params"]["keyed"]) == \
        ("Keyed Co-Process", "keyed_co_process", True)
    assert [p for _, p in inputs(n)] == ["hash", "hash"]
    key_bys = [next(m for m in plan["nodes"] if m["id"] == i) for i, _ in inputs(n)]
    assert [k["params"]["key_type"] for k in key_bys] == [{"t": "STRING"}, {"t": "STRING"}]
    assert [k["inputs"][0]["node"] for k in key_bys] == \
        [first._transformation.id, second._transformation.id]
    assert n["params"]["out_type"] == {"t": "STRING"}
    m = node(plan, mapped)
    assert (m["params"]["func"], m["params"]["keyed"]) == ("co_map", True)


def test_key_by_of_keyed_connected_streams_rekeys_the_origins(env):
    first = env.from_collection([1]).key_by(lambda v: v)
    second = env.from_collection([2])
    rekeyed = first.connect(second).key_by(lambda v: -v, lambda v: -v)
    assert rekeyed.stream1._origin_stream is first._origin_stream
    assert rekeyed._is_keyed_stream()


def test_a_union_input_becomes_one_union_node(env):
    a, b, c = env.from_collection([1]), env.from_collection([2]), env.from_collection([3])
    out = a.union(b).connect(c.rebalance()).map(Both())
    out.print()
    plan = plan_of(env)
    n = node(plan, out)
    (union_id, union_partition), (c_id, c_partition) = inputs(n)
    union = next(m for m in plan["nodes"] if m["id"] == union_id)
    assert (union["kind"], union_partition) == ("union", "auto")
    assert inputs(union) == [(a._transformation.id, "auto"), (b._transformation.id, "auto")]
    assert (c_id, c_partition) == (c._transformation.id, "rebalance")


@pytest.mark.parametrize("apply, message", [
    (lambda c: c.map(lambda x: x), "The input function must be a CoMapFunction!"),
    (lambda c: c.flat_map(Both()), "The input must be a CoFlatMapFunction!"),
    (lambda c: c.process(Both()),
     "The input must be a CoProcessFunction or KeyedCoProcessFunction!"),
])
def test_co_function_types_are_checked(env, apply, message):
    with pytest.raises(TypeError, match=message):
        apply(env.from_collection([1]).connect(env.from_collection([2])))


def test_connect_needs_a_stream(env):
    with pytest.raises(TypeError, match="connect\\(\\) takes a DataStream or a BroadcastStream"):
        env.from_collection([1]).connect([2])


def test_streams_of_two_environments_cannot_be_connected(env):
    other = StreamExecutionEnvironment.get_execution_environment()
    with pytest.raises(ValueError, match="different execution environments"):
        env.from_collection([1]).connect(other.from_collection([2])).map(Both())


# ---- broadcast ----

RULES = MapStateDescriptor("rules", Types.STRING(), Types.INT())


def test_broadcast_process_node(env):
    data = env.from_collection([1, 2])
    rules = env.from_collection([("r", 1)])
    broadcast = rules.broadcast(RULES)
    assert isinstance(broadcast, BroadcastStream)
    assert broadcast.broadcast_state_descriptors == [RULES]
    connected = data.connect(broadcast)
    assert isinstance(connected, BroadcastConnectedStream)
    out = connected.process(Rules(), output_type=Types.INT())
    out.print()
    n = node(plan_of(env), out)
    assert (n["kind"], n["name"], n["params"]["func"], n["parallelism"]) == \
        ("python", "Co-Process-Broadcast", "broadcast_process", 4)
    assert "keyed" not in n["params"]
    assert inputs(n) == [(data._transformation.id, "auto"),
                         (rules._transformation.id, "broadcast")]
    assert n["params"]["broadcast_states"] == [
        {"name": "rules", "type": {"t": "MAP", "key": {"t": "STRING"}, "value": {"t": "INT"}}}]
    assert n["out_type"] == {"t": "INT"}
    assert isinstance(cloudpickle.loads(n["params"]["fn"]), Rules)


def test_keyed_broadcast_process_node(env):
    keyed = env.from_collection([(1, "a")]).key_by(lambda v: v[1])
    other = MapStateDescriptor("limits", Types.STRING(), Types.LONG())
    out = keyed.connect(env.from_collection([("a", 1)]).broadcast(RULES, other)) \
        .process(KeyedRules())
    out.print()
    n = node(plan_of(env), out)
    assert (n["name"], n["params"]["func"], n["params"]["keyed"]) == \
        ("Keyed-Co-Process-Broadcast", "keyed_broadcast_process", True)
    assert [p for _, p in inputs(n)] == ["hash", "broadcast"]
    assert [s["name"] for s in n["params"]["broadcast_states"]] == ["rules", "limits"]


def test_broadcast_function_must_match_keyedness(env):
    rules = env.from_collection([1]).broadcast(RULES)
    with pytest.raises(TypeError, match="KeyedBroadcastProcessFunction should be applied to "
                                        "keyed DataStream"):
        env.from_collection([1]).connect(rules).process(KeyedRules())
    with pytest.raises(TypeError, match="BroadcastProcessFunction should be applied to "
                                        "non-keyed DataStream"):
        env.from_collection([1]).key_by(lambda x: x).connect(rules).process(Rules())
    with pytest.raises(TypeError, match="The input must be a BroadcastProcessFunction or "
                                        "KeyedBroadcastProcessFunction!"):
        env.from_collection([1]).connect(rules).process(Co())


def test_broadcast_needs_map_state_descriptors(env):
    with pytest.raises(TypeError, match="broadcast_state_descriptor must be MapStateDescriptor"):
        env.from_collection([1]).broadcast(ValueStateDescriptor("v", Types.INT()))
    with pytest.raises(TypeError, match="broadcast_state_descriptor must be MapStateDescriptor"):
        env.from_collection([1]).broadcast(RULES, "other")


def test_broadcast_without_descriptors_is_a_partitioning(env):
    ds = env.from_collection([1])
    out = ds.broadcast().map(lambda x: x)
    out.print()
    assert inputs(node(plan_of(env), out)) == [(ds._transformation.id, "broadcast")]
    with pytest.raises(Exception, match="Cannot override partitioning for KeyedStream."):
        ds.key_by(lambda x: x).broadcast(RULES)
