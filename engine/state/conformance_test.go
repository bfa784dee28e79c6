package state_test

import (
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/state/heap"
	"github.com/pyflink-go/pyflink-go/engine/state/pebblestate"
	"github.com/pyflink-go/pyflink-go/engine/state/statetest"
)

var all = keygroup.Range{Start: 0, End: statetest.MaxParallelism - 1}

// backends are the implementations every conformance case runs against. The
// Pebble one with a tiny write cache flushes and evicts on almost every
// operation, so the paths through Pebble itself are exercised too.
func backends() map[string]statetest.Factory {
	return map[string]statetest.Factory{
		"heap": func(t testing.TB, clock state.Clock) state.Backend {
			return state.New(heap.New(all), all, statetest.MaxParallelism, clock)
		},
		"pebble": func(t testing.TB, clock state.Clock) state.Backend {
			b, err := state.Open(map[string]string{state.BackendKey: "pebble"}, statetest.TempDir(t), all, statetest.MaxParallelism, clock)
			if err != nil {
				t.Fatal(err)
			}
			return b
		},
		"pebble-tiny-cache": func(t testing.TB, clock state.Clock) state.Backend {
			s, err := pebblestate.Open(pebblestate.Options{Dir: statetest.TempDir(t), KeyGroups: all, WriteCacheSize: 512})
			if err != nil {
				t.Fatal(err)
			}
			return state.New(s, all, statetest.MaxParallelism, clock)
		},
	}
}

func TestConformance(t *testing.T) {
	for name, open := range backends() {
		t.Run(name, func(t *testing.T) { statetest.RunTranscripts(t, open) })
	}
}

// rangeBackends are the backends of the snapshot cases, over any key-group
// range.
func rangeBackends() map[string]statetest.RangeFactory {
	return map[string]statetest.RangeFactory{
		"heap": func(t testing.TB, clock state.Clock, r keygroup.Range) state.Backend {
			return state.New(heap.New(r), r, statetest.MaxParallelism, clock)
		},
		"pebble": func(t testing.TB, clock state.Clock, r keygroup.Range) state.Backend {
			b, err := state.Open(map[string]string{state.BackendKey: "pebble"}, statetest.TempDir(t), r, statetest.MaxParallelism, clock)
			if err != nil {
				t.Fatal(err)
			}
			return b
		},
		"pebble-tiny-cache": func(t testing.TB, clock state.Clock, r keygroup.Range) state.Backend {
			s, err := pebblestate.Open(pebblestate.Options{Dir: statetest.TempDir(t), KeyGroups: r, WriteCacheSize: 512})
			if err != nil {
				t.Fatal(err)
			}
			return state.New(s, r, statetest.MaxParallelism, clock)
		},
	}
}

func TestSnapshotRestore(t *testing.T) { statetest.RunSnapshotRestore(t, rangeBackends()) }

func TestSnapshotRescale(t *testing.T) { statetest.RunRescale(t, rangeBackends()) }

func TestCaptureIsolated(t *testing.T) { statetest.RunCaptureIsolated(t, rangeBackends()) }
