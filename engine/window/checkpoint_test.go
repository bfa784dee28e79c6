package window

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/state/statetest"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// step is one input of the checkpoint workload: an element, a watermark, or
// processing time moving on (a tick).
type step struct {
	kind byte // 'e' element, 'w' watermark, 'p' processing time
	key  string
	val  string
	ts   int64
}

// workload is n elements over 23 keys with out-of-order timestamps (some
// late), a watermark every 20 elements and processing time moving every 30.
func workload(n int) []step {
	rng := rand.New(rand.NewPCG(7, 11))
	var out []step
	var maxTs, now int64
	for i := 0; i < n; i++ {
		k := fmt.Sprintf("k%d", rng.IntN(23))
		ts := max(int64(i)*5+int64(rng.IntN(140))-70, 0)
		maxTs = max(maxTs, ts)
		out = append(out, step{kind: 'e', key: k, val: fmt.Sprintf("%s.%d", k, i), ts: ts})
		if i%20 == 19 {
			out = append(out, step{kind: 'w', ts: maxTs - 60})
		}
		if i%30 == 29 {
			now += 45
			out = append(out, step{kind: 'p', ts: now})
		}
	}
	return append(out, step{kind: 'w', ts: math.MaxInt64})
}

// cluster is the window operator at some parallelism, its subtasks fed as
// a key_by exchange would feed them.
type cluster struct {
	subs  []*Operator
	outs  []*recorder
	par   int
	clock *statetest.ManualClock
	lastW int64
}

func newCluster(t *testing.T, spec func() Spec, backend string, par int, clock *statetest.ManualClock) *cluster {
	t.Helper()
	c := &cluster{par: par, clock: clock, lastW: math.MinInt64}
	for i := 0; i < par; i++ {
		r := keygroup.RangeFor(statetest.MaxParallelism, par, i)
		s := spec()
		s.NewBackend = func(ctx *runtime.Context) (state.Backend, error) {
			cfg := map[string]string{state.BackendKey: backend}
			if backend == "pebble-incremental" {
				cfg = map[string]string{state.BackendKey: "pebble", state.IncrementalKey: "true"}
			}
			return state.Open(cfg, statetest.TempDir(t), r, statetest.MaxParallelism, clock)
		}
		ctx := &runtime.Context{Env: &runtime.Env{Clock: clock, Config: map[string]string{}}, Subtask: i, Parallelism: par,
			MaxParallelism: statetest.MaxParallelism}
		op, err := s.NewOperator(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out := &recorder{}
		if err := op.Open(ctx, out); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { op.Close() })
		c.subs = append(c.subs, op.(*Operator))
		c.outs = append(c.outs, out)
	}
	return c
}

func (c *cluster) owner(t *testing.T, key string) *Operator {
	h, err := DefaultKeyHash(key)
	if err != nil {
		t.Fatal(err)
	}
	kg := keygroup.ForHash(h, statetest.MaxParallelism)
	return c.subs[keygroup.Operator(kg, statetest.MaxParallelism, c.par)]
}

func (c *cluster) feed(t *testing.T, steps []step) {
	t.Helper()
	for _, s := range steps {
		var err error
		switch s.kind {
		case 'e':
			err = c.owner(t, s.key).Process(types.Record{Key: s.key, Value: s.val, Timestamp: s.ts})
		case 'w':
			c.lastW = s.ts
			for _, op := range c.subs {
				if err = op.ProcessWatermark(s.ts); err != nil {
					break
				}
			}
		case 'p':
			c.clock.Set(s.ts)
			for _, op := range c.subs {
				if err = op.Tick(); err != nil {
					break
				}
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// output is everything the subtasks emitted but watermarks, sorted (the
// subtasks' outputs interleave in any order downstream).
func (c *cluster) output() []string {
	var out []string
	for _, r := range c.outs {
		for _, l := range r.log {
			if !strings.HasPrefix(l, "watermark") {
				out = append(out, l)
			}
		}
	}
	sort.Strings(out)
	return out
}

// clusterSnapshot is what every subtask snapshotted: key groups, or the
// files of incremental Pebble checkpoints (resolved to their paths).
type clusterSnapshot struct {
	kgs   map[int][]byte
	files []checkpoint.BackendFiles
}

func (c *cluster) snapshot(t *testing.T) clusterSnapshot {
	t.Helper()
	all := map[int][]byte{}
	var files []checkpoint.BackendFiles
	for i, op := range c.subs {
		if err := op.PrepareSnapshot(1); err != nil {
			t.Fatal(err)
		}
		snap := &runtime.OperatorSnapshot{}
		if err := op.SnapshotState(1, snap); err != nil {
			t.Fatal(err)
		}
		if err := snap.Finish(); err != nil { // the deferred part (Pebble views)
			t.Fatal(err)
		}
		if len(snap.Items) != 0 {
			t.Fatalf("the window operator wrote %d list items; its state is keyed", len(snap.Items))
		}
		r := op.backend.KeyGroupRange()
		if lf := snap.Files; lf != nil {
			t.Cleanup(func() { os.RemoveAll(lf.Dir) })
			ents, err := os.ReadDir(lf.Dir)
			if err != nil {
				t.Fatal(err)
			}
			h := lf.Handle
			for _, e := range ents {
				h.Files = append(h.Files, checkpoint.StoredFile{Local: e.Name(), Name: filepath.Join(lf.Dir, e.Name())})
			}
			if h.Start != r.Start || h.End != r.End {
				t.Fatalf("subtask %d's files cover %d..%d, its range is %d..%d", i, h.Start, h.End, r.Start, r.End)
			}
			files = append(files, h)
		}
		for kg, d := range snap.KeyGroups {
			if !r.Contains(kg) {
				t.Fatalf("subtask %d snapshots key group %d outside %d..%d", i, kg, r.Start, r.End)
			}
			all[kg] = d
		}
	}
	return clusterSnapshot{kgs: all, files: files}
}

// restore gives every subtask the key groups of its range, as the runtime
// does, and then the last watermark before the snapshot, as the sources'
// watermarks would bring it again (the operator does not keep it).
func (c *cluster) restore(t *testing.T, snap clusterSnapshot, lastW int64) {
	t.Helper()
	for _, op := range c.subs {
		r := op.backend.KeyGroupRange()
		st := &runtime.RestoredState{CheckpointID: 1, KeyGroups: map[int][]byte{}}
		for kg, d := range snap.kgs {
			if r.Contains(kg) {
				st.KeyGroups[kg] = d
			}
		}
		for _, f := range snap.files {
			if f.Overlaps(r.Start, r.End) {
				st.Files = append(st.Files, f)
			}
		}
		if err := op.RestoreState(st); err != nil {
			t.Fatal(err)
		}
	}
	if lastW != math.MinInt64 {
		c.feed(t, []step{{kind: 'w', ts: lastW}})
	}
}

// TestWindowRestore runs window operators of every kind (time windows in
// both domains, sliding, sessions that merge, count windows, a continuous
// trigger with lateness and late side output) over one workload, snapshots
// midway, restores into fresh operators at the same and other parallelisms,
// on the same and the other backend, and requires the output of the
// uninterrupted run.
func TestWindowRestore(t *testing.T) {
	must := func(a Assigner, err error) Assigner {
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	cases := []struct {
		name string
		spec func() Spec
	}{
		{"tumbling", func() Spec {
			return Spec{Assigner: must(TumblingEventTime(100, 0)), Function: testFunction("count"), LateTag: "late"}
		}},
		{"sliding-lateness", func() Spec {
			return Spec{Assigner: must(SlidingEventTime(100, 40, 0)), Function: testFunction("list"), AllowedLateness: 50}
		}},
		{"session", func() Spec {
			return Spec{Assigner: must(EventTimeSession(30)), Function: testFunction("concat"), LateTag: "late"}
		}},
		{"count", func() Spec {
			return Spec{Assigner: must(CountTumbling(3)), Function: testFunction("agg-count")}
		}},
		{"fields-session", func() Spec {
			return Spec{Assigner: must(EventTimeSession(30)), Function: testFunction("fields"), LateTag: "late"}
		}},
		{"fields-lateness", func() Spec {
			return Spec{Assigner: must(SlidingEventTime(100, 40, 0)), Function: testFunction("fields"), AllowedLateness: 50}
		}},
		{"fields-count", func() Spec {
			return Spec{Assigner: must(CountTumbling(4)), Function: testFunction("fields")}
		}},
		{"processing", func() Spec {
			return Spec{Assigner: must(TumblingProcessingTime(100, 0)), Function: testFunction("count")}
		}},
		{"continuous", func() Spec {
			return Spec{Assigner: must(TumblingEventTime(200, 0)), Function: testFunction("list"),
				Trigger: ContinuousEventTimeTrigger(70), AllowedLateness: 40, LateTag: "late"}
		}},
	}
	steps := workload(500)
	cut := 0
	for i, s := range steps {
		// Snapshot a few elements after the watermark that follows element 250.
		if s.kind == 'w' && i > 260 {
			cut = i + 4
			break
		}
	}
	for _, tc := range cases {
		full := newCluster(t, tc.spec, "hashmap", 1, statetest.NewManualClock(0))
		full.feed(t, steps)
		want := full.output()
		if len(want) < 50 {
			t.Fatalf("%s: the uninterrupted run emitted only %d results", tc.name, len(want))
		}
		for _, sc := range []struct {
			from, to       string
			oldPar, newPar int
		}{
			{"hashmap", "hashmap", 1, 1}, {"pebble", "pebble", 2, 2}, {"hashmap", "pebble", 1, 3},
			{"pebble", "hashmap", 2, 3}, {"hashmap", "hashmap", 3, 2},
			{"pebble-incremental", "pebble-incremental", 2, 2}, {"pebble-incremental", "pebble-incremental", 2, 3},
		} {
			t.Run(fmt.Sprintf("%s/%s-p%d-to-%s-p%d", tc.name, sc.from, sc.oldPar, sc.to, sc.newPar), func(t *testing.T) {
				clock := statetest.NewManualClock(0)
				old := newCluster(t, tc.spec, sc.from, sc.oldPar, clock)
				old.feed(t, steps[:cut])
				snap := old.snapshot(t)
				before := old.output()
				at := clock.Now().UnixMilli()
				old.feed(t, steps[cut:cut+15]) // lost with the failure

				restored := newCluster(t, tc.spec, sc.to, sc.newPar, statetest.NewManualClock(at))
				restored.restore(t, snap, old.lastW)
				restored.feed(t, steps[cut:])
				got := append(before, restored.output()...)
				sort.Strings(got)
				diffLines(t, got, want)
			})
		}
	}
}

func diffLines(t *testing.T, got, want []string) {
	t.Helper()
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			t.Fatalf("output differs from the uninterrupted run at line %d of %d:\n got %s\nwant %s", i, len(want), got[i], want[i])
		}
	}
	if len(got) != len(want) {
		t.Fatalf("output has %d lines, the uninterrupted run %d", len(got), len(want))
	}
}

// TestWindowPrepareSnapshotFlushes: a function holding fired windows it has
// not evaluated (as a Python window function batches them) emits them
// before the snapshot.
func TestWindowPrepareSnapshotFlushes(t *testing.T) {
	fn := &deferring{Function: testFunction("count")()}
	spec := Spec{Assigner: countAssigner(t), Function: func() Function { return fn }}
	h, err := newHarness(t, spec, "hashmap", statetest.NewManualClock(0))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"a", "a"} {
		if err := h.op.Process(types.Record{Key: "k", Value: v, Timestamp: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if len(h.out.log) != 0 {
		t.Fatalf("output before the snapshot: %q", h.out.log)
	}
	if err := h.op.PrepareSnapshot(1); err != nil {
		t.Fatal(err)
	}
	if got := h.out.take(); got != "emit (k,CountWindow(id=0),2) @MAX\n" {
		t.Fatalf("output at the snapshot: %q", got)
	}
}

func countAssigner(t *testing.T) Assigner {
	a, err := CountTumbling(2)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// deferring holds Emit calls until Flush, with the results computed at
// Emit time.
type deferring struct {
	Function
	held []func(Collector) error
}

type capture struct{ vals []any }

func (c *capture) Collect(v any, ts int64) error { c.vals = append(c.vals, v); return nil }

func (d *deferring) Emit(key any, w Window, ns []byte, out Collector) error {
	c := &capture{}
	if err := d.Function.Emit(key, w, ns, c); err != nil {
		return err
	}
	ts := w.MaxTimestamp()
	d.held = append(d.held, func(out Collector) error {
		for _, v := range c.vals {
			if err := out.Collect(v, ts); err != nil {
				return err
			}
		}
		return nil
	})
	return nil
}

func (d *deferring) Flush(out Collector) error {
	for _, f := range d.held {
		if err := f(out); err != nil {
			return err
		}
	}
	d.held = nil
	return d.Function.Flush(out)
}
