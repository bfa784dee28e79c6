"""Stages of the process functions and window functions, and the contexts they hand to user code.

``process`` runs a ProcessFunction, ``keyed_process`` a KeyedProcessFunction
(keyed state, timers: registrations go back to the engine as timer
operations, and the engine fires due timers by sending them with a batch),
``window`` the function of a window the engine fires (its elements arrive as
one list per row). Each follows PyFlink's contexts and output timestamps:
outputs of an element carry its timestamp, outputs of a timer the timer's
timestamp, outputs of a window ``window.max_timestamp()``.
"""
import functools

from pyflink_go._codec import unpackb
from pyflink_go._worker.ops import MAX_TIMESTAMP, MIN_TIMESTAMP, require_keys
from pyflink_go._worker.state import KeyedStateStore
from pyflink_go._worker.state import window_key as _window_key

__all__ = ['STAGES', 'EVENT_TIME', 'PROCESSING_TIME']

# Time domains as the wire numbers them (PyFlink's TimeDomain values).
EVENT_TIME = 0
PROCESSING_TIME = 1

_SET_TIMER = 'Setting timers is only supported on a keyed streams.'
_DELETE_TIMER = 'Deleting timers is only supported on a keyed streams.'


def _check_time(ts):
    if type(ts) is not int:
        if isinstance(ts, bool) or not isinstance(ts, int):
            raise TypeError('a timer timestamp is an int of milliseconds, got %r' % (ts,))
        ts = int(ts)
    if not MIN_TIMESTAMP <= ts <= MAX_TIMESTAMP:
        raise ValueError('timer timestamp %d is out of the range of a Java long' % ts)
    return ts


class _NonKeyedTimerService(object):
    """The TimerService of a ProcessFunction: time queries only."""

    __slots__ = ('_env',)

    def __init__(self, env):
        self._env = env

    def current_processing_time(self):
        """The engine's current processing time, in ms."""
        return self._env.processing_time()

    def current_watermark(self):
        """The operator's current watermark (the minimum long before the first)."""
        return self._env.watermark

    def register_processing_time_timer(self, timestamp):
        raise Exception(_SET_TIMER)

    def register_event_time_timer(self, timestamp):
        raise Exception(_SET_TIMER)

    def delete_processing_time_timer(self, timestamp):
        raise Exception(_DELETE_TIMER)

    def delete_event_time_timer(self, timestamp):
        raise Exception(_DELETE_TIMER)


class _KeyedTimerService(_NonKeyedTimerService):
    """The TimerService of a KeyedProcessFunction: timers of the current key, kept by the engine."""

    __slots__ = ('_state',)

    def __init__(self, env, state):
        super(_KeyedTimerService, self).__init__(env)
        self._state = state

    def _set(self, timestamp, domain, delete):
        key = self._state.key
        if key is None:
            raise Exception('Timers can only be set or deleted while an element or timer of a '
                            'key is processed.')
        # The latest operation on a (key, timestamp, domain) timer decides: a
        # timer registered twice is one timer, as in Flink.
        self._env.timer_ops[(key, _check_time(timestamp), domain)] = delete

    def register_processing_time_timer(self, timestamp):
        """Registers a timer that fires when processing time passes timestamp."""
        self._set(timestamp, PROCESSING_TIME, False)

    def register_event_time_timer(self, timestamp):
        """Registers a timer that fires when the watermark passes timestamp."""
        self._set(timestamp, EVENT_TIME, False)

    def delete_processing_time_timer(self, timestamp):
        """Deletes the processing-time timer at timestamp, if there is one."""
        self._set(timestamp, PROCESSING_TIME, True)

    def delete_event_time_timer(self, timestamp):
        """Deletes the event-time timer at timestamp, if there is one."""
        self._set(timestamp, EVENT_TIME, True)


class _ProcessContext(object):
    """ProcessFunction.Context: the element's timestamp and a TimerService."""

    __slots__ = ('_ts', '_timer_service')

    def __init__(self, timer_service):
        self._ts = None
        self._timer_service = timer_service

    def timestamp(self):
        """The timestamp of the element (or firing timer), or None when it has none."""
        return self._ts

    def timer_service(self):
        """The TimerService, to query time and register timers."""
        return self._timer_service


class _KeyedContext(_ProcessContext):
    """KeyedProcessFunction.Context and OnTimerContext: adds the current key and the timer's domain."""

    __slots__ = ('_key', '_decoded_for', '_decoded', '_domain')

    def __init__(self, timer_service):
        super(_KeyedContext, self).__init__(timer_service)
        self._key = None
        self._decoded_for = None
        self._decoded = None
        self._domain = None

    def get_current_key(self):
        """The key of the element or timer being processed."""
        key = self._key
        if key != self._decoded_for:
            self._decoded = unpackb(key)
            self._decoded_for = key
        return self._decoded

    def time_domain(self):
        """The TimeDomain of the firing timer (OnTimerContext)."""
        return self._domain


def _time_domains():
    try:
        from pyflink_go.datastream.time_domain import TimeDomain
        return {EVENT_TIME: TimeDomain.EVENT_TIME, PROCESSING_TIME: TimeDomain.PROCESSING_TIME}
    except ImportError:
        return {EVENT_TIME: EVENT_TIME, PROCESSING_TIME: PROCESSING_TIME}


def _process(op, mode, env):
    f = op.call
    name = op.name
    ctx = _ProcessContext(_NonKeyedTimerService(env))
    route = env.route

    def stage(values, keys, ts):
        out = []
        extend = out.extend
        if ts is None:
            for v in values:
                produced = f(v, ctx)
                if produced is not None:
                    extend(produced)
            out_ts = None
        else:
            out_ts = []
            for v, t in zip(values, ts):
                ctx._ts = t
                produced = f(v, ctx)
                if produced is not None:
                    n = len(out)
                    extend(produced)
                    out_ts.extend([t] * (len(out) - n))
            ctx._ts = None
        out, out_ts = route(name, out, out_ts)
        return out, None, out_ts
    return stage


def _keyed_process(op, mode, env):
    f = op.call
    name = op.name
    fn = op.fn
    on_timer = getattr(fn, 'on_timer', None)
    state = env.state
    timer_service = _KeyedTimerService(env, state)
    ctx = _KeyedContext(timer_service)
    timer_ctx = _KeyedContext(timer_service)
    domains = _time_domains()
    route = env.route

    def stage(values, keys, ts):
        if values:
            require_keys(name, 'keyed_process', values, keys)
        out = []
        extend = out.extend
        out_ts = None if ts is None else []
        try:
            for i, v in enumerate(values):
                k = keys[i]
                state.key = k
                ctx._key = k
                if out_ts is None:
                    produced = f(v, ctx)
                    if produced is not None:
                        extend(produced)
                else:
                    t = ts[i]
                    ctx._ts = t
                    produced = f(v, ctx)
                    if produced is not None:
                        n = len(out)
                        extend(produced)
                        out_ts.extend([t] * (len(out) - n))
            timers = env.timers
            if timers:
                if out_ts is None:
                    out_ts = [None] * len(out)
                timer_ops = env.timer_ops
                for key, t, domain in timers:
                    if timer_ops.get((key, t, domain)):
                        continue  # deleted while this batch ran, before it fired
                    state.key = key
                    timer_ctx._key = key
                    timer_ctx._ts = t
                    timer_ctx._domain = domains.get(domain, domain)
                    if on_timer is None:
                        continue
                    produced = on_timer(t, timer_ctx)
                    if produced is not None:
                        n = len(out)
                        extend(produced)
                        out_ts.extend([t] * (len(out) - n))
        finally:
            state.key = None
            ctx._ts = None
        out, out_ts = route(name, out, out_ts)
        return out, None, out_ts
    return stage


_MERGING_WINDOW_STATE = 'Per-window state is not allowed when using merging windows.'


class _MergingWindowStateStore(object):
    """window_state() of merging (session) windows: every state raises, as in PyFlink."""

    __slots__ = ()

    def get_state(self, state_descriptor):
        raise Exception(_MERGING_WINDOW_STATE)

    get_list_state = get_map_state = get_reducing_state = get_aggregating_state = get_state


class _WindowContext(object):
    """The Context of ProcessWindowFunction and ProcessAllWindowFunction.

    ``window_state()`` is state of the current key and window (a
    ScopedState keyed by (key, window)); ``global_state()`` the key's keyed state.
    """

    __slots__ = ('_window', '_env', '_store', '_window_store')

    def __init__(self, env, store, window_store):
        self._window = None
        self._env = env
        self._store = store
        self._window_store = window_store

    def window(self):
        """The window being evaluated."""
        return self._window

    def current_processing_time(self):
        """The engine's current processing time, in ms."""
        return self._env.processing_time()

    def current_watermark(self):
        """The operator's current watermark."""
        return self._env.watermark

    def window_state(self):
        """State scoped to the current key and window (not for merging windows)."""
        return self._window_store

    def global_state(self):
        """Keyed state of the current key, shared across its windows."""
        return self._store


class _TriggerContext(object):
    """Trigger.TriggerContext and OnMergeContext of a custom Python trigger, for one pane.

    Timers go back to the engine as the batch's timer operations (the engine
    applies them to the pane's window); partitioned state is a ScopedState
    keyed by (key, window).
    """

    __slots__ = ('_env', '_state', '_store', '_metrics', 'merged', 'ops')

    def __init__(self, env, state, metrics):
        self._env = env
        self._state = state
        self._store = KeyedStateStore(state)
        self._metrics = metrics
        self.merged = None  # the wire forms of the windows merged into the pane (on_merge)
        self.ops = {}  # (time, domain) -> delete: the timers of the current call

    def get_current_processing_time(self):
        """The engine's current processing time, in ms."""
        return self._env.processing_time()

    def get_metric_group(self):
        """The metric group of the operator."""
        return self._metrics

    def get_current_watermark(self):
        """The operator's current watermark."""
        return self._env.watermark

    def _timer(self, time, domain, delete):
        # The last operation on a (time, domain) timer of the call decides.
        self.ops[(_check_time(time), domain)] = delete

    def register_processing_time_timer(self, time):
        """Registers a processing-time timer for the pane's window."""
        self._timer(time, PROCESSING_TIME, False)

    def register_event_time_timer(self, time):
        """Registers an event-time timer for the pane's window."""
        self._timer(time, EVENT_TIME, False)

    def delete_processing_time_timer(self, time):
        """Deletes the pane's processing-time timer at time."""
        self._timer(time, PROCESSING_TIME, True)

    def delete_event_time_timer(self, time):
        """Deletes the pane's event-time timer at time."""
        self._timer(time, EVENT_TIME, True)

    def get_partitioned_state(self, state_descriptor):
        """The state of the descriptor for the pane's key and window."""
        from pyflink_go._worker.state import descriptor_kind
        return self._store._get(state_descriptor, descriptor_kind(state_descriptor))

    def merge_partitioned_state(self, state_descriptor):
        """Folds the state of the merged windows into the pane's window (on_merge)."""
        if not self.merged:
            return
        key = self._state.key
        self._state.merge(state_descriptor, key, [(key[0], w) for w in self.merged])


_ALL_WINDOW_CLASSES = frozenset(('ProcessAllWindowFunction', 'AllWindowFunction'))


def _is_all_window(fn):
    return any(c.__name__ in _ALL_WINDOW_CLASSES for c in type(fn).__mro__)


def _window_caller(fn, ctx, name, what):
    """Returns call(key, keyless, window, elements) for a window function, process or apply style."""
    process = getattr(fn, 'process', None)
    if callable(process):
        if _is_all_window(fn):
            return lambda key, keyless, window, elements: process(ctx, elements)

        def call_process(key, keyless, window, elements):
            if keyless:
                return process(ctx, elements)
            return process(key, ctx, elements)
        return call_process
    apply = getattr(fn, 'apply', None)
    if not callable(apply) and callable(fn):
        apply = fn
    if callable(apply):
        if _is_all_window(fn):
            return lambda key, keyless, window, elements: apply(window, elements)

        def call_apply(key, keyless, window, elements):
            if keyless:
                return apply(window, elements)
            return apply(key, window, elements)
        return call_apply
    raise TypeError('%s: the %s must implement process() or apply(), got %r'
                    % (name, what, type(fn).__name__))


def _clearer(fn, ctx):
    """Returns clear() calling fn.clear(context) for a process-style window function, else None.

    The base classes' clear() does nothing, so it is not called.
    """
    if fn is None or not callable(getattr(fn, 'process', None)):
        return None
    clear = getattr(fn, 'clear', None)
    if not callable(clear):
        return None
    for cls in type(fn).__mro__:
        if 'clear' in cls.__dict__:
            if cls.__name__ in ('ProcessWindowFunction', 'ProcessAllWindowFunction') and \
                    cls.__module__.startswith(('pyflink_go.', 'pyflink.')):
                return None
            break
    return lambda: clear(ctx)




def _trigger_result(result, name, method):
    """The wire number of a TriggerResult: fire + 2 * purge."""
    try:
        return int(bool(result.is_fire())) + 2 * int(bool(result.is_purge()))
    except AttributeError:
        raise TypeError('%s: Trigger.%s must return a TriggerResult, got %r'
                        % (name, method, result))


def _window(op, mode, env):
    name = op.name
    spec = op.fn
    kind = spec['kind']
    fn = spec['fn']
    window_fn = spec.get('window_fn')
    trigger = spec.get('trigger')
    from pyflink_go.datastream.window import CountWindow, GlobalWindow, TimeWindow
    from pyflink_go._worker.state import ScopedState
    state = env.state
    # A window_all's rows have no key; its state lives under one constant key
    # (nil's encoding), as the engine windows it.
    all_key = b'\xc0' if op.params.get('all') else None
    window_state = state.scoped['window'] = ScopedState()
    window_store = _MergingWindowStateStore() if op.params.get('merging') \
        else KeyedStateStore(window_state)
    ctx = _WindowContext(env, KeyedStateStore(state), window_store)
    route = env.route
    out_type = op.params.get('out_type')
    if out_type:
        from pyflink_go._worker.convert import converter
        conv = converter(out_type, name)
    else:
        conv = None
    trigger_state = trigger_ctx = None
    if trigger is not None:
        # Tells the engine at open that this window's trigger runs here.
        state.declared.append({'name': type(trigger).__name__, 'kind': 'trigger'})
        trigger_state = state.scoped['trigger'] = ScopedState()
        trigger_ctx = _TriggerContext(env, trigger_state, op.metrics)

    if kind in ('process', 'apply'):
        call = _window_caller(fn, ctx, name, 'window function')
        clear = _clearer(fn, ctx)
    elif kind in ('reduce', 'aggregate'):
        if kind == 'reduce':
            reduce_fn = getattr(fn, 'reduce', None)
            if not callable(reduce_fn):
                reduce_fn = fn
            if not callable(reduce_fn):
                raise TypeError('%s: the reduce function must be callable or implement reduce(), '
                                'got %r' % (name, type(fn).__name__))

            def fold(elements):
                return functools.reduce(reduce_fn, elements)
        else:
            for method in ('create_accumulator', 'add', 'get_result'):
                if not callable(getattr(fn, method, None)):
                    raise TypeError('%s: the aggregate function must implement %s()'
                                    % (name, method))
            create, add, result = fn.create_accumulator, fn.add, fn.get_result

            def fold(elements):
                acc = create()
                for e in elements:
                    acc = add(e, acc)
                return result(acc)
        then = _window_caller(window_fn, ctx, name, 'window function') if window_fn else None
        clear = _clearer(window_fn, ctx)

        def call(key, keyless, window, elements):
            if not elements:
                return None
            folded = fold(elements)
            if then is None:
                return (folded,)
            return then(key, keyless, window, [folded])
    else:
        raise ValueError('%s: unknown window function kind %r' % (name, kind))

    def decode(w):
        if w == 'global':
            return GlobalWindow.get(), MAX_TIMESTAMP
        if type(w) is int:
            return CountWindow(w), MAX_TIMESTAMP
        return TimeWindow(w[0], w[1]), w[1] - 1

    def call_trigger(call, k, w, window, t):
        """Runs one trigger call ({"on": ...}) for key k and window w.

        Returns its wire answer: [result number or None, [[time, domain, delete], ...]].
        """
        if trigger is None:
            raise ValueError('%s: a trigger call for a window without a custom trigger' % name)
        on = call.get('on')
        trigger_state.key = (k, _window_key(w))
        ops = trigger_ctx.ops = {}
        try:
            if on == 'element':
                # An element without a timestamp has Long.MIN_VALUE, as Flink hands it over.
                result = _trigger_result(trigger.on_element(
                    call.get('value'), MIN_TIMESTAMP if t is None else t, window, trigger_ctx),
                    name, 'on_element')
            elif on == 'event_time':
                result = _trigger_result(trigger.on_event_time(call['time'], window,
                                                               trigger_ctx),
                                         name, 'on_event_time')
                if call.get('cleanup'):
                    trigger.clear(window, trigger_ctx)
            elif on == 'processing_time':
                result = _trigger_result(trigger.on_processing_time(call['time'], window,
                                                                    trigger_ctx),
                                         name, 'on_processing_time')
                if call.get('cleanup'):
                    trigger.clear(window, trigger_ctx)
            elif on == 'merge':
                trigger_ctx.merged = [_window_key(m) for m in call.get('merged') or ()]
                trigger.on_merge(window, trigger_ctx)
                result = None
            elif on == 'clear':
                trigger.clear(window, trigger_ctx)
                result = None
            else:
                raise ValueError('%s: unknown trigger call %r' % (name, on))
        finally:
            trigger_state.key = None
            trigger_ctx.merged = None
        return [result, [[time, domain, delete] for (time, domain), delete in ops.items()]]

    def stage(values, keys, ts):
        windows = env.windows
        if values and (windows is None or None in windows):
            raise ValueError('%s: the window operator needs rows that carry their window' % name)
        out = []
        extend = out.extend
        out_ts = []
        answers = None
        last_key, last_decoded = None, None
        try:
            for i, elements in enumerate(values):
                w = windows[i]
                window, max_ts = decode(w)
                k = None if keys is None else keys[i]
                if type(elements) is dict:
                    # A trigger call: such a batch carries nothing else.
                    if answers is None:
                        if out:
                            raise ValueError('%s: a batch mixes trigger calls and window rows'
                                             % name)
                        answers = []
                    answers.append(call_trigger(elements, k, w, window,
                                                None if ts is None else ts[i]))
                    continue
                if answers is not None:
                    raise ValueError('%s: a batch mixes trigger calls and window rows' % name)
                state.key = all_key if k is None else k
                window_state.key = (state.key, _window_key(w))
                if k is None:
                    key = None
                elif k == last_key:
                    key = last_decoded
                else:
                    key = last_decoded = unpackb(k)
                    last_key = k
                ctx._window = window
                if elements is None:
                    # The window is cleaned up: the function's clear(context).
                    if clear is not None:
                        clear()
                    continue
                produced = call(key, k is None, window, elements)
                if produced is not None:
                    n = len(out)
                    extend(produced)
                    out_ts.extend([max_ts] * (len(out) - n))
        finally:
            state.key = None
            window_state.key = None
            ctx._window = None
            window_state.settle()
            if trigger_state is not None:
                trigger_state.settle()
        if answers is not None:
            return answers, None, None
        out, out_ts = route(name, out, out_ts)
        if conv is not None:
            out = [conv(v) for v in out]
        return out, None, out_ts
    stage.converts_outputs = True
    return stage


# -- two-input operators (connect, broadcast) -----------------------------------
# Each row says which input it comes from (batch ``inputs``; all 0 when absent).


def _method(fn, method, name, func):
    m = getattr(fn, method, None)
    if not callable(m):
        raise TypeError('%s: the %s function must implement %s(), got %r'
                        % (name, func, method, type(fn).__name__))
    return m


def _co_map(op, mode, env):
    name = op.name
    map1 = _method(op.fn, 'map1', name, 'co_map')
    map2 = _method(op.fn, 'map2', name, 'co_map')
    route = env.route

    def stage(values, keys, ts):
        inputs = env.inputs
        if inputs is None:
            out = [map1(v) for v in values]
        else:
            out = [map2(v) if second else map1(v) for v, second in zip(values, inputs)]
        out, ts = route(name, out, ts)
        return out, None, ts
    return stage


def _co_flat_map(op, mode, env):
    name = op.name
    flat_map1 = _method(op.fn, 'flat_map1', name, 'co_flat_map')
    flat_map2 = _method(op.fn, 'flat_map2', name, 'co_flat_map')
    route = env.route

    def stage(values, keys, ts):
        inputs = env.inputs
        out = []
        extend = out.extend
        out_ts = None if ts is None else []
        for i, v in enumerate(values):
            produced = (flat_map2 if inputs is not None and inputs[i] else flat_map1)(v)
            if produced is None:
                raise TypeError('%s: the flat_map function returned None for %r; it must return '
                                'or yield an iterable' % (name, v))
            if out_ts is None:
                extend(produced)
            else:
                n = len(out)
                extend(produced)
                out_ts.extend([ts[i]] * (len(out) - n))
        out, out_ts = route(name, out, out_ts)
        return out, None, out_ts
    return stage


class _BroadcastContext(_KeyedContext):
    """The contexts of (Keyed)BroadcastProcessFunction: broadcast state, time, key, timers."""

    __slots__ = ('_env', '_read_only', '_states')

    def __init__(self, timer_service, env, read_only):
        super(_BroadcastContext, self).__init__(timer_service)
        self._env = env
        self._read_only = read_only
        self._states = {}

    def current_processing_time(self):
        """The engine's current processing time, in ms."""
        return self._env.processing_time()

    def current_watermark(self):
        """The operator's current watermark."""
        return self._env.watermark

    def get_broadcast_state(self, state_descriptor):
        """The broadcast state of a MapStateDescriptor (read-only outside broadcast elements)."""
        from pyflink_go._worker.state import BroadcastState, ReadOnlyBroadcastState, \
            _descriptor_name
        name = _descriptor_name(state_descriptor)
        state = self._states.get(name)
        if state is None:
            data = self._env.broadcast.setdefault(name, {})
            kind = ReadOnlyBroadcastState if self._read_only else BroadcastState
            state = self._states[name] = kind(data)
        return state


def _two_input_process(op, mode, env, keyed, broadcast):
    name = op.name
    func = op.func
    fn = op.fn
    if broadcast:
        first = _method(fn, 'process_element', name, func)
        second = _method(fn, 'process_broadcast_element', name, func)
    else:
        first = _method(fn, 'process_element1', name, func)
        second = _method(fn, 'process_element2', name, func)
    state = env.state
    service = _KeyedTimerService(env, state) if keyed else _NonKeyedTimerService(env)
    if broadcast:
        ctx1 = _BroadcastContext(service, env, read_only=True)
        ctx2 = _BroadcastContext(service, env, read_only=False)
        timer_ctx = _BroadcastContext(service, env, read_only=True)
    else:
        ctx1 = ctx2 = _KeyedContext(service) if keyed else _ProcessContext(service)
        timer_ctx = _KeyedContext(service)
    on_timer = getattr(fn, 'on_timer', None) if keyed else None
    domains = _time_domains()
    route = env.route

    def check_keys(values, keys, inputs):
        if keys is None:
            keys = [None] * len(values)
        if broadcast and inputs is not None:
            # The broadcast input (1) has no keys.
            keys = [k for k, i in zip(keys, inputs) if not i]
        if None in keys:
            raise ValueError('%s: %s needs keyed input, but the batch has records without keys'
                             % (name, func))

    def stage(values, keys, ts):
        inputs = env.inputs
        if keyed and values:
            check_keys(values, keys, inputs)
        out = []
        extend = out.extend
        out_ts = None if ts is None else []
        try:
            for i, v in enumerate(values):
                is_second = inputs is not None and inputs[i]
                ctx = ctx2 if is_second else ctx1
                if keyed:
                    k = None if (broadcast and is_second) else keys[i]
                    state.key = k
                    ctx._key = k
                t = None if ts is None else ts[i]
                ctx._ts = t
                produced = (second if is_second else first)(v, ctx)
                if produced is not None:
                    if out_ts is None:
                        extend(produced)
                    else:
                        n = len(out)
                        extend(produced)
                        out_ts.extend([t] * (len(out) - n))
            timers = env.timers if keyed else None
            if timers:
                if out_ts is None:
                    out_ts = [None] * len(out)
                timer_ops = env.timer_ops
                for key, t, domain in timers:
                    if timer_ops.get((key, t, domain)) or on_timer is None:
                        continue
                    state.key = key
                    timer_ctx._key = key
                    timer_ctx._ts = t
                    timer_ctx._domain = domains.get(domain, domain)
                    produced = on_timer(t, timer_ctx)
                    if produced is not None:
                        n = len(out)
                        extend(produced)
                        out_ts.extend([t] * (len(out) - n))
        finally:
            state.key = None
            ctx1._ts = ctx2._ts = None
        out, out_ts = route(name, out, out_ts)
        return out, None, out_ts
    return stage


STAGES = {
    'process': _process,
    'keyed_process': _keyed_process,
    'window': _window,
    'co_map': _co_map,
    'co_flat_map': _co_flat_map,
    'co_process': lambda op, mode, env: _two_input_process(op, mode, env, False, False),
    'keyed_co_process': lambda op, mode, env: _two_input_process(op, mode, env, True, False),
    'broadcast_process': lambda op, mode, env: _two_input_process(op, mode, env, False, True),
    'keyed_broadcast_process':
        lambda op, mode, env: _two_input_process(op, mode, env, True, True),
}
