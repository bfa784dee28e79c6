package stream

import (
	"github.com/pyflink-go/pyflink-go/engine/graph"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// Stream is a typed stream of T.
type Stream[T any] struct {
	env       *Environment
	id        int
	partition graph.Partition
}

// KeyedStream is a stream of T partitioned by a key of type K.
type KeyedStream[T any, K comparable] struct {
	Stream[T]
}

func (s Stream[T]) edge() graph.Edge {
	p := s.partition
	if p == "" {
		p = graph.Auto
	}
	return graph.Edge{From: s.id, Partition: p}
}

// Rebalance distributes the next operator's input round-robin.
func (s Stream[T]) Rebalance() Stream[T] { s.partition = graph.Rebalance; return s }

// SetParallelism sets the parallelism of the operator that produced s.
func (s Stream[T]) SetParallelism(p int) Stream[T] { s.env.nodes[s.id].Parallelism = p; return s }

// Name sets the name of the operator that produced s.
func (s Stream[T]) Name(n string) Stream[T] { s.env.nodes[s.id].Name = n; return s }

type opSpec struct {
	newOp func(ctx *rt.Context) rt.Operator
}

func (o opSpec) NewOperator(ctx *rt.Context) (rt.Operator, error) { return o.newOp(ctx), nil }

func addOp[T, U any](s Stream[T], name string, newOp func(ctx *rt.Context) rt.Operator) Stream[U] {
	id := s.env.add(name, graph.Operator, 0, opSpec{newOp}, s.edge())
	return Stream[U]{env: s.env, id: id}
}

// Map applies f to every element.
func Map[T, U any](s Stream[T], f func(T) U) Stream[U] {
	return addOp[T, U](s, "Map", func(*rt.Context) rt.Operator {
		return rt.AsOperator(func(r types.Record, out rt.Output) error {
			r.Value = f(r.Value.(T))
			r.Key = nil
			return out.Emit(r)
		})
	})
}

// Filter keeps the elements for which f is true.
func Filter[T any](s Stream[T], f func(T) bool) Stream[T] {
	return addOp[T, T](s, "Filter", func(*rt.Context) rt.Operator {
		return rt.AsOperator(func(r types.Record, out rt.Output) error {
			if f(r.Value.(T)) {
				r.Key = nil
				return out.Emit(r)
			}
			return nil
		})
	})
}

// FlatMap calls f with every element and an emit function for its outputs.
func FlatMap[T, U any](s Stream[T], f func(T, func(U))) Stream[U] {
	return addOp[T, U](s, "FlatMap", func(*rt.Context) rt.Operator {
		return rt.AsOperator(func(r types.Record, out rt.Output) error {
			var err error
			f(r.Value.(T), func(u U) {
				if err == nil {
					err = out.Emit(types.Record{Value: u, Timestamp: r.Timestamp})
				}
			})
			return err
		})
	})
}

// KeyBy partitions s by the key f computes.
func KeyBy[T any, K comparable](s Stream[T], f func(T) K) KeyedStream[T, K] {
	out := addOp[T, T](s, "KeyBy", func(*rt.Context) rt.Operator {
		return rt.AsOperator(func(r types.Record, out rt.Output) error {
			r.Key = f(r.Value.(T))
			return out.Emit(r)
		})
	})
	out.partition = graph.Hash
	s.env.keyed[out.id] = true
	return KeyedStream[T, K]{out}
}

// Reduce combines the elements of each key with f. In streaming mode it emits
// the running result for every element; in batch mode the final one per key.
func Reduce[T any, K comparable](s KeyedStream[T, K], f func(T, T) T) Stream[T] {
	return addOp[T, T](s.Stream, "Reduce", func(ctx *rt.Context) rt.Operator {
		return &reduceOp[T, K]{f: f, acc: map[K]T{}, batch: ctx.Env.Mode == "BATCH"}
	})
}

type reduceOp[T any, K comparable] struct {
	f     func(T, T) T
	acc   map[K]T
	order []K
	batch bool
	out   rt.Output
}

func (o *reduceOp[T, K]) Open(_ *rt.Context, out rt.Output) error { o.out = out; return nil }

func (o *reduceOp[T, K]) Process(r types.Record) error {
	k := r.Key.(K)
	v := r.Value.(T)
	if cur, ok := o.acc[k]; ok {
		v = o.f(cur, v)
	} else if o.batch {
		o.order = append(o.order, k)
	}
	o.acc[k] = v
	if o.batch {
		return nil
	}
	return o.out.Emit(types.Record{Value: v, Key: nil, Timestamp: r.Timestamp})
}

func (o *reduceOp[T, K]) Tick() error { return nil }

func (o *reduceOp[T, K]) EndInput() error {
	if !o.batch {
		return nil
	}
	for _, k := range o.order {
		if err := o.out.Emit(types.NewRecord(o.acc[k])); err != nil {
			return err
		}
	}
	return nil
}

func (o *reduceOp[T, K]) Close() error { return nil }

// Transform adds an operator built by spec (a window operator from
// engine/window, a watermark generator from engine/watermark, ...) after s.
// A spec that reads record keys must follow a KeyBy.
func Transform[T, U any](s Stream[T], name string, spec rt.OperatorSpec) Stream[U] {
	id := s.env.add(name, graph.Operator, 0, spec, s.edge())
	return Stream[U]{env: s.env, id: id}
}

// Keyed returns the keyed stream as a plain stream whose records still carry
// their keys, for Transform with keyed operators.
func (s KeyedStream[T, K]) Keyed() Stream[T] { return s.Stream }
