"""The worker's event time, side outputs, process functions, keyed state, timers and windows."""
import cloudpickle
import pytest

from pyflink_go._codec import packb, unpackb
from pyflink_go._worker.chain import Chain
from pyflink_go._worker.errors import UserFunctionError
from pyflink_go._worker.session import Session
from pyflink_go.common.typeinfo import Types
from pyflink_go.common.types import Row
from pyflink_go.common.watermark_strategy import TimestampAssigner
from pyflink_go.datastream.functions import AggregateFunction, AllWindowFunction, \
    FlatMapFunction, KeyedProcessFunction, MapFunction, ProcessAllWindowFunction, \
    ProcessFunction, ProcessWindowFunction, ReduceFunction, WindowFunction
from pyflink_go.datastream.output_tag import OutputTag
from pyflink_go.datastream.state import AggregatingStateDescriptor, ListStateDescriptor, \
    MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor
from pyflink_go.datastream.time_domain import TimeDomain
from pyflink_go.datastream.window import GlobalWindow, TimeWindow

MIN = -(1 << 63)
MAX = (1 << 63) - 1


def op(func, fn=None, name=None, **params):
    return {'func': func, 'name': name or func, 'fn': None if fn is None else cloudpickle.dumps(fn),
            'params': params}


def chain(*ops, **task):
    return Chain(list(ops), task)


def k(value):
    """An encoded key, as the engine sends it."""
    return packb(value)


def rows(out):
    """All output rows as (value, timestamp, tag) triples: main rows first, then side rows."""
    ts = out.ts if out.ts is not None else [None] * len(out.values)
    main = [(v, t, None) for v, t in zip(out.values, ts)]
    side = list(zip(out.side_values, out.side_ts, out.side_tags))
    return main + side


# -- timestamps --------------------------------------------------------------

def test_outputs_inherit_timestamps_through_a_chain():
    c = chain(op('flat_map', lambda x: [x] * x), op('filter', lambda x: x != 2),
              op('map', lambda x: x * 10))
    out = c.run([1, 2, 3], ts=[100, None, 300])
    assert rows(out) == [(10, 100, None), (30, 300, None), (30, 300, None), (30, 300, None)]
    out = c.run([1, 3])
    assert out.ts is None and out.values == [10, 30, 30, 30]


class Stamper(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value[1] if record_timestamp is None else record_timestamp + 1


def test_timestamp_assigner_sets_timestamps_and_keeps_values():
    c = chain(op('timestamp_assigner', Stamper()), op('map', lambda x: x[0]))
    out = c.run([('a', 5), ('b', 7)], ts=[None, 100])
    assert rows(out) == [('a', 5, None), ('b', 101, None)]
    c = chain(op('timestamp_assigner', lambda v, ts: v * 1000))
    assert rows(c.run([1, 2])) == [(1, 1000, None), (2, 2000, None)]


@pytest.mark.parametrize('bad', [None, 1.5, '1', True, 2 ** 63])
def test_timestamp_assigner_must_return_a_long(bad):
    c = chain(op('timestamp_assigner', lambda v, ts: bad, name='TS'))
    with pytest.raises(UserFunctionError) as e:
        c.run([1])
    assert e.value.operator == 'TS' and 'a timestamp is an int' in e.value.message


# -- side outputs ------------------------------------------------------------

LATE = OutputTag('late')
TYPED = OutputTag('typed', Types.TUPLE([Types.STRING(), Types.FLOAT()]))


def test_side_outputs_leave_the_chain_where_they_are_emitted():
    def split(x):
        yield x
        if x % 2:
            yield LATE, ('odd', x)

    c = chain(op('flat_map', split), op('map', lambda x: x * 100))
    out = c.run([1, 2, 3], ts=[10, 20, 30])
    assert rows(out) == [(100, 10, None), (200, 20, None), (300, 30, None),
                         (('odd', 1), 10, 'late'), (('odd', 3), 30, 'late')]


def test_side_outputs_are_converted_to_the_tag_type():
    c = chain(op('flat_map', lambda x: [(TYPED, ('a', x)), x]))
    out = c.run([1])
    assert out.values == [1] and out.side_values == [('a', 1.0)] and out.side_tags == ['typed']
    assert type(out.side_values[0][1]) is float
    c = chain(op('flat_map', lambda x: [(TYPED, 'not a tuple')], name='Bad'))
    with pytest.raises(UserFunctionError) as e:
        c.run([1])
    assert e.value.operator == 'Bad' and 'TypeError' in e.value.message


def test_tuples_that_only_look_like_tags_stay_main_output():
    class Tagless(object):
        pass
    c = chain(op('flat_map', lambda x: [(Row(tag_id='r'), 1), (), ('s', 1), (Tagless(), 2)]))
    out = c.run([0])
    assert len(out.values) == 4 and out.side_values == []


# -- process functions -------------------------------------------------------

class Describe(ProcessFunction):
    def process_element(self, value, ctx):
        ts = ctx.timer_service()
        yield value, ctx.timestamp(), ts.current_watermark(), ts.current_processing_time()
        if value == 'side':
            yield LATE, value


def test_process_function_context():
    c = chain(op('process', Describe()))
    out = c.run(['a', 'side'], ts=[5, None], watermark=3, now=1000)
    assert rows(out) == [(('a', 5, 3, 1000), 5, None), (('side', None, 3, 1000), None, None),
                         ('side', None, 'late')]
    out = c.run(['b'])
    assert out.values[0][:3] == ('b', None, MIN)
    assert isinstance(out.values[0][3], int)


@pytest.mark.parametrize('call, message', [
    (lambda s: s.register_event_time_timer(1),
     'Setting timers is only supported on a keyed streams.'),
    (lambda s: s.register_processing_time_timer(1),
     'Setting timers is only supported on a keyed streams.'),
    (lambda s: s.delete_event_time_timer(1),
     'Deleting timers is only supported on a keyed streams.'),
])
def test_process_function_cannot_set_timers(call, message):
    class Timers(ProcessFunction):
        def process_element(self, value, ctx):
            call(ctx.timer_service())
    with pytest.raises(UserFunctionError) as e:
        chain(op('process', Timers(), name='P')).run([1])
    assert e.value.message == 'Exception: ' + message


def test_process_function_may_return_a_list_or_none():
    class Listy(ProcessFunction):
        def process_element(self, value, ctx):
            return [value, value] if value else None
    assert chain(op('process', Listy())).run([0, 1, 2]).values == [1, 1, 2, 2]


class CountWithTimeout(KeyedProcessFunction):
    """The shape of PyFlink's event_time_timer example: a count per key, emitted by a timer."""

    def open(self, runtime_context):
        self.count = runtime_context.get_state(ValueStateDescriptor('count', Types.LONG()))

    def process_element(self, value, ctx):
        n = (self.count.value() or 0) + 1
        self.count.update(n)
        ctx.timer_service().register_event_time_timer(ctx.timestamp() + 10)
        ctx.timer_service().register_event_time_timer(ctx.timestamp() + 10)
        if value[1] == 'cancel':
            ctx.timer_service().delete_event_time_timer(ctx.timestamp() + 10)
        yield ctx.get_current_key(), n

    def on_timer(self, timestamp, ctx):
        yield ('fired', ctx.get_current_key(), timestamp, ctx.timestamp(), ctx.time_domain(),
               self.count.value())
        if ctx.time_domain() == TimeDomain.EVENT_TIME:
            ctx.timer_service().register_processing_time_timer(timestamp + 1000)
        self.count.clear()


def test_keyed_process_state_and_timers():
    c = chain(op('keyed_process', CountWithTimeout()))
    out = c.run([('a', 'x'), ('b', 'x'), ('a', 'x'), ('b', 'cancel')],
                keys=[k('a'), k('b'), k('a'), k('b')],
                ts=[1, 2, 3, 4], watermark=0, now=50)
    assert rows(out) == [(('a', 1), 1, None), (('b', 1), 2, None), (('a', 2), 3, None),
                         (('b', 2), 4, None)]
    # One registration per (key, timestamp, domain); the last operation wins.
    assert c.timer_ops() == [[k('a'), 11, 0, False], [k('b'), 12, 0, False],
                             [k('a'), 13, 0, False], [k('b'), 14, 0, True]]
    assert c.state.write_back(None) == [[k('a'), 'count', 2], [k('b'), 'count', 2]]
    # The engine fires a's timer at 13 (event time) and b's at 12.
    out = c.run([], timers=[[k('a'), 13, 0], [k('b'), 12, 0]], watermark=13)
    assert rows(out) == [(('fired', 'a', 13, 13, TimeDomain.EVENT_TIME, 2), 13, None),
                         (('fired', 'b', 12, 12, TimeDomain.EVENT_TIME, 2), 12, None)]
    assert c.timer_ops() == [[k('a'), 1013, 1, False], [k('b'), 1012, 1, False]]
    assert c.state.write_back(None) == [[k('a'), 'count', None], [k('b'), 'count', None]]
    out = c.run([], timers=[[k('a'), 1013, 1]])
    assert rows(out) == [(('fired', 'a', 1013, 1013, TimeDomain.PROCESSING_TIME, None), 1013, None)]
    assert c.timer_ops() == []


def test_keyed_process_skips_timers_deleted_in_the_same_batch():
    class Deleter(KeyedProcessFunction):
        def process_element(self, value, ctx):
            return None

        def on_timer(self, timestamp, ctx):
            ctx.timer_service().delete_event_time_timer(timestamp + 1)
            yield timestamp
    c = chain(op('keyed_process', Deleter()))
    out = c.run([], timers=[[k(1), 5, 0], [k(1), 6, 0], [k(2), 6, 0]])
    assert out.values == [5, 6]


def test_keyed_process_needs_keys_and_comes_first():
    with pytest.raises(UserFunctionError) as e:
        chain(op('keyed_process', CountWithTimeout(), name='KP')).run([('a', 'x')], ts=[1])
    assert e.value.operator == 'KP' and 'without keys' in e.value.message
    with pytest.raises(UserFunctionError) as e:
        chain(op('map', lambda x: x), op('keyed_process', CountWithTimeout(), name='KP'))
    assert 'must be the first' in e.value.message


# -- keyed state -------------------------------------------------------------

class Ttl(object):
    """A TTL config read duck-typed: the fields of PyFlink's StateTtlConfig."""

    class _Enum(object):
        def __init__(self, name):
            self.name = name

    def __init__(self, ms, update='OnCreateAndWrite', visibility='NeverReturnExpired'):
        self._ttl = ms
        self._update_type = Ttl._Enum(update)
        self._state_visibility = Ttl._Enum(visibility)


def with_ttl(descriptor, ms, update='OnCreateAndWrite', visibility='NeverReturnExpired'):
    descriptor._ttl_config = Ttl(ms, update, visibility)
    return descriptor


def test_ttl_settings_from_state_ttl_config():
    state = pytest.importorskip('pyflink_go.datastream.state')
    StateTtlConfig = getattr(state, 'StateTtlConfig', None)
    if StateTtlConfig is None:
        pytest.skip('no StateTtlConfig')
    from pyflink_go.common.time import Time

    class Declares(MapFunction):
        def open(self, ctx):
            for name, config in [
                    ('default', StateTtlConfig.new_builder(Time.seconds(5)).build()),
                    ('read', StateTtlConfig.new_builder(Time.minutes(1))
                     .update_ttl_on_read_and_write().return_expired_if_not_cleaned_up().build()),
                    ('disabled', StateTtlConfig.new_builder(Time.seconds(1))
                     .set_update_type(StateTtlConfig.UpdateType.Disabled).build())]:
                d = ValueStateDescriptor(name, Types.INT())
                d.enable_time_to_live(config)
                ctx.get_state(d)

        def map(self, x):
            return x
    c = chain(op('map', Declares(), keyed=True))
    assert c.state.take_declarations() == [
        {'name': 'default', 'kind': 'value', 'ttl': 5000, 'update': 'OnCreateAndWrite',
         'visibility': 'NeverReturnExpired'},
        {'name': 'read', 'kind': 'value', 'ttl': 60000, 'update': 'OnReadAndWrite',
         'visibility': 'ReturnExpiredIfNotCleanedUp'},
        {'name': 'disabled', 'kind': 'value'}]


class Everything(MapFunction):
    def open(self, ctx):
        self.value = ctx.get_state(ValueStateDescriptor('v', Types.INT()))
        self.list = ctx.get_list_state(ListStateDescriptor('l', Types.INT()))
        self.map = ctx.get_map_state(MapStateDescriptor('m', Types.STRING(), Types.INT()))
        self.sum = ctx.get_reducing_state(
            ReducingStateDescriptor('r', lambda a, b: a + b, Types.INT()))

        class Avg(AggregateFunction):
            def create_accumulator(self):
                return [0, 0]

            def add(self, value, acc):
                return [acc[0] + value, acc[1] + 1]

            def get_result(self, acc):
                return acc[0] / acc[1]

            def merge(self, a, b):
                return [a[0] + b[0], a[1] + b[1]]
        self.avg = ctx.get_aggregating_state(
            AggregatingStateDescriptor('a', Avg(), Types.PICKLED_BYTE_ARRAY()))
        self.ttl = ctx.get_state(with_ttl(ValueStateDescriptor('ttl', Types.INT()), 60000,
                                          'OnReadAndWrite', 'ReturnExpiredIfNotCleanedUp'))

    def map(self, x):
        before = (self.value.value(), self.list.get(), self.map.items(), self.sum.get(),
                  self.avg.get())
        self.value.update(x)
        self.list.add(x)
        self.map.put(str(x), x)
        self.map[str(x + 1)] = x + 1
        self.sum.add(x)
        self.avg.add(x)
        return before


def test_keyed_map_state_kinds_and_write_back():
    c = chain(op('map', Everything(), keyed=True))
    assert c.state.take_declarations() == [
        {'name': 'v', 'kind': 'value'}, {'name': 'l', 'kind': 'list'}, {'name': 'm', 'kind': 'map'},
        {'name': 'r', 'kind': 'reducing'}, {'name': 'a', 'kind': 'aggregating'},
        {'name': 'ttl', 'kind': 'value', 'ttl': 60000, 'update': 'OnReadAndWrite',
         'visibility': 'ReturnExpiredIfNotCleanedUp'}]
    out = c.run([1, 2, 3], keys=[k('x'), k('y'), k('x')])
    assert out.values == [(None, [], [], None, None), (None, [], [], None, None),
                          (1, [1], [('1', 1), ('2', 2)], 1, 1.0)]
    assert c.state.write_back(None) == [
        [k('x'), 'a', [4, 2]], [k('x'), 'l', [1, 3]],
        [k('x'), 'm', {'1': 1, '2': 2, '3': 3, '4': 4}],
        [k('x'), 'r', 4], [k('x'), 'v', 3],
        [k('y'), 'a', [2, 1]], [k('y'), 'l', [2]], [k('y'), 'm', {'2': 2, '3': 3}], [k('y'), 'r', 2],
        [k('y'), 'v', 2]]
    assert c.state.write_back(None) == []


def test_state_install_write_back_and_evict():
    c = chain(op('map', Everything(), keyed=True))
    c.state.install([[k('x'), 'v', 10], [k('x'), 'l', [7]], [k('x'), 'm', {'a': 1}],
                     [k('x'), 'a', [10, 5]], [k('z'), 'v', 5]])
    out = c.run([1], keys=[k('x')])
    assert out.values == [(10, [7], [('a', 1)], None, 2.0)]
    written = c.state.write_back([k('x'), k('z'), k('q')])
    assert [e for e in written if e[0] == k('x')] == [
        [k('x'), 'a', [11, 6]], [k('x'), 'l', [7, 1]], [k('x'), 'm', {'a': 1, '1': 1, '2': 2}],
        [k('x'), 'r', 1], [k('x'), 'ttl', None], [k('x'), 'v', 1]]
    # Evicted keys report every state, None where the worker holds nothing.
    assert [e for e in written if e[0] == k('z')] == [
        [k('z'), n, 5 if n == 'v' else None] for n in ('a', 'l', 'm', 'r', 'ttl', 'v')]
    assert len([e for e in written if e[0] == k('q')]) == 6
    assert all(not t.data for t in c.state.tables.values())
    # A nil installs as cleared.
    c.state.install([[k('x'), 'v', 3]])
    c.state.install([[k('x'), 'v', None]])
    assert c.run([0], keys=[k('x')]).values[0][0] is None


def test_ttl_on_read_and_write_writes_reads_back():
    class Reader(MapFunction):
        def open(self, ctx):
            self.seen = ctx.get_state(with_ttl(ValueStateDescriptor('seen', Types.INT()), 1000,
                                               'OnReadAndWrite'))

        def map(self, x):
            return self.seen.value()
    c = chain(op('map', Reader(), keyed=True))
    c.state.install([[k(1), 'seen', 5]])
    assert c.run([0, 0], keys=[k(1), k(2)]).values == [5, None]
    assert c.state.write_back(None) == [[k(1), 'seen', 5]]


class StateApi(FlatMapFunction):
    def open(self, ctx):
        self.m = ctx.get_map_state(MapStateDescriptor('m', Types.STRING(), Types.INT()))
        self.l = ctx.get_list_state(ListStateDescriptor('l', Types.INT()))
        self.v = ctx.get_state(ValueStateDescriptor('v', Types.INT()))

    def flat_map(self, cmd):
        m, lst = self.m, self.l
        if cmd == 'map':
            yield m.is_empty(), m.get('a'), 'a' in m, m['a']
            m.put_all({'a': 1, 'b': 2})
            m.put_all([('c', None)])
            yield m.is_empty(), m.get('a'), 'a' in m, m.contains('c'), sorted(m), sorted(m.keys())
            yield sorted(m.values(), key=str), sorted(m.items(), key=str)
            del m['a']
            m.remove('zz')
            yield sorted(iter(m)), m.get('a')
            m.clear()
            yield m.is_empty(), m.items()
        elif cmd == 'list':
            yield lst.get()
            lst.add_all([1, 2])
            lst.add(3)
            yield lst.get(), list(lst)
            lst.update([9])
            yield lst.get()
            lst.update([])
            yield lst.get()
        elif cmd == 'value':
            self.v.update(5)
            yield self.v.value()
            self.v.update(None)
            yield self.v.value()


def test_map_list_and_value_state_apis():
    c = chain(op('flat_map', StateApi(), keyed=True))
    out = c.run(['map', 'list', 'value'], keys=[k(1), k(1), k(1)])
    assert out.values == [
        (True, None, False, None),
        (False, 1, True, False, ['a', 'b', 'c'], ['a', 'b', 'c']),
        ([1, 2, None], [('a', 1), ('b', 2), ('c', None)]),
        (['b', 'c'], None),
        (True, []),
        [], ([1, 2, 3], [1, 2, 3]), [9], [],
        5, None]
    # Emptied map and list and a cleared value write back as cleared.
    assert c.state.write_back(None) == [[k(1), 'l', None], [k(1), 'm', None], [k(1), 'v', None]]


def test_state_outside_keyed_operators_and_name_conflicts():
    class Unkeyed(MapFunction):
        def open(self, ctx):
            ctx.get_state(ValueStateDescriptor('v', Types.INT()))

        def map(self, x):
            return x
    with pytest.raises(UserFunctionError) as e:
        chain(op('map', Unkeyed(), name='U'))
    assert e.value.message == ('Exception: This state is only accessible by functions executed '
                               'on a KeyedStream.')

    class Conflict(MapFunction):
        def open(self, ctx):
            assert ctx.get_state(ValueStateDescriptor('s', Types.INT())) is \
                ctx.get_state(ValueStateDescriptor('s', Types.INT()))
            ctx.get_list_state(ListStateDescriptor('s', Types.INT()))

        def map(self, x):
            return x
    with pytest.raises(UserFunctionError) as e:
        chain(op('map', Conflict(), keyed=True))
    assert "The state name 's' is already in use and not a list state." in e.value.message


def test_keyed_filter_and_reduce_function_use_state():
    class Dedup(object):
        def open(self, ctx):
            self.seen = ctx.get_state(ValueStateDescriptor('seen', Types.BOOLEAN()))

        def filter(self, x):
            if self.seen.value():
                return False
            self.seen.update(True)
            return True
    c = chain(op('filter', Dedup(), keyed=True))
    out = c.run(['a', 'b', 'a2', 'c'], keys=[k('a'), k('b'), k('a'), k('c')], ts=[1, 2, 3, 4])
    assert rows(out) == [('a', 1, None), ('b', 2, None), ('c', 4, None)]

    class CountingReduce(ReduceFunction):
        def open(self, ctx):
            self.calls = ctx.get_state(ValueStateDescriptor('calls', Types.INT()))

        def reduce(self, a, b):
            self.calls.update((self.calls.value() or 0) + 1)
            return a + b
    c = chain(op('reduce', CountingReduce()))
    assert c.run([1, 2, 3], keys=[k(0)] * 3).values == [1, 3, 6]
    assert c.state.write_back(None) == [[k(0), 'calls', 2], [k(0), 'reduce', 6]]


# -- windows -----------------------------------------------------------------

class CountWindow(ProcessWindowFunction):
    def process(self, key, context, elements):
        w = context.window()
        yield key, w.start, w.end, len(elements), context.current_watermark()


class SumApply(WindowFunction):
    def apply(self, key, window, inputs):
        return [(key, window, sum(x[1] for x in inputs))]


class AllCount(ProcessAllWindowFunction):
    def process(self, context, elements):
        yield context.window(), len(elements)


class AllApply(AllWindowFunction):
    def apply(self, window, inputs):
        yield window, list(inputs)


class Avg(AggregateFunction):
    def create_accumulator(self):
        return 0, 0

    def add(self, value, acc):
        return acc[0] + value[1], acc[1] + 1

    def get_result(self, acc):
        return acc[0] / acc[1]

    def merge(self, a, b):
        return a[0] + b[0], a[1] + b[1]


def window_op(kind, fn, window_fn=None, **params):
    return {'func': 'window', 'name': 'Window', 'params': params,
            'fn': cloudpickle.dumps({'kind': kind, 'fn': fn, 'window_fn': window_fn})}


def test_process_window_function():
    c = chain(window_op('process', CountWindow()))
    out = c.run([[('hi', 1), ('hi', 2), ('hi', 3), ('hi', 4)], [('hi', 8)]],
                keys=[k('hi'), k('hi')],
                windows=[[0, 5], [5, 10]], watermark=9)
    assert rows(out) == [(('hi', 0, 5, 4, 9), 4, None), (('hi', 5, 10, 1, 9), 9, None)]


def test_apply_reduce_and_aggregate_windows():
    elements = [('a', 1), ('a', 2), ('a', 6)]
    c = chain(window_op('apply', SumApply()))
    assert rows(c.run([elements], keys=[k('a')], windows=[[-10, 10]])) == [
        (('a', TimeWindow(-10, 10), 9), 9, None)]
    c = chain(window_op('reduce', lambda a, b: (a[0], a[1] + b[1])))
    assert rows(c.run([elements], keys=[k('a')], windows=['global'])) == [(('a', 9), MAX, None)]
    c = chain(window_op('reduce', lambda a, b: (a[0], a[1] + b[1]), CountWindow()))
    assert c.run([elements], keys=[k('a')], windows=[[0, 10]]).values == [('a', 0, 10, 1, MIN)]
    c = chain(window_op('aggregate', Avg()))
    assert c.run([elements], keys=[k('a')], windows=[[0, 10]]).values == [3.0]
    c = chain(window_op('aggregate', Avg(), CountWindow()))
    assert c.run([elements], keys=[k('a')], windows=[[0, 10]]).values == [('a', 0, 10, 1, MIN)]
    c = chain(window_op('aggregate', Avg(), AllApply()))
    assert c.run([elements], windows=[[0, 10]]).values == [(TimeWindow(0, 10), [3.0])]


def test_all_window_functions_and_global_windows():
    c = chain(window_op('process', AllCount()), op('map', lambda x: (str(x[0]), x[1])))
    out = c.run([[1, 2], [3]], windows=[[0, 5], 'global'])
    assert rows(out) == [(('TimeWindow(start=0, end=5)', 2), 4, None),
                         (('GlobalWindow', 1), MAX, None)]
    assert isinstance(GlobalWindow.get(), GlobalWindow)
    c = chain(window_op('apply', AllApply()))
    assert c.run([[1, 2]], windows=[[0, 5]]).values == [(TimeWindow(0, 5), [1, 2])]


def test_window_state_and_side_outputs():
    class Stateful(ProcessWindowFunction):
        def process(self, key, context, elements):
            total = context.global_state().get_state(ValueStateDescriptor('total', Types.INT()))
            total.update((total.value() or 0) + len(elements))
            yield key, total.value()
            yield LATE, elements
            per_window = context.window_state().get_state(ValueStateDescriptor('n', Types.INT()))
            per_window.update((per_window.value() or 0) + len(elements))
            yield 'window', per_window.value()
    c = chain(window_op('process', Stateful()))
    out = c.run([[1], [2, 3]], keys=[k('a'), k('a')], windows=[[0, 5], [5, 10]])
    assert rows(out) == [(('a', 1), 4, None), (('window', 1), 4, None), (('a', 3), 9, None),
                         (('window', 2), 9, None), ([1], 4, 'late'), ([2, 3], 9, 'late')]
    # window_state() goes back per key and window, global_state() per key
    assert c.state.write_back(None) == [[k('a'), 'n', 1, 'window', [0, 5]],
                                        [k('a'), 'n', 2, 'window', [5, 10]],
                                        [k('a'), 'total', 3]]
    assert c.state.take_declarations() == [{'name': 'total', 'kind': 'value'}]


def test_window_rows_need_windows_and_function_kinds_are_checked():
    c = chain(window_op('process', CountWindow()))
    with pytest.raises(UserFunctionError) as e:
        c.run([[1]], keys=[k(1)])
    assert 'rows that carry their window' in e.value.message
    with pytest.raises(UserFunctionError) as e:
        chain(window_op('bogus', CountWindow()))
    assert "unknown window function kind 'bogus'" in e.value.message
    with pytest.raises(UserFunctionError) as e:
        chain({'func': 'window', 'name': 'W', 'fn': cloudpickle.dumps(lambda x: x), 'params': {}})
    assert 'needs {"kind", "fn", "window_fn"}' in e.value.message


def test_window_functions_are_opened_and_closed():
    class Tracked(ProcessWindowFunction):
        events = []

        def open(self, ctx):
            Tracked.events.append('open')

        def process(self, key, context, elements):
            return [len(elements)]

        def close(self):
            Tracked.events.append('close')
    c = chain(window_op('reduce', lambda a, b: a + b, Tracked()))
    assert c.run([[1, 2]], keys=[k(0)], windows=[[0, 1]]).values == [1]
    c.close()
    assert type(c.ops[0].fn['window_fn']).events == ['open', 'close']


# -- the session ---------------------------------------------------------------

def _request(**fields):
    return unpackb(packb(fields))


def test_session_carries_timestamps_tags_timers_and_declarations():
    s = Session()
    opened = unpackb(s.handle(_request(t='open', ops=[op('keyed_process', CountWithTimeout())],
                                       task={})))
    assert opened == {'t': 'opened', 'states': [{'name': 'count', 'kind': 'value'}]}
    resp = unpackb(s.handle(_request(t='batch', seq=1, rows=[('a', 'x')], keys=[k('a')], ts=[5],
                                     watermark=MIN, now=0)))
    assert resp == {'t': 'result', 'seq': 1, 'rows': [('a', 1)], 'ts': [5],
                    'state': [[k('a'), 'count', 1]], 'timers': [[k('a'), 15, 0, False]]}
    resp = unpackb(s.handle(_request(t='batch', seq=2, rows=[], timers=[[k('a'), 15, 0]],
                                     watermark=15, now=0)))
    assert resp['rows'] == [('fired', 'a', 15, 15, TimeDomain.EVENT_TIME, 1)]
    assert resp['ts'] == [15] and 'states' not in resp and 'tags' not in resp
    assert resp['timers'] == [[k('a'), 1015, 1, False]]

    s = Session()
    s.handle(_request(t='open', ops=[op('flat_map', lambda x: [x, (LATE, -x)]),
                                     op('key_by', lambda x: x % 2)], task={}))
    resp = unpackb(s.handle(_request(t='batch', seq=1, rows=[1, 2])))
    assert resp == {'t': 'result', 'seq': 1, 'rows': [1, 2, -1, -2], 'keys': [1, 0, None, None],
                    'tags': [None, None, 'late', 'late']}


def test_session_reports_lazily_declared_state_once():
    class Lazy(MapFunction):
        def open(self, ctx):
            self.ctx = ctx

        def map(self, x):
            s = self.ctx.get_state(ValueStateDescriptor('lazy', Types.INT()))
            s.update(x)
            return x
    s = Session()
    assert unpackb(s.handle(_request(t='open', ops=[op('map', Lazy(), keyed=True)], task={}))) == \
        {'t': 'opened'}
    resp = unpackb(s.handle(_request(t='batch', seq=1, rows=[1], keys=[k(1)])))
    assert resp['states'] == [{'name': 'lazy', 'kind': 'value'}]
    assert resp['state'] == [[k(1), 'lazy', 1]]
    resp = unpackb(s.handle(_request(t='batch', seq=2, rows=[2], keys=[k(1)])))
    assert 'states' not in resp and resp['state'] == [[k(1), 'lazy', 2]]


def test_batch_mode_writes_back_only_evicted_keys():
    c = chain(op('map', Everything(), keyed=True), mode='BATCH')
    c.run([1], keys=[k('x')])
    assert c.state.write_back(None) == []
    assert [e for e in c.state.write_back([k('x')]) if e[1] == 'v'] == [[k('x'), 'v', 1]]


# -- pinned messages (udf/testdata/vectors.json) ------------------------------------

def _vector(name):
    import json
    import os
    path = os.path.join(os.path.dirname(__file__), '..', '..', 'udf', 'testdata', 'vectors.json')
    with open(path, encoding='utf-8') as f:
        return bytes.fromhex(next(v['hex'] for v in json.load(f) if v['name'] == name))


def test_session_reads_the_pinned_batches():
    s = Session()
    s.handle(_request(t='open', ops=[op('process', Describe())], task={}))
    resp = unpackb(s.handle(unpackb(_vector('msg_batch_plain'))))
    assert resp['rows'] == [(('a', 1), None, MIN, 1700000000000), ('b', None, MIN, 1700000000000)]
    assert 'ts' not in resp
    request = unpackb(_vector('msg_batch_event_time'))
    assert request['ts'] == [5, None, -1] and request['windows'] == [[0, 5], 'global', None]
    assert request['timers'] == [[k('k'), 10, 0], [k('j'), 1700000001000, 1]]
    assert request['watermark'] == 4 and request['now'] == 1700000000000


def test_session_writes_the_pinned_responses():
    from pyflink_go._worker.chain import Output
    from pyflink_go._worker.session import _result
    out = Output([('a', 1), 2], [b'\xa1a', 2], [5, None], ['late'], ['late'], [MAX])
    data = _result(3, out, [[k('k'), 'count', 2], [k('k'), 'seen', None]],
                   [[k('k'), 15, 0, False], [k('k'), 14, 1, True]], [{'name': 'lazy', 'kind': 'map'}])
    assert data == _vector('msg_result_event_time')

    class Declares(MapFunction):
        def open(self, ctx):
            ctx.get_state(ValueStateDescriptor('count', Types.LONG()))
            ctx.get_list_state(with_ttl(ListStateDescriptor('seen', Types.LONG()), 60000,
                                        'OnReadAndWrite'))

        def map(self, x):
            return x
    s = Session()
    assert s.handle(_request(t='open', ops=[op('map', Declares(), keyed=True)], task={})) == \
        _vector('msg_opened_states')


def test_map_may_return_a_side_output():
    c = chain(op('map', lambda x: (LATE, x) if x < 0 else x), op('map', lambda x: x + 1))
    out = c.run([1, -1, 2], ts=[1, 2, 3])
    assert rows(out) == [(2, 1, None), (3, 3, None), (-1, 2, 'late')]


# -- two-input operators -----------------------------------------------------------

from pyflink_go.datastream.functions import BroadcastProcessFunction, CoFlatMapFunction, \
    CoMapFunction, CoProcessFunction, KeyedBroadcastProcessFunction, KeyedCoProcessFunction  # noqa


class Tagger(CoMapFunction):
    def map1(self, value):
        return 'one', value

    def map2(self, value):
        return (LATE, value) if value < 0 else ('two', value)


class Splitter2(CoFlatMapFunction):
    def flat_map1(self, value):
        yield from value.split()

    def flat_map2(self, value):
        return [value] * 2


def test_co_map_and_co_flat_map():
    c = chain(op('co_map', Tagger()))
    out = c.run([1, 2, -3], ts=[1, 2, 3], inputs=[0, 1, 1])
    assert rows(out) == [(('one', 1), 1, None), (('two', 2), 2, None), (-3, 3, 'late')]
    assert c.run([5]).values == [('one', 5)]
    c = chain(op('co_flat_map', Splitter2()), op('map', str.upper))
    assert rows(c.run(['a b', 'c'], ts=[1, 2], inputs=[0, 1])) == [
        ('A', 1, None), ('B', 1, None), ('C', 2, None), ('C', 2, None)]
    with pytest.raises(UserFunctionError) as e:
        chain(op('map', str.upper), op('co_map', Tagger(), name='CoMap'))
    assert 'must be the first' in e.value.message


class Join(KeyedCoProcessFunction):
    def open(self, ctx):
        self.left = ctx.get_state(ValueStateDescriptor('left', Types.STRING()))

    def process_element1(self, value, ctx):
        self.left.update(value[1])
        ctx.timer_service().register_event_time_timer(100)

    def process_element2(self, value, ctx):
        yield ctx.get_current_key(), self.left.value(), value[1], ctx.timestamp()

    def on_timer(self, timestamp, ctx):
        yield 'timer', ctx.get_current_key(), ctx.time_domain(), self.left.value()


def test_keyed_co_process_joins_on_state_and_fires_timers():
    c = chain(op('keyed_co_process', Join()))
    out = c.run([('a', 'L'), ('a', 'R'), ('b', 'R')], keys=[k('a'), k('a'), k('b')],
                ts=[1, 2, 3], inputs=[0, 1, 1])
    assert rows(out) == [(('a', 'L', 'R', 2), 2, None), (('b', None, 'R', 3), 3, None)]
    assert c.timer_ops() == [[k('a'), 100, 0, False]]
    out = c.run([], timers=[[k('a'), 100, 0]])
    assert rows(out) == [(('timer', 'a', TimeDomain.EVENT_TIME, 'L'), 100, None)]
    with pytest.raises(UserFunctionError) as e:
        chain(op('keyed_co_process', Join(), name='J')).run([1], inputs=[1])
    assert 'without keys' in e.value.message


class Plain(CoProcessFunction):
    def process_element1(self, value, ctx):
        yield 1, value, ctx.timestamp(), ctx.timer_service().current_watermark()

    def process_element2(self, value, ctx):
        ctx.timer_service().register_event_time_timer(1)


def test_co_process_has_no_timers():
    c = chain(op('co_process', Plain(), name='CP'))
    assert c.run(['x'], ts=[4], watermark=2).values == [(1, 'x', 4, 2)]
    with pytest.raises(UserFunctionError) as e:
        c.run(['y'], inputs=[1])
    assert e.value.message == 'Exception: Setting timers is only supported on a keyed streams.'


RULES = MapStateDescriptor('rules', Types.STRING(), Types.INT())


class Rules(BroadcastProcessFunction):
    def process_element(self, value, ctx):
        rules = ctx.get_broadcast_state(RULES)
        yield value, rules.get(value), value in rules, ctx.timestamp()
        assert not hasattr(rules, 'put')

    def process_broadcast_element(self, value, ctx):
        rules = ctx.get_broadcast_state(RULES)
        if value[1] is None:
            del rules[value[0]]
        else:
            rules.put(value[0], value[1])


def test_broadcast_process_keeps_broadcast_state():
    c = chain(op('broadcast_process', Rules()))
    out = c.run(['a', ('a', 1), 'a', ('b', 2), ('a', None), 'a', 'b'],
                inputs=[0, 1, 0, 1, 1, 0, 0], ts=[1, 2, 3, 4, 5, 6, 7])
    assert out.values == [('a', None, False, 1), ('a', 1, True, 3), ('a', None, False, 6),
                          ('b', 2, True, 7)]
    assert c.env.broadcast == {'rules': {'b': 2}}


def test_broadcast_state_round_trips_through_the_pinned_messages():
    """A checkpoint's copy: the batch installs states (replacing what the worker had, also
    for contexts that already hold the state) and asks for them; the answer is the pinned one."""
    s = Session()
    s.handle(_request(t='open', ops=[op('broadcast_process', Rules())], task={}))
    s.handle(_request(t='batch', seq=1, rows=[('a', 5), 'a'], inputs=[1, 0]))
    assert s.chain.env.broadcast == {'rules': {'a': 5}}
    assert s.handle(unpackb(_vector('msg_batch_broadcast'))) == _vector('msg_result_broadcast')
    assert s.chain.env.broadcast == {'rules': {'a': 1, (2, 'b'): [3]}, 'empty': {}}
    resp = unpackb(s.handle(_request(t='batch', seq=2, rows=['a', ('c', 3), 'c'],
                                     inputs=[0, 1, 0])))
    assert resp['rows'] == [('a', 1, True, None), ('c', 3, True, None)]
    assert 'broadcast' not in resp
    resp = unpackb(s.handle(_request(t='batch', seq=3, rows=[], snapshot=True)))
    assert resp['broadcast'] == {'rules': {'a': 1, (2, 'b'): [3], 'c': 3}, 'empty': {}}


def test_a_broadcast_state_to_install_must_be_a_map():
    s = Session()
    s.handle(_request(t='open', ops=[op('broadcast_process', Rules())], task={}))
    resp = unpackb(s.handle(_request(t='batch', seq=1, rows=[], broadcast={'rules': [1]})))
    assert resp['t'] == 'error' and 'broadcast state' in resp['message'], resp


class KeyedRules(KeyedBroadcastProcessFunction):
    def open(self, ctx):
        self.count = ctx.get_state(ValueStateDescriptor('count', Types.INT()))

    def process_element(self, value, ctx):
        self.count.update((self.count.value() or 0) + 1)
        ctx.timer_service().register_processing_time_timer(ctx.current_processing_time() + 5)
        yield ctx.get_current_key(), ctx.get_broadcast_state(RULES).get('limit'), self.count.value()

    def process_broadcast_element(self, value, ctx):
        ctx.get_broadcast_state(RULES).put('limit', value)
        try:
            self.count.value()
        except Exception as e:
            yield str(e)

    def on_timer(self, timestamp, ctx):
        yield 'timer', ctx.get_current_key(), timestamp, ctx.get_broadcast_state(RULES).get('limit')


def test_keyed_broadcast_process():
    c = chain(op('keyed_broadcast_process', KeyedRules()))
    out = c.run([10, 'x', 'x'], keys=[None, k('x'), k('x')], inputs=[1, 0, 0], now=100)
    assert out.values == [
        'This state is only accessible by functions executed on a KeyedStream.',
        ('x', 10, 1), ('x', 10, 2)]
    assert c.timer_ops() == [[k('x'), 105, 1, False]]
    assert c.state.write_back(None) == [[k('x'), 'count', 2]]
    out = c.run([], timers=[[k('x'), 105, 1]])
    assert rows(out) == [(('timer', 'x', 105, 10), 105, None)]
    with pytest.raises(UserFunctionError) as e:
        c.run(['y'], inputs=[0])
    assert 'without keys' in e.value.message
