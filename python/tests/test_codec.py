"""The value wire codec (udf/SPEC.md, vectors in udf/testdata/vectors.json) and Row semantics."""
import collections
import datetime
import decimal
import enum
import json
import math
import os
import pickle
import threading

import pytest

from pyflink_go import _codec
from pyflink_go._codec import packb, packb_array, unpackb
from pyflink_go.common.types import Row, RowKind

VECTORS_PATH = os.path.join(os.path.dirname(__file__), '..', '..', 'udf', 'testdata', 'vectors.json')


def _load_vectors():
    with open(VECTORS_PATH, encoding='utf-8') as f:
        return json.load(f)


VECTORS = _load_vectors()


def _namespace():
    import importlib.util
    import sys
    sys.path.insert(0, os.path.dirname(VECTORS_PATH))
    try:
        spec = importlib.util.spec_from_file_location(
            'make_vectors', os.path.join(os.path.dirname(VECTORS_PATH), 'make_vectors.py'))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    return module.namespace()


NAMESPACE = _namespace()


def _has_instant():
    try:
        from pyflink_go.common.time import Instant  # noqa: F401
        return True
    except ImportError:
        return False


def _same(a, b):
    """Equality that also checks types all the way down, and treats NaN as equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (float, decimal.Decimal)) and a != a:
        return b != b
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return (list(a) == list(b) and type(a) is type(b) and
                all(_same(a[k], b[k]) for k in a))
    if isinstance(a, Row):
        return (a == b and a.__dict__.get('_fields') == b.__dict__.get('_fields') and
                _same(a._values, b._values))
    return a == b


@pytest.mark.parametrize('vector', VECTORS, ids=[v['name'] for v in VECTORS])
def test_vector_encodes_to_pinned_bytes(vector):
    if 'Instant' in vector['expr'] and not _has_instant():
        pytest.skip('pyflink_go.common.time is not available')
    assert packb(eval(vector['expr'], NAMESPACE)).hex() == vector['hex']


@pytest.mark.parametrize('vector', VECTORS, ids=[v['name'] for v in VECTORS])
def test_vector_decodes_and_reencodes_identically(vector):
    if 'Instant' in vector['expr'] and not _has_instant():
        pytest.skip('pyflink_go.common.time is not available')
    data = bytes.fromhex(vector['hex'])
    value = unpackb(data)
    assert packb(value) == data
    expected = eval(vector['expr'], NAMESPACE)
    if isinstance(expected, bytearray):
        expected = bytes(expected)  # bin decodes to bytes
    assert _same(value, expected), (value, expected)


def test_vectors_cover_every_extension_type():
    codes = set()
    for vector in VECTORS:
        data = bytes.fromhex(vector['hex'])
        first = data[0]
        if first in (0xd4, 0xd5, 0xd6, 0xd7, 0xd8):
            codes.add(data[1])
        elif first == 0xc7:
            codes.add(data[2])
        elif first == 0xc8:
            codes.add(data[3])
    assert codes >= set(range(1, 10))


class Color(enum.IntEnum):
    RED = 1


Point = collections.namedtuple('Point', 'x y')


class Tag(str):
    pass


@pytest.mark.parametrize('value', [
    Color.RED,
    Point(1, 2),
    Tag('t'),
    collections.OrderedDict([('b', 1), ('a', 2)]),
    collections.defaultdict(list, {'a': [1]}),
    {1, 2},
    frozenset({'x'}),
    datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=9))),
    datetime.time(1, 2, tzinfo=datetime.timezone.utc),
    datetime.time(1, 2, fold=1),
    datetime.timedelta(seconds=3),
    decimal.Context(),
], ids=lambda v: type(v).__name__)
def test_other_types_are_pickled_and_keep_their_type(value):
    data = packb(value)
    assert data[0] in (0xc7, 0xc8, 0xc9)
    code = data[2] if data[0] == 0xc7 else data[3] if data[0] == 0xc8 else data[5]
    assert code == _codec.EXT_PICKLED
    back = unpackb(data)
    assert type(back) is type(value)
    if not isinstance(value, decimal.Context):
        assert back == value


def test_tuple_and_list_stay_distinct():
    value = [(1, [2, (3,)]), [(), []]]
    back = unpackb(packb(value))
    assert _same(back, value)


def test_dict_keys_of_any_type():
    value = {(1, 'a'): 1, Row(1): 2, 3: (4,), None: 5, b'x': 6, 1.5: 7, Decimal('1'): 8}
    back = unpackb(packb(value))
    assert _same(back, value)


def test_row_keeps_kind_and_names():
    row = Row.of_kind(RowKind.UPDATE_BEFORE, a=1, b=Row(2))
    back = unpackb(packb(row))
    assert back.get_row_kind() is RowKind.UPDATE_BEFORE
    assert back._fields == ['a', 'b']
    assert back == row
    assert repr(back) == "Row(a=1, b=<Row(2)>)"
    unnamed = unpackb(packb(Row(1, 'x')))
    assert not hasattr(unnamed, '_fields')
    assert repr(unnamed) == "<Row(1, 'x')>"


def test_row_with_tuple_field_names_is_normalized():
    row = Row(1, 2)
    row.set_field_names(('a', 'b'))
    back = unpackb(packb(row))
    assert back._fields == ['a', 'b']


def test_big_ints_both_ways():
    for value in (2 ** 64, -2 ** 63 - 1, 10 ** 100, -(10 ** 100)):
        data = packb(value)
        assert data[2 if data[0] == 0xc7 else 1] == _codec.EXT_BIGINT
        assert unpackb(data) == value
    assert packb(2 ** 64 - 1) == b'\xcf' + b'\xff' * 8
    assert packb(-2 ** 63) == b'\xd3\x80' + b'\x00' * 7


def test_packb_array_matches_packb_of_list():
    cases = [
        [],
        [(1, 'a'), ('x' * 300,), 'plain', None, [1, (2,)], Row(a=1), ()],
        [('user-%06d' % i, i, 1.5) for i in range(70)],
        list(range(70000)),
    ]
    for values in cases:
        assert packb_array(values) == packb(list(values))


def test_unknown_extension_code_is_an_error():
    with pytest.raises(ValueError, match='unknown value extension type 42'):
        unpackb(b'\xd4\x2a\x00')


def test_packing_from_many_threads():
    errors = []

    def work(n):
        try:
            for i in range(300):
                value = [(n, i, 'x' * (i % 40)), {'k': (i,)}, Row(n, (i,))]
                if unpackb(packb(value)) != value:
                    errors.append((n, i))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_failed_pack_leaves_the_codec_usable():
    class Unpicklable:
        def __reduce__(self):
            raise TypeError('nope')

    with pytest.raises(TypeError, match='nope'):
        packb([(1, 2), Unpicklable()])
    assert unpackb(packb([(1, 2)])) == [(1, 2)]


Decimal = decimal.Decimal


# Row and RowKind behave as pyflink.common.types does.

def test_rowkind_short_strings():
    assert [str(k) for k in RowKind] == ['+I', '-U', '+U', '-D']
    assert '{}'.format(RowKind.DELETE) == '-D'
    assert [k.value for k in RowKind] == [0, 1, 2, 3]


def test_row_kwargs_keep_order_and_access():
    row = Row(name='Alice', age=11)
    assert repr(row) == "Row(name='Alice', age=11)"
    assert row.name == 'Alice' and row['age'] == 11 and row[0] == 'Alice'
    assert row[0:1] == ['Alice']
    assert 'name' in row and 'Alice' not in row
    assert row.as_dict() == {'name': 'Alice', 'age': 11}
    assert len(row) == 2 and list(row) == ['Alice', 11]


def test_row_positional():
    row = Row(1, 'x', None)
    assert repr(row) == "<Row(1, 'x', None)>"
    assert 'x' in row and 'y' not in row
    with pytest.raises(TypeError, match='Row class'):
        row.as_dict()
    with pytest.raises(AttributeError):
        _ = row.foo


def test_row_as_row_class():
    person = Row('name', 'age')
    assert repr(person) == "<Row('name', 'age')>"
    alice = person('Alice', 11)
    assert repr(alice) == "Row(name='Alice', age=11)"
    with pytest.raises(ValueError, match='expected 2 values'):
        person(1, 2, 3)


def test_row_lookup_errors_match_pyflink():
    row = Row(a=1)
    with pytest.raises(ValueError):
        _ = row['missing']
    with pytest.raises(AttributeError):
        _ = row.missing
    with pytest.raises(AttributeError):
        _ = row._hidden
    with pytest.raises(AttributeError):
        row.a = 5
    row['a'] = 2
    assert row.a == 2
    row[0] = 3
    assert row['a'] == 3
    with pytest.raises(KeyError):
        Row(1)['a'] = 1
    with pytest.raises(ValueError):
        Row(1, 2, 3).__init__(1, a=2)


def test_row_equality_and_hash():
    assert Row(a=1, b=2) == Row(b=2, a=1)  # compared field by field, by name
    assert Row(1, 2) == Row(1, 2)
    assert Row(1, 2) != Row(a=1, b=2)
    assert Row(1) != (1,)
    assert Row.of_kind(RowKind.DELETE, 1) != Row(1)
    assert hash(Row(1, 'x')) == hash((1, 'x'))
    assert hash(Row(a=1)) == hash(Row(1))


def test_row_kind_and_helpers():
    row = Row.of_kind(RowKind.UPDATE_AFTER, 1, 2)
    assert row.get_row_kind() is RowKind.UPDATE_AFTER
    row.set_row_kind(RowKind.DELETE)
    assert row._is_retract_msg() and not row._is_accumulate_msg()
    named = Row(a=1, b=2, c=3)
    assert named.get_fields_by_names(['c', 'a']) == [3, 1]
    assert Row(1, 2).get_fields_by_names(['x']) == [1, 2]
    with pytest.raises(Exception, match='not exist'):
        named.get_fields_by_names(['z'])


def test_row_as_dict_recursive():
    row = Row(key=1, value=Row(name='a', age=2), items=[Row(x=1)], m={'k': Row(y=2)})
    assert row.as_dict() == {'key': 1, 'value': Row(name='a', age=2), 'items': [Row(x=1)],
                             'm': {'k': Row(y=2)}}
    assert row.as_dict(True) == {'key': 1, 'value': {'name': 'a', 'age': 2},
                                 'items': [{'x': 1}], 'm': {'k': {'y': 2}}}


def test_row_pickles_with_names_and_kind():
    row = Row.of_kind(RowKind.UPDATE_BEFORE, a=1, b=[2])
    back = pickle.loads(pickle.dumps(row))
    assert back == row and back._fields == ['a', 'b'] and back.get_row_kind() is RowKind.UPDATE_BEFORE
    plain = pickle.loads(pickle.dumps(Row(1)))
    assert not hasattr(plain, '_fields')


def test_row_print_style_used_by_to_string():
    row = Row('a', 1, None, 1.5, True)
    assert '{}[{}]'.format(row.get_row_kind(), ','.join(str(f) for f in row._values)) == \
        '+I[a,1,None,1.5,True]'
