"""Conversion of operator outputs to their declared ``output_type`` (a plan Type map).

PyFlink serializes each output with the coder of the declared type, which
converts or rejects it; this module does the same in Python so the values the
engine receives have the declared shape: tuples/lists become Rows for ROW,
lists become tuples for TUPLE, FLOAT is rounded to 32 bits, and scalar types are
checked. PICKLED (or no type) needs no conversion: ``converter`` returns None.
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


def _scalar(kind, accepts, convert=None):
    def build(t, operator):
        def check(value):
            if value is None:
                return None
            if not accepts(value):
                raise _mismatch(operator, value, kind)
            return convert(value) if convert is not None else value
        return check
    return build


def _int_type(kind):
    low, high = _INT_RANGES[kind]

    def build(t, operator):
        def check(value):
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
        if value is None:
            return None
        if type(value) is float:
            return value
        if not isinstance(value, (int, float)):
            raise _mismatch(operator, value, 'DOUBLE')
        return float(value)
    return check


def _fields(t, operator):
    return [_build(f, operator) for f in t.get('fields') or []]


def _tuple(t, operator):
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


def _is_instant(value):
    cls = type(value)
    return cls.__name__ == 'Instant' and hasattr(value, 'seconds') and hasattr(value, 'nanos')


_BUILDERS = {
    'STRING': _scalar('STRING', lambda v: isinstance(v, str)),
    'CHAR': _scalar('CHAR', lambda v: isinstance(v, str)),
    'BOOLEAN': _scalar('BOOLEAN', lambda v: isinstance(v, bool)),
    'BYTE': _int_type('BYTE'),
    'SHORT': _int_type('SHORT'),
    'INT': _int_type('INT'),
    'LONG': _int_type('LONG'),
    'BIG_INT': _scalar('BIG_INT', lambda v: isinstance(v, int) and not isinstance(v, bool)),
    'FLOAT': _float32,
    'DOUBLE': _double,
    'BIG_DEC': _scalar('BIG_DEC', lambda v: isinstance(v, decimal.Decimal)),
    'SQL_DATE': _scalar('SQL_DATE', lambda v: type(v) is datetime.date),
    'SQL_TIME': _scalar('SQL_TIME', lambda v: isinstance(v, datetime.time)),
    'SQL_TIMESTAMP': _scalar('SQL_TIMESTAMP', lambda v: isinstance(v, datetime.datetime)),
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
