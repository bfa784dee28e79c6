// Package collection is the non-parallel source behind from_collection: it
// emits a fixed list of values in order.
//
// It is checkpointed as Flink's collection source is: its state is the
// index of the next value to emit, one list-state item. A source restored
// from a checkpoint resumes at that index, so every value is emitted once
// across a failure.
package collection

import (
	"encoding/json"
	"fmt"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// TickEvery is how many records the source emits between calls to
// ctx.Tick, where the runtime may take its snapshot.
// Small, so a source chained to a slow Python function still reaches its
// next snapshot point quickly; a tick costs tens of nanoseconds.
const TickEvery = 32

// Spec holds the values to emit (already encoded for Python streams).
type Spec struct {
	Values []any
}

// NewSource returns the source of one subtask; only subtask 0 emits, as the
// source is non-parallel.
func (s *Spec) NewSource(*rt.Context) (rt.Source, error) { return &source{values: s.Values}, nil }

// position is the list-state item: the index of the next value.
type position struct {
	Next int `json:"next"`
}

type source struct {
	values []any
	ctx    *rt.Context
	out    rt.Output
	// next is the index of the next value to emit. Invariant: it counts the
	// value being emitted as soon as Emit is called, so it is consistent at
	// every ctx.Tick and inside Emit.
	next int
	// restored is set when the position came from a checkpoint: then it
	// holds whichever subtask runs the source.
	restored bool
}

func (s *source) Open(ctx *rt.Context, out rt.Output) error { s.ctx, s.out = ctx, out; return nil }

// SnapshotState writes the position. Only the subtask that emits has one.
func (s *source) SnapshotState(_ int64, snap *rt.OperatorSnapshot) error {
	if s.emits() {
		b, err := json.Marshal(position{Next: s.next})
		if err != nil {
			return err
		}
		snap.AddItem(b)
	}
	return nil
}

// RestoreState resumes at the restored position; a subtask that gets no
// item emits nothing.
func (s *source) RestoreState(st *rt.RestoredState) error {
	s.restored = true
	s.next = len(s.values)
	if len(st.Items) > 1 {
		return fmt.Errorf("collection source: restoring from checkpoint %d: %d positions, the source is non-parallel and has one", st.CheckpointID, len(st.Items))
	}
	for _, item := range st.Items {
		var p position
		if err := json.Unmarshal(item, &p); err != nil {
			return fmt.Errorf("collection source: restoring from checkpoint %d: bad position %q: %w", st.CheckpointID, item, err)
		}
		if p.Next < 0 || p.Next > len(s.values) {
			return fmt.Errorf("collection source: restoring from checkpoint %d: position %d is outside the %d values", st.CheckpointID, p.Next, len(s.values))
		}
		s.next = p.Next
	}
	return nil
}

func (s *source) emits() bool { return s.restored || s.ctx.Subtask == 0 }

func (s *source) Run() error {
	if !s.emits() {
		return nil
	}
	n := 0
	for s.next < len(s.values) {
		v := s.values[s.next]
		s.next++
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
