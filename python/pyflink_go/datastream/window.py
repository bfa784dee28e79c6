"""Windows, window assigners and triggers, as in ``pyflink.datastream.window``.

The built-in assigners and triggers behave as PyFlink's (their Python methods follow the same
rules), but a job does not call them: a windowed stream describes them to the engine as plan data
(``_plan_data()``), and the engine assigns windows, merges sessions, runs triggers and timers
natively. Only the window function and, for dynamic session gaps, the gap extractor run in
Python.
"""

import math
import struct
from abc import ABC, abstractmethod
from enum import Enum
from io import BytesIO
from typing import Any, Collection, Dict, Generic, Iterable, TypeVar

from pyflink_go.common.serializer import TypeSerializer
from pyflink_go.common.typeinfo import Types
from pyflink_go.datastream._transformation import PickledParam
from pyflink_go.datastream.functions import ReduceFunction
from pyflink_go.datastream.state import ReducingStateDescriptor, ValueStateDescriptor

__all__ = ['Window',
           'TimeWindow',
           'CountWindow',
           'GlobalWindow',
           'TumblingProcessingTimeWindows',
           'TumblingEventTimeWindows',
           'SlidingProcessingTimeWindows',
           'SlidingEventTimeWindows',
           'ProcessingTimeSessionWindows',
           'EventTimeSessionWindows',
           'DynamicProcessingTimeSessionWindows',
           'DynamicEventTimeSessionWindows',
           'WindowAssigner',
           'MergingWindowAssigner',
           'CountTumblingWindowAssigner',
           'CountSlidingWindowAssigner',
           'TriggerResult',
           'Trigger',
           'EventTimeTrigger',
           'ProcessingTimeTrigger',
           'ContinuousEventTimeTrigger',
           'ContinuousProcessingTimeTrigger',
           'NeverTrigger',
           'PurgingTrigger',
           'CountTrigger',
           'TimeWindowSerializer',
           'CountWindowSerializer',
           'SessionWindowTimeGapExtractor',
           'GlobalWindows']

MAX_LONG_VALUE = 0x7fffffffffffffff
MIN_LONG_VALUE = -MAX_LONG_VALUE - 1


def _milliseconds(value: Any, what: str) -> int:
    """The length of a Time or Duration argument in milliseconds."""
    to_milliseconds = getattr(value, 'to_milliseconds', None)
    if to_milliseconds is None or isinstance(value, type):
        raise TypeError("%s must be a Time or Duration, got %s" % (what, type(value).__name__))
    return int(to_milliseconds())


T = TypeVar('T')
W = TypeVar('W')
W2 = TypeVar('W2')


class Window(ABC):
    """
    Window is a grouping of elements into finite buckets. Windows have a maximum timestamp
    which means that, at some point, all elements that go into one window will have arrived.
    """

    @abstractmethod
    def max_timestamp(self) -> int:
        """The largest timestamp that still belongs to this window."""
        pass


class TimeWindow(Window):
    """
    Window that represents a time interval from start (inclusive) to end (exclusive).
    """

    def __init__(self, start: int, end: int):
        super(TimeWindow, self).__init__()
        self.start = start
        self.end = end

    def max_timestamp(self) -> int:
        return self.end - 1

    def intersects(self, other: 'TimeWindow') -> bool:
        """
        Returns True if this window intersects the given window (touching windows intersect).
        """
        return self.start <= other.end and self.end >= other.start

    def cover(self, other: 'TimeWindow') -> 'TimeWindow':
        """
        Returns the minimal window covers both this window and the given window.
        """
        return TimeWindow(min(self.start, other.start), max(self.end, other.end))

    @staticmethod
    def get_window_start_with_offset(timestamp: int, offset: int, window_size: int):
        """
        Method to get the window start for a timestamp.

        :param timestamp: epoch millisecond to get the window start.
        :param offset: The offset which window start would be shifted by.
        :param window_size: The size of the generated windows.
        :return: window start
        """
        return timestamp - (timestamp - offset + window_size) % window_size

    @staticmethod
    def merge_windows(windows: Iterable['TimeWindow'],
                      callback: 'MergingWindowAssigner.MergeCallback[TimeWindow]') -> None:
        """
        Merges the windows that intersect (touching windows intersect): for every group of more
        than one window, calls ``callback.merge(group, covering_window)``.
        """
        group = set()  # type: set
        cover = None
        for window in sorted(windows):
            if cover is not None and cover.intersects(window):
                cover = cover.cover(window)
                group.add(window)
                continue
            if len(group) > 1:
                callback.merge(group, cover)
            cover, group = window, {window}
        if len(group) > 1:
            callback.merge(group, cover)

    def __hash__(self):
        return hash((self.start, self.end))

    def __eq__(self, other):
        return self.__class__ == other.__class__ and self.end == other.end \
            and self.start == other.start

    def __lt__(self, other: 'TimeWindow'):
        if not isinstance(other, TimeWindow):
            raise Exception("Does not support comparison with non-TimeWindow %s" % other)
        return self.start == other.start and self.end < other.end or self.start < other.start

    def __le__(self, other: 'TimeWindow'):
        return self.__eq__(other) or self.__lt__(other)

    def __repr__(self):
        return "TimeWindow(start={}, end={})".format(self.start, self.end)


class CountWindow(Window):
    """
    A Window that represents a count window. For each count window, we will assign a unique
    id. Thus this CountWindow can act as namespace part in state.
    """

    def __init__(self, id: int):
        super(CountWindow, self).__init__()
        self.id = id

    def max_timestamp(self) -> int:
        return MAX_LONG_VALUE

    def __hash__(self):
        return hash(('CountWindow', self.id))

    def __eq__(self, other):
        return self.__class__ == other.__class__ and self.id == other.id

    def __repr__(self):
        return "CountWindow(id={})".format(self.id)


class GlobalWindow(Window):
    """
    The default window into which all data is placed GlobalWindows.
    """

    @staticmethod
    def get() -> 'GlobalWindow':
        """The global window."""
        return GlobalWindow()

    def max_timestamp(self) -> int:
        return MAX_LONG_VALUE

    def __eq__(self, other):
        return self.__class__ == other.__class__

    def __hash__(self):
        return 0

    def __repr__(self):
        return "GlobalWindow"


class TriggerResult(Enum):
    """
    Result type for trigger methods. This determines what happens with the window, for example
    whether the window function should be called, or the window should be discarded.

      - CONTINUE: No action is taken on the window.
      - FIRE_AND_PURGE: Evaluates the window function and emits the 'window result'.
      - FIRE: On FIRE, the window is evaluated and results are emitted. The window is not purged
              though, all elements are retained.
      - PURGE: All elements in the window are cleared and the window is discarded, without
               evaluating the window function or emitting any elements.
    """

    CONTINUE = (False, False)
    FIRE_AND_PURGE = (True, True)
    FIRE = (True, False)
    PURGE = (False, True)

    def is_fire(self) -> bool:
        """Whether the window function is evaluated."""
        return self.value[0]

    def is_purge(self) -> bool:
        """Whether the window contents are discarded."""
        return self.value[1]


class Trigger(ABC, Generic[T, W]):
    """
    A Trigger determines when a pane of a window should be evaluated to emit the results for that
    part of the window.
    """

    class TriggerContext(ABC):
        """
        A context object that is given to Trigger methods to allow them to register timer
        callbacks and deal with state.
        """

        @abstractmethod
        def get_current_processing_time(self) -> int:
            """The current processing time."""
            pass

        def get_metric_group(self):
            """
            The metric group for this trigger: the same one the runtime context of a user
            function gives.
            """
            raise NotImplementedError("get_metric_group")

        @abstractmethod
        def get_current_watermark(self) -> int:
            """The current watermark time."""
            pass

        @abstractmethod
        def register_processing_time_timer(self, time: int) -> None:
            """Register a system time callback."""
            pass

        @abstractmethod
        def register_event_time_timer(self, time: int) -> None:
            """Register an event-time callback."""
            pass

        @abstractmethod
        def delete_processing_time_timer(self, time: int) -> None:
            """Delete the processing time trigger for the given time."""
            pass

        @abstractmethod
        def delete_event_time_timer(self, time: int) -> None:
            """Delete the event-time trigger for the given time."""
            pass

        @abstractmethod
        def get_partitioned_state(self, state_descriptor):
            """Retrieves a State object that can be used to interact with fault-tolerant state
            that is scoped to the window and key of the current trigger invocation."""
            pass

    class OnMergeContext(TriggerContext):
        """
        Extension of TriggerContext that is given to :func:`~Trigger.on_merge`.
        """

        @abstractmethod
        def merge_partitioned_state(self, state_descriptor) -> None:
            """Merges the state of the merged windows into the result window."""
            pass

    @abstractmethod
    def on_element(self, element: T, timestamp: int, window: W,
                   ctx: 'Trigger.TriggerContext') -> TriggerResult:
        """
        Called for every element that gets added to a pane.
        """
        pass

    @abstractmethod
    def on_processing_time(self, time: int, window: W,
                           ctx: 'Trigger.TriggerContext') -> TriggerResult:
        """
        Called when a processing-time timer that was set using the trigger context fires.
        """
        pass

    @abstractmethod
    def on_event_time(self, time: int, window: W, ctx: 'Trigger.TriggerContext') -> TriggerResult:
        """
        Called when an event-time timer that was set using the trigger context fires.
        """
        pass

    def can_merge(self) -> bool:
        """
        Returns True if this trigger supports merging of trigger state and can therefore be used
        with a MergingWindowAssigner.
        """
        return False

    @abstractmethod
    def on_merge(self, window: W, ctx: 'Trigger.OnMergeContext') -> None:
        """
        Called when several windows have been merged into one window by the WindowAssigner.
        """
        pass

    @abstractmethod
    def clear(self, window: W, ctx: 'Trigger.TriggerContext') -> None:
        """
        Clears any state that the trigger might still hold for the given window.
        """
        pass


class WindowAssigner(ABC, Generic[T, W]):
    """
    A WindowAssigner assigns zero or more Windows to an element.
    """

    class WindowAssignerContext(ABC):
        """
        A context provided to the :class:`WindowAssigner` that allows it to query the current
        processing time.
        """

        @abstractmethod
        def get_current_processing_time(self) -> int:
            """The current processing time."""
            pass

        @abstractmethod
        def get_runtime_context(self):
            """The current runtime context."""
            pass

    @abstractmethod
    def assign_windows(self, element: T, timestamp: int,
                       context: 'WindowAssigner.WindowAssignerContext') -> Collection[W]:
        """
        Returns a Collection of windows that should be assigned to the element.
        """
        pass

    @abstractmethod
    def get_default_trigger(self, env) -> Trigger[T, W]:
        """
        Returns the default trigger associated with this WindowAssigner.
        """
        pass

    @abstractmethod
    def get_window_serializer(self):
        """
        Returns a TypeSerializer for serializing windows that are assigned by this WindowAssigner.
        """
        pass

    @abstractmethod
    def is_event_time(self) -> bool:
        """
        Returns True if elements are assigned to windows based on event time, False based on
        processing time.
        """
        pass


class MergingWindowAssigner(WindowAssigner[T, W]):
    """
    A WindowAssigner that can merge windows.
    """

    class MergeCallback(ABC, Generic[W2]):
        """
        Callback to be used in :func:`~MergingWindowAssigner.merge_windows` for specifying which
        windows should be merged.
        """

        @abstractmethod
        def merge(self, to_be_merged: Iterable[W2], merge_result: W2) -> None:
            """
            Specifies that the given windows should be merged into the result window.
            """
            pass

    @abstractmethod
    def merge_windows(self, windows: Iterable[W],
                      callback: 'MergingWindowAssigner.MergeCallback[W]') -> None:
        """
        Determines which windows (if any) should be merged.
        """
        pass


class SessionWindowTimeGapExtractor(ABC):
    """
    A SessionWindowTimeGapExtractor extracts session time gaps for Dynamic Session Window
    Assigners.
    """

    @abstractmethod
    def extract(self, element) -> int:
        """
        Extracts the session time gap.

        :param element: The input element.
        :return: The session time gap in milliseconds.
        """
        pass


# ---- window serializers ----

class TimeWindowSerializer(TypeSerializer[TimeWindow]):
    """
    Writes a TimeWindow as its start and end, two big-endian 64-bit integers.
    """

    _FORMAT = struct.Struct('>qq')

    def serialize(self, element: TimeWindow, stream: BytesIO) -> None:
        stream.write(self._FORMAT.pack(element.start, element.end))

    def deserialize(self, stream: BytesIO) -> TimeWindow:
        start, end = self._FORMAT.unpack(stream.read(self._FORMAT.size))
        return TimeWindow(start, end)


class CountWindowSerializer(TypeSerializer[CountWindow]):
    """
    Writes a CountWindow as its id, a big-endian 64-bit integer.
    """

    _FORMAT = struct.Struct('>q')

    def serialize(self, element: CountWindow, stream: BytesIO) -> None:
        stream.write(self._FORMAT.pack(element.id))

    def deserialize(self, stream: BytesIO) -> CountWindow:
        return CountWindow(self._FORMAT.unpack(stream.read(self._FORMAT.size))[0])


class GlobalWindowSerializer(TypeSerializer[GlobalWindow]):
    """
    Writes the GlobalWindow as a single zero byte.
    """

    def serialize(self, element: GlobalWindow, stream: BytesIO) -> None:
        stream.write(b'\x00')

    def deserialize(self, stream: BytesIO) -> GlobalWindow:
        stream.read(1)
        return GlobalWindow.get()


# ---- triggers ----

class _Min(ReduceFunction):
    """Keeps the smaller of two values (the next fire time of the continuous triggers)."""

    def reduce(self, value1, value2):
        return min(value1, value2)


class _Sum(ReduceFunction):
    """Adds two values (the element count of CountTrigger)."""

    def reduce(self, value1, value2):
        return value1 + value2


class EventTimeTrigger(Trigger[T, TimeWindow]):
    """
    A Trigger that fires once the watermark passes the end of the window to which a pane belongs.
    """

    def on_element(self, element: T, timestamp: int, window: TimeWindow,
                   ctx: 'Trigger.TriggerContext') -> TriggerResult:
        if window.max_timestamp() <= ctx.get_current_watermark():
            # the watermark is already past the window: fire at once
            return TriggerResult.FIRE
        ctx.register_event_time_timer(window.max_timestamp())
        return TriggerResult.CONTINUE

    def on_processing_time(self, time: int, window: TimeWindow,
                           ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return TriggerResult.CONTINUE

    def on_event_time(self, time: int, window: TimeWindow,
                      ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return TriggerResult.FIRE if time == window.max_timestamp() else TriggerResult.CONTINUE

    def can_merge(self) -> bool:
        return True

    def on_merge(self, window: TimeWindow, ctx: 'Trigger.OnMergeContext') -> None:
        # only register a timer if the watermark is not yet past the end of the merged window
        if window.max_timestamp() > ctx.get_current_watermark():
            ctx.register_event_time_timer(window.max_timestamp())

    def clear(self, window: TimeWindow, ctx: 'Trigger.TriggerContext') -> None:
        ctx.delete_event_time_timer(window.max_timestamp())

    @staticmethod
    def create() -> 'EventTimeTrigger':
        """Creates an event-time trigger that fires once the watermark passes the window end."""
        return EventTimeTrigger()

    def _plan_data(self) -> Dict[str, Any]:
        return {"kind": "event_time"}

    def __repr__(self):
        return "EventTimeTrigger()"


class ContinuousEventTimeTrigger(Trigger[T, TimeWindow]):
    """
    A Trigger that continuously fires based on a given time interval. This fires based on
    Watermarks.
    """

    def __init__(self, interval: int):
        self.interval = interval
        self.state_desc = ReducingStateDescriptor("fire-time", _Min(), Types.LONG())

    @staticmethod
    def of(interval) -> 'ContinuousEventTimeTrigger':
        """
        Creates a trigger that continuously fires based on the given interval.

        :param interval: The time interval at which to fire (a Time or Duration).
        """
        return ContinuousEventTimeTrigger(_milliseconds(interval, "interval"))

    def on_element(self, element: T, timestamp: int, window: TimeWindow,
                   ctx: 'Trigger.TriggerContext') -> TriggerResult:
        if window.max_timestamp() <= ctx.get_current_watermark():
            return TriggerResult.FIRE
        ctx.register_event_time_timer(window.max_timestamp())
        fire_time = ctx.get_partitioned_state(self.state_desc)
        if fire_time.get() is None:
            self._register_next_fire_time(timestamp - timestamp % self.interval, window, ctx,
                                          fire_time)
        return TriggerResult.CONTINUE

    def on_processing_time(self, time: int, window: TimeWindow,
                           ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return TriggerResult.CONTINUE

    def on_event_time(self, time: int, window: TimeWindow,
                      ctx: 'Trigger.TriggerContext') -> TriggerResult:
        if time == window.max_timestamp():
            return TriggerResult.FIRE
        fire_time = ctx.get_partitioned_state(self.state_desc)
        if fire_time.get() == time:
            fire_time.clear()
            self._register_next_fire_time(time, window, ctx, fire_time)
            return TriggerResult.FIRE
        return TriggerResult.CONTINUE

    def can_merge(self) -> bool:
        return True

    def on_merge(self, window: TimeWindow, ctx: 'Trigger.OnMergeContext') -> None:
        ctx.merge_partitioned_state(self.state_desc)
        next_fire_time = ctx.get_partitioned_state(self.state_desc).get()
        if next_fire_time is not None:
            ctx.register_event_time_timer(next_fire_time)

    def clear(self, window: TimeWindow, ctx: 'Trigger.TriggerContext') -> None:
        fire_time = ctx.get_partitioned_state(self.state_desc)
        timestamp = fire_time.get()
        if timestamp is not None:
            ctx.delete_event_time_timer(timestamp)
            fire_time.clear()

    def _register_next_fire_time(self, time: int, window: TimeWindow,
                                 ctx: 'Trigger.TriggerContext', fire_time) -> None:
        next_fire_time = min(time + self.interval, window.max_timestamp())
        fire_time.add(next_fire_time)
        ctx.register_event_time_timer(next_fire_time)

    def _plan_data(self) -> Dict[str, Any]:
        return {"kind": "continuous_event_time", "interval": self.interval}

    def __repr__(self):
        return "ContinuousEventTimeTrigger(%s)" % self.interval


class ProcessingTimeTrigger(Trigger[T, TimeWindow]):
    """
    A Trigger that fires once the current system time passes the end of the window to which a
    pane belongs.
    """

    def on_element(self, element: T, timestamp: int, window: TimeWindow,
                   ctx: 'Trigger.TriggerContext') -> TriggerResult:
        ctx.register_processing_time_timer(window.max_timestamp())
        return TriggerResult.CONTINUE

    def on_processing_time(self, time: int, window: TimeWindow,
                           ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return TriggerResult.FIRE

    def on_event_time(self, time: int, window: TimeWindow,
                      ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return TriggerResult.CONTINUE

    def can_merge(self) -> bool:
        return True

    def on_merge(self, window: TimeWindow, ctx: 'Trigger.OnMergeContext') -> None:
        if window.max_timestamp() > ctx.get_current_processing_time():
            ctx.register_processing_time_timer(window.max_timestamp())

    def clear(self, window: TimeWindow, ctx: 'Trigger.TriggerContext') -> None:
        ctx.delete_processing_time_timer(window.max_timestamp())

    @staticmethod
    def create() -> 'ProcessingTimeTrigger':
        """Creates a trigger that fires once processing time passes the window end."""
        return ProcessingTimeTrigger()

    def _plan_data(self) -> Dict[str, Any]:
        return {"kind": "processing_time"}

    def __repr__(self):
        return "ProcessingTimeTrigger()"


class ContinuousProcessingTimeTrigger(Trigger[T, TimeWindow]):
    """
    A Trigger that continuously fires based on a given time interval as measured by the clock of
    the machine on which the job is running.
    """

    def __init__(self, interval: int):
        self.interval = interval
        self.state_desc = ReducingStateDescriptor("fire-time", _Min(), Types.LONG())

    @staticmethod
    def of(interval) -> 'ContinuousProcessingTimeTrigger':
        """
        Creates a trigger that continuously fires based on the given interval.

        :param interval: The time interval at which to fire (a Time or Duration).
        """
        return ContinuousProcessingTimeTrigger(_milliseconds(interval, "interval"))

    def on_element(self, element: T, timestamp: int, window: TimeWindow,
                   ctx: 'Trigger.TriggerContext') -> TriggerResult:
        fire_time = ctx.get_partitioned_state(self.state_desc)
        now = ctx.get_current_processing_time()
        if fire_time.get() is None:
            self._register_next_fire_time(now - now % self.interval, window, ctx, fire_time)
        return TriggerResult.CONTINUE

    def on_processing_time(self, time: int, window: TimeWindow,
                           ctx: 'Trigger.TriggerContext') -> TriggerResult:
        fire_time = ctx.get_partitioned_state(self.state_desc)
        if fire_time.get() == time:
            fire_time.clear()
            self._register_next_fire_time(time, window, ctx, fire_time)
            return TriggerResult.FIRE
        return TriggerResult.CONTINUE

    def on_event_time(self, time: int, window: TimeWindow,
                      ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return TriggerResult.CONTINUE

    def can_merge(self) -> bool:
        return True

    def on_merge(self, window: TimeWindow, ctx: 'Trigger.OnMergeContext') -> None:
        ctx.merge_partitioned_state(self.state_desc)
        next_fire_time = ctx.get_partitioned_state(self.state_desc).get()
        if next_fire_time is not None:
            ctx.register_processing_time_timer(next_fire_time)

    def clear(self, window: TimeWindow, ctx: 'Trigger.TriggerContext') -> None:
        fire_time = ctx.get_partitioned_state(self.state_desc)
        timestamp = fire_time.get()
        if timestamp is not None:
            ctx.delete_processing_time_timer(timestamp)
            fire_time.clear()

    def _register_next_fire_time(self, time: int, window: TimeWindow,
                                 ctx: 'Trigger.TriggerContext', fire_time) -> None:
        next_fire_time = min(time + self.interval, window.max_timestamp())
        fire_time.add(next_fire_time)
        ctx.register_processing_time_timer(next_fire_time)

    def _plan_data(self) -> Dict[str, Any]:
        return {"kind": "continuous_processing_time", "interval": self.interval}

    def __repr__(self):
        return "ContinuousProcessingTimeTrigger(%s)" % self.interval


class PurgingTrigger(Trigger[T, Window]):
    """
    A trigger that can turn any Trigger into a purging Trigger.
    When the nested trigger fires, this will return a FIRE_AND_PURGE TriggerResult.
    """

    def __init__(self, nested_trigger: Trigger[T, Window]):
        self.nested_trigger = nested_trigger

    @staticmethod
    def of(nested_trigger: Trigger[T, Window]) -> 'PurgingTrigger':
        """Creates a purging trigger around the given trigger."""
        return PurgingTrigger(nested_trigger)

    @staticmethod
    def _purging(result: TriggerResult) -> TriggerResult:
        return TriggerResult.FIRE_AND_PURGE if result.is_fire() else result

    def on_element(self, element: T, timestamp: int, window: Window,
                   ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return self._purging(self.nested_trigger.on_element(element, timestamp, window, ctx))

    def on_event_time(self, time: int, window: Window,
                      ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return self._purging(self.nested_trigger.on_event_time(time, window, ctx))

    def on_processing_time(self, time: int, window: Window,
                           ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return self._purging(self.nested_trigger.on_processing_time(time, window, ctx))

    def clear(self, window: Window, ctx: 'Trigger.TriggerContext') -> None:
        self.nested_trigger.clear(window, ctx)

    def can_merge(self) -> bool:
        return self.nested_trigger.can_merge()

    def on_merge(self, window: Window, ctx: 'Trigger.OnMergeContext') -> None:
        self.nested_trigger.on_merge(window, ctx)

    def _plan_data(self) -> Dict[str, Any]:
        return {"kind": "purging", "nested": trigger_plan_data(self.nested_trigger)}

    def __repr__(self):
        return "PurgingTrigger(%r)" % (self.nested_trigger,)


class CountTrigger(Trigger[T, CountWindow]):
    """
    A Trigger that fires once the count of elements in a pane reaches the given count.
    """

    def __init__(self, window_size: int):
        self._window_size = window_size
        self._count_state_descriptor = ReducingStateDescriptor("count", _Sum(), Types.LONG())

    @staticmethod
    def of(window_size: int) -> 'CountTrigger':
        """
        Creates a trigger that fires once the number of elements in a pane reaches the given
        count.

        :param window_size: The count of elements at which to fire.
        """
        return CountTrigger(window_size)

    def on_element(self, element: T, timestamp: int, window: CountWindow,
                   ctx: 'Trigger.TriggerContext') -> TriggerResult:
        count = ctx.get_partitioned_state(self._count_state_descriptor)
        count.add(1)
        if count.get() >= self._window_size:
            count.clear()
            return TriggerResult.FIRE
        return TriggerResult.CONTINUE

    def on_processing_time(self, time: int, window: CountWindow,
                           ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return TriggerResult.CONTINUE

    def on_event_time(self, time: int, window: CountWindow,
                      ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return TriggerResult.CONTINUE

    def can_merge(self) -> bool:
        return True

    def on_merge(self, window: CountWindow, ctx: 'Trigger.OnMergeContext') -> None:
        ctx.merge_partitioned_state(self._count_state_descriptor)

    def clear(self, window: CountWindow, ctx: 'Trigger.TriggerContext') -> None:
        ctx.get_partitioned_state(self._count_state_descriptor).clear()

    def _plan_data(self) -> Dict[str, Any]:
        return {"kind": "count", "count": self._window_size}

    def __repr__(self):
        return "CountTrigger(%s)" % self._window_size


class NeverTrigger(Trigger[T, GlobalWindow]):
    """
    A trigger that never fires, as default Trigger for GlobalWindows.
    """

    def on_element(self, element: T, timestamp: int, window: GlobalWindow,
                   ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return TriggerResult.CONTINUE

    def on_processing_time(self, time: int, window: GlobalWindow,
                           ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return TriggerResult.CONTINUE

    def on_event_time(self, time: int, window: GlobalWindow,
                      ctx: 'Trigger.TriggerContext') -> TriggerResult:
        return TriggerResult.CONTINUE

    def on_merge(self, window: GlobalWindow, ctx: 'Trigger.OnMergeContext') -> None:
        pass

    def clear(self, window: GlobalWindow, ctx: 'Trigger.TriggerContext') -> None:
        pass

    def _plan_data(self) -> Dict[str, Any]:
        return {"kind": "never"}

    def __repr__(self):
        return "NeverTrigger()"


_BUILT_IN_TRIGGERS = (EventTimeTrigger, ProcessingTimeTrigger, ContinuousEventTimeTrigger,
                      ContinuousProcessingTimeTrigger, PurgingTrigger, CountTrigger, NeverTrigger)


def is_built_in_trigger(trigger: Trigger) -> bool:
    """Whether the engine runs this trigger natively (a built-in trigger, also when nested in a
    PurgingTrigger); a user-defined Trigger subclass runs in the Python worker of the window
    function instead, which the engine calls for its decisions (udf/SPEC.md, window)."""
    if type(trigger) not in _BUILT_IN_TRIGGERS:
        return False
    if isinstance(trigger, PurgingTrigger):
        return is_built_in_trigger(trigger.nested_trigger)
    return True


def trigger_plan_data(trigger: Trigger) -> Dict[str, Any]:
    """The trigger as plan data: ``{"kind": ..., ...}``; ``{"kind": "python", "trigger": <the
    pickled trigger>}`` for a user-defined Trigger (a window node does not put such a trigger
    in its plan: its window function carries it to the worker)."""
    if type(trigger) in _BUILT_IN_TRIGGERS:
        return trigger._plan_data()  # type: ignore
    return {"kind": "python", "trigger": PickledParam(trigger)}


# ---- window assigners ----

def _assigner_plan(kind: str, time: str, size: int = 0, slide: int = 0, offset: int = 0,
                   gap: int = 0) -> Dict[str, Any]:
    return {"kind": kind, "time": time, "size": size, "slide": slide, "offset": offset,
            "gap": gap}


class CountTumblingWindowAssigner(WindowAssigner[T, CountWindow]):
    """
    A WindowAssigner that windows elements into fixed-size windows based on the count number
    of the elements. Windows cannot overlap.
    """

    def __init__(self, window_size: int):
        """
        :param window_size: The size of the windows in number of elements.
        """
        if not isinstance(window_size, int) or isinstance(window_size, bool):
            raise TypeError("The window size must be an int, got %s"
                            % type(window_size).__name__)
        if window_size <= 0:
            raise ValueError("CountTumblingWindowAssigner parameters must satisfy 0 < size")
        self._window_size = window_size
        self._count_descriptor = ValueStateDescriptor('tumble-count-assigner', Types.LONG())

    @staticmethod
    def of(window_size: int) -> 'CountTumblingWindowAssigner':
        """Creates a CountTumblingWindowAssigner of windows of ``window_size`` elements."""
        return CountTumblingWindowAssigner(window_size)

    def assign_windows(self, element: T, timestamp: int,
                       context: 'WindowAssigner.WindowAssignerContext') -> Collection[CountWindow]:
        count = context.get_runtime_context().get_state(self._count_descriptor)
        seen = count.value() or 0
        count.update(seen + 1)
        return [CountWindow(seen // self._window_size)]

    def get_default_trigger(self, env) -> Trigger[T, CountWindow]:
        return CountTrigger(self._window_size)

    def get_window_serializer(self) -> TypeSerializer[CountWindow]:
        return CountWindowSerializer()

    def is_event_time(self) -> bool:
        return False

    def _plan_data(self) -> Dict[str, Any]:
        return _assigner_plan("count", "processing", size=self._window_size,
                              slide=self._window_size)

    def __repr__(self) -> str:
        return "CountTumblingWindowAssigner(%s)" % self._window_size


class CountSlidingWindowAssigner(WindowAssigner[T, CountWindow]):
    """
    A WindowAssigner that windows elements into sliding windows based on the count number of
    the elements. Windows can possibly overlap.
    """

    def __init__(self, window_size: int, window_slide: int):
        """
        :param window_size: The size of the windows in number of elements.
        :param window_slide: The slide interval in number of elements.
        """
        for name, value in (("window size", window_size), ("window slide", window_slide)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError("The %s must be an int, got %s" % (name, type(value).__name__))
        if window_size <= 0 or window_slide <= 0:
            raise ValueError("CountSlidingWindowAssigner parameters must satisfy 0 < size and "
                             "0 < slide")
        self._window_size = window_size
        self._window_slide = window_slide
        self._count_descriptor = ValueStateDescriptor('slide-count-assigner', Types.LONG())

    @staticmethod
    def of(window_size: int, window_slide: int) -> 'CountSlidingWindowAssigner':
        """Creates a CountSlidingWindowAssigner of windows of ``window_size`` elements that
        start every ``window_slide`` elements."""
        return CountSlidingWindowAssigner(window_size, window_slide)

    def assign_windows(self, element: T, timestamp: int,
                       context: 'WindowAssigner.WindowAssignerContext') -> Collection[CountWindow]:
        count = context.get_runtime_context().get_state(self._count_descriptor)
        seen = count.value() or 0
        count.update(seen + 1)
        # the element numbered `seen` belongs to every window whose span
        # [id * slide, id * slide + size - 1] contains it, latest first
        windows = []
        window_id = seen // self._window_slide
        while window_id >= 0 and window_id * self._window_slide + self._window_size - 1 >= seen:
            windows.append(CountWindow(window_id))
            window_id -= 1
        return windows

    def get_default_trigger(self, env) -> Trigger[T, CountWindow]:
        return CountTrigger(self._window_size)

    def get_window_serializer(self) -> TypeSerializer[CountWindow]:
        return CountWindowSerializer()

    def is_event_time(self) -> bool:
        return False

    def _plan_data(self) -> Dict[str, Any]:
        return _assigner_plan("count", "processing", size=self._window_size,
                              slide=self._window_slide)

    def __repr__(self):
        return "CountSlidingWindowAssigner(%s, %s)" % (self._window_size, self._window_slide)


_NO_TIMESTAMP_MESSAGE = (
    "Record has Java Long.MIN_VALUE timestamp (= no timestamp marker). Is the time "
    "characteristic set to 'ProcessingTime', or did you forget to call "
    "'data_stream.assign_timestamps_and_watermarks(...)'?")


def _offset_ms(offset) -> int:
    return 0 if offset is None else _milliseconds(offset, "offset")


class TumblingProcessingTimeWindows(WindowAssigner[T, TimeWindow]):
    """
    A WindowAssigner that windows elements into windows based on the current system time of
    the machine the operation is running on. Windows cannot overlap.

    For example, in order to window into windows of 1 minute, every 10 seconds:

    ::

        >>> data_stream.key_by(lambda x: x[0], key_type=Types.STRING()) \\
        ...     .window(TumblingProcessingTimeWindows.of(Time.minutes(1), Time.seconds(10)))
    """

    def __init__(self, size: int, offset: int):
        if abs(offset) >= size:
            raise Exception("TumblingProcessingTimeWindows parameters must satisfy "
                            "abs(offset) < size")
        self._size = size
        self._offset = offset

    @staticmethod
    def of(size, offset=None) -> 'TumblingProcessingTimeWindows':
        """
        Creates a new TumblingProcessingTimeWindows WindowAssigner that assigns elements to time
        windows based on the current processing time, shifted by offset (e.g. of(Time.days(1),
        Time.hours(-8)) for days that start at midnight in UTC+08:00).

        :param size: The size of the generated windows (a Time or Duration).
        :param offset: The offset which window start would be shifted by.
        :return: The time policy.
        """
        return TumblingProcessingTimeWindows(_milliseconds(size, "size"), _offset_ms(offset))

    def assign_windows(self, element: T, timestamp: int,
                       context: 'WindowAssigner.WindowAssignerContext') -> Collection[TimeWindow]:
        now = context.get_current_processing_time()
        start = TimeWindow.get_window_start_with_offset(now, self._offset, self._size)
        return [TimeWindow(start, start + self._size)]

    def get_default_trigger(self, env) -> Trigger[T, TimeWindow]:
        return ProcessingTimeTrigger()

    def get_window_serializer(self) -> TypeSerializer[TimeWindow]:
        return TimeWindowSerializer()

    def is_event_time(self) -> bool:
        return False

    def _plan_data(self) -> Dict[str, Any]:
        return _assigner_plan("tumbling", "processing", size=self._size, offset=self._offset)

    def __repr__(self):
        return "TumblingProcessingTimeWindows(%s, %s)" % (self._size, self._offset)


class TumblingEventTimeWindows(WindowAssigner[T, TimeWindow]):
    """
    A WindowAssigner that windows elements into windows based on the timestamp of the
    elements. Windows cannot overlap.

    For example, in order to window into windows of 1 minute:

    ::

        >>> data_stream.key_by(lambda x: x[0], key_type=Types.STRING()) \\
        ...     .window(TumblingEventTimeWindows.of(Time.minutes(1)))
    """

    def __init__(self, size: int, offset: int):
        if abs(offset) >= size:
            raise Exception("TumblingEventTimeWindows parameters must satisfy abs(offset) < size")
        self._size = size
        self._offset = offset

    @staticmethod
    def of(size, offset=None) -> 'TumblingEventTimeWindows':
        """
        Creates a new TumblingEventTimeWindows WindowAssigner that assigns elements to time
        windows based on the element timestamp and offset.

        :param size: The size of the generated windows (a Time or Duration).
        :param offset: The offset which window start would be shifted by.
        """
        return TumblingEventTimeWindows(_milliseconds(size, "size"), _offset_ms(offset))

    def assign_windows(self, element: T, timestamp: int,
                       context: 'WindowAssigner.WindowAssignerContext') -> Collection[TimeWindow]:
        if timestamp is None or timestamp <= MIN_LONG_VALUE:
            raise Exception(_NO_TIMESTAMP_MESSAGE)
        start = TimeWindow.get_window_start_with_offset(timestamp, self._offset, self._size)
        return [TimeWindow(start, start + self._size)]

    def get_default_trigger(self, env) -> Trigger[T, TimeWindow]:
        return EventTimeTrigger()

    def get_window_serializer(self) -> TypeSerializer[TimeWindow]:
        return TimeWindowSerializer()

    def is_event_time(self) -> bool:
        return True

    def _plan_data(self) -> Dict[str, Any]:
        return _assigner_plan("tumbling", "event", size=self._size, offset=self._offset)

    def __repr__(self):
        return "TumblingEventTimeWindows(%s, %s)" % (self._size, self._offset)


def _sliding_windows(timestamp: int, size: int, slide: int, offset: int):
    last_start = TimeWindow.get_window_start_with_offset(timestamp, offset, slide)
    return [TimeWindow(start, start + size)
            for start in range(last_start, timestamp - size, -slide)]


class SlidingProcessingTimeWindows(WindowAssigner[T, TimeWindow]):
    """
    A WindowAssigner that windows elements into sliding windows based on the current system
    time of the machine the operation is running on. Windows can possibly overlap.

    For example, in order to window into windows of 1 minute, every 10 seconds:

    ::

        >>> data_stream.key_by(lambda x: x[0], key_type=Types.STRING()) \\
        ...     .window(SlidingProcessingTimeWindows.of(Time.minutes(1), Time.seconds(10)))
    """

    def __init__(self, size: int, slide: int, offset: int):
        if abs(offset) >= slide or size <= 0:
            raise Exception("SlidingProcessingTimeWindows parameters must satisfy "
                            "abs(offset) < slide and size > 0")
        self._size = size
        self._slide = slide
        self._offset = offset
        self._pane_size = math.gcd(size, slide)

    @staticmethod
    def of(size, slide, offset=None) -> 'SlidingProcessingTimeWindows':
        """
        Creates a new SlidingProcessingTimeWindows WindowAssigner that assigns elements to
        sliding time windows based on the current processing time.

        :param size: The size of the generated windows (a Time or Duration).
        :param slide: The slide interval of the generated windows.
        :param offset: The offset which window start would be shifted by.
        :return: The time policy.
        """
        return SlidingProcessingTimeWindows(_milliseconds(size, "size"),
                                            _milliseconds(slide, "slide"), _offset_ms(offset))

    def assign_windows(self, element: T, timestamp: int,
                       context: 'WindowAssigner.WindowAssignerContext') -> Collection[TimeWindow]:
        return _sliding_windows(context.get_current_processing_time(), self._size, self._slide,
                                self._offset)

    def get_default_trigger(self, env) -> Trigger[T, TimeWindow]:
        return ProcessingTimeTrigger()

    def get_window_serializer(self) -> TypeSerializer[TimeWindow]:
        return TimeWindowSerializer()

    def is_event_time(self) -> bool:
        return False

    def _plan_data(self) -> Dict[str, Any]:
        return _assigner_plan("sliding", "processing", size=self._size, slide=self._slide,
                              offset=self._offset)

    def __repr__(self) -> str:
        return "SlidingProcessingTimeWindows(%s, %s, %s)" % (self._size, self._slide,
                                                             self._offset)


class SlidingEventTimeWindows(WindowAssigner[T, TimeWindow]):
    """
    A WindowAssigner that windows elements into sliding windows based on the timestamp of the
    elements. Windows can possibly overlap.

    For example, in order to window into windows of 1 minute, every 10 seconds:

    ::

        >>> data_stream.key_by(lambda x: x[0], key_type=Types.STRING()) \\
        ...     .window(SlidingEventTimeWindows.of(Time.minutes(1), Time.seconds(10)))
    """

    def __init__(self, size: int, slide: int, offset: int):
        if abs(offset) >= slide or size <= 0:
            raise Exception("SlidingEventTimeWindows parameters must satisfy "
                            "abs(offset) < slide and size > 0")
        self._size = size
        self._slide = slide
        self._offset = offset
        self._pane_size = math.gcd(size, slide)

    @staticmethod
    def of(size, slide, offset=None) -> 'SlidingEventTimeWindows':
        """
        Creates a new SlidingEventTimeWindows WindowAssigner that assigns elements to sliding
        time windows based on the element timestamp and offset.

        :param size: The size of the generated windows (a Time or Duration).
        :param slide: The slide interval of the generated windows.
        :param offset: The offset which window start would be shifted by.
        :return: The time policy.
        """
        return SlidingEventTimeWindows(_milliseconds(size, "size"),
                                       _milliseconds(slide, "slide"), _offset_ms(offset))

    def assign_windows(self, element: T, timestamp: int,
                       context: 'WindowAssigner.WindowAssignerContext') -> Collection[TimeWindow]:
        if timestamp is None or timestamp <= MIN_LONG_VALUE:
            raise Exception(_NO_TIMESTAMP_MESSAGE)
        return _sliding_windows(timestamp, self._size, self._slide, self._offset)

    def get_default_trigger(self, env) -> Trigger[T, TimeWindow]:
        return EventTimeTrigger()

    def get_window_serializer(self) -> TypeSerializer[TimeWindow]:
        return TimeWindowSerializer()

    def is_event_time(self) -> bool:
        return True

    def _plan_data(self) -> Dict[str, Any]:
        return _assigner_plan("sliding", "event", size=self._size, slide=self._slide,
                              offset=self._offset)

    def __repr__(self) -> str:
        return "SlidingEventTimeWindows(%s, %s, %s)" % (self._size, self._slide, self._offset)


def _gap_extractor(extractor) -> SessionWindowTimeGapExtractor:
    if isinstance(extractor, SessionWindowTimeGapExtractor):
        return extractor
    if callable(extractor):
        return _CallableGapExtractor(extractor)
    raise TypeError("The session gap extractor must be a SessionWindowTimeGapExtractor or a "
                    "callable, got %s" % type(extractor).__name__)


class _CallableGapExtractor(SessionWindowTimeGapExtractor):
    """A plain function used as a SessionWindowTimeGapExtractor."""

    def __init__(self, func):
        self._func = func

    def extract(self, element) -> int:
        return self._func(element)


def _dynamic_gap(extractor: SessionWindowTimeGapExtractor, element) -> int:
    gap = extractor.extract(element)
    if gap <= 0:
        raise Exception("Dynamic session time gap must satisfy 0 < gap")
    return gap


class ProcessingTimeSessionWindows(MergingWindowAssigner[T, TimeWindow]):
    """
    A WindowAssigner that windows elements into sessions based on the current processing
    time. Windows cannot overlap.

    For example, the processing interval is set to 1 minutes:

    ::

        >>> data_stream.key_by(lambda x: x[0], key_type=Types.STRING()) \\
        ...     .window(ProcessingTimeSessionWindows.with_gap(Time.minutes(1)))
    """

    def __init__(self, session_gap: int):
        if session_gap <= 0:
            raise Exception("ProcessingTimeSessionWindows parameters must satisfy 0 < size")
        self._session_gap = session_gap

    @staticmethod
    def with_gap(size) -> 'ProcessingTimeSessionWindows':
        """
        Creates a new SessionWindows WindowAssigner that assigns elements to sessions based on
        the current processing time.

        :param size: The session timeout, i.e. the time gap between sessions (Time or Duration).
        :return: The policy.
        """
        return ProcessingTimeSessionWindows(_milliseconds(size, "size"))

    @staticmethod
    def with_dynamic_gap(extractor: SessionWindowTimeGapExtractor) \
            -> 'DynamicProcessingTimeSessionWindows':
        """
        Creates a new SessionWindows WindowAssigner whose session gap is extracted from each
        element.

        :param extractor: The extractor to use to extract the time gap from the input elements.
        :return: The policy.
        """
        return DynamicProcessingTimeSessionWindows(extractor)

    def merge_windows(self, windows: Iterable[TimeWindow],
                      callback: 'MergingWindowAssigner.MergeCallback[TimeWindow]') -> None:
        TimeWindow.merge_windows(windows, callback)

    def assign_windows(self, element: T, timestamp: int,
                       context: 'WindowAssigner.WindowAssignerContext') -> Collection[TimeWindow]:
        now = context.get_current_processing_time()
        return [TimeWindow(now, now + self._session_gap)]

    def get_default_trigger(self, env) -> Trigger[T, TimeWindow]:
        return ProcessingTimeTrigger()

    def get_window_serializer(self) -> TypeSerializer[TimeWindow]:
        return TimeWindowSerializer()

    def is_event_time(self) -> bool:
        return False

    def _plan_data(self) -> Dict[str, Any]:
        return _assigner_plan("session", "processing", gap=self._session_gap)

    def __repr__(self):
        return "ProcessingTimeSessionWindows(%s)" % self._session_gap


class EventTimeSessionWindows(MergingWindowAssigner[T, TimeWindow]):
    """
    A WindowAssigner that windows elements into sessions based on the timestamp of the
    elements. Windows cannot overlap.

    For example, Set the timestamp of the element to 1 minutes:

    ::

        >>> data_stream.key_by(lambda x: x[0], key_type=Types.STRING()) \\
        ...     .window(EventTimeSessionWindows.with_gap(Time.minutes(1)))
    """

    def __init__(self, session_gap: int):
        if session_gap <= 0:
            raise Exception("EventTimeSessionWindows parameters must satisfy 0 < size")
        self._session_gap = session_gap

    @staticmethod
    def with_gap(size) -> 'EventTimeSessionWindows':
        """
        Creates a new SessionWindows WindowAssigner that assigns elements to sessions based on
        the element timestamp.

        :param size: The session timeout, i.e. the time gap between sessions (Time or Duration).
        :return: The policy.
        """
        return EventTimeSessionWindows(_milliseconds(size, "size"))

    @staticmethod
    def with_dynamic_gap(extractor: SessionWindowTimeGapExtractor) \
            -> 'DynamicEventTimeSessionWindows':
        """
        Creates a new SessionWindows WindowAssigner whose session gap is extracted from each
        element.

        :param extractor: The extractor to use to extract the time gap from the input elements.
        :return: The policy.
        """
        return DynamicEventTimeSessionWindows(extractor)

    def merge_windows(self, windows: Iterable[TimeWindow],
                      callback: 'MergingWindowAssigner.MergeCallback[TimeWindow]') -> None:
        TimeWindow.merge_windows(windows, callback)

    def assign_windows(self, element: T, timestamp: int,
                       context: 'WindowAssigner.WindowAssignerContext') -> Collection[TimeWindow]:
        return [TimeWindow(timestamp, timestamp + self._session_gap)]

    def get_default_trigger(self, env) -> Trigger[T, TimeWindow]:
        return EventTimeTrigger()

    def get_window_serializer(self) -> TypeSerializer[TimeWindow]:
        return TimeWindowSerializer()

    def is_event_time(self) -> bool:
        return True

    def _plan_data(self) -> Dict[str, Any]:
        return _assigner_plan("session", "event", gap=self._session_gap)

    def __repr__(self):
        return "EventTimeSessionWindows(%s)" % self._session_gap


class _DynamicSessionWindows(MergingWindowAssigner[T, TimeWindow]):
    """What the event- and processing-time dynamic session assigners share: the gap
    extractor, merging, the serializer and their plan data (``_TIME`` names the clock)."""

    _TIME = "event"

    def __init__(self, session_window_time_gap_extractor: SessionWindowTimeGapExtractor):
        self._session_gap = 0
        self._session_window_time_gap_extractor = \
            _gap_extractor(session_window_time_gap_extractor)

    def merge_windows(self, windows: Iterable[TimeWindow],
                      callback: 'MergingWindowAssigner.MergeCallback[TimeWindow]') -> None:
        TimeWindow.merge_windows(windows, callback)

    def get_window_serializer(self) -> TypeSerializer[TimeWindow]:
        return TimeWindowSerializer()

    def _plan_data(self) -> Dict[str, Any]:
        data = _assigner_plan("session", self._TIME)
        data["gap_extractor"] = PickledParam(self._session_window_time_gap_extractor)
        return data

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, self._session_gap)


class DynamicProcessingTimeSessionWindows(_DynamicSessionWindows):
    """
    A WindowAssigner that windows elements into sessions based on the current processing
    time, with a session gap taken from each element. Windows cannot overlap.

    For example, in order to window into windows with a dynamic time gap:

    ::

        >>> data_stream.key_by(lambda x: x[0], key_type=Types.STRING()) \\
        ...     .window(DynamicProcessingTimeSessionWindows.with_dynamic_gap(extractor))
    """

    _TIME = "processing"

    @staticmethod
    def with_dynamic_gap(extractor: SessionWindowTimeGapExtractor) \
            -> 'DynamicProcessingTimeSessionWindows':
        """
        Creates a new SessionWindows WindowAssigner whose session gap is extracted from each
        element.

        :param extractor: The extractor to use to extract the time gap from the input elements.
        :return: The policy.
        """
        return DynamicProcessingTimeSessionWindows(extractor)

    def assign_windows(self, element: T, timestamp: int,
                       context: 'WindowAssigner.WindowAssignerContext') -> Collection[TimeWindow]:
        now = context.get_current_processing_time()
        self._session_gap = _dynamic_gap(self._session_window_time_gap_extractor, element)
        return [TimeWindow(now, now + self._session_gap)]

    def get_default_trigger(self, env) -> Trigger[T, TimeWindow]:
        return ProcessingTimeTrigger()

    def is_event_time(self) -> bool:
        return False


class DynamicEventTimeSessionWindows(_DynamicSessionWindows):
    """
    A WindowAssigner that windows elements into sessions based on the timestamp of the
    elements, with a session gap taken from each element. Windows cannot overlap.

    For example, in order to window into windows with a dynamic time gap:

    ::

        >>> data_stream.key_by(lambda x: x[0], key_type=Types.STRING()) \\
        ...     .window(DynamicEventTimeSessionWindows.with_dynamic_gap(extractor))
    """

    _TIME = "event"

    @staticmethod
    def with_dynamic_gap(extractor: SessionWindowTimeGapExtractor) \
            -> 'DynamicEventTimeSessionWindows':
        """
        Creates a new SessionWindows WindowAssigner whose session gap is extracted from each
        element.

        :param extractor: The extractor to use to extract the time gap from the input elements.
        :return: The policy.
        """
        return DynamicEventTimeSessionWindows(extractor)

    def assign_windows(self, element: T, timestamp: int,
                       context: 'WindowAssigner.WindowAssignerContext') -> Collection[TimeWindow]:
        self._session_gap = _dynamic_gap(self._session_window_time_gap_extractor, element)
        return [TimeWindow(timestamp, timestamp + self._session_gap)]

    def get_default_trigger(self, env) -> Trigger[T, TimeWindow]:
        return EventTimeTrigger()

    def is_event_time(self) -> bool:
        return True


class GlobalWindows(WindowAssigner[T, GlobalWindow]):
    """
    A WindowAssigner that assigns all elements to the same GlobalWindow. Its default trigger
    never fires: give it a trigger (e.g. ``CountTrigger``).
    """

    def assign_windows(self, element: T, timestamp: int,
                       context: 'WindowAssigner.WindowAssignerContext') \
            -> Collection[GlobalWindow]:
        return [GlobalWindow.get()]

    @staticmethod
    def create() -> 'GlobalWindows':
        """
        Creates a new GlobalWindows WindowAssigner that assigns all elements to the same
        GlobalWindow.
        """
        return GlobalWindows()

    def get_default_trigger(self, env) -> Trigger[T, GlobalWindow]:
        return NeverTrigger()

    def get_window_serializer(self) -> TypeSerializer[GlobalWindow]:
        return GlobalWindowSerializer()

    def is_event_time(self) -> bool:
        return False

    def _plan_data(self) -> Dict[str, Any]:
        return _assigner_plan("global", "processing")

    def __repr__(self) -> str:
        return "GlobalWindows()"


_BUILT_IN_ASSIGNERS = (TumblingEventTimeWindows, TumblingProcessingTimeWindows,
                       SlidingEventTimeWindows, SlidingProcessingTimeWindows,
                       EventTimeSessionWindows, ProcessingTimeSessionWindows,
                       DynamicEventTimeSessionWindows, DynamicProcessingTimeSessionWindows,
                       GlobalWindows, CountTumblingWindowAssigner, CountSlidingWindowAssigner)


def is_built_in_assigner(assigner: WindowAssigner) -> bool:
    """Whether the engine assigns windows for this assigner natively."""
    return type(assigner) in _BUILT_IN_ASSIGNERS


def assigner_plan_data(assigner: WindowAssigner) -> Dict[str, Any]:
    """The assigner as plan data (``{kind, time, size, slide, offset, gap}``, plus
    ``gap_extractor`` for dynamic session gaps); ``{"kind": "python", "time", "assigner": <the
    pickled assigner>}`` for a user-defined WindowAssigner."""
    if is_built_in_assigner(assigner):
        return assigner._plan_data()  # type: ignore
    return {"kind": "python", "time": "event" if assigner.is_event_time() else "processing",
            "assigner": PickledParam(assigner)}
