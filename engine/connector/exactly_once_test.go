package connector_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/checkpoint/store"
	"github.com/pyflink-go/pyflink-go/engine/connector/filesink"
	"github.com/pyflink-go/pyflink-go/engine/connector/filesource"
	"github.com/pyflink-go/pyflink-go/engine/connector/numseq"
	"github.com/pyflink-go/pyflink-go/engine/graph"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// failures says after how many records each attempt fails; shared by the
// subtasks of all attempts.
// The first attempt also waits for a committed part file under out, the
// sign that a checkpoint has completed, so that the restart restores from
// one.
type failures struct {
	mu    sync.Mutex
	after map[int]int // attempt → records it passes before failing
	seen  map[int]int // attempt → records passed
	out   string
}

func newFailures(out string, after map[int]int) *failures {
	return &failures{after: after, seen: map[int]int{}, out: out}
}

// anyCommitted reports whether a visible part file exists under dir.
func anyCommitted(dir string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			return true
		}
	}
	return false
}

// paceAndFail renders records as strings, fails an attempt once it has
// passed its number of records, and sleeps now and then so that the sources
// stay behind and checkpoints fall in the middle of the input (pacing only:
// the assertions do not depend on timing).
type paceAndFail struct {
	ctx *rt.Context
	out rt.Output
	f   *failures
}

func (p *paceAndFail) Open(ctx *rt.Context, out rt.Output) error { p.ctx, p.out = ctx, out; return nil }
func (p *paceAndFail) Process(r types.Record) error {
	a := p.ctx.Attempt
	p.f.mu.Lock()
	p.f.seen[a]++
	seen := p.f.seen[a]
	limit, fails := p.f.after[a]
	p.f.mu.Unlock()
	if fails && seen > limit && (a > 0 || anyCommitted(p.f.out)) {
		return fmt.Errorf("injected failure after %d records of attempt %d", limit, a)
	}
	if seen%50 == 0 {
		time.Sleep(time.Millisecond)
	}
	return p.out.Emit(types.NewRecord(fmt.Sprint(r.Value)))
}
func (p *paceAndFail) Tick() error     { return nil }
func (p *paceAndFail) EndInput() error { return nil }
func (p *paceAndFail) Close() error    { return nil }

type opSpec func() rt.Operator

func (f opSpec) NewOperator(*rt.Context) (rt.Operator, error) { return f(), nil }

// runJob runs source (parallelism sp) → pace-and-fail → FileSink
// (parallelism kp, rebalanced) with checkpoints every 10 ms and one restart
// per injected failure.
func runJob(t *testing.T, source rt.SourceSpec, sp, kp int, f *failures, out string) *rt.Job {
	t.Helper()
	nodes := []*graph.Node{
		{ID: 0, Name: "Source", Kind: graph.Source, Parallelism: sp, Spec: source},
		{ID: 1, Name: "PaceAndFail", Parallelism: sp, Inputs: []graph.Edge{{From: 0, Partition: graph.Forward}},
			Spec: opSpec(func() rt.Operator { return &paceAndFail{f: f} })},
		{ID: 2, Name: "FileSink", Kind: graph.Sink, Parallelism: kp, Inputs: []graph.Edge{{From: 1, Partition: graph.Rebalance}},
			Spec: &filesink.Spec{BasePath: out, BucketAssigner: "base_path", Legacy: true}},
	}
	for _, nd := range nodes {
		nd.MaxParallelism = keygroup.DefaultMaxParallelism
	}
	g, err := graph.Build(nodes, graph.Options{Chaining: true})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.TempDir(), store.Options{NumRetained: 2, Retention: store.RetainOnCancellation})
	if err != nil {
		t.Fatal(err)
	}
	restarter, err := checkpoint.NewRestarter(checkpoint.RestartConfig{Kind: checkpoint.FixedDelay, Attempts: len(f.after), Delay: 0}, 1)
	if err != nil {
		t.Fatal(err)
	}
	var restoredFrom []int64
	job := &rt.Job{Graph: g, Env: &rt.Env{JobName: "exactly once", Mode: "STREAMING"},
		Checkpoints: &rt.CheckpointSetup{Config: checkpoint.DefaultConfig(10), Store: st, JobID: "test"},
		Restart:     restarter,
		OnRestart:   func(_ int, _ error, id int64) { restoredFrom = append(restoredFrom, id) },
	}
	if err := job.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Every attempt fails unless it runs out of input first (a later
	// attempt may start from a checkpoint near the end).
	if job.Restarts() < 1 {
		t.Fatalf("%d restarts, want at least 1", job.Restarts())
	}
	if !slices.ContainsFunc(restoredFrom, func(id int64) bool { return id > 0 }) {
		t.Fatalf("no restart restored from a checkpoint (restored from %v)", restoredFrom)
	}
	return job
}

// committed returns the lines of the visible part files under dir.
func committed(t *testing.T, dir string) []string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		lines = append(lines, strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	return lines
}

// TestNumberSequenceToFileSinkAcrossFailures: the committed output of a job
// that fails three times equals its input, every number once.
func TestNumberSequenceToFileSinkAcrossFailures(t *testing.T) {
	const n = 20000
	var want []string
	for i := 1; i <= n; i++ {
		want = append(want, strconv.Itoa(i))
	}
	slices.Sort(want)
	for _, par := range [][2]int{{1, 1}, {2, 3}, {3, 2}} {
		t.Run(fmt.Sprintf("source%d-sink%d", par[0], par[1]), func(t *testing.T) {
			out := t.TempDir()
			f := newFailures(out, map[int]int{0: 4000, 1: 3000, 2: 2000})
			runJob(t, &numseq.Spec{From: 1, To: n}, par[0], par[1], f, out)
			if got := committed(t, out); !slices.Equal(got, want) {
				t.Fatalf("committed %d lines, want %d", len(got), len(want))
			}
		})
	}
}

// TestFileSourceToFileSinkAcrossFailures: as above, reading files.
func TestFileSourceToFileSinkAcrossFailures(t *testing.T) {
	in := t.TempDir()
	var want []string
	for k := 0; k < 4; k++ {
		var b strings.Builder
		for i := 0; i < 5000; i++ {
			line := fmt.Sprintf("f%d-%d", k, i)
			b.WriteString(line + "\n")
			want = append(want, line)
		}
		if err := os.WriteFile(filepath.Join(in, fmt.Sprintf("f%d.txt", k)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(want)
	for _, par := range [][2]int{{1, 2}, {2, 2}} {
		t.Run(fmt.Sprintf("source%d-sink%d", par[0], par[1]), func(t *testing.T) {
			out := t.TempDir()
			f := newFailures(out, map[int]int{0: 4000, 1: 3000, 2: 2000})
			runJob(t, &filesource.Spec{Paths: []string{in}}, par[0], par[1], f, out)
			if got := committed(t, out); !slices.Equal(got, want) {
				t.Fatalf("committed %d lines, want %d", len(got), len(want))
			}
		})
	}
}
