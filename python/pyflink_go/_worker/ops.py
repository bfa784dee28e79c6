"""One stage per operator of a fused chain.

A stage takes the batch's values, their keys (the encoded record keys for a
keyed first operator; None otherwise) and their timestamps (a list of int or
None per value, or None when no value has one) and returns the same three for
the next stage (only ``key_by`` computes keys). Stages loop in comprehensions
over the whole batch: one Python call per record and operator, no per-record
framework overhead, and nothing per record for timestamps or side outputs a
batch does not use.

Side outputs (``yield output_tag, value``) leave the chain at the operator
that produced them: ``Env.route`` moves them to the batch's side rows.
"""
import copy
import functools
import types
from operator import itemgetter

from pyflink_go.common.types import Row, _make_row
from pyflink_go._worker.convert import converter

__all__ = ['build_stage', 'OpenedOp', 'Env', 'KEYED_FUNCS', 'TWO_INPUT_FUNCS', 'MIN_TIMESTAMP',
           'MAX_TIMESTAMP', 'is_keyed', 'must_be_first', 'resolve_callable', 'is_function_object']

MIN_TIMESTAMP = -(1 << 63)
MAX_TIMESTAMP = (1 << 63) - 1

# Functions that read the record key (or, for window, the row's window), so they must come
# first in a chain (map, flat_map and filter too when params.keyed is true).
KEYED_FUNCS = frozenset(('reduce', 'keyed_process', 'window', 'keyed_co_process',
                         'keyed_broadcast_process'))

# Two-input operators: their rows say which input they come from, so they come first too.
TWO_INPUT_FUNCS = frozenset(('co_map', 'co_flat_map', 'co_process', 'keyed_co_process',
                             'broadcast_process', 'keyed_broadcast_process'))

# The method a Function object implements for each func.
_METHODS = {
    'map': 'map',
    'flat_map': 'flat_map',
    'filter': 'filter',
    'key_by': 'get_key',
    'reduce': 'reduce',
    'timestamp_assigner': 'extract_timestamp',
    'process': 'process_element',
    'keyed_process': 'process_element',
}

_IMMUTABLE = frozenset((int, float, str, bytes, bool, type(None), tuple, complex, frozenset))

# Types that are never an OutputTag (Row answers any attribute name with a field lookup).
_NOT_TAGS = frozenset((int, float, str, bytes, bool, type(None), tuple, list, dict, complex,
                       bytearray, set, frozenset, Row))

_first = itemgetter(0)


def must_be_first(func, params):
    """Whether an operator reads what only a chain's input rows carry (keys, windows, inputs)."""
    return func in TWO_INPUT_FUNCS or is_keyed(func, params)


def is_keyed(func, params):
    """Whether an operator reads the record key (its functions get keyed state)."""
    if func in KEYED_FUNCS:
        return True
    if func in ('map', 'flat_map', 'filter'):
        return bool(params.get('keyed'))
    return False


class OpenedOp(object):
    """An operator whose function has been unpickled and resolved to the callable to run."""

    def __init__(self, spec, fn, call, functions=None):
        self.func = spec['func']
        self.name = spec.get('name') or self.func
        self.params = spec.get('params') or {}
        self.fn = fn
        self.call = call
        # The Function objects whose open()/close() the chain calls.
        self.functions = [fn] if functions is None else functions
        self.keyed = is_keyed(self.func, self.params)
        self.metrics = None  # the chain's MetricGroup, set when the chain loads the operator


def resolve_callable(func, fn, name):
    """Returns what to call per record: the Function method for func, or fn itself if callable."""
    method_name = _METHODS.get(func)
    if method_name is not None:
        method = getattr(fn, method_name, None)
        if method is not None and callable(method) and not _is_plain_function(fn):
            return method
    if callable(fn):
        return fn
    raise TypeError('%s: the %s function must be callable or implement %s(), got %r'
                    % (name, func, method_name, type(fn).__name__))


def is_function_object(fn):
    """Whether fn is a Function object whose open()/close() the worker must call."""
    if fn is None or _is_plain_function(fn):
        return False
    return callable(getattr(fn, 'open', None)) or callable(getattr(fn, 'close', None))


_PLAIN_CALLABLES = (types.FunctionType, types.BuiltinFunctionType, types.MethodType,
                    types.MethodWrapperType, types.MethodDescriptorType, functools.partial, type)


def _is_plain_function(fn):
    return isinstance(fn, _PLAIN_CALLABLES)


def _is_tag(obj):
    return type(obj) not in _NOT_TAGS and hasattr(obj, 'tag_id')


_PLAIN_NOT_TUPLE = _NOT_TAGS - {tuple}


def _may_have_tags(items):
    """Whether some item may be ``(output_tag, value)``: C-speed scans, no per-item Python code.

    False when no item is a tuple (and all are of built-in types), or when the
    first item of every tuple is of a built-in type; otherwise the caller checks
    item by item.
    """
    if _PLAIN_NOT_TUPLE.issuperset(map(type, items)):
        return False
    try:
        return not _NOT_TAGS.issuperset(map(type, map(_first, items)))
    except (TypeError, IndexError, KeyError):  # items that are not tuples, empty tuples
        return True


class Env(object):
    """What the stages of one chain share: the state backend, the batch's time and timers, side outputs.

    ``begin`` resets the per-batch parts before a batch runs.
    """

    def __init__(self, state):
        self.state = state
        self.watermark = MIN_TIMESTAMP
        self.now = None
        self.timers = None
        self.windows = None
        self.inputs = None
        self.broadcast = {}  # broadcast state by name: the operator's, not per key
        self.side_values = []
        self.side_tags = []
        self.side_ts = []
        self.timer_ops = {}
        self._tag_converters = {}

    def begin(self, watermark, now, timers, windows, inputs=None):
        self.watermark = MIN_TIMESTAMP if watermark is None else watermark
        self.now = now
        self.timers = timers
        self.windows = windows
        self.inputs = inputs
        # Fresh containers: the previous batch's Output keeps its own.
        self.side_values = []
        self.side_tags = []
        self.side_ts = []
        self.timer_ops = {}

    def install_broadcast(self, states):
        """Replaces broadcast states with the engine's copies (``{name: dict}``, after a restore).

        The dicts are updated in place: contexts hold them.
        """
        for name, data in states.items():
            if type(name) is not str or type(data) is not dict:
                raise ValueError('broadcast state %r: want a name and a map, got %s'
                                 % (name, type(data).__name__))
            current = self.broadcast.setdefault(name, {})
            current.clear()
            current.update(data)

    def processing_time(self):
        """The batch's processing time (the engine's clock), or the wall clock without one."""
        now = self.now
        if now is None:
            import time
            return int(time.time() * 1000)
        return now

    def route(self, name, items, ts):
        """Moves ``(output_tag, value)`` items to the side rows.

        Returns the main items and their timestamps.
        """
        if not items or not _may_have_tags(items):
            return items, ts
        main = []
        main_ts = None if ts is None else []
        side_values, side_tags, side_ts = self.side_values, self.side_tags, self.side_ts
        for i, item in enumerate(items):
            if type(item) is tuple and item and _is_tag(item[0]):
                tag = item[0]
                if len(item) < 2:
                    raise ValueError('%s: a side output needs (output_tag, value), got %r'
                                     % (name, item))
                conv = self._tag_converter(tag, name)
                side_values.append(item[1] if conv is None else conv(item[1]))
                side_tags.append(tag.tag_id)
                side_ts.append(None if ts is None else ts[i])
            else:
                main.append(item)
                if main_ts is not None:
                    main_ts.append(ts[i])
        return main, main_ts

    def _tag_converter(self, tag, name):
        tag_id = tag.tag_id
        try:
            return self._tag_converters[tag_id]
        except KeyError:
            pass
        if not isinstance(tag_id, str) or not tag_id:
            raise TypeError('%s: an OutputTag needs a non-empty string tag_id, got %r'
                            % (name, tag_id))
        type_info = getattr(tag, 'type_info', None)
        plan = None
        if isinstance(type_info, dict):
            plan = type_info
        elif type_info is not None and callable(getattr(type_info, 'to_plan_type', None)):
            plan = type_info.to_plan_type()
        conv = converter(plan, '%s (side output %s)' % (name, tag_id)) if plan else None
        self._tag_converters[tag_id] = conv
        return conv


def build_stage(op, mode, env):
    """Returns stage(values, keys, ts) -> (values, keys, ts) for one opened operator."""
    func = op.func
    builder = _STAGES.get(func)
    if builder is None:
        from pyflink_go._worker import process
        builder = process.STAGES.get(func)
    if builder is None:
        raise ValueError('unknown operator function %r in operator %s' % (func, op.name))
    stage = builder(op, mode, env)
    out = op.params.get('out_type')
    conv = converter(out, op.name) if out else None
    if conv is None or getattr(stage, 'converts_outputs', False):
        # A stage that converts_outputs applies out_type itself (to some of its outputs).
        return stage

    def converted(values, keys, ts):
        values, keys, ts = stage(values, keys, ts)
        return [conv(v) for v in values], keys, ts
    return converted


def require_keys(name, func, values, keys):
    """Raises unless every value has a key."""
    if keys is None or None in keys:
        raise ValueError('%s: %s needs keyed input, but the batch has records without keys'
                         % (name, func))


def _map(op, mode, env):
    f = op.call
    name = op.name
    route = env.route
    if not op.keyed:
        def stage(values, keys, ts):
            out, ts = route(name, [f(v) for v in values], ts)
            return out, None, ts
        return stage
    state = env.state

    def keyed_stage(values, keys, ts):
        if not values:
            return [], None, ts
        require_keys(name, 'a keyed map', values, keys)
        out = []
        append = out.append
        for v, k in zip(values, keys):
            state.key = k
            append(f(v))
        state.key = None
        out, ts = route(name, out, ts)
        return out, None, ts
    return keyed_stage


def _flat_map(op, mode, env):
    f = op.call
    name = op.name
    state = env.state if op.keyed else None
    route = env.route

    def stage(values, keys, ts):
        if state is not None and values:
            require_keys(name, 'a keyed flat_map', values, keys)
        out = []
        extend = out.extend
        out_ts = None if ts is None else []
        if state is None and ts is None:
            for v in values:
                produced = f(v)
                if produced is None:
                    raise _flat_map_none(name, v)
                extend(produced)
        else:
            for i, v in enumerate(values):
                if state is not None:
                    state.key = keys[i]
                produced = f(v)
                if produced is None:
                    raise _flat_map_none(name, v)
                if out_ts is None:
                    extend(produced)
                else:
                    n = len(out)
                    extend(produced)
                    out_ts.extend([ts[i]] * (len(out) - n))
        if state is not None:
            state.key = None
        out, out_ts = route(name, out, out_ts)
        return out, None, out_ts
    return stage


def _flat_map_none(name, v):
    return TypeError('%s: the flat_map function returned None for %r; it must return or yield '
                     'an iterable' % (name, v))


def _filter(op, mode, env):
    f = op.call
    name = op.name
    state = env.state if op.keyed else None

    def stage(values, keys, ts):
        if state is None:
            if ts is None:
                return [v for v in values if f(v)], None, None
            keep = [f(v) for v in values]
        else:
            if not values:
                return [], None, ts
            require_keys(name, 'a keyed filter', values, keys)
            keep = []
            append = keep.append
            for v, k in zip(values, keys):
                state.key = k
                append(f(v))
            state.key = None
        out = [v for v, kept in zip(values, keep) if kept]
        if ts is not None:
            ts = [t for t, kept in zip(ts, keep) if kept]
        return out, None, ts
    return stage


def _key_by(op, mode, env):
    f = op.call
    key_type = op.params.get('key_type')
    conv = converter(key_type, op.name) if key_type else None
    gap_bytes = op.params.get('gap_extractor')
    if gap_bytes:
        return _key_by_with_gaps(f, conv, gap_bytes, op.name)

    def stage(values, keys, ts):
        computed = [f(v) for v in values]
        if conv is not None:
            computed = [conv(k) for k in computed]
        return values, computed, ts
    return stage


def _key_by_with_gaps(f, conv, gap_bytes, name):
    """A key_by feeding dynamic session windows: each value travels as (gap, value),
    the gap computed by the window's SessionWindowTimeGapExtractor, so the engine's
    window assigner needs no Python call per element."""
    import cloudpickle
    extractor = cloudpickle.loads(gap_bytes)
    extract = extractor.extract if hasattr(extractor, 'extract') else extractor

    def stage(values, keys, ts):
        computed = [f(v) for v in values]
        if conv is not None:
            computed = [conv(k) for k in computed]
        wrapped = []
        for v in values:
            gap = extract(v)
            if gap <= 0:
                raise ValueError('%s: Dynamic session time gap must satisfy 0 < gap, got %r for %r'
                                 % (name, gap, v))
            wrapped.append((int(gap), v))
        return wrapped, computed, ts
    return stage


def _to_string(op, mode, env):
    style = op.params.get('style', 'pickled')
    name = op.name
    if style == 'pickled':
        def stage(values, keys, ts):
            return [v if isinstance(v, str) else str(v) for v in values], None, ts
        return stage
    if style != 'row':
        raise ValueError('%s: unknown to_string style %r' % (name, style))

    def render(v):
        if isinstance(v, Row):
            return '{}[{}]'.format(v.get_row_kind(), ','.join([str(f) for f in v._values]))
        if isinstance(v, (tuple, list)):
            return '+I[{}]'.format(','.join([str(f) for f in v]))
        raise TypeError('%s: expected a Row to print, got %r of type %s'
                        % (name, v, type(v).__name__))

    def stage(values, keys, ts):
        return [render(v) for v in values], None, ts
    return stage


def _timestamp_assigner(op, mode, env):
    f = op.call
    name = op.name

    def stage(values, keys, ts):
        if ts is None:
            assigned = [f(v, None) for v in values]
        else:
            assigned = [f(v, t) for v, t in zip(values, ts)]
        if assigned and (set(map(type, assigned)) != {int}
                         or min(assigned) < MIN_TIMESTAMP or max(assigned) > MAX_TIMESTAMP):
            for v, t in zip(values, assigned):
                if type(t) is not int or not MIN_TIMESTAMP <= t <= MAX_TIMESTAMP:
                    raise TypeError('%s: the timestamp assigner returned %r for %r; a timestamp '
                                    'is an int of milliseconds (a Java long)' % (name, t, v))
        return values, None, assigned
    return stage


def _reduce(op, mode, env):
    f = op.call
    name = op.name
    table = env.state.reduce_table()
    accumulators = table.data
    changed = table.changed
    batch_mode = mode == 'BATCH'
    missing = object()

    state = env.state
    tables = state.tables

    def stage(values, keys, ts):
        if keys is None and not values:
            return [], None, None
        if keys is None or None in keys:
            raise ValueError('%s: reduce needs keyed input, but the batch has records without keys'
                             % name)
        if len(tables) > 1:
            # The ReduceFunction uses keyed state of its own: one call at a time, keyed.
            return _keyed_reduce(values, keys, ts)
        get = accumulators.get
        if batch_mode:
            for v, k in zip(values, keys):
                acc = get(k, missing)
                accumulators[k] = v if acc is missing else f(acc, v)
            return [], None, None
        out = []
        append = out.append
        for v, k in zip(values, keys):
            acc = get(k, missing)
            acc = v if acc is missing else f(acc, v)
            accumulators[k] = acc
            # The accumulator may be changed in place by a later call (PyFlink's
            # sum/min/max do so for lists and Rows): emit a copy of its current
            # state, as PyFlink emits an already-serialized value.
            append(acc if type(acc) in _IMMUTABLE else _snapshot(acc))
        changed.update(keys)
        return out, None, ts

    def _keyed_reduce(values, keys, ts):
        out = []
        get = accumulators.get
        try:
            for v, k in zip(values, keys):
                state.key = k
                acc = get(k, missing)
                acc = v if acc is missing else f(acc, v)
                accumulators[k] = acc
                if not batch_mode:
                    out.append(acc if type(acc) in _IMMUTABLE else _snapshot(acc))
        finally:
            state.key = None
        if batch_mode:
            return [], None, None
        changed.update(keys)
        return out, None, ts
    return stage


def _snapshot(value):
    """A shallow copy of a mutable accumulator (the value itself if it cannot be copied)."""
    kind = type(value)
    if kind is list:
        return value[:]
    if kind is Row:
        return _make_row(value.__dict__.get('_fields'), list(value._values), value._row_kind)
    try:
        return copy.copy(value)
    except Exception:
        return value


_STAGES = {
    'map': _map,
    'flat_map': _flat_map,
    'filter': _filter,
    'key_by': _key_by,
    'to_string': _to_string,
    'reduce': _reduce,
    'timestamp_assigner': _timestamp_assigner,
}
