package state

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state/heap"
	"github.com/pyflink-go/pyflink-go/engine/state/pebblestate"
)

// Configuration keys the backends read.
const (
	// BackendKey selects the backend: "hashmap" (default) or "pebble"
	// ("rocksdb" is accepted as an alias of "pebble").
	BackendKey = "state.backend.type"
	// PebbleMemTableKey, PebbleBlockCacheKey and PebbleWriteCacheKey size
	// the Pebble backend's memory ("64mb", "32 MiB", or bytes).
	PebbleMemTableKey   = "state.backend.pebble.memtable-size"
	PebbleBlockCacheKey = "state.backend.pebble.block-cache-size"
	PebbleWriteCacheKey = "state.backend.pebble.write-cache-size"
	// PebbleLocalDirKey is where Open makes temporary Pebble directories
	// (Flink's state.backend.rocksdb.localdir is read too).
	PebbleLocalDirKey = "state.backend.pebble.localdir"
	rocksLocalDirKey  = "state.backend.rocksdb.localdir"
)

// The backend kinds BackendKey names.
const (
	HashMap = "hashmap"
	Pebble  = "pebble"
)

var aliasOnce sync.Once

// BackendType returns the backend kind cfg selects.
func BackendType(cfg map[string]string) (string, error) {
	switch t := strings.ToLower(strings.TrimSpace(cfg[BackendKey])); t {
	case "", HashMap, "heap":
		return HashMap, nil
	case Pebble:
		return Pebble, nil
	case "rocksdb":
		aliasOnce.Do(func() {
			slog.Info("state.backend.type 'rocksdb' runs on the Pebble backend (an embedded LSM store like RocksDB)")
		})
		return Pebble, nil
	default:
		return "", fmt.Errorf("%s: unknown state backend %q (use hashmap or pebble)", BackendKey, cfg[BackendKey])
	}
}

// Open returns the backend cfg selects for the key groups r of
// maxParallelism. dir is where the Pebble backend keeps its files; empty
// means a temporary directory (under PebbleLocalDirKey when set) removed on
// Close. clock measures TTL.
func Open(cfg map[string]string, dir string, r keygroup.Range, maxParallelism int, clock Clock) (Backend, error) {
	if r.Start < 0 || r.End < r.Start || r.End >= maxParallelism {
		return nil, fmt.Errorf("state: key groups %d..%d do not fit max parallelism %d", r.Start, r.End, maxParallelism)
	}
	if clock == nil {
		return nil, fmt.Errorf("state: a clock is required")
	}
	kind, err := BackendType(cfg)
	if err != nil {
		return nil, err
	}
	if kind == HashMap {
		return New(heap.New(r), r, maxParallelism, clock), nil
	}
	incremental, err := Incremental(cfg)
	if err != nil {
		return nil, err
	}
	o := pebblestate.Options{Dir: dir, KeyGroups: r, TempBase: cfg[PebbleLocalDirKey], Incremental: incremental}
	if o.TempBase == "" {
		o.TempBase = cfg[rocksLocalDirKey]
	}
	for key, dst := range map[string]*int64{PebbleMemTableKey: &o.MemTableSize,
		PebbleBlockCacheKey: &o.BlockCacheSize, PebbleWriteCacheKey: &o.WriteCacheSize} {
		if v, ok := cfg[key]; ok {
			if *dst, err = ParseMemorySize(v); err != nil {
				return nil, fmt.Errorf("%s: %w", key, err)
			}
		}
	}
	s, err := pebblestate.Open(o)
	if err != nil {
		return nil, err
	}
	return New(s, r, maxParallelism, clock), nil
}

// ParseMemorySize reads a size as Flink writes them: "64mb", "32 MiB",
// "1g", or plain bytes.
func ParseMemorySize(v string) (int64, error) {
	s := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(v), " ", ""))
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("cannot parse %q as a memory size", v)
	}
	mult := map[string]int64{"": 1, "b": 1, "bytes": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
		"m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}[s[i:]]
	if mult == 0 {
		return 0, fmt.Errorf("cannot parse %q as a memory size", v)
	}
	return n * mult, nil
}
