"""The value wire codec: Python objects <-> msgpack bytes, as ``udf/SPEC.md`` defines it.

Plain msgpack carries None, bool, int (64-bit), float, str, bytes, list and dict.
Extension types carry what msgpack lacks, so a value decodes to an equal object
of the same type:

====  ==================  =================================================
code  Python type         payload
====  ==================  =================================================
1     tuple               msgpack array of the items
2     Row                 msgpack array ``[kind, names or nil, [fields]]``
3     decimal.Decimal     ``str(d)`` as UTF-8
4     datetime.date       msgpack array ``[year, month, day]``
5     datetime.time       msgpack array ``[hour, minute, second, microsecond]`` (naive)
6     datetime.datetime   msgpack array ``[y, m, d, h, mi, s, us]`` (naive)
7     Instant             msgpack array ``[seconds, nanos]``
8     int                 ``str(i)`` as ASCII, for ints outside [-2**63, 2**64)
9     anything else       ``cloudpickle.dumps(obj)``
====  ==================  =================================================

Only exact types take the typed paths: subclasses (IntEnum, namedtuple, str
subclasses, OrderedDict...), sets, tz-aware datetimes and custom classes are
pickled, so they come back as themselves.

Example::

    >>> from pyflink_go.common.types import Row
    >>> packb((1, 'a')).hex()
    'd6019201a161'
    >>> unpackb(packb([Row(1, 'x'), (2,)]))
    [<Row(1, 'x')>, (2,)]
"""
import datetime as _dt
import pickle as _pickle
from decimal import Decimal as _Decimal

import msgpack as _msgpack

from pyflink_go.common.types import _KIND_BY_VALUE, Row as _Row, _make_row

__all__ = ['packb', 'unpackb', 'packb_array', 'array_header',
           'EXT_TUPLE', 'EXT_ROW', 'EXT_DECIMAL', 'EXT_DATE', 'EXT_TIME',
           'EXT_TIMESTAMP', 'EXT_INSTANT', 'EXT_BIGINT', 'EXT_PICKLED']

EXT_TUPLE = 1
EXT_ROW = 2
EXT_DECIMAL = 3
EXT_DATE = 4
EXT_TIME = 5
EXT_TIMESTAMP = 6
EXT_INSTANT = 7
EXT_BIGINT = 8
EXT_PICKLED = 9

_INSTANT_MODULE = 'pyflink_go.common.time'

_ExtType = _msgpack.ExtType
_date = _dt.date
_time = _dt.time
_datetime = _dt.datetime
_unpackb = _msgpack.unpackb
_pickle_loads = _pickle.loads

# Idle packers. Packing an extension payload happens inside another pack() call,
# and a msgpack Packer is not re-entrant, so every (nested) pack takes its own
# packer from here. list.pop/append are atomic, so threads can share the pool.
_idle_packers = []
_take_packer = _idle_packers.pop
_return_packer = _idle_packers.append

# ExtType() validates its arguments in Python; building the namedtuple directly
# is three times faster and safe for the codes and bytes built here.
_new_tuple = tuple.__new__


def _ext(code, data):
    return _new_tuple(_ExtType, (code, data))


def _new_packer():
    return _msgpack.Packer(default=_default, use_bin_type=True, strict_types=True,
                           autoreset=True)


def packb(obj) -> bytes:
    """Encodes one value in the wire encoding."""
    packer = _take_packer() if _idle_packers else _new_packer()
    data = packer.pack(obj)  # on error the packer resets itself and is dropped
    _return_packer(packer)
    return data


def _ext_header(code, size):
    """The msgpack header of an extension value of the given code and payload size."""
    fixed = {1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8}.get(size)
    if fixed is not None:
        return bytes((fixed, code))
    if size <= 0xff:
        return bytes((0xc7, size, code))
    if size <= 0xffff:
        return b'\xc8' + size.to_bytes(2, 'big') + bytes((code,))
    return b'\xc9' + size.to_bytes(4, 'big') + bytes((code,))


def array_header(count) -> bytes:
    """The msgpack header of an array of ``count`` items."""
    if count < 16:
        return bytes((0x90 | count,))
    if count <= 0xffff:
        return b'\xdc' + count.to_bytes(2, 'big')
    return b'\xdd' + count.to_bytes(4, 'big')


_TUPLE_HEADERS = [b''] + [_ext_header(EXT_TUPLE, size) for size in range(1, 256)]


def packb_array(values) -> bytes:
    """Encodes a list of values as one msgpack array, like ``packb(list(values))`` but faster.

    Top-level tuples, the usual record shape, skip the extension hook: their
    payload is packed directly and framed with a precomputed header.
    """
    packer = _take_packer() if _idle_packers else _new_packer()
    pack = packer.pack
    parts = [array_header(len(values))]
    append = parts.append
    headers = _TUPLE_HEADERS
    for value in values:
        if type(value) is tuple:
            data = pack(list(value))
            size = len(data)
            append(headers[size] if size < 256 else _ext_header(EXT_TUPLE, size))
            append(data)
        else:
            append(pack(value))
    _return_packer(packer)
    return b''.join(parts)


def _default(obj):
    """Encodes what plain msgpack cannot, as an extension type (see the module table)."""
    kind = type(obj)
    if kind is tuple:
        return _new_tuple(_ExtType, (EXT_TUPLE, packb(list(obj))))
    if kind is _Row:
        names = obj.__dict__.get('_fields')
        if names is not None and type(names) is not list:
            names = list(names)
        values = obj._values
        if type(values) is not list:
            values = list(values)
        return _ext(EXT_ROW, packb([obj._row_kind.value, names, values]))
    if kind is _Decimal:
        return _ext(EXT_DECIMAL, str(obj).encode())
    if kind is _datetime:
        if obj.tzinfo is None and not obj.fold:
            return _ext(EXT_TIMESTAMP, packb([obj.year, obj.month, obj.day, obj.hour,
                                              obj.minute, obj.second, obj.microsecond]))
    elif kind is _date:
        return _ext(EXT_DATE, packb([obj.year, obj.month, obj.day]))
    elif kind is _time:
        if obj.tzinfo is None and not obj.fold:
            return _ext(EXT_TIME, packb([obj.hour, obj.minute, obj.second, obj.microsecond]))
    elif kind is int:
        # Only reached for ints msgpack cannot hold.
        return _ext(EXT_BIGINT, str(obj).encode())
    elif kind.__name__ == 'Instant' and kind.__module__ == _INSTANT_MODULE:
        return _ext(EXT_INSTANT, packb([obj.seconds, obj.nanos]))
    return _ext(EXT_PICKLED, _dumps(obj))


def _dumps(obj) -> bytes:
    import cloudpickle
    return cloudpickle.dumps(obj)


def unpackb(data):
    """Decodes one value from the wire encoding (the whole of ``data``)."""
    return _unpackb(data, ext_hook=_ext_hook, raw=False, strict_map_key=False)


def _ext_hook(code, data):
    if code == EXT_TUPLE:
        return tuple(_unpackb(data, ext_hook=_ext_hook, raw=False, strict_map_key=False))
    if code == EXT_ROW:
        kind, names, values = _unpackb(data, ext_hook=_ext_hook, raw=False,
                                       strict_map_key=False)
        return _make_row(names, values, _KIND_BY_VALUE[kind])
    if code == EXT_PICKLED:
        return _pickle_loads(data)
    if code == EXT_DECIMAL:
        return _Decimal(data.decode())
    if code == EXT_DATE:
        return _date(*_unpackb(data))
    if code == EXT_TIME:
        return _time(*_unpackb(data))
    if code == EXT_TIMESTAMP:
        return _datetime(*_unpackb(data))
    if code == EXT_INSTANT:
        seconds, nanos = _unpackb(data)
        return _instant_class()(seconds, nanos)
    if code == EXT_BIGINT:
        return int(data.decode('ascii'))
    raise ValueError('unknown value extension type %d' % code)


def _instant_class():
    from pyflink_go.common.time import Instant
    return Instant
