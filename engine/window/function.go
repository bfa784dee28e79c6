package window

import (
	"github.com/pyflink-go/pyflink-go/engine/state"
)

// Context is what a Function sees of the operator running it.
type Context interface {
	// Backend holds the keyed state; its current key is the pane's key.
	Backend() state.Backend
	CurrentWatermark() int64
	CurrentProcessingTime() int64
	// Merging reports whether the windows merge (sessions): per-window state
	// is not allowed then, as in Flink.
	Merging() bool
}

// WindowCleaner is a Function that is told when a window is cleaned up (its
// cleanup time passed: max timestamp plus allowed lateness), after its
// contents and trigger state are dropped, so it can run the user's clean-up
// (ProcessWindowFunction.clear) for per-window state it keeps elsewhere.
type WindowCleaner interface {
	ClearWindow(key any, w Window) error
}

// TriggerSource is a Function that brings its own trigger: a trigger written
// in Python runs in the worker that runs the window function. The operator
// asks after Open; a nil Trigger keeps the configured one.
type TriggerSource interface {
	Trigger() Trigger
}

// Collector receives a window function's results.
type Collector interface {
	// Collect emits value with timestamp ts (a window's max timestamp).
	Collect(value any, ts int64) error
}

// Function is what a window operator does with the elements of its panes:
// keep them (incrementally or buffered) and evaluate them when a trigger
// fires. The operator calls it for the backend's current key; ns is the
// state namespace of the pane's window.
type Function interface {
	// Open registers the function's state.
	Open(ctx Context) error
	// Add adds an element to the contents of ns.
	Add(ns []byte, value any) error
	// Merge moves the contents of sources into target (merging windows).
	Merge(target []byte, sources [][]byte) error
	// Emit evaluates window w of key (its contents under ns) and emits the
	// results; an empty pane emits nothing. A function that evaluates
	// asynchronously (in a Python worker) may emit later, in Flush, and must
	// copy what it keeps.
	Emit(key any, w Window, ns []byte, out Collector) error
	// Clear drops the contents of ns.
	Clear(ns []byte) error
	// Flush completes pending evaluations. The operator calls it after
	// firing and before forwarding a watermark, and at end of input.
	Flush(out Collector) error
	// Close releases the function.
	Close() error
}

// contentsState is the name of the state built-in functions keep windows in.
const contentsState = "window-contents"

// Emitter is how a process step emits its results.
type Emitter func(value any) error

// AggregateFunc is an incremental aggregation (AggregateFunction):
// accumulators of type A built from elements of type T, giving R.
type AggregateFunc[T, A, R any] struct {
	Create func() A
	Add    func(acc A, v T) A
	// Merge combines accumulators (needed for session windows).
	Merge  func(a, b A) A
	Result func(acc A) R
	// Codec stores accumulators; nil picks CodecFor[A].
	Codec Codec[A]
	// Process, when set, turns the result into outputs
	// (aggregate with a ProcessWindowFunction); by default the result itself
	// is emitted.
	Process func(key any, w Window, result R, emit Emitter) error
}

// Aggregate returns a Function that keeps one accumulator per pane.
func Aggregate[T, A, R any](f AggregateFunc[T, A, R]) func() Function {
	return func() Function {
		c := f.Codec
		if c == nil {
			c = CodecFor[A]()
		}
		return &aggregate[T, A, R]{f: f, codec: c}
	}
}

type aggregate[T, A, R any] struct {
	f     AggregateFunc[T, A, R]
	codec Codec[A]
	st    state.ValueState
	buf   []byte
}

func (a *aggregate[T, A, R]) Open(ctx Context) error {
	var err error
	a.st, err = ctx.Backend().Value(state.Descriptor{Name: contentsState})
	return err
}

func (a *aggregate[T, A, R]) load(ns []byte) (A, bool, error) {
	a.st.SetNamespace(ns)
	b, ok, err := a.st.Value()
	if err != nil || !ok {
		var zero A
		return zero, false, err
	}
	acc, err := a.codec.Decode(b)
	return acc, err == nil, err
}

func (a *aggregate[T, A, R]) store(ns []byte, acc A) error {
	var err error
	if a.buf, err = a.codec.Append(a.buf[:0], acc); err != nil {
		return err
	}
	a.st.SetNamespace(ns)
	return a.st.Update(a.buf)
}

func (a *aggregate[T, A, R]) Add(ns []byte, v any) error {
	acc, ok, err := a.load(ns)
	if err != nil {
		return err
	}
	if !ok {
		acc = a.f.Create()
	}
	return a.store(ns, a.f.Add(acc, v.(T)))
}

func (a *aggregate[T, A, R]) Merge(target []byte, sources [][]byte) error {
	acc, have, err := a.load(target)
	if err != nil {
		return err
	}
	changed := false
	for _, src := range sources {
		v, ok, err := a.load(src)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := a.st.Clear(); err != nil {
			return err
		}
		changed = true
		if have {
			acc = a.f.Merge(acc, v)
		} else {
			acc, have = v, true
		}
	}
	if !changed {
		return nil
	}
	return a.store(target, acc)
}

func (a *aggregate[T, A, R]) Emit(key any, w Window, ns []byte, out Collector) error {
	acc, ok, err := a.load(ns)
	if err != nil || !ok {
		return err
	}
	r := a.f.Result(acc)
	ts := w.MaxTimestamp()
	emit := func(v any) error { return out.Collect(v, ts) }
	if a.f.Process != nil {
		return a.f.Process(key, w, r, emit)
	}
	return emit(r)
}

func (a *aggregate[T, A, R]) Clear(ns []byte) error {
	a.st.SetNamespace(ns)
	return a.st.Clear()
}

func (a *aggregate[T, A, R]) Flush(Collector) error { return nil }
func (a *aggregate[T, A, R]) Close() error          { return nil }

// Reduce returns a Function that folds the elements of a pane with reduce
// (ReduceFunction); codec stores values (nil: CodecFor[T]); process, when
// not nil, turns the result into outputs (reduce with a
// ProcessWindowFunction).
func Reduce[T any](reduce func(a, b T) T, codec Codec[T], process func(key any, w Window, result T, emit Emitter) error) func() Function {
	return func() Function {
		c := codec
		if c == nil {
			c = CodecFor[T]()
		}
		return &reduced[T]{aggregate[T, T, T]{codec: c, f: AggregateFunc[T, T, T]{
			Merge:   reduce,
			Result:  func(v T) T { return v },
			Process: process,
		}}}
	}
}

// reduced is an aggregate whose accumulator is the first element.
type reduced[T any] struct{ aggregate[T, T, T] }

func (r *reduced[T]) Add(ns []byte, v any) error {
	acc, ok, err := r.load(ns)
	if err != nil {
		return err
	}
	if !ok {
		return r.store(ns, v.(T))
	}
	return r.store(ns, r.f.Merge(acc, v.(T)))
}

// Process returns a Function that buffers the elements of a pane and hands
// them all to process when it fires (ProcessWindowFunction / apply).
func Process[T any](codec Codec[T], process func(key any, w Window, elements []T, emit Emitter) error) func() Function {
	return func() Function {
		if codec == nil {
			codec = CodecFor[T]()
		}
		return &buffered[T]{codec: codec, process: process}
	}
}

type buffered[T any] struct {
	codec   Codec[T]
	process func(key any, w Window, elements []T, emit Emitter) error
	st      state.ListState
	buf     []byte
}

func (b *buffered[T]) Open(ctx Context) error {
	var err error
	b.st, err = ctx.Backend().List(state.Descriptor{Name: contentsState})
	return err
}

func (b *buffered[T]) Add(ns []byte, v any) error {
	var err error
	if b.buf, err = b.codec.Append(b.buf[:0], v.(T)); err != nil {
		return err
	}
	b.st.SetNamespace(ns)
	return b.st.Add(b.buf)
}

func (b *buffered[T]) Merge(target []byte, sources [][]byte) error {
	return b.st.MergeNamespaces(target, sources)
}

func (b *buffered[T]) Emit(key any, w Window, ns []byte, out Collector) error {
	b.st.SetNamespace(ns)
	var elems []T
	err := b.st.Get(func(e []byte) error {
		v, err := b.codec.Decode(e)
		elems = append(elems, v)
		return err
	})
	if err != nil || len(elems) == 0 {
		return err
	}
	ts := w.MaxTimestamp()
	return b.process(key, w, elems, func(v any) error { return out.Collect(v, ts) })
}

func (b *buffered[T]) Clear(ns []byte) error {
	b.st.SetNamespace(ns)
	return b.st.Clear()
}

func (b *buffered[T]) Flush(Collector) error { return nil }
func (b *buffered[T]) Close() error          { return nil }
