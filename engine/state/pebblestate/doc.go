// Package pebblestate is the Pebble state backend (Flink's RocksDB backend):
// state larger than memory, on local disk.
//
// Key layout: [key group: 2 bytes][table id: 2 bytes][rest], so the state of
// a key group, or of a key-group range, is one contiguous span (scans for
// snapshots and rescaling). rest is
//
//	value table:  uvarint(len key) key namespace
//	map table:    uvarint(len key) key uvarint(len ns) ns userKey
//	timer queue:  timestamp (8 bytes, sign-flipped big endian) uvarint(len key) key namespace
//
// Table names map to ids in meta keys under 0xFFFF, which no key group
// reaches (at most 32768 key groups).
//
// Writes go through a bounded write-back cache: hot keys are read and
// written in memory and reach Pebble in batches when the cache fills, before
// a scan, or on Flush. A value created and deleted between two flushes never
// touches Pebble, which is what short-lived window state mostly is. List
// appends of keys not in the cache become Pebble merge operands (the default
// concatenating merger), so appending never reads the list.
//
// Timers are kept in Pebble too; per key group the queue holds in memory a
// short sorted run of its earliest timers, so popping due timers costs one
// scan per run, not one per timer.
//
// The WAL is off: state is rebuilt from checkpoints, not from the log.
// Full checkpoints read the state key group by key group through Iterate
// (state.SnapshotKeyGroup), which flushes the write-back caches first, and
// restores write it back through the tables, so neither depends on the
// database files. Incremental checkpoints (Options.Incremental) are Pebble
// checkpoints of the database files instead (checkpoint.go): a flush of
// caches and memtable, then hard links; restores open them at the same
// key-group range and copy key groups out of them at another.
package pebblestate
