"""TimeCharacteristic: the legacy switch between processing, ingestion and event time."""

from enum import Enum

__all__ = ['TimeCharacteristic']


class TimeCharacteristic(Enum):
    """
    The time characteristic defines how the system determines time for time-dependent
    order and operations that depend on time (such as time windows).

    :data:`ProcessingTime`: operators use the system clock of the machine.
    :data:`IngestionTime`: the time a record enters the dataflow at the source.
    :data:`EventTime`: the timestamp each record carries (the default).
    """

    ProcessingTime = 0
    IngestionTime = 1
    EventTime = 2
