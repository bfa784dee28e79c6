package stream_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/stream"
)

type wc struct {
	Word  string
	Count int
}

func wordCount(env *stream.Environment, lines []string) *stream.Results[wc] {
	words := stream.FlatMap(stream.FromSlice(env, lines), func(l string, emit func(string)) {
		for _, w := range strings.Fields(l) {
			emit(w)
		}
	})
	pairs := stream.Map(words, func(w string) wc { return wc{w, 1} })
	keyed := stream.KeyBy(pairs, func(p wc) string { return p.Word })
	sums := stream.Reduce(keyed, func(a, b wc) wc { return wc{a.Word, a.Count + b.Count} })
	return stream.Collect(sums)
}

func final(items []wc) map[string]int {
	m := map[string]int{}
	for _, it := range items {
		if it.Count > m[it.Word] {
			m[it.Word] = it.Count
		}
	}
	return m
}

func TestWordCount(t *testing.T) {
	lines := []string{"to be or not to be", "that is the question", "to be"}
	want := map[string]int{"to": 3, "be": 3, "or": 1, "not": 1, "that": 1, "is": 1, "the": 1, "question": 1}
	for _, tc := range []struct {
		name string
		opts []stream.Option
		// records emitted: rolling in streaming (one per word), one per key in batch
		records int
	}{
		{"streaming p1", []stream.Option{stream.WithParallelism(1)}, 12},
		{"streaming p2", []stream.Option{stream.WithParallelism(2)}, 12},
		{"streaming p3 no chaining", []stream.Option{stream.WithParallelism(3), stream.WithoutChaining()}, 12},
		{"batch p2", []stream.Option{stream.WithParallelism(2), stream.WithBatchMode()}, 8},
		{"tiny buffers", []stream.Option{stream.WithParallelism(2), stream.WithBufferSize(1)}, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := stream.NewEnvironment(tc.opts...)
			res := wordCount(env, lines)
			if err := env.Execute(context.Background(), "wc"); err != nil {
				t.Fatal(err)
			}
			items := res.Items()
			if len(items) != tc.records {
				t.Errorf("got %d records, want %d: %v", len(items), tc.records, items)
			}
			if got := final(items); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("counts = %v, want %v", got, want)
			}
		})
	}
}

func TestRollingSumsPerKey(t *testing.T) {
	type kv struct{ K, Sum int64 }
	env := stream.NewEnvironment(stream.WithParallelism(2))
	src := stream.Generate(env, 10000, func(n int64) kv { return kv{n % 7, n} })
	keyed := stream.KeyBy(src, func(v kv) int64 { return v.K })
	sums := stream.Reduce(keyed, func(a, b kv) kv { return kv{a.K, a.Sum + b.Sum} })
	res := stream.Collect(sums)
	if err := env.Execute(context.Background(), "rolling"); err != nil {
		t.Fatal(err)
	}
	items := res.Items()
	if len(items) != 10000 {
		t.Fatalf("got %d records, want one per input", len(items))
	}
	want := map[int64]int64{}
	for n := int64(0); n < 10000; n++ {
		want[n%7] += n
	}
	got := map[int64]int64{}
	for _, v := range items {
		if v.Sum < got[v.K] {
			t.Fatalf("key %d: rolling sum went down from %d to %d", v.K, got[v.K], v.Sum)
		}
		got[v.K] = v.Sum
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("final sums %v, want %v", got, want)
	}
}

func TestFailureStopsJob(t *testing.T) {
	env := stream.NewEnvironment(stream.WithParallelism(2))
	src := stream.Generate(env, 1_000_000, func(n int64) int64 { return n })
	boom := errors.New("boom")
	stream.Sink(src, func(n int64) error {
		if n == 5000 {
			return boom
		}
		return nil
	})
	err := env.Execute(context.Background(), "fail")
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if !strings.Contains(err.Error(), "Sink") {
		t.Errorf("error %q does not name the operator", err)
	}
}

func TestCancel(t *testing.T) {
	env := stream.NewEnvironment(stream.WithParallelism(2))
	src := stream.Generate(env, 1<<62, func(n int64) int64 { return n })
	ctx, cancel := context.WithCancel(context.Background())
	seen := 0
	stream.Sink(src.SetParallelism(1), func(int64) error {
		seen++
		if seen == 10000 {
			cancel()
		}
		return nil
	})
	err := env.Execute(ctx, "cancel")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
