package local

import (
	"strings"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

// windowReducePlan is a collection of (word, n) tuples into a window_all of
// count windows of two whose reduce is the native field reduce native, then
// a print sink. Its fn is not a pickle: running it in Python would fail.
func windowReducePlan(t *testing.T, native []any) []byte {
	t.Helper()
	typ := node{"t": "TUPLE", "fields": []any{node{"t": "STRING"}, node{"t": "INT"}}}
	var vals []msgpack.RawMessage
	for i, w := range []string{"a", "b", "c", "d", "e"} {
		enc, err := value.Encode(value.Tuple{w, int64(i + 1)})
		if err != nil {
			t.Fatal(err)
		}
		vals = append(vals, enc)
	}
	return planBytes(t, 1,
		node{"id": 0, "kind": "collection_source", "name": "src", "out_type": typ, "params": node{"values": vals}},
		node{"id": 1, "kind": "window", "name": "Window(CountTumblingWindowAssigner, reduce)", "out_type": typ,
			"inputs": in(0, "global"), "params": node{
				"assigner": node{"kind": "count", "size": 2}, "all": true, "fn": []byte("not a pickle"),
				"native_reduce": native}},
		node{"id": 2, "kind": "print_sink", "name": "p", "inputs": in(1, "forward")})
}

// TestNativeWindowReduceRunsWithoutPython: a window node with native_reduce
// reduces in Go (the job needs no Python worker) and prints the reduced
// tuples; the count window of the fifth element never fills.
func TestNativeWindowReduceRunsWithoutPython(t *testing.T) {
	st, lines, env := runToEnd(t, windowReducePlan(t, []any{node{"op": "last", "field": 0}, node{"op": "sum", "field": 1}}))
	if st != "FINISHED" {
		t.Fatalf("job %s: %v", st, env["error"])
	}
	if got := strings.Join(lines, "|"); got != "(b,3)|(d,7)" {
		t.Fatalf("printed %q", got)
	}
}

func TestNativeWindowReduceBadSpec(t *testing.T) {
	for _, tc := range []struct {
		native []any
		want   string
	}{
		{[]any{node{"op": "sum", "field": 0}, node{"op": "sum", "field": 1}},
			"plan: node 1 (Window(CountTumblingWindowAssigner, reduce)): native_reduce: result field 0: sum needs a numeric field, input field 0 is STRING"},
		{[]any{node{"op": "first", "field": 0}},
			"native_reduce: a native field reduce has 1 result fields for an input of 2 fields"},
		{[]any{node{"op": "first", "field": 0}, node{"op": "avg", "field": 1}},
			`native_reduce: result field 1: unknown field operation "avg"`},
	} {
		_, err := Default().Submit(windowReducePlan(t, tc.native))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err = %v, want %q", err, tc.want)
		}
	}
}
