"""WatermarkStrategy and TimestampAssigner, as in ``pyflink.common.watermark_strategy``.

A strategy is a description: which watermark generator, which timestamp assigner,
idleness and alignment. Sources and streams keep it in their plan node params so
event time can use it.
"""

import abc
from typing import Any, Dict, Optional

from pyflink_go.common.time import Duration, Time

__all__ = ['WatermarkStrategy', 'TimestampAssigner', 'AssignerWithPeriodicWatermarksWrapper']


class WatermarkStrategy(object):
    """
    The WatermarkStrategy defines how to generate Watermarks in the stream sources. The
    WatermarkStrategy is a builder/factory for the WatermarkGenerator that generates the watermarks
    and the TimestampAssigner which assigns the internal timestamp of a record.

    The convenience methods, for example for_bounded_out_of_orderness(Duration), create a
    WatermarkStrategy for common built in strategies.
    """

    def __init__(self, kind: str = "no_watermarks",
                 max_out_of_orderness: Optional[Duration] = None):
        self._kind = kind
        self._max_out_of_orderness = max_out_of_orderness
        self._timestamp_assigner = None
        self._idle_timeout = None  # type: Optional[Duration]
        self._alignment = None  # type: Optional[Dict[str, Any]]

    def _copy(self) -> 'WatermarkStrategy':
        other = WatermarkStrategy(self._kind, self._max_out_of_orderness)
        other._timestamp_assigner = self._timestamp_assigner
        other._idle_timeout = self._idle_timeout
        other._alignment = self._alignment
        return other

    def with_timestamp_assigner(self, timestamp_assigner: 'TimestampAssigner') -> \
            'WatermarkStrategy':
        """
        Uses the given TimestampAssigner to extract the event timestamp of each record.
        Like PyFlink, this sets the assigner on this strategy and returns it.

        Example:
        ::

            >>> watermark_strategy = WatermarkStrategy.for_monotonous_timestamps() \\
            >>>     .with_timestamp_assigner(MyTimestampAssigner())

        :param timestamp_assigner: The given TimestampAssigner.
        :return: This WaterMarkStrategy, now with a TimestampAssigner.
        """
        self._timestamp_assigner = timestamp_assigner
        return self

    def with_idleness(self, idle_timeout: Duration) -> 'WatermarkStrategy':
        """
        Creates a new enriched WatermarkStrategy that also does idleness detection in the created
        WatermarkGenerator.

        Example:
        ::

            >>> WatermarkStrategy \\
            ...     .for_bounded_out_of_orderness(Duration.of_seconds(20)) \\
            ...     .with_idleness(Duration.of_minutes(1))

        :param idle_timeout: The idle timeout.
        :return: A new WatermarkStrategy with idle detection configured.
        """
        _check_duration(idle_timeout, "idle_timeout")
        if idle_timeout.to_milliseconds() <= 0:
            raise ValueError("idleTimeout must be greater than zero")
        other = self._copy()
        other._idle_timeout = idle_timeout
        return other

    def with_watermark_alignment(self, watermark_group: str, max_allowed_watermark_drift: Duration,
                                 update_interval: Optional[Duration] = None) -> 'WatermarkStrategy':
        """
        Creates a new :class:`WatermarkStrategy` that configures the maximum watermark drift from
        other sources/tasks/partitions in the same watermark group.

        :param watermark_group: A group of sources to align watermarks
        :param max_allowed_watermark_drift: Maximal drift, before we pause consuming from the
            source/task/partition
        :param update_interval: How often tasks should notify coordinator about the current
            watermark and how often the coordinator should announce the maximal aligned watermark.
            If is None, default update interval (1000ms) is used.
        :return: A new WatermarkStrategy with watermark alignment configured.
        """
        other = self._copy()
        other._alignment = {
            "group": watermark_group,
            "max_drift": max_allowed_watermark_drift,
            "update_interval": update_interval if update_interval is not None
            else Duration.of_millis(1000),
        }
        return other

    @staticmethod
    def for_monotonous_timestamps() -> 'WatermarkStrategy':
        """
        Creates a watermark strategy for situations with monotonously ascending timestamps.

        The watermarks are generated periodically and tightly follow the latest timestamp in the
        data. The delay introduced by this strategy is mainly the periodic interval in which the
        watermarks are generated.
        """
        return WatermarkStrategy("monotonous")

    @staticmethod
    def for_bounded_out_of_orderness(max_out_of_orderness: Duration) -> 'WatermarkStrategy':
        """
        Creates a watermark strategy for situations where records are out of order, but you can
        place an upper bound on how far the events are out of order. An out-of-order bound B means
        that once the an event with timestamp T was encountered, no events older than (T - B) will
        follow any more.
        """
        _check_duration(max_out_of_orderness, "max_out_of_orderness")
        if max_out_of_orderness.to_milliseconds() < 0:
            raise ValueError("maxOutOfOrderness cannot be negative")
        return WatermarkStrategy("bounded_out_of_orderness", max_out_of_orderness)

    @staticmethod
    def no_watermarks() -> 'WatermarkStrategy':
        """
        Creates a watermark strategy that generates no watermarks at all. This may be useful in
        scenarios that do pure processing-time based stream processing.
        """
        return WatermarkStrategy("no_watermarks")

    def _plan_params(self) -> Dict[str, Any]:
        """The strategy as a plan params entry (the timestamp assigner travels separately,
        pickled, as the node's ``timestamp_assigner`` param)."""
        params = {"kind": self._kind}  # type: Dict[str, Any]
        if self._max_out_of_orderness is not None:
            params["max_out_of_orderness_ms"] = self._max_out_of_orderness.to_milliseconds()
        if self._idle_timeout is not None:
            params["idle_timeout_ms"] = self._idle_timeout.to_milliseconds()
        if self._alignment is not None:
            params["alignment"] = {
                "group": self._alignment["group"],
                "max_drift_ms": self._alignment["max_drift"].to_milliseconds(),
                "update_interval_ms": self._alignment["update_interval"].to_milliseconds(),
            }
        params["has_timestamp_assigner"] = self._timestamp_assigner is not None
        return params

    def _watermarks_params(self) -> Dict[str, Any]:
        """The strategy as the ``strategy`` param of a ``watermarks`` plan node."""
        return {
            "kind": _PLAN_KINDS[self._kind],
            "max_out_of_orderness_ms": self._max_out_of_orderness.to_milliseconds()
            if self._max_out_of_orderness is not None else 0,
            "idle_timeout_ms": self._idle_timeout.to_milliseconds()
            if self._idle_timeout is not None else 0,
        }

    def __repr__(self):
        return "WatermarkStrategy(%s)" % self._kind


def _check_duration(value: Any, what: str) -> None:
    if not isinstance(value, (Duration, Time)):
        raise TypeError("%s must be a Duration, got %s" % (what, type(value).__name__))


# Strategy kinds as the watermarks plan node spells them.
_PLAN_KINDS = {"monotonous": "monotonous", "bounded_out_of_orderness": "bounded",
               "no_watermarks": "none"}


class TimestampAssigner(abc.ABC):
    """
    A TimestampAssigner assigns event time timestamps to elements. These timestamps are used by all
    functions that operate on event time, for example event time windows.

    Timestamps can be an arbitrary int value, but all built-in implementations represent it as the
    milliseconds since the Epoch (midnight, January 1, 1970 UTC), the same way as time.time() does
    it.
    """

    @abc.abstractmethod
    def extract_timestamp(self, value: Any, record_timestamp: int) -> int:
        """
        Assigns a timestamp to an element, in milliseconds since the Epoch. This is independent of
        any particular time zone or calendar.

        :param value: The element that the timestamp will be assigned to.
        :param record_timestamp: The current internal timestamp of the element, or a negative value,
                                 if no timestamp has been assigned yet.
        :return: The new timestamp.
        """
        pass


class AssignerWithPeriodicWatermarksWrapper(object):
    """
    Wrapper of a legacy periodic-watermark assigner. Kept for API compatibility.
    """

    def __init__(self, j_assigner_with_periodic_watermarks=None):
        self._j_assigner_with_periodic_watermarks = j_assigner_with_periodic_watermarks
