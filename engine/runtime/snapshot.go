package runtime

import (
	"fmt"
	"sort"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
)

// OperatorSnapshot is what one operator instance (one subtask) writes for a
// checkpoint. It has two parts, as Flink's state has:
//
//   - keyed state, one opaque blob per key group in the operator's own
//     format; on restore every blob goes to the subtask that owns its key
//     group at the new parallelism;
//   - operator list state: opaque items (a source split with its position,
//     a sink's pending files). At the same parallelism a subtask gets back
//     exactly the items it wrote; at another parallelism the items of all
//     old subtasks, in subtask order, are dealt round-robin.
//
// Broadcast state (Flink's operator state of the BROADCAST kind, which
// every subtask holds a full copy of) is a third part, by state name; see
// RestorePoint.stateFor for how it is dealt on restore.
type OperatorSnapshot struct {
	KeyGroups map[int][]byte
	Items     [][]byte
	// Broadcast is this subtask's copy of each broadcast state, by name, in
	// the operator's own format.
	Broadcast map[string][]byte
	// Files, set instead of KeyGroups, is the operator's keyed state as a
	// store's own checkpoint (incremental Pebble checkpoints): the runtime
	// moves its files into the checkpoint store after the deferred part.
	Files *LocalFiles
	// Savepoint is set by the runtime when the snapshot is for a savepoint,
	// which must be in the key-group format (Canonical).
	Savepoint bool
	// Deferred, when set by SnapshotState, is the asynchronous part of the
	// snapshot: the runtime calls it once, on another goroutine, after the
	// barrier has gone on, and it adds key groups and items from a frozen
	// view the operator captured in SnapshotState (and releases the view).
	// It must not touch the operator's live state. The task waits for its
	// deferred parts before it closes its operators.
	Deferred func(snap *OperatorSnapshot) error
}

// Write runs f on the snapshot now or, when later is set (f reads a frozen
// view of the state), makes it the snapshot's Deferred part, run after the
// barrier has gone on.
func (s *OperatorSnapshot) Write(later bool, f func(*OperatorSnapshot) error) error {
	if later {
		s.Deferred = f
		return nil
	}
	return f(s)
}

// Finish runs the deferred part of the snapshot, if any, once.
func (s *OperatorSnapshot) Finish() error {
	d := s.Deferred
	if d == nil {
		return nil
	}
	s.Deferred = nil
	return d(s)
}

// PutKeyGroup sets the keyed state of key group kg. data is kept, not copied.
func (s *OperatorSnapshot) PutKeyGroup(kg int, data []byte) {
	if s.KeyGroups == nil {
		s.KeyGroups = map[int][]byte{}
	}
	s.KeyGroups[kg] = data
}

// LocalFiles is a directory of state files an operator hands over to the
// checkpoint, with what a restore needs to know of them (Files of Handle
// is filled in when the files are stored).
type LocalFiles struct {
	Dir    string
	Handle checkpoint.BackendFiles
	// Immutable reports whether a file never changes once written, so the
	// checkpoint stores it once in the shared directory and later
	// checkpoints reference it (the store that wrote the files knows).
	Immutable func(local string) bool
}

// PutFiles hands over dir, a store's checkpoint, as the operator's keyed
// state (state.SnapshotWriter); immutable tells its shared files.
func (s *OperatorSnapshot) PutFiles(dir string, files checkpoint.BackendFiles, immutable func(local string) bool) {
	s.Files = &LocalFiles{Dir: dir, Handle: files, Immutable: immutable}
}

// Canonical reports whether the snapshot must be in the key-group format
// (state.SnapshotWriter): savepoints are, so they restore on any backend.
func (s *OperatorSnapshot) Canonical() bool { return s.Savepoint }

// AddItem appends one item of operator list state. data is kept, not copied.
func (s *OperatorSnapshot) AddItem(data []byte) { s.Items = append(s.Items, data) }

// PutBroadcast sets this subtask's copy of the broadcast state name. data is
// kept, not copied.
func (s *OperatorSnapshot) PutBroadcast(name string, data []byte) {
	if s.Broadcast == nil {
		s.Broadcast = map[string][]byte{}
	}
	s.Broadcast[name] = data
}

// Empty reports whether the snapshot holds nothing.
func (s *OperatorSnapshot) Empty() bool {
	return len(s.KeyGroups) == 0 && len(s.Items) == 0 && len(s.Broadcast) == 0 && s.Deferred == nil && s.Files == nil
}

// RestoredState is the state one operator instance restores from: the key
// groups of its range that hold state, its share of the list state, and its
// copy of each broadcast state.
type RestoredState struct {
	// CheckpointID is the checkpoint (or savepoint) restored from.
	CheckpointID int64
	KeyGroups    map[int][]byte
	Items        [][]byte
	// Broadcast is the copy of each broadcast state this subtask restores,
	// by name (nil when the checkpoint holds none).
	Broadcast map[string][]byte
	// Files are the store checkpoints (incremental Pebble checkpoints) of
	// the old subtasks whose key groups overlap this subtask's, with file
	// names resolved to paths; state.RestoreFiles restores them.
	Files []checkpoint.BackendFiles
}

// KeyGroupIDs returns the restored key groups in ascending order.
func (r *RestoredState) KeyGroupIDs() []int {
	ids := make([]int, 0, len(r.KeyGroups))
	for kg := range r.KeyGroups {
		ids = append(ids, kg)
	}
	sort.Ints(ids)
	return ids
}

// Checkpointed is implemented by operators and sources that have state to
// checkpoint (Flink's CheckpointedFunction together with keyed state).
//
// SnapshotState runs on the task goroutine when the checkpoint's barrier
// reaches the operator: every record before the barrier has been processed
// (and, for operators implementing SnapshotPreparer, its results emitted),
// none after it. It must copy what it writes: the task serializes snap after
// it returns and the operator goes on changing its state.
//
// RestoreState is called once, after Open and before the first record, when
// the job starts from a checkpoint or savepoint that holds state for the
// operator (matched by OperatorID).
type Checkpointed interface {
	SnapshotState(checkpointID int64, snap *OperatorSnapshot) error
	RestoreState(st *RestoredState) error
}

// SnapshotPreparer is implemented by operators with records in flight
// outside the task (a Python operator's unanswered bundles): PrepareSnapshot
// finishes them and emits their results, so that the snapshot and the
// barrier come after every output caused by input before the barrier.
type SnapshotPreparer interface {
	PrepareSnapshot(checkpointID int64) error
}

// CheckpointListener is implemented by operators that act when a checkpoint
// completes or is aborted (two-phase-commit sinks commit what they
// pre-committed for it). NotifyCheckpointComplete is called only after the
// checkpoint's metadata is durable; it may be called for a newer checkpoint
// without a call for an older one, which the newer one subsumes.
type CheckpointListener interface {
	NotifyCheckpointComplete(checkpointID int64) error
	NotifyCheckpointAborted(checkpointID int64) error
}

// FinalCheckpointer is implemented by operators that must not end before a
// checkpoint taken after their end of input completed (two-phase-commit
// sinks, as Flink's final checkpoint for finished tasks): with checkpoints
// on, their EndInput pre-commits instead of committing, and the task waits
// for that checkpoint and its completion before it ends.
type FinalCheckpointer interface {
	NeedsFinalCheckpoint() bool
}

// OperatorID names an operator's state across runs of a job: its uid when
// the job set one (so savepoints survive changes to the job), else its node
// id, which is stable for an unchanged job.
func OperatorID(uid string, nodeID int) string {
	if uid != "" {
		return "uid:" + uid
	}
	return fmt.Sprintf("node:%d", nodeID)
}
