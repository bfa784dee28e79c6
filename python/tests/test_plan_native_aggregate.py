"""Keyed sum/min/max/min_by/max_by over typed numeric fields are marked to run natively in the engine."""

import pytest

from pyflink_go.common import Row, Types
from pyflink_go.datastream import StreamExecutionEnvironment
from pyflink_go.datastream._plan import build_plan


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")
    return StreamExecutionEnvironment.get_execution_environment()


def native_of(env, stream):
    stream.print()
    plan = build_plan(env, env._transformations)
    reduces = [n for n in plan["nodes"] if n["kind"] == "python" and n["params"].get("func") == "reduce"]
    assert len(reduces) == 1
    return reduces[0]["params"].get("native")


TUPLE = Types.TUPLE([Types.STRING(), Types.INT()])
ROW = Types.ROW_NAMED(["k", "v"], [Types.STRING(), Types.DOUBLE()])


@pytest.mark.parametrize("agg", ["sum", "min", "max", "min_by", "max_by"])
def test_typed_tuple_field_is_native(env, agg):
    ks = env.from_collection([("a", 1)], type_info=TUPLE).key_by(lambda x: x[0])
    assert native_of(env, getattr(ks, agg)(1)) == {"kind": agg.upper(), "pos": 1}


@pytest.mark.parametrize("type_info,values,position,want", [
    (ROW, [Row(k="a", v=1.0)], "v", 1),
    (Types.LONG(), [1], 0, -1),
    (TUPLE, [("a", 1)], 0, None),        # a STRING field stays in Python
    (None, [("a", 1)], 1, None),         # untyped values stay in Python
    (TUPLE, [("a", 1)], "f1", None),     # names locate fields of Rows only
    (Types.LONG(), [1], 1, None),        # a scalar has only position 0
])
def test_when_native(env, type_info, values, position, want):
    ds = env.from_collection(values, type_info=type_info) if type_info else env.from_collection(values)
    native = native_of(env, ds.key_by(lambda x: 0).sum(position))
    assert (native["pos"] if native else None) == want
