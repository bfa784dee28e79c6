package pyop

import (
	"fmt"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/value"
	"github.com/pyflink-go/pyflink-go/engine/window"
	"github.com/pyflink-go/pyflink-go/udf"
)

// windowContents is the list state a Python window function buffers its
// elements in, per key and window.
const windowContents = "py-window-contents"

// WindowFunction is a window.Function that evaluates fired windows in a
// Python worker: the engine assigns windows, keeps their elements, runs
// triggers and timers natively, and ships each fired window (key, window,
// elements) to Python, batching every window fired by one watermark into
// one worker call. A window that is cleaned up travels the same way (a row
// whose value is nil), so ProcessWindowFunction.clear(context) runs in order
// with the evaluations. Per-window state (context.window_state()) and keyed
// state (global_state()) are in the operator's backend and travel with each
// batch (window_state.go).
//
// When the window has a custom Python Trigger, the worker declares it at
// open (a state of kind "trigger"), and the function becomes the operator's
// trigger too (window.TriggerSource): see pythonTrigger.
type WindowFunction struct {
	Ctx  *rt.Context
	Name string
	// Fn is the pickled {"kind", "fn", "window_fn", "trigger"?} of the window node.
	Fn []byte
	// All marks a window_all: keys are not passed to the function.
	All bool

	stream   udf.Stream
	contents state.ListState
	backend  state.Backend
	state    *windowState
	wm       window.Context
	pending  []udf.Row
	// panes[i] is what pending[i] touches (its key and window).
	panes   []pane
	trigger *pythonTrigger
}

// triggerKind is the kind of the declaration a window chain makes at open
// when its window has a custom Python trigger (udf/SPEC.md §4, window).
const triggerKind = "trigger"

// NewWindowFunction returns a factory for window.Spec.Function.
func NewWindowFunction(ctx *rt.Context, name string, fn []byte, all bool) func() window.Function {
	return func() window.Function { return &WindowFunction{Ctx: ctx, Name: name, Fn: fn, All: all} }
}

// Open opens the worker stream and the contents state.
func (f *WindowFunction) Open(ctx window.Context) error {
	opener, ok := f.Ctx.Env.Services[ServiceName].(StreamOpener)
	if !ok {
		return fmt.Errorf("no Python worker pool is configured for this job")
	}
	params := map[string]any{"all": f.All, "merging": ctx.Merging()}
	spec := udf.ChainSpec{Ops: []udf.OpSpec{{Func: "window", Name: f.Name, Fn: f.Fn, Params: params}},
		Task: udf.TaskInfo{JobName: f.Ctx.Env.JobName, TaskName: f.Ctx.TaskName, Subtask: f.Ctx.Subtask,
			Parallelism: f.Ctx.Parallelism, MaxParallelism: f.Ctx.MaxParallelism, JobParameters: f.Ctx.Env.JobParameters,
			Mode: f.Ctx.Env.Mode}}
	st, err := opener.Open(f.Ctx.Ctx(), spec)
	if err != nil {
		return err
	}
	f.stream = st
	f.wm = ctx
	if d, ok := st.(udf.StateDeclarer); ok {
		for _, decl := range d.OpenStates() {
			if decl.Kind == triggerKind {
				f.trigger = &pythonTrigger{f: f, name: decl.Name}
			}
		}
	}
	f.backend = ctx.Backend()
	l, err := f.backend.List(state.Descriptor{Name: windowContents})
	if err != nil {
		return err
	}
	f.contents = l
	f.state, err = openWindowState(ctx)
	return err
}

// Add buffers one element of the window ns.
func (f *WindowFunction) Add(ns []byte, v any) error {
	raw, err := encode(v)
	if err != nil {
		return err
	}
	f.contents.SetNamespace(ns)
	return f.contents.Add(raw)
}

// Merge moves the elements of merged session windows into target.
func (f *WindowFunction) Merge(target []byte, sources [][]byte) error {
	return f.contents.MergeNamespaces(target, sources)
}

// Emit queues the window for evaluation in Python; Flush runs it.
func (f *WindowFunction) Emit(key any, w window.Window, ns []byte, out window.Collector) error {
	f.contents.SetNamespace(ns)
	var items [][]byte
	if err := f.contents.Get(func(v []byte) error {
		items = append(items, v)
		return nil
	}); err != nil {
		return err
	}
	if len(items) == 0 {
		return nil
	}
	arr := value.AppendArrayHeader(nil, len(items))
	for _, it := range items {
		arr = append(arr, it...)
	}
	row := udf.Row{Value: arr, Timestamp: w.MaxTimestamp(), Window: toUDFWindow(w)}
	if !f.All {
		k, err := encode(key)
		if err != nil {
			return err
		}
		row.Key = append(value.Raw(nil), k...)
	}
	f.pending = append(f.pending, row)
	f.panes = append(f.panes, pane{key: key, windows: []window.Window{w}})
	if len(f.pending) >= DefaultBundleSize {
		return f.Flush(out)
	}
	return nil
}

// toUDFWindow is the window as the worker protocol carries it: a count
// window keeps its id, so Python sees CountWindow(id) as PyFlink's does.
func toUDFWindow(w window.Window) *udf.Window {
	switch w.Kind {
	case window.TimeKind:
		return &udf.Window{Kind: udf.TimeWindowKind, Start: w.Start, End: w.End}
	case window.CountKind:
		return &udf.Window{Kind: udf.CountWindowKind, Start: w.ID()}
	}
	return &udf.Window{Kind: udf.GlobalWindowKind}
}

// Trigger implements window.TriggerSource: the custom Python trigger the
// worker declared, or nil.
func (f *WindowFunction) Trigger() window.Trigger {
	if f.trigger == nil {
		return nil
	}
	return f.trigger
}

// ClearWindow implements window.WindowCleaner: it queues the window's
// clean-up, which calls the function's clear(context) in the worker after
// the evaluations queued before it.
func (f *WindowFunction) ClearWindow(key any, w window.Window) error {
	row := udf.Row{Value: value.Raw{0xc0}, Timestamp: udf.NoTimestamp, Window: toUDFWindow(w)}
	if !f.All {
		k, err := encode(key)
		if err != nil {
			return err
		}
		row.Key = append(value.Raw(nil), k...)
	}
	f.pending = append(f.pending, row)
	f.panes = append(f.panes, pane{key: key, windows: []window.Window{w}})
	return nil
}

// Clear drops the elements of ns.
func (f *WindowFunction) Clear(ns []byte) error {
	f.contents.SetNamespace(ns)
	return f.contents.Clear()
}

// Flush evaluates every queued window and emits the results.
func (f *WindowFunction) Flush(out window.Collector) error {
	if len(f.pending) == 0 {
		return nil
	}
	b := &udf.Batch{Rows: f.pending, Watermark: f.wm.CurrentWatermark(), ProcessingTime: f.wm.CurrentProcessingTime()}
	panes := f.panes
	f.pending, f.panes = nil, nil
	res, err := f.call(b, panes, udf.ScopeWindow)
	if err != nil {
		return err
	}
	if out == nil {
		return fmt.Errorf("window results of %s arrived without an output", f.Name)
	}
	for _, r := range res.Rows {
		if err := out.Collect(r.Value, r.Timestamp); err != nil {
			return err
		}
	}
	return nil
}

// call runs one batch in the worker and waits for its result, with the
// state of the panes of its rows installed (of scope, and global_state())
// and the state changes written back. Batches are never left outstanding,
// so the result is this batch's.
func (f *WindowFunction) call(b *udf.Batch, panes []pane, scope string) (*udf.Result, error) {
	keys, err := f.state.install(b, panes, scope)
	if err != nil {
		return nil, fmt.Errorf("window %s: state: %w", f.Name, err)
	}
	if err := f.stream.Submit(b); err != nil {
		return nil, err
	}
	select {
	case r, ok := <-f.stream.Results():
		if !ok {
			return nil, fmt.Errorf("the Python worker stream of %s ended", f.Name)
		}
		if r.Err != nil {
			return nil, r.Err
		}
		if err := f.state.writeBack(r.State, keys); err != nil {
			return nil, fmt.Errorf("window %s: %w", f.Name, err)
		}
		return r, nil
	case <-f.Ctx.Done():
		return nil, f.Ctx.Ctx().Err()
	}
}

// Close ends the worker stream.
func (f *WindowFunction) Close() error {
	if f.stream == nil {
		return nil
	}
	err := f.stream.Close()
	f.stream = nil
	return err
}

// pythonTrigger is the window.Trigger of a custom Python Trigger: each call
// (on_element, on_event_time, on_processing_time, on_merge, clear) is one
// row of the window chain's stream — its value a map {"on": ..., ...}, its
// key and window the pane's — answered by one row, [the TriggerResult's
// number (nil for on_merge and clear), the timers the call registered or
// deleted], which go to the operator's timer service for the pane. The
// trigger's partitioned state is in the operator's backend, per key and
// window, and travels with the calls (window_state.go).
//
// The operator makes the calls in runs, one round trip each: element calls
// (window.ElementBatcher: up to window.MaxDeferred calls, with the merges and
// clears of session windows in their places) and the timers due at one
// timestamp (window.TimerBatcher, each with the trigger's clear at its
// window's cleanup time). The single-call methods (OnElement, OnMerge, ...)
// make the Trigger complete; the operator uses the runs.
type pythonTrigger struct {
	f    *WindowFunction
	name string
	buf  []byte
}

// Trigger call kinds, as the worker reads them.
const (
	onElement        = "element"
	onEventTime      = "event_time"
	onProcessingTime = "processing_time"
	onMerge          = "merge"
	onClear          = "clear"
)

// callRow returns the row of one trigger call for key and window w. extra
// appends the call's other map entries (extraN of them).
func (t *pythonTrigger) callRow(key any, w window.Window, on string, ts int64,
	extraN int, extra func([]byte) ([]byte, error)) (udf.Row, error) {
	k, err := encode(key)
	if err != nil {
		return udf.Row{}, fmt.Errorf("trigger %s: key: %w", t.name, err)
	}
	v := value.AppendMapHeader(t.buf[:0], 1+extraN)
	v = value.AppendString(value.AppendString(v, "on"), on)
	if extra != nil {
		if v, err = extra(v); err != nil {
			return udf.Row{}, err
		}
	}
	t.buf = v
	return udf.Row{Key: k, Value: append(value.Raw(nil), v...), Timestamp: ts, Window: toUDFWindow(w)}, nil
}

// run sends the call rows in one batch and returns the decisions, in order;
// panes[i] is what rows[i] touches.
func (t *pythonTrigger) run(rows []udf.Row, panes []pane, ctx window.TriggerContext) ([]window.Decision, error) {
	res, err := t.f.call(&udf.Batch{Rows: rows, Watermark: ctx.CurrentWatermark(),
		ProcessingTime: ctx.CurrentProcessingTime()}, panes, udf.ScopeTrigger)
	if err != nil {
		return nil, err
	}
	if len(res.Rows) != len(rows) {
		return nil, fmt.Errorf("trigger %s: the worker answered %d calls with %d rows", t.name, len(rows), len(res.Rows))
	}
	out := make([]window.Decision, len(rows))
	for i, r := range res.Rows {
		if out[i], err = parseDecision(r.Value); err != nil {
			return nil, fmt.Errorf("trigger %s: answer %d: %w", t.name, i, err)
		}
	}
	return out, nil
}

// parseDecision reads an answer (udf.ParseTriggerAnswer) as a window.Decision.
func parseDecision(b []byte) (window.Decision, error) {
	a, err := udf.ParseTriggerAnswer(b)
	if err != nil {
		return window.Decision{}, err
	}
	d := window.Decision{Result: window.Result(a.Result)}
	for _, t := range a.Timers {
		d.Timers = append(d.Timers, window.TimerOp{Time: t.Timestamp, Processing: t.Domain == udf.ProcessingTime, Delete: t.Delete})
	}
	return d, nil
}

// call runs one trigger method in the worker for the pane of ctx and applies
// its timers to the pane.
func (t *pythonTrigger) call(ctx window.TriggerContext, w window.Window, on string, ts int64,
	extraN int, extra func([]byte) ([]byte, error)) (window.Result, error) {
	row, err := t.callRow(ctx.CurrentKey(), w, on, ts, extraN, extra)
	if err != nil {
		return window.Continue, err
	}
	p := pane{key: ctx.CurrentKey(), windows: []window.Window{w}}
	if mc, ok := ctx.(window.MergeContext); ok && on == onMerge {
		p.windows = append(p.windows, mc.MergedWindows()...)
	}
	ds, err := t.run([]udf.Row{row}, []pane{p}, ctx)
	if err != nil {
		return window.Continue, err
	}
	for _, op := range ds[0].Timers {
		switch {
		case op.Processing && op.Delete:
			err = ctx.DeleteProcessingTimeTimer(op.Time)
		case op.Processing:
			err = ctx.RegisterProcessingTimeTimer(op.Time)
		case op.Delete:
			err = ctx.DeleteEventTimeTimer(op.Time)
		default:
			err = ctx.RegisterEventTimeTimer(op.Time)
		}
		if err != nil {
			return window.Continue, err
		}
	}
	return ds[0].Result, nil
}

// OnElements implements window.ElementBatcher: one worker call for a run
// of element calls (and, for merging windows, its merges and clears).
func (t *pythonTrigger) OnElements(calls []window.ElementCall, ctx window.TriggerContext) ([]window.Decision, error) {
	rows := make([]udf.Row, len(calls))
	panes := make([]pane, len(calls))
	for i := range calls {
		c := &calls[i]
		panes[i] = pane{key: c.Key, windows: []window.Window{c.Window}}
		var err error
		switch c.Kind {
		case window.CallMerge:
			panes[i].windows = append(panes[i].windows, c.Merged...)
			rows[i], err = t.callRow(c.Key, c.Window, onMerge, udf.NoTimestamp, 1, func(b []byte) ([]byte, error) {
				return appendMerged(b, c.Merged), nil
			})
		case window.CallClear:
			rows[i], err = t.callRow(c.Key, c.Window, onClear, udf.NoTimestamp, 0, nil)
		default:
			var raw value.Raw
			if raw, err = encode(c.Value); err != nil {
				return nil, err
			}
			rows[i], err = t.callRow(c.Key, c.Window, onElement, c.Timestamp, 1, func(b []byte) ([]byte, error) {
				return append(value.AppendString(b, "value"), raw...), nil
			})
		}
		if err != nil {
			return nil, err
		}
	}
	return t.run(rows, panes, ctx)
}

// appendMerged appends the "merged" entry of a merge call.
func appendMerged(b []byte, merged []window.Window) []byte {
	b = value.AppendArrayHeader(value.AppendString(b, "merged"), len(merged))
	for _, m := range merged {
		b = appendWindowValue(b, m)
	}
	return b
}

// OnTimers implements window.TimerBatcher: one worker call for a run; a
// call at a window's cleanup time runs the trigger's clear right after.
func (t *pythonTrigger) OnTimers(calls []window.TimerCall, ctx window.TriggerContext) ([]window.Decision, error) {
	rows := make([]udf.Row, len(calls))
	panes := make([]pane, len(calls))
	for i := range calls {
		c := &calls[i]
		panes[i] = pane{key: c.Key, windows: []window.Window{c.Window}}
		on, n := onEventTime, 1
		if c.Processing {
			on = onProcessingTime
		}
		if c.Cleanup {
			n++
		}
		var err error
		if rows[i], err = t.callRow(c.Key, c.Window, on, udf.NoTimestamp, n, func(b []byte) ([]byte, error) {
			b = value.AppendInt(value.AppendString(b, "time"), c.Time)
			if c.Cleanup {
				b = value.AppendBool(value.AppendString(b, "cleanup"), true)
			}
			return b, nil
		}); err != nil {
			return nil, err
		}
	}
	return t.run(rows, panes, ctx)
}

// OnElement implements window.Trigger.
func (t *pythonTrigger) OnElement(v any, ts int64, w window.Window, ctx window.TriggerContext) (window.Result, error) {
	raw, err := encode(v)
	if err != nil {
		return window.Continue, err
	}
	return t.call(ctx, w, onElement, ts, 1, func(b []byte) ([]byte, error) {
		return append(value.AppendString(b, "value"), raw...), nil
	})
}

func (t *pythonTrigger) onTime(on string, time int64, w window.Window, ctx window.TriggerContext) (window.Result, error) {
	return t.call(ctx, w, on, udf.NoTimestamp, 1, func(b []byte) ([]byte, error) {
		return value.AppendInt(value.AppendString(b, "time"), time), nil
	})
}

// OnEventTime implements window.Trigger.
func (t *pythonTrigger) OnEventTime(time int64, w window.Window, ctx window.TriggerContext) (window.Result, error) {
	return t.onTime(onEventTime, time, w, ctx)
}

// OnProcessingTime implements window.Trigger.
func (t *pythonTrigger) OnProcessingTime(time int64, w window.Window, ctx window.TriggerContext) (window.Result, error) {
	return t.onTime(onProcessingTime, time, w, ctx)
}

// CanMerge implements window.Trigger: WindowedStream.trigger checked the
// Python trigger's can_merge() against the assigner when the job was built.
func (t *pythonTrigger) CanMerge() bool { return true }

// OnMerge implements window.Trigger: the worker sees the windows merged into
// w, whose state merge_partitioned_state folds.
func (t *pythonTrigger) OnMerge(w window.Window, ctx window.MergeContext) error {
	merged := ctx.MergedWindows()
	_, err := t.call(ctx, w, onMerge, udf.NoTimestamp, 1, func(b []byte) ([]byte, error) {
		return appendMerged(b, merged), nil
	})
	return err
}

// Clear implements window.Trigger.
func (t *pythonTrigger) Clear(w window.Window, ctx window.TriggerContext) error {
	_, err := t.call(ctx, w, onClear, udf.NoTimestamp, 0, nil)
	return err
}

// String names the trigger by its Python class.
func (t *pythonTrigger) String() string { return t.name + "()" }

// appendWindowValue appends w as the worker protocol writes windows
// ([start, end], "global", or a count window's id).
func appendWindowValue(dst []byte, w window.Window) []byte {
	switch w.Kind {
	case window.GlobalKind:
		return value.AppendString(dst, "global")
	case window.CountKind:
		return value.AppendInt(dst, w.ID())
	}
	return value.AppendInt(value.AppendInt(value.AppendArrayHeader(dst, 2), w.Start), w.End)
}
