package aggregate

import (
	"context"
	"os"
	"testing"
	"time"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

type discard struct{}

func (discard) Emit(types.Record) error   { return nil }
func (discard) EmitWatermark(int64) error { return nil }

// BenchmarkSnapshot1MKeys measures one snapshot of a keyed sum holding a
// million keys, 300k of which changed since the snapshot before (the
// updates are not timed): full writes every key by key group (savepoints),
// incremental writes the changed keys to the chain file of a checkpoint
// (the first one, a base of every key, is not timed). sync-ms/op is the
// part at the barrier, the rest the part after it.
func BenchmarkSnapshot1MKeys(b *testing.B) {
	for _, mode := range []string{"full", "incremental"} {
		b.Run(mode, func(b *testing.B) { benchSnapshot(b, mode == "full") })
	}
}

func benchSnapshot(b *testing.B, full bool) {
	const keys, changed = 1_000_000, 300_000
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
	defer o.Close()
	update := func(from, n int) {
		for i := from; i < from+n; i++ {
			k := value.AppendInt(nil, int64(i%keys))
			if err := o.Process(types.Record{Key: value.Raw(k), Value: value.Tuple{int64(i), int64(1)}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	snapshot := func(id int64) time.Duration {
		t0 := time.Now()
		snap := &rt.OperatorSnapshot{Savepoint: full}
		if err := o.(rt.Checkpointed).SnapshotState(id, snap); err != nil {
			b.Fatal(err)
		}
		sync := time.Since(t0)
		if err := snap.Finish(); err != nil {
			b.Fatal(err)
		}
		if snap.Files != nil {
			os.RemoveAll(snap.Files.Dir)
		}
		return sync
	}
	update(0, keys)
	snapshot(0)
	var sync time.Duration
	next := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		update(next, changed)
		next += changed
		b.StartTimer()
		sync += snapshot(int64(i + 1))
	}
	b.ReportMetric(float64(sync.Milliseconds())/float64(b.N), "sync-ms/op")
}
