package statetest

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/state/heap"
)

// RangeFactory opens a backend over the key groups r (of MaxParallelism)
// with clock: the snapshot cases need backends of subtasks at several
// parallelisms.
type RangeFactory func(t testing.TB, clock state.Clock, r keygroup.Range) state.Backend

// All is the range of every key group of the suite.
var All = keygroup.Range{Start: 0, End: MaxParallelism - 1}

// snapKeys is how many keys the snapshot cases write.
const snapKeys = 400

// snapStates are the handles of the snapshot workload: every kind of state,
// with and without TTL, and one timer service.
type snapStates struct {
	b      state.Backend
	v, vt  state.ValueState
	l, lt  state.ListState
	m, mt  state.MapState
	r      state.ReducingState
	a      state.AggregatingState
	timers state.TimerService
}

func openSnapStates(t testing.TB, b state.Backend) *snapStates {
	t.Helper()
	s := &snapStates{b: b}
	var errs [9]error
	s.v, errs[0] = b.Value(state.Descriptor{Name: "v"})
	s.vt, errs[1] = b.Value(state.Descriptor{Name: "vt", TTL: state.TTL{Millis: 1000}})
	s.l, errs[2] = b.List(state.Descriptor{Name: "l"})
	s.lt, errs[3] = b.List(state.Descriptor{Name: "lt", TTL: state.TTL{Millis: 900, Update: state.OnReadAndWrite}})
	s.m, errs[4] = b.Map(state.Descriptor{Name: "m"})
	s.mt, errs[5] = b.Map(state.Descriptor{Name: "mt", TTL: state.TTL{Millis: 800, Visibility: state.ReturnExpiredIfNotCleanedUp}})
	s.r, errs[6] = b.Reducing(state.ReducingDescriptor{Name: "r", Reduce: sum})
	s.a, errs[7] = b.Aggregating(state.AggregatingDescriptor{Name: "a", TTL: state.TTL{Millis: 1100}, Aggregate: avg{}})
	s.timers, errs[8] = b.Timers("t")
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// snapKey is the i-th key of the workload.
func snapKey(i int) string { return "key-" + strconv.Itoa(i) }

// populate writes the workload for every key i < snapKeys whose key group
// the backend holds, advancing clock 3 ms per key so TTL timestamps differ
// (some entries expire before the snapshot, some after).
func populate(t testing.TB, s *snapStates, clock *ManualClock) {
	t.Helper()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	r := s.b.KeyGroupRange()
	for i := 0; i < snapKeys; i++ {
		clock.Set(int64(3 * i))
		k := snapKey(i)
		if !r.Contains(KeyGroup(k)) {
			continue
		}
		s.b.SetCurrentKey(KeyGroup(k), []byte(k))
		val := []byte(strconv.Itoa(i))
		nss := [][]byte{nil}
		if i%3 == 0 {
			nss = append(nss, []byte("w1"))
		}
		for _, ns := range nss {
			for _, st := range []state.Namespaced{s.v, s.vt, s.l, s.lt, s.m, s.mt, s.r, s.a} {
				st.SetNamespace(ns)
			}
			must(s.v.Update(append([]byte("v"), val...)))
			must(s.vt.Update(val))
			for j := 0; j <= i%4; j++ {
				must(s.l.Add([]byte(fmt.Sprintf("e%d", j))))
				must(s.lt.Add([]byte(fmt.Sprintf("t%d", j))))
			}
			for j := 0; j < i%5; j++ {
				must(s.m.Put([]byte(fmt.Sprintf("u%d", j)), val))
				must(s.mt.Put([]byte(fmt.Sprintf("u%d", j)), []byte(fmt.Sprintf("x%d", j))))
			}
			must(s.r.Add(val))
			must(s.r.Add([]byte("1")))
			must(s.a.Add(val))
			must(s.a.Add([]byte("7")))
			// Event timers share timestamps across keys; processing timers too.
			must(s.timers.RegisterEventTimeTimer(ns, int64(100+i%37*10)))
			must(s.timers.RegisterProcessingTimeTimer(ns, int64(2000+i%11)))
			if i%7 == 0 {
				must(s.timers.RegisterEventTimeTimer(ns, int64(5000+i)))
				must(s.timers.DeleteEventTimeTimer(ns, int64(100+i%37*10)))
			}
		}
		if i%10 == 9 {
			// Cleared state must stay cleared.
			s.v.SetNamespace(nil)
			must(s.v.Clear())
		}
	}
}

// readKey reads every state of key k (both namespaces) through the handles,
// applying TTL as a user read does.
func readKey(t testing.TB, s *snapStates, k string) string {
	t.Helper()
	var b strings.Builder
	s.b.SetCurrentKey(KeyGroup(k), []byte(k))
	for _, ns := range [][]byte{nil, []byte("w1")} {
		for _, st := range []state.Namespaced{s.v, s.vt, s.l, s.lt, s.m, s.mt, s.r, s.a} {
			st.SetNamespace(ns)
		}
		fmt.Fprintf(&b, "%s/%s:", k, ns)
		v, ok, err := s.v.Value()
		fmt.Fprintf(&b, " v=%s,%v,%v", v, ok, err)
		v, ok, err = s.vt.Value()
		fmt.Fprintf(&b, " vt=%s,%v,%v", v, ok, err)
		for _, l := range []state.ListState{s.l, s.lt} {
			var els []string
			err := l.Get(func(v []byte) error { els = append(els, string(v)); return nil })
			fmt.Fprintf(&b, " list=%v,%v", els, err)
		}
		for _, m := range []state.MapState{s.m, s.mt} {
			var els []string
			err := m.Iterate(func(uk, v []byte) error { els = append(els, string(uk)+"="+string(v)); return nil })
			fmt.Fprintf(&b, " map=%v,%v", els, err)
		}
		v, ok, err = s.r.Get()
		fmt.Fprintf(&b, " r=%s,%v,%v", v, ok, err)
		v, ok, err = s.a.Get()
		fmt.Fprintf(&b, " a=%s,%v,%v\n", v, ok, err)
	}
	return b.String()
}

// readKeys reads every workload key the backend holds.
func readKeys(t testing.TB, s *snapStates) string {
	var b strings.Builder
	for i := 0; i < snapKeys; i++ {
		if k := snapKey(i); s.b.KeyGroupRange().Contains(KeyGroup(k)) {
			b.WriteString(readKey(t, s, k))
		}
	}
	return b.String()
}

// fireAll fires every timer: processing time first, then event time; each
// firing also reads the timer key's value state, which must be there.
func fireAll(t testing.TB, s *snapStates) []string {
	t.Helper()
	var out []string
	fire := func(kind string) func(state.Timer) error {
		return func(tm state.Timer) error {
			kg, key := s.b.CurrentKey()
			if kg != tm.KeyGroup || string(key) != string(tm.Key) {
				return fmt.Errorf("current key %d:%s during timer of %d:%s", kg, key, tm.KeyGroup, tm.Key)
			}
			s.v.SetNamespace(tm.Namespace)
			v, ok, err := s.v.Value()
			out = append(out, fmt.Sprintf("%s %d %d:%s/%s v=%s,%v,%v", kind, tm.Timestamp, tm.KeyGroup, tm.Key, tm.Namespace, v, ok, err))
			return nil
		}
	}
	for _, step := range []struct {
		kind string
		to   int64
	}{{"event", 300}, {"proc", 2005}, {"event", 5100}, {"proc", math.MaxInt64}, {"event", math.MaxInt64}} {
		var err error
		if step.kind == "proc" {
			err = s.timers.AdvanceProcessingTime(step.to, fire("proc"))
		} else {
			err = s.timers.AdvanceWatermark(step.to, fire("event"))
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, "|")
	}
	return out
}

// rawEntries lists every entry of the key groups of r, sorted (table order
// within a key group is the backend's creation order, which a restore need
// not reproduce).
func rawEntries(t testing.TB, b state.Backend, r keygroup.Range) []string {
	t.Helper()
	var out []string
	for kg := r.Start; kg <= r.End; kg++ {
		err := b.Entries(kg, func(e state.Entry) error {
			out = append(out, fmt.Sprintf("%d %s %s %q %q %q %q %d", kg, e.Table, e.Kind, e.Key, e.Namespace, e.UserKey, e.Value, e.Timestamp))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(out)
	return out
}

// snapshotAll snapshots every key group b holds; empty key groups are left out.
func snapshotAll(t testing.TB, b state.Backend) map[int][]byte {
	t.Helper()
	snap := map[int][]byte{}
	r := b.KeyGroupRange()
	for kg := r.Start; kg <= r.End; kg++ {
		data, err := state.SnapshotKeyGroup(b, kg)
		if err != nil {
			t.Fatal(err)
		}
		if data != nil {
			snap[kg] = data
		}
	}
	return snap
}

// restoreRange restores into b every snapshotted key group of its range.
func restoreRange(t testing.TB, b state.Backend, snap map[int][]byte) {
	t.Helper()
	r := b.KeyGroupRange()
	for kg, data := range snap {
		if !r.Contains(kg) {
			continue
		}
		if err := state.RestoreKeyGroup(b, kg, data); err != nil {
			t.Fatal(err)
		}
	}
}

func diff(t testing.TB, what string, got, want []string) {
	t.Helper()
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			t.Fatalf("%s: differs at line %d of %d:\n got: %s\nwant: %s", what, i, len(want), got[i], want[i])
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d lines, want %d", what, len(got), len(want))
	}
}

// RunSnapshotRestore writes every kind of state, TTL state and timers over
// many keys into a backend of each kind, snapshots every key group, restores
// into a fresh backend of every kind, and requires the same raw entries, the
// same reads (now and after TTL expiry) and the same timer firings as the
// original.
func RunSnapshotRestore(t *testing.T, backends map[string]RangeFactory) {
	for from, openFrom := range backends {
		for to, openTo := range backends {
			t.Run(from+"->"+to, func(t *testing.T) {
				srcClock := NewManualClock(0)
				src := openSnapStates(t, openFrom(t, srcClock, All))
				defer src.b.Close()
				populate(t, src, srcClock)
				snap := snapshotAll(t, src.b)
				if len(snap) < MaxParallelism/2 {
					t.Fatalf("only %d key groups hold state; the workload is too small", len(snap))
				}

				dstClock := NewManualClock(srcClock.Now().UnixMilli())
				dstB := openTo(t, dstClock, All)
				defer dstB.Close()
				var dst *snapStates
				// Some pairs restore into an untouched backend, the others
				// into one whose states are open, so both orders are covered
				// on every Pebble variant.
				if len(from) < len(to) {
					// Restore before any state is opened.
					restoreRange(t, dstB, snap)
					dst = openSnapStates(t, dstB)
				} else {
					// Restore after the states are opened and the timer
					// queues looked at (and found empty), as an operator
					// that restores after Open does.
					dst = openSnapStates(t, dstB)
					for _, next := range []func() (int64, bool, error){dst.timers.NextEventTime, dst.timers.NextProcessingTime} {
						if _, ok, err := next(); ok || err != nil {
							t.Fatalf("a fresh backend has timers (%v)", err)
						}
					}
					restoreRange(t, dstB, snap)
				}

				diff(t, "raw entries", rawEntries(t, dst.b, All), rawEntries(t, src.b, All))
				// Snapshotting the restored backend gives the same bytes back
				// (up to table order, so compare re-restored entries).
				again := snapshotAll(t, dst.b)
				if len(again) != len(snap) {
					t.Fatalf("restored backend snapshots %d key groups, original %d", len(again), len(snap))
				}
				for _, ms := range []int64{0, 400, 700} {
					srcClock.Advance(ms)
					dstClock.Advance(ms)
					want, got := readKeys(t, src), readKeys(t, dst)
					if strings.Count(want, "vt=(none)")+strings.Count(want, "vt=,false") == 0 && ms == 700 {
						t.Fatalf("no TTL entry expired; the workload does not test TTL")
					}
					diff(t, fmt.Sprintf("reads after %d ms", ms), strings.Split(got, "\n"), strings.Split(want, "\n"))
				}
				want := fireAll(t, src)
				if len(want) < snapKeys {
					t.Fatalf("only %d timers fired; the workload is too small", len(want))
				}
				diff(t, "timer firings", fireAll(t, dst), want)
			})
		}
	}
}

// RunRescale snapshots two backends that hold the two halves of the key
// groups (parallelism 2) and restores into three (parallelism 3): each new
// backend must hold exactly the keys of its range, read the same as a
// backend that held every key from the start, and fire the same timers in
// the same order.
func RunRescale(t *testing.T, backends map[string]RangeFactory) {
	for from, openFrom := range backends {
		for to, openTo := range backends {
			t.Run(from+"->"+to, func(t *testing.T) {
				refClock := NewManualClock(0)
				ref := openSnapStates(t, openFrom(t, refClock, All))
				defer ref.b.Close()
				populate(t, ref, refClock)

				snap := map[int][]byte{}
				for i := 0; i < 2; i++ {
					clock := NewManualClock(0)
					old := openSnapStates(t, openFrom(t, clock, keygroup.RangeFor(MaxParallelism, 2, i)))
					populate(t, old, clock)
					for kg, data := range snapshotAll(t, old.b) {
						if _, dup := snap[kg]; dup {
							t.Fatalf("key group %d snapshotted by two subtasks", kg)
						}
						snap[kg] = data
					}
					old.b.Close()
				}

				refFired := fireAllLater(t, ref)
				total := 0
				for i := 0; i < 3; i++ {
					r := keygroup.RangeFor(MaxParallelism, 3, i)
					clock := NewManualClock(refClock.Now().UnixMilli())
					b := openTo(t, clock, r)
					restoreRange(t, b, snap)
					s := openSnapStates(t, b)

					want := map[string]bool{}
					for j := 0; j < snapKeys; j++ {
						if k := snapKey(j); r.Contains(KeyGroup(k)) {
							want[k] = true
						}
					}
					got := map[string]bool{}
					if err := b.Keys("l", nil, func(kg int, key []byte) error {
						if !r.Contains(kg) || KeyGroup(string(key)) != kg {
							return fmt.Errorf("key %s in key group %d, outside %d..%d or not its own", key, kg, r.Start, r.End)
						}
						got[string(key)] = true
						return nil
					}); err != nil {
						t.Fatal(err)
					}
					diff(t, fmt.Sprintf("keys of subtask %d of 3", i), SortedKeys(got), SortedKeys(want))
					total += len(got)
					diff(t, fmt.Sprintf("raw entries of subtask %d of 3", i), rawEntries(t, b, r), rawEntries(t, ref.b, r))
					diff(t, fmt.Sprintf("reads of subtask %d of 3", i), strings.Split(readKeys(t, s), "\n"), strings.Split(readRange(t, ref, r), "\n"))

					var wantFired []string
					for _, f := range refFired {
						if f == "|" || r.Contains(firedGroup(f)) {
							wantFired = append(wantFired, f)
						}
					}
					diff(t, fmt.Sprintf("timer firings of subtask %d of 3", i), fireAll(t, s), wantFired)
					b.Close()
				}
				if total != snapKeys {
					t.Fatalf("the three subtasks hold %d keys, want %d", total, snapKeys)
				}
			})
		}
	}
}

// fireAllLater fires the reference's timers on a copy of its state taken
// now, so the reference stays as it was for the reads that follow.
func fireAllLater(t testing.TB, ref *snapStates) []string {
	t.Helper()
	clock := NewManualClock(0)
	b := state.New(heap.New(All), All, MaxParallelism, clock)
	defer b.Close()
	restoreRange(t, b, snapshotAll(t, ref.b))
	return fireAll(t, openSnapStates(t, b))
}

// readRange reads the workload keys of ref within r.
func readRange(t testing.TB, ref *snapStates, r keygroup.Range) string {
	var b strings.Builder
	for i := 0; i < snapKeys; i++ {
		if k := snapKey(i); r.Contains(KeyGroup(k)) {
			b.WriteString(readKey(t, ref, k))
		}
	}
	return b.String()
}

// firedGroup is the key group of a fireAll line ("kind ts kg:key/ns ...").
func firedGroup(line string) int {
	f := strings.Fields(line)
	kg, _, _ := strings.Cut(f[2], ":")
	n, _ := strconv.Atoi(kg)
	return n
}

// RunCaptureIsolated captures each backend for a snapshot (state.CaptureBackend),
// then rewrites, clears and appends to every state and fires every timer
// before it writes the capture out: the written key groups must restore to
// exactly the entries the backend held when it was captured. Every backend
// here must capture asynchronously (a frozen view), since that is what lets
// a checkpoint serialize state after the barrier has gone on.
func RunCaptureIsolated(t *testing.T, backends map[string]RangeFactory) {
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			clock := NewManualClock(0)
			src := openSnapStates(t, open(t, clock, All))
			defer src.b.Close()
			populate(t, src, clock)
			want := rawEntries(t, src.b, All)

			c, err := state.CaptureBackend(src.b)
			if err != nil {
				t.Fatal(err)
			}
			if !c.Async() {
				t.Fatalf("%s captures synchronously; want a frozen view", name)
			}
			// Change everything after the capture: values updated in place,
			// lists appended to, maps rewritten, state cleared, timers fired.
			populate(t, src, clock)
			for i := 0; i < snapKeys; i += 2 {
				k := snapKey(i)
				src.b.SetCurrentKey(KeyGroup(k), []byte(k))
				for _, st := range []state.Namespaced{src.v, src.m, src.l} {
					st.SetNamespace(nil)
				}
				if err := src.v.Clear(); err != nil {
					t.Fatal(err)
				}
				if err := src.m.Clear(); err != nil {
					t.Fatal(err)
				}
				if err := src.l.Clear(); err != nil {
					t.Fatal(err)
				}
			}
			if len(fireAll(t, src)) == 0 {
				t.Fatal("no timer fired after the capture")
			}
			if changed := rawEntries(t, src.b, All); len(changed) == len(want) && strings.Join(changed, "\n") == strings.Join(want, "\n") {
				t.Fatal("the changes after the capture changed nothing; the case tests nothing")
			}

			snap := map[int][]byte{}
			if err := c.WriteKeyGroups(nil, func(kg int, data []byte) { snap[kg] = data }); err != nil {
				t.Fatal(err)
			}
			dst := heap.New(All)
			restored := state.New(dst, All, MaxParallelism, NewManualClock(clock.Now().UnixMilli()))
			defer restored.Close()
			restoreRange(t, restored, snap)
			diff(t, "entries restored from the capture", rawEntries(t, restored, All), want)
		})
	}
}
