"""Recognizes reduce functions the engine can run natively in a window.

A windowed reduce such as ``lambda a, b: (a[0], a[1] + b[1])`` over a typed tuple stream
computes each field of its result from the same field of the accumulator ``a`` and the new
element ``b``. When the function's bytecode is exactly a tuple of such per-field expressions,
the window node carries a native reduce spec (``native_reduce`` in the plan, one entry per
result field) and the engine reduces incrementally in Go, with the results Python would
compute (exact ints, IEEE double sums in arrival order); the function itself is never called.

The recognized expressions, for a field index ``i`` (a non-negative int constant):

=====================  ===========
``a[i]``               ``first``
``b[i]``               ``last``
``a[i] + b[i]``        ``sum``
``b[i] + a[i]``        ``sum``
``max(a[i], b[i])``    ``max``
``min(a[i], b[i])``    ``min``
=====================  ===========

``max`` and ``min`` count only when the name resolves, in the function's globals, builtins or
closure, to the builtin itself. The reading is strict: the function must be a plain Python
function (or the ``reduce`` method of a ReduceFunction that defines no ``open``/``close``)
taking exactly two arguments without defaults; an opcode, operand or stack shape outside this
set, as another Python version may produce, means "not recognized", and the reduce runs in
Python as before. The stream's type decides the rest (``native_reduce_spec``): a declared
TUPLE or ROW whose width is the result's width, with numeric fields under sum/max/min.

Setting the environment variable ``PYFLINK_GO_NATIVE_WINDOW_REDUCE=0`` turns recognition off
(the tests compare both paths with it).
"""

import builtins
import dis
import os
import sys
import types
from typing import Any, Dict, List, Optional

__all__ = ['reduce_shape', 'native_reduce_spec', 'native_window_reduce_enabled']

_SWITCH = 'PYFLINK_GO_NATIVE_WINDOW_REDUCE'
_NUMERIC = frozenset(('BYTE', 'SHORT', 'INT', 'LONG', 'FLOAT', 'DOUBLE'))
_BUILTINS = {'max': builtins.max, 'min': builtins.min}
# Flags of functions whose call is not a plain evaluation of their body.
_CO_VARARGS, _CO_VARKEYWORDS = 0x04, 0x08
_CO_GENERATOR, _CO_COROUTINE, _CO_ITERABLE_COROUTINE, _CO_ASYNC_GENERATOR = \
    0x20, 0x80, 0x100, 0x200
_REJECTED_FLAGS = _CO_VARARGS | _CO_VARKEYWORDS | _CO_GENERATOR | _CO_COROUTINE | \
    _CO_ITERABLE_COROUTINE | _CO_ASYNC_GENERATOR
# Opcodes that do nothing to the values on the stack.
_NO_OPS = frozenset(('RESUME', 'NOP', 'CACHE', 'PRECALL', 'COPY_FREE_VARS'))
_NULL = ('null',)


def native_window_reduce_enabled() -> bool:
    """Whether recognition is on (the default; ``PYFLINK_GO_NATIVE_WINDOW_REDUCE=0`` is off)."""
    return os.environ.get(_SWITCH, '1') != '0'


def native_reduce_spec(reduce_function, input_type) -> Optional[List[Dict[str, Any]]]:
    """The plan's ``native_reduce`` for reduce_function over a stream of input_type, or None.

    reduce_function is a callable or a ReduceFunction (a ReduceFunctionWrapper's callable is
    read). input_type must be a declared TUPLE or ROW with as many fields as the result, and
    every field under sum, max or min must be numeric.
    """
    if not native_window_reduce_enabled():
        return None
    shape = reduce_shape(reduce_function)
    if shape is None:
        return None
    to_plan = getattr(input_type, 'to_plan_type', None)
    if to_plan is None:
        return None
    t = to_plan()
    if t.get('t') not in ('TUPLE', 'ROW'):
        return None
    fields = t.get('fields') or []
    if len(fields) != len(shape):
        return None
    for op, i in shape:
        if i >= len(fields):
            return None
        if op not in ('first', 'last') and (fields[i] or {}).get('t') not in _NUMERIC:
            return None
    return [{'op': op, 'field': i} for op, i in shape]


def reduce_shape(reduce_function):
    """The per-field shape [(op, field), ...] of reduce_function's result, or None."""
    from pyflink_go.datastream.functions import Function, ReduceFunction, \
        ReduceFunctionWrapper
    if isinstance(reduce_function, ReduceFunctionWrapper):
        return _function_shape(getattr(reduce_function, '_func', None), 0)
    if isinstance(reduce_function, ReduceFunction):
        cls = type(reduce_function)
        if 'reduce' in getattr(reduce_function, '__dict__', {}):
            return None
        for name in ('open', 'close'):
            if getattr(cls, name, None) is not getattr(Function, name):
                return None
        return _function_shape(getattr(cls, 'reduce', None), 1)
    return _function_shape(reduce_function, 0)


def _function_shape(fn, self_args: int):
    """The shape of a plain function whose arguments after self_args are (a, b)."""
    if type(fn) is not types.FunctionType:
        return None
    code = fn.__code__
    if code.co_argcount != self_args + 2 or code.co_kwonlyargcount or \
            code.co_flags & _REJECTED_FLAGS or fn.__defaults__ or fn.__kwdefaults__:
        return None
    try:
        return _evaluate(fn, code, self_args)
    except _NotRecognized:
        return None


class _NotRecognized(Exception):
    pass


def _fail():
    raise _NotRecognized()


def _evaluate(fn, code, self_args):
    """Runs the bytecode on symbolic values; any unknown step raises _NotRecognized.

    Stack values: ('arg', k) for a (k=0) and b (k=1), ('const', v), ('field', k, i) for
    a[i]/b[i], ('op', name, i) for a recognized sum/max/min, ('fn', name) for the builtin
    max/min, _NULL, and ('tuple', items) for the result.
    """
    args = code.co_varnames[self_args:self_args + 2]
    stack = []
    instructions = list(dis.get_instructions(code))
    for n, ins in enumerate(instructions):
        op = ins.opname
        if op in _NO_OPS:
            continue
        if op == 'LOAD_FAST':
            if ins.argval not in args:
                _fail()
            stack.append(('arg', args.index(ins.argval)))
        elif op == 'LOAD_CONST':
            stack.append(('const', ins.argval))
        elif op == 'BINARY_SUBSCR':
            index, target = _pop(stack), _pop(stack)
            if target[0] != 'arg' or index[0] != 'const' or type(index[1]) is not int \
                    or index[1] < 0:
                _fail()
            stack.append(('field', target[1], index[1]))
        elif op in ('BINARY_OP', 'BINARY_ADD'):
            if op == 'BINARY_OP' and ins.argrepr != '+':
                _fail()
            right, left = _pop(stack), _pop(stack)
            if left[0] != 'field' or right[0] != 'field' or left[2] != right[2] or \
                    {left[1], right[1]} != {0, 1}:
                _fail()
            stack.append(('op', 'sum', left[2]))
        elif op == 'PUSH_NULL':
            stack.append(_NULL)
        elif op == 'LOAD_GLOBAL':
            if sys.version_info >= (3, 11) and ins.arg & 1:
                stack.append(_NULL)
            stack.append(('fn', _global_builtin(fn, ins.argval)))
        elif op == 'LOAD_DEREF':
            stack.append(('fn', _closure_builtin(fn, code, ins.argval)))
        elif op in ('CALL', 'CALL_FUNCTION'):
            if ins.arg != 2:
                _fail()
            second, first = _pop(stack), _pop(stack)
            callee = _pop(stack)
            if op == 'CALL':
                # (NULL, callable) or (callable, NULL), as versions order them.
                other = _pop(stack)
                if callee == _NULL:
                    callee, other = other, callee
                if other != _NULL:
                    _fail()
            if callee[0] != 'fn' or first[0] != 'field' or second[0] != 'field' or \
                    first[1:] != (0, second[2]) or second[1] != 1:
                _fail()
            stack.append(('op', callee[1], first[2]))
        elif op == 'BUILD_TUPLE':
            if ins.arg is None or ins.arg < 1 or len(stack) < ins.arg:
                _fail()
            items = stack[len(stack) - ins.arg:]
            del stack[len(stack) - ins.arg:]
            stack.append(('tuple', [_field_op(item) for item in items]))
        elif op == 'RETURN_VALUE':
            if n != len(instructions) - 1 or len(stack) != 1 or stack[0][0] != 'tuple':
                _fail()
            return stack[0][1]
        else:
            _fail()
    _fail()


def _pop(stack):
    if not stack:
        _fail()
    return stack.pop()


def _field_op(item):
    if item[0] == 'field':
        return ('first' if item[1] == 0 else 'last', item[2])
    if item[0] == 'op':
        return item[1], item[2]
    _fail()


def _global_builtin(fn, name):
    """name when it resolves, as the function would look it up, to that builtin."""
    if name not in _BUILTINS:
        _fail()
    g = fn.__globals__
    if name in g:
        value = g[name]
    else:
        b = getattr(fn, '__builtins__', None)
        if b is None:
            b = g.get('__builtins__', builtins)
        if isinstance(b, types.ModuleType):
            b = vars(b)
        if not isinstance(b, dict) or name not in b:
            _fail()
        value = b[name]
    if value is not _BUILTINS[name]:
        _fail()
    return name


def _closure_builtin(fn, code, name):
    """The builtin max or min a closure variable holds (its name as the op)."""
    if name not in code.co_freevars or fn.__closure__ is None:
        _fail()
    try:
        value = fn.__closure__[code.co_freevars.index(name)].cell_contents
    except (IndexError, ValueError):
        _fail()
    for op, builtin in _BUILTINS.items():
        if value is builtin:
            return op
    _fail()
