// Package checkpoint owns the decisions of aligned barrier checkpointing
// (asynchronous barrier snapshotting, as in Flink): the Aligner of one task
// and the Coordinator of one job. Package checkpoint/store keeps the
// checkpoints on disk.
//
// Everything here is pure, in the style of etcd's raft: no I/O, no
// goroutines, no clock. Events go in (a barrier read from a channel, an
// acknowledgement, a tick with the current time in milliseconds) and
// decisions come out, appended to a slice, for a thin shell in the runtime to
// carry out in order. Tests are transcripts under testdata/.
//
// # Aligner (one per task)
//
// Invariants:
//   - a snapshot for checkpoint n is triggered once every input channel
//     delivered barrier n or ended; an ended channel counts as having
//     delivered every barrier;
//   - ExactlyOnce: from its barrier n until the snapshot (or the abort) of n,
//     a channel is blocked: everything that arrives on it is held by the task
//     and never given to the operator or the aligner; UnblockAll replays the
//     held buffers in order, and the snapshot comes before any of them;
//   - at most one checkpoint aligns; a barrier of a newer one, or a cancel
//     barrier, aborts it (Subsumed, Canceled) and unblocks;
//   - AtLeastOnce: nothing is blocked; several checkpoints may be in flight
//     and the completion of one drops the older ones;
//   - snapshots are triggered with strictly increasing ids; barriers of ids
//     already triggered or aborted are ignored.
//
// # Coordinator (one per job)
//
// Invariants:
//   - ids strictly increase, across restarts too (NewCoordinator takes the
//     first id: store.NextID);
//   - a periodic trigger needs the interval since the last trigger, the min
//     pause since the last completion, and fewer than max-concurrent
//     checkpoints in flight (a min pause implies one at a time); TriggerNow
//     ignores all three, as a savepoint does;
//   - a checkpoint is Complete when every task acknowledged it (finished
//     tasks acknowledge implicitly); NotifyComplete is decided only after
//     Persisted reports its metadata durable, so no sink commits the output
//     of a checkpoint a restart could not restore;
//   - a durable checkpoint subsumes every older pending one;
//   - expired, declined and not-persisted checkpoints are failures; more
//     consecutive failures than TolerableFailures decide FailJob. Subsumed
//     checkpoints and aborts by failover are not failures; a completed
//     checkpoint resets the count.
//
// # How the runtime drives them
//
// Barriers become an in-band Buffer kind next to watermarks: a Buffer carrying
// a checkpoint barrier (or cancel barrier) id travels behind the records
// sent before it on its channel. On Trigger a source task, between two
// records, snapshots its position (collection index, file offset, sequence
// number) and sends the barrier on all its outputs. Every other task feeds
// what it reads from its gate to its Aligner — buffers from a Blocked channel
// go into a per-channel queue instead — and carries out the decisions:
//
//   - TriggerSnapshot: flush in-flight Python bundles, snapshot keyed state
//     (Backend.Entries per key group into store task files; with
//     incremental checkpoints, Pebble's own checkpoint, whose sstables go to
//     the store's shared directory once and are referenced by every later
//     checkpoint that still has them: SharedRegistry), operator state and sink
//     pre-commits, send barrier n downstream, then acknowledge to the
//     Coordinator with the TaskState once its files are written (the writes
//     may run asynchronously while the task goes on);
//   - AbortCheckpoint: decline to the Coordinator with the reason and send a
//     cancel barrier downstream;
//   - UnblockAll: process the held queues before reading the gate again.
//
// The job's shell ticks the Coordinator (sleeping until NextDeadline) and
// carries out its decisions: Trigger → tell the sources; Complete → write
// store.NewMetadata with Store.Finalize, then Persisted; NotifyComplete →
// every task's notifyCheckpointComplete, which commits two-phase sinks;
// Abort/Discard → tell the tasks and Store.Discard; FailJob → fail the job.
// On a restart the shell Suspends the Coordinator, restores every task from
// store.Latest (or a path given by execution.savepoint.path), and Resumes.
package checkpoint
