package runtime

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/watermark/valve"
)

// task runs one subtask of one vertex: an optional source, then the chain of
// operators, reading buffers from its gate and writing to its writers.
type task struct {
	name        string
	subtask     int
	par         int
	source      Source
	head        Operator // receives records from the gate (nil for source tasks)
	headOut     Output   // the head's output, for forwarding watermarks
	sourceOut   Output   // the source's output, for the final watermark
	headMetrics *OperatorMetrics
	ops         []Operator // every operator of the chain, in topological order
	opNames     []string
	metrics     []*OperatorMetrics
	gate        *gate
	writers     []*writer
	ctx         *Context
	clock       Clock
	tickEvery   time.Duration
	nextTick    time.Time

	// Checkpointing (cp is nil when the job takes no checkpoints).
	cp       *taskCheckpointing
	cpName   string   // the task's name towards the coordinator
	sourceID string   // the source's operator id
	opIDs    []string // operator ids, parallel to ops
	// restoredFinished: the task had finished in the checkpoint restored
	// from, so its source emits nothing.
	restoredFinished bool
	// stopping: a stop-with-savepoint barrier was emitted; the source ends.
	// stopped: the task's input or source ended by stop-with-savepoint.
	stopping, stopped bool
	// draining: a stop with drain ended the source, which then ends as
	// at the end of its input.
	draining bool
}

// errStopped ends a source's Run after a stop-with-savepoint barrier.
var errStopped = errors.New("stopped with a savepoint")

// errDrained ends a source's Run for a stop with drain.
var errDrained = errors.New("drained for a savepoint")

func (t *task) fail(op string, err error) error {
	if err == nil {
		return nil
	}
	if context.Cause(t.ctx.ctx) != nil && t.ctx.ctx.Err() != nil {
		return context.Cause(t.ctx.ctx)
	}
	return &TaskError{Operator: op, Subtask: t.subtask, Parallelism: t.par, Err: err}
}

// TaskError is a failure of one operator in one subtask.
type TaskError struct {
	Operator    string
	Subtask     int
	Parallelism int
	Err         error
}

func (e *TaskError) Error() string {
	return fmt.Sprintf("%s (%d/%d): %v", e.Operator, e.Subtask+1, e.Parallelism, e.Err)
}

func (e *TaskError) Unwrap() error { return e.Err }

func (t *task) run() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &TaskError{Operator: t.name, Subtask: t.subtask, Parallelism: t.par, Err: fmt.Errorf("internal error: %v", r)}
		}
		if t.cp != nil {
			// Deferred snapshot parts read views of the operators' state:
			// they finish before the operators close.
			t.cp.writes.Wait()
		}
		for i, op := range t.ops {
			if cerr := op.Close(); cerr != nil && err == nil {
				err = t.fail(t.opNames[i], cerr)
			}
		}
		if t.source != nil {
			if cerr := t.source.Close(); cerr != nil && err == nil {
				err = t.fail(t.name, cerr)
			}
		}
	}()
	t.nextTick = t.clock.Now().Add(t.tickEvery)
	if t.source != nil {
		if !t.restoredFinished {
			err := t.source.Run()
			if err != nil && !(t.stopping && errors.Is(err, errStopped)) && !(t.draining && errors.Is(err, errDrained)) {
				return t.fail(t.name, err)
			}
			t.stopped = t.stopping
		}
		if t.ctx.ctx.Err() == nil && !t.stopped {
			if err := t.sourceOut.EmitWatermark(MaxWatermark); err != nil {
				return t.fail(t.name, err)
			}
		}
	} else if err := t.consume(); err != nil {
		return err
	}
	if t.ctx.ctx.Err() != nil {
		return context.Cause(t.ctx.ctx)
	}
	if t.stopped && t.cp != nil && t.cp.stopID > 0 {
		if err := t.awaitStopSavepoint(); err != nil {
			return err
		}
	}
	for i, op := range t.ops {
		if t.stopped {
			break // stopped with a savepoint: no end-of-input flushes
		}
		if err := op.EndInput(); err != nil {
			return t.fail(t.opNames[i], err)
		}
	}
	if t.cp != nil && !t.stopped && t.needsFinalCheckpoint() {
		if err := t.awaitFinalCheckpoint(); err != nil {
			return err
		}
	}
	for _, w := range t.writers {
		if err := w.end(t.stopped); err != nil {
			return t.fail(t.name, err)
		}
	}
	t.publish()
	if t.cp != nil {
		t.cp.writes.Wait() // its acknowledgements go first
		t.cp.shell.send(t.ctx.ctx, shellEvent{finished: t.cpName})
	}
	return nil
}

func (t *task) consume() error {
	in := &inputState{open: t.gate.channels, valve: valve.NewValve(t.gate.channels)}
	in.two, _ = t.head.(TwoInputOperator)
	if t.cp != nil {
		t.cp.held = make([][]*Buffer, t.gate.channels)
	}
	var notify chan struct{}
	if t.cp != nil {
		notify = t.cp.notify
	}
	ticker := time.NewTicker(t.tickEvery)
	defer ticker.Stop()
	for in.open > 0 {
		select {
		case b := <-t.gate.ch:
			if err := t.handle(in, b); err != nil {
				return err
			}
		case ev := <-t.ctx.async:
			if err := ev.h.HandleAsync(ev.payload); err != nil {
				return t.fail(t.name, err)
			}
		case <-notify:
			if err := t.notifyComplete(); err != nil {
				return err
			}
		case <-ticker.C:
			if err := t.tick(); err != nil {
				return err
			}
		case <-t.ctx.ctx.Done():
			return context.Cause(t.ctx.ctx)
		}
	}
	return nil
}

// inputState is what a task tracks about its input channels.
type inputState struct {
	open int
	// valve combines the channels' watermarks and idle statuses; idle
	// channels do not hold the task's watermark back.
	valve  *valve.Valve
	events []valve.Event
	two    TwoInputOperator
}

// handle takes one buffer from the gate: its records, then its barrier, then
// its watermark or end. While a checkpoint aligns, buffers of channels that
// already delivered its barrier are held and replayed after the snapshot.
func (t *task) handle(in *inputState, b *Buffer) error {
	cp := t.cp
	if cp != nil && cp.aligner.Blocked(b.Channel) {
		cp.held[b.Channel] = append(cp.held[b.Channel], b)
		return nil
	}
	if in.two != nil {
		input := t.gate.input[b.Channel]
		for _, r := range b.Records {
			if err := in.two.ProcessInput(input, r); err != nil {
				return t.fail(t.opNames[0], err)
			}
		}
	} else {
		for _, r := range b.Records {
			if err := t.head.Process(r); err != nil {
				return t.fail(t.opNames[0], err)
			}
		}
	}
	if t.headMetrics != nil {
		t.headMetrics.in += int64(len(b.Records))
		t.headMetrics.RecordsIn.Store(t.headMetrics.in)
	}
	if b.Barrier != 0 && cp != nil {
		var err error
		if b.Cancel {
			cp.decisions = cp.aligner.CancelBarrier(b.Barrier, cp.decisions[:0])
		} else {
			if b.Stop {
				if cp.stopIDs == nil {
					cp.stopIDs = map[int64]bool{}
				}
				cp.stopIDs[b.Barrier] = true
			}
			cp.decisions, err = cp.aligner.Barrier(b.Channel, b.Barrier, cp.decisions[:0])
		}
		if err != nil {
			return t.fail(t.name, err)
		}
		if err := t.decide(in); err != nil {
			return err
		}
	}
	if b.HasWatermark || b.End || b.HasStatus {
		in.events = in.events[:0]
		if b.HasStatus {
			in.events = in.valve.InputStatus(b.Channel, b.Idle, in.events)
		}
		if b.HasWatermark {
			in.events = in.valve.InputWatermark(b.Channel, b.Watermark, in.events)
		}
		if b.End {
			in.open--
			if b.Stop {
				// Stopped with a savepoint: no final watermark, so pending
				// windows and timers stay in the savepoint.
				t.stopped = true
			} else {
				// An ended channel is done with event time: it counts as
				// active with the final watermark.
				in.events = in.valve.InputStatus(b.Channel, false, in.events)
				in.events = in.valve.InputWatermark(b.Channel, MaxWatermark, in.events)
			}
		}
		for _, e := range in.events {
			var err error
			switch e.Kind {
			case valve.EmitWatermark:
				err = Forward(t.head, t.headOut, e.Watermark)
			case valve.MarkIdle, valve.MarkActive:
				err = EmitStatus(t.headOut, e.Kind == valve.MarkIdle)
			}
			if err != nil {
				return t.fail(t.opNames[0], err)
			}
		}
		if b.End && cp != nil {
			var err error
			cp.decisions, err = cp.aligner.EndOfInput(b.Channel, cp.decisions[:0])
			if err != nil {
				return t.fail(t.name, err)
			}
			if err := t.decide(in); err != nil {
				return err
			}
		}
	}
	return nil
}

// decide carries out the aligner's decisions (in cp.decisions) in order.
func (t *task) decide(in *inputState) error {
	cp := t.cp
	ds := append([]checkpoint.AlignerDecision(nil), cp.decisions...)
	for _, d := range ds {
		switch d.Action {
		case checkpoint.Block:
			// The aligner remembers; handle holds what arrives.
		case checkpoint.TriggerSnapshot:
			if err := t.snapshot(d.ID, cp.stopIDs[d.ID]); err != nil {
				return err
			}
		case checkpoint.AbortCheckpoint:
			if err := t.declineCheckpoint(d.ID, d.Reason); err != nil {
				return err
			}
		case checkpoint.UnblockAll:
			held := cp.held
			cp.held = make([][]*Buffer, len(held))
			for _, bs := range held {
				for _, b := range bs {
					if err := t.handle(in, b); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

func (t *task) publish() {
	for _, m := range t.metrics {
		m.publish()
	}
}

func (t *task) maybeTick() error {
	if t.cp != nil {
		if err := t.checkpointEvents(); err != nil {
			return err
		}
	}
	if now := t.clock.Now(); now.Before(t.nextTick) {
		return nil
	}
	return t.tick()
}

func (t *task) tick() error {
	t.nextTick = t.clock.Now().Add(t.tickEvery)
	t.publish()
	for i, op := range t.ops {
		if t.stopping {
			break // after a stop-with-savepoint barrier operators stay still
		}
		if err := op.Tick(); err != nil {
			return t.fail(t.opNames[i], err)
		}
	}
	for _, w := range t.writers {
		if err := w.flush(); err != nil {
			return t.fail(t.name, err)
		}
	}
	return nil
}

// opInput feeds a chained operator: what the upstream emits, it processes.
type opInput struct {
	op  Operator
	out Output // the operator's own output, for forwarding watermarks
	m   *OperatorMetrics
}

func (o opInput) EmitWatermark(wm int64) error { return Forward(o.op, o.out, wm) }

// EmitWatermarkStatus passes a status through a chained operator, which does
// not act on it.
func (o opInput) EmitWatermarkStatus(idle bool) error { return EmitStatus(o.out, idle) }

func (o opInput) Emit(r types.Record) error {
	o.m.in++
	if o.m.in&publishEvery == 0 {
		o.m.RecordsIn.Store(o.m.in)
	}
	return o.op.Process(r)
}

// fanout sends every record to several outputs.
type fanout []Output

func (f fanout) EmitWatermark(wm int64) error {
	for _, o := range f {
		if err := o.EmitWatermark(wm); err != nil {
			return err
		}
	}
	return nil
}

func (f fanout) EmitWatermarkStatus(idle bool) error {
	for _, o := range f {
		if err := EmitStatus(o, idle); err != nil {
			return err
		}
	}
	return nil
}

func (f fanout) Emit(r types.Record) error {
	for _, o := range f {
		if err := o.Emit(r); err != nil {
			return err
		}
	}
	return nil
}
