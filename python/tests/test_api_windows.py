"""Windows in the API: window assigners (parameters, PyFlink's messages, the windows they
assign), triggers (their rules and their plan data), windows and window serializers."""

from io import BytesIO

import cloudpickle
import pytest

from pyflink_go.common import Duration, Time
from pyflink_go.datastream.window import (
    ContinuousEventTimeTrigger, ContinuousProcessingTimeTrigger, CountSlidingWindowAssigner,
    CountTrigger, CountTumblingWindowAssigner, CountWindow, CountWindowSerializer,
    DynamicEventTimeSessionWindows, DynamicProcessingTimeSessionWindows, EventTimeSessionWindows,
    EventTimeTrigger, GlobalWindow, GlobalWindows, MergingWindowAssigner, NeverTrigger,
    ProcessingTimeSessionWindows, ProcessingTimeTrigger, PurgingTrigger,
    SessionWindowTimeGapExtractor, SlidingEventTimeWindows, SlidingProcessingTimeWindows,
    TimeWindow, TimeWindowSerializer, Trigger, TriggerResult, TumblingEventTimeWindows,
    TumblingProcessingTimeWindows, assigner_plan_data, is_built_in_trigger, trigger_plan_data)
from pyflink_go.datastream._transformation import PickledParam

MS = Time.milliseconds


# ---- assigner parameters ----

@pytest.mark.parametrize("make, message", [
    (lambda: TumblingEventTimeWindows.of(MS(0)),
     "TumblingEventTimeWindows parameters must satisfy abs\\(offset\\) < size"),
    (lambda: TumblingEventTimeWindows.of(MS(-5)),
     "TumblingEventTimeWindows parameters must satisfy abs\\(offset\\) < size"),
    (lambda: TumblingEventTimeWindows.of(MS(5), MS(5)),
     "TumblingEventTimeWindows parameters must satisfy abs\\(offset\\) < size"),
    (lambda: TumblingProcessingTimeWindows.of(MS(5), MS(-7)),
     "TumblingProcessingTimeWindows parameters must satisfy abs\\(offset\\) < size"),
    (lambda: SlidingEventTimeWindows.of(MS(0), MS(2)),
     "SlidingEventTimeWindows parameters must satisfy abs\\(offset\\) < slide and size > 0"),
    (lambda: SlidingEventTimeWindows.of(MS(5), MS(0)),
     "SlidingEventTimeWindows parameters must satisfy abs\\(offset\\) < slide and size > 0"),
    (lambda: SlidingProcessingTimeWindows.of(MS(5), MS(2), MS(2)),
     "SlidingProcessingTimeWindows parameters must satisfy abs\\(offset\\) < slide and size > 0"),
    (lambda: EventTimeSessionWindows.with_gap(MS(0)),
     "EventTimeSessionWindows parameters must satisfy 0 < size"),
    (lambda: ProcessingTimeSessionWindows.with_gap(MS(-1)),
     "ProcessingTimeSessionWindows parameters must satisfy 0 < size"),
])
def test_time_assigner_parameters_as_pyflink(make, message):
    with pytest.raises(Exception, match=message):
        make()


@pytest.mark.parametrize("make, error, message", [
    (lambda: CountTumblingWindowAssigner.of(0), ValueError,
     "CountTumblingWindowAssigner parameters must satisfy 0 < size"),
    (lambda: CountSlidingWindowAssigner.of(3, 0), ValueError,
     "CountSlidingWindowAssigner parameters must satisfy 0 < size and 0 < slide"),
    (lambda: CountSlidingWindowAssigner(-1, 1), ValueError,
     "CountSlidingWindowAssigner parameters must satisfy 0 < size and 0 < slide"),
    (lambda: CountTumblingWindowAssigner(2.5), TypeError, "The window size must be an int"),
    (lambda: TumblingEventTimeWindows.of(5), TypeError, "size must be a Time or Duration, got int"),
    (lambda: SlidingEventTimeWindows.of(MS(5), 2), TypeError,
     "slide must be a Time or Duration, got int"),
    (lambda: TumblingEventTimeWindows.of(MS(5), "1"), TypeError,
     "offset must be a Time or Duration, got str"),
    (lambda: EventTimeSessionWindows.with_dynamic_gap(3), TypeError,
     "The session gap extractor must be a SessionWindowTimeGapExtractor or a callable"),
    (lambda: ContinuousEventTimeTrigger.of(10), TypeError,
     "interval must be a Time or Duration, got int"),
])
def test_other_bad_parameters(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize("assigner, data, text", [
    (TumblingEventTimeWindows.of(MS(5)),
     {"kind": "tumbling", "time": "event", "size": 5, "slide": 0, "offset": 0, "gap": 0},
     "TumblingEventTimeWindows(5, 0)"),
    (TumblingEventTimeWindows.of(Time.days(1), Time.hours(-8)),
     {"kind": "tumbling", "time": "event", "size": 86400000, "slide": 0, "offset": -28800000,
      "gap": 0}, "TumblingEventTimeWindows(86400000, -28800000)"),
    (TumblingProcessingTimeWindows.of(Duration.of_seconds(1)),
     {"kind": "tumbling", "time": "processing", "size": 1000, "slide": 0, "offset": 0, "gap": 0},
     "TumblingProcessingTimeWindows(1000, 0)"),
    (SlidingEventTimeWindows.of(MS(5), MS(2)),
     {"kind": "sliding", "time": "event", "size": 5, "slide": 2, "offset": 0, "gap": 0},
     "SlidingEventTimeWindows(5, 2, 0)"),
    (SlidingProcessingTimeWindows.of(MS(10), MS(5), MS(1)),
     {"kind": "sliding", "time": "processing", "size": 10, "slide": 5, "offset": 1, "gap": 0},
     "SlidingProcessingTimeWindows(10, 5, 1)"),
    (EventTimeSessionWindows.with_gap(MS(5)),
     {"kind": "session", "time": "event", "size": 0, "slide": 0, "offset": 0, "gap": 5},
     "EventTimeSessionWindows(5)"),
    (ProcessingTimeSessionWindows.with_gap(Duration.of_minutes(1)),
     {"kind": "session", "time": "processing", "size": 0, "slide": 0, "offset": 0,
      "gap": 60000}, "ProcessingTimeSessionWindows(60000)"),
    (GlobalWindows.create(),
     {"kind": "global", "time": "processing", "size": 0, "slide": 0, "offset": 0, "gap": 0},
     "GlobalWindows()"),
    (CountTumblingWindowAssigner.of(3),
     {"kind": "count", "time": "processing", "size": 3, "slide": 3, "offset": 0, "gap": 0},
     "CountTumblingWindowAssigner(3)"),
    (CountSlidingWindowAssigner.of(3, 1),
     {"kind": "count", "time": "processing", "size": 3, "slide": 1, "offset": 0, "gap": 0},
     "CountSlidingWindowAssigner(3, 1)"),
])
def test_assigner_plan_data(assigner, data, text):
    assert assigner_plan_data(assigner) == data
    assert repr(assigner) == text


class SecondField(SessionWindowTimeGapExtractor):
    def extract(self, element):
        return element[1]


@pytest.mark.parametrize("assigner, time", [
    (EventTimeSessionWindows.with_dynamic_gap(SecondField()), "event"),
    (DynamicEventTimeSessionWindows.with_dynamic_gap(SecondField()), "event"),
    (ProcessingTimeSessionWindows.with_dynamic_gap(SecondField()), "processing"),
    (DynamicProcessingTimeSessionWindows.with_dynamic_gap(lambda e: e[1]), "processing"),
])
def test_dynamic_gap_carries_the_extractor(assigner, time):
    data = assigner_plan_data(assigner)
    assert (data["kind"], data["time"], data["gap"]) == ("session", time, 0)
    assert isinstance(data["gap_extractor"], PickledParam)
    extractor = cloudpickle.loads(cloudpickle.dumps(data["gap_extractor"].value))
    assert extractor.extract(("a", 7)) == 7


def test_default_triggers_and_time():
    assert isinstance(TumblingEventTimeWindows.of(MS(5)).get_default_trigger(None),
                      EventTimeTrigger)
    assert isinstance(SlidingProcessingTimeWindows.of(MS(5), MS(1)).get_default_trigger(None),
                      ProcessingTimeTrigger)
    assert isinstance(GlobalWindows.create().get_default_trigger(None), NeverTrigger)
    assert isinstance(CountTumblingWindowAssigner.of(2).get_default_trigger(None), CountTrigger)
    assert TumblingEventTimeWindows.of(MS(5)).is_event_time()
    assert not TumblingProcessingTimeWindows.of(MS(5)).is_event_time()
    assert isinstance(EventTimeSessionWindows.with_gap(MS(1)), MergingWindowAssigner)
    assert not isinstance(SlidingEventTimeWindows.of(MS(2), MS(1)), MergingWindowAssigner)


# ---- the windows assigners assign ----

class Context(object):
    """A WindowAssignerContext with a fixed processing time and a dict-backed ValueState."""

    def __init__(self, now=0):
        self.now = now
        self.values = {}

    def get_current_processing_time(self):
        return self.now

    def get_runtime_context(self):
        return self

    def get_state(self, descriptor):
        ctx = self

        class Value(object):
            def value(self):
                return ctx.values.get(descriptor.name)

            def update(self, v):
                ctx.values[descriptor.name] = v

        return Value()


def windows(assigner, timestamp, ctx=None):
    assigned = assigner.assign_windows(("k", 1), timestamp, ctx or Context())
    return [(w.start, w.end) for w in assigned]


@pytest.mark.parametrize("timestamp, expected", [
    (0, [(0, 5)]), (4, [(0, 5)]), (5, [(5, 10)]), (-1, [(-5, 0)]), (-5, [(-5, 0)]),
])
def test_tumbling_windows_floor_negative_timestamps(timestamp, expected):
    assert windows(TumblingEventTimeWindows.of(MS(5)), timestamp) == expected


def test_tumbling_offset_and_processing_time():
    assert windows(TumblingEventTimeWindows.of(MS(10), MS(3)), 12) == [(3, 13)]
    assert windows(TumblingProcessingTimeWindows.of(MS(10)), 999, Context(now=25)) == [(20, 30)]


def test_sliding_windows_latest_first_and_below_zero():
    assert windows(SlidingEventTimeWindows.of(MS(5), MS(2)), 1) == [(0, 5), (-2, 3)]
    assert windows(SlidingEventTimeWindows.of(MS(6), MS(2)), 1) == [(0, 6), (-2, 4), (-4, 2)]
    assert windows(SlidingProcessingTimeWindows.of(MS(4), MS(2)), 0, Context(now=7)) == \
        [(6, 10), (4, 8)]


def test_event_time_windows_need_timestamps():
    for assigner in (TumblingEventTimeWindows.of(MS(5)), SlidingEventTimeWindows.of(MS(5), MS(1))):
        with pytest.raises(Exception, match="Record has Java Long.MIN_VALUE timestamp"):
            assigner.assign_windows("x", -2 ** 63, Context())


def test_session_windows():
    assert windows(EventTimeSessionWindows.with_gap(MS(5)), 3) == [(3, 8)]
    assert windows(ProcessingTimeSessionWindows.with_gap(MS(5)), 3, Context(now=10)) == [(10, 15)]
    assert windows(DynamicEventTimeSessionWindows.with_dynamic_gap(SecondField()), 3) == [(3, 4)]
    with pytest.raises(Exception, match="Dynamic session time gap must satisfy 0 < gap"):
        DynamicEventTimeSessionWindows.with_dynamic_gap(lambda e: 0) \
            .assign_windows("x", 1, Context())


def test_count_windows_number_elements_per_context():
    ctx = Context()
    tumbling = CountTumblingWindowAssigner.of(2)
    assert [[w.id for w in tumbling.assign_windows(i, 0, ctx)] for i in range(5)] == \
        [[0], [0], [1], [1], [2]]
    ctx = Context()
    sliding = CountSlidingWindowAssigner.of(3, 1)
    assert [[w.id for w in sliding.assign_windows(i, 0, ctx)] for i in range(4)] == \
        [[0], [1, 0], [2, 1, 0], [3, 2, 1]]
    ctx = Context()
    gapped = CountSlidingWindowAssigner.of(2, 3)
    assert [[w.id for w in gapped.assign_windows(i, 0, ctx)] for i in range(5)] == \
        [[0], [0], [], [1], [1]]


def test_global_windows():
    assert GlobalWindows.create().assign_windows("x", 0, Context()) == [GlobalWindow.get()]


class Merges(MergingWindowAssigner.MergeCallback):
    def __init__(self):
        self.merged = []

    def merge(self, to_be_merged, merge_result):
        self.merged.append((sorted((w.start, w.end) for w in to_be_merged),
                            (merge_result.start, merge_result.end)))


def test_touching_session_windows_merge():
    callback = Merges()
    EventTimeSessionWindows.with_gap(MS(5)).merge_windows(
        [TimeWindow(8, 13), TimeWindow(1, 6), TimeWindow(3, 8), TimeWindow(15, 20),
         TimeWindow(20, 21)], callback)
    assert callback.merged == [([(1, 6), (3, 8), (8, 13)], (1, 13)),
                               ([(15, 20), (20, 21)], (15, 21))]
    callback = Merges()
    TimeWindow.merge_windows([TimeWindow(0, 1), TimeWindow(2, 3)], callback)
    assert callback.merged == []


# ---- windows and serializers ----

def test_window_values():
    w = TimeWindow(0, 5)
    assert w.max_timestamp() == 4 and repr(w) == "TimeWindow(start=0, end=5)"
    assert w.intersects(TimeWindow(5, 6)) and not w.intersects(TimeWindow(6, 7))
    assert w.cover(TimeWindow(3, 9)) == TimeWindow(0, 9)
    assert TimeWindow.get_window_start_with_offset(-3, 0, 5) == -5
    assert CountWindow(3).max_timestamp() == GlobalWindow.get().max_timestamp() == 2 ** 63 - 1
    assert repr(CountWindow(3)) == "CountWindow(id=3)" and repr(GlobalWindow()) == "GlobalWindow"
    assert GlobalWindow.get() == GlobalWindow() and CountWindow(1) != CountWindow(2)


@pytest.mark.parametrize("assigner, window", [
    (TumblingEventTimeWindows.of(MS(5)), TimeWindow(-5, 0)),
    (CountTumblingWindowAssigner.of(2), CountWindow(7)),
    (GlobalWindows.create(), GlobalWindow.get()),
])
def test_window_serializers_round_trip(assigner, window):
    serializer = assigner.get_window_serializer()
    stream = BytesIO()
    serializer.serialize(window, stream)
    stream.seek(0)
    assert serializer.deserialize(stream) == window
    assert serializer == type(serializer)()


def test_time_window_serializer_layout():
    stream = BytesIO()
    TimeWindowSerializer().serialize(TimeWindow(1, 2), stream)
    assert stream.getvalue() == (1).to_bytes(8, "big") + (2).to_bytes(8, "big")
    stream = BytesIO()
    CountWindowSerializer().serialize(CountWindow(3), stream)
    assert stream.getvalue() == (3).to_bytes(8, "big")


# ---- triggers ----

class MyTrigger(Trigger):
    def on_element(self, element, timestamp, window, ctx):
        return TriggerResult.FIRE

    def on_processing_time(self, time, window, ctx):
        return TriggerResult.CONTINUE

    def on_event_time(self, time, window, ctx):
        return TriggerResult.CONTINUE

    def on_merge(self, window, ctx):
        pass

    def clear(self, window, ctx):
        pass


class MyEventTimeTrigger(EventTimeTrigger):
    pass


@pytest.mark.parametrize("trigger, data", [
    (EventTimeTrigger.create(), {"kind": "event_time"}),
    (ProcessingTimeTrigger.create(), {"kind": "processing_time"}),
    (CountTrigger.of(3), {"kind": "count", "count": 3}),
    (ContinuousEventTimeTrigger.of(Time.seconds(1)),
     {"kind": "continuous_event_time", "interval": 1000}),
    (ContinuousProcessingTimeTrigger.of(Duration.of_millis(20)),
     {"kind": "continuous_processing_time", "interval": 20}),
    (NeverTrigger(), {"kind": "never"}),
    (PurgingTrigger.of(CountTrigger.of(2)),
     {"kind": "purging", "nested": {"kind": "count", "count": 2}}),
])
def test_built_in_trigger_plan_data(trigger, data):
    assert is_built_in_trigger(trigger)
    assert trigger_plan_data(trigger) == data


@pytest.mark.parametrize("trigger", [MyTrigger(), MyEventTimeTrigger(),
                                     PurgingTrigger.of(MyTrigger())])
def test_user_triggers_are_not_built_in(trigger):
    assert not is_built_in_trigger(trigger)


def test_user_trigger_plan_data_carries_the_trigger():
    trigger = MyTrigger()
    data = trigger_plan_data(trigger)
    assert data["kind"] == "python" and data["trigger"].value is trigger
    nested = trigger_plan_data(PurgingTrigger.of(trigger))["nested"]
    assert nested["kind"] == "python"


class TriggerContext(object):
    """A TriggerContext that records timers and keeps partitioned state in a dict."""

    def __init__(self, watermark=-2 ** 63, now=0):
        self.watermark = watermark
        self.now = now
        self.event_timers = []
        self.deleted = []
        self.processing_timers = []
        self.states = {}

    def get_current_watermark(self):
        return self.watermark

    def get_current_processing_time(self):
        return self.now

    def register_event_time_timer(self, time):
        self.event_timers.append(time)

    def register_processing_time_timer(self, time):
        self.processing_timers.append(time)

    def delete_event_time_timer(self, time):
        self.deleted.append(time)

    def delete_processing_time_timer(self, time):
        self.deleted.append(time)

    def get_partitioned_state(self, descriptor):
        ctx = self
        reduce = descriptor.get_reduce_function().reduce

        class Reducing(object):
            def get(self):
                return ctx.states.get(descriptor.name)

            def add(self, value):
                current = ctx.states.get(descriptor.name)
                ctx.states[descriptor.name] = \
                    value if current is None else reduce(current, value)

            def clear(self):
                ctx.states.pop(descriptor.name, None)

        return Reducing()


def test_event_time_trigger_rules():
    trigger, window = EventTimeTrigger(), TimeWindow(0, 5)
    ctx = TriggerContext()
    assert trigger.on_element("x", 1, window, ctx) is TriggerResult.CONTINUE
    assert ctx.event_timers == [4]
    assert trigger.on_event_time(4, window, ctx) is TriggerResult.FIRE
    assert trigger.on_event_time(3, window, ctx) is TriggerResult.CONTINUE
    assert trigger.on_element("late", 1, window, TriggerContext(watermark=4)) is \
        TriggerResult.FIRE
    trigger.clear(window, ctx)
    assert ctx.deleted == [4] and trigger.can_merge()


def test_count_and_purging_trigger_rules():
    ctx, window = TriggerContext(), CountWindow(0)
    trigger = PurgingTrigger.of(CountTrigger.of(2))
    results = [trigger.on_element(i, 0, window, ctx) for i in range(4)]
    assert results == [TriggerResult.CONTINUE, TriggerResult.FIRE_AND_PURGE,
                       TriggerResult.CONTINUE, TriggerResult.FIRE_AND_PURGE]
    assert CountTrigger.of(1).on_element("x", 0, window, TriggerContext()) is TriggerResult.FIRE


def test_continuous_event_time_trigger_rules():
    trigger, window, ctx = ContinuousEventTimeTrigger.of(MS(10)), TimeWindow(0, 100), \
        TriggerContext()
    assert trigger.on_element("x", 13, window, ctx) is TriggerResult.CONTINUE
    assert ctx.event_timers == [99, 20]
    assert trigger.on_event_time(20, window, ctx) is TriggerResult.FIRE
    assert ctx.event_timers[-1] == 30
    assert trigger.on_event_time(99, window, ctx) is TriggerResult.FIRE


def test_processing_time_trigger_rules():
    trigger, window, ctx = ProcessingTimeTrigger(), TimeWindow(0, 5), TriggerContext()
    assert trigger.on_element("x", 0, window, ctx) is TriggerResult.CONTINUE
    assert ctx.processing_timers == [4]
    assert trigger.on_processing_time(4, window, ctx) is TriggerResult.FIRE
    continuous, ctx = ContinuousProcessingTimeTrigger.of(MS(10)), TriggerContext(now=13)
    continuous.on_element("x", 0, TimeWindow(0, 100), ctx)
    assert ctx.processing_timers == [20]
    assert continuous.on_processing_time(20, TimeWindow(0, 100), ctx) is TriggerResult.FIRE


def test_never_trigger_never_fires():
    trigger, ctx = NeverTrigger(), TriggerContext()
    assert {trigger.on_element("x", 0, GlobalWindow.get(), ctx),
            trigger.on_event_time(0, GlobalWindow.get(), ctx),
            trigger.on_processing_time(0, GlobalWindow.get(), ctx)} == {TriggerResult.CONTINUE}


def test_trigger_result_flags():
    assert [(r.is_fire(), r.is_purge()) for r in TriggerResult] == \
        [(False, False), (True, True), (True, False), (False, True)]
