package window

import (
	"fmt"

	"github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/state"
)

// Checkpoints of the window operator.
//
// Everything the operator keeps across records is in its state backend: the
// function's window contents (or accumulators), the merging window sets of
// session windows, the per-key counters of count windows, trigger state and
// the window timers. A snapshot is therefore the backend's key groups (in
// state.SnapshotKeyGroup's format), or with incremental checkpoints on
// Pebble the files of its Pebble checkpoint, and a restore takes the key
// groups of the subtask's range, at whatever parallelism.
//
// What is not snapshotted, as in Flink: the current watermark (a restored
// operator starts at the minimum watermark, and timers restored at or
// before the next watermark fire with it; until then no element counts as
// late), and the count of dropped late elements (a metric).
//
// A function may hold evaluations it has not run (a Python window function
// batches fired windows until Flush): PrepareSnapshot flushes them, so their
// results go out before the barrier. A Python function's window_state()
// and global_state(), and a Python trigger's partitioned state, are in the
// backend too (engine/pyop, window_state.go).

// PrepareSnapshot implements runtime.SnapshotPreparer: the function runs
// and emits every window fired before the barrier.
func (o *Operator) PrepareSnapshot(checkpointID int64) error {
	if o.fn == nil {
		return nil
	}
	if err := o.fn.Flush(o.coll); err != nil {
		return fmt.Errorf("window: checkpoint %d: %w", checkpointID, err)
	}
	return nil
}

// SnapshotState implements runtime.Checkpointed: every key group of the
// backend that holds state.
func (o *Operator) SnapshotState(checkpointID int64, snap *runtime.OperatorSnapshot) error {
	if o.backend == nil {
		return fmt.Errorf("window: checkpoint %d: the operator is closed", checkpointID)
	}
	return snapshotBackend(o.backend, checkpointID, snap)
}

// RestoreState implements runtime.Checkpointed: the key groups of this
// subtask's range go into its backend.
func (o *Operator) RestoreState(st *runtime.RestoredState) error {
	if o.backend == nil {
		return fmt.Errorf("window: restore from checkpoint %d: the operator is not open", st.CheckpointID)
	}
	return restoreBackend(o.backend, st)
}

// snapshotBackend puts every non-empty key group of b into snap.
func snapshotBackend(b state.Backend, checkpointID int64, snap *runtime.OperatorSnapshot) error {
	capture, err := state.CaptureBackend(b)
	if err != nil {
		return fmt.Errorf("window: checkpoint %d: %w", checkpointID, err)
	}
	// A frozen view (Pebble) is serialized after the barrier has gone on.
	return snap.Write(capture.Async(), func(snap *runtime.OperatorSnapshot) error {
		if err := capture.WriteTo(nil, snap); err != nil {
			return fmt.Errorf("window: checkpoint %d: %w", checkpointID, err)
		}
		return nil
	})
}

// restoreBackend restores the store files (incremental checkpoints) and
// ingests the key groups of st into b.
func restoreBackend(b state.Backend, st *runtime.RestoredState) error {
	if err := state.RestoreFiles(b, st.Files); err != nil {
		return fmt.Errorf("window: restore from checkpoint %d: %w", st.CheckpointID, err)
	}
	for _, kg := range st.KeyGroupIDs() {
		if err := state.RestoreKeyGroup(b, kg, st.KeyGroups[kg]); err != nil {
			return fmt.Errorf("window: restore from checkpoint %d: %w", st.CheckpointID, err)
		}
	}
	return nil
}
