package state

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/pyflink-go/pyflink-go/engine/state/kv"
	"github.com/pyflink-go/pyflink-go/engine/state/pebblestate"
)

// The snapshot of one key group is a self-contained byte string, so that on
// restore it can go to whichever subtask owns the key group at the new
// parallelism, into either backend kind:
//
//	version (1 byte, snapshotVersion)
//	blocks, each: uvarint(len name) name, kind (1 byte), count (4 bytes, big endian), entries
//
// A block holds consecutive entries of one table. An entry is
//
//	key:   uvarint(len key + 1) key, or a single 0 when the key is the one of
//	       the entry before it in the block (map entries and namespaces of
//	       one key share it)
//	ns:    uvarint(len ns) ns
//	value: uvarint(len uk) uk uvarint(len v) v   (map tables)
//	       uvarint(len v) v                      (value tables)
//	       zigzag varint timestamp               (timer queues)
//
// Values are stored as the backend holds them: TTL states keep their 8-byte
// last-access prefix, lists their element framing, so a restored entry
// expires when the original would have.
const snapshotVersion = 1

// SnapshotKeyGroup returns the state of key group kg of b (every table and
// timer queue) in the snapshot format, or nil when the key group holds
// nothing. The result is a copy: b may change afterwards.
func SnapshotKeyGroup(b Backend, kg int) ([]byte, error) {
	return AppendKeyGroup(nil, b, kg)
}

// AppendKeyGroup appends the snapshot of key group kg of b to dst (for
// callers that put a header of their own before it). It returns dst
// unchanged when the key group holds nothing.
func AppendKeyGroup(dst []byte, b Backend, kg int) ([]byte, error) {
	entries := b.Entries
	if k, ok := b.(*keyed); ok {
		entries = k.entriesUnordered
	}
	return appendKeyGroupFrom(dst, entries, kg)
}

// Capture is a consistent state of a backend to snapshot: for a backend
// whose store takes snapshots (kv.Snapshotter: Pebble's snapshots, the heap
// store's packed copy) it is a frozen view that can be
// serialized on another goroutine while the operator goes on (Async); for
// the others it reads the live backend and must be used at once, on the
// operator's goroutine.
type Capture struct {
	b    Backend
	view kv.View
	// dir is a store's own checkpoint (incremental Pebble), until handed
	// over by WriteTo.
	dir string
}

// CaptureBackend captures b for a snapshot. Close the capture when done.
// For an incremental Pebble backend the capture is a Pebble checkpoint of
// its files, taken now (see WriteTo).
func CaptureBackend(b Backend) (*Capture, error) {
	c := &Capture{b: b}
	if k, ok := b.(*keyed); ok {
		if ps, ok := k.store.(*pebblestate.Store); ok && ps.Incremental() {
			dir, err := ps.LocalCheckpoint()
			if err != nil {
				return nil, fmt.Errorf("state: snapshot: %w", err)
			}
			c.dir = dir
			return c, nil
		}
		if sn, ok := k.store.(kv.Snapshotter); ok {
			v, err := sn.Snapshot()
			if err != nil {
				return nil, fmt.Errorf("state: snapshot: %w", err)
			}
			c.view = v
		}
	}
	return c, nil
}

// Async reports whether the capture is a frozen view, safe to serialize on
// another goroutine after the operator has moved on.
func (c *Capture) Async() bool { return c.view != nil || c.dir != "" }

// AppendKeyGroup appends the snapshot of key group kg as AppendKeyGroup
// does, from the captured state.
func (c *Capture) AppendKeyGroup(dst []byte, kg int) ([]byte, error) {
	if c.view == nil {
		return AppendKeyGroup(dst, c.b, kg)
	}
	return appendKeyGroupFrom(dst, c.view.Iterate, kg)
}

// WriteKeyGroups puts the snapshot of every non-empty key group of the
// backend's range, each after header (nil for none), and then releases the
// capture. Every blob gets a copy of header.
func (c *Capture) WriteKeyGroups(header []byte, put func(kg int, data []byte)) error {
	defer c.Close()
	// With no spare capacity, every append copies the header into a blob
	// of its own.
	header = header[:len(header):len(header)]
	r := c.b.KeyGroupRange()
	for kg := r.Start; kg <= r.End; kg++ {
		data, err := c.AppendKeyGroup(header, kg)
		if err != nil {
			return err
		}
		if len(data) > len(header) {
			put(kg, data)
		}
	}
	return nil
}

// Close releases the captured view and removes a checkpoint directory not
// handed over.
func (c *Capture) Close() error {
	var err error
	if c.view != nil {
		v := c.view
		c.view = nil
		err = v.Close()
	}
	if c.dir != "" {
		dir := c.dir
		c.dir = ""
		if rerr := pebblestate.RemoveCheckpoint(dir); err == nil {
			err = rerr
		}
	}
	return err
}

func appendKeyGroupFrom(dst []byte, entries func(int, func(Entry) error) error, kg int) ([]byte, error) {
	start := len(dst)
	out := append(dst, snapshotVersion)
	var (
		table   string
		kind    kv.Kind
		countAt = -1 // where the open block's count goes
		count   uint32
		lastKey []byte
	)
	// A block's count is not known before the block ends: it is written as
	// a fixed-width placeholder and filled in when the block closes.
	closeBlock := func() {
		if countAt >= 0 {
			binary.BigEndian.PutUint32(out[countAt:], count)
		}
	}
	err := entries(kg, func(e Entry) error {
		if countAt < 0 || e.Table != table || e.Kind != kind {
			closeBlock()
			table, kind, count, lastKey = e.Table, e.Kind, 0, lastKey[:0]
			out = appendBytes(out, []byte(table))
			out = append(out, byte(kind))
			countAt = len(out)
			out = append(out, 0, 0, 0, 0)
		}
		if count == math.MaxUint32 {
			return fmt.Errorf("table %q has more than %d entries in one key group", e.Table, uint32(math.MaxUint32))
		}
		count++
		if len(lastKey) > 0 && string(lastKey) == string(e.Key) {
			out = append(out, 0)
		} else {
			out = binary.AppendUvarint(out, uint64(len(e.Key))+1)
			out = append(out, e.Key...)
			lastKey = append(lastKey[:0], e.Key...)
		}
		out = appendBytes(out, e.Namespace)
		switch e.Kind {
		case kv.ValueKind:
			out = appendBytes(out, e.Value)
		case kv.MapKind:
			out = appendBytes(appendBytes(out, e.UserKey), e.Value)
		case kv.TimerKind:
			out = binary.AppendVarint(out, e.Timestamp)
		default:
			return fmt.Errorf("entry of unknown kind %d in table %q", e.Kind, e.Table)
		}
		return nil
	})
	if err != nil {
		return dst[:start], fmt.Errorf("state: snapshot of key group %d: %w", kg, err)
	}
	if countAt < 0 {
		return dst[:start], nil
	}
	closeBlock()
	return out, nil
}

func appendBytes(dst, b []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(b)))
	return append(dst, b...)
}

// RestoreKeyGroup ingests a snapshot made by SnapshotKeyGroup into key group
// kg of b, which must hold kg. Entries already in b for the same (table,
// key, namespace, user key) are overwritten; timers are added. An empty data
// restores nothing.
func RestoreKeyGroup(b Backend, kg int, data []byte) error {
	if len(data) == 0 {
		return nil
	}
	if !b.KeyGroupRange().Contains(kg) {
		return fmt.Errorf("state: restore of key group %d: the backend holds key groups %d..%d",
			kg, b.KeyGroupRange().Start, b.KeyGroupRange().End)
	}
	if data[0] != snapshotVersion {
		return fmt.Errorf("state: restore of key group %d: snapshot format version %d, this build reads %d", kg, data[0], snapshotVersion)
	}
	r := reader{b: data[1:]}
	for len(r.b) > 0 {
		name := r.bytes()
		kind := kv.Kind(r.byte())
		count := r.uint32()
		if r.err != nil {
			break
		}
		if kind != kv.ValueKind && kind != kv.MapKind && kind != kv.TimerKind {
			return fmt.Errorf("state: restore of key group %d: corrupt snapshot: table %q of unknown kind %d", kg, name, kind)
		}
		e := Entry{Table: string(name), Kind: kind}
		var key []byte
		for i := uint32(0); i < count && r.err == nil; i++ {
			if n := r.uvarint(); n > 0 {
				key = r.take(n - 1)
			} else if key == nil {
				r.fail("an entry repeats the key of no entry")
			}
			e.Key, e.Namespace = key, r.bytes()
			switch kind {
			case kv.ValueKind:
				e.Value = r.bytes()
			case kv.MapKind:
				e.UserKey, e.Value = r.bytes(), r.bytes()
			case kv.TimerKind:
				e.Timestamp = r.varint()
			}
			if r.err != nil {
				break
			}
			if err := b.Ingest(kg, e); err != nil {
				return fmt.Errorf("state: restore of key group %d: %w", kg, err)
			}
		}
		if r.err != nil {
			break
		}
	}
	if r.err != nil {
		return fmt.Errorf("state: restore of key group %d: corrupt snapshot at byte %d of %d: %w", kg, len(data)-len(r.b), len(data), r.err)
	}
	return nil
}

// reader decodes the snapshot format; the first error sticks and every
// later read returns zero values.
type reader struct {
	b   []byte
	err error
}

var errTruncated = errors.New("truncated")

func (r *reader) fail(msg string) {
	if r.err == nil {
		r.err = errors.New(msg)
	}
}

func (r *reader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		if r.err == nil {
			r.err = errTruncated
		}
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) uint32() uint32 {
	b := r.take(4)
	if len(b) < 4 {
		return 0
	}
	return binary.BigEndian.Uint32(b)
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = fmt.Errorf("bad length")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = fmt.Errorf("bad timestamp")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) take(n uint64) []byte {
	if r.err != nil {
		return nil
	}
	if uint64(len(r.b)) < n {
		r.err = errTruncated
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes() []byte { return r.take(r.uvarint()) }
