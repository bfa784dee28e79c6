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

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
	"github.com/pyflink-go/pyflink-go/udf"
)

// broadcastWorker stands in for a worker running a broadcast process
// function: a row "name:k=v" of input 1 puts k=v into broadcast state name,
// a row "k" of input 0 emits "k->v" with v from state "rules" ("k->?" when
// absent). Like a worker, it knows only what it saw and what the engine
// installed (Batch.Broadcast), and answers a Snapshot batch with its states.
type broadcastWorker struct {
	mu      sync.Mutex
	batches []*udf.Batch
	states  map[string]map[string]int64
	results chan *udf.Result
}

func (w *broadcastWorker) Open(ctx context.Context, spec udf.ChainSpec) (udf.Stream, error) {
	w.states = map[string]map[string]int64{}
	w.results = make(chan *udf.Result, 16)
	return w, nil
}

func (w *broadcastWorker) Results() <-chan *udf.Result { return w.results }

func (w *broadcastWorker) Close() error {
	close(w.results)
	return nil
}

func (w *broadcastWorker) Submit(b *udf.Batch) error {
	w.mu.Lock()
	w.batches = append(w.batches, b)
	w.mu.Unlock()
	for _, s := range b.Broadcast {
		v, err := value.Decode(s.Value)
		if err != nil {
			return err
		}
		m := map[string]int64{}
		for i, k := range v.(*value.Map).Keys {
			m[k.(string)] = v.(*value.Map).Values[i].(int64)
		}
		w.states[s.Name] = m
	}
	res := &udf.Result{}
	for _, r := range b.Rows {
		v := string(r.Value)
		if r.Input == 1 {
			name, kv, _ := strings.Cut(v, ":")
			k, n, _ := strings.Cut(kv, "=")
			if w.states[name] == nil {
				w.states[name] = map[string]int64{}
			}
			w.states[name][k], _ = strconv.ParseInt(n, 10, 64)
			continue
		}
		out := v + "->?"
		if n, ok := w.states["rules"][v]; ok {
			out = fmt.Sprintf("%s->%d", v, n)
		}
		res.Rows = append(res.Rows, udf.Row{Value: value.Raw(out), Timestamp: udf.NoTimestamp})
	}
	if b.Snapshot {
		res.Broadcast = []udf.BroadcastState{}
		names := make([]string, 0, len(w.states))
		for name := range w.states {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			m := &value.Map{}
			keys := make([]string, 0, len(w.states[name]))
			for k := range w.states[name] {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				m.Keys, m.Values = append(m.Keys, k), append(m.Values, w.states[name][k])
			}
			enc, err := value.Encode(m)
			if err != nil {
				return err
			}
			res.Broadcast = append(res.Broadcast, udf.BroadcastState{Name: name, Value: enc})
		}
	}
	w.results <- res
	return nil
}

// installs lists, per batch sent, the broadcast states it installed.
func (w *broadcastWorker) installs() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, b := range w.batches {
		var names []string
		for _, s := range b.Broadcast {
			names = append(names, s.Name)
		}
		out = append(out, strings.Join(names, ","))
	}
	return out
}

type broadcastHarness struct {
	op     *chainOp
	worker *broadcastWorker
	out    *collect
}

func openBroadcast(t *testing.T, fn string) *broadcastHarness {
	t.Helper()
	w := &broadcastWorker{}
	env := &rt.Env{JobName: "test", Mode: "STREAMING", Clock: fixedClock{time.UnixMilli(0)}, Services: map[string]any{ServiceName: w}}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	rc := rt.NewStandaloneContext(ctx, env, 0, 1, 128)
	spec := &Spec{Func: fn, Name: "rules"}
	op, err := spec.Fuse(rc, []any{spec}, []string{"rules"})
	if err != nil {
		t.Fatal(err)
	}
	h := &broadcastHarness{op: op.(*chainOp), worker: w, out: &collect{}}
	if err := h.op.Open(rc, h.out); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.op.Close() })
	return h
}

// feed sends "1|name:k=v" to input 1 and "k" to input 0.
func (h *broadcastHarness) feed(t *testing.T, rows ...string) {
	t.Helper()
	for _, r := range rows {
		input := 0
		if rest, ok := strings.CutPrefix(r, "1|"); ok {
			input, r = 1, rest
		}
		if err := h.op.ProcessInput(input, types.Record{Value: value.Raw(r), Timestamp: types.NoTimestamp}); err != nil {
			t.Fatal(err)
		}
	}
}

func (h *broadcastHarness) snapshot(t *testing.T, id int64) *rt.OperatorSnapshot {
	t.Helper()
	if err := h.op.PrepareSnapshot(id); err != nil {
		t.Fatal(err)
	}
	snap := &rt.OperatorSnapshot{}
	if err := h.op.SnapshotState(id, snap); err != nil {
		t.Fatal(err)
	}
	if err := snap.Finish(); err != nil {
		t.Fatal(err)
	}
	return snap
}

// decodedBroadcast renders a snapshot's broadcast states as name{k=v,...}.
func decodedBroadcast(t *testing.T, snap *rt.OperatorSnapshot) []string {
	t.Helper()
	var out []string
	for name, data := range snap.Broadcast {
		if data[0] != pyBroadcastVersion {
			t.Fatalf("state %s: version %d", name, data[0])
		}
		v, err := value.Decode(data[1:])
		if err != nil {
			t.Fatal(err)
		}
		m := v.(*value.Map)
		var kvs []string
		for i, k := range m.Keys {
			kvs = append(kvs, fmt.Sprintf("%v=%v", k, m.Values[i]))
		}
		out = append(out, name+"{"+strings.Join(kvs, ",")+"}")
	}
	sort.Strings(out)
	return out
}

// TestBroadcastStateSnapshotAndRestore: a checkpoint copies the worker's
// broadcast states after every record before the barrier, and a restored
// operator installs them with its first batch only, so records after the
// restore read rules that arrived before it.
func TestBroadcastStateSnapshotAndRestore(t *testing.T) {
	for _, fn := range []string{"broadcast_process", "keyed_broadcast_process"} {
		t.Run(fn, func(t *testing.T) {
			h := openBroadcast(t, fn)
			h.feed(t, "1|rules:a=1", "1|rules:b=2", "1|other:x=9", "a", "c")
			snap := h.snapshot(t, 1)
			eq(t, "output before the barrier", h.out.out, []string{"a->1", "c->?"})
			eq(t, "broadcast state", decodedBroadcast(t, snap), []string{"other{x=9}", "rules{a=1,b=2}"})
			if len(snap.KeyGroups) != 0 || len(snap.Items) != 0 {
				t.Fatalf("snapshot holds %d key groups and %d items besides broadcast state", len(snap.KeyGroups), len(snap.Items))
			}
			// Lost with the failure.
			h.feed(t, "1|rules:b=5")

			r := openBroadcast(t, fn)
			if err := r.op.RestoreState(&rt.RestoredState{CheckpointID: 1, Broadcast: snap.Broadcast}); err != nil {
				t.Fatal(err)
			}
			r.feed(t, "b", "a")
			again := r.snapshot(t, 2)
			eq(t, "output after restore", r.out.out, []string{"b->2", "a->1"})
			eq(t, "installs per batch", r.worker.installs(), []string{"other,rules", ""})
			eq(t, "broadcast state of the next checkpoint", decodedBroadcast(t, again), []string{"other{x=9}", "rules{a=1,b=2}"})
		})
	}
}

// TestBroadcastSnapshotBeforeAnyRecord: a checkpoint right after a restore
// (no record yet) still holds the restored copy; one of an operator that
// never saw a broadcast element holds no broadcast state.
func TestBroadcastSnapshotBeforeAnyRecord(t *testing.T) {
	h := openBroadcast(t, "broadcast_process")
	if snap := h.snapshot(t, 1); !snap.Empty() {
		t.Fatalf("an operator without broadcast elements snapshots %v", snap.Broadcast)
	}
	h.feed(t, "1|rules:a=1")
	snap := h.snapshot(t, 2)

	r := openBroadcast(t, "broadcast_process")
	if err := r.op.RestoreState(&rt.RestoredState{CheckpointID: 2, Broadcast: snap.Broadcast}); err != nil {
		t.Fatal(err)
	}
	eq(t, "checkpoint before any record", decodedBroadcast(t, r.snapshot(t, 3)), []string{"rules{a=1}"})
	r.feed(t, "a")
	r.snapshot(t, 4)
	eq(t, "output", r.out.out, []string{"a->1"})
	eq(t, "installs per batch", r.worker.installs(), []string{"rules", "", ""})
}

// TestBroadcastRestoreErrors: a blob of another format, or broadcast state
// for an operator that has none, is an error naming the operator.
func TestBroadcastRestoreErrors(t *testing.T) {
	cases := []struct {
		fn   string
		data []byte
		want string
	}{
		{"broadcast_process", []byte{9, 0x80}, "unknown format"},
		{"broadcast_process", []byte{pyBroadcastVersion, 0x01}, "is not a map"},
		{"broadcast_process", []byte{pyBroadcastVersion}, "unknown format"},
		{"map", []byte{pyBroadcastVersion, 0x80}, "not a broadcast process function"},
	}
	for _, c := range cases {
		h := openBroadcast(t, c.fn)
		err := h.op.RestoreState(&rt.RestoredState{CheckpointID: 4, Broadcast: map[string][]byte{"rules": c.data}})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "Python operator rules") {
			t.Errorf("%s %x: error %v, want one naming the operator and saying %q", c.fn, c.data, err, c.want)
		}
	}
}
