"""One stage per operator of a fused chain.

A stage takes the batch's values (and, for a keyed first operator, their
encoded keys) and returns the values for the next stage plus the keys it
computed (only ``key_by`` computes keys). Stages loop in comprehensions over
the whole batch: one Python call per record and operator, no per-record
framework overhead.
"""
import copy
import functools
import types

from pyflink_go.common.types import Row, _make_row
from pyflink_go._worker.convert import converter

__all__ = ['build_stage', 'OpenedOp', 'KEYED_FUNCS']

# Functions that read the record key, so they must come first in a chain.
KEYED_FUNCS = frozenset(('reduce',))

# The method a Function object implements for each func.
_METHODS = {
    'map': 'map',
    'flat_map': 'flat_map',
    'filter': 'filter',
    'key_by': 'get_key',
    'reduce': 'reduce',
}

_IMMUTABLE = frozenset((int, float, str, bytes, bool, type(None), tuple, complex, frozenset))


class OpenedOp(object):
    """An operator whose function has been unpickled and resolved to the callable to run."""

    def __init__(self, spec, fn, call):
        self.func = spec['func']
        self.name = spec.get('name') or self.func
        self.params = spec.get('params') or {}
        self.fn = fn
        self.call = call


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


def build_stage(op, mode, reduce_state):
    """Returns stage(values, keys) -> (values, keys) for one opened operator."""
    func = op.func
    builder = _STAGES.get(func)
    if builder is None:
        raise ValueError('unknown operator function %r in operator %s' % (func, op.name))
    stage = builder(op, mode, reduce_state)
    out = op.params.get('out_type')
    conv = converter(out, op.name) if out else None
    if conv is None:
        return stage

    def converted(values, keys):
        values, keys = stage(values, keys)
        return [conv(v) for v in values], keys
    return converted


def _map(op, mode, state):
    f = op.call

    def stage(values, keys):
        return [f(v) for v in values], None
    return stage


def _flat_map(op, mode, state):
    f = op.call
    name = op.name

    def stage(values, keys):
        out = []
        extend = out.extend
        for v in values:
            produced = f(v)
            if produced is None:
                raise TypeError('%s: the flat_map function returned None for %r; it must return '
                                'or yield an iterable' % (name, v))
            extend(produced)
        return out, None
    return stage


def _filter(op, mode, state):
    f = op.call

    def stage(values, keys):
        return [v for v in values if f(v)], None
    return stage


def _key_by(op, mode, state):
    f = op.call
    key_type = op.params.get('key_type')
    conv = converter(key_type, op.name) if key_type else None

    def stage(values, keys):
        computed = [f(v) for v in values]
        if conv is not None:
            computed = [conv(k) for k in computed]
        return values, computed
    return stage


def _to_string(op, mode, state):
    style = op.params.get('style', 'pickled')
    name = op.name
    if style == 'pickled':
        def stage(values, keys):
            return [v if isinstance(v, str) else str(v) for v in values], None
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

    def stage(values, keys):
        return [render(v) for v in values], None
    return stage


def _reduce(op, mode, state):
    f = op.call
    name = op.name
    accumulators = state.accumulators
    changed = state.changed
    batch_mode = mode == 'BATCH'
    missing = object()

    def stage(values, keys):
        if keys is None and not values:
            return [], None
        if keys is None or None in keys:
            raise ValueError('%s: reduce needs keyed input, but the batch has records without keys'
                             % name)
        get = accumulators.get
        if batch_mode:
            for v, k in zip(values, keys):
                acc = get(k, missing)
                accumulators[k] = v if acc is missing else f(acc, v)
            return [], None
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
        return out, None
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
}
