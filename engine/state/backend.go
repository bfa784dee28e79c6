package state

import (
	"time"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state/kv"
)

// Clock tells processing time (runtime.Clock satisfies it).
type Clock interface {
	Now() time.Time
}

// Backend is the keyed state of one operator subtask: the key groups it
// owns, the states registered by name, and timer services. It is used from
// the subtask's goroutine only.
type Backend interface {
	// KeyGroupRange is the key groups this backend holds.
	KeyGroupRange() keygroup.Range
	// MaxParallelism is the number of key groups of the job.
	MaxParallelism() int
	// SetCurrentKey selects the key that state accesses apply to. The backend
	// keeps key (no copy) until the next SetCurrentKey: do not modify it.
	SetCurrentKey(keyGroup int, key []byte)
	// CurrentKey returns the current key and its key group.
	CurrentKey() (keyGroup int, key []byte)

	// Value returns the value state described by d.
	Value(d Descriptor) (ValueState, error)
	// List returns the list state described by d.
	List(d Descriptor) (ListState, error)
	// Map returns the map state described by d.
	Map(d Descriptor) (MapState, error)
	// Reducing returns the reducing state described by d.
	Reducing(d ReducingDescriptor) (ReducingState, error)
	// Aggregating returns the aggregating state described by d.
	Aggregating(d AggregatingDescriptor) (AggregatingState, error)
	// Timers returns the timer service called name (one per operator;
	// Flink's window operator uses "window-timers").
	Timers(name string) (TimerService, error)

	// Keys calls fn for every key that has state name in namespace ns, key
	// group by key group. fn must not write state.
	Keys(name string, ns []byte, fn func(keyGroup int, key []byte) error) error
	// Entries calls fn for every entry of key group kg: the seam for
	// snapshots. fn must not write state; the entry's slices are valid
	// during fn only.
	Entries(kg int, fn func(Entry) error) error
	// Ingest writes one entry of key group kg as Entries reported it (the
	// seam for restores): a value or map entry is stored as it is (TTL
	// prefix included), a timer is queued. It works before any state
	// handle is opened, so restored state is there when the operator asks.
	Ingest(kg int, e Entry) error

	// Flush pushes buffered writes into the backend's medium.
	Flush() error
	// Close releases the backend and everything it holds.
	Close() error
}

// Entry is one item of state in a key group, as Entries reports it. For TTL
// states Value carries the 8-byte last-access timestamp prefix.
type Entry = kv.Entry

// Timer is a registered timer; during a firing callback its slices are valid
// for the callback only.
type Timer = kv.Timer

// Descriptor names a state and its TTL.
type Descriptor struct {
	Name string
	TTL  TTL
}

// ReducingDescriptor describes a ReducingState: Reduce combines the current
// value with an added one (a, b) and returns the new value.
type ReducingDescriptor struct {
	Name   string
	TTL    TTL
	Reduce func(a, b []byte) ([]byte, error)
}

// AggregateFunction folds added values into an accumulator (all encoded).
type AggregateFunction interface {
	CreateAccumulator() ([]byte, error)
	Add(acc, value []byte) ([]byte, error)
	Result(acc []byte) ([]byte, error)
	Merge(a, b []byte) ([]byte, error)
}

// AggregatingDescriptor describes an AggregatingState.
type AggregatingDescriptor struct {
	Name      string
	TTL       TTL
	Aggregate AggregateFunction
}

// Namespaced is implemented by every state: the namespace (a window, or
// empty for plain keyed state) its accesses apply to.
type Namespaced interface {
	// SetNamespace selects the namespace; the state keeps ns (no copy).
	SetNamespace(ns []byte)
}

// ValueState is ValueState: one value per key and namespace.
type ValueState interface {
	Namespaced
	// Value returns the value and whether there is one.
	Value() ([]byte, bool, error)
	Update(v []byte) error
	Clear() error
}

// AppendingState is the common part of list, reducing and aggregating state.
type AppendingState interface {
	Namespaced
	Add(v []byte) error
	Clear() error
	// MergeNamespaces folds the state of every source namespace into target
	// (target's contents first) and clears the sources.
	MergeNamespaces(target []byte, sources [][]byte) error
}

// ListState is ListState.
type ListState interface {
	AppendingState
	// Get calls fn for every element in order; it returns nothing for an
	// empty or missing list.
	Get(fn func(v []byte) error) error
	AddAll(vs [][]byte) error
	// Update replaces the list; an empty vs clears it.
	Update(vs [][]byte) error
}

// MapState is MapState: per key and namespace, a map of user keys to values.
type MapState interface {
	Namespaced
	Get(uk []byte) ([]byte, bool, error)
	Put(uk, v []byte) error
	Remove(uk []byte) error
	Contains(uk []byte) (bool, error)
	// Iterate calls fn for every entry in ascending user-key order.
	Iterate(fn func(uk, v []byte) error) error
	IsEmpty() (bool, error)
	Clear() error
}

// ReducingState is ReducingState.
type ReducingState interface {
	AppendingState
	Get() ([]byte, bool, error)
}

// AggregatingState is AggregatingState: Get returns the aggregate's result.
type AggregatingState interface {
	AppendingState
	Get() ([]byte, bool, error)
}

// TimerService holds the event-time and processing-time timers of one keyed
// operator. Registering applies to the backend's current key.
type TimerService interface {
	RegisterEventTimeTimer(ns []byte, ts int64) error
	DeleteEventTimeTimer(ns []byte, ts int64) error
	RegisterProcessingTimeTimer(ns []byte, ts int64) error
	DeleteProcessingTimeTimer(ns []byte, ts int64) error
	// CurrentWatermark is the last watermark passed to AdvanceWatermark
	// (math.MinInt64 before the first).
	CurrentWatermark() int64
	// AdvanceWatermark sets the watermark to wm and fires, in order, every
	// event-time timer at or before wm, including timers registered by the
	// callbacks themselves. During fire the backend's current key is the
	// timer's key.
	AdvanceWatermark(wm int64, fire func(Timer) error) error
	// AdvanceProcessingTime fires every processing-time timer at or before now.
	AdvanceProcessingTime(now int64, fire func(Timer) error) error
	// NextProcessingTime returns the earliest processing-time timer.
	NextProcessingTime() (int64, bool, error)
	// NextEventTime returns the earliest event-time timer.
	NextEventTime() (int64, bool, error)
}
