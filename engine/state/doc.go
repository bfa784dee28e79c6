// Package state owns keyed state: the Backend a keyed operator subtask
// keeps its state and timers in, partitioned by key group, and the state
// primitives PyFlink offers (Value, List, Map, Reducing, Aggregating) over
// byte values, with processing-time TTL and namespaces (windows).
//
// The semantics live here once; the physical layer (engine/state/kv) has two
// implementations chosen by configuration: engine/state/heap (maps, the
// default) and engine/state/pebblestate (Pebble, for state larger than
// memory). One conformance suite (statetest) runs every case against both.
//
// Invariants:
//   - every access applies to the current key (SetCurrentKey) and the
//     handle's current namespace (SetNamespace, empty by default);
//   - values are opaque bytes: Python values arrive msgpack-encoded, Go values
//     through a codec of the caller's choice;
//   - a slice a state returns is owned by the backend and is valid until the
//     next call that writes state; copy it to keep it;
//   - TTL is processing time from the injected Clock, never the wall clock;
//   - timers are deduplicated per (timestamp, key, namespace) and fire in
//     (timestamp, key group, key, namespace) order, identically on both
//     backends.
//
// Checkpoints snapshot a backend key group by key group (SnapshotKeyGroup,
// snapshot.go): each key group is a self-contained, versioned byte string of
// every table and timer queue entry as the backend holds it (TTL timestamps
// included), which RestoreKeyGroup ingests into a backend of either kind
// that holds the key group, so state moves between parallelisms by key
// group. The timer services keep nothing outside the store but the current
// watermark, which is not snapshotted (as in Flink).
//
// The package does no I/O of its own; Open hands the Pebble backend a
// directory.
package state
