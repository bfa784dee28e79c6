package runtime_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/graph"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/watermark"
)

// stalledSource emits 1..n in subtask 0 only, then stays open (an unbounded
// source with nothing more to say); other subtasks emit nothing and stay open.
type stalledSource struct{ n int64 }

func (s stalledSource) NewSource(*runtime.Context) (runtime.Source, error) {
	return &stalledRun{n: s.n}, nil
}

type stalledRun struct {
	n   int64
	ctx *runtime.Context
	out runtime.Output
}

func (r *stalledRun) Open(ctx *runtime.Context, out runtime.Output) error {
	r.ctx, r.out = ctx, out
	return nil
}
func (r *stalledRun) Close() error { return nil }
func (r *stalledRun) Run() error {
	if r.ctx.Subtask == 0 {
		for v := int64(1); v <= r.n; v++ {
			if err := r.out.Emit(types.NewRecord(v)); err != nil {
				return err
			}
		}
	}
	for {
		if err := r.ctx.Tick(); err != nil {
			return err
		}
		select {
		case <-r.ctx.Done():
			return nil
		case <-time.After(time.Millisecond):
		}
	}
}

// watermarkProbe records the highest watermark it is given.
type watermarkProbe struct {
	out runtime.Output
	max *atomic.Int64
}

func (p *watermarkProbe) Open(_ *runtime.Context, out runtime.Output) error { p.out = out; return nil }
func (p *watermarkProbe) Process(types.Record) error                        { return nil }
func (p *watermarkProbe) Tick() error                                       { return nil }
func (p *watermarkProbe) EndInput() error                                   { return nil }
func (p *watermarkProbe) Close() error                                      { return nil }
func (p *watermarkProbe) ProcessWatermark(wm int64) error {
	if wm > p.max.Load() {
		p.max.Store(wm)
	}
	return p.out.EmitWatermark(wm)
}

// TestIdleChannelDoesNotHoldBackTheWatermark: one of two source subtasks
// never emits; with idleness its channel turns idle and the downstream
// task's watermark follows the active channel alone, while the job runs.
// Without idleness the watermark stays at its minimum.
func TestIdleChannelDoesNotHoldBackTheWatermark(t *testing.T) {
	for _, tc := range []struct {
		name     string
		strategy watermark.Strategy
		advances bool
	}{
		{"with idleness", watermark.ForMonotonousTimestamps().WithIdleness(20), true},
		{"without idleness", watermark.ForMonotonousTimestamps(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var max atomic.Int64
			max.Store(runtime.MinWatermark)
			nodes := []*graph.Node{
				{ID: 0, Name: "Source: Stalled", Kind: graph.Source, Parallelism: 2, Spec: stalledSource{n: 25}},
				{ID: 1, Name: "Timestamps/Watermarks", Parallelism: 2, Inputs: []graph.Edge{{From: 0, Partition: graph.Forward}},
					Spec: watermark.OperatorSpec{Strategy: tc.strategy, IntervalMillis: 5,
						Extract: func(v any, _ int64) (int64, error) { return v.(int64), nil }}},
				{ID: 2, Name: "Probe", Kind: graph.Sink, Parallelism: 1, Inputs: []graph.Edge{{From: 1, Partition: graph.Rebalance}},
					Spec: opSpec(func() runtime.Operator { return &watermarkProbe{max: &max} })},
			}
			for _, nd := range nodes {
				nd.MaxParallelism = keygroup.DefaultMaxParallelism
			}
			g, err := graph.Build(nodes, graph.Options{Chaining: true})
			if err != nil {
				t.Fatal(err)
			}
			job := &runtime.Job{Graph: g, Env: &runtime.Env{JobName: "idleness", Mode: "STREAMING"}}
			done := make(chan error, 1)
			go func() { done <- job.Run(context.Background()) }()
			deadline := time.Now().Add(3 * time.Second)
			if !tc.advances {
				deadline = time.Now().Add(300 * time.Millisecond)
			}
			for time.Now().Before(deadline) && max.Load() < 24 {
				time.Sleep(5 * time.Millisecond)
			}
			job.Cancel()
			<-done
			got := max.Load()
			if tc.advances && got != 24 {
				t.Errorf("watermark reached %d while the job ran, want 24 (the active channel's)", got)
			}
			if !tc.advances && got != runtime.MinWatermark {
				t.Errorf("watermark reached %d although a channel never emitted and idleness is off", got)
			}
		})
	}
}
