// Package kv is the physical layer under engine/state: tables of byte
// values addressed by (key group, key, namespace), map tables with one more
// level of user keys, and ordered timer queues. The heap and Pebble backends
// implement these interfaces; engine/state builds the state primitives, TTL
// and timer services on top of them once, so both backends share one
// semantics.
//
// Invariants every implementation keeps:
//   - slices passed in are not retained after the call returns;
//   - a slice returned by Get is owned by the store, must not be modified and
//     is valid until the next call that writes to the same store;
//   - Scan visits user keys in ascending byte order; timer queues order timers
//     by (timestamp, key group, key, namespace) as OrderKey encodes them;
//   - adding a timer that is already queued changes nothing.
package kv

import (
	"errors"
)

// Kind is the kind of a table.
type Kind uint8

// The table kinds.
const (
	ValueKind Kind = iota + 1
	MapKind
	TimerKind
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case ValueKind:
		return "value"
	case MapKind:
		return "map"
	case TimerKind:
		return "timers"
	}
	return "unknown"
}

// ErrStop ends a Scan, Keys or Iterate early without an error.
var ErrStop = errors.New("kv: stop iteration")

// Store is one backend's physical state: named tables for one operator
// subtask, partitioned by key group.
type Store interface {
	// ValueTable returns the value table called name, creating it.
	ValueTable(name string) (ValueTable, error)
	// MapTable returns the map table called name, creating it.
	MapTable(name string) (MapTable, error)
	// TimerQueue returns the timer queue called name, creating it.
	TimerQueue(name string) (TimerQueue, error)
	// Iterate calls fn for every entry of key group kg, table by table (the
	// seam for snapshots). fn must not write to the store; the entry's
	// slices are valid during fn only.
	Iterate(kg int, fn func(Entry) error) error
	// Flush makes every write durable in the store's own medium (a no-op for
	// memory).
	Flush() error
	// Close releases the store; its files, if any, are removed when the store
	// owns its directory.
	Close() error
}

// UnorderedIterator is implemented by stores that list a key group faster
// when the order does not matter: IterateUnordered reports the entries
// Iterate does, table by table, but in any order within a table, except
// that the entries of one (key, namespace) of a map table are adjacent.
// Snapshots use it.
type UnorderedIterator interface {
	IterateUnordered(kg int, fn func(Entry) error) error
}

// Snapshotter is implemented by stores that take a consistent read-only
// view of themselves cheaply (Pebble's snapshots): the view can be read from
// another goroutine while the store goes on changing, which lets a
// checkpoint write its files without stopping the operator.
type Snapshotter interface {
	Snapshot() (View, error)
}

// View is a frozen state of a store. It must be closed, and before its
// store is closed.
type View interface {
	// Iterate reports the entries of key group kg as the store's Iterate
	// did when the view was taken.
	Iterate(kg int, fn func(Entry) error) error
	Close() error
}

// ValueTable maps (key group, key, namespace) to one value.
type ValueTable interface {
	Get(kg int, key, ns []byte) ([]byte, bool, error)
	Put(kg int, key, ns, v []byte) error
	// Append appends v to the value, creating it when absent (list state).
	Append(kg int, key, ns, v []byte) error
	Delete(kg int, key, ns []byte) error
	// Keys calls fn for every (key, namespace) of key group kg that holds a
	// value. fn must not write to the store.
	Keys(kg int, fn func(key, ns []byte) error) error
}

// MapTable maps (key group, key, namespace, user key) to a value.
type MapTable interface {
	Get(kg int, key, ns, uk []byte) ([]byte, bool, error)
	Put(kg int, key, ns, uk, v []byte) error
	Delete(kg int, key, ns, uk []byte) error
	// Scan calls fn for every entry of (key, ns) in ascending user-key order.
	// fn must not write to the store.
	Scan(kg int, key, ns []byte, fn func(uk, v []byte) error) error
	// Clear removes every entry of (key, ns).
	Clear(kg int, key, ns []byte) error
	// Keys calls fn once for every (key, namespace) of key group kg that has
	// at least one entry. fn must not write to the store.
	Keys(kg int, fn func(key, ns []byte) error) error
}

// Timer is a timer of a keyed operator: fire at Timestamp for Key (in key
// group KeyGroup) and Namespace.
type Timer struct {
	Timestamp int64
	KeyGroup  int
	Key       []byte
	Namespace []byte
}

// TimerQueue is an ordered, deduplicated set of timers.
type TimerQueue interface {
	// Add queues t; a timer equal to a queued one is not added twice.
	Add(t Timer) error
	// Delete removes t if it is queued.
	Delete(t Timer) error
	// Peek returns the earliest timer without removing it.
	Peek() (Timer, bool, error)
	// Pop removes and returns the earliest timer if its timestamp is at most
	// max. The returned slices are the caller's.
	Pop(max int64) (Timer, bool, error)
}

// Entry is one item of a key group as Iterate reports it.
type Entry struct {
	Table     string
	Kind      Kind
	Key       []byte
	Namespace []byte
	// UserKey is set for map entries.
	UserKey []byte
	// Value is set for value and map entries.
	Value []byte
	// Timestamp is set for timers.
	Timestamp int64
}
