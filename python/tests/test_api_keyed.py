"""KeyedStream: what it refuses (as PyFlink), and what its operations record in the plan."""

import os

import pytest

from pyflink_go.common import Types
from pyflink_go.datastream import KeyedProcessFunction, KeyedStream, ProcessFunction, \
    StreamExecutionEnvironment
from pyflink_go.datastream._plan import build_plan


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")
    return StreamExecutionEnvironment.get_execution_environment()


@pytest.fixture
def keyed(env):
    ds = env.from_collection([("a", 1), ("b", 2)],
                             type_info=Types.TUPLE([Types.STRING(), Types.INT()]))
    return ds.key_by(lambda x: x[0])


PARTITIONING = "Cannot override partitioning for KeyedStream."


@pytest.mark.parametrize("call, message", [
    (lambda k: k.shuffle(), PARTITIONING),
    (lambda k: k.rescale(), PARTITIONING),
    (lambda k: k.rebalance(), PARTITIONING),
    (lambda k: k.forward(), PARTITIONING),
    (lambda k: k.broadcast(), PARTITIONING),
    (lambda k: k.partition_custom(lambda key, n: 0, lambda x: x), PARTITIONING),
    (lambda k: k.set_parallelism(2), "Set parallelism for KeyedStream is not supported."),
    (lambda k: k.name("x"), "Set name for KeyedStream is not supported."),
    (lambda k: k.get_name(), "Get name of KeyedStream is not supported."),
    (lambda k: k.uid("x"), "Set uid for KeyedStream is not supported."),
    (lambda k: k.set_uid_hash("x"), "Set uid hash for KeyedStream is not supported."),
    (lambda k: k.set_max_parallelism(8), "Set max parallelism for KeyedStream is not supported."),
    (lambda k: k.force_non_parallel(), "Set force non-parallel for KeyedStream is not supported."),
    (lambda k: k.set_buffer_timeout(5), "Set buffer timeout for KeyedStream is not supported."),
    (lambda k: k.start_new_chain(), "Start new chain for KeyedStream is not supported."),
    (lambda k: k.disable_chaining(), "Disable chaining for KeyedStream is not supported."),
    (lambda k: k.slot_sharing_group("g"),
     "Setting slot sharing group for KeyedStream is not supported."),
    (lambda k: k.cache(), "Cache for KeyedStream is not supported."),
])
def test_keyed_stream_refuses_as_pyflink(keyed, call, message):
    with pytest.raises(Exception) as info:
        call(keyed)
    assert str(info.value) == message


def nodes(env):
    return {n["id"]: n for n in build_plan(env, env._transformations)["nodes"]}


@pytest.mark.parametrize("apply, func, name, out_type, declared", [
    (lambda k: k.map(lambda x: x[1]), "map", "Map", {"t": "PICKLED"}, False),
    (lambda k: k.map(lambda x: x[1], output_type=Types.INT()), "map", "Map", {"t": "INT"}, True),
    (lambda k: k.flat_map(lambda x: [x], output_type=[Types.STRING(), Types.INT()]), "flat_map",
     "FlatMap", {"t": "ROW", "fields": [{"t": "STRING"}, {"t": "INT"}], "names": ["f0", "f1"]},
     True),
    (lambda k: k.filter(lambda x: x[1] > 1), "filter", "Filter",
     {"t": "TUPLE", "fields": [{"t": "STRING"}, {"t": "INT"}]}, False),
    (lambda k: k.reduce(lambda a, b: (a[0], a[1] + b[1])), "reduce", "Reduce",
     {"t": "TUPLE", "fields": [{"t": "STRING"}, {"t": "INT"}]}, True),
    (lambda k: k.sum(1), "reduce", "Reduce",
     {"t": "TUPLE", "fields": [{"t": "STRING"}, {"t": "INT"}]}, True),
    (lambda k: k.max_by(1), "reduce", "Reduce",
     {"t": "TUPLE", "fields": [{"t": "STRING"}, {"t": "INT"}]}, True),
])
def test_keyed_operations_read_the_key_by_node_through_hash(env, keyed, apply, func, name,
                                                            out_type, declared):
    out = apply(keyed)
    out.print()
    plan = nodes(env)
    key_by = plan[keyed._transformation.id]
    op = plan[out._transformation.id]
    assert key_by["params"]["func"] == "key_by"
    assert key_by["name"] == "_stream_key_by_map_operator"
    assert key_by["params"]["key_type"] == {"t": "PICKLED"}
    assert op["inputs"] == [{"node": key_by["id"], "partition": "hash"}]
    assert op["params"]["func"] == func
    assert op["params"]["keyed"] is True
    assert op["name"] == name
    assert op["out_type"] == out_type
    assert ("out_type" in op["params"]) is declared


def test_key_type_is_recorded(env):
    ds = env.from_collection([1, 2], type_info=Types.INT())
    keyed = ds.key_by(lambda x: x % 2, key_type=Types.INT())
    keyed.sum().print()
    key_by = nodes(env)[keyed._transformation.id]
    assert key_by["params"]["key_type"] == {"t": "INT"}
    assert key_by["out_type"] == {"t": "INT"}


def test_print_of_keyed_stream_prints_values_and_ignores_identifier(env, keyed):
    sink = keyed.print("ignored")
    plan = nodes(env)
    node = plan[sink._transformation.id]
    assert node["kind"] == "print_sink"
    assert node["params"]["identifier"] is None
    assert node["inputs"] == [{"node": keyed._transformation.id, "partition": "hash"}]
    assert node["out_type"] == {"t": "TUPLE", "fields": [{"t": "STRING"}, {"t": "INT"}]}


def test_union_of_keyed_stream_uses_its_values(env, keyed):
    other = env.from_collection([("c", 3)], type_info=Types.TUPLE([Types.STRING(), Types.INT()]))
    union = keyed.union(other)
    assert not isinstance(union, KeyedStream)
    assert [p for _, p in union._edges] == ["hash", "auto"]


def test_key_by_on_keyed_stream_rekeys_the_original_stream(env, keyed):
    rekeyed = keyed.key_by(lambda x: x[1])
    assert rekeyed._transformation.inputs == keyed._transformation.inputs


def test_keyed_stream_type_is_the_value_type(keyed):
    assert keyed.get_type() == Types.TUPLE([Types.STRING(), Types.INT()])


def test_process_needs_a_keyed_process_function(keyed):
    class Plain(ProcessFunction):
        def process_element(self, value, ctx):
            yield value

    with pytest.raises(TypeError, match="KeyedProcessFunction is required for KeyedStream."):
        keyed.process(Plain())


def test_keyed_process_is_a_keyed_python_node(env, keyed):
    class Keyed(KeyedProcessFunction):
        def process_element(self, value, ctx):
            yield value

    out = keyed.process(Keyed())
    out.print()
    n = next(n for n in build_plan(env, env._transformations)["nodes"]
             if n["id"] == out._transformation.id)
    assert (n["kind"], n["name"], n["params"]["func"], n["params"]["keyed"]) == \
        ("python", "KEYED PROCESS", "keyed_process", True)
    assert [i["partition"] for i in n["inputs"]] == ["hash"]


@pytest.mark.parametrize("position", [1.5, None, (1,)])
def test_accumulate_positions_must_be_int_or_str(keyed, position):
    with pytest.raises(TypeError, match="The field position must be of int or str type"):
        keyed.sum(position)


@pytest.mark.parametrize("method", ["map", "flat_map", "filter", "reduce"])
def test_non_callables_are_rejected(keyed, method):
    with pytest.raises(TypeError, match="The input must be a"):
        getattr(keyed, method)(42)
