package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/checkpoint/store"
	"github.com/pyflink-go/pyflink-go/engine/internal/fileutil"
)

// CheckpointSetup turns on checkpoints for a Job: the configuration the
// coordinator decides by and the store the snapshots go to.
type CheckpointSetup struct {
	Config checkpoint.Config
	Store  *store.Store
	// JobID is written into every checkpoint's metadata.
	JobID string
}

// SavepointResult is the outcome of a savepoint request.
type SavepointResult struct {
	ID   int64
	Path string // the savepoint's directory
	Err  error
}

// CheckpointStats counts a job's checkpoints (over all its attempts), as
// Flink's checkpoint statistics do.
type CheckpointStats struct {
	Completed int64 `msgpack:"completed"`
	Failed    int64 `msgpack:"failed"`
	// LastID, LastDurationMs and LastSize describe the newest completed
	// checkpoint: its id, trigger-to-durable time and the bytes of state it
	// holds, its own task files and the shared files it references (the
	// state size Flink reports, whether or not the files were written by
	// an earlier, incremental checkpoint).
	LastID         int64 `msgpack:"last_id"`
	LastDurationMs int64 `msgpack:"last_duration_ms"`
	LastSize       int64 `msgpack:"last_size"`
}

// shellEvent is what tasks and clients tell the checkpoint shell.
type shellEvent struct {
	ack       *checkpoint.TaskState
	decline   string // reason, for a decline
	task      string // the declining task
	reason    checkpoint.AbortReason
	id        int64
	finished  string // a task that ended
	finalWait *task  // a task waiting for its final checkpoint
	savepoint *savepointRequest
	// flushed is closed once every event sent before it is handled.
	flushed chan struct{}
}

// savepointRequest is a client waiting for a savepoint.
type savepointRequest struct {
	result chan SavepointResult
	target string // the directory the savepoint is copied to
	stop   bool   // stop the job after it
	drain  bool   // end the sources' input instead (stop --drain), so every task finishes
}

// checkpointTrigger asks a task to take its snapshot for a checkpoint
// without waiting for barriers: sources, and tasks past their end of input
// waiting for their final checkpoint.
type checkpointTrigger struct {
	id   int64
	stop bool // stop-with-savepoint: the source ends after the barrier
	// drain: the source ends as at the end of its input (stop --drain).
	drain bool
}

// shell carries out the coordinator's decisions for one attempt of a job:
// it triggers the source tasks, collects acknowledgements, finalizes
// checkpoints in the store and notifies the tasks of completions. The
// coordinator decides; the shell only does I/O and talks to goroutines.
type shell struct {
	setup   *CheckpointSetup
	coord   *checkpoint.Coordinator
	clock   Clock
	events  chan shellEvent
	tasks   []*task
	sources []*task
	// waiters are tasks past their end of input waiting for a final checkpoint.
	waiters []*task
	fail    func(error)
	stats   func(func(*CheckpointStats))
	writes  sync.WaitGroup // task files being written
	// savepoints waiting for their checkpoint, by id.
	savepoints map[int64][]*savepointRequest
	// lastDecline says why a task last declined a checkpoint, for the
	// failure message when too many checkpoints failed.
	lastDecline string
	// triggered is when each pending checkpoint was triggered (ms). These
	// maps keep pending checkpoints only: forget drops an id when it ends.
	triggered map[int64]int64
	// stops are the pending savepoints after which the sources stop;
	// drains those of them for which the sources end their input instead.
	stops, drains map[int64]bool
	// completed is the newest durable checkpoint of this attempt.
	completed atomic.Int64
	// savepointIDs are the pending checkpoints that are savepoints (their
	// snapshots must be canonical); tasks read it, so it has a lock.
	spMu         sync.Mutex
	savepointIDs map[int64]bool
}

// isSavepoint reports whether checkpoint id is a savepoint.
func (s *shell) isSavepoint(id int64) bool {
	s.spMu.Lock()
	defer s.spMu.Unlock()
	return s.savepointIDs[id]
}

func newShell(setup *CheckpointSetup, tasks []*task, clock Clock, firstID int64, fail func(error), stats func(func(*CheckpointStats))) (*shell, error) {
	names := make([]string, len(tasks))
	s := &shell{setup: setup, clock: clock, events: make(chan shellEvent, 64), tasks: tasks, fail: fail, stats: stats,
		savepoints: map[int64][]*savepointRequest{}, stops: map[int64]bool{}, drains: map[int64]bool{}, triggered: map[int64]int64{}}
	for i, t := range tasks {
		names[i] = t.cpName
		if t.source != nil {
			s.sources = append(s.sources, t)
		}
	}
	coord, err := checkpoint.NewCoordinator(setup.Config, names, firstID, clock.Now().UnixMilli())
	if err != nil {
		return nil, err
	}
	s.coord = coord
	return s, nil
}

// flush returns once the shell has handled every event sent before it (the
// last tasks' ends, which may complete a checkpoint, such as a drained
// savepoint), or when ctx ends.
func (s *shell) flush(ctx context.Context) {
	done := make(chan struct{})
	if !s.send(ctx, shellEvent{flushed: done}) {
		return
	}
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// send hands an event to the shell; false when the attempt has ended.
func (s *shell) send(ctx context.Context, ev shellEvent) bool {
	select {
	case s.events <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}

// run is the shell's loop; it returns when ctx ends.
func (s *shell) run(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var out []checkpoint.Decision
	for {
		now := s.clock.Now().UnixMilli()
		if d, ok := s.coord.NextDeadline(); ok {
			wait := time.Duration(d-now) * time.Millisecond
			if wait < 0 {
				wait = 0
			}
			timer.Reset(wait)
		} else {
			timer.Reset(time.Hour)
		}
		out = out[:0]
		select {
		case <-ctx.Done():
			s.abortSavepoints(context.Cause(ctx))
			return
		case <-timer.C:
			out = s.coord.Tick(s.clock.Now().UnixMilli(), out)
		case ev := <-s.events:
			now := s.clock.Now().UnixMilli()
			var err error
			switch {
			case ev.ack != nil:
				out, err = s.coord.Ack(now, ev.id, *ev.ack, out)
			case ev.decline != "":
				reason := ev.reason
				if reason == "" {
					reason = checkpoint.Declined
				}
				s.lastDecline = ev.decline
				out, err = s.coord.Decline(now, ev.id, ev.task, reason, out)
			case ev.finished != "":
				out, err = s.coord.TaskFinished(now, ev.finished, out)
			case ev.finalWait != nil:
				s.waiters = append(s.waiters, ev.finalWait)
				// The waiter joins a pending checkpoint it has not taken a
				// snapshot for (ev.id is its last one); if there is none, one
				// starts now rather than a whole interval later.
				joined := false
				for _, id := range s.coord.Pending() {
					if id > ev.id {
						s.trigger(ev.finalWait, id)
						joined = true
					}
				}
				if !joined {
					out, _ = s.coord.TriggerNow(now, out)
				}
			case ev.flushed != nil:
				close(ev.flushed)
			case ev.savepoint != nil:
				id := s.coord.NextID()
				if ev.savepoint.stop {
					s.stops[id] = true
				}
				if ev.savepoint.drain {
					s.drains[id] = true
				}
				out, id = s.coord.TriggerNow(now, out)
				if id != 0 {
					s.spMu.Lock()
					if s.savepointIDs == nil {
						s.savepointIDs = map[int64]bool{}
					}
					s.savepointIDs[id] = true
					s.spMu.Unlock()
				}
				if id == 0 {
					ev.savepoint.result <- SavepointResult{Err: fmt.Errorf("checkpointing is stopped; no savepoint can be taken")}
				} else {
					s.savepoints[id] = append(s.savepoints[id], ev.savepoint)
				}
			}
			if err != nil {
				s.fail(fmt.Errorf("checkpoint coordinator: %w", err))
				return
			}
		}
		if err := s.carryOut(ctx, out); err != nil {
			s.fail(err)
			return
		}
	}
}

// carryOut performs decisions in order; decisions may produce more.
func (s *shell) carryOut(ctx context.Context, ds []checkpoint.Decision) error {
	for i := 0; i < len(ds); i++ {
		d := ds[i]
		switch d.Action {
		case checkpoint.Trigger:
			s.triggered[d.ID] = d.Timestamp
			for _, t := range s.sources {
				s.trigger(t, d.ID)
			}
			for _, t := range s.waiters {
				s.trigger(t, d.ID)
			}
		case checkpoint.Complete:
			err := s.setup.Store.Finalize(store.NewMetadata(s.setup.JobID, d.ID, d.Timestamp, d.States))
			var more []checkpoint.Decision
			more, perr := s.coord.Persisted(s.clock.Now().UnixMilli(), d.ID, err, nil)
			if perr != nil {
				return fmt.Errorf("checkpoint coordinator: %w", perr)
			}
			ds = append(ds, more...)
			if err == nil && checkpoint.Sweepable(d.ID, s.coord.Pending()) {
				// Shared files no retained checkpoint needs any more go.
				if serr := s.setup.Store.SweepShared(); serr != nil {
					slog.Warn("checkpoint store: removing unreferenced shared files", "checkpoint", d.ID, "err", serr)
				}
			}
			if err == nil {
				var size int64
				for _, st := range d.States {
					for _, f := range st.Files {
						size += f.Size
					}
					for _, f := range st.Shared {
						size += f.Size
					}
				}
				dur := s.clock.Now().UnixMilli() - s.triggered[d.ID]
				s.stats(func(cs *CheckpointStats) {
					cs.Completed++
					cs.LastID, cs.LastDurationMs, cs.LastSize = d.ID, dur, size
				})
			}
			for _, req := range s.savepoints[d.ID] {
				if err != nil {
					req.result <- SavepointResult{ID: d.ID, Err: err}
					continue
				}
				// Copied here, before the job can end and the store's
				// retention remove the checkpoint.
				if cerr := copyDir(s.setup.Store.Dir(d.ID), req.target); cerr != nil {
					req.result <- SavepointResult{ID: d.ID, Err: fmt.Errorf("cannot copy checkpoint %d to %s: %w", d.ID, req.target, cerr)}
					continue
				}
				req.result <- SavepointResult{ID: d.ID, Path: req.target}
			}
			s.forget(d.ID)
		case checkpoint.NotifyComplete:
			s.completed.Store(d.ID)
			for _, t := range s.tasks {
				select {
				case t.cp.notify <- struct{}{}:
				default: // a notification is already pending; it reads the newest id
				}
			}
		case checkpoint.Abort:
			if s.stops[d.ID] {
				return fmt.Errorf("stop-with-savepoint %d failed: %s", d.ID, d.Reason)
			}
			if len(s.waiters) > 0 && d.Reason != checkpoint.Subsumed {
				// Tasks wait for a final checkpoint: try again now.
				more, _ := s.coord.TriggerNow(s.clock.Now().UnixMilli(), nil)
				ds = append(ds, more...)
			}
			if d.Reason != checkpoint.Subsumed && d.Reason != checkpoint.JobFailover {
				s.stats(func(cs *CheckpointStats) { cs.Failed++ })
			}
			for _, req := range s.savepoints[d.ID] {
				req.result <- SavepointResult{ID: d.ID, Err: fmt.Errorf("savepoint %d was aborted: %s", d.ID, d.Reason)}
			}
			s.forget(d.ID)
			_ = s.setup.Store.Discard(d.ID)
		case checkpoint.Discard:
			// The files stay in the aborted checkpoint's directory until the
			// store prunes it.
		case checkpoint.FailJob:
			if s.lastDecline != "" {
				return fmt.Errorf("checkpointing failed: %s (last decline: %s)", d.Message, s.lastDecline)
			}
			return fmt.Errorf("checkpointing failed: %s", d.Message)
		}
	}
	return nil
}

// forget drops what the shell kept about checkpoint id once it has
// completed or been aborted, so the maps hold pending checkpoints only.
func (s *shell) forget(id int64) {
	delete(s.savepoints, id)
	delete(s.triggered, id)
	delete(s.stops, id)
	delete(s.drains, id)
	s.spMu.Lock()
	delete(s.savepointIDs, id)
	s.spMu.Unlock()
}

// trigger hands checkpoint id to task t, unless its queue is full (the task
// is far behind; the checkpoint will expire).
func (s *shell) trigger(t *task, id int64) {
	select {
	case t.cp.triggers <- checkpointTrigger{id: id, stop: s.stops[id], drain: s.drains[id]}:
	default:
	}
}

func (s *shell) abortSavepoints(err error) {
	for id, reqs := range s.savepoints {
		for _, req := range reqs {
			req.result <- SavepointResult{ID: id, Err: fmt.Errorf("the job stopped before savepoint %d completed: %v", id, err)}
		}
	}
	s.savepoints = map[int64][]*savepointRequest{}
}

// taskCheckpointing is one task's part in checkpointing.
type taskCheckpointing struct {
	shell    *shell
	aligner  *checkpoint.Aligner    // tasks with inputs
	triggers chan checkpointTrigger // checkpoints to start without barriers
	notify   chan struct{}          // a checkpoint completed (read shell.completed)
	held     [][]*Buffer            // per channel, what arrived while blocked
	notified int64
	// lastSnapshot is the newest checkpoint this task took its snapshot for.
	lastSnapshot int64
	// stopID is the stop-with-savepoint this task took its snapshot for.
	stopID int64
	// stopIDs are the checkpoints whose barriers said stop-with-savepoint.
	stopIDs map[int64]bool
	// writes are this task's snapshot files being written; the task reports
	// itself finished only after their acknowledgements.
	writes sync.WaitGroup
	// shared records the shared files the task's checkpoints stored.
	shared    sharedRecords
	decisions []checkpoint.AlignerDecision
}

// snapshot takes the task's snapshot for checkpoint id: in-flight work
// first, then every Checkpointed operator in chain order, then the barrier
// downstream; the file is written and acknowledged in the background.
func (t *task) snapshot(id int64, stop bool) error {
	t.cp.lastSnapshot = id
	for i, op := range t.ops {
		if p, ok := op.(SnapshotPreparer); ok {
			if err := p.PrepareSnapshot(id); err != nil {
				return t.fail(t.opNames[i], fmt.Errorf("checkpoint %d: %w", id, err))
			}
		}
	}
	type taken struct {
		op   string
		snap *OperatorSnapshot
	}
	var snaps []taken
	savepoint := stop || t.cp.shell.isSavepoint(id)
	take := func(c Checkpointed, opID, name string) error {
		snap := &OperatorSnapshot{Savepoint: savepoint}
		if err := c.SnapshotState(id, snap); err != nil {
			return t.fail(name, fmt.Errorf("checkpoint %d: snapshot failed: %w", id, err))
		}
		if !snap.Empty() {
			snaps = append(snaps, taken{opID, snap})
		}
		return nil
	}
	// discard releases what the snapshots taken so far hold (frozen views,
	// store checkpoint directories) when the checkpoint goes no further.
	discard := func(err error) error {
		for _, tk := range snaps {
			_ = tk.snap.Finish()
			if tk.snap.Files != nil {
				_ = os.RemoveAll(tk.snap.Files.Dir)
			}
		}
		return err
	}
	if c, ok := t.source.(Checkpointed); ok && !t.draining {
		if err := take(c, t.sourceID, t.name); err != nil {
			return err
		}
	}
	for i, op := range t.ops {
		if c, ok := op.(Checkpointed); ok {
			if err := take(c, t.opIDs[i], t.opNames[i]); err != nil {
				return discard(err)
			}
		}
	}
	for _, w := range t.writers {
		if err := w.emitBarrier(id, false, stop); err != nil {
			return discard(t.fail(t.name, err))
		}
	}
	if stop {
		// Stop-with-savepoint: nothing after the barrier may have effects
		// (no periodic watermarks, no end-of-input flushes).
		t.stopping = true
		t.cp.stopID = id
	}
	sh := t.cp.shell
	sh.writes.Add(1)
	t.cp.writes.Add(1)
	go func() {
		defer sh.writes.Done()
		defer t.cp.writes.Done()
		// A drained source has ended for good: a restore does not run it.
		st := checkpoint.TaskState{Task: t.cpName, Finished: t.draining}
		var secs []*section
		var err error
		for _, tk := range snaps {
			// Every deferred part runs, even after a failure, so each
			// releases its view.
			if derr := tk.snap.Finish(); derr != nil && err == nil {
				err = fmt.Errorf("operator %s: %w", tk.op, derr)
			}
			var files *checkpoint.BackendFiles
			if lf := tk.snap.Files; lf != nil {
				if err != nil {
					_ = os.RemoveAll(lf.Dir)
					continue
				}
				var shared, private []checkpoint.FileRef
				var ferr error
				if files, shared, private, ferr = t.storeFiles(sh.setup.Store, id, tk.op, lf); ferr != nil {
					err = errFiles(tk.op, ferr)
					continue
				}
				st.Shared = append(st.Shared, shared...)
				st.Files = append(st.Files, private...)
			}
			sec := newSection(tk.op, t.subtask, t.par, tk.snap)
			if files != nil {
				if sec == nil {
					sec = &section{Op: tk.op, Subtask: t.subtask, Parallelism: t.par}
				}
				sec.Files = files
			}
			if sec != nil {
				secs = append(secs, sec)
			}
		}
		if err == nil && len(secs) > 0 {
			var data []byte
			if data, err = msgpack.Marshal(secs); err == nil {
				var ref checkpoint.FileRef
				ref, err = sh.setup.Store.WriteFile(id, taskFileName(t.cpName), data)
				st.Files = append(st.Files, ref)
			}
		}
		if err != nil {
			sh.send(t.ctx.ctx, shellEvent{id: id, task: t.cpName, decline: fmt.Sprintf("task %s: %v", t.cpName, err)})
			return
		}
		sh.send(t.ctx.ctx, shellEvent{id: id, ack: &st})
	}()
	return nil
}

// declineCheckpoint tells the coordinator this task will not take checkpoint
// id and sends a cancel barrier downstream.
func (t *task) declineCheckpoint(id int64, reason checkpoint.AbortReason) error {
	t.cp.shell.send(t.ctx.ctx, shellEvent{id: id, task: t.cpName, decline: string(reason), reason: reason})
	for _, w := range t.writers {
		if err := w.emitBarrier(id, true, false); err != nil {
			return t.fail(t.name, err)
		}
	}
	return nil
}

// checkpointEvents handles pending triggers (sources) and completion
// notifications without waiting.
func (t *task) checkpointEvents() error {
	if t.cp == nil {
		return nil
	}
	if t.stopping {
		return errStopped
	}
	for {
		select {
		case tr := <-t.cp.triggers:
			if t.stopping {
				continue // nothing follows a stop-with-savepoint barrier
			}
			if tr.drain && t.sourceOut != nil {
				// Drain (Flink's stop --drain): the source ends as at the
				// end of its input, and so does every task after it: the
				// final watermark fires every window and timer, operators
				// flush their end of input, and two-phase sinks join the
				// savepoint as their final checkpoint. Tasks that finish
				// count as finished in it; nothing takes a snapshot here.
				t.draining = true
				return errDrained
			}
			if err := t.snapshot(tr.id, tr.stop); err != nil {
				return err
			}
			if tr.stop {
				return errStopped
			}
		case <-t.cp.notify:
			if err := t.notifyComplete(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

// notifyComplete tells the operators of the newest durable checkpoint.
func (t *task) notifyComplete() error {
	id := t.cp.shell.completed.Load()
	if id <= t.cp.notified {
		return nil
	}
	t.cp.notified = id
	if l, ok := t.source.(CheckpointListener); ok {
		if err := l.NotifyCheckpointComplete(id); err != nil {
			return t.fail(t.name, err)
		}
	}
	for i, op := range t.ops {
		if l, ok := op.(CheckpointListener); ok {
			if err := l.NotifyCheckpointComplete(id); err != nil {
				return t.fail(t.opNames[i], fmt.Errorf("checkpoint %d complete: %w", id, err))
			}
		}
	}
	return nil
}

// copyDir copies a checkpoint directory into a new directory, so the
// savepoint outlives the checkpoint store's retention.
func copyDir(from, to string) error {
	if _, err := os.Stat(to); err == nil {
		return fmt.Errorf("%s already exists", to)
	}
	return filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		return fileutil.CopyFile(path, dst)
	})
}

// needsFinalCheckpoint reports whether an operator of the task must see a
// checkpoint completed after its end of input before the task ends.
func (t *task) needsFinalCheckpoint() bool {
	for _, op := range t.ops {
		if f, ok := op.(FinalCheckpointer); ok && f.NeedsFinalCheckpoint() {
			return true
		}
	}
	return false
}

// awaitFinalCheckpoint takes the task's snapshot for a checkpoint triggered
// after its end of input (its inputs have all ended, so any checkpoint is
// consistent for it) and waits until that checkpoint is durable and the
// operators were told, so two-phase sinks commit their last output only
// when a restore could no longer replay it.
func (t *task) awaitFinalCheckpoint() error {
	if !t.cp.shell.send(t.ctx.ctx, shellEvent{finalWait: t, id: t.cp.lastSnapshot}) {
		return context.Cause(t.ctx.ctx)
	}
	return t.awaitDurable(0, true)
}

// awaitStopSavepoint waits, after a stop-with-savepoint, until the savepoint
// is durable and tells the operators, so two-phase sinks commit what precedes
// it before the task ends (as Flink's stop-with-savepoint does).
func (t *task) awaitStopSavepoint() error { return t.awaitDurable(t.cp.stopID, false) }

// awaitDurable waits until checkpoint id is durable, then tells the
// operators. With snapshot, id 0 means "the next checkpoint triggered": the
// task takes its snapshot for it on its trigger. Posted events are handled
// meanwhile.
func (t *task) awaitDurable(id int64, snapshot bool) error {
	for {
		if id > 0 && t.cp.shell.completed.Load() >= id {
			return t.notifyComplete()
		}
		select {
		case tr := <-t.cp.triggers:
			if snapshot && tr.id > t.cp.lastSnapshot {
				if err := t.snapshot(tr.id, false); err != nil {
					return err
				}
				id = tr.id
			}
		case <-t.cp.notify:
		case ev := <-t.ctx.async:
			if err := ev.h.HandleAsync(ev.payload); err != nil {
				return t.fail(t.name, err)
			}
		case <-t.ctx.ctx.Done():
			return context.Cause(t.ctx.ctx)
		}
	}
}
