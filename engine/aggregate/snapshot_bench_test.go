package aggregate

import (
	"context"
	"testing"
	"time"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

type discard struct{}

func (discard) Emit(types.Record) error   { return nil }
func (discard) EmitWatermark(int64) error { return nil }

// BenchmarkSnapshot1MKeys measures one checkpoint of a keyed sum holding a
// million keys: sync-ms/op is the part at the barrier, the rest the part
// after it (encoding every accumulator by key group).
func BenchmarkSnapshot1MKeys(b *testing.B) {
	const keys = 1_000_000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rc := rt.NewStandaloneContext(ctx, &rt.Env{Mode: "STREAMING"}, 0, 1, testMaxPar)
	o, err := (&Spec{Kind: Sum, Pos: 1, KeyHash: bytesHash}).NewOperator(rc)
	if err != nil {
		b.Fatal(err)
	}
	if err := o.Open(rc, discard{}); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < keys; i++ {
		k := value.AppendInt(nil, int64(i))
		if err := o.Process(types.Record{Key: value.Raw(k), Value: value.Tuple{int64(i), int64(1)}}); err != nil {
			b.Fatal(err)
		}
	}
	var sync time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		snap := &rt.OperatorSnapshot{}
		if err := o.(rt.Checkpointed).SnapshotState(int64(i+1), snap); err != nil {
			b.Fatal(err)
		}
		sync += time.Since(t0)
		if err := snap.Finish(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sync.Milliseconds())/float64(b.N), "sync-ms/op")
}
