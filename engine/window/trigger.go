package window

import (
	"encoding/binary"
	"fmt"
)

// Result is a trigger's decision (TriggerResult).
type Result uint8

// The decisions.
const (
	Continue Result = iota
	Fire
	Purge
	FireAndPurge
)

// IsFire reports whether the window is evaluated.
func (r Result) IsFire() bool { return r == Fire || r == FireAndPurge }

// IsPurge reports whether the window's contents are dropped.
func (r Result) IsPurge() bool { return r == Purge || r == FireAndPurge }

// String is the TriggerResult name.
func (r Result) String() string {
	return [...]string{"CONTINUE", "FIRE", "PURGE", "FIRE_AND_PURGE"}[r]
}

// TriggerContext is what a trigger may do for the pane (key and window) it
// is called for: read the clocks, set and delete timers, and keep state.
type TriggerContext interface {
	// CurrentKey is the pane's key (as the operator's records carry it); a
	// trigger that keeps its state outside the operator keys it by this.
	CurrentKey() any
	CurrentWatermark() int64
	CurrentProcessingTime() int64
	RegisterEventTimeTimer(t int64) error
	RegisterProcessingTimeTimer(t int64) error
	DeleteEventTimeTimer(t int64) error
	DeleteProcessingTimeTimer(t int64) error
	// GetState, SetState and ClearState keep bytes under name for the pane.
	GetState(name string) ([]byte, bool, error)
	SetState(name string, v []byte) error
	ClearState(name string) error
}

// MergeContext is the context of OnMerge: the pane is the merged window,
// MergeState folds the state of the windows merged into it.
type MergeContext interface {
	TriggerContext
	// MergeState folds the values of name in the merged windows into the
	// merged window's value with merge (which sees them in window order).
	MergeState(name string, merge func(a, b []byte) ([]byte, error)) error
	// MergedWindows are the windows merged into the pane's window (not
	// itself), for triggers that keep their state outside the operator.
	MergedWindows() []Window
}

// Trigger decides when a pane is evaluated and when it is purged. Triggers
// keep no state of their own: everything lives in the context.
type Trigger interface {
	OnElement(value any, ts int64, w Window, ctx TriggerContext) (Result, error)
	OnEventTime(time int64, w Window, ctx TriggerContext) (Result, error)
	OnProcessingTime(time int64, w Window, ctx TriggerContext) (Result, error)
	// CanMerge reports whether the trigger supports merging windows.
	CanMerge() bool
	// OnMerge is called on the window that several windows merged into.
	OnMerge(w Window, ctx MergeContext) error
	// Clear removes the pane's timers and state.
	Clear(w Window, ctx TriggerContext) error
	String() string
}

// CallKind tells the calls of a run apart.
type CallKind uint8

// The calls a run of deferred elements makes.
const (
	// CallElement is OnElement(Value, Timestamp, Window).
	CallElement CallKind = iota
	// CallMerge is OnMerge(Window) with Merged the windows merged into it.
	CallMerge
	// CallClear is Clear(Window), for a window merged away.
	CallClear
)

// ElementCall is one trigger call of a run of deferred elements, for the
// pane of Key and Window: an element (with its Value and Timestamp) or, for
// merging windows, a merge or the clear of a window merged away.
type ElementCall struct {
	Kind      CallKind
	Key       any
	Value     any
	Timestamp int64
	Window    Window
	Merged    []Window
}

// TimerOp is a timer a trigger registered or deleted for a call's pane.
type TimerOp struct {
	Time       int64
	Processing bool // else event time
	Delete     bool
}

// Decision is a trigger's answer to one ElementCall or TimerCall: its result
// and the timers it set or deleted, in order.
type Decision struct {
	Result Result
	Timers []TimerOp
}

// TimerCall is one OnEventTime (or, Processing, OnProcessingTime) call of a
// run, for the pane of Key and Window; Cleanup marks the window's cleanup
// time, where the trigger's Clear follows in the same call.
type TimerCall struct {
	Key        any
	Window     Window
	Time       int64
	Processing bool
	Cleanup    bool
}

// TimerBatcher is a Trigger that decides runs of timer calls at once. The
// operator takes the due timers of the earliest due timestamp (a watermark or tick may make several timestamps
// due: each is a run, in order), asks OnTimers for the run, and acts on each
// decision in order; timers a run sets come in later runs, as they would have
// fired one by one. No call of a run can delete another's timer: a pane has
// one timer per timestamp and domain.
type TimerBatcher interface {
	Trigger
	OnTimers(calls []TimerCall, ctx TriggerContext) ([]Decision, error)
}

// ElementBatcher is a Trigger that decides runs of element calls at once (a
// trigger in a Python worker: one round trip for a run instead of one per
// element). The operator defers each element — its window assignment and, for
// merging windows, the merging window set are settled at once; the trigger
// calls (OnElement, and OnMerge and Clear of merges) and what they touch
// (window contents, timers) wait — and before anything else can happen (a
// watermark or processing-time tick fires timers, a snapshot, the end of
// input, or MaxDeferred calls) asks OnElements for the whole run. It then adds
// each element, merges contents and acts on each decision in order, exactly
// as if each call had been made alone: the run shares one watermark
// (watermarks end runs), the trigger's state is its own, and its timers only
// fire after the run. ctx gives the clocks only; the decisions' timers are set
// for their calls' panes.
type ElementBatcher interface {
	Trigger
	OnElements(calls []ElementCall, ctx TriggerContext) ([]Decision, error)
}

// MaxDeferred bounds the element calls an operator defers for an
// ElementBatcher.
const MaxDeferred = 1000

// Int state helpers for triggers.

func getInt(ctx TriggerContext, name string) (int64, bool, error) {
	b, ok, err := ctx.GetState(name)
	if err != nil || !ok {
		return 0, false, err
	}
	if len(b) != 8 {
		return 0, false, fmt.Errorf("trigger state %q: corrupt value", name)
	}
	return int64(binary.BigEndian.Uint64(b)), true, nil
}

func setInt(ctx TriggerContext, name string, v int64) error {
	return ctx.SetState(name, binary.BigEndian.AppendUint64(nil, uint64(v)))
}

func mergeInt(ctx MergeContext, name string, f func(a, b int64) int64) error {
	return ctx.MergeState(name, func(a, b []byte) ([]byte, error) {
		if len(a) != 8 || len(b) != 8 {
			return nil, fmt.Errorf("trigger state %q: corrupt value", name)
		}
		x, y := int64(binary.BigEndian.Uint64(a)), int64(binary.BigEndian.Uint64(b))
		return binary.BigEndian.AppendUint64(nil, uint64(f(x, y))), nil
	})
}

// EventTimeTrigger fires once the watermark passes the window's end.
func EventTimeTrigger() Trigger { return eventTime{} }

type eventTime struct{}

func (eventTime) OnElement(_ any, _ int64, w Window, ctx TriggerContext) (Result, error) {
	if w.MaxTimestamp() <= ctx.CurrentWatermark() {
		// The watermark is past the window already (allowed lateness): fire now.
		return Fire, nil
	}
	return Continue, ctx.RegisterEventTimeTimer(w.MaxTimestamp())
}

func (eventTime) OnEventTime(t int64, w Window, _ TriggerContext) (Result, error) {
	if t == w.MaxTimestamp() {
		return Fire, nil
	}
	return Continue, nil
}

func (eventTime) OnProcessingTime(int64, Window, TriggerContext) (Result, error) {
	return Continue, nil
}
func (eventTime) CanMerge() bool { return true }

func (eventTime) OnMerge(w Window, ctx MergeContext) error {
	if w.MaxTimestamp() > ctx.CurrentWatermark() {
		return ctx.RegisterEventTimeTimer(w.MaxTimestamp())
	}
	return nil
}

func (eventTime) Clear(w Window, ctx TriggerContext) error {
	return ctx.DeleteEventTimeTimer(w.MaxTimestamp())
}

func (eventTime) String() string { return "EventTimeTrigger()" }

// ProcessingTimeTrigger fires once processing time passes the window's end.
func ProcessingTimeTrigger() Trigger { return processingTime{} }

type processingTime struct{}

func (processingTime) OnElement(_ any, _ int64, w Window, ctx TriggerContext) (Result, error) {
	return Continue, ctx.RegisterProcessingTimeTimer(w.MaxTimestamp())
}

func (processingTime) OnEventTime(int64, Window, TriggerContext) (Result, error) {
	return Continue, nil
}

func (processingTime) OnProcessingTime(int64, Window, TriggerContext) (Result, error) {
	return Fire, nil
}

func (processingTime) CanMerge() bool { return true }

func (processingTime) OnMerge(w Window, ctx MergeContext) error {
	if w.MaxTimestamp() > ctx.CurrentProcessingTime() {
		return ctx.RegisterProcessingTimeTimer(w.MaxTimestamp())
	}
	return nil
}

func (processingTime) Clear(w Window, ctx TriggerContext) error {
	return ctx.DeleteProcessingTimeTimer(w.MaxTimestamp())
}

func (processingTime) String() string { return "ProcessingTimeTrigger()" }

// CountTrigger fires when a pane has received n elements (and restarts
// counting).
func CountTrigger(n int64) Trigger { return countTrigger{n} }

type countTrigger struct{ max int64 }

const countState = "count"

func (c countTrigger) OnElement(_ any, _ int64, _ Window, ctx TriggerContext) (Result, error) {
	n, _, err := getInt(ctx, countState)
	if err != nil {
		return Continue, err
	}
	n++
	if n >= c.max {
		return Fire, ctx.ClearState(countState)
	}
	return Continue, setInt(ctx, countState, n)
}

func (countTrigger) OnEventTime(int64, Window, TriggerContext) (Result, error) { return Continue, nil }
func (countTrigger) OnProcessingTime(int64, Window, TriggerContext) (Result, error) {
	return Continue, nil
}
func (countTrigger) CanMerge() bool { return true }
func (countTrigger) OnMerge(_ Window, ctx MergeContext) error {
	return mergeInt(ctx, countState, func(a, b int64) int64 { return a + b })
}
func (countTrigger) Clear(_ Window, ctx TriggerContext) error { return ctx.ClearState(countState) }
func (c countTrigger) String() string                         { return fmt.Sprintf("CountTrigger(%d)", c.max) }

// PurgingTrigger turns every FIRE of nested into FIRE_AND_PURGE.
func PurgingTrigger(nested Trigger) Trigger { return purging{nested} }

type purging struct{ nested Trigger }

func purge(r Result, err error) (Result, error) {
	if r.IsFire() {
		return FireAndPurge, err
	}
	return r, err
}

func (p purging) OnElement(v any, ts int64, w Window, ctx TriggerContext) (Result, error) {
	return purge(p.nested.OnElement(v, ts, w, ctx))
}
func (p purging) OnEventTime(t int64, w Window, ctx TriggerContext) (Result, error) {
	return purge(p.nested.OnEventTime(t, w, ctx))
}
func (p purging) OnProcessingTime(t int64, w Window, ctx TriggerContext) (Result, error) {
	return purge(p.nested.OnProcessingTime(t, w, ctx))
}
func (p purging) CanMerge() bool                           { return p.nested.CanMerge() }
func (p purging) OnMerge(w Window, ctx MergeContext) error { return p.nested.OnMerge(w, ctx) }
func (p purging) Clear(w Window, ctx TriggerContext) error { return p.nested.Clear(w, ctx) }
func (p purging) String() string                           { return "PurgingTrigger(" + p.nested.String() + ")" }

// NeverTrigger never fires (the default of GlobalWindows).
func NeverTrigger() Trigger { return never{} }

type never struct{}

func (never) OnElement(any, int64, Window, TriggerContext) (Result, error)   { return Continue, nil }
func (never) OnEventTime(int64, Window, TriggerContext) (Result, error)      { return Continue, nil }
func (never) OnProcessingTime(int64, Window, TriggerContext) (Result, error) { return Continue, nil }
func (never) CanMerge() bool                                                 { return true }
func (never) OnMerge(Window, MergeContext) error                             { return nil }
func (never) Clear(Window, TriggerContext) error                             { return nil }
func (never) String() string                                                 { return "NeverTrigger()" }

const fireTimeState = "fire-time"

// floorMod is Python's %, which PyFlink's continuous triggers use.
func floorMod(a, b int64) int64 {
	r := a % b
	if r < 0 {
		r += b
	}
	return r
}

// ContinuousEventTimeTrigger fires every interval of event time within a
// window, and at its end.
func ContinuousEventTimeTrigger(interval int64) Trigger { return continuous{interval: interval} }

// ContinuousProcessingTimeTrigger fires every interval of processing time
// within a window.
func ContinuousProcessingTimeTrigger(interval int64) Trigger {
	return continuous{interval: interval, processing: true}
}

type continuous struct {
	interval   int64
	processing bool
}

func (c continuous) register(ctx TriggerContext, t int64) error {
	if c.processing {
		return ctx.RegisterProcessingTimeTimer(t)
	}
	return ctx.RegisterEventTimeTimer(t)
}

// registerNext keeps the earliest next fire time and sets its timer.
func (c continuous) registerNext(time int64, w Window, ctx TriggerContext) error {
	next := min(time+c.interval, w.MaxTimestamp())
	cur, ok, err := getInt(ctx, fireTimeState)
	if err != nil {
		return err
	}
	if !ok || next < cur {
		if err := setInt(ctx, fireTimeState, next); err != nil {
			return err
		}
	}
	return c.register(ctx, next)
}

func (c continuous) OnElement(_ any, ts int64, w Window, ctx TriggerContext) (Result, error) {
	if c.processing {
		ts = ctx.CurrentProcessingTime()
	} else {
		if w.MaxTimestamp() <= ctx.CurrentWatermark() {
			return Fire, nil
		}
		if err := ctx.RegisterEventTimeTimer(w.MaxTimestamp()); err != nil {
			return Continue, err
		}
	}
	_, ok, err := getInt(ctx, fireTimeState)
	if err != nil || ok {
		return Continue, err
	}
	return Continue, c.registerNext(ts-floorMod(ts, c.interval), w, ctx)
}

func (c continuous) onTime(t int64, w Window, ctx TriggerContext) (Result, error) {
	fire, ok, err := getInt(ctx, fireTimeState)
	if err != nil || !ok || fire != t {
		return Continue, err
	}
	if err := ctx.ClearState(fireTimeState); err != nil {
		return Continue, err
	}
	return Fire, c.registerNext(t, w, ctx)
}

func (c continuous) OnEventTime(t int64, w Window, ctx TriggerContext) (Result, error) {
	if c.processing {
		return Continue, nil
	}
	if t == w.MaxTimestamp() {
		return Fire, nil
	}
	return c.onTime(t, w, ctx)
}

func (c continuous) OnProcessingTime(t int64, w Window, ctx TriggerContext) (Result, error) {
	if !c.processing {
		return Continue, nil
	}
	return c.onTime(t, w, ctx)
}

func (continuous) CanMerge() bool { return true }

func (c continuous) OnMerge(_ Window, ctx MergeContext) error {
	if err := mergeInt(ctx, fireTimeState, func(a, b int64) int64 { return min(a, b) }); err != nil {
		return err
	}
	next, ok, err := getInt(ctx, fireTimeState)
	if err != nil || !ok {
		return err
	}
	return c.register(ctx, next)
}

func (c continuous) Clear(_ Window, ctx TriggerContext) error {
	t, ok, err := getInt(ctx, fireTimeState)
	if err != nil || !ok {
		return err
	}
	if c.processing {
		err = ctx.DeleteProcessingTimeTimer(t)
	} else {
		err = ctx.DeleteEventTimeTimer(t)
	}
	if err != nil {
		return err
	}
	return ctx.ClearState(fireTimeState)
}

func (c continuous) String() string {
	if c.processing {
		return fmt.Sprintf("ContinuousProcessingTimeTrigger(%d)", c.interval)
	}
	return fmt.Sprintf("ContinuousEventTimeTrigger(%d)", c.interval)
}
