package window

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/graph"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// The benchmark workload: a keyed count over 10 s tumbling event-time
// windows. Event time advances 1 ms every 100 records, so a window holds 1M
// records over benchKeys keys.
const (
	benchKeys       = 10_000
	recordsPerMilli = 100
	benchWindow     = 10_000
)

type benchEvent struct {
	Key int64
	TS  int64
}

func benchRecord(n int64) benchEvent { return benchRecordKeys(n, benchKeys) }

func benchRecordKeys(n, keys int64) benchEvent {
	return benchEvent{Key: n % keys, TS: n / recordsPerMilli}
}

func countFunction() func() Function {
	return Aggregate(AggregateFunc[benchEvent, int64, int64]{
		Create: func() int64 { return 0 },
		Add:    func(a int64, _ benchEvent) int64 { return a + 1 },
		Merge:  func(a, b int64) int64 { return a + b },
		Result: func(a int64) int64 { return a },
	})
}

type countingOutput struct{ records, watermarks atomic.Int64 }

func (c *countingOutput) Emit(types.Record) error      { c.records.Add(1); return nil }
func (c *countingOutput) EmitWatermark(wm int64) error { c.watermarks.Add(1); return nil }

// BenchmarkWindowOperator drives one window operator directly (no runtime):
// b.N records, a watermark every 10k records, over 10k keys (state that
// fits the Pebble write cache) and 1M keys (state that spills to Pebble).
func BenchmarkWindowOperator(b *testing.B) {
	for _, keys := range []int64{benchKeys, 1_000_000} {
		for _, backend := range []string{state.HashMap, state.Pebble} {
			b.Run(fmt.Sprintf("%s/keys=%d", backend, keys), func(b *testing.B) { benchOperator(b, backend, keys) })
		}
	}
}

// openBenchOperator opens a window operator with 10 s tumbling event-time
// windows and fn on backend, emitting into a countingOutput; the caller
// closes it.
func openBenchOperator(b *testing.B, backend string, fn func() Function) *Operator {
	b.Helper()
	a, _ := TumblingEventTime(benchWindow, 0)
	spec := Spec{Assigner: a, Function: fn}
	ctx := &runtime.Context{Env: &runtime.Env{Clock: runtime.SystemClock{},
		Config: map[string]string{state.BackendKey: backend}}, Parallelism: 1, MaxParallelism: 128}
	op, err := spec.NewOperator(ctx)
	if err != nil {
		b.Fatal(err)
	}
	out := &countingOutput{}
	if err := op.Open(ctx, out); err != nil {
		b.Fatal(err)
	}
	return op.(*Operator)
}

func benchOperator(b *testing.B, backend string, keys int64) {
	w := openBenchOperator(b, backend, countFunction())
	defer w.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := benchRecordKeys(int64(i), keys)
		if err := w.Process(types.Record{Key: e.Key, Value: e, Timestamp: e.TS}); err != nil {
			b.Fatal(err)
		}
		if i%10_000 == 9_999 {
			if err := w.ProcessWatermark(e.TS - 1); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := w.ProcessWatermark(math.MaxInt64); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// benchSource is a parallel source of benchRecord(n), n % p == subtask.
type benchSource struct{ count int64 }

func (s benchSource) NewSource(*runtime.Context) (runtime.Source, error) {
	return &benchRun{count: s.count}, nil
}

type benchRun struct {
	count int64
	ctx   *runtime.Context
	out   runtime.Output
}

func (r *benchRun) Open(ctx *runtime.Context, out runtime.Output) error {
	r.ctx, r.out = ctx, out
	return nil
}
func (r *benchRun) Close() error { return nil }
func (r *benchRun) Run() error {
	p := int64(r.ctx.Parallelism)
	for n := int64(r.ctx.Subtask); n < r.count; n += p {
		if err := r.out.Emit(types.NewRecord(benchRecord(n))); err != nil {
			return err
		}
		if n&1023 == 0 {
			if err := r.ctx.Tick(); err != nil {
				return err
			}
		}
	}
	return nil
}

// funcSpec makes a fresh operator per subtask.
type funcSpec func() runtime.Operator

func (f funcSpec) NewOperator(*runtime.Context) (runtime.Operator, error) { return f(), nil }

// BenchmarkWindowJob runs the whole job on the runtime: source → timestamps
// and periodic watermarks → key by → (hash exchange) → 10 s tumbling count →
// discard, at parallelism 1 and 2, on each backend.
func BenchmarkWindowJob(b *testing.B) {
	for _, backend := range []string{state.HashMap, state.Pebble} {
		for _, p := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/p%d", backend, p), func(b *testing.B) {
				out := &countingOutput{}
				a, _ := TumblingEventTime(benchWindow, 0)
				g := windowJob(graph.Node{ID: 0, Name: "Source: bench", Kind: graph.Source, Parallelism: p,
					Spec: benchSource{int64(b.N)}}, p,
					func(v any, _ int64) (int64, error) { return v.(benchEvent).TS, nil },
					func(v any) any { return v.(benchEvent).Key },
					Spec{Assigner: a, Function: countFunction()}, out.Emit)
				job := &runtime.Job{Graph: g, Env: &runtime.Env{JobName: "bench", Mode: "STREAMING",
					Config: map[string]string{state.BackendKey: backend}},
					Hasher: func(int) runtime.KeyHasher { return keygroup.GoHash }}
				b.ResetTimer()
				if err := job.Run(context.Background()); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
				if want := expectedWindows(int64(b.N)); out.records.Load() != want {
					b.Fatalf("%d window results, want %d", out.records.Load(), want)
				}
			})
		}
	}
}

// expectedWindows is the number of (key, window) panes n records make.
func expectedWindows(n int64) int64 {
	var total int64
	perWindow := int64(benchWindow * recordsPerMilli)
	for start := int64(0); start < n; start += perWindow {
		total += min(n-start, benchKeys)
	}
	return total
}
