package pyop

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/udf"
)

// Checkpoints of Python operators.
//
// Every Python operator implements rt.SnapshotPreparer: before a snapshot it
// ships the pending bundle and waits for every batch in flight, so the
// results of all input before the barrier are emitted before the barrier,
// and, for keyed operators, every state write-back and timer change of those
// batches is in the backend. In STREAMING mode the worker writes back every
// state change (the reduce accumulator included) with the result of the
// batch that made it, so after PrepareSnapshot the backend holds all keyed
// state and the worker's cache holds nothing the backend lacks. (BATCH mode
// writes back only on eviction; Flink takes no checkpoints in BATCH mode.)
//
// A keyed operator also implements rt.Checkpointed. Its keyed state is the
// backend's: with incremental checkpoints on a Pebble backend, the files of
// a Pebble checkpoint with the declarations below as their header
// (state.CaptureBackend); otherwise one blob per key group that holds state:
//
//	version (1 byte, pyCheckpointVersion)
//	uvarint(len decls) decls   the state declarations, JSON
//	the key group in state.SnapshotKeyGroup's format
//
// The declarations (name, kind, TTL of every state the functions declared,
// and the reduce accumulator) are written into every blob rather than as
// operator list state: after rescaling a subtask receives the key groups of
// its range but maybe no list item, and it needs the declarations to install
// restored state into the worker when a restored key is first used
// (keyedState.prepare). The blobs of one checkpoint carry the same
// declarations; a restore takes their union by name.
//
// Timers are in the backend too (the "user-timers" queues): restored
// processing-time timers fire from Tick, event-time timers with the first
// watermark past them. The watermark itself is not snapshotted (as in
// Flink): a restored operator starts at the minimum watermark.
//
// Broadcast state is checkpointed as the operator's broadcast state
// (broadcast.go). Not covered: operator-level Python state that is neither
// keyed nor broadcast (attributes a function sets on itself), as in
// PyFlink, where such attributes are not state either.
const pyCheckpointVersion = 1

// PrepareSnapshot implements rt.SnapshotPreparer.
func (o *chainOp) PrepareSnapshot(checkpointID int64) error {
	if err := o.submit(false); err != nil {
		return fmt.Errorf("Python operator %s: checkpoint %d: %w", o.name(), checkpointID, err)
	}
	if err := o.waitAll(); err != nil {
		return fmt.Errorf("Python operator %s: checkpoint %d: %w", o.name(), checkpointID, err)
	}
	if o.broadcast {
		if err := o.fetchBroadcast(); err != nil {
			return fmt.Errorf("Python operator %s: checkpoint %d: %w", o.name(), checkpointID, err)
		}
	}
	return nil
}

// SnapshotState implements rt.Checkpointed: the key groups of a keyed
// operator's backend and the broadcast state of a broadcast operator;
// nothing for other Python operators.
func (o *chainOp) SnapshotState(checkpointID int64, snap *rt.OperatorSnapshot) error {
	if o.broadcast {
		o.snapshotBroadcast(snap)
	}
	if o.state == nil {
		return nil
	}
	header, err := encodeDecls(o.state.decls)
	if err != nil {
		return fmt.Errorf("Python operator %s: checkpoint %d: %w", o.name(), checkpointID, err)
	}
	capture, err := state.CaptureBackend(o.state.backend)
	if err != nil {
		return fmt.Errorf("Python operator %s: checkpoint %d: %w", o.name(), checkpointID, err)
	}
	// A frozen view (Pebble) is serialized after the barrier has gone on.
	return snap.Write(capture.Async(), func(snap *rt.OperatorSnapshot) error {
		if err := capture.WriteTo(header, snap); err != nil {
			return fmt.Errorf("Python operator %s: checkpoint %d: %w", o.name(), checkpointID, err)
		}
		return nil
	})
}

// RestoreState implements rt.Checkpointed: it ingests the key groups into
// the backend and learns the state declarations, so restored state is
// installed into the worker with the first batch of each key; restored
// broadcast state goes to the worker with the first batch.
func (o *chainOp) RestoreState(st *rt.RestoredState) error {
	if err := o.restoreBroadcast(st); err != nil {
		return fmt.Errorf("Python operator %s: %w", o.name(), err)
	}
	if len(st.KeyGroups) == 0 && len(st.Files) == 0 {
		return nil
	}
	if o.state == nil {
		return fmt.Errorf("Python operator %s: checkpoint %d holds keyed state, but the operator is not keyed", o.name(), st.CheckpointID)
	}
	for _, f := range st.Files {
		decls, _, err := decodeDecls(f.Header)
		if err != nil {
			return fmt.Errorf("Python operator %s: checkpoint %d: %w", o.name(), st.CheckpointID, err)
		}
		for _, d := range decls {
			o.state.decls[d.Name] = d
		}
	}
	if err := state.RestoreFiles(o.state.backend, st.Files); err != nil {
		return fmt.Errorf("Python operator %s: restore from checkpoint %d: %w", o.name(), st.CheckpointID, err)
	}
	for _, kg := range st.KeyGroupIDs() {
		decls, rest, err := decodeDecls(st.KeyGroups[kg])
		if err != nil {
			return fmt.Errorf("Python operator %s: key group %d of checkpoint %d: %w", o.name(), kg, st.CheckpointID, err)
		}
		for _, d := range decls {
			o.state.decls[d.Name] = d
		}
		if err := state.RestoreKeyGroup(o.state.backend, kg, rest); err != nil {
			return fmt.Errorf("Python operator %s: checkpoint %d: %w", o.name(), st.CheckpointID, err)
		}
	}
	return nil
}

// name is the operator's name for errors: the names of its fused functions.
func (o *chainOp) name() string {
	s := ""
	for i, op := range o.spec.Ops {
		if i > 0 {
			s += " -> "
		}
		s += op.Name
	}
	return s
}

// encodeDecls writes the blob header: version and declarations (sorted by
// name, so every blob of a checkpoint carries the same bytes).
func encodeDecls(decls map[string]udf.StateDecl) ([]byte, error) {
	list := make([]udf.StateDecl, 0, len(decls))
	for _, d := range decls {
		list = append(list, d)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	js, err := json.Marshal(list)
	if err != nil {
		return nil, fmt.Errorf("state declarations: %w", err)
	}
	out := append(make([]byte, 0, 1+binary.MaxVarintLen64+len(js)), pyCheckpointVersion)
	out = binary.AppendUvarint(out, uint64(len(js)))
	return append(out, js...), nil
}

// decodeDecls splits a blob into its declarations and the key group's state.
func decodeDecls(data []byte) ([]udf.StateDecl, []byte, error) {
	if len(data) == 0 {
		return nil, nil, fmt.Errorf("empty state")
	}
	if data[0] != pyCheckpointVersion {
		return nil, nil, fmt.Errorf("Python operator state format version %d, this build reads %d", data[0], pyCheckpointVersion)
	}
	n, w := binary.Uvarint(data[1:])
	if w <= 0 || uint64(len(data)-1-w) < n {
		return nil, nil, fmt.Errorf("corrupt state declarations")
	}
	var decls []udf.StateDecl
	if err := json.Unmarshal(data[1+w:1+w+int(n)], &decls); err != nil {
		return nil, nil, fmt.Errorf("corrupt state declarations: %w", err)
	}
	return decls, data[1+w+int(n):], nil
}
