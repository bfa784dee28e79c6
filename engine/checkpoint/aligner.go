package checkpoint

import (
	"fmt"
	"slices"
)

// Mode is the checkpointing guarantee (Flink's CheckpointingMode).
type Mode int

const (
	// ExactlyOnce aligns barriers: a channel that delivered barrier n is held
	// until every other open channel delivered it too.
	ExactlyOnce Mode = iota
	// AtLeastOnce never holds a channel: the snapshot is taken when the last
	// barrier of a checkpoint arrives, records behind earlier barriers included.
	AtLeastOnce
)

func (m Mode) String() string {
	if m == AtLeastOnce {
		return "AT_LEAST_ONCE"
	}
	return "EXACTLY_ONCE"
}

// AbortReason says why a checkpoint stopped short of completion.
type AbortReason string

const (
	// Subsumed: a newer checkpoint overtook this one.
	Subsumed AbortReason = "subsumed"
	// Canceled: an upstream task declined the checkpoint (cancel barrier).
	Canceled AbortReason = "canceled"
	// Expired: the checkpoint took longer than its timeout.
	Expired AbortReason = "expired"
	// Declined: a task could not take its snapshot.
	Declined AbortReason = "declined"
	// FinalizeFailed: the metadata of a fully acknowledged checkpoint could not be written.
	FinalizeFailed AbortReason = "finalize-failed"
	// JobFailover: the job is restarting; not counted as a checkpoint failure.
	JobFailover AbortReason = "job-failover"
)

// AlignerAction is the kind of an aligner decision.
type AlignerAction int

const (
	// Block: hold everything that arrives on Channel from now on.
	Block AlignerAction = iota
	// UnblockAll: replay what was held, in arrival order per channel, and
	// stop holding.
	UnblockAll
	// TriggerSnapshot: snapshot the task's state for checkpoint ID and emit
	// barrier ID on every output channel, before processing anything else.
	TriggerSnapshot
	// AbortCheckpoint: checkpoint ID will not be taken by this task; decline it
	// and send a cancel barrier for it downstream.
	AbortCheckpoint
)

// AlignerDecision is one thing the aligner decided; the task carries them out in order.
type AlignerDecision struct {
	Action  AlignerAction
	Channel int   // Block
	ID      int64 // TriggerSnapshot, AbortCheckpoint
	Reason  AbortReason
}

func (d AlignerDecision) String() string {
	switch d.Action {
	case Block:
		return fmt.Sprintf("block in=%d", d.Channel)
	case UnblockAll:
		return "unblock-all"
	case TriggerSnapshot:
		return fmt.Sprintf("trigger id=%d", d.ID)
	case AbortCheckpoint:
		return fmt.Sprintf("abort id=%d reason=%s", d.ID, d.Reason)
	}
	return fmt.Sprintf("AlignerDecision(%d)", int(d.Action))
}

// MaxPendingBarriers bounds the checkpoints an AtLeastOnce aligner tracks at
// once; a new one beyond it aborts the oldest (Flink's CheckpointBarrierTracker
// keeps 50).
const MaxPendingBarriers = 50

// pending is a checkpoint whose barriers are arriving.
type pending struct {
	id      int64
	arrived []bool // per channel: barrier id delivered
}

// Aligner is the barrier handler of one task with several input channels
// (Flink's SingleCheckpointBarrierHandler for aligned checkpoints and
// CheckpointBarrierTracker for at-least-once). It does no I/O: the task feeds
// it the barriers, cancel barriers and ends of input it reads from its gate
// and carries out the decisions it returns. It is used from the task's
// goroutine only.
//
// In ExactlyOnce mode at most one checkpoint aligns at a time; a barrier of a
// newer checkpoint aborts it. Anything the task reads from a blocked channel
// must be held, not given to the aligner, until UnblockAll.
type Aligner struct {
	mode    Mode
	ended   []bool
	open    int
	blocked []bool
	// pending holds the checkpoints in progress, oldest first: at most one in
	// ExactlyOnce mode.
	pending []*pending
	// latest is the newest checkpoint id seen (by barrier or cancel): barriers
	// of ids up to it that are not pending are stale.
	latest int64
}

// NewAligner returns the aligner of a task with the given number of input channels.
func NewAligner(channels int, mode Mode) *Aligner {
	return &Aligner{mode: mode, ended: make([]bool, channels), open: channels, blocked: make([]bool, channels)}
}

// Mode returns the aligner's mode.
func (a *Aligner) Mode() Mode { return a.mode }

// Blocked reports whether what arrives on channel ch must be held: records,
// watermarks, barriers and the end of input alike.
func (a *Aligner) Blocked(ch int) bool { return ch >= 0 && ch < len(a.blocked) && a.blocked[ch] }

// Aligning returns the checkpoint being aligned, if any (the oldest pending
// one in AtLeastOnce mode).
func (a *Aligner) Aligning() (int64, bool) {
	if len(a.pending) == 0 {
		return 0, false
	}
	return a.pending[0].id, true
}

func (a *Aligner) check(ch int, what string) error {
	if ch < 0 || ch >= len(a.ended) {
		return fmt.Errorf("aligner: %s on channel %d of %d", what, ch, len(a.ended))
	}
	if a.ended[ch] {
		return fmt.Errorf("aligner: %s on channel %d after its end of input", what, ch)
	}
	if a.blocked[ch] {
		return fmt.Errorf("aligner: %s on blocked channel %d (it must be held)", what, ch)
	}
	return nil
}

// Barrier takes barrier id arriving on channel ch and appends the decisions to out.
func (a *Aligner) Barrier(ch int, id int64, out []AlignerDecision) ([]AlignerDecision, error) {
	if err := a.check(ch, fmt.Sprintf("barrier %d", id)); err != nil {
		return out, err
	}
	p := a.find(id)
	if p == nil {
		if id <= a.latest {
			return out, nil // stale: its checkpoint completed or was aborted here
		}
		a.latest = id
		if a.mode == ExactlyOnce && len(a.pending) > 0 {
			out = a.abort(a.pending[0], Subsumed, out)
		}
		if len(a.pending) == MaxPendingBarriers {
			out = a.abort(a.pending[0], Subsumed, out)
		}
		p = &pending{id: id, arrived: make([]bool, len(a.ended))}
		a.pending = append(a.pending, p)
	}
	if p.arrived[ch] {
		return out, fmt.Errorf("aligner: barrier %d twice on channel %d", id, ch)
	}
	p.arrived[ch] = true
	if a.complete(p) {
		return a.trigger(p, out), nil
	}
	if a.mode == ExactlyOnce {
		a.blocked[ch] = true
		out = append(out, AlignerDecision{Action: Block, Channel: ch})
	}
	return out, nil
}

// EndOfInput takes the end of input on channel ch: from now on the channel
// counts as having delivered every barrier.
func (a *Aligner) EndOfInput(ch int, out []AlignerDecision) ([]AlignerDecision, error) {
	if err := a.check(ch, "end of input"); err != nil {
		return out, err
	}
	a.ended[ch] = true
	a.open--
	// Every pending checkpoint this completes is taken, oldest first (in
	// AtLeastOnce mode several may, when other channels ran ahead).
	for i := 0; i < len(a.pending); {
		if p := a.pending[i]; a.complete(p) {
			out = a.trigger(p, out)
			i = 0
			continue
		}
		i++
	}
	return out, nil
}

// CancelBarrier takes a cancel barrier for checkpoint id: an upstream task
// declined it, so this task aborts it too.
func (a *Aligner) CancelBarrier(id int64, out []AlignerDecision) []AlignerDecision {
	if p := a.find(id); p != nil {
		return a.abort(p, Canceled, out)
	}
	if id <= a.latest {
		return out // already completed, aborted or subsumed here
	}
	a.latest = id
	// Older pending checkpoints cannot complete before a newer one here.
	for len(a.pending) > 0 {
		out = a.abort(a.pending[0], Subsumed, out)
	}
	return append(out, AlignerDecision{Action: AbortCheckpoint, ID: id, Reason: Canceled})
}

func (a *Aligner) find(id int64) *pending {
	for _, p := range a.pending {
		if p.id == id {
			return p
		}
	}
	return nil
}

func (a *Aligner) complete(p *pending) bool {
	for ch, ok := range p.arrived {
		if !ok && !a.ended[ch] {
			return false
		}
	}
	return true
}

// trigger snapshots p, drops the older pending checkpoints (aborting them) and
// ends the alignment.
func (a *Aligner) trigger(p *pending, out []AlignerDecision) []AlignerDecision {
	for a.pending[0] != p {
		out = a.abort(a.pending[0], Subsumed, out)
	}
	a.pending = a.pending[1:]
	out = append(out, AlignerDecision{Action: TriggerSnapshot, ID: p.id})
	return a.unblock(out)
}

// abort removes p (which must be pending) and ends its alignment.
func (a *Aligner) abort(p *pending, reason AbortReason, out []AlignerDecision) []AlignerDecision {
	i := slices.Index(a.pending, p)
	a.pending = slices.Delete(a.pending, i, i+1)
	out = append(out, AlignerDecision{Action: AbortCheckpoint, ID: p.id, Reason: reason})
	if a.mode == ExactlyOnce {
		out = a.unblock(out)
	}
	return out
}

func (a *Aligner) unblock(out []AlignerDecision) []AlignerDecision {
	if !slices.Contains(a.blocked, true) {
		return out
	}
	clear(a.blocked)
	return append(out, AlignerDecision{Action: UnblockAll})
}
