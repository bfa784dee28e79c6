package aggregate

import (
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

// Checkpoints of the native aggregation.
//
// Its state is one accumulator per key, in memory. With Spec.KeyHash (the
// key_by's hash) a snapshot writes one blob per key group:
//
//	version (1 byte, checkpointVersion)
//	entries: uvarint(len key) key uvarint(len acc) acc
//
// the key as its encoded bytes, the accumulator value-encoded; a restore at
// any parallelism takes the key groups of its range. Keys are the encoded
// keys of a Python key_by (value.Raw), which KeyHash hashes.
//
// Without a KeyHash the operator cannot tell key groups apart: it writes
// its accumulators as one operator list item stamped with its subtask and
// parallelism, and restores only into the same subtask at the same
// parallelism (a restart after a failure), refusing any other restore with
// an error that says why.
const checkpointVersion = 1

// The key-group blobs above are what savepoints hold; checkpoints of an
// operator with a KeyHash are incremental instead (see changelog.go).

// itemHeader marks the list item of an operator without a key hash.
const itemHeader = checkpointVersion | 0x80

// SnapshotState implements rt.Checkpointed.
func (o *op) SnapshotState(checkpointID int64, snap *rt.OperatorSnapshot) error {
	if o.acc.empty() {
		return nil
	}
	if o.spec.KeyHash != nil && !snap.Savepoint {
		return o.snapshotChain(checkpointID, snap)
	}
	// The accumulators are frozen, not copied (see accums): the costly
	// part (encoding) runs after the barrier has gone on.
	acc, release := o.acc.view()
	return snap.Write(true, func(snap *rt.OperatorSnapshot) error {
		defer release()
		return o.writeSnapshot(checkpointID, acc, snap)
	})
}

// writeSnapshot writes the accumulators acc into snap, by key group when
// the key hash is known.
func (o *op) writeSnapshot(checkpointID int64, acc map[string]accum, snap *rt.OperatorSnapshot) error {
	var scratch []byte
	var err error
	if o.spec.KeyHash == nil {
		keys := make([]string, 0, len(acc))
		for k := range acc {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		item := []byte{itemHeader}
		item = binary.AppendUvarint(item, uint64(o.ctx.Subtask))
		item = binary.AppendUvarint(item, uint64(o.ctx.Parallelism))
		for _, k := range keys {
			if item, scratch, err = appendEntry(item, scratch, k, acc[k]); err != nil {
				return fmt.Errorf("aggregation %s: checkpoint %d: %w", o.spec.Kind, checkpointID, err)
			}
		}
		snap.AddItem(item)
		return nil
	}
	// Entries go in map order: a key group's blob is a set, and sorting a
	// million keys per checkpoint costs more than it is worth.
	groups := make([][]byte, o.ctx.MaxParallelism)
	for k, a := range acc {
		blob := groups[a.kg]
		if blob == nil {
			blob = []byte{checkpointVersion}
		}
		if groups[a.kg], scratch, err = appendEntry(blob, scratch, k, a); err != nil {
			return fmt.Errorf("aggregation %s: checkpoint %d: %w", o.spec.Kind, checkpointID, err)
		}
	}
	for kg, blob := range groups {
		if blob != nil {
			snap.PutKeyGroup(kg, blob)
		}
	}
	return nil
}

// RestoreState implements rt.Checkpointed.
func (o *op) RestoreState(st *rt.RestoredState) error {
	if len(st.Files) > 0 {
		if o.spec.KeyHash == nil {
			return fmt.Errorf("aggregation %s: checkpoint %d holds state by key group, which the aggregation cannot place without the key_by's hash", o.spec.Kind, st.CheckpointID)
		}
		if err := o.restoreChains(st.CheckpointID, st.Files); err != nil {
			return err
		}
	}
	for _, kg := range st.KeyGroupIDs() {
		data := st.KeyGroups[kg]
		if len(data) == 0 || data[0] != checkpointVersion {
			return fmt.Errorf("aggregation %s: key group %d of checkpoint %d: unknown state format", o.spec.Kind, kg, st.CheckpointID)
		}
		err := o.readEntries(data[1:], func(k string, got int) (bool, error) {
			if got != kg {
				return false, fmt.Errorf("a key of key group %d is stored in key group %d (the key hash changed?)", got, kg)
			}
			return true, nil
		})
		if err != nil {
			return fmt.Errorf("aggregation %s: key group %d of checkpoint %d: %w", o.spec.Kind, kg, st.CheckpointID, err)
		}
	}
	for i, item := range st.Items {
		if err := o.restoreItem(item); err != nil {
			return fmt.Errorf("aggregation %s: item %d of checkpoint %d: %w", o.spec.Kind, i, st.CheckpointID, err)
		}
	}
	return nil
}

func (o *op) restoreItem(item []byte) error {
	if len(item) == 0 || item[0] != itemHeader {
		return fmt.Errorf("unknown state format")
	}
	rest := item[1:]
	sub, n := binary.Uvarint(rest)
	if n <= 0 {
		return fmt.Errorf("corrupt state")
	}
	rest = rest[n:]
	par, n := binary.Uvarint(rest)
	if n <= 0 {
		return fmt.Errorf("corrupt state")
	}
	if int(sub) != o.ctx.Subtask || int(par) != o.ctx.Parallelism {
		return fmt.Errorf("the state of subtask %d of %d cannot be restored into subtask %d of %d: "+
			"without the key_by's hash the aggregation's keys cannot be placed in key groups",
			sub+1, par, o.ctx.Subtask+1, o.ctx.Parallelism)
	}
	return o.readEntries(rest[n:], nil)
}

// keyGroup is the key group of an encoded key.
func (o *op) keyGroup(k string) (int, error) {
	h, err := o.spec.KeyHash(value.Raw(k))
	if err != nil {
		return 0, fmt.Errorf("key %q: %w", k, err)
	}
	return keygroup.ForHash(h, o.ctx.MaxParallelism), nil
}

// appendEntry appends key k and its encoded accumulator a to dst (the
// encoding it was emitted with, or one made in scratch, a buffer returned
// for reuse).
func appendEntry(dst, scratch []byte, k string, a accum) ([]byte, []byte, error) {
	enc := a.enc
	if enc == nil {
		var err error
		if scratch, err = value.AppendEncode(scratch[:0], a.v); err != nil {
			return nil, scratch, fmt.Errorf("accumulator of key %q: %w", k, err)
		}
		enc = scratch
	}
	dst = binary.AppendUvarint(dst, uint64(len(k)))
	dst = append(dst, k...)
	dst = binary.AppendUvarint(dst, uint64(len(enc)))
	return append(dst, enc...), scratch, nil
}

// readEntries decodes entries into the accumulators. With the key hash,
// each key's key group is worked out and given to keep, when set, which
// tells whether the entry is restored.
func (o *op) readEntries(b []byte, keep func(k string, kg int) (bool, error)) error {
	field := func() ([]byte, error) {
		n, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < n {
			return nil, fmt.Errorf("corrupt state at %d bytes from the end", len(b))
		}
		f := b[w : w+int(n)]
		b = b[w+int(n):]
		return f, nil
	}
	for len(b) > 0 {
		k, err := field()
		if err != nil {
			return err
		}
		enc, err := field()
		if err != nil {
			return err
		}
		var kg int
		if o.spec.KeyHash != nil {
			if kg, err = o.keyGroup(string(k)); err != nil {
				return err
			}
			if keep != nil {
				ok, err := keep(string(k), kg)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
			}
		}
		v, err := value.Decode(value.Raw(enc))
		if err != nil {
			return fmt.Errorf("accumulator of key %q: %w", k, err)
		}
		o.acc.put(string(k), accum{v: v, kg: uint16(kg)})
	}
	return nil
}
