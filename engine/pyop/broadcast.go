package pyop

import (
	"fmt"
	"sort"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/value"
	"github.com/pyflink-go/pyflink-go/udf"
)

// Broadcast state in checkpoints.
//
// A (keyed) broadcast process function keeps its broadcast state (one map
// per MapStateDescriptor name) in its worker: every subtask sees every
// broadcast element, so every subtask holds a full copy. A checkpoint
// copies it as the operator's broadcast state (rt.OperatorSnapshot.Broadcast,
// Flink's BROADCAST operator state): at the barrier, after every batch in
// flight has been answered, the operator sends an empty batch with
// Snapshot set and keeps the states the result carries. A restore installs
// the subtask's copies (rt.RestorePoint.stateFor deals them) with the first
// batch sent, before any record is processed.
//
// A worker that dies fails the job, which restarts from the latest
// completed checkpoint (whole-job failover), so a replaced worker gets the
// broadcast state through the same restore.
//
// Each state's blob is pyBroadcastVersion followed by the state's map in
// the value encoding, as the worker wrote it.
const pyBroadcastVersion = 1

// BroadcastFuncs are the Python funcs that hold broadcast state.
var BroadcastFuncs = map[string]bool{"broadcast_process": true, "keyed_broadcast_process": true}

// broadcastCopy is the engine's side of a broadcast operator's state: the
// copy the last snapshot fetched, and the states a restore has yet to
// install. Invariant: install is nil once a batch has carried it.
type broadcastCopy struct {
	latest  []udf.BroadcastState
	install []udf.BroadcastState
}

// prepare adds the restored states to the first batch sent after a restore.
func (c *broadcastCopy) prepare(b *udf.Batch) {
	if c.install != nil {
		b.Broadcast = c.install
		c.install = nil
	}
}

// apply keeps the broadcast states a snapshot batch answered with (copied:
// the result's values point into its message).
func (c *broadcastCopy) apply(res *udf.Result) {
	if res.Broadcast == nil {
		return
	}
	c.latest = make([]udf.BroadcastState, len(res.Broadcast))
	for i, s := range res.Broadcast {
		c.latest[i] = udf.BroadcastState{Name: s.Name, Value: append(value.Raw(nil), s.Value...)}
	}
}

// fetchBroadcast asks the worker for its broadcast states and waits for
// them; every batch sent before has been answered.
func (o *chainOp) fetchBroadcast() error {
	o.bc.latest = nil
	if err := o.send(&udf.Batch{Snapshot: true}); err != nil {
		return err
	}
	if err := o.waitAll(); err != nil {
		return err
	}
	if o.bc.latest == nil {
		return fmt.Errorf("the worker did not answer with its broadcast state")
	}
	return nil
}

// snapshotBroadcast writes the fetched copy into snap.
func (o *chainOp) snapshotBroadcast(snap *rt.OperatorSnapshot) {
	for _, s := range o.bc.latest {
		snap.PutBroadcast(s.Name, append([]byte{pyBroadcastVersion}, s.Value...))
	}
}

// restoreBroadcast takes the subtask's copies of st for the first batch
// (in name order) and as the copy a snapshot taken before any batch writes.
func (o *chainOp) restoreBroadcast(st *rt.RestoredState) error {
	if len(st.Broadcast) == 0 {
		return nil
	}
	if !o.broadcast {
		return fmt.Errorf("checkpoint %d holds broadcast state, but the operator is not a broadcast process function", st.CheckpointID)
	}
	names := make([]string, 0, len(st.Broadcast))
	for name := range st.Broadcast {
		names = append(names, name)
	}
	sort.Strings(names)
	states := make([]udf.BroadcastState, 0, len(names))
	for _, name := range names {
		data := st.Broadcast[name]
		if len(data) < 2 || data[0] != pyBroadcastVersion {
			return fmt.Errorf("broadcast state %q of checkpoint %d: unknown format (this build reads version %d)", name, st.CheckpointID, pyBroadcastVersion)
		}
		if _, _, err := value.ReadMapHeader(data[1:]); err != nil {
			return fmt.Errorf("broadcast state %q of checkpoint %d is not a map: %w", name, st.CheckpointID, err)
		}
		states = append(states, udf.BroadcastState{Name: name, Value: value.Raw(data[1:])})
	}
	o.bc.install, o.bc.latest = states, states
	return nil
}
