package stream

import (
	"sync"

	"github.com/pyflink-go/pyflink-go/engine/graph"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// FromSlice is a non-parallel source emitting the items in order.
func FromSlice[T any](env *Environment, items []T) Stream[T] {
	id := env.add("Source: Collection Source", graph.Source, 1, sliceSource[T]{items})
	return Stream[T]{env: env, id: id}
}

// Generate is a parallel source: subtask i of p emits gen(n) for every n in
// [0, count) with n % p == i.
func Generate[T any](env *Environment, count int64, gen func(n int64) T) Stream[T] {
	id := env.add("Source: Generator", graph.Source, 0, genSource[T]{count, gen})
	return Stream[T]{env: env, id: id}
}

type sliceSource[T any] struct{ items []T }

func (s sliceSource[T]) NewSource(*rt.Context) (rt.Source, error) {
	n := int64(len(s.items))
	return &genRun[T]{count: n, gen: func(i int64) T { return s.items[i] }}, nil
}

type genSource[T any] struct {
	count int64
	gen   func(int64) T
}

func (s genSource[T]) NewSource(*rt.Context) (rt.Source, error) {
	return &genRun[T]{count: s.count, gen: s.gen}, nil
}

type genRun[T any] struct {
	count int64
	gen   func(int64) T
	ctx   *rt.Context
	out   rt.Output
}

func (g *genRun[T]) Open(ctx *rt.Context, out rt.Output) error { g.ctx, g.out = ctx, out; return nil }

func (g *genRun[T]) Run() error {
	step := int64(g.ctx.Parallelism)
	emitted := 0
	for n := int64(g.ctx.Subtask); n < g.count; n += step {
		if err := g.out.Emit(types.NewRecord(g.gen(n))); err != nil {
			return err
		}
		emitted++
		if emitted&1023 == 0 {
			if err := g.ctx.Tick(); err != nil {
				return err
			}
			select {
			case <-g.ctx.Done():
				return nil
			default:
			}
		}
	}
	return nil
}

func (g *genRun[T]) Close() error { return nil }

// Sink calls f for every element, from the sink's subtasks concurrently.
func Sink[T any](s Stream[T], f func(T) error) {
	s.env.add("Sink", graph.Sink, 0, opSpec{func(*rt.Context) rt.Operator {
		return rt.AsOperator(func(r types.Record, _ rt.Output) error { return f(r.Value.(T)) })
	}}, s.edge())
}

// Results holds what Collect gathered once the job has run.
type Results[T any] struct {
	mu    sync.Mutex
	items []T
}

// Items returns the collected elements (in arrival order per sink subtask).
func (r *Results[T]) Items() []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]T(nil), r.items...)
}

// Collect gathers every element of s into memory, at parallelism 1.
func Collect[T any](s Stream[T]) *Results[T] {
	res := &Results[T]{}
	id := s.env.add("Collect", graph.Sink, 1, opSpec{func(*rt.Context) rt.Operator {
		return rt.AsOperator(func(r types.Record, _ rt.Output) error {
			res.mu.Lock()
			res.items = append(res.items, r.Value.(T))
			res.mu.Unlock()
			return nil
		})
	}}, s.edge())
	_ = id
	return res
}

// Discard consumes s without doing anything (for benchmarks).
func Discard[T any](s Stream[T]) {
	s.env.add("Discard", graph.Sink, 0, opSpec{func(*rt.Context) rt.Operator {
		return rt.AsOperator(func(types.Record, rt.Output) error { return nil })
	}}, s.edge())
}
