package window

import (
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
)

// GoSpec is the Spec of a window over a Go API stream keyed by K: keys are
// stored through CodecFor[K] and hashed as the Go API's key_by partitions
// them (keygroup.GoHash).
func GoSpec[K comparable](a Assigner, fn func() Function) Spec {
	return Spec{Assigner: a, Function: fn, Keys: TypedKeys[K]{Codec: CodecFor[K]()}, KeyHash: keygroup.GoHash}
}

// ProcessKeyed is Process with a typed key and typed results: the
// ProcessWindowFunction of a Go stream keyed by K.
func ProcessKeyed[K comparable, T, R any](process func(key K, w Window, elements []T, emit func(R) error) error) func() Function {
	return Process[T](nil, func(key any, w Window, els []T, emit Emitter) error {
		return process(key.(K), w, els, func(r R) error { return emit(r) })
	})
}

// ReduceKeyed is Reduce for Go values with no process step.
func ReduceKeyed[T any](reduce func(a, b T) T) func() Function { return Reduce(reduce, nil, nil) }

// CountPerWindow counts the elements of each pane and emits what result
// makes of (key, window, count), incrementally.
func CountPerWindow[K comparable, R any](result func(key K, w Window, n int64) R) func() Function {
	return Aggregate(AggregateFunc[any, int64, int64]{
		Create: func() int64 { return 0 },
		Add:    func(n int64, _ any) int64 { return n + 1 },
		Merge:  func(a, b int64) int64 { return a + b },
		Result: func(n int64) int64 { return n },
		Process: func(key any, w Window, n int64, emit Emitter) error {
			return emit(result(key.(K), w, n))
		},
	})
}
