"""The worker's operator logic, called directly (no gRPC): chains, conversions, reduce, errors, sessions."""
import struct

import cloudpickle
import pytest

from pyflink_go._codec import packb, unpackb
from pyflink_go._worker.chain import Chain
from pyflink_go._worker.context import RuntimeContext
from pyflink_go._worker.convert import converter
from pyflink_go._worker.errors import UserFunctionError
from pyflink_go._worker.session import Session
from pyflink_go._worker.state import KeyedState
from pyflink_go.common.types import Row, RowKind


def op(func, fn=None, name=None, **params):
    return {'func': func, 'name': name or func, 'fn': None if fn is None else cloudpickle.dumps(fn),
            'params': params}


def chain(*ops, **task):
    return Chain(list(ops), task)


def k(value):
    """An encoded key, as the engine sends it."""
    return packb(value)


class Doubler(object):
    def __init__(self):
        self.opened_with = None
        self.closed = False

    def open(self, ctx):
        self.opened_with = ctx

    def map(self, value):
        return value * 2

    def close(self):
        self.closed = True


class Splitter(object):
    def flat_map(self, value):
        yield from value.split()


class Even(object):
    def filter(self, value):
        return value % 2 == 0


class FirstChar(object):
    def get_key(self, value):
        return value[0]


class Adder(object):
    def reduce(self, a, b):
        return a + b


@pytest.mark.parametrize('ops,values,want', [
    ([op('map', lambda x: x + 1)], [1, 2], [2, 3]),
    ([op('map', Doubler())], [1, 2], [2, 4]),
    ([op('flat_map', lambda s: s.split())], ['a b', '', 'c'], ['a', 'b', 'c']),
    ([op('flat_map', Splitter())], ['x y'], ['x', 'y']),
    ([op('flat_map', lambda x: (i for i in range(x)))], [3, 0], [0, 1, 2]),
    ([op('filter', lambda x: x)], [0, 1, '', 'a', None, [], [0]], [1, 'a', [0]]),
    ([op('filter', Even())], [1, 2, 3, 4], [2, 4]),
    ([op('to_string', style='pickled')], ['s', 1, (1, 'a'), None, Row(1), b'b'],
     ['s', '1', "(1, 'a')", 'None', '<Row(1)>', "b'b'"]),
    ([op('to_string', style='row')], [Row('a', 1), Row.of_kind(RowKind.UPDATE_BEFORE, None), (1, 2), ['x']],
     ['+I[a,1]', '-U[None]', '+I[1,2]', '+I[x]']),
    ([op('flat_map', str.split), op('map', str.upper), op('filter', lambda w: w != 'B')],
     ['a b', 'c'], ['A', 'C']),
])
def test_stateless_ops(ops, values, want):
    c = chain(*ops)
    out, keys = c.process(values, None, False)
    assert out == want
    assert keys is None


def test_key_by_returns_keys_only_when_last():
    c = chain(op('key_by', FirstChar()))
    out, keys = c.process(['apple', 'bob'], None, False)
    assert out == ['apple', 'bob'] and keys == ['a', 'b']
    c = chain(op('key_by', lambda x: x), op('map', lambda x: x))
    assert c.process([1], None, False) == ([1], None)


def test_key_by_key_type_is_checked():
    c = chain(op('key_by', lambda x: x, name='Keys', key_type={'t': 'INT'}))
    assert c.process([True, 3], None, False) == ([True, 3], [1, 3])
    with pytest.raises(UserFunctionError) as e:
        c.process(['x'], None, False)
    assert e.value.operator == 'Keys'
    assert "value 'x' of type str" in e.value.message


def test_function_objects_are_opened_and_closed():
    fn = Doubler()
    c = Chain([op('map', fn, name='M')], {'task_name': 'M', 'parallelism': 4, 'subtask': 2,
                                           'max_parallelism': 64, 'attempt': 1,
                                           'job_parameters': {'a': 'b'}})
    opened = c.ops[0].fn
    ctx = opened.opened_with
    assert isinstance(ctx, RuntimeContext)
    assert ctx.get_task_name() == 'M'
    assert ctx.get_task_name_with_subtasks() == 'M (3/4)#1'
    assert ctx.get_index_of_this_subtask() == 2
    assert ctx.get_number_of_parallel_subtasks() == 4
    assert ctx.get_max_number_of_parallel_subtasks() == 64
    assert ctx.get_attempt_number() == 1
    assert ctx.get_job_parameter('a') == 'b'
    assert ctx.get_job_parameter('missing', 'd') == 'd'
    assert ctx.get_job_parameter('missing') is None
    c.close()
    assert opened.closed


def test_metric_group_works_locally():
    group = RuntimeContext({}).get_metrics_group()
    counter = group.add_group('a').add_group('k', 'v').counter('c')
    counter.inc()
    counter.inc(4)
    counter.dec()
    assert counter.get_count() == 4
    assert group.add_group('a').add_group('k', 'v').counter('c') is counter
    meter = group.meter('m')
    meter.mark_event(3)
    assert meter.get_count() == 3
    dist = group.distribution('d')
    for v in (5, 1, 9):
        dist.update(v)
    assert (dist.count, dist.sum, dist.min, dist.max) == (3, 15, 1, 9)
    group.gauge('g', lambda: 7)
    assert group.metrics['g'].get_value() == 7


@pytest.mark.parametrize('out_type,value,want', [
    ({'t': 'ROW', 'fields': [{'t': 'STRING'}, {'t': 'INT'}], 'names': ['f0', 'f1']}, ('a', 1),
     Row(f0='a', f1=1)),
    ({'t': 'ROW', 'fields': [{'t': 'STRING'}]}, ['a'], Row(f0='a')),
    ({'t': 'ROW_NAMED', 'fields': [{'t': 'LONG'}, {'t': 'FLOAT'}], 'names': ['n', 'x']},
     Row.of_kind(RowKind.DELETE, 1, 0.1),
     Row.of_kind(RowKind.DELETE, n=1, x=struct.unpack('f', struct.pack('f', 0.1))[0])),
    ({'t': 'TUPLE', 'fields': [{'t': 'INT'}, {'t': 'STRING'}]}, [1, 'a'], (1, 'a')),
    ({'t': 'TUPLE', 'fields': [{'t': 'FLOAT'}]}, (1,), (1.0,)),
    ({'t': 'FLOAT'}, 0.1, struct.unpack('f', struct.pack('f', 0.1))[0]),
    ({'t': 'DOUBLE'}, 3, 3.0),
    ({'t': 'INT'}, True, 1),
    ({'t': 'LONG'}, 2 ** 40, 2 ** 40),
    ({'t': 'STRING'}, None, None),
    ({'t': 'LIST', 'elem': {'t': 'FLOAT'}}, (1, 2), [1.0, 2.0]),
    ({'t': 'MAP', 'key': {'t': 'STRING'}, 'value': {'t': 'TUPLE', 'fields': [{'t': 'INT'}]}},
     {'a': [1]}, {'a': (1,)}),
    ({'t': 'ROW', 'fields': [{'t': 'ROW', 'fields': [{'t': 'INT'}], 'names': ['inner']}], 'names': ['outer']},
     ((5,),), Row(outer=Row(inner=5))),
])
def test_out_type_conversions(out_type, value, want):
    convert = converter(out_type, 'Op')
    got = convert(value)
    assert got == want
    assert type(got) is type(want)
    if isinstance(want, Row):
        assert got._fields == want._fields


def test_pickled_or_absent_type_needs_no_conversion():
    assert converter(None, 'Op') is None
    assert converter({}, 'Op') is None
    assert converter({'t': 'PICKLED'}, 'Op') is None


@pytest.mark.parametrize('out_type,value,message', [
    ({'t': 'INT'}, 'x', "Op: value 'x' of type str does not match the declared output type INT"),
    ({'t': 'INT'}, 2 ** 31, 'out of range for the declared output type INT'),
    ({'t': 'FLOAT'}, 1e300, 'out of range for the declared output type FLOAT'),
    ({'t': 'LONG'}, 1.5, 'does not match the declared output type LONG'),
    ({'t': 'STRING'}, 1, 'value 1 of type int does not match the declared output type STRING'),
    ({'t': 'BOOLEAN'}, 1, 'does not match the declared output type BOOLEAN'),
    ({'t': 'DOUBLE'}, '1', 'does not match the declared output type DOUBLE'),
    ({'t': 'ROW', 'fields': [{'t': 'INT'}]}, 5, 'does not match the declared output type ROW'),
    ({'t': 'ROW', 'fields': [{'t': 'INT'}]}, (1, 2), 'has 2 fields, the declared ROW has 1'),
    ({'t': 'TUPLE', 'fields': [{'t': 'INT'}]}, ('a',), "value 'a' of type str"),
])
def test_out_type_mismatches_raise_type_error(out_type, value, message):
    with pytest.raises(TypeError) as e:
        converter(out_type, 'Op')(value)
    assert message in str(e.value)


def test_map_output_is_converted_and_errors_name_the_operator():
    c = chain(op('map', lambda x: (x, str(x)), name='ToRow',
                 out_type={'t': 'ROW', 'fields': [{'t': 'INT'}, {'t': 'STRING'}], 'names': ['a', 'b']}))
    out, _ = c.process([1], None, False)
    assert out == [Row(a=1, b='1')]
    bad = chain(op('map', lambda x: 'x', name='Typed', out_type={'t': 'INT'}))
    with pytest.raises(UserFunctionError) as e:
        bad.process([1], None, False)
    assert e.value.operator == 'Typed'
    assert e.value.message.startswith('TypeError: Typed: value ')


def test_reduce_streaming_rolls_and_writes_back():
    c = chain(op('reduce', lambda a, b: (a[0], a[1] + b[1])), mode='STREAMING')
    out, keys = c.process([('a', 1), ('b', 5), ('a', 2)], [k('a'), k('b'), k('a')], False)
    assert out == [('a', 1), ('b', 5), ('a', 3)] and keys is None
    assert c.state.write_back(None) == [[k('a'), 'reduce', ('a', 3)], [k('b'), 'reduce', ('b', 5)]]
    assert c.state.write_back(None) == []


def test_reduce_with_function_object_and_in_place_mutation():
    c = chain(op('reduce', Adder()))
    assert c.process([1, 2, 3], [k(0), k(0), k(1)], False)[0] == [1, 3, 3]

    def add_in_place(a, b):
        a[1] += b[1]
        return a
    c = chain(op('reduce', add_in_place))
    out, _ = c.process([['k', 1], ['k', 2], ['k', 3]], [k('k')] * 3, False)
    assert out == [['k', 1], ['k', 3], ['k', 6]]

    def row_in_place(a, b):
        a['n'] += b['n']
        return a
    c = chain(op('reduce', row_in_place))
    out, _ = c.process([Row(n=1), Row(n=2)], [k(1), k(1)], False)
    assert out == [Row(n=1), Row(n=3)]


def test_reduce_keys_are_encodings_not_values():
    c = chain(op('reduce', lambda a, b: a + b))
    out, _ = c.process([1, 10, 100], [k(1), k(1.0), k(1)], False)
    assert out == [1, 10, 101]


def test_reduce_batch_mode_emits_final_values_in_key_order():
    c = chain(op('reduce', lambda a, b: a + b), op('map', lambda x: x * 10), mode='BATCH')
    assert c.process([1, 2, 3], [k('bb'), k('a'), k('bb')], False) == ([], None)
    out, _ = c.process([4], [k('c')], True)
    # 'a' and 'c' encode as 0xa1..., 'bb' as 0xa2...: ordered by the encoded bytes.
    assert out == [20, 40, 40]
    assert not c.state.dirty()


def test_state_install_evict_and_clear():
    state = KeyedState()
    table = state.reduce_table()
    state.install([[b'k1', 'reduce', 5], [b'k2', 'reduce', 6]])
    state.install([[b'k2', 'reduce', None]])
    assert table.data == {b'k1': 5}
    table.changed.add(b'k1')
    assert state.write_back([b'k1', b'zz']) == [[b'k1', 'reduce', 5], [b'zz', 'reduce', None]]
    assert table.data == {}
    with pytest.raises(ValueError, match='not a string'):
        state.install([[b'k', 7, 1]])


def test_reduce_must_be_first_and_needs_keys():
    with pytest.raises(UserFunctionError) as e:
        chain(op('map', lambda x: x), op('reduce', lambda a, b: a, name='R'))
    assert e.value.operator == 'R' and 'must be the first' in e.value.message
    c = chain(op('reduce', lambda a, b: a, name='R'))
    for keys in (None, [k(1), None]):
        with pytest.raises(UserFunctionError) as e:
            c.process([1, 2], keys, False)
        assert 'records without keys' in e.value.message


def test_flat_map_none_is_an_error():
    c = chain(op('flat_map', lambda x: None, name='FM'))
    with pytest.raises(UserFunctionError) as e:
        c.process([1], None, False)
    assert e.value.operator == 'FM'
    assert 'returned None' in e.value.message


def test_user_error_traceback_starts_at_user_code():
    def broken(x):
        return {}[x]

    c = chain(op('map', lambda x: x, name='Ok'), op('map', broken, name='Broken'))
    with pytest.raises(UserFunctionError) as e:
        c.process(['key'], None, False)
    err = e.value
    assert err.operator == 'Broken'
    assert err.message == "KeyError: 'key'"
    assert err.traceback.startswith('Traceback (most recent call last):')
    assert 'in broken' in err.traceback
    assert 'pyflink_go/_worker' not in err.traceback


def test_open_errors_name_the_operator():
    class BadOpen(object):
        def open(self, ctx):
            raise RuntimeError('no')

        def map(self, v):
            return v

    with pytest.raises(UserFunctionError) as e:
        Chain([op('map', lambda x: x, name='A'), op('map', BadOpen(), name='B')], {})
    assert e.value.operator == 'B' and e.value.message == 'RuntimeError: no'
    with pytest.raises(UserFunctionError) as e:
        Chain([{'func': 'map', 'name': 'Garbage', 'fn': b'not a pickle', 'params': {}}], {})
    assert e.value.operator == 'Garbage' and 'UnpicklingError' in e.value.message
    with pytest.raises(UserFunctionError) as e:
        Chain([op('map', 42, name='NotFn')], {})
    assert 'must be callable' in e.value.message


def _request(**fields):
    """A request as the engine encodes it, decoded as the worker sees it."""
    return unpackb(packb(fields))


def test_session_conversation():
    s = Session()
    ops = [op('map', lambda x: (x, 1)), op('key_by', lambda p: p[0])]
    assert unpackb(s.handle(_request(t='open', ops=ops, task={'task_name': 'T'}))) == {'t': 'opened'}
    resp = unpackb(s.handle(_request(t='batch', seq=1, rows=['a', 'b'])))
    assert resp == {'t': 'result', 'seq': 1, 'rows': [('a', 1), ('b', 1)], 'keys': ['a', 'b']}
    assert unpackb(s.handle(_request(t='close'))) == {'t': 'closed'}
    assert s.done


def test_session_keyed_batch_with_state():
    s = Session()
    s.handle(_request(t='open', ops=[op('reduce', lambda a, b: a + b)], task={}))
    resp = unpackb(s.handle(_request(t='batch', seq=1, rows=[1, 2], keys=[k('x'), k('y')],
                                     state=[[k('x'), 'reduce', 100]], evict=[k('y')])))
    assert resp['rows'] == [101, 2]
    assert resp['state'] == [[k('x'), 'reduce', 101], [k('y'), 'reduce', 2]]
    assert 'keys' not in resp


def test_session_errors_end_the_call():
    s = Session()
    s.handle(_request(t='open', ops=[op('map', lambda x: 1 // x, name='Div')], task={}))
    resp = unpackb(s.handle(_request(t='batch', seq=4, rows=[0])))
    assert resp['t'] == 'error' and resp['seq'] == 4 and resp['operator'] == 'Div'
    assert resp['message'] == 'ZeroDivisionError: integer division or modulo by zero'
    assert 'Traceback' in resp['traceback']
    assert s.done

    s = Session()
    resp = unpackb(s.handle(_request(t='batch', seq=1, rows=[])))
    assert resp['t'] == 'error' and 'batch before open' in resp['message']


def test_session_error_still_closes_functions():
    class Fails(object):
        closed = 0

        def map(self, v):
            raise ValueError('bad')

        def close(self):
            Fails.closed += 1

    s = Session()
    s.handle(_request(t='open', ops=[op('map', Fails(), name='F')], task={}))
    opened = s.chain.ops[0].fn
    resp = unpackb(s.handle(_request(t='batch', seq=1, rows=[1])))
    assert resp['t'] == 'error' and resp['message'] == 'ValueError: bad'
    assert s.done and s.chain is None
    assert type(opened).closed == 1


def test_session_close_error_and_abort():
    class Closer(object):
        closed = 0

        def map(self, v):
            return v

        def close(self):
            Closer.closed += 1
            raise ValueError('close failed')

    s = Session()
    s.handle(_request(t='open', ops=[op('map', Closer(), name='C')], task={}))
    resp = unpackb(s.handle(_request(t='close')))
    assert resp['t'] == 'error' and resp['seq'] is None and resp['operator'] == 'C'
    assert resp['message'] == 'ValueError: close failed'

    s = Session()
    s.handle(_request(t='open', ops=[op('map', Closer(), name='C')], task={}))
    s.abort()  # the call broke off: close runs, its error is dropped
    s.abort()
