package pyop

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
	"github.com/pyflink-go/pyflink-go/udf"
)

// fakeWorker stands in for a Python worker running a keyed counting
// function: per key it keeps a count in state "cnt" (declared with the
// first result, as a worker declares in open()), emits "key=count" per row,
// and writes every change back. A row "timer:T" registers an event-time
// timer at T; a firing emits "fired key@T cnt=count". Like a worker, it
// knows only the state the engine installed or it computed itself.
type fakeWorker struct {
	mu       sync.Mutex
	batches  []*udf.Batch
	cache    map[string]int
	declared bool
	results  chan *udf.Result
}

func (w *fakeWorker) Open(ctx context.Context, spec udf.ChainSpec) (udf.Stream, error) {
	w.cache = map[string]int{}
	w.results = make(chan *udf.Result, 16)
	return w, nil
}

func (w *fakeWorker) Results() <-chan *udf.Result { return w.results }

func (w *fakeWorker) Close() error {
	close(w.results)
	return nil
}

func keyString(k value.Raw) string {
	v, err := value.Decode(k)
	if err != nil {
		return "?" + err.Error()
	}
	return fmt.Sprint(v)
}

func (w *fakeWorker) Submit(b *udf.Batch) error {
	w.mu.Lock()
	w.batches = append(w.batches, b)
	w.mu.Unlock()
	res := &udf.Result{}
	if !w.declared {
		w.declared = true
		res.States = []udf.StateDecl{{Name: "cnt", Kind: "value", TTL: 3600_000}}
	}
	for _, e := range b.State {
		if e.Name != "cnt" {
			return fmt.Errorf("installed state %q, the function declared only cnt", e.Name)
		}
		n, err := strconv.Atoi(string(e.Value))
		if err != nil {
			return fmt.Errorf("installed count %q: %v", e.Value, err)
		}
		w.cache[string(e.Key)] = n
	}
	changed := map[string]bool{}
	for _, r := range b.Rows {
		v := string(r.Value)
		if ts, ok := strings.CutPrefix(v, "timer:"); ok {
			at, _ := strconv.ParseInt(ts, 10, 64)
			res.TimerOps = append(res.TimerOps, udf.TimerOp{Key: r.Key, Timestamp: at, Domain: udf.EventTime})
			continue
		}
		w.cache[string(r.Key)]++
		changed[string(r.Key)] = true
		res.Rows = append(res.Rows, udf.Row{Value: value.Raw(fmt.Sprintf("%s=%d", keyString(r.Key), w.cache[string(r.Key)])), Timestamp: r.Timestamp})
	}
	for _, t := range b.Timers {
		res.Rows = append(res.Rows, udf.Row{Value: value.Raw(fmt.Sprintf("fired %s@%d cnt=%d", keyString(t.Key), t.Timestamp, w.cache[string(t.Key)])), Timestamp: t.Timestamp})
	}
	keys := make([]string, 0, len(changed))
	for k := range changed {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		res.State = append(res.State, udf.StateEntry{Key: value.Raw(k), Name: "cnt", Value: value.Raw(strconv.Itoa(w.cache[k]))})
	}
	w.results <- res
	return nil
}

// installed lists the state entries the engine installed, over all batches.
func (w *fakeWorker) installed() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, b := range w.batches {
		for _, e := range b.State {
			out = append(out, fmt.Sprintf("%s/%s=%s", keyString(e.Key), e.Name, e.Value))
		}
	}
	sort.Strings(out)
	return out
}

type collect struct{ out []string }

func (c *collect) Emit(r types.Record) error {
	c.out = append(c.out, string(r.Value.(value.Raw)))
	return nil
}
func (c *collect) EmitWatermark(wm int64) error { return nil }

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// harness is one keyed Python operator subtask over a fake worker.
type harness struct {
	op     *chainOp
	worker *fakeWorker
	out    *collect
}

func openKeyed(t *testing.T, subtask, parallelism int, cfg map[string]string) *harness {
	t.Helper()
	w := &fakeWorker{}
	env := &rt.Env{JobName: "test", Mode: "STREAMING", Config: cfg, Clock: fixedClock{time.UnixMilli(1_000_000)},
		Services: map[string]any{ServiceName: w}}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	rc := rt.NewStandaloneContext(ctx, env, subtask, parallelism, 128)
	spec := &Spec{Func: "keyed_process", Name: "count", Keyed: true}
	op, err := spec.Fuse(rc, []any{spec}, []string{"count"})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{op: op.(*chainOp), worker: w, out: &collect{}}
	if err := h.op.Open(rc, h.out); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.op.Close() })
	return h
}

func key(t *testing.T, k string) value.Raw {
	b, err := value.Encode(k)
	if err != nil {
		t.Fatal(err)
	}
	return value.Raw(b)
}

func (h *harness) feed(t *testing.T, keys ...string) {
	t.Helper()
	for _, k := range keys {
		v := "x"
		if name, ts, ok := strings.Cut(k, "@"); ok {
			k, v = name, "timer:"+ts
		}
		if err := h.op.Process(types.Record{Key: key(t, k), Value: value.Raw(v), Timestamp: 1}); err != nil {
			t.Fatal(err)
		}
	}
}

func (h *harness) snapshot(t *testing.T) *rt.OperatorSnapshot {
	t.Helper()
	if err := h.op.PrepareSnapshot(1); err != nil {
		t.Fatal(err)
	}
	snap := &rt.OperatorSnapshot{}
	if err := h.op.SnapshotState(1, snap); err != nil {
		t.Fatal(err)
	}
	if err := snap.Finish(); err != nil { // the deferred part (Pebble views)
		t.Fatal(err)
	}
	return snap
}

// restoredFor is what the runtime hands subtask i of par: the key groups of
// its range.
func restoredFor(snap *rt.OperatorSnapshot, par, i int) *rt.RestoredState {
	r := keygroup.RangeFor(128, par, i)
	st := &rt.RestoredState{CheckpointID: 1, KeyGroups: map[int][]byte{}}
	for kg, data := range snap.KeyGroups {
		if r.Contains(kg) {
			st.KeyGroups[kg] = data
		}
	}
	return st
}

func eq(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestPrepareSnapshotEmitsEverything(t *testing.T) {
	h := openKeyed(t, 0, 1, nil)
	// Fewer records than a bundle: they are still pending in the operator.
	h.feed(t, "a", "b", "a")
	if len(h.out.out) != 0 {
		t.Fatalf("output before the snapshot: %q (the bundle should be pending)", h.out.out)
	}
	h.snapshot(t)
	eq(t, "output at the snapshot", h.out.out, []string{"a=1", "b=1", "a=2"})
}

func TestRestoreInstallsStateOnFirstUse(t *testing.T) {
	for _, backend := range []string{"hashmap", "pebble"} {
		t.Run(backend, func(t *testing.T) {
			cfg := map[string]string{"state.backend.type": backend}
			h := openKeyed(t, 0, 1, cfg)
			h.feed(t, "a", "b", "a", "c", "a", "b@500", "c@700")
			snap := h.snapshot(t)
			if len(snap.KeyGroups) == 0 || len(snap.Items) != 0 {
				t.Fatalf("snapshot has %d key groups and %d items; want key groups only", len(snap.KeyGroups), len(snap.Items))
			}
			// What happens after the checkpoint is lost with the failure.
			h.feed(t, "a", "a")

			r := openKeyed(t, 0, 1, cfg)
			if err := r.op.RestoreState(restoredFor(snap, 1, 0)); err != nil {
				t.Fatal(err)
			}
			r.feed(t, "a", "c")
			if err := r.op.PrepareSnapshot(2); err != nil {
				t.Fatal(err)
			}
			// The first batch carries the restored counts of a and c, before
			// the worker has declared anything in this run.
			if len(r.worker.batches) == 0 {
				t.Fatal("no batch reached the worker")
			}
			eq(t, "installed state", r.worker.installed(), []string{"a/cnt=3", "c/cnt=1"})
			eq(t, "output after restore", r.out.out, []string{"a=4", "c=2"})

			// Restored timers fire with the first watermark past them, and the
			// state of their keys is installed first.
			if err := r.op.ProcessWatermark(1000); err != nil {
				t.Fatal(err)
			}
			eq(t, "output after the watermark", r.out.out, []string{"a=4", "c=2", "fired b@500 cnt=1", "fired c@700 cnt=2"})
			eq(t, "installed state", r.worker.installed(), []string{"a/cnt=3", "b/cnt=1", "c/cnt=1"})
		})
	}
}

// TestRestoreRescaled restores the state of one subtask into three: each
// gets its own keys' counts, declarations in every key group, and nothing
// of the other keys.
func TestRestoreRescaled(t *testing.T) {
	h := openKeyed(t, 0, 1, nil)
	var keys []string
	for i := 0; i < 40; i++ {
		k := "k" + strconv.Itoa(i)
		keys = append(keys, k)
		for j := 0; j <= i%3; j++ {
			h.feed(t, k)
		}
	}
	snap := h.snapshot(t)
	seen := 0
	for i := 0; i < 3; i++ {
		r := openKeyed(t, i, 3, nil)
		st := restoredFor(snap, 3, i)
		if err := r.op.RestoreState(st); err != nil {
			t.Fatal(err)
		}
		rng := keygroup.RangeFor(128, 3, i)
		var mine, want []string
		for j, k := range keys {
			if rng.Contains(keygroup.ForHash(keygroup.BytesHash(key(t, k)), 128)) {
				mine = append(mine, k)
				want = append(want, fmt.Sprintf("%s=%d", k, j%3+2))
			}
		}
		if len(mine) == 0 {
			t.Fatalf("subtask %d of 3 owns none of the keys; pick others", i)
		}
		seen += len(mine)
		r.feed(t, mine...)
		if err := r.op.PrepareSnapshot(2); err != nil {
			t.Fatal(err)
		}
		eq(t, fmt.Sprintf("output of subtask %d of 3", i), r.out.out, want)
		// Nothing else of the old state is in the new subtask.
		again := r.snapshot(t)
		for kg := range again.KeyGroups {
			if !rng.Contains(kg) {
				t.Fatalf("subtask %d of 3 snapshots key group %d outside %d..%d", i, kg, rng.Start, rng.End)
			}
		}
		if len(again.KeyGroups) != len(st.KeyGroups) {
			t.Fatalf("subtask %d of 3 restored %d key groups and snapshots %d", i, len(st.KeyGroups), len(again.KeyGroups))
		}
	}
	if seen != len(keys) {
		t.Fatalf("the subtasks own %d keys, want %d", seen, len(keys))
	}
}

func TestRestoreCorrupt(t *testing.T) {
	h := openKeyed(t, 0, 1, nil)
	h.feed(t, "a")
	snap := h.snapshot(t)
	for kg, data := range snap.KeyGroups {
		for _, bad := range [][]byte{{9}, data[:len(data)-1], data[:3]} {
			r := openKeyed(t, 0, 1, nil)
			err := r.op.RestoreState(&rt.RestoredState{CheckpointID: 7, KeyGroups: map[int][]byte{kg: bad}})
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("key group %d", kg)) || !strings.Contains(err.Error(), "count") {
				t.Fatalf("corrupt blob %q: error %v, want one naming the operator and key group %d", bad, err, kg)
			}
		}
	}
}

func TestNonKeyedHasNoState(t *testing.T) {
	w := &fakeWorker{}
	env := &rt.Env{JobName: "test", Mode: "STREAMING", Clock: fixedClock{time.UnixMilli(0)}, Services: map[string]any{ServiceName: w}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rc := rt.NewStandaloneContext(ctx, env, 0, 1, 128)
	spec := &Spec{Func: "map", Name: "m"}
	op, err := spec.Fuse(rc, []any{spec}, []string{"m"})
	if err != nil {
		t.Fatal(err)
	}
	out := &collect{}
	if err := op.Open(rc, out); err != nil {
		t.Fatal(err)
	}
	defer op.Close()
	if err := op.Process(types.Record{Value: value.Raw("x")}); err != nil {
		t.Fatal(err)
	}
	c := op.(*chainOp)
	if err := c.PrepareSnapshot(1); err != nil {
		t.Fatal(err)
	}
	if len(out.out) != 1 {
		t.Fatalf("output at the snapshot: %q, want one row", out.out)
	}
	snap := &rt.OperatorSnapshot{}
	if err := c.SnapshotState(1, snap); err != nil || !snap.Empty() {
		t.Fatalf("a non-keyed Python operator snapshots %v, %v; want nothing", snap, err)
	}
	if err := c.RestoreState(&rt.RestoredState{KeyGroups: map[int][]byte{3: {1}}}); err == nil {
		t.Fatal("keyed state restored into a non-keyed operator without an error")
	}
}
