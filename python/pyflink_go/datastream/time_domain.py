"""TimeDomain: whether a firing timer is based on event time or processing time."""

from enum import Enum

__all__ = ['TimeDomain']


class TimeDomain(Enum):
    """
    TimeDomain specifies whether a firing timer is based on event time or processing time.

    EVENT_TIME: Time is based on timestamp of events.
    PROCESSING_TIME: Time is based on the current processing-time of a machine where processing
    happens.
    """

    EVENT_TIME = 0
    PROCESSING_TIME = 1
