package stream_test

import (
	"context"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/stream"
)

type event struct {
	User  int64
	Value int64
}

// BenchmarkMapChain measures a source → map → filter → map → sink chain; b.N records.
func BenchmarkMapChain(b *testing.B) {
	for _, p := range []int{1, 2} {
		b.Run(parName(p), func(b *testing.B) {
			env := stream.NewEnvironment(stream.WithParallelism(p))
			src := stream.Generate(env, int64(b.N), func(n int64) event { return event{n % 1000, n} })
			m := stream.Map(src, func(e event) event { e.Value *= 2; return e })
			f := stream.Filter(m, func(e event) bool { return e.Value%3 != 0 })
			out := stream.Map(f, func(e event) int64 { return e.Value })
			stream.Discard(out)
			b.ResetTimer()
			if err := env.Execute(context.Background(), "map chain"); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkKeyedReduce measures source → key by (hash exchange) → rolling reduce → sink over 10k keys.
func BenchmarkKeyedReduce(b *testing.B) {
	for _, p := range []int{1, 2} {
		b.Run(parName(p), func(b *testing.B) {
			env := stream.NewEnvironment(stream.WithParallelism(p))
			src := stream.Generate(env, int64(b.N), func(n int64) event { return event{n % 10000, 1} })
			keyed := stream.KeyBy(src, func(e event) int64 { return e.User })
			sums := stream.Reduce(keyed, func(a, b event) event { a.Value += b.Value; return a })
			stream.Discard(sums)
			b.ResetTimer()
			if err := env.Execute(context.Background(), "keyed reduce"); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

func parName(p int) string { return "p" + string(rune('0'+p)) }
