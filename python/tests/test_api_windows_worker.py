"""The worker side of windows: count windows, window_state()/global_state() and clear(context),
and custom Python triggers called by the engine (udf/SPEC.md §4, ``window``)."""
import json
import os

import cloudpickle
import pytest

from pyflink_go._codec import packb, unpackb
from pyflink_go._worker.chain import Chain
from pyflink_go._worker.errors import UserFunctionError
from pyflink_go._worker.session import Session
from pyflink_go.common.typeinfo import Types
from pyflink_go.datastream.functions import ProcessWindowFunction, ReduceFunction, \
    WindowFunction
from pyflink_go.datastream.state import ListStateDescriptor, ReducingStateDescriptor, \
    ValueStateDescriptor
from pyflink_go.datastream.window import CountWindow, GlobalWindow, PurgingTrigger, \
    TimeWindow, Trigger, TriggerResult

MAX = (1 << 63) - 1
CONTINUE, FIRE, PURGE, FIRE_AND_PURGE = 0, 1, 2, 3


def k(value):
    """An encoded key, as the engine sends it."""
    return packb(value)


def window_chain(kind, fn, window_fn=None, trigger=None, **params):
    spec = {'kind': kind, 'fn': fn, 'window_fn': window_fn}
    if trigger is not None:
        spec['trigger'] = trigger
    return Chain([{'func': 'window', 'name': 'Window', 'params': params,
                   'fn': cloudpickle.dumps(spec)}], {})


def vector(name):
    path = os.path.join(os.path.dirname(__file__), '..', '..', 'udf', 'testdata', 'vectors.json')
    with open(path, encoding='utf-8') as f:
        return bytes.fromhex(next(v['hex'] for v in json.load(f) if v['name'] == name))


# -- count windows ---------------------------------------------------------------

class Describe(ProcessWindowFunction):
    def process(self, key, context, elements):
        w = context.window()
        yield key, type(w).__name__, repr(w), getattr(w, 'id', None), w.max_timestamp(), \
            list(elements)


def test_count_windows_reach_python_as_count_window():
    c = window_chain('process', Describe())
    out = c.run([[1, 2], [3]], keys=[k('a'), k('b')], windows=[0, 7])
    assert out.values == [('a', 'CountWindow', 'CountWindow(id=0)', 0, MAX, [1, 2]),
                          ('b', 'CountWindow', 'CountWindow(id=7)', 7, MAX, [3])]
    assert out.ts == [MAX, MAX]
    out = c.run([[4]], keys=[k('a')], windows=['global'])
    assert out.values == [('a', 'GlobalWindow', 'GlobalWindow', None, MAX, [4])]


def test_apply_sees_count_windows_too():
    class Apply(WindowFunction):
        def apply(self, key, window, inputs):
            return [(key, window, sum(inputs))]
    out = window_chain('apply', Apply()).run([[1, 2, 3]], keys=[k('x')], windows=[2])
    assert out.values == [('x', CountWindow(2), 6)]


# -- window_state(), global_state(), clear(context) ------------------------------

FIRED = ValueStateDescriptor('fired', Types.INT())
TOTAL = ValueStateDescriptor('total', Types.INT())


class Firings(ProcessWindowFunction):
    """Counts firings per window (window_state) and per key (global_state)."""

    def process(self, key, context, elements):
        fired = context.window_state().get_state(FIRED)
        fired.update((fired.value() or 0) + 1)
        total = context.global_state().get_state(TOTAL)
        total.update((total.value() or 0) + 1)
        yield key, context.window().start, fired.value(), total.value()

    def clear(self, context):
        context.window_state().get_state(FIRED).clear()


def test_window_state_is_per_key_and_window_and_global_state_per_key():
    c = window_chain('process', Firings())
    out = c.run([[1], [1], [1], [1]], keys=[k('a'), k('a'), k('b'), k('a')],
                windows=[[0, 5], [0, 5], [0, 5], [5, 10]])
    assert out.values == [('a', 0, 1, 1), ('a', 0, 2, 2), ('b', 0, 1, 1), ('a', 5, 1, 3)]
    # the next batch sees the same state
    assert c.run([[1]], keys=[k('a')], windows=[[0, 5]]).values == [('a', 0, 3, 4)]


def test_a_clean_up_row_calls_clear_which_drops_the_window_state():
    c = window_chain('process', Firings())
    c.run([[1], [1]], keys=[k('a'), k('a')], windows=[[0, 5], [5, 10]])
    # None: window [0, 5) of 'a' is cleaned up; it yields nothing
    out = c.run([None, [1], [1]], keys=[k('a'), k('a'), k('a')],
                windows=[[0, 5], [0, 5], [5, 10]])
    assert out.values == [('a', 0, 1, 3), ('a', 5, 2, 4)]


def test_clear_of_the_window_function_after_a_reduce():
    class Keep(ProcessWindowFunction):
        cleared = []

        def process(self, key, context, elements):
            context.window_state().get_list_state(
                ListStateDescriptor('seen', Types.INT())).add(elements[0])
            yield list(context.window_state().get_list_state(
                ListStateDescriptor('seen', Types.INT())).get())

        def clear(self, context):
            context.window_state().get_list_state(ListStateDescriptor('seen', Types.INT())).clear()
    c = window_chain('reduce', lambda a, b: a + b, Keep())
    assert c.run([[1, 2], [3], None, [4]], keys=[k('a')] * 4,
                 windows=[[0, 5]] * 4).values == [[3], [3, 3], [4]]


def test_clean_up_rows_without_a_clear_do_nothing():
    c = window_chain('process', Describe())
    assert c.run([None, None], keys=[k('a'), k('b')], windows=[[0, 5], 3]).values == []


def test_window_state_of_merging_windows_raises_as_pyflink():
    c = window_chain('process', Firings(), merging=True)
    with pytest.raises(UserFunctionError,
                       match='Per-window state is not allowed when using merging windows.'):
        c.run([[1]], keys=[k('a')], windows=[[0, 5]])


# -- custom triggers ----------------------------------------------------------------

COUNT = ReducingStateDescriptor('count', lambda a, b: a + b, Types.LONG())


class EveryTwoOrEnd(Trigger):
    """Fires every second element of a window and at the window's end (event time)."""

    def on_element(self, element, timestamp, window, ctx):
        ctx.register_event_time_timer(window.max_timestamp())
        count = ctx.get_partitioned_state(COUNT)
        count.add(1)
        if count.get() >= 2:
            count.clear()
            return TriggerResult.FIRE
        return TriggerResult.CONTINUE

    def on_event_time(self, time, window, ctx):
        if time == window.max_timestamp():
            return TriggerResult.FIRE_AND_PURGE
        return TriggerResult.CONTINUE

    def on_processing_time(self, time, window, ctx):
        return TriggerResult.CONTINUE

    def can_merge(self):
        return True

    def on_merge(self, window, ctx):
        ctx.merge_partitioned_state(COUNT)
        ctx.register_event_time_timer(window.max_timestamp())

    def clear(self, window, ctx):
        ctx.delete_event_time_timer(window.max_timestamp())
        ctx.get_partitioned_state(COUNT).clear()


def call(on, **fields):
    return dict(fields, on=on)


def run_calls(c, key, window, *calls, ts=None, watermark=None):
    """Runs trigger calls one batch each; returns their answers, (result, timer ops) pairs."""
    out = []
    for x in calls:
        o = c.run([x], keys=[k(key)], windows=[window], ts=[ts], watermark=watermark)
        assert c.timer_ops() == []  # a trigger's timers travel in its answers
        result, timers = o.values[0]
        out.append((result, timers))
    return out


def test_trigger_calls_answer_results_and_timers_and_keep_state_per_pane():
    c = window_chain('process', Describe(), trigger=EveryTwoOrEnd())
    el = call('element', value='x')
    got = run_calls(c, 'a', [0, 5], el, el, el)
    assert got == [(CONTINUE, [[4, 0, False]]), (FIRE, [[4, 0, False]]),
                   (CONTINUE, [[4, 0, False]])]
    # another key and another window count on their own
    assert run_calls(c, 'b', [0, 5], el)[0][0] == CONTINUE
    assert run_calls(c, 'a', [5, 10], el)[0][0] == CONTINUE
    assert run_calls(c, 'a', [0, 5], el)[0][0] == FIRE
    assert run_calls(c, 'a', [0, 5], call('event_time', time=4))[0][0] == FIRE_AND_PURGE
    assert run_calls(c, 'a', [0, 5], call('event_time', time=3))[0][0] == CONTINUE
    assert run_calls(c, 'a', [0, 5], call('clear')) == [(None, [[4, 0, True]])]
    assert run_calls(c, 'b', [0, 5], el)[0][0] == FIRE


def test_trigger_merge_folds_partitioned_state_of_the_merged_windows():
    c = window_chain('process', Describe(), trigger=EveryTwoOrEnd(), merging=True)
    el = call('element', value='x')
    run_calls(c, 'a', [1, 6], el)
    got = run_calls(c, 'a', [1, 9], call('merge', merged=[[1, 6]]))
    assert got == [(None, [[8, 0, False]])]
    # the merged window carries the count of [1, 6): one more element fires
    assert run_calls(c, 'a', [1, 9], el)[0][0] == FIRE
    # [1, 6) has nothing left
    assert run_calls(c, 'a', [1, 6], el)[0][0] == CONTINUE


def test_purging_trigger_around_a_custom_trigger_runs_in_the_worker():
    c = window_chain('process', Describe(), trigger=PurgingTrigger.of(EveryTwoOrEnd()))
    el = call('element', value='x')
    assert [a for a, _ in run_calls(c, 'a', 'global', el, el)] == [CONTINUE, FIRE_AND_PURGE]


def test_trigger_sees_element_timestamp_and_time_of_the_batch():
    class Probe(Trigger):
        def on_element(self, element, timestamp, window, ctx):
            ctx.get_metric_group().counter('elements').inc()
            ctx.register_processing_time_timer(ctx.get_current_processing_time() + 10)
            assert (element, timestamp, window, ctx.get_current_watermark()) == \
                ('v', 7, CountWindow(3), 2)
            return TriggerResult.PURGE

        def on_processing_time(self, time, window, ctx):
            return TriggerResult.FIRE

        def on_event_time(self, time, window, ctx):
            return TriggerResult.CONTINUE

        def on_merge(self, window, ctx):
            pass

        def clear(self, window, ctx):
            pass
    c = window_chain('process', Describe(), trigger=Probe())
    out = c.run([call('element', value='v')], keys=[k('a')], windows=[3], ts=[7], watermark=2,
                now=1000)
    assert out.values == [[PURGE, [[1010, 1, False]]]]
    assert run_calls(c, 'a', 3, call('processing_time', time=1010))[0][0] == FIRE


def test_a_trigger_method_that_returns_no_result_names_it():
    class Broken(EveryTwoOrEnd):
        def on_element(self, element, timestamp, window, ctx):
            return None
    c = window_chain('process', Describe(), trigger=Broken())
    with pytest.raises(UserFunctionError, match='Trigger.on_element must return a TriggerResult'):
        c.run([call('element', value=1)], keys=[k('a')], windows=[[0, 5]])


def test_trigger_answers_skip_the_output_type_but_window_outputs_do_not():
    c = window_chain('reduce', lambda a, b: a + b, trigger=EveryTwoOrEnd(),
                     out_type={'t': 'DOUBLE'})
    assert c.run([call('element', value=1)], keys=[k('a')], windows=[[0, 5]]).values == [
        [CONTINUE, [[4, 0, False]]]]
    out = c.run([[1, 2]], keys=[k('a')], windows=[[0, 5]])
    assert out.values == [3.0] and type(out.values[0]) is float


def test_a_window_with_a_trigger_declares_it_at_open():
    s = Session()
    fn = cloudpickle.dumps({'kind': 'process', 'fn': Describe(), 'window_fn': None,
                            'trigger': EveryTwoOrEnd()})
    opened = s.handle(unpackb(packb({'t': 'open', 'task': {}, 'ops': [
        {'func': 'window', 'name': 'W', 'fn': fn, 'params': {}}]})))
    assert unpackb(opened) == {'t': 'opened',
                               'states': [{'name': 'EveryTwoOrEnd', 'kind': 'trigger'}]}
    pinned = unpackb(vector('msg_opened_trigger'))
    assert pinned['states'][0]['kind'] == 'trigger'
    assert packb(pinned) == vector('msg_opened_trigger')


def test_the_pinned_window_batches():
    s = Session()
    s.handle(unpackb(packb({'t': 'open', 'task': {}, 'ops': [
        {'func': 'window', 'name': 'W', 'params': {}, 'fn': cloudpickle.dumps(
            {'kind': 'process', 'fn': Describe(), 'window_fn': None,
             'trigger': EveryTwoOrEnd()})}]})))
    request = unpackb(vector('msg_batch_windows'))
    assert request['windows'] == [3, [0, 5]] and request['rows'] == [[1, 2], None]
    resp = unpackb(s.handle(request))
    assert resp['rows'] == [('k', 'CountWindow', 'CountWindow(id=3)', 3, MAX, [1, 2])]
    request = unpackb(vector('msg_batch_trigger'))
    assert request['rows'] == [{'on': 'element', 'value': 'x'}] and request['ts'] == [7]
    resp = unpackb(s.handle(request))
    assert resp['rows'] == [[CONTINUE, [[MAX, 0, False]]]] and 'timers' not in resp


def test_a_run_of_element_calls_is_answered_call_by_call():
    c = window_chain('process', Describe(), trigger=EveryTwoOrEnd())
    el = call('element', value='x')
    out = c.run([el, el, el, el, el], keys=[k('a'), k('b'), k('a'), k('a'), k('b')],
                windows=[[0, 5], [0, 5], [0, 5], [5, 10], [0, 5]], ts=[1, 2, 3, 6, 4])
    assert out.values == [[CONTINUE, [[4, 0, False]]], [CONTINUE, [[4, 0, False]]],
                          [FIRE, [[4, 0, False]]], [CONTINUE, [[9, 0, False]]],
                          [FIRE, [[4, 0, False]]]]


def test_trigger_calls_and_window_rows_do_not_mix():
    c = window_chain('process', Describe(), trigger=EveryTwoOrEnd())
    with pytest.raises(UserFunctionError, match='a batch mixes trigger calls and window rows'):
        c.run([[1], call('element', value=1)], keys=[k('a')] * 2, windows=[[0, 5]] * 2)
    with pytest.raises(UserFunctionError, match='a trigger call for a window without a custom'):
        window_chain('process', Describe()).run([call('clear')], keys=[k('a')], windows=[3])


def test_the_pinned_trigger_answer():
    class Pinned(EveryTwoOrEnd):
        def on_element(self, element, timestamp, window, ctx):
            ctx.register_event_time_timer(window.max_timestamp())
            ctx.register_processing_time_timer(1010)
            ctx.delete_processing_time_timer(1010)
            return TriggerResult.FIRE
    c = window_chain('process', Describe(), trigger=Pinned())
    out = c.run([call('element', value=1)], keys=[k('a')], windows=[[0, 5]])
    assert packb(out.values[0]) == vector('msg_trigger_answer')


def test_a_timer_call_at_the_cleanup_time_clears_the_trigger_too():
    c = window_chain('process', Describe(), trigger=EveryTwoOrEnd())
    el = call('element', value='x')
    run_calls(c, 'a', [0, 5], el)
    run_calls(c, 'b', [0, 5], el)
    out = c.run([call('event_time', time=4, cleanup=True), call('event_time', time=4)],
                keys=[k('a'), k('b')], windows=[[0, 5], [0, 5]])
    # a's count is cleared with its timer; b's stays
    assert out.values == [[FIRE_AND_PURGE, [[4, 0, True]]], [FIRE_AND_PURGE, []]]
    assert run_calls(c, 'a', [0, 5], el)[0][0] == CONTINUE
    assert run_calls(c, 'b', [0, 5], el)[0][0] == FIRE


def test_all_window_functions_have_window_and_global_state():
    from pyflink_go.datastream.functions import ProcessAllWindowFunction

    class AllFirings(ProcessAllWindowFunction):
        def process(self, context, elements):
            fired = context.window_state().get_state(FIRED)
            fired.update((fired.value() or 0) + 1)
            total = context.global_state().get_state(TOTAL)
            total.update((total.value() or 0) + 1)
            yield context.window().start, fired.value(), total.value()
    c = window_chain('process', AllFirings(), all=True)
    out = c.run([[1], [2], [3]], windows=[[0, 5], [0, 5], [5, 10]])
    assert out.values == [(0, 1, 1), (0, 2, 2), (5, 1, 3)]


def test_an_element_without_a_timestamp_has_the_minimum_long():
    class Stamp(EveryTwoOrEnd):
        def on_element(self, element, timestamp, window, ctx):
            assert timestamp == -(1 << 63)
            return TriggerResult.FIRE
    c = window_chain('process', Describe(), trigger=Stamp())
    assert c.run([call('element', value=1)], keys=[k('a')], windows=['global']).values == [
        [FIRE, []]]


# -- window chains' state travels with every batch ------------------------------------

def window_session(fn, trigger=None, **params):
    s = Session()
    spec = {'kind': 'process', 'fn': fn, 'window_fn': None}
    if trigger is not None:
        spec['trigger'] = trigger
    s.handle(unpackb(packb({'t': 'open', 'task': {}, 'ops': [
        {'func': 'window', 'name': 'W', 'params': params, 'fn': cloudpickle.dumps(spec)}]})))
    return s


def test_the_pinned_window_state_messages():
    """The engine installs window_state(), trigger and global_state() values with the batch;
    every change goes back, and the worker keeps nothing for the next batch."""
    s = window_session(Firings(), trigger=EveryTwoOrEnd())
    resp = unpackb(s.handle(unpackb(vector('msg_batch_window_state'))))
    assert resp['rows'] == [('k', 0, 2, 5)]
    # the trigger's count was installed but not changed: it does not go back
    assert resp['state'] == [[k('k'), 'fired', 2, 'window', [0, 5]], [k('k'), 'total', 5]]
    state = s.chain.state
    assert not state.tables['total'].data and not state.scoped['window'].tables['fired'].data
    assert not state.scoped['trigger'].tables['count'].data
    # nothing installed: the function starts from nothing again
    resp = unpackb(s.handle(_request(seq=3, rows=[[1]], keys=[k('k')], windows=[[0, 5]])))
    assert resp['rows'] == [('k', 0, 1, 1)]

    from pyflink_go._worker.chain import Output
    from pyflink_go._worker.session import _result
    data = _result(2, Output([], None, None, [], [], []),
                   [[k('k'), 'fired', 2, 'window', [0, 5]], [k('k'), 'seen', None, 'trigger', 'global'],
                    [k('k'), 'total', None]], None, None)
    assert data == vector('msg_result_window_state')


def _request(**fields):
    return unpackb(packb(dict(fields, t='batch')))


def test_clear_at_clean_up_writes_back_the_cleared_window_state():
    s = window_session(Firings())
    resp = unpackb(s.handle(_request(
        seq=1, rows=[None], keys=[k('a')], windows=[[0, 5]],
        state=[[k('a'), 'fired', 3, 'window', [0, 5]], [k('a'), 'total', 7]])))
    assert resp['rows'] == [] and resp['state'] == [[k('a'), 'fired', None, 'window', [0, 5]]]


def test_trigger_state_changes_go_back_merges_included():
    s = window_session(Describe(), trigger=EveryTwoOrEnd(), merging=True)
    el = {'on': 'element', 'value': 'x'}
    resp = unpackb(s.handle(_request(seq=1, rows=[el], keys=[k('a')], windows=[[1, 6]],
                                     state=[[k('a'), 'count', 1, 'trigger', [1, 6]]])))
    # the second element fires and clears the count
    assert resp['rows'] == [[FIRE, [[5, 0, False]]]]
    assert resp['state'] == [[k('a'), 'count', None, 'trigger', [1, 6]]]
    resp = unpackb(s.handle(_request(
        seq=2, rows=[{'on': 'merge', 'merged': [[1, 6], [4, 9]]}], keys=[k('a')],
        windows=[[1, 9]], state=[[k('a'), 'count', 1, 'trigger', [1, 6]],
                                 [k('a'), 'count', 1, 'trigger', [4, 9]]])))
    assert resp['state'] == [[k('a'), 'count', None, 'trigger', [1, 6]],
                             [k('a'), 'count', 2, 'trigger', [1, 9]],
                             [k('a'), 'count', None, 'trigger', [4, 9]]]


def test_state_of_a_scope_the_chain_lacks_is_an_error():
    s = window_session(Describe())
    resp = unpackb(s.handle(_request(seq=1, rows=[], state=[[k('a'), 'n', 1, 'trigger', 3]])))
    assert resp['t'] == 'error' and "no such scope" in resp['message']
