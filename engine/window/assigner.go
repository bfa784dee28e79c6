package window

import (
	"fmt"
	"math"
)

// AssignContext is what an assigner may consult besides the element.
type AssignContext interface {
	// CurrentProcessingTime is the processing time in milliseconds.
	CurrentProcessingTime() int64
	// NextCount returns how many elements the current key has had so far and
	// counts this one (the per-key counter of count windows).
	NextCount() (int64, error)
}

// Assigner puts an element into zero or more windows (WindowAssigner).
type Assigner interface {
	// Assign appends the windows of value, which has timestamp ts, to dst.
	Assign(value any, ts int64, ctx AssignContext, dst []Window) ([]Window, error)
	// DefaultTrigger is the trigger used when none is set.
	DefaultTrigger() Trigger
	// IsEventTime reports whether windows follow event time (and so are
	// fired and cleaned up by watermarks).
	IsEventTime() bool
	// String names the assigner as PyFlink's repr does.
	String() string
}

// MergingAssigner is an assigner whose windows merge (sessions).
type MergingAssigner interface {
	Assigner
	// MergeWindows calls merge for every group of windows that become one.
	MergeWindows(ws []Window, merge func(group []Window, result Window))
}

// GapExtractor returns the session gap of an element in milliseconds
// (SessionWindowTimeGapExtractor).
type GapExtractor func(value any) (int64, error)

var errNoTimestamp = fmt.Errorf("Record has Java Long.MIN_VALUE timestamp (= no timestamp marker). " +
	"Is the time characteristic set to 'ProcessingTime', or did you forget to call " +
	"'data_stream.assign_timestamps_and_watermarks(...)'?")

// Tumbling assigns each element to one window of Size milliseconds, shifted
// by Offset (TumblingEventTimeWindows / TumblingProcessingTimeWindows).
type Tumbling struct {
	Size, Offset   int64
	ProcessingTime bool
}

// TumblingEventTime is TumblingEventTimeWindows.of(size, offset).
func TumblingEventTime(size, offset int64) (Tumbling, error) {
	return Tumbling{Size: size, Offset: offset}, checkTumbling("TumblingEventTimeWindows", size, offset)
}

// TumblingProcessingTime is TumblingProcessingTimeWindows.of(size, offset).
func TumblingProcessingTime(size, offset int64) (Tumbling, error) {
	return Tumbling{Size: size, Offset: offset, ProcessingTime: true}, checkTumbling("TumblingProcessingTimeWindows", size, offset)
}

func checkTumbling(name string, size, offset int64) error {
	if size <= 0 || abs(offset) >= size {
		return fmt.Errorf("%s parameters must satisfy abs(offset) < size", name)
	}
	return nil
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// Assign implements Assigner.
func (a Tumbling) Assign(_ any, ts int64, ctx AssignContext, dst []Window) ([]Window, error) {
	if a.ProcessingTime {
		ts = ctx.CurrentProcessingTime()
	} else if ts == math.MinInt64 {
		return dst, errNoTimestamp
	}
	start := StartWithOffset(ts, a.Offset, a.Size)
	return append(dst, TimeWindow(start, start+a.Size)), nil
}

// DefaultTrigger implements Assigner.
func (a Tumbling) DefaultTrigger() Trigger {
	if a.ProcessingTime {
		return ProcessingTimeTrigger()
	}
	return EventTimeTrigger()
}

// IsEventTime implements Assigner.
func (a Tumbling) IsEventTime() bool { return !a.ProcessingTime }

// String implements Assigner.
func (a Tumbling) String() string {
	if a.ProcessingTime {
		return fmt.Sprintf("TumblingProcessingTimeWindows(%d, %d)", a.Size, a.Offset)
	}
	return fmt.Sprintf("TumblingEventTimeWindows(%d, %d)", a.Size, a.Offset)
}

// Sliding assigns each element to the Size/Slide windows of Size
// milliseconds that start every Slide milliseconds and contain it.
type Sliding struct {
	Size, Slide, Offset int64
	ProcessingTime      bool
}

// SlidingEventTime is SlidingEventTimeWindows.of(size, slide, offset).
func SlidingEventTime(size, slide, offset int64) (Sliding, error) {
	return Sliding{Size: size, Slide: slide, Offset: offset}, checkSliding("SlidingEventTimeWindows", size, slide, offset)
}

// SlidingProcessingTime is SlidingProcessingTimeWindows.of(size, slide, offset).
func SlidingProcessingTime(size, slide, offset int64) (Sliding, error) {
	return Sliding{Size: size, Slide: slide, Offset: offset, ProcessingTime: true},
		checkSliding("SlidingProcessingTimeWindows", size, slide, offset)
}

func checkSliding(name string, size, slide, offset int64) error {
	if slide <= 0 || abs(offset) >= slide || size <= 0 {
		return fmt.Errorf("%s parameters must satisfy abs(offset) < slide and size > 0", name)
	}
	return nil
}

// Assign lists the windows from the latest start down, as Flink does.
func (a Sliding) Assign(_ any, ts int64, ctx AssignContext, dst []Window) ([]Window, error) {
	if a.ProcessingTime {
		ts = ctx.CurrentProcessingTime()
	} else if ts == math.MinInt64 {
		return dst, errNoTimestamp
	}
	for start := StartWithOffset(ts, a.Offset, a.Slide); start > ts-a.Size; start -= a.Slide {
		dst = append(dst, TimeWindow(start, start+a.Size))
	}
	return dst, nil
}

// DefaultTrigger implements Assigner.
func (a Sliding) DefaultTrigger() Trigger {
	if a.ProcessingTime {
		return ProcessingTimeTrigger()
	}
	return EventTimeTrigger()
}

// IsEventTime implements Assigner.
func (a Sliding) IsEventTime() bool { return !a.ProcessingTime }

// String implements Assigner.
func (a Sliding) String() string {
	if a.ProcessingTime {
		return fmt.Sprintf("SlidingProcessingTimeWindows(%d, %d, %d)", a.Size, a.Slide, a.Offset)
	}
	return fmt.Sprintf("SlidingEventTimeWindows(%d, %d, %d)", a.Size, a.Slide, a.Offset)
}

// Session puts each element in the window [t, t+gap) — t its timestamp or
// the processing time — and merges windows that touch.
type Session struct {
	// Gap is the static gap; with Extract set, each element brings its own.
	Gap            int64
	Extract        GapExtractor
	ProcessingTime bool
}

// EventTimeSession is EventTimeSessionWindows.with_gap(gap).
func EventTimeSession(gap int64) (Session, error) {
	return Session{Gap: gap}, checkGap("EventTimeSessionWindows", gap)
}

// ProcessingTimeSession is ProcessingTimeSessionWindows.with_gap(gap).
func ProcessingTimeSession(gap int64) (Session, error) {
	return Session{Gap: gap, ProcessingTime: true}, checkGap("ProcessingTimeSessionWindows", gap)
}

// DynamicEventTimeSession is EventTimeSessionWindows.with_dynamic_gap(extract).
func DynamicEventTimeSession(extract GapExtractor) Session { return Session{Extract: extract} }

// DynamicProcessingTimeSession is ProcessingTimeSessionWindows.with_dynamic_gap(extract).
func DynamicProcessingTimeSession(extract GapExtractor) Session {
	return Session{Extract: extract, ProcessingTime: true}
}

func checkGap(name string, gap int64) error {
	if gap <= 0 {
		return fmt.Errorf("%s parameters must satisfy 0 < size", name)
	}
	return nil
}

// Assign implements Assigner.
func (a Session) Assign(value any, ts int64, ctx AssignContext, dst []Window) ([]Window, error) {
	if a.ProcessingTime {
		ts = ctx.CurrentProcessingTime()
	}
	gap := a.Gap
	if a.Extract != nil {
		var err error
		if gap, err = a.Extract(value); err != nil {
			return dst, fmt.Errorf("session gap extractor: %w", err)
		}
		if gap <= 0 {
			return dst, fmt.Errorf("Dynamic session time gap must satisfy 0 < gap")
		}
	}
	return append(dst, TimeWindow(ts, ts+gap)), nil
}

// MergeWindows implements MergingAssigner: windows that touch merge.
func (a Session) MergeWindows(ws []Window, merge func(group []Window, result Window)) {
	MergeTimeWindows(ws, merge)
}

// DefaultTrigger implements Assigner.
func (a Session) DefaultTrigger() Trigger {
	if a.ProcessingTime {
		return ProcessingTimeTrigger()
	}
	return EventTimeTrigger()
}

// IsEventTime implements Assigner.
func (a Session) IsEventTime() bool { return !a.ProcessingTime }

// String implements Assigner.
func (a Session) String() string {
	name := "EventTimeSessionWindows"
	if a.ProcessingTime {
		name = "ProcessingTimeSessionWindows"
	}
	if a.Extract != nil {
		return "Dynamic" + name + "()"
	}
	return fmt.Sprintf("%s(%d)", name, a.Gap)
}

// Global puts every element into the one GlobalWindow; by default it never
// fires (GlobalWindows.create()).
type Global struct{}

// Assign implements Assigner.
func (Global) Assign(_ any, _ int64, _ AssignContext, dst []Window) ([]Window, error) {
	return append(dst, GlobalWindow()), nil
}

// DefaultTrigger implements Assigner.
func (Global) DefaultTrigger() Trigger { return NeverTrigger() }

// IsEventTime implements Assigner.
func (Global) IsEventTime() bool { return false }

// String implements Assigner.
func (Global) String() string { return "GlobalWindows()" }

// Count puts elements into count windows of Size elements that start every
// Slide elements (Slide == Size: tumbling), per key, as PyFlink's
// CountTumblingWindowAssigner and CountSlidingWindowAssigner do. A window
// fires when it holds Size elements; an incomplete one never fires.
type Count struct {
	Size, Slide int64
}

// CountTumbling is count_window(size).
func CountTumbling(size int64) (Count, error) { return CountSliding(size, size) }

// CountSliding is count_window(size, slide).
func CountSliding(size, slide int64) (Count, error) {
	if size <= 0 || slide <= 0 {
		return Count{}, fmt.Errorf("count windows need a positive size and slide, got %d and %d", size, slide)
	}
	return Count{Size: size, Slide: slide}, nil
}

// Assign gives the element numbered n (from 0, per key) every window id
// whose span [id*Slide, id*Slide+Size-1] contains n, latest first.
func (a Count) Assign(_ any, _ int64, ctx AssignContext, dst []Window) ([]Window, error) {
	n, err := ctx.NextCount()
	if err != nil {
		return dst, err
	}
	for id := n / a.Slide; id >= 0 && id*a.Slide <= n && n <= id*a.Slide+a.Size-1; id-- {
		dst = append(dst, CountWindow(id))
	}
	return dst, nil
}

// DefaultTrigger fires a window and drops its contents once it is full:
// a full count window never receives another element, so purging changes no
// output and frees its state.
func (a Count) DefaultTrigger() Trigger { return PurgingTrigger(CountTrigger(a.Size)) }

// IsEventTime implements Assigner.
func (a Count) IsEventTime() bool { return false }

// String implements Assigner.
func (a Count) String() string {
	if a.Size == a.Slide {
		return fmt.Sprintf("CountTumblingWindowAssigner(%d)", a.Size)
	}
	return fmt.Sprintf("CountSlidingWindowAssigner(%d, %d)", a.Size, a.Slide)
}
