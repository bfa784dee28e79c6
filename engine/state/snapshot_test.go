package state_test

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/state/heap"
	"github.com/pyflink-go/pyflink-go/engine/state/statetest"
)

// oneGroup returns a heap backend holding a value, a map entry and a timer
// for key "alice", and alice's key group.
func oneGroup(t *testing.T) (state.Backend, int) {
	t.Helper()
	b := state.New(heap.New(all), all, statetest.MaxParallelism, statetest.NewManualClock(0))
	kg := statetest.KeyGroup("alice")
	b.SetCurrentKey(kg, []byte("alice"))
	v, _ := b.Value(state.Descriptor{Name: "v"})
	m, _ := b.Map(state.Descriptor{Name: "m"})
	ts, _ := b.Timers("t")
	if err := v.Update([]byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := m.Put([]byte("uk"), []byte("two")); err != nil {
		t.Fatal(err)
	}
	if err := ts.RegisterEventTimeTimer(nil, -5); err != nil {
		t.Fatal(err)
	}
	return b, kg
}

func TestSnapshotEmptyKeyGroup(t *testing.T) {
	b, kg := oneGroup(t)
	other := (kg + 1) % statetest.MaxParallelism
	data, err := state.SnapshotKeyGroup(b, other)
	if err != nil || data != nil {
		t.Fatalf("empty key group %d: snapshot %q, %v; want nil, nil", other, data, err)
	}
	prefix := []byte("hdr")
	out, err := state.AppendKeyGroup(prefix, b, other)
	if err != nil || string(out) != "hdr" {
		t.Fatalf("AppendKeyGroup of an empty key group gave %q, %v; want the prefix alone", out, err)
	}
	out, err = state.AppendKeyGroup(prefix, b, kg)
	if err != nil || !strings.HasPrefix(string(out), "hdr") || len(out) < 10 {
		t.Fatalf("AppendKeyGroup gave %q, %v", out, err)
	}
	if err := state.RestoreKeyGroup(b, other, nil); err != nil {
		t.Fatalf("restoring nothing: %v", err)
	}
}

// TestSnapshotCorrupt: every damaged snapshot is refused with an error that
// names the key group, and never panics.
func TestSnapshotCorrupt(t *testing.T) {
	b, kg := oneGroup(t)
	data, err := state.SnapshotKeyGroup(b, kg)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"version":   append([]byte{99}, data[1:]...),
		"kind":      func() []byte { d := append([]byte(nil), data...); d[3] = 77; return d }(),
		"truncated": data[:len(data)-1],
		"count":     append(append([]byte(nil), data...), 1, 'x', 1, 0, 0, 0, 5),
	}
	// data[1] is the length of the first table's name ("v", 1 byte), data[2]
	// the name, data[3] its kind.
	if data[1] != 1 || data[2] != 'v' {
		t.Fatalf("unexpected layout %q: the test's offsets need updating", data)
	}
	for i := 1; i < len(data)-1; i++ {
		cases[fmt.Sprintf("cut at %d", i)] = data[:i]
	}
	want := fmt.Sprintf("key group %d", kg)
	for name, d := range cases {
		fresh := state.New(heap.New(all), all, statetest.MaxParallelism, statetest.NewManualClock(0))
		err := state.RestoreKeyGroup(fresh, kg, d)
		if strings.HasPrefix(name, "cut") && err == nil {
			// A cut between two blocks leaves a valid, shorter snapshot.
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming %q", name, err, want)
		}
	}
	small := state.New(heap.New(keygroup.Range{Start: kg + 1, End: kg + 1}), keygroup.Range{Start: kg + 1, End: kg + 1}, statetest.MaxParallelism, statetest.NewManualClock(0))
	if err := state.RestoreKeyGroup(small, kg, data); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("restore into a backend without the key group: %v", err)
	}
}

// TestSnapshotSharedKeys: entries of one key share its bytes in the
// snapshot, so a map of many user keys costs its key once.
func TestSnapshotSharedKeys(t *testing.T) {
	b := state.New(heap.New(all), all, statetest.MaxParallelism, statetest.NewManualClock(0))
	key := strings.Repeat("k", 100)
	kg := statetest.KeyGroup(key)
	b.SetCurrentKey(kg, []byte(key))
	m, _ := b.Map(state.Descriptor{Name: "m"})
	for i := 0; i < 50; i++ {
		if err := m.Put([]byte(strconv.Itoa(i)), []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	data, err := state.SnapshotKeyGroup(b, kg)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), key); n != 1 {
		t.Fatalf("the key is written %d times, want once (%d bytes)", n, len(data))
	}
	fresh := state.New(heap.New(all), all, statetest.MaxParallelism, statetest.NewManualClock(0))
	if err := state.RestoreKeyGroup(fresh, kg, data); err != nil {
		t.Fatal(err)
	}
	fresh.SetCurrentKey(kg, []byte(key))
	fm, _ := fresh.Map(state.Descriptor{Name: "m"})
	n := 0
	if err := fm.Iterate(func(uk, v []byte) error { n++; return nil }); err != nil || n != 50 {
		t.Fatalf("restored map has %d entries (%v), want 50", n, err)
	}
}

// cpuTime is the CPU time of the process so far in ns (user and system, all
// threads): on a shared machine it tells the work apart from the waiting.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkSnapshot1M snapshots (and restores) 1M keys of a ValueState of
// 8-byte counts, every key group, as a checkpoint of a keyed count does.
// Reported: ns/key (wall), cpu-ns/key (the process's CPU time, GC
// included) and snapshot bytes per key.
func BenchmarkSnapshot1M(b *testing.B) {
	const keys = 1_000_000
	for _, name := range []string{"heap", "pebble"} {
		open := rangeBackends()[name]
		b.Run(name, func(b *testing.B) {
			src := open(b, statetest.NewManualClock(0), all)
			defer src.Close()
			v, err := src.Value(state.Descriptor{Name: "count"})
			if err != nil {
				b.Fatal(err)
			}
			var kb, vb []byte
			for i := 0; i < keys; i++ {
				kb = strconv.AppendInt(append(kb[:0], "key-"...), int64(i), 10)
				src.SetCurrentKey(statetest.KeyGroup(string(kb)), kb)
				vb = binary.BigEndian.AppendUint64(vb[:0], uint64(i))
				if err := v.Update(vb); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("snapshot", func(b *testing.B) {
				var size int
				cpu := cpuTime()
				for n := 0; n < b.N; n++ {
					size = 0
					for kg := 0; kg < statetest.MaxParallelism; kg++ {
						data, err := state.SnapshotKeyGroup(src, kg)
						if err != nil {
							b.Fatal(err)
						}
						size += len(data)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/keys, "ns/key")
				b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/keys, "cpu-ns/key")
				b.ReportMetric(float64(size)/keys, "B/key")
			})
			// capture is the part of a checkpoint the operator waits for:
			// taking the frozen view (the rest is written after the barrier).
			b.Run("capture", func(b *testing.B) {
				cpu := cpuTime()
				for n := 0; n < b.N; n++ {
					c, err := state.CaptureBackend(src)
					if err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					if err := c.Close(); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/keys, "ns/key")
				b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/keys, "cpu-ns/key")
			})
			snap := map[int][]byte{}
			for kg := 0; kg < statetest.MaxParallelism; kg++ {
				if snap[kg], err = state.SnapshotKeyGroup(src, kg); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("restore", func(b *testing.B) {
				for n := 0; n < b.N; n++ {
					b.StopTimer()
					dst := open(b, statetest.NewManualClock(0), all)
					b.StartTimer()
					for kg, data := range snap {
						if err := state.RestoreKeyGroup(dst, kg, data); err != nil {
							b.Fatal(err)
						}
					}
					if err := dst.Flush(); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					dst.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/keys, "ns/key")
			})
		})
	}
}
