// Package pyop is the engine side of Python operators: it batches records,
// ships them through a udf.Stream to a Python worker, and emits the results
// in order. Consecutive Python operators of one chain are fused into one
// operator, so a record crosses to Python once per chain, not once per
// operator.
package pyop

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/plan"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
	"github.com/pyflink-go/pyflink-go/udf"
)

// ServiceName is the Env.Services key of the StreamOpener that reaches Python workers.
const ServiceName = "python"

// StreamOpener opens fused chains in Python workers; *udf.Pool is one.
type StreamOpener interface {
	Open(ctx context.Context, spec udf.ChainSpec) (udf.Stream, error)
}

// Configuration keys, named as PyFlink names them, and our defaults. Our
// bundle time is in milliseconds of latency, not PyFlink's one second.
const (
	BundleSizeKey     = "python.fn-execution.bundle.size"
	BundleTimeKey     = "python.fn-execution.bundle.time"
	DefaultBundleSize = 1000
	DefaultBundleTime = 5 * time.Millisecond
	MaxInFlight       = 4
)

// Spec is one Python operator of the plan.
type Spec struct {
	Func   string
	Name   string
	Fn     []byte
	Params map[string]any
	// Keyed is true when the operator reads the record key (reduce, keyed map, ...).
	Keyed bool
	// KeyHash picks a key's key group (the hash of the key_by that keyed the
	// stream); nil hashes the encoded key bytes.
	KeyHash rt.KeyHasher
}

// Fuse builds the operator for a group of chained Python specs.
func (s *Spec) Fuse(ctx *rt.Context, group []any, names []string) (rt.Operator, error) {
	chain := udf.ChainSpec{Task: udf.TaskInfo{
		JobName: ctx.Env.JobName, TaskName: ctx.TaskName, Subtask: ctx.Subtask, Parallelism: ctx.Parallelism,
		MaxParallelism: ctx.MaxParallelism, Attempt: ctx.Attempt, JobParameters: ctx.Env.JobParameters, Mode: ctx.Env.Mode,
	}}
	for i, g := range group {
		gs, ok := g.(*Spec)
		if !ok {
			return nil, fmt.Errorf("cannot fuse %T into a Python chain", g)
		}
		if i > 0 && gs.Keyed {
			return nil, fmt.Errorf("keyed Python operator %s must start its chain", gs.Name)
		}
		chain.Ops = append(chain.Ops, udf.OpSpec{Func: gs.Func, Name: names[i], Fn: gs.Fn, Params: gs.Params})
	}
	op := &chainOp{spec: chain, keyed: s.Keyed, keyHash: s.KeyHash, twoInput: TwoInputFuncs[s.Func], batchMode: ctx.Env.Mode == "BATCH",
		broadcast: BroadcastFuncs[s.Func], bundleSize: DefaultBundleSize, bundleTime: DefaultBundleTime}
	if v, ok := ctx.Env.Config[BundleSizeKey]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%s must be a positive integer, got %q", BundleSizeKey, v)
		}
		op.bundleSize = n
	}
	if v, ok := ctx.Env.Config[BundleTimeKey]; ok {
		ms, err := strconv.Atoi(v)
		if err != nil || ms < 0 {
			return nil, fmt.Errorf("%s must be a non-negative number of milliseconds, got %q", BundleTimeKey, v)
		}
		op.bundleTime = time.Duration(ms) * time.Millisecond
	}
	target := DefaultInFlightTarget
	if v, ok := ctx.Env.Config[BufferDebloatTargetKey]; ok {
		d, err := plan.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("%s must be a positive duration, got %q", BufferDebloatTargetKey, v)
		}
		target = d
	}
	op.sizer = newBundleSizer(op.bundleSize, target, MaxInFlight)
	return op, nil
}

// TwoInputFuncs are the Python funcs of connected streams, whose rows say
// which input they came from.
var TwoInputFuncs = map[string]bool{"co_map": true, "co_flat_map": true, "co_process": true,
	"keyed_co_process": true, "broadcast_process": true, "keyed_broadcast_process": true}

type chainOp struct {
	spec     udf.ChainSpec
	twoInput bool
	// broadcast marks a (keyed) broadcast process function, whose broadcast
	// state the worker holds and checkpoints copy (broadcast.go).
	broadcast  bool
	bc         broadcastCopy
	keyed      bool
	keyHash    rt.KeyHasher
	state      *keyedState // keyed operators only
	watermark  int64
	batchMode  bool
	bundleSize int
	bundleTime time.Duration
	// sizer caps bundles below bundleSize when the function is slow, so
	// the bundles in flight take about the debloat target to process.
	sizer *bundleSizer

	ctx      *rt.Context
	out      rt.Output
	stream   udf.Stream
	rows     []udf.Row
	firstAt  time.Time
	inflight int
	// handling is set while a result is being emitted; results posted
	// meanwhile wait in backlog (see HandleAsync). Invariant: backlog is
	// empty whenever handling is false.
	handling bool
	backlog  []resultOrEnd
	done     chan struct{}
	scratch  []byte
}

// resultOrEnd is posted to the task for every result, and once when the
// result channel closes.
type resultOrEnd struct {
	res *udf.Result
	end bool
}

func (o *chainOp) Open(ctx *rt.Context, out rt.Output) error {
	o.ctx, o.out = ctx, out
	opener, ok := ctx.Env.Services[ServiceName].(StreamOpener)
	if !ok {
		return fmt.Errorf("no Python worker pool is configured for this job")
	}
	st, err := opener.Open(ctx.Ctx(), o.spec)
	if err != nil {
		return err
	}
	o.stream = st
	o.watermark = rt.MinWatermark
	if o.keyed {
		ks, err := openKeyedState(ctx, o.keyHash)
		if err != nil {
			return err
		}
		if o.batchMode {
			// BATCH emits final values of resident keys only: keep them all.
			ks.maxResident = -1
		}
		o.state = ks
	}
	o.rows = make([]udf.Row, 0, o.bundleSize)
	o.done = make(chan struct{})
	go func() {
		defer close(o.done)
		for r := range st.Results() {
			if !ctx.Post(o, resultOrEnd{res: r}) {
				return
			}
		}
		ctx.Post(o, resultOrEnd{end: true})
	}()
	return nil
}

func (o *chainOp) Process(r types.Record) error { return o.ProcessInput(0, r) }

// ProcessInput handles a record of input 0 or 1 (connected streams).
func (o *chainOp) ProcessInput(input int, r types.Record) error {
	if !o.twoInput {
		input = 0 // several inputs of a union feed one input
	}
	row, err := o.toRow(r, input)
	if err != nil {
		return err
	}
	row.Input = input
	if len(o.rows) == 0 {
		o.firstAt = o.ctx.Env.Clock.Now()
	}
	o.rows = append(o.rows, row)
	if len(o.rows) >= o.sizer.size() {
		return o.submit(false)
	}
	return nil
}

func (o *chainOp) toRow(r types.Record, input int) (udf.Row, error) {
	v, err := encode(r.Value)
	if err != nil {
		return udf.Row{}, fmt.Errorf("cannot pass a record to Python: %w", err)
	}
	row := udf.Row{Value: v, Timestamp: r.Timestamp}
	if o.keyed && (r.Key != nil || input == 0) {
		// The second input of a keyed broadcast operator carries no key.
		if r.Key == nil {
			return udf.Row{}, fmt.Errorf("keyed operator received a record without a key")
		}
		k, err := encode(r.Key)
		if err != nil {
			return udf.Row{}, fmt.Errorf("cannot pass a key to Python: %w", err)
		}
		row.Key = k
	}
	return row, nil
}

func encode(v any) (value.Raw, error) {
	if raw, ok := v.(value.Raw); ok {
		return raw, nil
	}
	b, err := value.Encode(v)
	return value.Raw(b), err
}

func (o *chainOp) submit(final bool) error {
	if len(o.rows) == 0 && !final {
		return nil
	}
	rows := o.rows
	o.rows = make([]udf.Row, 0, o.bundleSize)
	return o.send(&udf.Batch{Rows: rows, Final: final})
}

// send ships one batch, stamped with the operator's time, after installing
// the state of keys the worker does not hold.
func (o *chainOp) send(b *udf.Batch) error {
	for o.inflight >= o.sizer.inFlight(MaxInFlight) {
		if err := o.ctx.Await(); err != nil {
			return err
		}
	}
	b.Watermark = o.watermark
	b.ProcessingTime = o.ctx.Env.Clock.Now().UnixMilli()
	o.bc.prepare(b)
	if o.state != nil {
		if err := o.state.prepare(b); err != nil {
			return err
		}
	}
	if err := o.stream.Submit(b); err != nil {
		return err
	}
	o.sizer.onSent(o.ctx.Env.Clock.Now(), len(b.Rows)+len(b.Timers))
	if o.ctx.Metrics != nil {
		o.ctx.Metrics.Calls.Add(1)
	}
	o.inflight++
	return o.ctx.Drain()
}

// HandleAsync emits one result on the task goroutine.
//
// Emitting may re-enter it: a later Python operator of the task, fed by
// this one's output, waits for its own results by handling the task's
// posted events, among them this operator's next result. Handling that
// result at once would emit it before the rest of the current one, so it
// waits in backlog and is handled, in order, when the current one is done.
func (o *chainOp) HandleAsync(payload any) error {
	p := payload.(resultOrEnd)
	if o.handling {
		o.backlog = append(o.backlog, p)
		return nil
	}
	o.handling = true
	defer func() { o.handling = false }()
	if err := o.handle(p); err != nil {
		return err
	}
	for len(o.backlog) > 0 {
		next := o.backlog[0]
		o.backlog = o.backlog[1:]
		if err := o.handle(next); err != nil {
			return err
		}
	}
	return nil
}

// handle emits one result (or checks the end of the results).
func (o *chainOp) handle(p resultOrEnd) error {
	if p.end {
		if o.inflight > 0 {
			return fmt.Errorf("the Python worker stream ended with %d batches unanswered", o.inflight)
		}
		return nil
	}
	o.inflight--
	o.sizer.onAnswered(o.ctx.Env.Clock.Now())
	if p.res.Err != nil {
		return p.res.Err
	}
	o.bc.apply(p.res)
	if o.state != nil {
		if err := o.state.apply(p.res); err != nil {
			return err
		}
	}
	for _, row := range p.res.Rows {
		rec := types.Record{Value: row.Value, Timestamp: row.Timestamp, Tag: row.Tag}
		if row.Key != nil {
			rec.Key = row.Key
		}
		if err := o.out.Emit(rec); err != nil {
			return err
		}
	}
	return nil
}

func (o *chainOp) Tick() error {
	if len(o.rows) > 0 && o.ctx.Env.Clock.Now().Sub(o.firstAt) >= o.bundleTime {
		if err := o.submit(false); err != nil {
			return err
		}
	}
	if o.state != nil {
		timers, err := o.state.due(udf.ProcessingTime, o.ctx.Env.Clock.Now().UnixMilli())
		if err != nil {
			return err
		}
		if len(timers) > 0 {
			if err := o.submit(false); err != nil {
				return err
			}
			return o.send(&udf.Batch{Timers: timers})
		}
	}
	return nil
}

// waitAll waits until every batch sent has been answered.
func (o *chainOp) waitAll() error {
	for o.inflight > 0 {
		if err := o.ctx.Await(); err != nil {
			return err
		}
	}
	return nil
}

func (o *chainOp) EndInput() error {
	if err := o.submit(o.keyed && o.batchMode); err != nil {
		return err
	}
	for o.inflight > 0 {
		if err := o.ctx.Await(); err != nil {
			return err
		}
	}
	return nil
}

func (o *chainOp) Close() error {
	var err error
	if o.stream != nil {
		err = o.stream.Close()
		o.stream = nil
	}
	if o.state != nil {
		if cerr := o.state.close(); err == nil {
			err = cerr
		}
		o.state = nil
	}
	return err
}

// ProcessWatermark keeps watermarks behind the records sent before them: it
// ships the pending bundle, waits for every result, then forwards.
func (o *chainOp) ProcessWatermark(wm int64) error {
	if err := o.submit(false); err != nil {
		return err
	}
	if err := o.waitAll(); err != nil {
		return err
	}
	o.watermark = wm
	// Fire event-time timers up to wm, including those the firing itself
	// registers at or before wm, as Flink does.
	for o.state != nil {
		timers, err := o.state.due(udf.EventTime, wm)
		if err != nil {
			return err
		}
		if len(timers) == 0 {
			break
		}
		if err := o.send(&udf.Batch{Timers: timers}); err != nil {
			return err
		}
		if err := o.waitAll(); err != nil {
			return err
		}
	}
	return o.out.EmitWatermark(wm)
}
