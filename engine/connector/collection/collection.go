// Package collection is the non-parallel source behind from_collection: it
// emits a fixed list of values in order.
package collection

import (
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// Spec holds the values to emit (already encoded for Python streams).
type Spec struct {
	Values []any
}

// NewSource returns the source of one subtask; only subtask 0 emits, as the
// source is non-parallel.
func (s *Spec) NewSource(*rt.Context) (rt.Source, error) { return &source{values: s.Values}, nil }

type source struct {
	values []any
	ctx    *rt.Context
	out    rt.Output
}

func (s *source) Open(ctx *rt.Context, out rt.Output) error { s.ctx, s.out = ctx, out; return nil }

func (s *source) Run() error {
	if s.ctx.Subtask != 0 {
		return nil
	}
	for i, v := range s.values {
		if err := s.out.Emit(types.NewRecord(v)); err != nil {
			return err
		}
		if i&255 == 255 {
			if err := s.ctx.Tick(); err != nil {
				return err
			}
			select {
			case <-s.ctx.Done():
				return nil
			default:
			}
		}
	}
	return nil
}

func (s *source) Close() error { return nil }
