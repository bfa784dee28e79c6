package runtime

import (
	"context"
	"math/rand/v2"

	"github.com/pyflink-go/pyflink-go/engine/graph"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// Buffer is a batch of records sent from one upstream subtask to one
// downstream task. Records move between tasks only in buffers, never one by one.
type Buffer struct {
	Channel int // index of the sending (edge, subtask) in the receiver's input gate
	Records []types.Record
	End     bool // the sender has no more records on this channel
	// Stop marks an End caused by stop-with-savepoint: the input stopped
	// rather than finished, so it does not carry the final watermark. On a
	// barrier it marks the savepoint that stops the job.
	Stop bool
	// Watermark is valid when HasWatermark: it follows the records of this buffer.
	Watermark    int64
	HasWatermark bool
	// Barrier, when non-zero, is the id of a checkpoint barrier that follows
	// the records of this buffer (and precedes its watermark, if any). With
	// Cancel it is a cancel barrier: the sender declined that checkpoint.
	Barrier int64
	Cancel  bool
	// HasStatus: the sender's stream turned idle (Idle) or active again,
	// after the records of this buffer.
	HasStatus bool
	Idle      bool
}

// gate is a task's input: every upstream channel sends into it.
type gate struct {
	ch       chan *Buffer
	channels int
	// input maps a channel to the consumer input it feeds (two-input operators).
	input []int
}

// KeyHasher returns the Java-style hash code of a record key, which picks its key group.
type KeyHasher func(key any) (int32, error)

// writer distributes the records of one job edge over the consumer's subtasks.
type writer struct {
	partition   graph.Partition
	targets     []*gate
	channel     []int // this sender's channel index at each target
	pending     [][]types.Record
	batchSize   int
	next        int // round-robin position
	subtask     int
	parallelism int
	maxPar      int
	hash        KeyHasher
	ctx         context.Context
	dirty       bool
	tag         string // the side output this writer carries ("" = main)
}

func newWriter(ctx context.Context, e *graph.JobEdge, targets []*gate, channel []int, subtask, parallelism, maxPar, batchSize int, hash KeyHasher) *writer {
	w := &writer{partition: e.Partition, targets: targets, channel: channel, pending: make([][]types.Record, len(targets)),
		batchSize: batchSize, subtask: subtask, parallelism: parallelism, maxPar: maxPar, hash: hash, ctx: ctx}
	if e.Partition == graph.Rebalance {
		// Flink starts round-robin at a random channel so that parallel senders spread out.
		w.next = rand.IntN(len(targets))
	}
	for i := range w.pending {
		w.pending[i] = make([]types.Record, 0, batchSize)
	}
	return w
}

// Emit routes one record to its target channel(s).
func (w *writer) Emit(r types.Record) error {
	n := len(w.targets)
	switch w.partition {
	case graph.Forward:
		return w.add(w.subtask, r)
	case graph.Rebalance:
		i := w.next
		w.next++
		if w.next == n {
			w.next = 0
		}
		return w.add(i, r)
	case graph.Rescale:
		lo, hi := rescaleRange(w.subtask, w.parallelism, n)
		i := lo + w.next%(hi-lo)
		w.next++
		return w.add(i, r)
	case graph.Shuffle:
		return w.add(rand.IntN(n), r)
	case graph.Global:
		return w.add(0, r)
	case graph.Broadcast:
		for i := 0; i < n; i++ {
			if err := w.add(i, r); err != nil {
				return err
			}
		}
		return nil
	case graph.Hash:
		code, err := w.hash(r.Key)
		if err != nil {
			return err
		}
		kg := keygroup.ForHash(code, w.maxPar)
		return w.add(keygroup.Operator(kg, w.maxPar, n), r)
	}
	return w.add(0, r)
}

// rescaleRange is the slice of downstream channels a sender feeds under
// rescale partitioning: a contiguous share when fanning out, one channel when
// fanning in.
func rescaleRange(subtask, up, down int) (int, int) {
	if down >= up {
		lo := subtask * down / up
		hi := (subtask + 1) * down / up
		if hi == lo {
			hi = lo + 1
		}
		return lo, hi
	}
	i := subtask * down / up
	return i, i + 1
}

func (w *writer) add(i int, r types.Record) error {
	w.pending[i] = append(w.pending[i], r)
	w.dirty = true
	if len(w.pending[i]) >= w.batchSize {
		return w.send(i)
	}
	return nil
}

func (w *writer) send(i int) error {
	if err := w.deliver(i, &Buffer{Channel: w.channel[i], Records: w.pending[i]}); err != nil {
		return err
	}
	w.pending[i] = make([]types.Record, 0, w.batchSize)
	return nil
}

// deliver puts b into target i's gate, waiting while it is full (the
// backpressure) unless the job ends.
func (w *writer) deliver(i int, b *Buffer) error {
	select {
	case w.targets[i].ch <- b:
		return nil
	case <-w.ctx.Done():
		return context.Cause(w.ctx)
	}
}

// sendAll sends a copy of ev on every channel, each carrying the records
// pending there, so ev (a watermark, status, barrier or end) follows them.
func (w *writer) sendAll(ev Buffer) error {
	for i := range w.pending {
		b := ev
		b.Channel, b.Records = w.channel[i], w.pending[i]
		if err := w.deliver(i, &b); err != nil {
			return err
		}
		if ev.End {
			w.pending[i] = nil
		} else {
			w.pending[i] = make([]types.Record, 0, w.batchSize)
		}
	}
	w.dirty = false
	return nil
}

// EmitWatermark sends wm on every channel, after the records pending there.
// The final watermark is sent too: at the end of input it repeats what the
// end carries (receivers' valves ignore a watermark that does not advance).
func (w *writer) EmitWatermark(wm int64) error {
	return w.sendAll(Buffer{Watermark: wm, HasWatermark: true})
}

// EmitWatermarkStatus sends an idle/active status on every channel, after
// the records pending there.
func (w *writer) EmitWatermarkStatus(idle bool) error {
	return w.sendAll(Buffer{HasStatus: true, Idle: idle})
}

// emitBarrier sends checkpoint barrier id (a cancel barrier when cancel is
// set; a stop-with-savepoint barrier when stop is) on every channel, after
// the records pending there, so the barrier separates what was emitted
// before the snapshot from what comes after.
func (w *writer) emitBarrier(id int64, cancel, stop bool) error {
	return w.sendAll(Buffer{Barrier: id, Cancel: cancel, Stop: stop})
}

// flush sends every non-empty pending buffer.
func (w *writer) flush() error {
	if !w.dirty {
		return nil
	}
	for i := range w.pending {
		if len(w.pending[i]) > 0 {
			if err := w.send(i); err != nil {
				return err
			}
		}
	}
	w.dirty = false
	return nil
}

// end flushes and tells every target that this channel is finished (or,
// with stop, stopped by stop-with-savepoint).
func (w *writer) end(stop bool) error {
	return w.sendAll(Buffer{End: true, Stop: stop})
}
