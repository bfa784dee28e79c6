"""Conversion of operator outputs to their declared ``output_type`` (a plan Type map).

PyFlink serializes each output with the coder of the declared type, which
converts or rejects it; this module does the same in Python so the values the
engine receives have the declared shape: tuples/lists become Rows for ROW,
lists become tuples for TUPLE, FLOAT is rounded to 32 bits, and scalar types are
checked. PICKLED (or no type) needs no conversion: ``converter`` returns None.

Converters run once per record, so each is built once per type with a fast
path in front of the full check: a value whose Python types are exactly the
declared ones (``int`` in range for LONG, ``str`` for STRING, a ``tuple`` of
such values for TUPLE, ...) passes a single inline test generated for the type
and comes back as it is, which is what the full check would return for it.
Anything else goes through the full check, which converts it or raises.
"""
import datetime
import decimal
import struct

from pyflink_go.common.types import Row, RowKind, _make_row

__all__ = ['converter']

_FLOAT32 = struct.Struct('<f')  # standard size: out-of-range values raise, as PyFlink's coder does

_INT_RANGES = {
    'BYTE': (-2 ** 7, 2 ** 7 - 1),
    'SHORT': (-2 ** 15, 2 ** 15 - 1),
    'INT': (-2 ** 31, 2 ** 31 - 1),
    'LONG': (-2 ** 63, 2 ** 63 - 1),
}


def converter(type_info, operator):
    """Returns a function converting one value to type_info, or None when no conversion is needed.

    The function raises TypeError naming the operator and the offending value.
    """
    if not type_info:
        return None
    return _build(type_info, operator)


def _mismatch(operator, value, wanted):
    return TypeError('%s: value %r of type %s does not match the declared output type %s'
                     % (operator, value, type(value).__name__, wanted))


def _build(t, operator):
    kind = t.get('t')
    if kind in (None, 'PICKLED'):
        return None
    builder = _BUILDERS.get(kind)
    if builder is None:
        return None
    return builder(t, operator)


def _scalar(kind, accepts, exact=None):
    """A type whose values are checked and passed on unchanged; values of
    exactly the class ``exact`` are accepted without calling ``accepts``."""
    def build(t, operator):
        def check(value):
            if type(value) is exact or value is None:
                return value
            if not accepts(value):
                raise _mismatch(operator, value, kind)
            return value
        return check
    return build


def _int_type(kind):
    low, high = _INT_RANGES[kind]

    def build(t, operator):
        def check(value):
            if type(value) is int and low <= value <= high:
                return value
            if value is None:
                return None
            if type(value) is not int:
                if not isinstance(value, int):
                    raise _mismatch(operator, value, kind)
                value = int(value)  # bool and int subclasses, as struct packing accepts them
            if value < low or value > high:
                raise TypeError('%s: value %r is out of range for the declared output type %s'
                                % (operator, value, kind))
            return value
        return check
    return build


def _float32(t, operator):
    pack, unpack = _FLOAT32.pack, _FLOAT32.unpack

    def check(value):
        if value is None:
            return None
        if not isinstance(value, (int, float)):
            raise _mismatch(operator, value, 'FLOAT')
        try:
            return unpack(pack(value))[0]
        except (OverflowError, struct.error):
            raise TypeError('%s: value %r is out of range for the declared output type FLOAT'
                            % (operator, value))
    return check


def _double(t, operator):
    def check(value):
        if type(value) is float or value is None:
            return value
        if not isinstance(value, (int, float)):
            raise _mismatch(operator, value, 'DOUBLE')
        return float(value)
    return check


def _fields(t, operator):
    return [_build(f, operator) for f in t.get('fields') or []]


def _tuple(t, operator):
    return _compiled_tuple(t, _full_tuple(t, operator), lambda: _fields(t, operator))


def _full_tuple(t, operator):
    convs = _fields(t, operator)
    width = len(convs)
    plain = all(c is None for c in convs)

    def check(value):
        if value is None:
            return None
        if not isinstance(value, (tuple, list)):
            raise _mismatch(operator, value, 'TUPLE')
        if len(value) != width:
            raise TypeError('%s: value %r has %d fields, the declared TUPLE has %d'
                            % (operator, value, len(value), width))
        if plain:
            return value if type(value) is tuple else tuple(value)
        return tuple(v if c is None else c(v) for c, v in zip(convs, value))
    return check


def _row(t, operator):
    return _compiled_row(t, _full_row(t, operator), lambda: _fields(t, operator))


def _full_row(t, operator):
    convs = _fields(t, operator)
    width = len(convs)
    names = t.get('names')
    if names is None:
        names = ['f%d' % i for i in range(width)]
    names = list(names)
    plain = all(c is None for c in convs)

    def check(value):
        if value is None:
            return None
        if isinstance(value, Row):
            kind = value.get_row_kind()
            values = value._values
        elif isinstance(value, (tuple, list)):
            kind = RowKind.INSERT
            values = value
        else:
            raise _mismatch(operator, value, 'ROW')
        if len(values) != width:
            raise TypeError('%s: value %r has %d fields, the declared ROW has %d'
                            % (operator, value, len(values), width))
        if plain:
            values = list(values)
        else:
            values = [v if c is None else c(v) for c, v in zip(convs, values)]
        return _make_row(list(names), values, kind)
    return check


def _list(t, operator):
    elem = _build(t.get('elem') or {}, operator)
    kind = t.get('t')

    def check(value):
        if value is None:
            return None
        if not isinstance(value, (list, tuple)):
            raise _mismatch(operator, value, kind)
        if elem is None:
            return value if type(value) is list else list(value)
        return [elem(v) for v in value]
    return check


def _map(t, operator):
    key = _build(t.get('key') or {}, operator)
    val = _build(t.get('value') or {}, operator)

    def check(value):
        if value is None:
            return None
        if not isinstance(value, dict):
            raise _mismatch(operator, value, 'MAP')
        if key is None and val is None:
            return value
        return {(k if key is None else key(k)): (v if val is None else val(v))
                for k, v in value.items()}
    return check


# Inline tests, by type kind, that hold only for values the full check would
# return unchanged; {x} is the expression of the value. Kinds not listed have
# no such test (their conversion may change the value, as FLOAT's rounding).
_GUARDS = {
    'STRING': 'type({x}) is str',
    'CHAR': 'type({x}) is str',
    'BOOLEAN': 'type({x}) is bool',
    'BYTE': 'type({x}) is int and %d <= {x} <= %d' % _INT_RANGES['BYTE'],
    'SHORT': 'type({x}) is int and %d <= {x} <= %d' % _INT_RANGES['SHORT'],
    'INT': 'type({x}) is int and %d <= {x} <= %d' % _INT_RANGES['INT'],
    'LONG': 'type({x}) is int and %d <= {x} <= %d' % _INT_RANGES['LONG'],
    'BIG_INT': 'type({x}) is int',
    'DOUBLE': 'type({x}) is float',
    'BIG_DEC': 'type({x}) is _Decimal',
    'SQL_DATE': 'type({x}) is _date',
    'SQL_TIME': 'type({x}) is _time',
    'SQL_TIMESTAMP': 'type({x}) is _datetime',
}

_GUARD_NAMES = {'_Decimal': decimal.Decimal, '_date': datetime.date, '_time': datetime.time,
                '_datetime': datetime.datetime}


def _guard(t, x):
    """The inline test for a value of type t (as the expression x), or None."""
    kind = t.get('t')
    if kind in (None, 'PICKLED') or kind not in _BUILDERS:
        return 'True'  # not converted at all
    if kind == 'TUPLE':
        fields = t.get('fields') or []
        parts = ['type(%s) is tuple' % x, 'len(%s) == %d' % (x, len(fields))]
        for i, f in enumerate(fields):
            g = _guard(f, '%s[%d]' % (x, i))
            if g is None:
                return None
            if g != 'True':
                parts.append(g)
        return '(%s or %s is None)' % (' and '.join(parts), x)
    g = _GUARDS.get(kind)
    return None if g is None else '(%s or {x} is None)'.format(x=x) % g.format(x=x)


def _compile(name, source, namespace):
    code = compile(source, '<pyflink_go converter %s>' % name, 'exec')
    exec(code, namespace)
    return namespace[name]


def _compiled_tuple(t, full, fields):
    """TUPLE: a tuple whose fields pass their tests is returned as is; one
    whose other fields only need converting is rebuilt from the converted
    fields; anything else goes to the full check."""
    types = t.get('fields') or []
    guards = [_guard(f, 'v%d' % i) for i, f in enumerate(types)]
    if not types:
        return full
    convs = fields()
    unpack = ', '.join('v%d' % i for i in range(len(types))) + ','
    tests = ' and '.join(g for g in guards if g not in (None, 'True')) or 'True'
    if all(g is not None for g in guards):
        result = 'value'
    else:
        result = '(%s)' % ''.join(
            ('v%d, ' % i) if g is not None else ('c%d(v%d), ' % (i, i))
            for i, g in enumerate(guards))
    source = ('def check(value):\n'
              '    if type(value) is tuple and len(value) == %d:\n'
              '        %s = value\n'
              '        if %s:\n'
              '            return %s\n'
              '    return full(value)\n' % (len(types), unpack, tests, result))
    namespace = dict(_GUARD_NAMES, full=full)
    namespace.update(('c%d' % i, c) for i, c in enumerate(convs))
    return _compile('check', source, namespace)


def _compiled_row(t, full, fields):
    """ROW: a tuple or list whose fields pass their tests becomes an INSERT
    Row of those values without the full check; Rows and anything else go to
    the full check (which keeps a Row's kind)."""
    types = t.get('fields') or []
    guards = [_guard(f, 'v%d' % i) for i, f in enumerate(types)]
    if not types or any(g is None for g in guards):
        return full
    names = t.get('names')
    if names is None:
        names = ['f%d' % i for i in range(len(types))]
    names = list(names)
    unpack = ', '.join('v%d' % i for i in range(len(types))) + ','
    tests = ' and '.join(g for g in guards if g != 'True') or 'True'
    source = ('def check(value):\n'
              '    cls = type(value)\n'
              '    if (cls is tuple or cls is list) and len(value) == %d:\n'
              '        %s = value\n'
              '        if %s:\n'
              '            return make_row(list(names), [%s], INSERT)\n'
              '    return full(value)\n' % (len(types), unpack, tests, unpack))
    namespace = dict(_GUARD_NAMES, full=full, make_row=_make_row, names=names,
                     INSERT=RowKind.INSERT)
    return _compile('check', source, namespace)


def _is_instant(value):
    cls = type(value)
    return cls.__name__ == 'Instant' and hasattr(value, 'seconds') and hasattr(value, 'nanos')


_BUILDERS = {
    'STRING': _scalar('STRING', lambda v: isinstance(v, str), str),
    'CHAR': _scalar('CHAR', lambda v: isinstance(v, str), str),
    'BOOLEAN': _scalar('BOOLEAN', lambda v: isinstance(v, bool), bool),
    'BYTE': _int_type('BYTE'),
    'SHORT': _int_type('SHORT'),
    'INT': _int_type('INT'),
    'LONG': _int_type('LONG'),
    'BIG_INT': _scalar('BIG_INT', lambda v: isinstance(v, int) and not isinstance(v, bool), int),
    'FLOAT': _float32,
    'DOUBLE': _double,
    'BIG_DEC': _scalar('BIG_DEC', lambda v: isinstance(v, decimal.Decimal), decimal.Decimal),
    'SQL_DATE': _scalar('SQL_DATE', lambda v: type(v) is datetime.date, datetime.date),
    'SQL_TIME': _scalar('SQL_TIME', lambda v: isinstance(v, datetime.time), datetime.time),
    'SQL_TIMESTAMP': _scalar('SQL_TIMESTAMP', lambda v: isinstance(v, datetime.datetime),
                             datetime.datetime),
    'INSTANT': _scalar('INSTANT', _is_instant),
    'TUPLE': _tuple,
    'ROW': _row,
    'ROW_NAMED': _row,
    'LIST': _list,
    'PRIMITIVE_ARRAY': _list,
    'BASIC_ARRAY': _list,
    'OBJECT_ARRAY': _list,
    'MAP': _map,
}
