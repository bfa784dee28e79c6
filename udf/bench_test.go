package udf

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

// benchBatchRows and benchRows are the shape of BenchmarkPythonMap: one million
// small tuples in batches of 1000 through one worker.
const (
	benchBatchRows = 1000
	benchRows      = 1_000_000
)

// BenchmarkPythonMap measures a Python map through the pool (records/s) and,
// side by side, the bare CPython loop of bench_loop.py doing the same work
// without the transport (bare-records/s); pool-vs-bare is their ratio.
// Run with: go test ./udf -run XXX -bench PythonMap -benchtime 1x
func BenchmarkPythonMap(b *testing.B) {
	p, _ := newTestPool(b, 1)
	mapFn := fn(b, "bench_map")
	rows := make([]Row, benchBatchRows)
	for i := range rows {
		rows[i] = Row{Timestamp: NoTimestamp, Value: enc(b, value.Tuple{fmt.Sprintf("user-%06d", i), int64(i), int64(1700000000000 + i)})}
	}
	ctx := context.Background()
	// Warm the worker up (process start, imports) outside the measurement.
	warm, err := p.Open(ctx, ChainSpec{Ops: []OpSpec{op("map", "Map", mapFn, nil)}})
	if err != nil {
		b.Fatal(err)
	}
	run(b, warm, &Batch{Rows: rows})
	warm.Close()

	b.ResetTimer()
	var total time.Duration
	for b.Loop() {
		start := time.Now()
		s, err := p.Open(ctx, ChainSpec{Ops: []OpSpec{op("map", "Map", mapFn, nil)}})
		if err != nil {
			b.Fatal(err)
		}
		batches := benchRows / benchBatchRows
		errc := make(chan error, 1)
		go func() {
			for i := 0; i < batches; i++ {
				if err := s.Submit(&Batch{Rows: rows}); err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
		got := 0
		for i := 0; i < batches; i++ {
			r := <-s.Results()
			if r == nil || r.Err != nil {
				b.Fatalf("batch %d: %v", i, r)
			}
			got += len(r.Rows)
		}
		if err := <-errc; err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		if got != benchRows {
			b.Fatalf("got %d rows", got)
		}
		total += time.Since(start)
	}
	b.StopTimer()
	poolRate := float64(benchRows) * float64(b.N) / total.Seconds()
	b.ReportMetric(poolRate, "records/s")
	bare := bareLoopRate(b)
	b.ReportMetric(bare, "bare-records/s")
	b.ReportMetric(poolRate/bare, "pool-vs-bare")
}

// bareLoopRate runs bench_loop.py and returns its records per second.
func bareLoopRate(b *testing.B) float64 {
	cmd := exec.Command(python(b), filepath.Join(repoRoot(b), "udf", "bench_loop.py"),
		"--rows", fmt.Sprint(benchRows), "--batch", fmt.Sprint(benchBatchRows))
	cmd.Env = workerEnv([]string{filepath.Join(repoRoot(b), "python")})
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("bench_loop.py: %v", err)
	}
	var res struct {
		RecordsPerS float64 `json:"records_per_s"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		b.Fatalf("bench_loop.py output %q: %v", out, err)
	}
	return res.RecordsPerS
}
