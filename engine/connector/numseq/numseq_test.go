package numseq

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/connector/internal/sourcetest"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

func TestRestoreNeitherLosesNorRepeats(t *testing.T) {
	spec := &Spec{From: 1, To: 2000}
	newSrc := func(ctx *rt.Context) (rt.Source, error) { return spec.NewSource(ctx) }
	for _, par := range [][2]int{{1, 1}, {2, 2}, {2, 3}, {3, 1}, {4, 2}, {3, 7}} {
		for _, cut := range []int{0, 1, 100, 256, 300, 999, 5000} {
			for _, atTick := range []bool{false, true} {
				c := sourcetest.Case{OldPar: par[0], NewPar: par[1], Cut: cut, AtTick: atTick}
				t.Run(fmt.Sprintf("p%d->p%d/cut%d/tick=%v", par[0], par[1], cut, atTick), func(t *testing.T) {
					sourcetest.Check(t, newSrc, c)
				})
			}
		}
	}
}

func TestRestoreTwice(t *testing.T) {
	// A restored subtask snapshotted again keeps the ranges it was given.
	spec := &Spec{From: 0, To: 999}
	newSrc := func(ctx *rt.Context) (rt.Source, error) { return spec.NewSource(ctx) }
	var items [][][]byte
	var got []int64
	for i := 0; i < 3; i++ {
		recs, its := sourcetest.Run(t, newSrc, i, 3, nil, 50, false)
		items = append(items, its)
		got = appendInts(got, recs)
	}
	var again [][][]byte
	for i, its := range sourcetest.Redistribute(items, 2) {
		recs, its2 := sourcetest.Run(t, newSrc, i, 2, its, 200, false)
		got = appendInts(got, recs)
		again = append(again, its2)
	}
	for i, its := range sourcetest.Redistribute(again, 5) {
		recs, _ := sourcetest.Run(t, newSrc, i, 5, its, -1, false)
		got = appendInts(got, recs)
	}
	seen := map[int64]int{}
	for _, v := range got {
		seen[v]++
	}
	for v := int64(0); v <= 999; v++ {
		if seen[v] != 1 {
			t.Fatalf("number %d emitted %d times", v, seen[v])
		}
	}
	if len(got) != 1000 {
		t.Fatalf("%d numbers emitted, want 1000", len(got))
	}
}

func appendInts(dst []int64, recs []any) []int64 {
	for _, r := range recs {
		dst = append(dst, r.(int64))
	}
	return dst
}

func TestEdgesOfTheRange(t *testing.T) {
	cases := []struct {
		name     string
		from, to int64
		par      int
	}{
		{"up to MaxInt64", math.MaxInt64 - 5, math.MaxInt64, 2},
		{"from MinInt64", math.MinInt64, math.MinInt64 + 5, 2},
		{"more subtasks than numbers", 1, 3, 5},
		{"one number", 42, 42, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spec := &Spec{From: tc.from, To: tc.to}
			newSrc := func(ctx *rt.Context) (rt.Source, error) { return spec.NewSource(ctx) }
			var got []int64
			for i := 0; i < tc.par; i++ {
				recs, _ := sourcetest.Run(t, newSrc, i, tc.par, nil, -1, false)
				got = appendInts(got, recs)
			}
			if n := uint64(tc.to-tc.from) + 1; uint64(len(got)) != n {
				t.Fatalf("%d numbers, want %d: %v", len(got), n, got)
			}
			for i, v := range got {
				if v != tc.from+int64(i) {
					t.Fatalf("number %d is %d, want %d", i, v, tc.from+int64(i))
				}
			}
			for _, cut := range []int{0, 1, 2} {
				sourcetest.Check(t, newSrc, sourcetest.Case{OldPar: tc.par, NewPar: tc.par + 1, Cut: cut})
				sourcetest.Check(t, newSrc, sourcetest.Case{OldPar: tc.par, NewPar: tc.par, Cut: cut})
			}
		})
	}
}

func TestRestoreRejectsBadItems(t *testing.T) {
	for _, item := range []string{"not json", `{"next":5,"to":4}`} {
		src, _ := (&Spec{From: 1, To: 10}).NewSource(nil)
		err := src.(rt.Checkpointed).RestoreState(&rt.RestoredState{CheckpointID: 3, Items: [][]byte{[]byte(item)}})
		if err == nil {
			t.Errorf("item %q restored without error", item)
		}
	}
}

type discard struct{ n int }

func (d *discard) Emit(r types.Record) error { d.n++; return nil }
func (d *discard) EmitWatermark(int64) error { return nil }

// BenchmarkRun measures the source alone: one op is one number emitted.
func BenchmarkRun(b *testing.B) {
	ctx := rt.NewStandaloneContext(context.Background(), &rt.Env{}, 0, 1, 128)
	src, _ := (&Spec{From: 1, To: int64(b.N)}).NewSource(ctx)
	out := &discard{}
	if err := src.Open(ctx, out); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	if err := src.Run(); err != nil {
		b.Fatal(err)
	}
	if out.n != b.N {
		b.Fatalf("%d numbers, want %d", out.n, b.N)
	}
}
