"""TypeInformation and ``Types``: the declared types of streams, as in ``pyflink.common.typeinfo``.

Besides PyFlink's API (``Types.STRING()``, ``to_internal_type``/``from_internal_type``, ...)
each type knows two things the engine needs:

* ``to_plan_type()`` gives its entry in the job plan (``{"t": "TUPLE", "fields": [...]}``,
  see engine/plan/PLAN.md), and ``_from_plan_type`` reads such an entry back;
* ``_converter()`` gives a function that turns a Python value into the value the engine
  carries for this type (a ``Row`` with field names for ROW, a float rounded to 32 bits
  for FLOAT, ...) and rejects values that do not fit, with a message saying why. The
  environment uses it for ``from_collection`` elements and the worker for the values a
  function returns under a declared ``output_type``.
"""

import datetime
import operator
import struct
import time
from enum import Enum
from typing import Any, Callable, Dict, List

__all__ = ['TypeInformation', 'Types', 'BasicType', 'BasicTypeInfo', 'InstantTypeInfo',
           'SqlTimeTypeInfo', 'DateTypeInfo', 'TimeTypeInfo', 'TimestampTypeInfo',
           'PrimitiveArrayTypeInfo', 'BasicArrayTypeInfo', 'ObjectArrayTypeInfo',
           'PickledBytesTypeInfo', 'RowTypeInfo', 'TupleTypeInfo', 'ListTypeInfo',
           'MapTypeInfo', 'LocalTimeTypeInfo']


def _identity(value):
    return value


def _describe(value) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + '...'
    return '%s %s' % (type(value).__name__, text)


class TypeInformation(object):
    """
    TypeInformation is the core class of Flink's type system. It describes the type of the
    records of a stream: which values a field may hold and how they are printed and written.

    Basic types are single fields; tuples and rows have one field per element; lists, maps and
    arrays are one field in total.
    """

    def need_conversion(self):
        """
        Does this type need to conversion between Python object and internal Wrapper object.
        """
        return False

    def to_internal_type(self, obj):
        """
        Converts a Python object into an internal object.
        """
        return obj

    def from_internal_type(self, obj):
        """
         Converts an internal object into a native Python object.
         """
        return obj

    def to_plan_type(self) -> Dict[str, Any]:
        """The ``Type`` map of this type in the job plan (engine/plan/PLAN.md)."""
        raise TypeError("%r cannot be used in a pyflink_go job" % self)

    def _converter(self) -> Callable[[Any], Any]:
        """A function normalising one Python value to this type's engine value (None passes)."""
        return _identity

    def __hash__(self):
        return hash(repr(self))


# ---- basic types ----

class BasicType(Enum):
    """The basic types, named as Java names their classes."""
    STRING = "String"
    BYTE = "Byte"
    BOOLEAN = "Boolean"
    SHORT = "Short"
    INT = "Integer"
    LONG = "Long"
    FLOAT = "Float"
    DOUBLE = "Double"
    CHAR = "Char"
    BIG_INT = "BigInteger"
    BIG_DEC = "BigDecimal"
    INSTANT = "Instant"


_INT_RANGES = {
    BasicType.BYTE: (-2 ** 7, 2 ** 7 - 1),
    BasicType.SHORT: (-2 ** 15, 2 ** 15 - 1),
    BasicType.INT: (-2 ** 31, 2 ** 31 - 1),
    BasicType.LONG: (-2 ** 63, 2 ** 63 - 1),
}

_FLOAT32 = struct.Struct('<f')


def _int_converter(type_name: str, bounds) -> Callable[[Any], Any]:
    low, high = bounds if bounds else (None, None)

    def convert(value):
        if value is None:
            return None
        if type(value) is not int:
            if isinstance(value, float) or isinstance(value, str):
                raise TypeError("%s expects an int, got %s" % (type_name, _describe(value)))
            try:
                value = operator.index(value)
            except TypeError:
                raise TypeError("%s expects an int, got %s"
                                % (type_name, _describe(value))) from None
        if low is not None and not low <= value <= high:
            raise ValueError("%s value %d is out of range [%d, %d]" % (type_name, value, low, high))
        return value

    return convert


def _float_converter(type_name: str, single: bool) -> Callable[[Any], Any]:
    pack, unpack = _FLOAT32.pack, _FLOAT32.unpack

    def convert(value):
        if value is None:
            return None
        if isinstance(value, (str, bytes)) or not isinstance(value, (int, float)) and \
                not hasattr(value, '__float__'):
            raise TypeError("%s expects a float, got %s" % (type_name, _describe(value)))
        value = float(value)
        if single:
            try:
                return unpack(pack(value))[0]
            except OverflowError:
                raise OverflowError("FLOAT value %r does not fit in 32 bits; use Types.DOUBLE()"
                                    % value) from None
        return value

    return convert


def _string_converter(value):
    if value is None or type(value) is str:
        return value
    if isinstance(value, str):
        return str(value)
    raise TypeError("STRING expects a str, got %s" % _describe(value))


def _char_converter(value):
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("CHAR expects a str of one character, got %s" % _describe(value))
    if len(value) != 1:
        raise ValueError("CHAR expects a single character, got %r" % (value,))
    return str(value)


def _bool_converter(value):
    if value is None or type(value) is bool:
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise TypeError("BOOLEAN expects a bool, got %s" % _describe(value))


def _big_dec_converter(value):
    if value is None:
        return None
    import decimal
    if isinstance(value, decimal.Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return decimal.Decimal(value)
    raise TypeError("BIG_DEC expects a decimal.Decimal, got %s" % _describe(value))


def _instant_converter(value):
    if value is None:
        return None
    from pyflink_go.common.time import Instant
    if isinstance(value, Instant):
        return value
    raise TypeError("INSTANT expects a pyflink_go.common.Instant, got %s" % _describe(value))


class BasicTypeInfo(TypeInformation):
    """
    Type information for primitive types (int, long, double, byte, ...), String, BigInteger,
    and BigDecimal.
    """

    def __init__(self, basic_type: BasicType):
        self._basic_type = basic_type
        super(BasicTypeInfo, self).__init__()

    def __eq__(self, o) -> bool:
        if isinstance(o, BasicTypeInfo):
            return self._basic_type == o._basic_type
        return False

    def __hash__(self):
        return hash(self._basic_type)

    def __repr__(self):
        return self._basic_type.value

    def to_plan_type(self) -> Dict[str, Any]:
        return {"t": self._basic_type.name}

    def _converter(self) -> Callable[[Any], Any]:
        basic = self._basic_type
        if basic in _INT_RANGES:
            return _int_converter(basic.name, _INT_RANGES[basic])
        if basic == BasicType.BIG_INT:
            return _int_converter('BIG_INT', None)
        if basic in (BasicType.FLOAT, BasicType.DOUBLE):
            return _float_converter(basic.name, basic == BasicType.FLOAT)
        return {
            BasicType.STRING: _string_converter,
            BasicType.CHAR: _char_converter,
            BasicType.BOOLEAN: _bool_converter,
            BasicType.BIG_DEC: _big_dec_converter,
            BasicType.INSTANT: _instant_converter,
        }[basic]

    @staticmethod
    def STRING_TYPE_INFO():
        return BasicTypeInfo(BasicType.STRING)

    @staticmethod
    def BOOLEAN_TYPE_INFO():
        return BasicTypeInfo(BasicType.BOOLEAN)

    @staticmethod
    def BYTE_TYPE_INFO():
        return BasicTypeInfo(BasicType.BYTE)

    @staticmethod
    def SHORT_TYPE_INFO():
        return BasicTypeInfo(BasicType.SHORT)

    @staticmethod
    def INT_TYPE_INFO():
        return BasicTypeInfo(BasicType.INT)

    @staticmethod
    def LONG_TYPE_INFO():
        return BasicTypeInfo(BasicType.LONG)

    @staticmethod
    def FLOAT_TYPE_INFO():
        return BasicTypeInfo(BasicType.FLOAT)

    @staticmethod
    def DOUBLE_TYPE_INFO():
        return BasicTypeInfo(BasicType.DOUBLE)

    @staticmethod
    def CHAR_TYPE_INFO():
        return BasicTypeInfo(BasicType.CHAR)

    @staticmethod
    def BIG_INT_TYPE_INFO():
        return BasicTypeInfo(BasicType.BIG_INT)

    @staticmethod
    def BIG_DEC_TYPE_INFO():
        return BasicTypeInfo(BasicType.BIG_DEC)

    @staticmethod
    def INSTANT_TYPE_INFO():
        return InstantTypeInfo(BasicType.INSTANT)


class InstantTypeInfo(BasicTypeInfo):
    """
    InstantTypeInfo enables users to get Instant TypeInfo.
    """

    def __init__(self, basic_type: BasicType = BasicType.INSTANT):
        super(InstantTypeInfo, self).__init__(basic_type)

    def need_conversion(self):
        return True

    def to_internal_type(self, obj):
        return obj.to_epoch_milli() * 1000

    def from_internal_type(self, obj):
        from pyflink_go.common.time import Instant
        return Instant.of_epoch_milli(obj // 1000)


# ---- SQL date and time ----

_EPOCH_ORDINAL = datetime.datetime(1970, 1, 1).toordinal()


class SqlTimeTypeInfo(TypeInformation):
    """
    SqlTimeTypeInfo enables users to get Sql Time TypeInfo.
    """

    @staticmethod
    def DATE():
        return DateTypeInfo()

    @staticmethod
    def TIME():
        return TimeTypeInfo()

    @staticmethod
    def TIMESTAMP():
        return TimestampTypeInfo()


def _date_converter(value):
    if value is None or type(value) is datetime.date:
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return datetime.date(value.year, value.month, value.day)
    raise TypeError("SQL_DATE expects a datetime.date, got %s" % _describe(value))


def _time_converter(value):
    if value is None or isinstance(value, datetime.time):
        return value
    raise TypeError("SQL_TIME expects a datetime.time, got %s" % _describe(value))


def _timestamp_converter(value):
    if value is None or isinstance(value, datetime.datetime):
        return value
    raise TypeError("SQL_TIMESTAMP expects a datetime.datetime, got %s" % _describe(value))


class DateTypeInfo(TypeInformation):
    """
    TypeInformation for Date.
    """

    EPOCH_ORDINAL = _EPOCH_ORDINAL

    def need_conversion(self):
        return True

    def to_internal_type(self, d):
        if d is not None:
            return d.toordinal() - self.EPOCH_ORDINAL

    def from_internal_type(self, v):
        if v is not None:
            return datetime.date.fromordinal(v + self.EPOCH_ORDINAL)

    def to_plan_type(self) -> Dict[str, Any]:
        return {"t": "SQL_DATE"}

    def _converter(self):
        return _date_converter

    def __eq__(self, o: object) -> bool:
        return isinstance(o, DateTypeInfo)

    def __hash__(self):
        return hash('DateTypeInfo')

    def __repr__(self):
        return "DateTypeInfo"


def _local_epoch_micros() -> int:
    import calendar
    return calendar.timegm(time.localtime(0)) * 10 ** 6


class TimeTypeInfo(TypeInformation):
    """
    TypeInformation for Time.
    """

    def need_conversion(self):
        return True

    def to_internal_type(self, t):
        if t is not None:
            if t.tzinfo is not None:
                offset = t.utcoffset()
                offset = offset if offset else datetime.timedelta()
                offset_microseconds = \
                    (offset.days * 86400 + offset.seconds) * 10 ** 6 + offset.microseconds
            else:
                offset_microseconds = _local_epoch_micros()
            minutes = t.hour * 60 + t.minute
            seconds = minutes * 60 + t.second
            return seconds * 10 ** 6 + t.microsecond - offset_microseconds

    def from_internal_type(self, t):
        if t is not None:
            seconds, microseconds = divmod(t + _local_epoch_micros(), 10 ** 6)
            minutes, seconds = divmod(seconds, 60)
            hours, minutes = divmod(minutes, 60)
            return datetime.time(hours, minutes, seconds, microseconds)

    def to_plan_type(self) -> Dict[str, Any]:
        return {"t": "SQL_TIME"}

    def _converter(self):
        return _time_converter

    def __eq__(self, o: object) -> bool:
        return isinstance(o, TimeTypeInfo)

    def __hash__(self):
        return hash('TimeTypeInfo')

    def __repr__(self) -> str:
        return "TimeTypeInfo"


class TimestampTypeInfo(TypeInformation):
    """
    TypeInformation for Timestamp.
    """

    def need_conversion(self):
        return True

    def to_internal_type(self, dt):
        if dt is not None:
            import calendar
            seconds = (calendar.timegm(dt.utctimetuple()) if dt.tzinfo
                       else time.mktime(dt.timetuple()))
            return int(seconds) * 10 ** 6 + dt.microsecond

    def from_internal_type(self, ts):
        if ts is not None:
            return datetime.datetime.fromtimestamp(ts // 10 ** 6).replace(microsecond=ts % 10 ** 6)

    def to_plan_type(self) -> Dict[str, Any]:
        return {"t": "SQL_TIMESTAMP"}

    def _converter(self):
        return _timestamp_converter

    def __eq__(self, o: object) -> bool:
        return isinstance(o, TimestampTypeInfo)

    def __hash__(self):
        return hash('TimestampTypeInfo')

    def __repr__(self):
        return "TimestampTypeInfo"


# ---- arrays, lists and maps ----

_PRIMITIVE_ELEMENTS = ('BOOLEAN', 'BYTE', 'SHORT', 'INT', 'LONG', 'FLOAT', 'DOUBLE', 'CHAR')


def _sequence_converter(type_name: str, element: TypeInformation) -> Callable[[Any], Any]:
    convert_element = element._converter()

    def convert(value):
        if value is None:
            return None
        if not isinstance(value, (list, tuple)):
            raise TypeError("%s expects a list, got %s" % (type_name, _describe(value)))
        if convert_element is _identity:
            return list(value)
        return [convert_element(item) for item in value]

    return convert


class _ArrayTypeInfo(TypeInformation):
    """Shared behaviour of the array types: one element type, values are Python lists."""

    _PLAN_NAME = ''
    _REPR = ''
    _ALLOWED = None  # element plan names allowed, None for any

    def __init__(self, element_type: TypeInformation):
        self._element_type = element_type
        super(_ArrayTypeInfo, self).__init__()

    def to_plan_type(self) -> Dict[str, Any]:
        elem = self._element_type.to_plan_type()
        if self._ALLOWED is not None and elem.get("t") not in self._ALLOWED:
            raise TypeError("Invalid element type for a primitive array.")
        return {"t": self._PLAN_NAME, "elem": elem}

    def _converter(self):
        return _sequence_converter(self._PLAN_NAME, self._element_type)

    def __eq__(self, o) -> bool:
        return type(o) is type(self) and self._element_type == o._element_type

    def __hash__(self):
        return hash((self._PLAN_NAME, self._element_type))

    def __repr__(self):
        return "%s<%s>" % (self._REPR, self._element_type)


class PrimitiveArrayTypeInfo(_ArrayTypeInfo):
    """
    A TypeInformation for arrays of primitive types (int, long, double, ...).
    """
    _PLAN_NAME = 'PRIMITIVE_ARRAY'
    _REPR = 'PrimitiveArrayTypeInfo'
    _ALLOWED = _PRIMITIVE_ELEMENTS


class BasicArrayTypeInfo(_ArrayTypeInfo):
    """
    A TypeInformation for arrays of boxed primitive types (Integer, Long, Double, ...).
    """
    _PLAN_NAME = 'BASIC_ARRAY'
    _REPR = 'BasicArrayTypeInfo'
    _ALLOWED = _PRIMITIVE_ELEMENTS + ('STRING',)


class ObjectArrayTypeInfo(_ArrayTypeInfo):
    """
    A TypeInformation for arrays of non-primitive types.
    """
    _PLAN_NAME = 'OBJECT_ARRAY'
    _REPR = 'ObjectArrayTypeInfo'


class ListTypeInfo(TypeInformation):
    """
    A TypeInformation for the list types.
    """

    def __init__(self, element_type: TypeInformation):
        self.elem_type = element_type
        super(ListTypeInfo, self).__init__()

    def to_plan_type(self) -> Dict[str, Any]:
        return {"t": "LIST", "elem": self.elem_type.to_plan_type()}

    def _converter(self):
        return _sequence_converter('LIST', self.elem_type)

    def __eq__(self, other):
        if isinstance(other, ListTypeInfo):
            return self.elem_type == other.elem_type
        return False

    def __hash__(self):
        return hash(('LIST', self.elem_type))

    def __repr__(self):
        return "ListTypeInfo<%s>" % self.elem_type


class MapTypeInfo(TypeInformation):
    """
    A TypeInformation for maps (Python dicts).
    """

    def __init__(self, key_type_info: TypeInformation, value_type_info: TypeInformation):
        self._key_type_info = key_type_info
        self._value_type_info = value_type_info
        super(MapTypeInfo, self).__init__()

    def to_plan_type(self) -> Dict[str, Any]:
        return {"t": "MAP", "key": self._key_type_info.to_plan_type(),
                "value": self._value_type_info.to_plan_type()}

    def _converter(self):
        convert_key = self._key_type_info._converter()
        convert_value = self._value_type_info._converter()

        def convert(value):
            if value is None:
                return None
            if not isinstance(value, dict):
                raise TypeError("MAP expects a dict, got %s" % _describe(value))
            return {convert_key(k): convert_value(v) for k, v in value.items()}

        return convert

    def __eq__(self, other):
        if isinstance(other, MapTypeInfo):
            return self._key_type_info == other._key_type_info and \
                self._value_type_info == other._value_type_info
        return False

    def __hash__(self):
        return hash(('MAP', self._key_type_info, self._value_type_info))

    def __repr__(self) -> str:
        return 'MapTypeInfo<{}, {}>'.format(self._key_type_info, self._value_type_info)


# ---- pickled objects ----

class PickledBytesTypeInfo(TypeInformation):
    """
    A PickledBytesTypeInfo indicates the data is an arbitrary Python object, serialized with
    pickle between operators. It is the type of every stream that declares no type.
    """

    def to_plan_type(self) -> Dict[str, Any]:
        return {"t": "PICKLED"}

    def __eq__(self, o: object) -> bool:
        return isinstance(o, PickledBytesTypeInfo)

    def __hash__(self):
        return hash('PickledByteArrayTypeInfo')

    def __repr__(self):
        return "PickledByteArrayTypeInfo"


# ---- composite types ----

def _check_arity(type_name: str, expected: int, value) -> None:
    if len(value) != expected:
        raise ValueError("%s expects %d fields, got %d: %s"
                         % (type_name, expected, len(value), _describe(value)))


class RowTypeInfo(TypeInformation):
    """
    TypeInformation for Row. Fields are named ``f0``, ``f1``, ... unless names are given.
    """

    def __init__(self, field_types: List[TypeInformation], field_names: List[str] = None):
        self._field_types = field_types
        self._field_names = field_names
        self._need_conversion = [f.need_conversion() if isinstance(f, TypeInformation) else None
                                 for f in self._field_types]
        self._need_serialize_any_field = any(self._need_conversion)
        super(RowTypeInfo, self).__init__()

    def get_field_names(self) -> List[str]:
        """The field names: the given ones, else ``f0``, ``f1``, ..."""
        if not self._field_names:
            return ['f%d' % i for i in range(len(self._field_types))]
        return self._field_names

    def get_field_index(self, field_name: str) -> int:
        """The position of the named field, or -1 when the row type has no given names."""
        if self._field_names:
            return self._field_names.index(field_name)
        return -1

    def get_field_types(self) -> List[TypeInformation]:
        """The field types, in order."""
        return self._field_types

    def __eq__(self, other) -> bool:
        if isinstance(other, RowTypeInfo):
            return self._field_types == other._field_types
        return False

    def __hash__(self):
        return hash(('ROW', tuple(self._field_types)))

    def __repr__(self) -> str:
        if self._field_names:
            return "RowTypeInfo(%s)" % ', '.join([field_name + ': ' + str(field_type)
                                                  for field_name, field_type in
                                                  zip(self.get_field_names(),
                                                      self.get_field_types())])
        else:
            return "RowTypeInfo(%s)" % ', '.join(
                [str(field_type) for field_type in self._field_types])

    def need_conversion(self):
        return True

    def to_internal_type(self, obj):
        if obj is None:
            return
        from pyflink_go.common.types import Row, RowKind
        names = self.get_field_names()
        if isinstance(obj, dict):
            kind, values = RowKind.INSERT, [obj.get(n) for n in names]
        elif isinstance(obj, Row) and getattr(obj, "_fields", None) is not None:
            kind, values = obj.get_row_kind(), [obj[n] for n in names]
        elif isinstance(obj, Row):
            kind, values = obj.get_row_kind(), list(obj)
        elif isinstance(obj, (tuple, list)):
            kind, values = RowKind.INSERT, list(obj)
        elif hasattr(obj, "__dict__"):
            d = obj.__dict__
            kind, values = RowKind.INSERT, [d.get(n) for n in names]
        else:
            raise ValueError("Unexpected tuple %r with RowTypeInfo" % obj)
        if self._need_serialize_any_field:
            values = [f.to_internal_type(v) if c else v
                      for f, v, c in zip(self._field_types, values, self._need_conversion)]
        return (kind.value,) + tuple(values)

    def from_internal_type(self, obj):
        if obj is None:
            return
        if isinstance(obj, (tuple, list)):
            return obj
        if self._need_serialize_any_field:
            values = [f.from_internal_type(v) if c else v
                      for f, v, c in zip(self._field_types, obj, self._need_conversion)]
        else:
            values = obj
        return tuple(values)

    def to_plan_type(self) -> Dict[str, Any]:
        return {"t": "ROW", "fields": [f.to_plan_type() for f in self._field_types],
                "names": list(self.get_field_names())}

    def _converter(self):
        from pyflink_go.common.types import Row, _make_row
        names = list(self.get_field_names())
        converters = [f._converter() for f in self._field_types]
        plain = all(c is _identity for c in converters)
        arity = len(names)
        name_set = frozenset(names)

        def fields_of(value):
            if isinstance(value, Row):
                row_names = getattr(value, '_fields', None)
                if row_names is not None and row_names != names and name_set <= set(row_names):
                    return value.get_row_kind(), [value[n] for n in names]
                return value.get_row_kind(), list(value)
            if isinstance(value, (tuple, list)):
                return None, list(value)
            if isinstance(value, dict):
                return None, [value.get(n) for n in names]
            if hasattr(value, '__dict__'):
                d = value.__dict__
                return None, [d.get(n) for n in names]
            raise TypeError("ROW expects a Row, tuple, list or dict, got %s" % _describe(value))

        def convert(value):
            if value is None:
                return None
            if plain and isinstance(value, Row) and getattr(value, '_fields', None) == names:
                return value
            kind, values = fields_of(value)
            _check_arity('ROW', arity, values)
            if not plain:
                values = [c(v) for c, v in zip(converters, values)]
            if kind is None:
                return _make_row(list(names), list(values))
            return _make_row(list(names), list(values), kind)

        return convert


class TupleTypeInfo(TypeInformation):
    """
    TypeInformation for Tuple.
    """

    def __init__(self, field_types: List[TypeInformation]):
        self._field_types = field_types
        self._need_conversion = [f.need_conversion() if isinstance(f, TypeInformation) else None
                                 for f in self._field_types]
        self._need_serialize_any_field = any(self._need_conversion)
        super(TupleTypeInfo, self).__init__()

    def get_field_types(self) -> List[TypeInformation]:
        """The field types, in order."""
        return self._field_types

    def need_conversion(self):
        return True

    def to_internal_type(self, obj):
        if obj is None:
            return
        from pyflink_go.common.types import Row
        if not isinstance(obj, (list, tuple, Row)):
            raise ValueError("Unexpected tuple %r with TupleTypeInfo" % obj)
        if self._need_serialize_any_field:
            return tuple(
                f.to_internal_type(v) if c else v
                for f, v, c in zip(self._field_types, obj, self._need_conversion))
        return tuple(obj)

    def from_internal_type(self, obj):
        if obj is None or isinstance(obj, (tuple, list)):
            return obj
        if self._need_serialize_any_field:
            values = [f.from_internal_type(v) if c else v
                      for f, v, c in zip(self._field_types, obj, self._need_conversion)]
        else:
            values = obj
        return tuple(values)

    def to_plan_type(self) -> Dict[str, Any]:
        return {"t": "TUPLE", "fields": [f.to_plan_type() for f in self._field_types]}

    def _converter(self):
        from pyflink_go.common.types import Row
        converters = [f._converter() for f in self._field_types]
        plain = all(c is _identity for c in converters)
        arity = len(converters)

        def convert(value):
            if value is None:
                return None
            if not isinstance(value, (tuple, list, Row)):
                raise TypeError("TUPLE expects a tuple, got %s" % _describe(value))
            _check_arity('TUPLE', arity, value)
            if plain:
                return value if type(value) is tuple else tuple(value)
            return tuple(c(v) for c, v in zip(converters, value))

        return convert

    def __eq__(self, other) -> bool:
        if isinstance(other, TupleTypeInfo):
            return self._field_types == other._field_types
        return False

    def __hash__(self):
        return hash(('TUPLE', tuple(self._field_types)))

    def __repr__(self) -> str:
        return "TupleTypeInfo(%s)" % ', '.join(
            [str(field_type) for field_type in self._field_types])


class LocalTimeTypeInfo(TypeInformation):
    """
    TypeInformation for java.time local dates and times. Accepted for API compatibility; the
    engine does not carry these types, so streams declared with them cannot run.
    """

    class TimeType(Enum):
        LOCAL_DATE = 0
        LOCAL_TIME = 1
        LOCAL_DATE_TIME = 2

    def __init__(self, time_type: TimeType):
        super(LocalTimeTypeInfo, self).__init__()
        self._time_type = time_type

    def __eq__(self, other):
        return self.__class__ == other.__class__ and self._time_type == other._time_type

    def __hash__(self):
        return hash(('LocalTimeTypeInfo', self._time_type))

    def __repr__(self):
        return 'LocalTimeTypeInfo<{}>'.format(self._time_type.name)


class Types(object):
    """
    This class gives access to the type information of the most common types for which Flink has
    built-in serializers and comparators.
    """

    @staticmethod
    def STRING() -> TypeInformation:
        """
        Returns type information for string. Supports a None value.
        """
        return BasicTypeInfo.STRING_TYPE_INFO()

    @staticmethod
    def BYTE() -> TypeInformation:
        """
        Returns type information for byte. Does not support a None value.
        """
        return BasicTypeInfo.BYTE_TYPE_INFO()

    @staticmethod
    def BOOLEAN() -> TypeInformation:
        """
        Returns type information for bool. Does not support a None value.
        """
        return BasicTypeInfo.BOOLEAN_TYPE_INFO()

    @staticmethod
    def SHORT() -> TypeInformation:
        """
        Returns type information for short. Does not support a None value.
        """
        return BasicTypeInfo.SHORT_TYPE_INFO()

    @staticmethod
    def INT() -> TypeInformation:
        """
        Returns type information for int. Does not support a None value.
        """
        return BasicTypeInfo.INT_TYPE_INFO()

    @staticmethod
    def LONG() -> TypeInformation:
        """
        Returns type information for long. Does not support a None value.
        """
        return BasicTypeInfo.LONG_TYPE_INFO()

    @staticmethod
    def FLOAT() -> TypeInformation:
        """
        Returns type information for float (32 bits). Does not support a None value.
        """
        return BasicTypeInfo.FLOAT_TYPE_INFO()

    @staticmethod
    def DOUBLE() -> TypeInformation:
        """
        Returns type information for double. Does not support a None value.
        """
        return BasicTypeInfo.DOUBLE_TYPE_INFO()

    @staticmethod
    def CHAR() -> TypeInformation:
        """
        Returns type information for char. Does not support a None value.
        """
        return BasicTypeInfo.CHAR_TYPE_INFO()

    @staticmethod
    def BIG_INT() -> TypeInformation:
        """
        Returns type information for BigInteger. Supports a None value.
        """
        return BasicTypeInfo.BIG_INT_TYPE_INFO()

    @staticmethod
    def BIG_DEC() -> TypeInformation:
        """
        Returns type information for BigDecimal. Supports a None value.
        """
        return BasicTypeInfo.BIG_DEC_TYPE_INFO()

    @staticmethod
    def INSTANT() -> TypeInformation:
        """
        Returns type information for Instant. Supports a None value.
        """
        return BasicTypeInfo.INSTANT_TYPE_INFO()

    @staticmethod
    def SQL_DATE() -> TypeInformation:
        """
        Returns type information for Date. Supports a None value.
        """
        return SqlTimeTypeInfo.DATE()

    @staticmethod
    def SQL_TIME() -> TypeInformation:
        """
        Returns type information for Time. Supports a None value.
        """
        return SqlTimeTypeInfo.TIME()

    @staticmethod
    def SQL_TIMESTAMP() -> TypeInformation:
        """
        Returns type information for Timestamp. Supports a None value.
        """
        return SqlTimeTypeInfo.TIMESTAMP()

    @staticmethod
    def PICKLED_BYTE_ARRAY() -> TypeInformation:
        """
        Returns type information which uses pickle for serialization/deserialization.
        """
        return PickledBytesTypeInfo()

    @staticmethod
    def ROW(field_types: List[TypeInformation]):
        """
        Returns type information for Row with fields of the given types. A row itself must not be
        null.

        :param field_types: the types of the row fields, e.g., Types.String(), Types.INT()
        """
        return RowTypeInfo(field_types)

    @staticmethod
    def ROW_NAMED(field_names: List[str], field_types: List[TypeInformation]):
        """
        Returns type information for Row with fields of the given types and with given names. A row
        must not be null.

        :param field_names: array of field names.
        :param field_types: array of field types.
        """
        return RowTypeInfo(field_types, field_names)

    @staticmethod
    def TUPLE(field_types: List[TypeInformation]):
        """
        Returns type information for Tuple with fields of the given types. A Tuple itself must not
        be null.

        :param field_types: array of field types.
        """
        return TupleTypeInfo(field_types)

    @staticmethod
    def PRIMITIVE_ARRAY(element_type: TypeInformation):
        """
        Returns type information for arrays of primitive type (such as byte[]). The array must not
        be null.

        :param element_type: element type of the array (e.g. Types.BOOLEAN(), Types.INT(),
                             Types.DOUBLE())
        """
        return PrimitiveArrayTypeInfo(element_type)

    @staticmethod
    def BASIC_ARRAY(element_type: TypeInformation) -> TypeInformation:
        """
        Returns type information for arrays of boxed primitive type (such as Integer[]).

        :param element_type: element type of the array (e.g. Types.BOOLEAN(), Types.INT(),
                             Types.DOUBLE())
        """
        return BasicArrayTypeInfo(element_type)

    @staticmethod
    def OBJECT_ARRAY(element_type: TypeInformation) -> TypeInformation:
        """
        Returns type information for arrays of non-primitive types. The array itself must not be
        None. None values for elements are supported.

        :param element_type: element type of the array
        """
        return ObjectArrayTypeInfo(element_type)

    @staticmethod
    def MAP(key_type_info: TypeInformation, value_type_info: TypeInformation) -> TypeInformation:
        """
        Special TypeInformation used by MapStateDescriptor

        :param key_type_info: Element type of key (e.g. Types.BOOLEAN(), Types.INT(),
                              Types.DOUBLE())
        :param value_type_info: Element type of value (e.g. Types.BOOLEAN(), Types.INT(),
                                Types.DOUBLE())
        """
        return MapTypeInfo(key_type_info, value_type_info)

    @staticmethod
    def LIST(element_type_info: TypeInformation) -> TypeInformation:
        """
        A TypeInformation for the list type.

        :param element_type_info: The type of the elements in the list
        """
        return ListTypeInfo(element_type_info)


_BASIC_BY_PLAN_NAME = {basic.name: basic for basic in BasicType}


def _from_plan_type(plan_type: Dict[str, Any]) -> TypeInformation:
    """The TypeInformation of a plan ``Type`` map (the inverse of ``to_plan_type``)."""
    try:
        name = plan_type["t"]
    except (TypeError, KeyError):
        raise ValueError("Not a plan type (a map with key 't'): %r" % (plan_type,)) from None
    if name in _BASIC_BY_PLAN_NAME:
        basic = _BASIC_BY_PLAN_NAME[name]
        return InstantTypeInfo(basic) if basic == BasicType.INSTANT else BasicTypeInfo(basic)
    simple = {'SQL_DATE': DateTypeInfo, 'SQL_TIME': TimeTypeInfo,
              'SQL_TIMESTAMP': TimestampTypeInfo, 'PICKLED': PickledBytesTypeInfo}
    if name in simple:
        return simple[name]()
    if name == 'TUPLE':
        return TupleTypeInfo([_from_plan_type(f) for f in plan_type["fields"]])
    if name == 'ROW':
        return RowTypeInfo([_from_plan_type(f) for f in plan_type["fields"]],
                           list(plan_type["names"]) if plan_type.get("names") else None)
    if name == 'LIST':
        return ListTypeInfo(_from_plan_type(plan_type["elem"]))
    arrays = {'PRIMITIVE_ARRAY': PrimitiveArrayTypeInfo, 'BASIC_ARRAY': BasicArrayTypeInfo,
              'OBJECT_ARRAY': ObjectArrayTypeInfo}
    if name in arrays:
        return arrays[name](_from_plan_type(plan_type["elem"]))
    if name == 'MAP':
        return MapTypeInfo(_from_plan_type(plan_type["key"]), _from_plan_type(plan_type["value"]))
    raise ValueError("Unknown plan type %r" % (name,))
