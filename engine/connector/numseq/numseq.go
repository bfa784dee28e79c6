// Package numseq is NumberSequenceSource: the LONG values from..to
// (inclusive), split into one contiguous range per subtask.
//
// The source is checkpointed as Flink's NumberSequenceSource is: the state
// of a subtask is its splits, each the range of numbers it has not emitted
// yet, one list-state item per split. A subtask restored from a checkpoint
// emits exactly the ranges it gets back, in order, and not its own share of
// from..to; at another parallelism the ranges are dealt among the new
// subtasks, so no number is lost or emitted twice. A subtask with nothing
// left writes one empty marker item, so that a checkpoint of a source whose
// subtasks have all run dry still restores as "nothing left".
package numseq

import (
	"encoding/json"
	"fmt"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// TickEvery is how many records a subtask emits between calls to ctx.Tick,
// where the runtime may take the source's snapshot.
// Small, so a source chained to a slow Python function still reaches its
// next snapshot point quickly; a tick costs tens of nanoseconds.
const TickEvery = 32

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

// span is a range of numbers not emitted yet: Next..To inclusive, or nothing
// when Empty. (Next = To+1 cannot mark the end: To may be MaxInt64.)
type span struct {
	Next  int64 `json:"next"`
	To    int64 `json:"to"`
	Empty bool  `json:"empty,omitempty"`
}

type source struct {
	spec Spec
	ctx  *rt.Context
	out  rt.Output
	// spans are what this subtask still emits, in order. Invariant (kept
	// before every Emit returns control to Run, so at every ctx.Tick and
	// inside Emit): spans[0].Next is the number after the last one emitted.
	spans []span
}

func (s *source) Open(ctx *rt.Context, out rt.Output) error {
	s.ctx, s.out = ctx, out
	s.spans = nil
	n := uint64(s.spec.To-s.spec.From) + 1
	if n*uint64(ctx.Subtask+1)/uint64(ctx.Parallelism) > n*uint64(ctx.Subtask)/uint64(ctx.Parallelism) {
		// The share is empty when there are more subtasks than numbers.
		lo, hi := Split(s.spec.From, s.spec.To, ctx.Subtask, ctx.Parallelism)
		s.spans = []span{{Next: lo, To: hi}}
	}
	return nil
}

// SnapshotState writes the remaining ranges, one item each.
func (s *source) SnapshotState(id int64, snap *rt.OperatorSnapshot) error {
	if len(s.spans) == 0 {
		snap.AddItem(mustJSON(span{Empty: true}))
		return nil
	}
	for _, sp := range s.spans {
		snap.AddItem(mustJSON(sp))
	}
	return nil
}

// RestoreState replaces the subtask's share with the ranges restored.
func (s *source) RestoreState(st *rt.RestoredState) error {
	s.spans = nil
	for _, item := range st.Items {
		var sp span
		if err := json.Unmarshal(item, &sp); err != nil {
			return fmt.Errorf("number sequence: restoring from checkpoint %d: bad split %q: %w", st.CheckpointID, item, err)
		}
		if sp.Empty {
			continue
		}
		if sp.To < sp.Next {
			return fmt.Errorf("number sequence: restoring from checkpoint %d: split %d..%d ends before it starts", st.CheckpointID, sp.Next, sp.To)
		}
		s.spans = append(s.spans, sp)
	}
	return nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func (s *source) Run() error {
	n := 0
	for len(s.spans) > 0 {
		sp := &s.spans[0]
		v := sp.Next
		// Advance the position before emitting, so that v counts as emitted
		// wherever a snapshot is taken from now on.
		if v == sp.To {
			s.spans = s.spans[1:]
		} else {
			sp.Next++
		}
		if err := s.out.Emit(types.NewRecord(v)); err != nil {
			return err
		}
		if n++; n == TickEvery {
			n = 0
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
