// Package runtime deploys a job graph as tasks: one goroutine per vertex
// subtask, running its chain of operators, exchanging batches of records with
// other tasks over bounded channels (which is the backpressure), and
// propagating end of input, failure and cancellation.
package runtime

import (
	"math"

	"github.com/pyflink-go/pyflink-go/engine/types"
)

// Output receives the records an operator emits. An error means the record
// could not be handled downstream (a failing chained operator, a cancelled
// job) and must be returned by the caller.
type Output interface {
	Emit(r types.Record) error
	// EmitWatermark forwards event-time progress: no record with a timestamp
	// at or below wm will follow on this output.
	EmitWatermark(wm int64) error
}

// StatusOutput is implemented by outputs that carry a stream's idle/active
// status (WatermarkStatus in Flink): an idle input stops holding back the
// watermark of the tasks it feeds. Every output the runtime hands to an
// operator implements it.
type StatusOutput interface {
	EmitWatermarkStatus(idle bool) error
}

// EmitStatus forwards an idle/active status to out when it carries statuses.
func EmitStatus(out Output, idle bool) error {
	if s, ok := out.(StatusOutput); ok {
		return s.EmitWatermarkStatus(idle)
	}
	return nil
}

// WatermarkAware is implemented by operators that act on event time
// (windows, timers). The task calls ProcessWatermark when the operator's
// combined input watermark advances; the operator must forward it (after
// firing what it fires) with EmitWatermark. Operators that do not implement it
// have watermarks forwarded for them, after their pending output.
type WatermarkAware interface {
	ProcessWatermark(wm int64) error
}

// MaxWatermark is the watermark that ends event time: every pending
// event-time window and timer fires when it arrives, as at the end of a
// bounded input.
const MaxWatermark int64 = math.MaxInt64

// MinWatermark is the initial watermark of every input.
const MinWatermark int64 = math.MinInt64

// Operator processes the records of one subtask. All methods run on the
// task's goroutine, so an operator needs no locking of its own state.
type Operator interface {
	// Open prepares the operator; out receives everything it emits.
	Open(ctx *Context, out Output) error
	// Process handles one input record.
	Process(r types.Record) error
	// Tick is called every tick interval so operators can flush buffers that
	// are bounded in time (Python bundles, sink buffers).
	Tick() error
	// EndInput is called once every input has ended; the operator emits what
	// it still holds (pending Python results, batch-mode aggregates).
	EndInput() error
	// Close releases resources; it is called on success and on failure.
	Close() error
}

// Source produces the records of one subtask.
type Source interface {
	Open(ctx *Context, out Output) error
	// Run emits records until the input is exhausted or ctx.Done() is closed.
	// Long-running sources call ctx.Tick() between batches.
	Run() error
	Close() error
}

// TwoInputOperator is implemented by operators of connected streams: records
// arrive with the position of the input they came from (0 or 1).
type TwoInputOperator interface {
	Operator
	ProcessInput(input int, r types.Record) error
}

// OperatorSpec is a node spec the runtime can instantiate as an operator.
type OperatorSpec interface {
	NewOperator(ctx *Context) (Operator, error)
}

// SourceSpec is a node spec the runtime can instantiate as a source.
type SourceSpec interface {
	NewSource(ctx *Context) (Source, error)
}

// FusableSpec is implemented by specs whose consecutive chained nodes run as
// one operator (Python operators fused into one worker call). Fuse receives
// the specs of the whole group, this one first.
type FusableSpec interface {
	Fuse(ctx *Context, group []any, names []string) (Operator, error)
}

// OperatorFunc adapts a function to an Operator with no state to flush.
type OperatorFunc func(r types.Record, out Output) error

// AsOperator wraps f as an Operator.
func AsOperator(f OperatorFunc) Operator { return &funcOperator{f: f} }

type funcOperator struct {
	f   OperatorFunc
	out Output
}

// Forward emits a watermark on behalf of an operator that does not handle
// event time itself.
func Forward(op Operator, out Output, wm int64) error {
	if w, ok := op.(WatermarkAware); ok {
		return w.ProcessWatermark(wm)
	}
	return out.EmitWatermark(wm)
}

func (o *funcOperator) Open(_ *Context, out Output) error { o.out = out; return nil }
func (o *funcOperator) Process(r types.Record) error      { return o.f(r, o.out) }
func (o *funcOperator) Tick() error                       { return nil }
func (o *funcOperator) EndInput() error                   { return nil }
func (o *funcOperator) Close() error                      { return nil }
