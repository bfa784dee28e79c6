// Package heap is the in-memory state backend (Flink's HashMapStateBackend):
// Go maps per table and key group, and binary heaps for timers. It is the
// default backend: fastest, bounded by memory.
//
// Invariants: values are copied in and owned by the store; map tables scan
// in ascending user-key order (sorted on demand); timer queues are
// deduplicated binary heaps ordered by kv.AppendOrderKey.
package heap
