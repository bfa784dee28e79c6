package state_test

import (
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/state/heap"
	"github.com/pyflink-go/pyflink-go/engine/state/statetest"
)

func incrementalPebble(t testing.TB, clock state.Clock, r keygroup.Range) state.Backend {
	cfg := map[string]string{state.BackendKey: "pebble", state.IncrementalKey: "true"}
	b, err := state.Open(cfg, statetest.TempDir(t), r, statetest.MaxParallelism, clock)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFilesRestore restores incremental Pebble checkpoints at the same
// parallelism (the files become the database) and at others (key groups
// copied out of every overlapping old database).
func TestFilesRestore(t *testing.T) {
	for _, c := range []struct{ from, to int }{{1, 1}, {2, 2}, {2, 3}, {3, 2}, {3, 1}} {
		t.Run(string(rune('0'+c.from))+"->"+string(rune('0'+c.to)), func(t *testing.T) {
			statetest.RunFilesRescale(t, incrementalPebble, c.from, c.to)
		})
	}
}

// TestFilesSavepoint: savepoints of an incremental backend are canonical
// and restore into either backend.
func TestFilesSavepoint(t *testing.T) {
	for name, to := range rangeBackends() {
		t.Run(name, func(t *testing.T) { statetest.RunFilesSavepoint(t, incrementalPebble, to) })
	}
}

// TestFilesIntoHeap: an incremental checkpoint does not restore into the
// heap backend, and the error says why and what to do.
func TestFilesIntoHeap(t *testing.T) {
	src := incrementalPebble(t, statetest.NewManualClock(0), all)
	defer src.Close()
	files := statetest.CaptureFiles(t, src, nil)
	dst := state.New(heap.New(all), all, statetest.MaxParallelism, statetest.NewManualClock(0))
	err := state.RestoreFiles(dst, []checkpoint.BackendFiles{files})
	if err == nil || !strings.Contains(err.Error(), "pebble backend's files") || !strings.Contains(err.Error(), "hashmap backend") {
		t.Fatalf("restore into heap: %v", err)
	}
}

// TestIncrementalKey reads Flink's key and its older alias.
func TestIncrementalKey(t *testing.T) {
	for _, c := range []struct {
		cfg  map[string]string
		want bool
		err  bool
	}{
		{map[string]string{}, false, false},
		{map[string]string{state.IncrementalKey: "true"}, true, false},
		{map[string]string{"state.backend.incremental": "TRUE"}, true, false},
		{map[string]string{state.IncrementalKey: "yes"}, false, true},
	} {
		got, err := state.Incremental(c.cfg)
		if got != c.want || (err != nil) != c.err {
			t.Errorf("Incremental(%v) = %v, %v", c.cfg, got, err)
		}
	}
}
