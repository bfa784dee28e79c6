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
// one worker call.
type WindowFunction struct {
	Ctx  *rt.Context
	Name string
	// Fn is the pickled {"kind", "fn", "window_fn"} of the window node.
	Fn []byte
	// All marks a window_all: keys are not passed to the function.
	All bool

	stream   udf.Stream
	contents state.ListState
	backend  state.Backend
	wm       window.Context
	pending  []udf.Row
}

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
	spec := udf.ChainSpec{Ops: []udf.OpSpec{{Func: "window", Name: f.Name, Fn: f.Fn, Params: map[string]any{"all": f.All}}},
		Task: udf.TaskInfo{JobName: f.Ctx.Env.JobName, TaskName: f.Ctx.TaskName, Subtask: f.Ctx.Subtask,
			Parallelism: f.Ctx.Parallelism, MaxParallelism: f.Ctx.MaxParallelism, JobParameters: f.Ctx.Env.JobParameters,
			Mode: f.Ctx.Env.Mode}}
	st, err := opener.Open(f.Ctx.Ctx(), spec)
	if err != nil {
		return err
	}
	f.stream = st
	f.wm = ctx
	f.backend = ctx.Backend()
	l, err := f.backend.List(state.Descriptor{Name: windowContents})
	if err != nil {
		return err
	}
	f.contents = l
	return nil
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
	if len(f.pending) >= DefaultBundleSize {
		return f.Flush(out)
	}
	return nil
}

func toUDFWindow(w window.Window) *udf.Window {
	if w.Kind == window.TimeKind {
		return &udf.Window{Kind: "time", Start: w.Start, End: w.End}
	}
	return &udf.Window{Kind: "global"}
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
	f.pending = nil
	if err := f.stream.Submit(b); err != nil {
		return err
	}
	var res *udf.Result
	select {
	case r, ok := <-f.stream.Results():
		if !ok {
			return fmt.Errorf("the Python worker stream of %s ended", f.Name)
		}
		res = r
	case <-f.Ctx.Done():
		return f.Ctx.Ctx().Err()
	}
	if res.Err != nil {
		return res.Err
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

// Close ends the worker stream.
func (f *WindowFunction) Close() error {
	if f.stream == nil {
		return nil
	}
	err := f.stream.Close()
	f.stream = nil
	return err
}
