// Package twophase keeps the books of a two-phase-commit sink: which
// transactions were pre-committed for which checkpoint, committing them when
// their checkpoint completes, and committing them again when a job restores
// from a checkpoint that holds them. It is the part of Flink's
// TwoPhaseCommitSinkFunction (and of the committer of a Sink V2) that does
// not depend on what a transaction writes; FileSink's part files are one
// kind of transaction, a transactional producer's transactions could be
// another.
//
// The protocol, as a sink drives it on its task goroutine:
//
//  1. Begin(tx) registers a transaction the sink has opened and writes to.
//  2. PreCommit(tx) ends writing to it early (a part file rolled by size):
//     tx.PreCommit makes it durable and ready to be made visible. It belongs
//     to the next checkpoint.
//  3. Snapshot(id, snap), at the checkpoint's barrier, pre-commits every
//     transaction still open, tags every pre-committed one not yet tagged
//     with checkpoint id, and writes one list-state item per transaction not
//     yet committed (of this and of earlier checkpoints). The sink opens new
//     transactions for records after the barrier.
//  4. Complete(id), once checkpoint id is durable, commits every pending
//     transaction of checkpoints <= id, in checkpoint order. A newer
//     checkpoint subsumes an older one whose notification never came.
//  5. Aborted(id) commits and discards nothing: the transactions of an
//     aborted checkpoint are in the state of the next checkpoint too (their
//     records came before its barrier), so they are committed when that one
//     completes, as in Flink.
//  6. Restore(items), after a failure, commits every transaction in the
//     restored items: the checkpoint restored from is complete, so what it
//     pre-committed must become visible, whether or not the failed attempt
//     had committed it already (Commit is idempotent).
//  7. Finish() at the end of a bounded input pre-commits and commits
//     everything; Abort() when the sink closes without finishing aborts the
//     transactions no checkpoint holds yet (open, or pre-committed since the
//     last snapshot) and leaves the pending ones alone, as a completed
//     checkpoint may still need them.
//
// Invariant kept here: a transaction is in exactly one of open, prepared
// (pre-committed, not yet in a snapshot) and pending (in a snapshot, not yet
// committed); only pending transactions are written to snapshots, and only
// pending or restored transactions are committed before Finish.
package twophase

import (
	"bytes"
	"encoding/binary"
	"fmt"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
)

// Transaction is one unit of output that becomes visible all at once.
type Transaction interface {
	// PreCommit ends writing and makes the output durable but not visible;
	// after it only Commit or Abort follow.
	PreCommit() error
	// Commit makes the output visible. It must be idempotent: committing a
	// transaction that is already committed (by an attempt that failed
	// later) succeeds and changes nothing.
	Commit() error
	// Abort discards the output of a transaction that will never commit.
	Abort() error
}

// Codec writes a pre-committed transaction into a list-state item and reads
// it back in a later attempt, where it is only ever committed.
type Codec[T any] interface {
	Encode(tx T) ([]byte, error)
	Decode(data []byte) (T, error)
}

// itemMagic starts every item this package writes, so a sink can keep its
// own items (part counters, say) in the same operator list state.
var itemMagic = []byte("2pc\x01")

type pendingTx[T any] struct {
	checkpoint int64
	tx         T
}

// Tx is the constraint on a Committer's transaction type: a Transaction
// that can be told apart from another one (usually a pointer).
type Tx interface {
	comparable
	Transaction
}

// Committer keeps the transactions of one sink subtask. It is not safe for
// concurrent use: every method runs on the sink's task goroutine.
type Committer[T Tx] struct {
	name     string // the sink, for errors
	codec    Codec[T]
	open     []T
	prepared []T
	pending  []pendingTx[T] // in checkpoint order
}

// New returns an empty Committer for the sink called name.
func New[T Tx](name string, codec Codec[T]) *Committer[T] {
	return &Committer[T]{name: name, codec: codec}
}

// Begin registers an open transaction.
func (c *Committer[T]) Begin(tx T) { c.open = append(c.open, tx) }

// PreCommit pre-commits an open transaction before the next checkpoint; it
// will belong to that checkpoint.
func (c *Committer[T]) PreCommit(tx T) error {
	i := index(c.open, tx)
	if i < 0 {
		return fmt.Errorf("%s: pre-commit of a transaction that is not open", c.name)
	}
	c.open = append(c.open[:i], c.open[i+1:]...)
	if err := tx.PreCommit(); err != nil {
		return fmt.Errorf("%s: pre-commit: %w", c.name, err)
	}
	c.prepared = append(c.prepared, tx)
	return nil
}

func index[T comparable](s []T, x T) int {
	for i, y := range s {
		if y == x {
			return i
		}
	}
	return -1
}

// Snapshot pre-commits the open transactions, assigns every pre-committed
// one to checkpoint id and writes all pending transactions into snap, one
// item each.
func (c *Committer[T]) Snapshot(id int64, snap *rt.OperatorSnapshot) error {
	for len(c.open) > 0 {
		if err := c.PreCommit(c.open[0]); err != nil {
			return err
		}
	}
	for _, tx := range c.prepared {
		c.pending = append(c.pending, pendingTx[T]{id, tx})
	}
	c.prepared = nil
	for _, p := range c.pending {
		data, err := c.codec.Encode(p.tx)
		if err != nil {
			return fmt.Errorf("%s: checkpoint %d: encoding a pending transaction: %w", c.name, id, err)
		}
		item := make([]byte, 0, len(itemMagic)+8+len(data))
		item = append(item, itemMagic...)
		item = binary.BigEndian.AppendUint64(item, uint64(p.checkpoint))
		snap.AddItem(append(item, data...))
	}
	return nil
}

// Complete commits the pending transactions of checkpoints up to id. On an
// error the transactions not committed yet stay pending.
func (c *Committer[T]) Complete(id int64) error {
	for len(c.pending) > 0 && c.pending[0].checkpoint <= id {
		p := c.pending[0]
		if err := p.tx.Commit(); err != nil {
			return fmt.Errorf("%s: committing for checkpoint %d (completed %d): %w", c.name, p.checkpoint, id, err)
		}
		c.pending = c.pending[1:]
	}
	return nil
}

// Aborted does nothing: the transactions of an aborted checkpoint are
// committed with the next checkpoint that completes.
func (c *Committer[T]) Aborted(int64) error { return nil }

// Restore commits the transactions in items (the caller's share of the list
// state restored from a completed checkpoint) and returns the items that are
// not this package's, for the sink to read.
func (c *Committer[T]) Restore(items [][]byte) (others [][]byte, err error) {
	for _, item := range items {
		if !IsItem(item) {
			others = append(others, item)
			continue
		}
		if len(item) < len(itemMagic)+8 {
			return nil, fmt.Errorf("%s: restore: truncated transaction item (%d bytes)", c.name, len(item))
		}
		cp := int64(binary.BigEndian.Uint64(item[len(itemMagic):]))
		tx, err := c.codec.Decode(item[len(itemMagic)+8:])
		if err != nil {
			return nil, fmt.Errorf("%s: restore: decoding a transaction of checkpoint %d: %w", c.name, cp, err)
		}
		if err := tx.Commit(); err != nil {
			return nil, fmt.Errorf("%s: restore: committing a transaction of checkpoint %d: %w", c.name, cp, err)
		}
	}
	return others, nil
}

// IsItem reports whether a list-state item was written by a Committer.
func IsItem(item []byte) bool { return bytes.HasPrefix(item, itemMagic) }

// Finish pre-commits the open transactions and commits every transaction,
// at the end of a bounded input.
func (c *Committer[T]) Finish() error {
	for len(c.open) > 0 {
		if err := c.PreCommit(c.open[0]); err != nil {
			return err
		}
	}
	for _, p := range c.pending {
		if err := p.tx.Commit(); err != nil {
			return fmt.Errorf("%s: committing at end of input (checkpoint %d): %w", c.name, p.checkpoint, err)
		}
	}
	c.pending = nil
	for len(c.prepared) > 0 {
		if err := c.prepared[0].Commit(); err != nil {
			return fmt.Errorf("%s: committing at end of input: %w", c.name, err)
		}
		c.prepared = c.prepared[1:]
	}
	return nil
}

// Abort aborts the transactions no snapshot holds: the open ones and those
// pre-committed since the last snapshot. Pending transactions stay, for a
// restore to commit. It returns the first error and aborts the rest anyway.
func (c *Committer[T]) Abort() error {
	var first error
	for _, tx := range append(c.open, c.prepared...) {
		if err := tx.Abort(); err != nil && first == nil {
			first = fmt.Errorf("%s: abort: %w", c.name, err)
		}
	}
	c.open, c.prepared = nil, nil
	return first
}

// Pending returns how many transactions are pre-committed and not yet
// committed (prepared or pending).
func (c *Committer[T]) Pending() int { return len(c.prepared) + len(c.pending) }
