package checkpoint

import (
	"fmt"
	"slices"
	"strings"
)

// Action is the kind of a coordinator decision.
type Action int

const (
	// Trigger: inject barrier ID (taken at Timestamp) at every source task.
	Trigger Action = iota
	// Abort: checkpoint ID failed or was subsumed; tell the tasks
	// (notifyCheckpointAborted) and discard its files.
	Abort
	// Complete: every task acknowledged checkpoint ID; write its metadata
	// from States, then report the outcome with Persisted.
	Complete
	// NotifyComplete: checkpoint ID is durable; tell every task
	// (notifyCheckpointComplete), which commits two-phase sinks.
	NotifyComplete
	// Discard: the state Task acknowledged for ID belongs to no checkpoint
	// that can still complete; delete its files.
	Discard
	// FailJob: too many consecutive checkpoint failures.
	FailJob
)

// Decision is one thing the coordinator decided; the shell carries them out in order.
type Decision struct {
	Action    Action
	ID        int64
	Timestamp int64       // Trigger
	Reason    AbortReason // Abort
	Task      string      // Abort by decline, Discard
	States    []TaskState // Complete: sorted by task
	Message   string      // FailJob
}

func (d Decision) String() string {
	switch d.Action {
	case Trigger:
		return fmt.Sprintf("trigger id=%d ts=%d", d.ID, d.Timestamp)
	case Abort:
		if d.Task != "" {
			return fmt.Sprintf("abort id=%d reason=%s task=%s", d.ID, d.Reason, d.Task)
		}
		return fmt.Sprintf("abort id=%d reason=%s", d.ID, d.Reason)
	case Complete:
		s := make([]string, len(d.States))
		for i, st := range d.States {
			s[i] = st.String()
		}
		return fmt.Sprintf("complete id=%d %s", d.ID, strings.Join(s, " "))
	case NotifyComplete:
		return fmt.Sprintf("notify-complete id=%d", d.ID)
	case Discard:
		return fmt.Sprintf("discard id=%d task=%s", d.ID, d.Task)
	case FailJob:
		return "fail-job: " + d.Message
	}
	return fmt.Sprintf("Decision(%d)", int(d.Action))
}

// counted reports whether an abort for this reason is a checkpoint failure
// towards Config.TolerableFailures.
func (r AbortReason) counted() bool {
	return r == Expired || r == Declined || r == FinalizeFailed
}

type pendingCheckpoint struct {
	id, ts int64
	acks   map[string]TaskState
}

// Coordinator decides when checkpoints start, complete, fail and expire
// (Flink's CheckpointCoordinator with its PendingCheckpoints and
// CheckpointFailureManager). It does no I/O and reads no clock: every event
// carries the time in milliseconds, and the decisions are carried out by
// the caller. It is not safe for concurrent use.
type Coordinator struct {
	cfg      Config
	tasks    []string // sorted
	finished map[string]bool
	nextID   int64
	pending  []*pendingCheckpoint // triggered, awaiting acks; ascending ids
	// completing: fully acknowledged, metadata being written.
	completing map[int64]*pendingCheckpoint

	running         bool
	nextTrigger     int64 // the interval's next due time
	lastCompletion  int64
	completed       bool  // lastCompletion is set
	latestCompleted int64 // 0: none
	failures        int   // consecutive counted failures
	failed          bool
}

// NewCoordinator returns a coordinator for tasks that numbers checkpoints from
// firstID (after the latest id of a restored job) and triggers the first one
// an interval after now.
func NewCoordinator(cfg Config, tasks []string, firstID int64, now int64) (*Coordinator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(tasks) == 0 {
		return nil, fmt.Errorf("checkpoint coordinator: no tasks")
	}
	if firstID < 1 {
		return nil, fmt.Errorf("checkpoint coordinator: first checkpoint id %d is not positive", firstID)
	}
	t := slices.Clone(tasks)
	slices.Sort(t)
	if i := duplicate(t); i >= 0 {
		return nil, fmt.Errorf("checkpoint coordinator: task %q twice", t[i])
	}
	c := &Coordinator{cfg: cfg, tasks: t, finished: map[string]bool{}, nextID: firstID,
		completing: map[int64]*pendingCheckpoint{}}
	c.Resume(now)
	return c, nil
}

func duplicate(sorted []string) int {
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			return i
		}
	}
	return -1
}

// NextID is the id the next checkpoint will get.
func (c *Coordinator) NextID() int64 { return c.nextID }

// LatestCompleted is the id of the newest durable checkpoint, 0 if none.
func (c *Coordinator) LatestCompleted() int64 { return c.latestCompleted }

// Failed reports whether the coordinator decided FailJob and has stopped.
func (c *Coordinator) Failed() bool { return c.failed }

// Pending returns the ids of the checkpoints awaiting acknowledgements.
func (c *Coordinator) Pending() []int64 {
	ids := make([]int64, len(c.pending))
	for i, p := range c.pending {
		ids[i] = p.id
	}
	return ids
}

func (c *Coordinator) inFlight() int { return len(c.pending) + len(c.completing) }

// due is when the next periodic trigger may happen, if it may at all.
func (c *Coordinator) due() (int64, bool) {
	if !c.running || c.cfg.Interval == 0 || c.inFlight() >= c.cfg.maxConcurrent() || c.allFinished() {
		return 0, false
	}
	t := c.nextTrigger
	if c.completed && c.lastCompletion+c.cfg.MinPause > t {
		t = c.lastCompletion + c.cfg.MinPause
	}
	return t, true
}

// NextDeadline is the earliest time at which Tick may decide something, so
// the caller can sleep until then.
func (c *Coordinator) NextDeadline() (int64, bool) {
	t, ok := c.due()
	for _, p := range c.pending {
		if e := p.ts + c.cfg.Timeout; !ok || e < t {
			t, ok = e, true
		}
	}
	return t, ok
}

// Tick expires pending checkpoints whose timeout passed and triggers the next
// checkpoint when the interval, the min pause and max concurrent allow.
func (c *Coordinator) Tick(now int64, out []Decision) []Decision {
	for i := 0; i < len(c.pending); {
		if p := c.pending[i]; now >= p.ts+c.cfg.Timeout {
			out = c.abort(p, Expired, "", out)
			if c.failed {
				return out
			}
			continue
		}
		i++
	}
	if t, ok := c.due(); ok && now >= t {
		out = c.trigger(now, out)
	}
	return out
}

// TriggerNow starts a checkpoint at once, ignoring the interval, the min pause
// and max concurrent (as a savepoint does). It returns the new id, 0 if the
// coordinator is stopped.
func (c *Coordinator) TriggerNow(now int64, out []Decision) ([]Decision, int64) {
	if !c.running {
		return out, 0
	}
	id := c.nextID
	return c.trigger(now, out), id
}

func (c *Coordinator) trigger(now int64, out []Decision) []Decision {
	p := &pendingCheckpoint{id: c.nextID, ts: now, acks: map[string]TaskState{}}
	c.nextID++
	c.nextTrigger = now + c.cfg.Interval
	for t := range c.finished {
		p.acks[t] = TaskState{Task: t, Finished: true}
	}
	c.pending = append(c.pending, p)
	out = append(out, Decision{Action: Trigger, ID: p.id, Timestamp: now})
	if len(p.acks) == len(c.tasks) {
		out = c.complete(p, out)
	}
	return out
}

func (c *Coordinator) find(id int64) *pendingCheckpoint {
	for _, p := range c.pending {
		if p.id == id {
			return p
		}
	}
	return nil
}

func (c *Coordinator) checkTask(task string) error {
	if _, ok := slices.BinarySearch(c.tasks, task); !ok {
		return fmt.Errorf("unknown task %q", task)
	}
	return nil
}

// Ack records that task took its snapshot for checkpoint id. The last ack of
// a checkpoint decides Complete.
func (c *Coordinator) Ack(now int64, id int64, st TaskState, out []Decision) ([]Decision, error) {
	if err := c.checkTask(st.Task); err != nil {
		return out, fmt.Errorf("checkpoint %d: ack: %w", id, err)
	}
	if id >= c.nextID {
		return out, fmt.Errorf("checkpoint %d: ack from %s: never triggered", id, st.Task)
	}
	p := c.find(id)
	if p == nil {
		if _, ok := c.completing[id]; ok {
			return out, nil // a repeated ack: its files already belong to the checkpoint
		}
		return append(out, Decision{Action: Discard, ID: id, Task: st.Task}), nil
	}
	if _, ok := p.acks[st.Task]; ok {
		return out, nil // repeated
	}
	p.acks[st.Task] = st
	if len(p.acks) == len(c.tasks) {
		out = c.complete(p, out)
	}
	return out, nil
}

// complete moves p from pending to completing.
func (c *Coordinator) complete(p *pendingCheckpoint, out []Decision) []Decision {
	c.remove(p)
	c.completing[p.id] = p
	states := make([]TaskState, 0, len(p.acks))
	for _, t := range c.tasks {
		states = append(states, p.acks[t])
	}
	return append(out, Decision{Action: Complete, ID: p.id, States: states})
}

// Persisted reports the outcome of writing the metadata of checkpoint id after
// Complete. On success the checkpoint is durable: older pending ones are
// subsumed and the tasks are notified.
func (c *Coordinator) Persisted(now int64, id int64, err error, out []Decision) ([]Decision, error) {
	p, ok := c.completing[id]
	if !ok {
		return out, fmt.Errorf("checkpoint %d: persisted but not completing", id)
	}
	delete(c.completing, id)
	if err != nil {
		return c.countFailure(p.id, FinalizeFailed, out), nil
	}
	if id < c.latestCompleted {
		// A newer checkpoint became durable first.
		return append(out, Decision{Action: Abort, ID: id, Reason: Subsumed}), nil
	}
	c.latestCompleted = id
	c.lastCompletion, c.completed = now, true
	c.failures = 0
	for len(c.pending) > 0 && c.pending[0].id < id {
		out = c.abort(c.pending[0], Subsumed, "", out)
	}
	return append(out, Decision{Action: NotifyComplete, ID: id}), nil
}

// Decline records that task could not take its snapshot for checkpoint id, and
// why (an aligner's AbortReason, or Declined for a failed snapshot).
func (c *Coordinator) Decline(now int64, id int64, task string, reason AbortReason, out []Decision) ([]Decision, error) {
	if err := c.checkTask(task); err != nil {
		return out, fmt.Errorf("checkpoint %d: decline: %w", id, err)
	}
	p := c.find(id)
	if p == nil {
		return out, nil // already completed, aborted or subsumed
	}
	if reason == Canceled {
		// The upstream task that declined first is the cause; its decline
		// counts, this one only aborts.
		reason = Declined
	}
	return c.abort(p, reason, task, out), nil
}

// TaskFinished records that task ended: it acknowledges every pending and
// future checkpoint as finished. When every task has finished no checkpoint
// is triggered any more.
func (c *Coordinator) TaskFinished(now int64, task string, out []Decision) ([]Decision, error) {
	if err := c.checkTask(task); err != nil {
		return out, fmt.Errorf("task finished: %w", err)
	}
	c.finished[task] = true
	for _, p := range slices.Clone(c.pending) {
		if _, ok := p.acks[task]; !ok {
			p.acks[task] = TaskState{Task: task, Finished: true}
			if len(p.acks) == len(c.tasks) {
				out = c.complete(p, out)
			}
		}
	}
	return out, nil
}

func (c *Coordinator) allFinished() bool { return len(c.finished) == len(c.tasks) }

// Suspend stops triggering and aborts every pending checkpoint, as a job
// restart does; the aborts are not failures. Checkpoints already completing
// still report Persisted.
func (c *Coordinator) Suspend(out []Decision) []Decision {
	c.running = false
	for len(c.pending) > 0 {
		out = c.abort(c.pending[0], JobFailover, "", out)
	}
	return out
}

// Resume starts triggering again (after a restart): the next checkpoint comes
// an interval after now, the failure count starts from zero and every task
// runs again.
func (c *Coordinator) Resume(now int64) {
	c.running, c.failed, c.failures = true, false, 0
	clear(c.finished)
	c.nextTrigger = now + c.cfg.Interval
}

func (c *Coordinator) remove(p *pendingCheckpoint) {
	i := slices.Index(c.pending, p)
	c.pending = slices.Delete(c.pending, i, i+1)
}

// abort removes pending p and counts the failure if the reason is one.
func (c *Coordinator) abort(p *pendingCheckpoint, reason AbortReason, task string, out []Decision) []Decision {
	c.remove(p)
	out = append(out, Decision{Action: Abort, ID: p.id, Reason: reason, Task: task})
	if !reason.counted() {
		return out
	}
	return c.count(p.id, reason, out)
}

func (c *Coordinator) countFailure(id int64, reason AbortReason, out []Decision) []Decision {
	out = append(out, Decision{Action: Abort, ID: id, Reason: reason})
	return c.count(id, reason, out)
}

func (c *Coordinator) count(id int64, reason AbortReason, out []Decision) []Decision {
	c.failures++
	if c.failures <= c.cfg.TolerableFailures || c.failed {
		return out
	}
	c.failed = true
	msg := fmt.Sprintf("%d consecutive checkpoint failures exceed the tolerable %d (last: checkpoint %d %s)",
		c.failures, c.cfg.TolerableFailures, id, reason)
	out = append(out, Decision{Action: FailJob, Message: msg})
	return c.Suspend(out)
}
