package window

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/graph"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/watermark"
)

// sliceSource emits items at parallelism 1 (from_collection).
type sliceSource[T any] struct{ items []T }

func (s sliceSource[T]) NewSource(*runtime.Context) (runtime.Source, error) {
	return &sliceRun[T]{items: s.items}, nil
}

type sliceRun[T any] struct {
	items []T
	out   runtime.Output
}

func (r *sliceRun[T]) Open(_ *runtime.Context, out runtime.Output) error { r.out = out; return nil }
func (r *sliceRun[T]) Close() error                                      { return nil }
func (r *sliceRun[T]) Run() error {
	for _, it := range r.items {
		if err := r.out.Emit(types.NewRecord(it)); err != nil {
			return err
		}
	}
	return nil
}

// windowJob is source → timestamps/watermarks → key by → window → sink,
// wired as the Go API wires them; the window runs at parallelism p.
func windowJob(source graph.Node, p int, extract watermark.Extractor, key func(any) any, spec Spec, sink func(types.Record) error) *graph.JobGraph {
	nodes := []*graph.Node{
		&source,
		{ID: 1, Name: "Timestamps/Watermarks", Inputs: []graph.Edge{{From: 0, Partition: graph.Forward}},
			Spec: watermark.OperatorSpec{Strategy: watermark.ForMonotonousTimestamps(), Extract: extract}},
		{ID: 2, Name: "KeyBy", Inputs: []graph.Edge{{From: 1, Partition: graph.Forward}},
			Spec: funcSpec(func() runtime.Operator {
				return runtime.AsOperator(func(r types.Record, o runtime.Output) error {
					r.Key = key(r.Value)
					return o.Emit(r)
				})
			})},
		{ID: 3, Name: "Window", Parallelism: p, Inputs: []graph.Edge{{From: 2, Partition: graph.Hash}}, Spec: spec},
		{ID: 4, Name: "Sink", Kind: graph.Sink, Parallelism: 1, Inputs: []graph.Edge{{From: 3, Partition: graph.Auto}},
			Spec: funcSpec(func() runtime.Operator {
				return runtime.AsOperator(func(r types.Record, _ runtime.Output) error { return sink(r) })
			})},
	}
	for _, n := range nodes {
		if n.Parallelism == 0 {
			n.Parallelism = source.Parallelism
		}
		n.MaxParallelism = keygroup.DefaultMaxParallelism
	}
	g, err := graph.Build(nodes, graph.Options{Chaining: true})
	if err != nil {
		panic(err)
	}
	return g
}

type pair struct {
	Key string
	TS  int64
}

// TestIssueExampleOnRuntime runs the tumbling-count example on the real
// runtime (exchanges, periodic watermarks, the final watermark at end of
// input) at parallelism 1 and 2 on both backends.
func TestIssueExampleOnRuntime(t *testing.T) {
	input := []pair{{"hi", 1}, {"hi", 2}, {"hi", 3}, {"hi", 4}, {"hi", 5}, {"hi", 8}, {"hi", 9}, {"hi", 15},
		{"ho", 3}, {"ho", 16}}
	want := []string{"(hi,0,5,4)", "(hi,15,20,1)", "(hi,5,10,3)", "(ho,0,5,1)", "(ho,15,20,1)"}
	for _, backend := range []string{state.HashMap, state.Pebble} {
		for _, p := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/p%d", backend, p), func(t *testing.T) {
				a, _ := TumblingEventTime(5, 0)
				spec := GoSpec[string](a, ProcessKeyed(func(k string, w Window, els []pair, emit func(string) error) error {
					return emit(fmt.Sprintf("(%s,%d,%d,%d)", k, w.Start, w.End, len(els)))
				}))
				var mu sync.Mutex
				var got []string
				g := windowJob(graph.Node{ID: 0, Name: "Source: Collection Source", Kind: graph.Source, Parallelism: 1,
					Spec: sliceSource[pair]{input}}, p,
					func(v any, _ int64) (int64, error) { return v.(pair).TS, nil },
					func(v any) any { return v.(pair).Key }, spec,
					func(r types.Record) error {
						mu.Lock()
						defer mu.Unlock()
						got = append(got, r.Value.(string))
						return nil
					})
				job := &runtime.Job{Graph: g, Env: &runtime.Env{JobName: "windows", Mode: "STREAMING",
					Config: map[string]string{state.BackendKey: backend}},
					Hasher: func(int) runtime.KeyHasher { return keygroup.GoHash }}
				if err := job.Run(context.Background()); err != nil {
					t.Fatal(err)
				}
				slices.Sort(got)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("got %v, want %v", got, want)
				}
			})
		}
	}
}
