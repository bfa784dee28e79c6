"""The recognizer of windowed reduce functions made of per-field expressions.

Recognized functions put a ``native_reduce`` spec on the window node (the engine then
reduces in Go); everything else keeps the Python reduce. The list of rejected functions
is long on purpose: a wrong recognition would change results silently.
"""
import builtins

import pytest

from pyflink_go.common import Row, Time, Types
from pyflink_go.datastream import StreamExecutionEnvironment
from pyflink_go.datastream._plan import build_plan
from pyflink_go.datastream._reduce_shape import native_reduce_spec, reduce_shape
from pyflink_go.datastream.functions import ProcessWindowFunction, ReduceFunction, \
    ReduceFunctionWrapper
from pyflink_go.datastream.window import TumblingEventTimeWindows, Trigger, TriggerResult

TUPLE3 = Types.TUPLE([Types.STRING(), Types.INT(), Types.DOUBLE()])
ROW3 = Types.ROW_NAMED(["w", "n", "x"], [Types.STRING(), Types.LONG(), Types.FLOAT()])


def _max_alias():
    m = max
    return lambda a, b: (a[0], m(a[1], b[1]), b[2])


def _closure_over_value():
    c = 1
    return lambda a, b: (a[0], a[1] + b[1], c)


def plain_function(a, b):
    return a[0], a[1] + b[1], min(a[2], b[2])


class SumReduce(ReduceFunction):
    def reduce(self, value1, value2):
        return value1[0], value1[1] + value2[1], value2[2]


class SumReduceWithOpen(SumReduce):
    def open(self, runtime_context):
        self.opened = True


class UsesSelf(ReduceFunction):
    def __init__(self):
        self.k = 1

    def reduce(self, value1, value2):
        return value1[0], value1[1] + self.k, value2[2]


RECOGNIZED = [
    (lambda a, b: (a[0], a[1] + b[1], a[2]), [("first", 0), ("sum", 1), ("first", 2)]),
    (lambda a, b: (a[0], b[1] + a[1], b[2]), [("first", 0), ("sum", 1), ("last", 2)]),
    (lambda a, b: (b[0], max(a[1], b[1]), min(a[2], b[2])),
     [("last", 0), ("max", 1), ("min", 2)]),
    (lambda x, y: (x[0], x[1] + y[1], x[2] + y[2]), [("first", 0), ("sum", 1), ("sum", 2)]),
    (lambda a, b: (a[2], a[1], a[0]), [("first", 2), ("first", 1), ("first", 0)]),
    (_max_alias(), [("first", 0), ("max", 1), ("last", 2)]),
    (plain_function, [("first", 0), ("sum", 1), ("min", 2)]),
    (SumReduce(), [("first", 0), ("sum", 1), ("last", 2)]),
    (ReduceFunctionWrapper(lambda a, b: (a[0], a[1] + b[1], a[2])),
     [("first", 0), ("sum", 1), ("first", 2)]),
]


@pytest.mark.parametrize("fn,want", RECOGNIZED)
def test_recognized(fn, want):
    assert reduce_shape(fn) == want
    assert native_reduce_spec(fn, TUPLE3) == [{"op": op, "field": i} for op, i in want]


def _shadowed():
    """The lambda of a module whose global max is not the builtin."""
    module = {"max": lambda p, q: p}
    exec("f = lambda a, b: (a[0], max(a[1], b[1]), a[2])", module)
    return module["f"]


def _local_lambda_default(c=1):
    return lambda a, b, c=c: (a[0], a[1] + b[1], a[2])


def _other_function(v):
    return v


NOT_RECOGNIZED = [
    ("difference", lambda a, b: (a[0], a[1] - b[1], a[2])),
    ("plus constant", lambda a, b: (a[0], a[1] + 1, a[2])),
    ("other fields", lambda a, b: (a[0], a[1] + b[2], a[2])),
    ("same side twice", lambda a, b: (a[0], a[1] + a[1], a[2])),
    ("max reversed", lambda a, b: (a[0], builtins.max(b[1], a[1]), a[2])),
    ("max via attribute", lambda a, b: (a[0], builtins.max(a[1], b[1]), a[2])),
    ("max shadowed by a global", _shadowed()),
    ("closure over a value", _closure_over_value()),
    ("extra constant field", lambda a, b: (a[0], a[1] + b[1], 3)),
    ("negative index", lambda a, b: (a[0], a[1] + b[1], a[-1])),
    ("bool index", lambda a, b: (a[0], a[True] + b[True], a[2])),
    ("string index", lambda a, b: (a[0], a["n"] + b["n"], a[2])),
    ("slice", lambda a, b: (a[0:1], a[1] + b[1], a[2])),
    ("attribute", lambda a, b: (a.w, a[1] + b[1], a[2])),
    ("other call", lambda a, b: (a[0], _other_function(a[1]), a[2])),
    ("abs", lambda a, b: (a[0], abs(a[1] + b[1]), a[2])),
    ("nested sum", lambda a, b: (a[0], a[1] + b[1] + b[1], a[2])),
    ("three-argument max", lambda a, b: (a[0], max(a[1], b[1], 0), a[2])),
    ("max of sums", lambda a, b: (a[0], max(a[1] + b[1], b[1]), a[2])),
    ("list result", lambda a, b: [a[0], a[1] + b[1], a[2]]),
    ("whole element", lambda a, b: b),
    ("scalar sum", lambda a, b: a + b),
    ("conditional", lambda a, b: (a[0], a[1] + b[1], a[2]) if a else b),
    ("default argument", _local_lambda_default()),
    ("three arguments", lambda a, b, c: (a[0], a[1] + b[1], a[2])),
    ("varargs", lambda *v: (v[0][0], v[0][1] + v[1][1], v[0][2])),
    ("keyword max", lambda a, b: (a[0], max(a[1], b[1], key=abs), a[2])),
    ("ReduceFunction with open", SumReduceWithOpen()),
    ("ReduceFunction using self", UsesSelf()),
    ("builtin function", max),
    ("not callable", 3),
]


@pytest.mark.parametrize("name,fn", NOT_RECOGNIZED, ids=[n for n, _ in NOT_RECOGNIZED])
def test_not_recognized(name, fn):
    assert native_reduce_spec(fn, TUPLE3) is None


def test_instance_attribute_shadowing_reduce():
    f = SumReduce()
    f.reduce = lambda a, b: a
    assert reduce_shape(f) is None


@pytest.mark.parametrize("type_info,fn,want", [
    (ROW3, lambda a, b: (a[0], a[1] + b[1], max(a[2], b[2])), True),
    (TUPLE3, lambda a, b: (a[0], a[1] + b[1]), False),               # another arity
    (TUPLE3, lambda a, b: (a[0], a[1] + b[1], a[2], a[0]), False),   # another arity
    (TUPLE3, lambda a, b: (max(a[0], b[0]), a[1], a[2]), False),     # max of a STRING field
    (TUPLE3, lambda a, b: (a[0] + b[0], a[1], a[2]), False),         # sum of a STRING field
    (TUPLE3, lambda a, b: (a[0], a[1], a[5]), False),                # index beyond the type
    (Types.PICKLED_BYTE_ARRAY(), lambda a, b: (a[0], a[1] + b[1], a[2]), False),
    (Types.LONG(), lambda a, b: (a[0],), False),
    (Types.TUPLE([Types.STRING(), Types.BOOLEAN(), Types.INT()]),
     lambda a, b: (a[0], a[1] + b[1], a[2]), False),                # sum of a BOOLEAN field
    (Types.TUPLE([Types.STRING(), Types.BOOLEAN(), Types.INT()]),
     lambda a, b: (a[0], b[1], a[2] + b[2]), True),                 # any type is first/last
], ids=["row", "narrower", "wider", "max-string", "sum-string", "index-range", "pickled",
        "scalar", "sum-boolean", "last-boolean"])
def test_types_decide(type_info, fn, want):
    assert (native_reduce_spec(fn, type_info) is not None) == want


def test_switch_turns_recognition_off(monkeypatch):
    fn = lambda a, b: (a[0], a[1] + b[1], a[2])  # noqa: E731
    monkeypatch.setenv("PYFLINK_GO_NATIVE_WINDOW_REDUCE", "0")
    assert native_reduce_spec(fn, TUPLE3) is None
    monkeypatch.setenv("PYFLINK_GO_NATIVE_WINDOW_REDUCE", "1")
    assert native_reduce_spec(fn, TUPLE3) is not None


# ---- the plan's window node ----

@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")
    monkeypatch.delenv("PYFLINK_GO_NATIVE_WINDOW_REDUCE", raising=False)
    return StreamExecutionEnvironment.get_execution_environment()


def window_node(env, stream):
    stream.print()
    plan = build_plan(env, env._transformations)
    windows = [n for n in plan["nodes"] if n["kind"] == "window"]
    assert len(windows) == 1
    return windows[0]


class Last(ProcessWindowFunction):
    def process(self, key, context, elements):
        return elements


class FireEach(Trigger):
    """A user's trigger: it runs in Python beside the window function."""

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


def typed(env):
    return env.from_collection([("a", 1, 0.5)], type_info=TUPLE3)


SUM = lambda a, b: (a[0], a[1] + b[1], a[2] + b[2])  # noqa: E731
SPEC = [{"op": "first", "field": 0}, {"op": "sum", "field": 1}, {"op": "sum", "field": 2}]


def test_plan_carries_native_reduce(env):
    ws = typed(env).key_by(lambda x: x[0]).window(TumblingEventTimeWindows.of(Time.seconds(1)))
    node = window_node(env, ws.reduce(SUM))
    assert node["params"]["native_reduce"] == SPEC
    assert node["params"]["fn"]  # still pickled: the engine validates, but does not call it


def test_plan_window_all_and_count_windows(env):
    node = window_node(env, typed(env).window_all(
        TumblingEventTimeWindows.of(Time.seconds(1))).reduce(SUM))
    assert node["params"]["native_reduce"] == SPEC
    env2 = StreamExecutionEnvironment.get_execution_environment()
    node = window_node(env2, typed(env2).key_by(lambda x: x[0]).count_window(2).reduce(SUM))
    assert node["params"]["native_reduce"] == SPEC


@pytest.mark.parametrize("case", ["window_function", "output_type", "python_trigger",
                                  "untyped"])
def test_plan_keeps_python(env, case):
    ds = typed(env) if case != "untyped" else env.from_collection([("a", 1, 0.5)])
    ws = ds.key_by(lambda x: x[0]).window(TumblingEventTimeWindows.of(Time.seconds(1)))
    if case == "window_function":
        out = ws.reduce(SUM, window_function=Last(), output_type=TUPLE3)
    elif case == "output_type":
        out = ws.reduce(SUM, output_type=Types.TUPLE([Types.STRING(), Types.LONG(),
                                                      Types.DOUBLE()]))
    elif case == "python_trigger":
        out = ws.trigger(FireEach()).reduce(SUM)
    else:
        out = ws.reduce(SUM)
    assert "native_reduce" not in window_node(env, out)["params"]


def test_plan_same_output_type_is_native(env):
    ws = typed(env).key_by(lambda x: x[0]).window(TumblingEventTimeWindows.of(Time.seconds(1)))
    node = window_node(env, ws.reduce(SUM, output_type=TUPLE3))
    assert node["params"]["native_reduce"] == SPEC


def test_row_values_are_indexable(env):
    # Row fields are read by position, as the Python function reads them.
    r = Row(w="a", n=1, x=0.5)
    assert (r[0], r[1], r[2]) == ("a", 1, 0.5)
