package runtime

import (
	"context"
	"fmt"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/types"
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
}

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
		if err := t.source.Run(); err != nil {
			return t.fail(t.name, err)
		}
		if t.ctx.ctx.Err() == nil {
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
	for i, op := range t.ops {
		if err := op.EndInput(); err != nil {
			return t.fail(t.opNames[i], err)
		}
	}
	for _, w := range t.writers {
		if err := w.end(); err != nil {
			return t.fail(t.name, err)
		}
	}
	t.publish()
	return nil
}

func (t *task) consume() error {
	open := t.gate.channels
	marks := make([]int64, t.gate.channels)
	for i := range marks {
		marks[i] = MinWatermark
	}
	current := MinWatermark
	two, _ := t.head.(TwoInputOperator)
	ticker := time.NewTicker(t.tickEvery)
	defer ticker.Stop()
	for open > 0 {
		select {
		case b := <-t.gate.ch:
			if two != nil {
				in := t.gate.input[b.Channel]
				for _, r := range b.Records {
					if err := two.ProcessInput(in, r); err != nil {
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
			if b.HasWatermark || b.End {
				if b.End {
					open--
					marks[b.Channel] = MaxWatermark
				} else if b.Watermark > marks[b.Channel] {
					marks[b.Channel] = b.Watermark
				}
				if m := minOf(marks); m > current {
					current = m
					if err := Forward(t.head, t.headOut, m); err != nil {
						return t.fail(t.opNames[0], err)
					}
				}
			}
			if t.headMetrics != nil {
				t.headMetrics.in += int64(len(b.Records))
				t.headMetrics.RecordsIn.Store(t.headMetrics.in)
			}
		case ev := <-t.ctx.async:
			if err := ev.h.HandleAsync(ev.payload); err != nil {
				return t.fail(t.name, err)
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

func (t *task) publish() {
	for _, m := range t.metrics {
		m.publish()
	}
}

func minOf(xs []int64) int64 {
	m := MaxWatermark
	for _, x := range xs {
		if x < m {
			m = x
		}
	}
	return m
}

func (t *task) maybeTick() error {
	if now := t.clock.Now(); now.Before(t.nextTick) {
		return nil
	}
	return t.tick()
}

func (t *task) tick() error {
	t.nextTick = t.clock.Now().Add(t.tickEvery)
	t.publish()
	for i, op := range t.ops {
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

func (f fanout) Emit(r types.Record) error {
	for _, o := range f {
		if err := o.Emit(r); err != nil {
			return err
		}
	}
	return nil
}
