// Package numseq is NumberSequenceSource: the LONG values from..to
// (inclusive), split into one contiguous range per subtask.
package numseq

import (
	"fmt"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// Spec is the inclusive range to emit.
type Spec struct {
	From, To int64
}

// NewSource returns the source of one subtask.
func (s *Spec) NewSource(*rt.Context) (rt.Source, error) {
	if s.To < s.From {
		return nil, fmt.Errorf("number sequence: end %d is before start %d", s.To, s.From)
	}
	return &source{spec: *s}, nil
}

// Split returns subtask i's share of [from, to] among p subtasks.
func Split(from, to int64, i, p int) (int64, int64) {
	n := uint64(to-from) + 1
	lo := from + int64(n*uint64(i)/uint64(p))
	hi := from + int64(n*uint64(i+1)/uint64(p)) - 1
	return lo, hi
}

type source struct {
	spec Spec
	ctx  *rt.Context
	out  rt.Output
}

func (s *source) Open(ctx *rt.Context, out rt.Output) error { s.ctx, s.out = ctx, out; return nil }

func (s *source) Run() error {
	lo, hi := Split(s.spec.From, s.spec.To, s.ctx.Subtask, s.ctx.Parallelism)
	for v := lo; v <= hi && v >= lo; v++ {
		if err := s.out.Emit(types.NewRecord(v)); err != nil {
			return err
		}
		if v&1023 == 0 {
			if err := s.ctx.Tick(); err != nil {
				return err
			}
			select {
			case <-s.ctx.Done():
				return nil
			default:
			}
		}
		if v == hi {
			break
		}
	}
	return nil
}

func (s *source) Close() error { return nil }
