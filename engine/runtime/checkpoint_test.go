package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/checkpoint/store"
	"github.com/pyflink-go/pyflink-go/engine/graph"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// seqSource emits 1..n, slowly enough for checkpoints to happen midway; its
// position is the next value.
type seqSource struct {
	n     int64
	pause time.Duration
}

func (s seqSource) NewSource(*runtime.Context) (runtime.Source, error) {
	return &seqRun{n: s.n, pause: s.pause, next: 1}, nil
}

type seqRun struct {
	n, next  int64
	pause    time.Duration
	ctx      *runtime.Context
	out      runtime.Output
	restored bool
}

func (r *seqRun) Open(ctx *runtime.Context, out runtime.Output) error {
	r.ctx, r.out = ctx, out
	return nil
}
func (r *seqRun) Close() error { return nil }
func (r *seqRun) Run() error {
	for ; r.next <= r.n; r.next++ {
		if err := r.out.Emit(types.NewRecord(r.next)); err != nil {
			return err
		}
		if r.next%16 == 0 {
			r.next++ // the position counts what was emitted
			err := r.ctx.Tick()
			r.next--
			if err != nil {
				return err
			}
			time.Sleep(r.pause)
		}
	}
	return nil
}
func (r *seqRun) SnapshotState(_ int64, snap *runtime.OperatorSnapshot) error {
	snap.AddItem([]byte(strconv.FormatInt(r.next, 10)))
	return nil
}
func (r *seqRun) RestoreState(st *runtime.RestoredState) error {
	r.next = r.n + 1 // a finished source has no items: it emits nothing
	for _, it := range st.Items {
		n, err := strconv.ParseInt(string(it), 10, 64)
		if err != nil {
			return err
		}
		r.next = n
	}
	return nil
}

// sumOp keeps a running sum per key (v % 7) in memory and emits "key:sum".
type sumOp struct {
	ctx  *runtime.Context
	out  runtime.Output
	sums map[int64]int64
}

func (o *sumOp) Open(ctx *runtime.Context, out runtime.Output) error {
	o.ctx, o.out, o.sums = ctx, out, map[int64]int64{}
	return nil
}
func (o *sumOp) Process(r types.Record) error {
	k := r.Key.(int64)
	o.sums[k] += r.Value.(int64)
	return o.out.Emit(types.NewRecord(fmt.Sprintf("%d:%d", k, o.sums[k])))
}
func (o *sumOp) Tick() error     { return nil }
func (o *sumOp) EndInput() error { return nil }
func (o *sumOp) Close() error    { return nil }
func (o *sumOp) SnapshotState(_ int64, snap *runtime.OperatorSnapshot) error {
	byGroup := map[int]map[int64]int64{}
	for k, v := range o.sums {
		h, _ := keygroup.GoHash(k)
		kg := keygroup.ForHash(h, o.ctx.MaxParallelism)
		if byGroup[kg] == nil {
			byGroup[kg] = map[int64]int64{}
		}
		byGroup[kg][k] = v
	}
	for kg, m := range byGroup {
		data, _ := json.Marshal(m)
		snap.PutKeyGroup(kg, data)
	}
	return nil
}
func (o *sumOp) RestoreState(st *runtime.RestoredState) error {
	for _, data := range st.KeyGroups {
		var m map[int64]int64
		if err := json.Unmarshal(data, &m); err != nil {
			return err
		}
		for k, v := range m {
			o.sums[k] = v
		}
	}
	return nil
}

// failer fails attempt a when it sees value failAt[a].
type failer struct {
	ctx    *runtime.Context
	out    runtime.Output
	failAt map[int]int64
}

func (f *failer) Open(ctx *runtime.Context, out runtime.Output) error {
	f.ctx, f.out = ctx, out
	return nil
}
func (f *failer) Process(r types.Record) error {
	if v, ok := f.failAt[f.ctx.Attempt]; ok && r.Value.(int64) == v {
		return fmt.Errorf("injected failure at %d in attempt %d", v, f.ctx.Attempt)
	}
	return f.out.Emit(r)
}
func (f *failer) Tick() error     { return nil }
func (f *failer) EndInput() error { return nil }
func (f *failer) Close() error    { return nil }

// committed is the visible output of a two-phase sink, shared by attempts.
type committed struct {
	mu    sync.Mutex
	lines []string
	txns  map[string]bool
}

func (c *committed) commit(txn string, lines []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.txns[txn] {
		return
	}
	c.txns[txn] = true
	c.lines = append(c.lines, lines...)
}

// txnSink buffers lines per checkpoint and commits them when the checkpoint
// completes (or at end of input).
type txnSink struct {
	ctx     *runtime.Context
	to      *committed
	current []string
	pending map[int64][]string
}

type txn struct {
	ID    int64    `json:"id"`
	Lines []string `json:"lines"`
}

func (s *txnSink) Open(ctx *runtime.Context, _ runtime.Output) error {
	s.ctx, s.pending = ctx, map[int64][]string{}
	return nil
}
func (s *txnSink) Process(r types.Record) error {
	s.current = append(s.current, r.Value.(string))
	return nil
}
func (s *txnSink) Tick() error { return nil }
func (s *txnSink) EndInput() error {
	for pid, lines := range s.pending {
		s.to.commit(s.name(pid), lines)
	}
	s.to.commit(fmt.Sprintf("%d-end-%p", s.ctx.Subtask, s), s.current) // unique per sink instance
	s.current = nil
	return nil
}
func (s *txnSink) Close() error { return nil }
func (s *txnSink) name(id int64) string {
	return fmt.Sprintf("%d-%d", s.ctx.Subtask, id)
}
func (s *txnSink) SnapshotState(id int64, snap *runtime.OperatorSnapshot) error {
	s.pending[id] = s.current
	s.current = nil
	for pid, lines := range s.pending {
		data, _ := json.Marshal(txn{ID: pid, Lines: lines})
		snap.AddItem(data)
	}
	return nil
}
func (s *txnSink) RestoreState(st *runtime.RestoredState) error {
	for _, it := range st.Items {
		var t txn
		if err := json.Unmarshal(it, &t); err != nil {
			return err
		}
		s.to.commit(s.name(t.ID), t.Lines)
	}
	return nil
}
func (s *txnSink) NotifyCheckpointComplete(id int64) error {
	for pid, lines := range s.pending {
		if pid <= id {
			s.to.commit(s.name(pid), lines)
			delete(s.pending, pid)
		}
	}
	return nil
}
func (s *txnSink) NotifyCheckpointAborted(int64) error { return nil }

type opSpec func() runtime.Operator

func (f opSpec) NewOperator(*runtime.Context) (runtime.Operator, error) { return f(), nil }

// countingJob is source → failer → key by (v % 7) → sum (parallelism p) → 2PC sink.
func countingJob(n int64, p int, failAt map[int]int64, out *committed) *graph.JobGraph {
	return sumJob(n, 7, p, failAt, out, func() runtime.Operator { return &sumOp{} })
}

// sumJob is source → failer → key by (v % keys) → the operator newSum
// makes (parallelism p) → 2PC sink.
func sumJob(n, keys int64, p int, failAt map[int]int64, out *committed, newSum func() runtime.Operator) *graph.JobGraph {
	nodes := []*graph.Node{
		{ID: 0, Name: "Source: Seq", Kind: graph.Source, Parallelism: 1, Spec: seqSource{n: n, pause: 50 * time.Microsecond}},
		{ID: 1, Name: "Failer", Parallelism: 1, Inputs: []graph.Edge{{From: 0, Partition: graph.Forward}},
			Spec: opSpec(func() runtime.Operator { return &failer{failAt: failAt} })},
		{ID: 2, Name: "KeyBy", Parallelism: 1, Inputs: []graph.Edge{{From: 1, Partition: graph.Forward}},
			Spec: opSpec(func() runtime.Operator {
				return runtime.AsOperator(func(r types.Record, o runtime.Output) error {
					r.Key = r.Value.(int64) % keys
					return o.Emit(r)
				})
			})},
		{ID: 3, Name: "Sum", Parallelism: p, Inputs: []graph.Edge{{From: 2, Partition: graph.Hash}},
			Spec: opSpec(newSum)},
		{ID: 4, Name: "Sink", Kind: graph.Sink, Parallelism: 1, Inputs: []graph.Edge{{From: 3, Partition: graph.Rebalance}},
			Spec: opSpec(func() runtime.Operator { return &txnSink{to: out} })},
	}
	for _, nd := range nodes {
		nd.MaxParallelism = keygroup.DefaultMaxParallelism
	}
	g, err := graph.Build(nodes, graph.Options{Chaining: true})
	if err != nil {
		panic(err)
	}
	return g
}

func newCommitted() *committed { return &committed{txns: map[string]bool{}} }

func runCounting(t *testing.T, n int64, p int, failAt map[int]int64, mode checkpoint.Mode, dir string, restore *runtime.RestorePoint) (*committed, *runtime.Job, []int64, error) {
	t.Helper()
	out := newCommitted()
	st, err := store.Open(dir, store.Options{NumRetained: 2, Retention: store.RetainOnCancellation})
	if err != nil {
		t.Fatal(err)
	}
	cfg := checkpoint.DefaultConfig(10)
	cfg.Mode = mode
	restarter, err := checkpoint.NewRestarter(checkpoint.RestartConfig{Kind: checkpoint.FixedDelay, Attempts: len(failAt), Delay: 0}, 1)
	if err != nil {
		t.Fatal(err)
	}
	var restoredFrom []int64
	job := &runtime.Job{Graph: countingJob(n, p, failAt, out), Env: &runtime.Env{JobName: "counting", Mode: "STREAMING"},
		Hasher:      func(int) runtime.KeyHasher { return keygroup.GoHash },
		Checkpoints: &runtime.CheckpointSetup{Config: cfg, Store: st, JobID: "test"},
		Restore:     restore,
		Restart:     restarter,
		OnRestart:   func(_ int, _ error, id int64) { restoredFrom = append(restoredFrom, id) },
	}
	err = job.Run(context.Background())
	return out, job, restoredFrom, err
}

func sorted(xs []string) []string {
	ys := slices.Clone(xs)
	slices.Sort(ys)
	return ys
}

// TestExactlyOnceAcrossFailures injects failures in several attempts; the
// committed output equals the failure-free run's, line for line.
func TestExactlyOnceAcrossFailures(t *testing.T) {
	const n = 6000
	clean, _, _, err := runCounting(t, n, 2, nil, checkpoint.ExactlyOnce, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(clean.lines) != n {
		t.Fatalf("failure-free run committed %d lines, want %d", len(clean.lines), n)
	}
	for _, p := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("p%d", p), func(t *testing.T) {
			failAt := map[int]int64{0: 1500, 1: 3000, 2: 3001, 3: 5999}
			got, job, restoredFrom, err := runCounting(t, n, p, failAt, checkpoint.ExactlyOnce, t.TempDir(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if job.Restarts() != len(failAt) {
				t.Errorf("restarts = %d, want %d", job.Restarts(), len(failAt))
			}
			if !slices.ContainsFunc(restoredFrom, func(id int64) bool { return id > 0 }) {
				t.Errorf("no restart restored from a checkpoint (restored from %v)", restoredFrom)
			}
			if g, w := sorted(got.lines), sorted(clean.lines); !slices.Equal(g, w) {
				t.Errorf("committed output differs from the failure-free run: %d lines vs %d", len(g), len(w))
			}
		})
	}
}

// TestRestartsExhausted: a failure beyond the strategy's attempts fails the
// job with the cause.
func TestRestartsExhausted(t *testing.T) {
	failAt := map[int]int64{0: 100, 1: 100}
	out := newCommitted()
	st, _ := store.Open(t.TempDir(), store.Options{})
	restarter, _ := checkpoint.NewRestarter(checkpoint.RestartConfig{Kind: checkpoint.FixedDelay, Attempts: 1}, 1)
	job := &runtime.Job{Graph: countingJob(500, 1, failAt, out), Env: &runtime.Env{JobName: "counting"},
		Hasher:      func(int) runtime.KeyHasher { return keygroup.GoHash },
		Checkpoints: &runtime.CheckpointSetup{Config: checkpoint.DefaultConfig(10), Store: st}, Restart: restarter}
	err := job.Run(context.Background())
	var re *runtime.RestartsExhaustedError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want RestartsExhaustedError", err)
	}
	var te *runtime.TaskError
	if !errors.As(err, &te) || te.Operator != "Failer" && te.Operator != "Source: Seq -> Failer -> KeyBy" {
		t.Errorf("the failure does not name its operator: %v", err)
	}
}

// TestResumeFromRetainedCheckpoint: a job canceled midway keeps its
// checkpoints (RETAIN_ON_CANCELLATION); a new job restored from the latest,
// at another parallelism, completes the output exactly once.
func TestResumeFromRetainedCheckpoint(t *testing.T) {
	for _, p := range []int{2, 3, 1} {
		t.Run(fmt.Sprintf("p2-to-p%d", p), func(t *testing.T) { testResume(t, p) })
	}
}

func testResume(t *testing.T, resumePar int) {
	const n = 6000
	clean, _, _, err := runCounting(t, n, 2, nil, checkpoint.ExactlyOnce, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := newCommitted()
	st, _ := store.Open(dir, store.Options{Retention: store.RetainOnCancellation})
	job := &runtime.Job{Graph: countingJob(n, 2, nil, out), Env: &runtime.Env{JobName: "counting"},
		Hasher:      func(int) runtime.KeyHasher { return keygroup.GoHash },
		Checkpoints: &runtime.CheckpointSetup{Config: checkpoint.DefaultConfig(10), Store: st}}
	done := make(chan error, 1)
	go func() { done <- job.Run(context.Background()) }()
	for {
		ids, _ := st.Completed()
		if len(ids) > 0 {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	job.Cancel()
	if err := <-done; !errors.Is(err, runtime.ErrCanceled) {
		t.Fatalf("cancel: %v", err)
	}
	m, err := st.Latest()
	if err != nil || m == nil {
		t.Fatalf("no retained checkpoint: %v", err)
	}
	rp, err := runtime.LoadRestorePoint(st.Dir(m.ID))
	if err != nil {
		t.Fatal(err)
	}
	st2, _ := store.Open(t.TempDir(), store.Options{})
	job2 := &runtime.Job{Graph: countingJob(n, resumePar, nil, out), Env: &runtime.Env{JobName: "counting"},
		Hasher:      func(int) runtime.KeyHasher { return keygroup.GoHash },
		Checkpoints: &runtime.CheckpointSetup{Config: checkpoint.DefaultConfig(10), Store: st2}, Restore: rp}
	if err := job2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if g, w := sorted(out.lines), sorted(clean.lines); !slices.Equal(g, w) {
		t.Errorf("resumed output differs from the failure-free run: %d lines vs %d", len(g), len(w))
	}
}

// TestAtLeastOnce: without alignment nothing is lost; duplicates are allowed.
func TestAtLeastOnce(t *testing.T) {
	const n = 6000
	clean, _, _, err := runCounting(t, n, 2, nil, checkpoint.AtLeastOnce, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _, _, err := runCounting(t, n, 2, map[int]int64{0: 2500, 1: 4000}, checkpoint.AtLeastOnce, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, l := range got.lines {
		have[l] = true
	}
	for _, l := range clean.lines {
		if !have[l] {
			t.Fatalf("line %q of the failure-free run is missing", l)
		}
	}
}

// TestStopWithSavepointAndResume: stop-with-savepoint ends the job FINISHED
// with part of the output; a job started from the savepoint (at another
// parallelism) produces exactly the rest.
func TestStopWithSavepointAndResume(t *testing.T) {
	const n = 6000
	clean, _, _, err := runCounting(t, n, 2, nil, checkpoint.ExactlyOnce, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := newCommitted()
	st, _ := store.Open(t.TempDir(), store.Options{})
	job := &runtime.Job{Graph: countingJob(n, 2, nil, out), Env: &runtime.Env{JobName: "counting"},
		Hasher:      func(int) runtime.KeyHasher { return keygroup.GoHash },
		Checkpoints: &runtime.CheckpointSetup{Config: checkpoint.DefaultConfig(1_000_000), Store: st}}
	done := make(chan error, 1)
	go func() { done <- job.Run(context.Background()) }()
	time.Sleep(30 * time.Millisecond)
	sp := filepath.Join(t.TempDir(), "savepoint-1")
	res, err := job.Savepoint(context.Background(), sp, true, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("a job stopped with a savepoint ends without error, got %v", err)
	}
	out.mu.Lock()
	first := len(out.lines)
	out.mu.Unlock()
	if first == 0 || first >= n {
		t.Fatalf("the stopped job committed %d of %d lines; the savepoint was not taken midway", first, n)
	}
	if res.Path != sp {
		t.Errorf("savepoint path %q, want %q", res.Path, sp)
	}
	rp, err := runtime.LoadRestorePoint(sp)
	if err != nil {
		t.Fatal(err)
	}
	st2, _ := store.Open(t.TempDir(), store.Options{})
	job2 := &runtime.Job{Graph: countingJob(n, 3, nil, out), Env: &runtime.Env{JobName: "counting"},
		Hasher:      func(int) runtime.KeyHasher { return keygroup.GoHash },
		Checkpoints: &runtime.CheckpointSetup{Config: checkpoint.DefaultConfig(10), Store: st2}, Restore: rp}
	if err := job2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if g, w := sorted(out.lines), sorted(clean.lines); !slices.Equal(g, w) {
		t.Errorf("stopped + resumed output differs from the failure-free run: %d lines vs %d", len(g), len(w))
	}
}

// TestCheckpointStats: completed checkpoints are counted with a duration
// from trigger to durable metadata.
func TestCheckpointStats(t *testing.T) {
	_, job, _, err := runCounting(t, 6000, 2, nil, checkpoint.ExactlyOnce, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cs := job.CheckpointStats()
	if cs.Completed < 1 || cs.LastID < 1 || cs.LastSize < 0 {
		t.Errorf("stats %+v: want completed checkpoints with files", cs)
	}
	if cs.LastDurationMs < 0 || cs.LastDurationMs > 60_000 {
		t.Errorf("last checkpoint took %d ms, not a duration", cs.LastDurationMs)
	}
}

// finalSink commits only through checkpoints, its end of input included
// (a FinalCheckpointer).
type finalSink struct{ txnSink }

func (s *finalSink) EndInput() error            { return nil }
func (s *finalSink) NeedsFinalCheckpoint() bool { return true }

// TestFinalCheckpointCommitsTheEndOfInput: a sink that commits only on
// checkpoint completion gets a final checkpoint after its end of input, even
// with an interval far longer than the job, and the job ends with every
// line committed exactly once.
func TestFinalCheckpointCommitsTheEndOfInput(t *testing.T) {
	const n = 3000
	out := newCommitted()
	g := countingJob(n, 2, nil, out)
	for _, v := range g.Vertices {
		for _, nd := range v.Nodes {
			if nd.Name == "Sink" {
				nd.Spec = opSpec(func() runtime.Operator { return &finalSink{txnSink{to: out}} })
			}
		}
	}
	st, _ := store.Open(t.TempDir(), store.Options{})
	job := &runtime.Job{Graph: g, Env: &runtime.Env{JobName: "final"},
		Hasher:      func(int) runtime.KeyHasher { return keygroup.GoHash },
		Checkpoints: &runtime.CheckpointSetup{Config: checkpoint.DefaultConfig(3_600_000), Store: st}}
	done := make(chan error, 1)
	go func() { done <- job.Run(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		job.Cancel()
		t.Fatal("the job did not end: no final checkpoint was taken")
	}
	if len(out.lines) != n || len(out.txns) == 0 {
		t.Fatalf("committed %d lines in %d transactions, want %d lines", len(out.lines), len(out.txns), n)
	}
	if cs := job.CheckpointStats(); cs.Completed < 1 {
		t.Errorf("no checkpoint completed: %+v", cs)
	}
}
