"""The map function behind DataStream.project: keep the given tuple fields, in the given order.

Imported by the Python workers when they unpickle it, so it stays importable on its own.
"""

from typing import Tuple

from pyflink_go.datastream.functions import MapFunction

__all__ = ['Projection']


class Projection(MapFunction):
    """Maps a tuple to the tuple of its fields at ``field_indexes``."""

    def __init__(self, field_indexes: Tuple[int, ...]):
        self._field_indexes = tuple(field_indexes)

    def map(self, value):
        return tuple(value[i] for i in self._field_indexes)
