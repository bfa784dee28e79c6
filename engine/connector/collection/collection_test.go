package collection

import (
	"fmt"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/connector/internal/sourcetest"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
)

func values(n int) []any {
	v := make([]any, n)
	for i := range v {
		v[i] = fmt.Sprintf("v%d", i)
	}
	return v
}

func TestRestoreNeitherLosesNorRepeats(t *testing.T) {
	for _, n := range []int{0, 1, 700} {
		spec := &Spec{Values: values(n)}
		newSrc := func(ctx *rt.Context) (rt.Source, error) { return spec.NewSource(ctx) }
		for _, cut := range []int{0, 1, 255, 256, 257, 699, 700, 1000} {
			for _, atTick := range []bool{false, true} {
				c := sourcetest.Case{OldPar: 1, NewPar: 1, Cut: cut, AtTick: atTick}
				t.Run(fmt.Sprintf("n%d/cut%d/tick=%v", n, cut, atTick), func(t *testing.T) {
					sourcetest.Check(t, newSrc, c)
				})
			}
		}
	}
}

func TestOnlyOneSubtaskEmits(t *testing.T) {
	spec := &Spec{Values: values(10)}
	newSrc := func(ctx *rt.Context) (rt.Source, error) { return spec.NewSource(ctx) }
	if recs, items := sourcetest.Run(t, newSrc, 1, 2, nil, 0, false); len(recs) != 0 || len(items) != 0 {
		t.Fatalf("subtask 1 emitted %v and snapshotted %q", recs, items)
	}
	// The position restored to whichever subtask gets it is the one that counts.
	_, items := sourcetest.Run(t, newSrc, 0, 1, nil, 4, false)
	recs, _ := sourcetest.Run(t, newSrc, 1, 2, items, -1, false)
	if fmt.Sprint(recs) != "[v4 v5 v6 v7 v8 v9]" {
		t.Fatalf("restored subtask 1 emitted %v", recs)
	}
	if recs, _ := sourcetest.Run(t, newSrc, 0, 2, [][]byte{}, -1, false); len(recs) != 0 {
		t.Fatalf("restored subtask 0 without a position emitted %v", recs)
	}
}

func TestRestoreRejectsBadPositions(t *testing.T) {
	for _, items := range [][]string{{"x"}, {`{"next":11}`}, {`{"next":-1}`}, {`{"next":1}`, `{"next":2}`}} {
		src, _ := (&Spec{Values: values(10)}).NewSource(nil)
		var its [][]byte
		for _, s := range items {
			its = append(its, []byte(s))
		}
		if err := src.(rt.Checkpointed).RestoreState(&rt.RestoredState{Items: its}); err == nil {
			t.Errorf("items %q restored without error", items)
		}
	}
}
