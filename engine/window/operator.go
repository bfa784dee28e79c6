package window

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

// TimersName is the timer service of window operators (as Flink names it).
const TimersName = "window-timers"

// State names the operator keeps besides the function's contents.
const (
	mergingSetState  = "merging-window-set"
	windowCountState = "window-count"
	triggerStateName = "trigger/"
)

// Spec describes a keyed window operator (window(...).trigger(...).
// allowed_lateness(...).side_output_late_data(...).<function>).
type Spec struct {
	Assigner Assigner
	// Trigger replaces the assigner's default trigger.
	Trigger Trigger
	// AllowedLateness in milliseconds keeps event-time windows (and fires
	// them again) for late elements.
	AllowedLateness int64
	// LateTag names the side output (OutputTag) late elements are emitted
	// to, as records with that Tag; empty drops them.
	LateTag string
	// Function makes the function of each subtask.
	Function func() Function
	// Keys encodes keys for state; nil means DefaultKeys.
	Keys KeyCodec
	// KeyHash must be the hash the key_by exchange partitions with, so every
	// key lands in a key group of this subtask. nil: keygroup.GoHash for Go
	// keys, keygroup.BytesHash for encoded (value.Raw) keys.
	KeyHash func(key any) (int32, error)
	// NewBackend opens the subtask's state; nil opens the backend the job
	// configuration names (state.backend.type) in a temporary directory.
	NewBackend func(ctx *runtime.Context) (state.Backend, error)
}

// DefaultKeyHash is the key hash used when a Spec gives none.
func DefaultKeyHash(key any) (int32, error) {
	if raw, ok := key.(value.Raw); ok {
		return keygroup.BytesHash(raw), nil
	}
	return keygroup.GoHash(key)
}

// NewOperator implements runtime.OperatorSpec.
func (s Spec) NewOperator(ctx *runtime.Context) (runtime.Operator, error) {
	if s.Assigner == nil || s.Function == nil {
		return nil, fmt.Errorf("window operator needs an assigner and a function")
	}
	if s.AllowedLateness < 0 {
		return nil, fmt.Errorf("allowed lateness cannot be negative: %d", s.AllowedLateness)
	}
	o := &Operator{spec: s, trigger: s.Trigger, keys: s.Keys, hash: s.KeyHash, eventTime: s.Assigner.IsEventTime()}
	if o.trigger == nil {
		o.trigger = s.Assigner.DefaultTrigger()
	}
	if m, ok := s.Assigner.(MergingAssigner); ok {
		if !o.trigger.CanMerge() {
			return nil, fmt.Errorf("a merging window assigner cannot be used with a trigger that does not support merging (%s)", o.trigger)
		}
		o.merging = m
	}
	if s.AllowedLateness > 0 && !o.eventTime {
		// Flink ignores lateness for processing-time windows.
		o.spec.AllowedLateness = 0
	}
	if o.keys == nil {
		o.keys = DefaultKeys
	}
	if o.hash == nil {
		o.hash = DefaultKeyHash
	}
	return o, nil
}

// Operator is the keyed window operator: it implements runtime.Operator and
// runtime.WatermarkAware. It is also the context its assigner, trigger and
// function see.
type Operator struct {
	spec      Spec
	trigger   Trigger
	merging   MergingAssigner
	eventTime bool
	keys      KeyCodec
	hash      func(any) (int32, error)
	maxPar    int

	backend state.Backend
	timers  state.TimerService
	fn      Function
	out     runtime.Output
	clock   runtime.Clock
	coll    collector

	// the current pane
	key    any
	window Window
	winNS  []byte
	merged []Window // during OnMerge

	keyBuf     []byte
	nsBuf      []byte
	stateNS    []byte
	windows    []Window
	trigStates map[string]state.ValueState
	mergeSet   state.ValueState
	counter    state.ValueState
	setBuf     []byte
	dropped    int64

	// batcher is the trigger when it decides runs of elements; deferred
	// holds the run's calls, in order, and stateWindows what each touches:
	// the elements are in no window's contents until settle.
	batcher      ElementBatcher
	deferred     []ElementCall
	stateWindows []deferredState
	cleaner      WindowCleaner
	// timerBatcher is the trigger when it decides runs of timers (and the
	// windows do not merge); due holds a run's timers.
	timerBatcher TimerBatcher
	due          []state.Timer
}

type collector struct{ out runtime.Output }

func (c collector) Collect(v any, ts int64) error {
	return c.out.Emit(types.Record{Value: v, Timestamp: ts})
}

// Open opens the state backend and the function.
func (o *Operator) Open(ctx *runtime.Context, out runtime.Output) error {
	o.out, o.coll = out, collector{out}
	o.clock = ctx.Env.Clock
	if o.clock == nil {
		o.clock = runtime.SystemClock{}
	}
	o.maxPar = ctx.MaxParallelism
	if o.maxPar <= 0 {
		o.maxPar = keygroup.DefaultMaxParallelism
	}
	var err error
	if o.spec.NewBackend != nil {
		o.backend, err = o.spec.NewBackend(ctx)
	} else {
		par := max(ctx.Parallelism, 1)
		o.backend, err = state.Open(ctx.Env.Config, "", keygroup.RangeFor(o.maxPar, par, ctx.Subtask), o.maxPar, o.clock)
	}
	if err != nil {
		return fmt.Errorf("window: state backend: %w", err)
	}
	if o.timers, err = o.backend.Timers(TimersName); err != nil {
		return err
	}
	if o.merging != nil {
		if o.mergeSet, err = o.backend.Value(state.Descriptor{Name: mergingSetState}); err != nil {
			return err
		}
	}
	o.trigStates = map[string]state.ValueState{}
	o.fn = o.spec.Function()
	if err := o.fn.Open(o); err != nil {
		return err
	}
	if src, ok := o.fn.(TriggerSource); ok {
		if t := src.Trigger(); t != nil {
			if o.merging != nil && !t.CanMerge() {
				return fmt.Errorf("a merging window assigner cannot be used with a trigger that does not support merging (%s)", t)
			}
			o.trigger = t
		}
	}
	o.cleaner, _ = o.fn.(WindowCleaner)
	if b, ok := o.trigger.(TimerBatcher); ok {
		o.timerBatcher = b
	}
	if b, ok := o.trigger.(ElementBatcher); ok {
		o.batcher = b
		// Whoever flushes the function (a snapshot) settles the run first.
		o.fn = settlingFunction{Function: o.fn, op: o}
	}
	return nil
}

// settlingFunction is the operator's Function while element calls may be
// deferred: a Flush settles the run first, so nothing deferred is left out
// of what a flush (before a snapshot) completes.
type settlingFunction struct {
	Function
	op *Operator
}

func (f settlingFunction) Flush(out Collector) error {
	if err := f.op.settle(); err != nil {
		return err
	}
	return f.Function.Flush(out)
}

// Merging implements Context.
func (o *Operator) Merging() bool { return o.merging != nil }

// CurrentKey implements TriggerContext: the key of the pane being handled.
func (o *Operator) CurrentKey() any { return o.key }

// Backend implements Context.
func (o *Operator) Backend() state.Backend { return o.backend }

// CurrentWatermark implements Context and TriggerContext.
func (o *Operator) CurrentWatermark() int64 { return o.timers.CurrentWatermark() }

// CurrentProcessingTime implements Context, AssignContext and TriggerContext.
func (o *Operator) CurrentProcessingTime() int64 { return o.clock.Now().UnixMilli() }

// LateDropped is the number of late elements dropped (numLateRecordsDropped).
func (o *Operator) LateDropped() int64 { return o.dropped }

// setKey selects the record's key for state and timers.
func (o *Operator) setKey(key any) error {
	h, err := o.hash(key)
	if err != nil {
		return fmt.Errorf("window: key %v: %w", key, err)
	}
	kg := keygroup.ForHash(h, o.maxPar)
	if !o.backend.KeyGroupRange().Contains(kg) {
		r := o.backend.KeyGroupRange()
		return fmt.Errorf("window: key %v is in key group %d, not among this subtask's %d..%d (the window's KeyHash must match the key_by partitioning)", key, kg, r.Start, r.End)
	}
	if o.keyBuf, err = o.keys.AppendKey(o.keyBuf[:0], key); err != nil {
		return err
	}
	o.backend.SetCurrentKey(kg, o.keyBuf)
	o.key = key
	return nil
}

// WithKey runs fn with key as the backend's current key (as for a record of
// key) and then makes the pane's key current again: for a function that
// keeps state of its own per key and touches it outside the operator's
// calls for that key (a Python window function installing and writing back
// the state of a batch of windows).
func (o *Operator) WithKey(key any, fn func() error) error {
	kg, cur := o.backend.CurrentKey()
	cur = append([]byte(nil), cur...) // setKey reuses the buffer the backend holds
	prev := o.key
	if err := o.setKey(key); err != nil {
		return err
	}
	err := fn()
	o.backend.SetCurrentKey(kg, cur)
	o.key = prev
	return err
}

// Process assigns the record to its windows, adds it to each, and runs the
// trigger.
func (o *Operator) Process(r types.Record) error {
	if err := o.setKey(r.Key); err != nil {
		return err
	}
	var err error
	if o.windows, err = o.spec.Assigner.Assign(r.Value, r.Timestamp, o, o.windows[:0]); err != nil {
		return err
	}
	skipped := true
	if o.batcher != nil && o.merging != nil {
		if skipped, err = o.deferMerging(r); err != nil {
			return err
		}
	} else if o.batcher != nil {
		key := own(r.Key)
		for _, w := range o.windows {
			if o.isWindowLate(w) {
				continue
			}
			skipped = false
			o.deferCall(ElementCall{Key: key, Value: own(r.Value), Timestamp: r.Timestamp, Window: w}, w, nil)
		}
	} else if o.merging != nil {
		set, err := o.loadSet()
		if err != nil {
			return err
		}
		for _, w := range o.windows {
			actual, err := set.Add(w, o.onMerge)
			if err != nil {
				return err
			}
			if o.isWindowLate(actual) {
				if err := set.Retire(actual); err != nil {
					return err
				}
				continue
			}
			skipped = false
			sw, _ := set.StateWindow(actual)
			if err := o.addAndTrigger(r, actual, sw); err != nil {
				return err
			}
		}
		if err := o.saveSet(set); err != nil {
			return err
		}
	} else {
		for _, w := range o.windows {
			if o.isWindowLate(w) {
				continue
			}
			skipped = false
			if err := o.addAndTrigger(r, w, w); err != nil {
				return err
			}
		}
	}
	if skipped && o.isElementLate(r.Timestamp) {
		if o.spec.LateTag != "" {
			return o.out.Emit(types.Record{Value: r.Value, Timestamp: r.Timestamp, Tag: o.spec.LateTag})
		}
		o.dropped++
	}
	if len(o.deferred) >= MaxDeferred {
		return o.settle()
	}
	return nil
}

// own copies encoded (value.Raw) keys and values, which may point into a
// buffer that is reused once Process returns; a deferred call outlives it.
func own(v any) any {
	if raw, ok := v.(value.Raw); ok {
		return append(value.Raw(nil), raw...)
	}
	return v
}

// deferredState is what a deferred call touches besides its pane: the state
// window of an element's contents, or the state window a merge folds the
// contents of mergedState into.
type deferredState struct {
	state       Window
	mergedState []Window
}

func (o *Operator) deferCall(c ElementCall, stateWindow Window, mergedState []Window) {
	o.deferred = append(o.deferred, c)
	o.stateWindows = append(o.stateWindows, deferredState{stateWindow, mergedState})
}

// deferMerging is Process for merging windows with an ElementBatcher: the
// merging window set changes at once, its merges and the element calls wait
// for settle. It reports whether every window of the record was late.
func (o *Operator) deferMerging(r types.Record) (skipped bool, err error) {
	set, err := o.loadSet()
	if err != nil {
		return false, err
	}
	key, value := own(r.Key), own(r.Value)
	merge := func(result Window, merged []Window, stateWindow Window, mergedState []Window) error {
		if err := o.checkMerge(result); err != nil {
			return err
		}
		var others []Window
		for _, m := range merged {
			if m != result {
				others = append(others, m)
			}
		}
		o.deferCall(ElementCall{Kind: CallMerge, Key: key, Window: result, Merged: others}, stateWindow,
			append([]Window(nil), mergedState...))
		for _, m := range merged {
			o.deferCall(ElementCall{Kind: CallClear, Key: key, Window: m}, m, nil)
		}
		return nil
	}
	skipped = true
	for _, w := range o.windows {
		actual, err := set.Add(w, merge)
		if err != nil {
			return false, err
		}
		if o.isWindowLate(actual) {
			if err := set.Retire(actual); err != nil {
				return false, err
			}
			continue
		}
		skipped = false
		sw, _ := set.StateWindow(actual)
		o.deferCall(ElementCall{Key: key, Value: value, Timestamp: r.Timestamp, Window: actual}, sw, nil)
	}
	return skipped, o.saveSet(set)
}

// settle decides the deferred run of calls in one OnElements call, then
// does what each call's Process step would have done after it, in order:
// for an element, add it to its window's contents and act on the decision;
// for a merge, fold the merged contents; for a clear, drop the cleanup
// timer of the window merged away; and set every decision's timers.
func (o *Operator) settle() error {
	if len(o.deferred) == 0 {
		return nil
	}
	calls, states := o.deferred, o.stateWindows
	o.deferred, o.stateWindows = o.deferred[len(o.deferred):], o.stateWindows[len(o.stateWindows):]
	decisions, err := o.batcher.OnElements(calls, o)
	if err != nil {
		return err
	}
	if len(decisions) != len(calls) {
		return fmt.Errorf("window: trigger %s decided %d of %d calls", o.trigger, len(decisions), len(calls))
	}
	for i := range calls {
		c, st := &calls[i], &states[i]
		if err := o.setKey(c.Key); err != nil {
			return err
		}
		o.setPane(c.Window)
		for _, t := range decisions[i].Timers {
			if err := o.applyTimer(t); err != nil {
				return err
			}
		}
		switch c.Kind {
		case CallElement:
			o.stateNS = st.state.AppendNamespace(o.stateNS[:0])
			if err := o.fn.Add(o.stateNS, c.Value); err != nil {
				return err
			}
			if err := o.act(decisions[i].Result, c.Window); err != nil {
				return err
			}
			if err := o.registerCleanup(c.Window); err != nil {
				return err
			}
		case CallMerge:
			if len(st.mergedState) > 0 {
				target := st.state.AppendNamespace(nil)
				sources := make([][]byte, len(st.mergedState))
				for j, w := range st.mergedState {
					sources[j] = w.AppendNamespace(nil)
				}
				if err := o.fn.Merge(target, sources); err != nil {
					return err
				}
			}
		case CallClear:
			if err := o.deleteCleanup(c.Window); err != nil {
				return err
			}
		}
	}
	clear(calls)
	clear(states)
	o.deferred, o.stateWindows = calls[:0], states[:0]
	return nil
}

// applyTimer sets or deletes a trigger's timer for the current pane.
func (o *Operator) applyTimer(t TimerOp) error {
	switch {
	case t.Processing && t.Delete:
		return o.DeleteProcessingTimeTimer(t.Time)
	case t.Processing:
		return o.RegisterProcessingTimeTimer(t.Time)
	case t.Delete:
		return o.DeleteEventTimeTimer(t.Time)
	}
	return o.RegisterEventTimeTimer(t.Time)
}

func (o *Operator) addAndTrigger(r types.Record, w, stateWindow Window) error {
	o.stateNS = stateWindow.AppendNamespace(o.stateNS[:0])
	if err := o.fn.Add(o.stateNS, r.Value); err != nil {
		return err
	}
	o.setPane(w)
	res, err := o.trigger.OnElement(r.Value, r.Timestamp, w, o)
	if err != nil {
		return err
	}
	if err := o.act(res, w); err != nil {
		return err
	}
	return o.registerCleanup(w)
}

// act carries out a trigger's decision for pane w, whose contents live under
// o.stateNS.
func (o *Operator) act(res Result, w Window) error {
	if res.IsFire() {
		if err := o.fn.Emit(o.key, w, o.stateNS, o.coll); err != nil {
			return err
		}
	}
	if res.IsPurge() {
		return o.fn.Clear(o.stateNS)
	}
	return nil
}

func (o *Operator) setPane(w Window) {
	o.window = w
	o.winNS = w.AppendNamespace(o.winNS[:0])
}

// onMerge is the MergeFunc of the merging window set.
func (o *Operator) onMerge(result Window, merged []Window, stateWindow Window, mergedState []Window) error {
	if err := o.checkMerge(result); err != nil {
		return err
	}
	o.setPane(result)
	o.merged = merged
	err := o.trigger.OnMerge(result, o)
	o.merged = nil
	if err != nil {
		return err
	}
	for _, m := range merged {
		o.setPane(m)
		if err := o.trigger.Clear(m, o); err != nil {
			return err
		}
		if err := o.deleteCleanup(m); err != nil {
			return err
		}
	}
	if len(mergedState) == 0 {
		return nil
	}
	target := stateWindow.AppendNamespace(nil)
	sources := make([][]byte, len(mergedState))
	for i, w := range mergedState {
		sources[i] = w.AppendNamespace(nil)
	}
	return o.fn.Merge(target, sources)
}

// checkMerge refuses a merge whose result would already be cleaned up.
func (o *Operator) checkMerge(result Window) error {
	if o.eventTime && satAdd(result.MaxTimestamp(), o.spec.AllowedLateness) <= o.CurrentWatermark() {
		return fmt.Errorf("The end timestamp of an event-time window cannot become earlier than the current watermark by merging. Current watermark: %d window: %v", o.CurrentWatermark(), result)
	}
	if !o.eventTime && result.MaxTimestamp() <= o.CurrentProcessingTime() {
		return fmt.Errorf("The end timestamp of a processing-time window cannot become earlier than the current processing time by merging. Current processing time: %d window: %v", o.CurrentProcessingTime(), result)
	}
	return nil
}

func satAdd(a, b int64) int64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxInt64
}

// cleanupTime is when the state of w is dropped.
func (o *Operator) cleanupTime(w Window) int64 {
	if o.eventTime {
		return satAdd(w.MaxTimestamp(), o.spec.AllowedLateness)
	}
	return w.MaxTimestamp()
}

func (o *Operator) isWindowLate(w Window) bool {
	return o.eventTime && o.cleanupTime(w) <= o.CurrentWatermark()
}

func (o *Operator) isElementLate(ts int64) bool {
	return o.eventTime && satAdd(ts, o.spec.AllowedLateness) <= o.CurrentWatermark()
}

func (o *Operator) registerCleanup(w Window) error {
	t := o.cleanupTime(w)
	if t == math.MaxInt64 {
		return nil
	}
	o.nsBuf = w.AppendNamespace(o.nsBuf[:0])
	if o.eventTime {
		return o.timers.RegisterEventTimeTimer(o.nsBuf, t)
	}
	return o.timers.RegisterProcessingTimeTimer(o.nsBuf, t)
}

func (o *Operator) deleteCleanup(w Window) error {
	t := o.cleanupTime(w)
	if t == math.MaxInt64 {
		return nil
	}
	o.nsBuf = w.AppendNamespace(o.nsBuf[:0])
	if o.eventTime {
		return o.timers.DeleteEventTimeTimer(o.nsBuf, t)
	}
	return o.timers.DeleteProcessingTimeTimer(o.nsBuf, t)
}

// ProcessWatermark fires the event-time timers the watermark passed, lets
// the function finish, and forwards the watermark.
func (o *Operator) ProcessWatermark(wm int64) error {
	if err := o.settle(); err != nil {
		return err
	}
	if err := o.advance(true, wm); err != nil {
		return err
	}
	if err := o.fn.Flush(o.coll); err != nil {
		return err
	}
	return o.out.EmitWatermark(wm)
}

// advance fires the event-time (event) or processing-time timers due at
// upTo: one by one, or in runs for a TimerBatcher.
func (o *Operator) advance(event bool, upTo int64) error {
	adv, fire := o.timers.AdvanceProcessingTime, o.onProcessingTime
	if event {
		adv, fire = o.timers.AdvanceWatermark, o.onEventTime
	}
	if o.timerBatcher == nil {
		return adv(upTo, fire)
	}
	// A run is the due timers of one timestamp, the earliest: timers a run
	// sets fire in the order they would have one by one. The first timer of
	// a later timestamp is put back.
	var next state.Timer
	collect := func(t state.Timer) error {
		t.Key = append([]byte(nil), t.Key...)
		t.Namespace = append([]byte(nil), t.Namespace...)
		if len(o.due) > 0 && t.Timestamp != o.due[0].Timestamp {
			next = t
			return errRunEnds
		}
		o.due = append(o.due, t)
		return nil
	}
	for {
		o.due = o.due[:0]
		err := adv(upTo, collect)
		if err == errRunEnds {
			o.backend.SetCurrentKey(next.KeyGroup, next.Key)
			if event {
				err = o.timers.RegisterEventTimeTimer(next.Namespace, next.Timestamp)
			} else {
				err = o.timers.RegisterProcessingTimeTimer(next.Namespace, next.Timestamp)
			}
		}
		if err != nil {
			return err
		}
		if len(o.due) == 0 {
			return nil
		}
		if err := o.fireRun(event); err != nil {
			return err
		}
	}
}

// errRunEnds stops collecting a run of timers at the next timestamp.
var errRunEnds = errors.New("window: end of a run of timers")

// fireRun decides the due timers in one OnTimers call, then acts on each
// decision in order as onTimer does for one timer: its timers, FIRE and
// PURGE, and at the cleanup time the window's contents, its clean-up and its
// place in the merging window set. A timer of a session merged away is
// dropped, as onTimer drops it.
func (o *Operator) fireRun(event bool) error {
	calls := make([]TimerCall, 0, len(o.due))
	timers := o.due[:0:0]
	for _, t := range o.due {
		w, err := ParseNamespace(t.Namespace)
		if err != nil {
			return err
		}
		key, err := o.keys.DecodeKey(t.Key)
		if err != nil {
			return err
		}
		if o.merging != nil {
			o.backend.SetCurrentKey(t.KeyGroup, t.Key)
			set, err := o.loadSet()
			if err != nil {
				return err
			}
			if _, ok := set.StateWindow(w); !ok {
				continue
			}
		}
		timers = append(timers, t)
		calls = append(calls, TimerCall{Key: key, Window: w, Time: t.Timestamp, Processing: !event,
			Cleanup: o.eventTime == event && t.Timestamp == o.cleanupTime(w)})
	}
	if len(calls) == 0 {
		return nil
	}
	ds, err := o.timerBatcher.OnTimers(calls, o)
	if err != nil {
		return err
	}
	if len(ds) != len(calls) {
		return fmt.Errorf("window: trigger %s decided %d of %d timers", o.trigger, len(ds), len(calls))
	}
	for i, t := range timers {
		c, d := &calls[i], &ds[i]
		o.backend.SetCurrentKey(t.KeyGroup, t.Key)
		o.key = c.Key
		stateWindow := c.Window
		var set *MergingSet
		if o.merging != nil {
			if set, err = o.loadSet(); err != nil {
				return err
			}
			stateWindow, _ = set.StateWindow(c.Window)
		}
		o.stateNS = stateWindow.AppendNamespace(o.stateNS[:0])
		o.setPane(c.Window)
		for _, op := range d.Timers {
			if err := o.applyTimer(op); err != nil {
				return err
			}
		}
		if err := o.act(d.Result, c.Window); err != nil {
			return err
		}
		if !c.Cleanup {
			continue
		}
		if err := o.fn.Clear(o.stateNS); err != nil {
			return err
		}
		if o.cleaner != nil {
			if err := o.cleaner.ClearWindow(o.key, c.Window); err != nil {
				return err
			}
		}
		if set != nil {
			if err := set.Retire(c.Window); err != nil {
				return err
			}
			if err := o.saveSet(set); err != nil {
				return err
			}
		}
	}
	return nil
}

func (o *Operator) onEventTime(t state.Timer) error { return o.onTimer(t, true) }

func (o *Operator) onProcessingTime(t state.Timer) error { return o.onTimer(t, false) }

// onTimer is WindowOperator.onEventTime / onProcessingTime. The backend's
// current key is already the timer's.
func (o *Operator) onTimer(t state.Timer, event bool) error {
	w, err := ParseNamespace(t.Namespace)
	if err != nil {
		return err
	}
	if o.key, err = o.keys.DecodeKey(t.Key); err != nil {
		return err
	}
	var set *MergingSet
	stateWindow := w
	if o.merging != nil {
		if set, err = o.loadSet(); err != nil {
			return err
		}
		sw, ok := set.StateWindow(w)
		if !ok {
			// A timer of a window that has been merged away.
			return nil
		}
		stateWindow = sw
	}
	o.stateNS = stateWindow.AppendNamespace(o.stateNS[:0])
	o.setPane(w)
	var res Result
	if event {
		res, err = o.trigger.OnEventTime(t.Timestamp, w, o)
	} else {
		res, err = o.trigger.OnProcessingTime(t.Timestamp, w, o)
	}
	if err != nil {
		return err
	}
	if err := o.act(res, w); err != nil {
		return err
	}
	if o.eventTime == event && t.Timestamp == o.cleanupTime(w) {
		if err := o.clearAll(w, set); err != nil {
			return err
		}
	}
	if set != nil {
		return o.saveSet(set)
	}
	return nil
}

// clearAll drops everything of pane w: contents, trigger state and timers,
// then lets a WindowCleaner function clean up its own state of w, and drops
// w's place in the merging set (the order of WindowOperator.clearAllState).
func (o *Operator) clearAll(w Window, set *MergingSet) error {
	if err := o.fn.Clear(o.stateNS); err != nil {
		return err
	}
	o.setPane(w)
	if err := o.trigger.Clear(w, o); err != nil {
		return err
	}
	if o.cleaner != nil {
		if err := o.cleaner.ClearWindow(o.key, w); err != nil {
			return err
		}
	}
	if set != nil {
		return set.Retire(w)
	}
	return nil
}

// Tick fires due processing-time timers.
func (o *Operator) Tick() error {
	if err := o.settle(); err != nil {
		return err
	}
	if err := o.advance(false, o.CurrentProcessingTime()); err != nil {
		return err
	}
	return o.fn.Flush(o.coll)
}

// EndInput lets the function finish. Event-time windows have fired with the
// final watermark; pending processing-time windows do not fire, as in Flink.
func (o *Operator) EndInput() error {
	if err := o.settle(); err != nil {
		return err
	}
	return o.fn.Flush(o.coll)
}

// Close closes the function and the state backend.
func (o *Operator) Close() error {
	var err error
	if o.fn != nil {
		err = o.fn.Close()
	}
	if o.backend != nil {
		if cerr := o.backend.Close(); err == nil {
			err = cerr
		}
		o.backend = nil
	}
	return err
}

// NextCount implements AssignContext with a per-key counter.
func (o *Operator) NextCount() (int64, error) {
	if o.counter == nil {
		var err error
		if o.counter, err = o.backend.Value(state.Descriptor{Name: windowCountState}); err != nil {
			return 0, err
		}
	}
	o.counter.SetNamespace(nil)
	b, ok, err := o.counter.Value()
	if err != nil {
		return 0, err
	}
	var n int64
	if ok {
		if len(b) != 8 {
			return 0, fmt.Errorf("window: corrupt count")
		}
		n = int64(binary.BigEndian.Uint64(b))
	}
	return n, o.counter.Update(binary.BigEndian.AppendUint64(o.setBuf[:0], uint64(n+1)))
}

// loadSet reads the merging window set of the current key.
func (o *Operator) loadSet() (*MergingSet, error) {
	o.mergeSet.SetNamespace(nil)
	b, ok, err := o.mergeSet.Value()
	if err != nil {
		return nil, err
	}
	var pairs [][2]Window
	for ok && len(b) > 0 {
		var p [2]Window
		for i := range p {
			n, w := binary.Uvarint(b)
			if w <= 0 || uint64(len(b)-w) < n {
				return nil, fmt.Errorf("window: corrupt merging window set")
			}
			if p[i], err = ParseNamespace(b[w : w+int(n)]); err != nil {
				return nil, err
			}
			b = b[w+int(n):]
		}
		pairs = append(pairs, p)
	}
	return NewMergingSet(o.merging, pairs), nil
}

// saveSet persists the set when it changed.
func (o *Operator) saveSet(s *MergingSet) error {
	if !s.Changed() {
		return nil
	}
	o.mergeSet.SetNamespace(nil)
	if s.Len() == 0 {
		return o.mergeSet.Clear()
	}
	b := o.setBuf[:0]
	for _, p := range s.Pairs() {
		for _, w := range p {
			o.nsBuf = w.AppendNamespace(o.nsBuf[:0])
			b = binary.AppendUvarint(b, uint64(len(o.nsBuf)))
			b = append(b, o.nsBuf...)
		}
	}
	o.setBuf = b
	return o.mergeSet.Update(b)
}

// TriggerContext of the current pane.

// RegisterEventTimeTimer implements TriggerContext.
func (o *Operator) RegisterEventTimeTimer(t int64) error {
	return o.timers.RegisterEventTimeTimer(o.winNS, t)
}

// RegisterProcessingTimeTimer implements TriggerContext.
func (o *Operator) RegisterProcessingTimeTimer(t int64) error {
	return o.timers.RegisterProcessingTimeTimer(o.winNS, t)
}

// DeleteEventTimeTimer implements TriggerContext.
func (o *Operator) DeleteEventTimeTimer(t int64) error {
	return o.timers.DeleteEventTimeTimer(o.winNS, t)
}

// DeleteProcessingTimeTimer implements TriggerContext.
func (o *Operator) DeleteProcessingTimeTimer(t int64) error {
	return o.timers.DeleteProcessingTimeTimer(o.winNS, t)
}

func (o *Operator) triggerState(name string) (state.ValueState, error) {
	s, ok := o.trigStates[name]
	if !ok {
		var err error
		if s, err = o.backend.Value(state.Descriptor{Name: triggerStateName + name}); err != nil {
			return nil, err
		}
		o.trigStates[name] = s
	}
	return s, nil
}

// GetState implements TriggerContext.
func (o *Operator) GetState(name string) ([]byte, bool, error) {
	s, err := o.triggerState(name)
	if err != nil {
		return nil, false, err
	}
	s.SetNamespace(o.winNS)
	return s.Value()
}

// SetState implements TriggerContext.
func (o *Operator) SetState(name string, v []byte) error {
	s, err := o.triggerState(name)
	if err != nil {
		return err
	}
	s.SetNamespace(o.winNS)
	return s.Update(v)
}

// ClearState implements TriggerContext.
func (o *Operator) ClearState(name string) error {
	s, err := o.triggerState(name)
	if err != nil {
		return err
	}
	s.SetNamespace(o.winNS)
	return s.Clear()
}

// MergedWindows implements MergeContext.
func (o *Operator) MergedWindows() []Window {
	out := make([]Window, 0, len(o.merged))
	for _, w := range o.merged {
		if w != o.window {
			out = append(out, w)
		}
	}
	return out
}

// MergeState implements MergeContext: the merged windows' values are folded
// (in window order) into the current pane's and cleared.
func (o *Operator) MergeState(name string, merge func(a, b []byte) ([]byte, error)) error {
	s, err := o.triggerState(name)
	if err != nil {
		return err
	}
	s.SetNamespace(o.winNS)
	cur, have, err := s.Value()
	if err != nil {
		return err
	}
	acc := append([]byte(nil), cur...)
	changed := false
	var ns []byte
	for _, w := range o.merged {
		ns = w.AppendNamespace(ns[:0])
		if string(ns) == string(o.winNS) {
			continue
		}
		s.SetNamespace(ns)
		v, ok, err := s.Value()
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if have {
			m, err := merge(acc, v)
			if err != nil {
				return err
			}
			acc = append(acc[:0:0], m...)
		} else {
			acc, have = append([]byte(nil), v...), true
		}
		changed = true
		if err := s.Clear(); err != nil {
			return err
		}
	}
	if !changed {
		return nil
	}
	s.SetNamespace(o.winNS)
	return s.Update(acc)
}
