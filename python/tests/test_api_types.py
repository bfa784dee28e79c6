"""Types: plan type maps, value conversion for the engine, and PyFlink's internal conversions."""

import datetime
import decimal

import pytest

from pyflink_go.common import Instant, Row, RowKind, Types
from pyflink_go.common.typeinfo import _from_plan_type, RowTypeInfo, TupleTypeInfo

TYPES = [
    (Types.STRING(), {"t": "STRING"}, "String"),
    (Types.BOOLEAN(), {"t": "BOOLEAN"}, "Boolean"),
    (Types.BYTE(), {"t": "BYTE"}, "Byte"),
    (Types.SHORT(), {"t": "SHORT"}, "Short"),
    (Types.INT(), {"t": "INT"}, "Integer"),
    (Types.LONG(), {"t": "LONG"}, "Long"),
    (Types.FLOAT(), {"t": "FLOAT"}, "Float"),
    (Types.DOUBLE(), {"t": "DOUBLE"}, "Double"),
    (Types.CHAR(), {"t": "CHAR"}, "Char"),
    (Types.BIG_INT(), {"t": "BIG_INT"}, "BigInteger"),
    (Types.BIG_DEC(), {"t": "BIG_DEC"}, "BigDecimal"),
    (Types.INSTANT(), {"t": "INSTANT"}, "Instant"),
    (Types.SQL_DATE(), {"t": "SQL_DATE"}, "DateTypeInfo"),
    (Types.SQL_TIME(), {"t": "SQL_TIME"}, "TimeTypeInfo"),
    (Types.SQL_TIMESTAMP(), {"t": "SQL_TIMESTAMP"}, "TimestampTypeInfo"),
    (Types.PICKLED_BYTE_ARRAY(), {"t": "PICKLED"}, "PickledByteArrayTypeInfo"),
    (Types.TUPLE([Types.STRING(), Types.INT()]),
     {"t": "TUPLE", "fields": [{"t": "STRING"}, {"t": "INT"}]}, "TupleTypeInfo(String, Integer)"),
    (Types.ROW([Types.STRING(), Types.INT()]),
     {"t": "ROW", "fields": [{"t": "STRING"}, {"t": "INT"}], "names": ["f0", "f1"]},
     "RowTypeInfo(String, Integer)"),
    (Types.ROW_NAMED(["a", "b"], [Types.STRING(), Types.INT()]),
     {"t": "ROW", "fields": [{"t": "STRING"}, {"t": "INT"}], "names": ["a", "b"]},
     "RowTypeInfo(a: String, b: Integer)"),
    (Types.LIST(Types.INT()), {"t": "LIST", "elem": {"t": "INT"}}, "ListTypeInfo<Integer>"),
    (Types.MAP(Types.STRING(), Types.LONG()),
     {"t": "MAP", "key": {"t": "STRING"}, "value": {"t": "LONG"}}, "MapTypeInfo<String, Long>"),
    (Types.PRIMITIVE_ARRAY(Types.INT()), {"t": "PRIMITIVE_ARRAY", "elem": {"t": "INT"}},
     "PrimitiveArrayTypeInfo<Integer>"),
    (Types.BASIC_ARRAY(Types.STRING()), {"t": "BASIC_ARRAY", "elem": {"t": "STRING"}},
     "BasicArrayTypeInfo<String>"),
    (Types.OBJECT_ARRAY(Types.SQL_DATE()), {"t": "OBJECT_ARRAY", "elem": {"t": "SQL_DATE"}},
     "ObjectArrayTypeInfo<DateTypeInfo>"),
]


@pytest.mark.parametrize("type_info, plan_type, text", TYPES)
def test_plan_type_round_trip(type_info, plan_type, text):
    assert type_info.to_plan_type() == plan_type
    assert _from_plan_type(plan_type) == type_info
    assert _from_plan_type(plan_type).to_plan_type() == plan_type
    assert repr(type_info) == text


@pytest.mark.parametrize("type_info", [
    Types.PRIMITIVE_ARRAY(Types.STRING()),
    Types.BASIC_ARRAY(Types.SQL_DATE()),
])
def test_invalid_array_elements_are_rejected(type_info):
    with pytest.raises(TypeError, match="Invalid element type for a primitive array"):
        type_info.to_plan_type()


@pytest.mark.parametrize("a, b, equal", [
    (Types.INT(), Types.INT(), True),
    (Types.INT(), Types.LONG(), False),
    (Types.ROW([Types.INT()]), Types.ROW_NAMED(["x"], [Types.INT()]), True),  # as PyFlink
    (Types.TUPLE([Types.INT()]), Types.ROW([Types.INT()]), False),
    (Types.LIST(Types.INT()), Types.LIST(Types.INT()), True),
    (Types.PRIMITIVE_ARRAY(Types.INT()), Types.BASIC_ARRAY(Types.INT()), False),
    (Types.MAP(Types.INT(), Types.STRING()), Types.MAP(Types.INT(), Types.STRING()), True),
])
def test_equality_and_hash(a, b, equal):
    assert (a == b) is equal
    if equal:
        assert hash(a) == hash(b)


# ---- conversion of values to the engine's representation ----

CONVERSIONS = [
    (Types.STRING(), "abc", "abc"),
    (Types.STRING(), None, None),
    (Types.INT(), 7, 7),
    (Types.INT(), True, 1),
    (Types.LONG(), 2 ** 40, 2 ** 40),
    (Types.BYTE(), -128, -128),
    (Types.DOUBLE(), 3, 3.0),
    (Types.FLOAT(), 1.1, 1.100000023841858),
    (Types.BOOLEAN(), 1, True),
    (Types.CHAR(), "x", "x"),
    (Types.BIG_INT(), 2 ** 80, 2 ** 80),
    (Types.BIG_DEC(), decimal.Decimal("1.50"), decimal.Decimal("1.50")),
    (Types.BIG_DEC(), 3, decimal.Decimal(3)),
    (Types.SQL_DATE(), datetime.date(2021, 1, 9), datetime.date(2021, 1, 9)),
    (Types.SQL_DATE(), datetime.datetime(2021, 1, 9, 12, 0), datetime.date(2021, 1, 9)),
    (Types.SQL_TIME(), datetime.time(12, 0, 1), datetime.time(12, 0, 1)),
    (Types.SQL_TIMESTAMP(), datetime.datetime(2021, 1, 9, 12, 0, 0, 11000),
     datetime.datetime(2021, 1, 9, 12, 0, 0, 11000)),
    (Types.INSTANT(), Instant(1, 2), Instant(1, 2)),
    (Types.PICKLED_BYTE_ARRAY(), {"any": object}, {"any": object}),
    (Types.TUPLE([Types.STRING(), Types.INT()]), ["a", 1], ("a", 1)),
    (Types.TUPLE([Types.STRING(), Types.DOUBLE()]), ("a", 1), ("a", 1.0)),
    (Types.LIST(Types.DOUBLE()), (1, 2), [1.0, 2.0]),
    (Types.BASIC_ARRAY(Types.INT()), [1, None], [1, None]),
    (Types.MAP(Types.STRING(), Types.DOUBLE()), {"a": 1}, {"a": 1.0}),
]


@pytest.mark.parametrize("type_info, value, expected", CONVERSIONS)
def test_converter_accepts(type_info, value, expected):
    converted = type_info._converter()(value)
    assert converted == expected
    assert type(converted) is type(expected)


REJECTED = [
    (Types.STRING(), 1, TypeError, "STRING expects a str"),
    (Types.INT(), 1.5, TypeError, "INT expects an int"),
    (Types.INT(), "1", TypeError, "INT expects an int"),
    (Types.INT(), 2 ** 31, ValueError, "out of range"),
    (Types.BYTE(), 128, ValueError, "out of range"),
    (Types.FLOAT(), 1e300, OverflowError, "does not fit in 32 bits"),
    (Types.DOUBLE(), "1.0", TypeError, "DOUBLE expects a float"),
    (Types.BOOLEAN(), "yes", TypeError, "BOOLEAN expects a bool"),
    (Types.CHAR(), "ab", ValueError, "single character"),
    (Types.BIG_DEC(), 1.5, TypeError, "decimal.Decimal"),
    (Types.SQL_DATE(), "2021-01-09", TypeError, "datetime.date"),
    (Types.SQL_TIMESTAMP(), datetime.date(2021, 1, 9), TypeError, "datetime.datetime"),
    (Types.TUPLE([Types.STRING(), Types.INT()]), ("a",), ValueError, "expects 2 fields"),
    (Types.TUPLE([Types.STRING()]), "a", TypeError, "TUPLE expects a tuple"),
    (Types.ROW([Types.INT()]), 5, TypeError, "ROW expects"),
    (Types.LIST(Types.INT()), 5, TypeError, "LIST expects a list"),
    (Types.MAP(Types.STRING(), Types.INT()), [("a", 1)], TypeError, "MAP expects a dict"),
]


@pytest.mark.parametrize("type_info, value, error, message", REJECTED)
def test_converter_rejects(type_info, value, error, message):
    with pytest.raises(error, match=message):
        type_info._converter()(value)


@pytest.mark.parametrize("type_info, value, names, values, kind", [
    (Types.ROW([Types.STRING(), Types.INT()]), ("a", 1), ["f0", "f1"], ["a", 1], RowKind.INSERT),
    (Types.ROW([Types.STRING(), Types.INT()]), ["a", 1], ["f0", "f1"], ["a", 1], RowKind.INSERT),
    (Types.ROW_NAMED(["n", "c"], [Types.STRING(), Types.INT()]), {"c": 1, "n": "a"},
     ["n", "c"], ["a", 1], RowKind.INSERT),
    (Types.ROW_NAMED(["n", "c"], [Types.STRING(), Types.INT()]), Row(c=1, n="a"),
     ["n", "c"], ["a", 1], RowKind.INSERT),
    (Types.ROW([Types.STRING(), Types.DOUBLE()]), Row.of_kind(RowKind.DELETE, "a", 1),
     ["f0", "f1"], ["a", 1.0], RowKind.DELETE),
])
def test_row_conversion(type_info, value, names, values, kind):
    row = type_info._converter()(value)
    assert isinstance(row, Row)
    assert row._fields == names
    assert list(row) == values
    assert row.get_row_kind() == kind


def test_row_with_other_names_is_taken_by_position():
    row = Types.ROW_NAMED(["a", "b"], [Types.INT(), Types.INT()])._converter()(Row(x=1, y=2))
    assert row._fields == ["a", "b"] and list(row) == [1, 2]


# ---- PyFlink's to_internal_type / from_internal_type ----

@pytest.mark.parametrize("type_info, value, internal", [
    (Types.INT(), 5, 5),
    (Types.SQL_DATE(), datetime.date(1970, 1, 11), 10),
    (Types.INSTANT(), Instant(2, 5_000_000), 2005000),
    (Types.TUPLE([Types.INT(), Types.SQL_DATE()]), [1, datetime.date(1970, 1, 2)], (1, 1)),
    (Types.ROW([Types.INT(), Types.STRING()]), (1, "a"), (0, 1, "a")),
    (Types.ROW_NAMED(["a", "b"], [Types.INT(), Types.STRING()]), {"b": "x", "a": 2}, (0, 2, "x")),
])
def test_to_internal_type_matches_pyflink(type_info, value, internal):
    assert type_info.to_internal_type(value) == internal


@pytest.mark.parametrize("type_info, internal, value", [
    (Types.SQL_DATE(), 10, datetime.date(1970, 1, 11)),
    (Types.INSTANT(), 2005000, Instant(2, 5_000_000)),
    (TupleTypeInfo([Types.INT(), Types.SQL_DATE()]), (1, 1), (1, 1)),
])
def test_from_internal_type_matches_pyflink(type_info, internal, value):
    assert type_info.from_internal_type(internal) == value


def test_sql_time_internal_round_trip():
    t = datetime.time(12, 30, 15, 250)
    assert Types.SQL_TIME().from_internal_type(Types.SQL_TIME().to_internal_type(t)) == t


def test_row_type_field_names():
    assert RowTypeInfo([Types.INT(), Types.INT()]).get_field_names() == ["f0", "f1"]
    named = Types.ROW_NAMED(["a", "b"], [Types.INT(), Types.INT()])
    assert named.get_field_index("b") == 1
    assert named.get_field_types() == [Types.INT(), Types.INT()]
