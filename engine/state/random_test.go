package state_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/state/statetest"
)

// testSeed is the fixed seed of the randomized tests; PYFLINK_GO_SEED
// overrides it to replay another run.
func testSeed(t *testing.T) uint64 {
	seed := uint64(20260401)
	if s := os.Getenv("PYFLINK_GO_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("PYFLINK_GO_SEED: %v", err)
		}
		seed = v
	}
	t.Logf("seed %d (set PYFLINK_GO_SEED to replay another)", seed)
	return seed
}

type handles struct {
	b     state.Backend
	clock *statetest.ManualClock
	v     state.ValueState
	vt    state.ValueState
	l     state.ListState
	lt    state.ListState
	m     state.MapState
	mt    state.MapState
	r     state.ReducingState
	ts    state.TimerService
}

func openHandles(t *testing.T, open statetest.Factory) *handles {
	h := &handles{clock: statetest.NewManualClock(0)}
	h.b = open(t, h.clock)
	t.Cleanup(func() { h.b.Close() })
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	h.v, err = h.b.Value(state.Descriptor{Name: "v"})
	must(err)
	h.vt, err = h.b.Value(state.Descriptor{Name: "vt", TTL: state.TTL{Millis: 50, Update: state.OnReadAndWrite}})
	must(err)
	h.l, err = h.b.List(state.Descriptor{Name: "l"})
	must(err)
	h.lt, err = h.b.List(state.Descriptor{Name: "lt", TTL: state.TTL{Millis: 40}})
	must(err)
	h.m, err = h.b.Map(state.Descriptor{Name: "m"})
	must(err)
	h.mt, err = h.b.Map(state.Descriptor{Name: "mt", TTL: state.TTL{Millis: 60, Visibility: state.ReturnExpiredIfNotCleanedUp}})
	must(err)
	h.r, err = h.b.Reducing(state.ReducingDescriptor{Name: "r", Reduce: func(a, b []byte) ([]byte, error) {
		return append(append(append([]byte(nil), a...), ','), b...), nil
	}})
	must(err)
	h.ts, err = h.b.Timers("t")
	must(err)
	return h
}

// step applies operation op (drawn once, applied to every backend) and
// returns what it observed.
type op func(h *handles) string

func randomOp(rng *rand.Rand) op {
	key := fmt.Sprintf("k%d", rng.IntN(24))
	ns := []byte(fmt.Sprintf("n%d", rng.IntN(4)))
	val := []byte(fmt.Sprintf("v%d", rng.IntN(1000)))
	ts := int64(rng.IntN(400))
	setKey := func(h *handles) { h.b.SetCurrentKey(statetest.KeyGroup(key), []byte(key)) }
	list := func(s state.ListState) string {
		var out []string
		err := s.Get(func(v []byte) error { out = append(out, string(v)); return nil })
		return fmt.Sprint(out, err)
	}
	iter := func(s state.MapState) string {
		var out []string
		err := s.Iterate(func(k, v []byte) error { out = append(out, string(k)+"="+string(v)); return nil })
		return fmt.Sprint(out, err)
	}
	fire := func(b *strings.Builder) func(state.Timer) error {
		return func(tm state.Timer) error {
			fmt.Fprintf(b, "%d:%s:%s ", tm.Timestamp, tm.Key, tm.Namespace)
			return nil
		}
	}
	switch rng.IntN(22) {
	case 0:
		return func(h *handles) string { setKey(h); h.v.SetNamespace(ns); return fmt.Sprint(h.v.Update(val)) }
	case 1:
		return func(h *handles) string {
			setKey(h)
			h.v.SetNamespace(ns)
			v, ok, err := h.v.Value()
			return fmt.Sprint(string(v), ok, err)
		}
	case 2:
		return func(h *handles) string { setKey(h); h.v.SetNamespace(ns); return fmt.Sprint(h.v.Clear()) }
	case 3:
		return func(h *handles) string { setKey(h); h.l.SetNamespace(ns); return fmt.Sprint(h.l.Add(val)) }
	case 4:
		return func(h *handles) string { setKey(h); h.l.SetNamespace(ns); return list(h.l) }
	case 5:
		return func(h *handles) string {
			setKey(h)
			h.l.SetNamespace(ns)
			return fmt.Sprint(h.l.Update([][]byte{val, val}))
		}
	case 6:
		return func(h *handles) string { setKey(h); h.m.SetNamespace(ns); return fmt.Sprint(h.m.Put(val[:2], val)) }
	case 7:
		return func(h *handles) string { setKey(h); h.m.SetNamespace(ns); return iter(h.m) }
	case 8:
		return func(h *handles) string { setKey(h); h.m.SetNamespace(ns); return fmt.Sprint(h.m.Remove(val[:2])) }
	case 9:
		return func(h *handles) string { setKey(h); h.m.SetNamespace(ns); return fmt.Sprint(h.m.Clear()) }
	case 10:
		return func(h *handles) string { setKey(h); h.r.SetNamespace(ns); return fmt.Sprint(h.r.Add(val)) }
	case 11:
		return func(h *handles) string {
			setKey(h)
			h.r.SetNamespace(ns)
			v, ok, err := h.r.Get()
			return fmt.Sprint(string(v), ok, err)
		}
	case 12:
		return func(h *handles) string {
			setKey(h)
			return fmt.Sprint(h.r.MergeNamespaces(ns, [][]byte{[]byte("n0"), []byte("n1")}), h.l.MergeNamespaces(ns, [][]byte{[]byte("n2")}))
		}
	case 13:
		return func(h *handles) string { setKey(h); return fmt.Sprint(h.ts.RegisterEventTimeTimer(ns, ts)) }
	case 14:
		return func(h *handles) string { setKey(h); return fmt.Sprint(h.ts.DeleteEventTimeTimer(ns, ts)) }
	case 15:
		return func(h *handles) string { setKey(h); return fmt.Sprint(h.ts.RegisterProcessingTimeTimer(ns, ts)) }
	case 16:
		wm := int64(rng.IntN(40))
		return func(h *handles) string {
			var b strings.Builder
			err := h.ts.AdvanceWatermark(h.ts.CurrentWatermark()+wm, fire(&b))
			return b.String() + fmt.Sprint(err)
		}
	case 17:
		return func(h *handles) string {
			var b strings.Builder
			err := h.ts.AdvanceProcessingTime(ts, fire(&b))
			return b.String() + fmt.Sprint(err)
		}
	case 18:
		adv := int64(rng.IntN(30))
		return func(h *handles) string { h.clock.Advance(adv); return "" }
	case 19:
		return func(h *handles) string {
			setKey(h)
			h.vt.SetNamespace(ns)
			h.lt.SetNamespace(ns)
			h.mt.SetNamespace(ns)
			if rng := ts % 2; rng == 0 {
				return fmt.Sprint(h.vt.Update(val), h.lt.Add(val), h.mt.Put(val[:2], val))
			}
			v, ok, err := h.vt.Value()
			return fmt.Sprint(string(v), ok, err, list(h.lt), iter(h.mt))
		}
	case 20:
		return func(h *handles) string {
			var out []string
			err := h.b.Keys("v", ns, func(kg int, k []byte) error { out = append(out, string(k)); return nil })
			return fmt.Sprint(out, err)
		}
	default:
		return func(h *handles) string {
			var b strings.Builder
			err := h.b.Entries(statetest.KeyGroup(key), func(e state.Entry) error {
				fmt.Fprintf(&b, "%s/%s/%s/%s/%q/%d ", e.Table, e.Key, e.Namespace, e.UserKey, e.Value, e.Timestamp)
				return nil
			})
			return b.String() + fmt.Sprint(err)
		}
	}
}

// TestRandomDifferential runs one random sequence of operations on every
// backend and requires identical observations step by step.
func TestRandomDifferential(t *testing.T) {
	seed := testSeed(t)
	rng := rand.New(rand.NewPCG(seed, seed))
	names := []string{"heap", "pebble", "pebble-tiny-cache"}
	var hs []*handles
	for _, n := range names {
		hs = append(hs, openHandles(t, backends()[n]))
	}
	steps := 4000
	if testing.Short() {
		steps = 500
	}
	for i := 0; i < steps; i++ {
		o := randomOp(rng)
		want := o(hs[0])
		for j, h := range hs[1:] {
			if got := o(h); got != want {
				t.Fatalf("seed %d step %d: %s observed %q, heap %q", seed, i, names[j+1], got, want)
			}
		}
	}
}

// TestRandomTimers stresses timer queues with many timers per key group
// (more than the Pebble queue keeps in memory per group), deletions, and
// timers registered while firing, comparing every backend with heap.
func TestRandomTimers(t *testing.T) {
	seed := testSeed(t)
	names := []string{"heap", "pebble", "pebble-tiny-cache"}
	logs := make([]string, len(names))
	for i, n := range names {
		rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
		clock := statetest.NewManualClock(0)
		b := backends()[n](t, clock)
		ts, err := b.Timers("t")
		if err != nil {
			t.Fatal(err)
		}
		var log strings.Builder
		keys := []string{"alice", "bob", "carol"}
		wm := int64(0)
		for step := 0; step < 6000; step++ {
			k := keys[rng.IntN(len(keys))]
			b.SetCurrentKey(statetest.KeyGroup(k), []byte(k))
			at := wm + int64(rng.IntN(3000))
			ns := []byte(fmt.Sprintf("w%d", rng.IntN(3)))
			switch r := rng.IntN(20); {
			case r < 14:
				err = ts.RegisterEventTimeTimer(ns, at)
			case r < 19:
				err = ts.DeleteEventTimeTimer(ns, at)
			default:
				wm += int64(rng.IntN(60))
				err = ts.AdvanceWatermark(wm, func(tm state.Timer) error {
					fmt.Fprintf(&log, "%d/%s/%s ", tm.Timestamp, tm.Key, tm.Namespace)
					if tm.Timestamp%7 == 0 {
						// Re-register a little later, possibly within this watermark.
						return ts.RegisterEventTimeTimer(tm.Namespace, tm.Timestamp+int64(rng.IntN(20)))
					}
					return nil
				})
				log.WriteString("|\n")
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := ts.AdvanceWatermark(1<<62, func(tm state.Timer) error {
			fmt.Fprintf(&log, "%d/%s/%s ", tm.Timestamp, tm.Key, tm.Namespace)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		logs[i] = log.String()
		b.Close()
	}
	for i := 1; i < len(names); i++ {
		if logs[i] != logs[0] {
			a, b := strings.Split(logs[0], "\n"), strings.Split(logs[i], "\n")
			for j := range min(len(a), len(b)) {
				if a[j] != b[j] {
					t.Fatalf("seed %d: %s fires differently from heap at advance %d:\n heap: %s\n %s: %s", seed, names[i], j, a[j], names[i], b[j])
				}
			}
			t.Fatalf("seed %d: %s fired %d advances, heap %d", seed, names[i], len(b), len(a))
		}
	}
	if n := strings.Count(logs[0], "/"); n < 2000 {
		t.Fatalf("only %d timers fired; the test is too weak", n/2)
	}
}
