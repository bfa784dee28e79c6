package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/checkpoint/store"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// backendSumOp keeps a running sum per key in a state backend's ValueState
// (so with Pebble and incremental checkpoints its snapshots are files) and
// emits "key:sum".
type backendSumOp struct {
	ctx *runtime.Context
	out runtime.Output
	b   state.Backend
	v   state.ValueState
}

func (o *backendSumOp) Open(ctx *runtime.Context, out runtime.Output) error {
	o.ctx, o.out = ctx, out
	b, err := state.Open(ctx.Env.Config, "", keygroup.RangeFor(ctx.MaxParallelism, ctx.Parallelism, ctx.Subtask), ctx.MaxParallelism, ctx.Env.Clock)
	if err != nil {
		return err
	}
	o.b = b
	o.v, err = b.Value(state.Descriptor{Name: "sum"})
	return err
}
func (o *backendSumOp) Process(r types.Record) error {
	k := r.Key.(int64)
	h, _ := keygroup.GoHash(k)
	key := []byte(strconv.FormatInt(k, 10))
	o.b.SetCurrentKey(keygroup.ForHash(h, o.ctx.MaxParallelism), key)
	old, _, err := o.v.Value()
	if err != nil {
		return err
	}
	sum, _ := strconv.ParseInt(string(old), 10, 64)
	sum += r.Value.(int64)
	if err := o.v.Update([]byte(strconv.FormatInt(sum, 10))); err != nil {
		return err
	}
	return o.out.Emit(types.NewRecord(fmt.Sprintf("%d:%d", k, sum)))
}
func (o *backendSumOp) Tick() error     { return nil }
func (o *backendSumOp) EndInput() error { return nil }
func (o *backendSumOp) Close() error    { return o.b.Close() }
func (o *backendSumOp) SnapshotState(id int64, snap *runtime.OperatorSnapshot) error {
	c, err := state.CaptureBackend(o.b)
	if err != nil {
		return err
	}
	return snap.Write(c.Async(), func(snap *runtime.OperatorSnapshot) error { return c.WriteTo(nil, snap) })
}
func (o *backendSumOp) RestoreState(st *runtime.RestoredState) error {
	if err := state.RestoreFiles(o.b, st.Files); err != nil {
		return err
	}
	for _, kg := range st.KeyGroupIDs() {
		if err := state.RestoreKeyGroup(o.b, kg, st.KeyGroups[kg]); err != nil {
			return err
		}
	}
	return nil
}

var incrementalPebble = map[string]string{state.BackendKey: "pebble", state.IncrementalKey: "true",
	state.PebbleMemTableKey: "1mb", state.PebbleBlockCacheKey: "8mb", state.PebbleWriteCacheKey: "1mb"}

func backendJobRun(cfg map[string]string, n int64, p int, failAt map[int]int64, st *store.Store, restore *runtime.RestorePoint, out *committed) *runtime.Job {
	restarter, _ := checkpoint.NewRestarter(checkpoint.RestartConfig{Kind: checkpoint.FixedDelay, Attempts: len(failAt)}, 1)
	return &runtime.Job{Graph: sumJob(n, 500, p, failAt, out, func() runtime.Operator { return &backendSumOp{} }), Env: &runtime.Env{JobName: "sum", Mode: "STREAMING", Config: cfg},
		Hasher:      func(int) runtime.KeyHasher { return keygroup.GoHash },
		Checkpoints: &runtime.CheckpointSetup{Config: checkpoint.DefaultConfig(10), Store: st, JobID: "test"},
		Restore:     restore, Restart: restarter}
}

// checkShared requires every retained checkpoint to load (its shared files
// there) and, once the store is opened again (as after a crash: uploads of
// checkpoints that never completed go), every file of the shared directory
// to be referenced by one.
func checkShared(t *testing.T, st *store.Store) (refs int) {
	t.Helper()
	st, err := store.Open(st.Root(), store.Options{NumRetained: 2})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := st.Completed()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		m, _, err := store.Load(st.Dir(id))
		if err != nil {
			t.Fatalf("retained checkpoint %d: %v", id, err)
		}
		for _, ts := range m.Tasks {
			refs += len(ts.Shared)
		}
	}
	ents, _ := os.ReadDir(st.SharedDir())
	for _, e := range ents {
		if !st.SharedReferenced(e.Name()) {
			t.Errorf("shared file %s is referenced by no retained checkpoint (%v)", e.Name(), ids)
		}
	}
	return refs
}

// checkReportedSize requires the size the job reports for its last
// checkpoint m to be the state m holds: its own files and the shared files
// it references.
func checkReportedSize(t *testing.T, cs runtime.CheckpointStats, m *store.Metadata) {
	t.Helper()
	if cs.LastID != m.ID {
		t.Fatalf("stats describe checkpoint %d, the newest retained is %d", cs.LastID, m.ID)
	}
	var own, shared int64
	for _, ts := range m.Tasks {
		for _, f := range ts.Files {
			own += f.Size
		}
		for _, f := range ts.Shared {
			shared += f.Size
		}
	}
	if shared == 0 || cs.LastSize != own+shared {
		t.Errorf("checkpoint %d: size %d reported, want %d own + %d shared bytes", m.ID, cs.LastSize, own, shared)
	}
}

// TestIncrementalAcrossFailures: with incremental Pebble checkpoints, a job
// failing in several attempts restores from its files and commits exactly
// the output of a failure-free heap run; the shared directory holds only
// files retained checkpoints reference.
func TestIncrementalAcrossFailures(t *testing.T) {
	const n = 6000
	clean := newCommitted()
	st0, _ := store.Open(t.TempDir(), store.Options{})
	if err := backendJobRun(nil, n, 2, nil, st0, nil, clean).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := newCommitted()
	st, err := store.Open(t.TempDir(), store.Options{NumRetained: 2, Retention: store.RetainOnCancellation})
	if err != nil {
		t.Fatal(err)
	}
	job := backendJobRun(incrementalPebble, n, 2, map[int]int64{0: 1500, 1: 3100, 2: 4700}, st, nil, out)
	if err := job.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if g, w := sorted(out.lines), sorted(clean.lines); !slices.Equal(g, w) {
		t.Fatalf("output differs from the failure-free run: %d lines vs %d", len(g), len(w))
	}
	checkShared(t, st)
}

// TestIncrementalResume: a retained incremental checkpoint resumes a new
// job at the same parallelism and at others (2→3, 3→2 through a second
// retained checkpoint), with the failure-free output.
func TestIncrementalResume(t *testing.T) {
	for _, c := range []struct{ from, to int }{{2, 2}, {2, 3}, {3, 2}} {
		t.Run(fmt.Sprintf("p%d-to-p%d", c.from, c.to), func(t *testing.T) {
			const n = 20000 // long enough for two checkpoints
			clean := newCommitted()
			st0, _ := store.Open(t.TempDir(), store.Options{})
			if err := backendJobRun(nil, n, 2, nil, st0, nil, clean).Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			out := newCommitted()
			st, _ := store.Open(t.TempDir(), store.Options{NumRetained: 2, Retention: store.RetainOnCancellation})
			job := backendJobRun(incrementalPebble, n, c.from, nil, st, nil, out)
			done := make(chan error, 1)
			go func() { done <- job.Run(context.Background()) }()
			for {
				// Two completed checkpoints: the second shares files with the first.
				if ids, _ := st.Completed(); len(ids) >= 2 {
					break
				}
				time.Sleep(2 * time.Millisecond)
			}
			job.Cancel()
			if err := <-done; !errors.Is(err, runtime.ErrCanceled) {
				t.Fatalf("cancel: %v", err)
			}
			if checkShared(t, st) == 0 {
				t.Fatal("the retained checkpoints reference no shared file")
			}
			m, err := st.Latest()
			if err != nil || m == nil {
				t.Fatalf("no retained checkpoint: %v", err)
			}
			checkReportedSize(t, job.CheckpointStats(), m)
			rp, err := runtime.LoadRestorePoint(st.Dir(m.ID))
			if err != nil {
				t.Fatal(err)
			}
			st2, _ := store.Open(t.TempDir(), store.Options{})
			if err := backendJobRun(incrementalPebble, n, c.to, nil, st2, rp, out).Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if g, w := sorted(out.lines), sorted(clean.lines); !slices.Equal(g, w) {
				t.Errorf("resumed output differs from the failure-free run: %d lines vs %d", len(g), len(w))
			}
		})
	}
}

// TestIncrementalIntoHeap: a heap job refuses an incremental Pebble
// checkpoint with an error naming the operator's backends.
func TestIncrementalIntoHeap(t *testing.T) {
	out := newCommitted()
	st, _ := store.Open(t.TempDir(), store.Options{Retention: store.RetainOnCancellation})
	job := backendJobRun(incrementalPebble, 1<<40, 2, nil, st, nil, out)
	done := make(chan error, 1)
	go func() { done <- job.Run(context.Background()) }()
	for {
		if ids, _ := st.Completed(); len(ids) >= 1 {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	job.Cancel()
	<-done
	m, _ := st.Latest()
	rp, err := runtime.LoadRestorePoint(st.Dir(m.ID))
	if err != nil {
		t.Fatal(err)
	}
	st2, _ := store.Open(t.TempDir(), store.Options{})
	err = backendJobRun(nil, 100, 2, nil, st2, rp, newCommitted()).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "hashmap") || !strings.Contains(err.Error(), "Sum") {
		t.Fatalf("restoring into heap: %v", err)
	}
}
