package state_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/state/statetest"
)

func TestBackendType(t *testing.T) {
	for in, want := range map[string]string{"": "hashmap", "hashmap": "hashmap", "HashMap": "hashmap",
		"pebble": "pebble", "rocksdb": "pebble", " RocksDB ": "pebble", "lmdb": "error"} {
		got, err := state.BackendType(map[string]string{state.BackendKey: in})
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("BackendType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseMemorySize(t *testing.T) {
	for in, want := range map[string]int64{"64mb": 64 << 20, "32 MiB": 32 << 20, "1g": 1 << 30, "4096": 4096,
		"12kb": 12 << 10, "lots": -1, "": -1, "5 parsecs": -1} {
		got, err := state.ParseMemorySize(in)
		if err != nil {
			got = -1
		}
		if got != want {
			t.Errorf("ParseMemorySize(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestOpen(t *testing.T) {
	clock := statetest.NewManualClock(0)
	if _, err := state.Open(nil, "", keygroup.Range{Start: 0, End: 200}, 128, clock); err == nil {
		t.Error("key groups beyond max parallelism were accepted")
	}
	if _, err := state.Open(map[string]string{state.BackendKey: "pebble", state.PebbleMemTableKey: "big"}, "",
		keygroup.Range{Start: 0, End: 3}, 128, clock); err == nil {
		t.Error("a bad memory size was accepted")
	}
	base := t.TempDir()
	b, err := state.Open(map[string]string{state.BackendKey: "rocksdb", state.PebbleLocalDirKey: base,
		state.PebbleWriteCacheKey: "1mb"}, "", keygroup.Range{Start: 0, End: 3}, 128, clock)
	if err != nil {
		t.Fatal(err)
	}
	dirs, _ := filepath.Glob(filepath.Join(base, "pyflink-go-pebble-*"))
	if len(dirs) != 1 {
		t.Errorf("temporary Pebble directories under the local dir: %v", dirs)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dirs[0]); !os.IsNotExist(err) {
		t.Errorf("%s survives Close", dirs[0])
	}
}
