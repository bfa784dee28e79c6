"""The reduce functions behind KeyedStream.sum/min/max/min_by/max_by.

They behave as PyFlink's: a tuple input gives a new tuple, a list or Row input is
changed in place (the first value is updated and returned), a scalar input may only
use position 0, and string positions name Row fields. ``min``/``max`` change only the
chosen field and keep the other fields of the first value; ``min_by``/``max_by`` return
a whole value and keep the first one on ties.

This module is imported by the Python workers when they unpickle these functions, so
it must stay importable on its own.
"""

from enum import Enum
from typing import Union

from pyflink_go.datastream.functions import ReduceFunction

__all__ = ['AccumulateType', 'AccumulateReduceFunction']


class AccumulateType(Enum):
    """Which aggregation a KeyedStream accumulate call performs."""
    MIN = 1
    MAX = 2
    MIN_BY = 3
    MAX_BY = 4
    SUM = 5


def _is_row(value) -> bool:
    from pyflink_go.common.types import Row
    return isinstance(value, Row)


def _by_reducer(pos, pick_second, composite: bool):
    if composite:
        return lambda v1, v2: v2 if pick_second(v2[pos], v1[pos]) else v1
    return lambda v1, v2: v2 if pick_second(v2, v1) else v1


def _field_update(acc_type: AccumulateType, a, b):
    if acc_type is AccumulateType.MIN:
        return b if b < a else a
    if acc_type is AccumulateType.MAX:
        return b if b > a else a
    return a + b


class AccumulateReduceFunction(ReduceFunction):
    """
    Reduces two values by aggregating the field at ``position`` (an index, or a Row field name).
    The concrete behaviour is chosen from the first value the function sees.
    """

    def __init__(self, position: Union[int, str], acc_type: AccumulateType):
        self._pos = position
        self._acc_type = acc_type
        self._reduce_func = None

    def _choose(self, value_to_check):
        pos, acc_type = self._pos, self._acc_type
        composite = isinstance(value_to_check, (tuple, list)) or _is_row(value_to_check)
        if acc_type is AccumulateType.MIN_BY:
            return _by_reducer(pos, lambda b, a: b < a, composite)
        if acc_type is AccumulateType.MAX_BY:
            return _by_reducer(pos, lambda b, a: b > a, composite)
        if isinstance(value_to_check, tuple):
            def reduce_tuple(v1, v2):
                fields = list(v1)
                fields[pos] = _field_update(acc_type, v1[pos], v2[pos])
                return tuple(fields)
            return reduce_tuple
        if composite:
            def reduce_in_place(v1, v2):
                v1[pos] = _field_update(acc_type, v1[pos], v2[pos])
                return v1
            return reduce_in_place
        if pos != 0:
            raise TypeError(
                "The %s field selected on a basic type. A field expression on a basic type can "
                "only select the 0th field (which means selecting the entire basic type)." % pos)
        return lambda v1, v2: _field_update(acc_type, v1, v2)

    def reduce(self, value1, value2):
        if self._reduce_func is None:
            self._reduce_func = self._choose(value2)
        return self._reduce_func(value1, value2)

    def __getstate__(self):
        # The chosen closure is rebuilt on first use; it is not sent to workers.
        return {'_pos': self._pos, '_acc_type': self._acc_type, '_reduce_func': None}
