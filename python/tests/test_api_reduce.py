"""The reduce functions behind KeyedStream.sum/min/max/min_by/max_by, run as the worker runs them:
unpickled, then folded over one key's values (the rolling results are what STREAMING emits)."""

import functools

import cloudpickle
import pytest

from pyflink_go.common import Row
from pyflink_go.datastream._accumulate import AccumulateReduceFunction, AccumulateType

SUM, MIN, MAX = AccumulateType.SUM, AccumulateType.MIN, AccumulateType.MAX
MIN_BY, MAX_BY = AccumulateType.MIN_BY, AccumulateType.MAX_BY


def rolling(acc_type, position, values):
    """The rolling results a keyed reduce emits for ``values`` of one key."""
    fn = cloudpickle.loads(cloudpickle.dumps(AccumulateReduceFunction(position, acc_type)))
    results, acc = [], None
    for value in values:
        acc = value if acc is None else fn.reduce(acc, value)
        results.append(acc)
    return results


@pytest.mark.parametrize("acc_type, position, values, expected", [
    # scalars: only position 0
    (SUM, 0, [1, 2, 3], [1, 3, 6]),
    (MIN, 0, [3, 1, 2], [3, 1, 1]),
    (MAX, 0, [1, 3, 2], [1, 3, 3]),
    (MIN_BY, 0, [3, 1, 2], [3, 1, 1]),
    (MAX_BY, 0, ["b", "c", "a"], ["b", "c", "c"]),
    (SUM, 0, [1.5, 2.5], [1.5, 4.0]),
    # tuples: a new tuple, other fields from the first value for min/max
    (SUM, 1, [("a", 1), ("a", 2), ("a", 5)], [("a", 1), ("a", 3), ("a", 8)]),
    (MIN, 1, [("x", 5), ("y", 2), ("z", 9)], [("x", 5), ("x", 2), ("x", 2)]),
    (MAX, 1, [("x", 5), ("y", 7), ("z", 1)], [("x", 5), ("x", 7), ("x", 7)]),
    (MIN_BY, 1, [("x", 5), ("y", 2), ("z", 9)], [("x", 5), ("y", 2), ("y", 2)]),
    (MAX_BY, 1, [("x", 5), ("y", 7), ("z", 1)], [("x", 5), ("y", 7), ("y", 7)]),
    # ties keep the first element
    (MIN_BY, 1, [("x", 2), ("y", 2)], [("x", 2), ("x", 2)]),
    (MAX_BY, 1, [("x", 2), ("y", 2)], [("x", 2), ("x", 2)]),
])
def test_rolling_results(acc_type, position, values, expected):
    assert rolling(acc_type, position, values) == expected


@pytest.mark.parametrize("acc_type, expected_first, expected_field", [
    (SUM, ["a", 8], 8),
    (MIN, ["a", 1], 1),
    (MAX, ["a", 5], 5),
])
def test_lists_are_updated_in_place(acc_type, expected_first, expected_field):
    first, second, third = ["a", 5], ["b", 1], ["c", 2]
    fn = AccumulateReduceFunction(1, acc_type)
    result = fn.reduce(fn.reduce(first, second), third)
    assert result is first
    assert first == expected_first
    assert first[1] == expected_field


@pytest.mark.parametrize("acc_type, position, expected", [
    (SUM, "count", Row(word="a", count=6)),
    (MIN, "count", Row(word="a", count=1)),
    (MAX, 1, Row(word="a", count=3)),
    (MIN_BY, "count", Row(word="b", count=1)),
    (MAX_BY, "count", Row(word="a", count=3)),
])
def test_rows_by_name_or_position(acc_type, position, expected):
    values = [Row(word="a", count=3), Row(word="b", count=1), Row(word="c", count=2)]
    result = functools.reduce(AccumulateReduceFunction(position, acc_type).reduce, values)
    assert result == expected
    if acc_type in (SUM, MIN, MAX):
        assert result is values[0]


@pytest.mark.parametrize("acc_type", [SUM, MIN, MAX])
def test_scalar_with_nonzero_position_is_a_type_error(acc_type):
    fn = AccumulateReduceFunction(1, acc_type)
    with pytest.raises(TypeError, match="The 1 field selected on a basic type"):
        fn.reduce(1, 2)


def test_string_position_on_tuple_fails_like_python_indexing():
    fn = AccumulateReduceFunction("count", SUM)
    with pytest.raises(TypeError, match="tuple indices must be integers"):
        fn.reduce(("a", 1), ("a", 2))


def test_pickled_function_does_not_carry_its_chosen_reducer():
    fn = AccumulateReduceFunction(0, SUM)
    fn.reduce(1, 2)
    copy = cloudpickle.loads(cloudpickle.dumps(fn))
    assert copy._reduce_func is None
    assert copy.reduce(("a", 1), ("a", 2)) == ("aa", 1)
