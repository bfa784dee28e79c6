package aggregate

import (
	"fmt"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

func TestCombine(t *testing.T) {
	tup := func(vs ...any) value.Tuple { return value.Tuple(vs) }
	for _, tc := range []struct {
		spec   Spec
		cur, v any
		want   string
	}{
		{Spec{Kind: Sum, Pos: 1}, tup("a", int64(1)), tup("a", int64(2)), `[a 3]`},
		{Spec{Kind: Sum, Pos: -1}, int64(4), int64(5), `9`},
		{Spec{Kind: Sum, Pos: 1}, tup("a", 0.5), tup("a", int64(2)), `[a 2.5]`},
		{Spec{Kind: Min, Pos: 1}, tup("first", int64(5)), tup("second", int64(3)), `[first 3]`},
		{Spec{Kind: Max, Pos: 1}, tup("first", int64(5)), tup("second", int64(3)), `[first 5]`},
		{Spec{Kind: MinBy, Pos: 1}, tup("first", int64(5)), tup("second", int64(3)), `[second 3]`},
		{Spec{Kind: MaxBy, Pos: 1}, tup("first", int64(5)), tup("second", int64(5)), `[first 5]`},
		{Spec{Kind: MinBy, Pos: 1}, tup("first", int64(5)), tup("second", int64(5)), `[first 5]`},
		{Spec{Kind: Sum, Pos: 1}, &value.Row{Names: []string{"k", "n"}, Fields: []any{"a", int64(1)}},
			&value.Row{Names: []string{"k", "n"}, Fields: []any{"a", int64(2)}}, `&{+I [k n] [a 3]}`},
	} {
		got, err := Combine(tc.spec, tc.cur, tc.v)
		if err != nil {
			t.Fatal(err)
		}
		if s := fmt.Sprint(got); s != tc.want {
			t.Errorf("%v(%v, %v) = %s, want %s", tc.spec, tc.cur, tc.v, s, tc.want)
		}
	}
}

func TestCombineLeavesTheAccumulatorIntact(t *testing.T) {
	cur := value.Tuple{"a", int64(1)}
	if _, err := Combine(Spec{Kind: Sum, Pos: 1}, cur, value.Tuple{"a", int64(2)}); err != nil {
		t.Fatal(err)
	}
	if cur[1] != int64(1) {
		t.Fatalf("accumulator changed to %v", cur)
	}
}

func TestCombineErrors(t *testing.T) {
	for _, tc := range []struct {
		spec   Spec
		cur, v any
	}{
		{Spec{Kind: Sum, Pos: 5}, value.Tuple{"a", int64(1)}, value.Tuple{"a", int64(1)}},
		{Spec{Kind: Sum, Pos: 0}, value.Tuple{"a"}, value.Tuple{"b"}},
		{Spec{Kind: Sum, Pos: 1}, value.Tuple{"a", nil}, value.Tuple{"a", int64(1)}},
	} {
		if _, err := Combine(tc.spec, tc.cur, tc.v); err == nil {
			t.Errorf("Combine(%v, %v, %v) gave no error", tc.spec, tc.cur, tc.v)
		}
	}
}
