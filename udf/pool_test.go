package udf

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

// TestEveryFunc runs each operator function alone through a real worker.
func TestEveryFunc(t *testing.T) {
	p, _ := newTestPool(t, 1)
	cases := []struct {
		name string
		op   OpSpec
		in   []any
		want []any
	}{
		{"map callable", op("map", "Map", fn(t, "upper_first"), nil),
			[]any{value.Tuple{"apple", int64(3)}, value.Tuple{"kiwi", int64(1)}},
			[]any{value.Tuple{"APPLE", int64(3)}, value.Tuple{"KIWI", int64(1)}}},
		{"map function object with open", op("map", "Tagger", fn(t, "map_function"), nil),
			[]any{int64(7)},
			[]any{value.Tuple{"Tagger|Tagger (2/3)#1|1/3|12|me", int64(7)}}},
		{"flat_map list", op("flat_map", "FlatMap", fn(t, "split_words"), nil),
			[]any{"a b", "", "c"}, []any{"a", "b", "c"}},
		{"flat_map generator", op("flat_map", "FlatMap", fn(t, "gen_repeat"), nil),
			[]any{int64(2), int64(0), int64(1)},
			[]any{value.Tuple{int64(2), int64(0)}, value.Tuple{int64(2), int64(1)}, value.Tuple{int64(1), int64(0)}}},
		{"filter truthiness", op("filter", "Filter", fn(t, "truthy"), nil),
			[]any{int64(0), "", nil, "x", int64(5), []any{}, []any{int64(1)}},
			[]any{"x", int64(5), []any{int64(1)}}},
		{"to_string pickled", op("to_string", "ToString", nil, map[string]any{"style": "pickled"}),
			[]any{"raw", value.Tuple{"a", int64(1)}, nil, true, []any{int64(1), int64(2)}, &value.Row{Fields: []any{"a", int64(1)}},
				&value.Row{Names: []string{"name"}, Fields: []any{"a"}}, 1.5},
			[]any{"raw", "('a', 1)", "None", "True", "[1, 2]", "<Row('a', 1)>", "Row(name='a')", "1.5"}},
		{"to_string row", op("to_string", "ToString", nil, map[string]any{"style": "row"}),
			[]any{&value.Row{Fields: []any{"a", int64(1), nil, 1.5}}, &value.Row{Kind: value.Delete, Fields: []any{true}},
				value.Tuple{"t", int64(2)}, []any{"l"}, &value.Row{Fields: []any{&value.Row{Names: []string{"x"}, Fields: []any{int64(1)}}}}},
			[]any{"+I[a,1,None,1.5]", "-D[True]", "+I[t,2]", "+I[l]", "+I[Row(x=1)]"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := openChain(t, p, ChainSpec{
				Ops: []OpSpec{c.op},
				Task: TaskInfo{TaskName: c.op.Name, Subtask: 1, Parallelism: 3, MaxParallelism: 12, Attempt: 1,
					JobParameters: map[string]string{"who": "me"}},
			})
			defer s.Close()
			r := run(t, s, &Batch{Rows: rowsOf(t, c.in...)})
			if got := values(t, r.Rows); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %#v\nwant %#v", got, c.want)
			}
			for _, row := range r.Rows {
				if row.Key != nil {
					t.Fatalf("unkeyed chain returned a key %x", row.Key)
				}
			}
		})
	}
}

// TestKeyBy checks key_by keeps values and returns each key in the wire encoding.
func TestKeyBy(t *testing.T) {
	p, _ := newTestPool(t, 1)
	for _, name := range []string{"key_selector", "first"} {
		t.Run(name, func(t *testing.T) {
			s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("key_by", "KeyBy", fn(t, name), nil)}})
			defer s.Close()
			in := []any{value.Tuple{int64(4), "x"}, value.Tuple{int64(5), "y"}}
			if name == "key_selector" {
				in = []any{int64(4), int64(5), int64(9)}
			}
			r := run(t, s, &Batch{Rows: rowsOf(t, in...)})
			if got := values(t, r.Rows); !reflect.DeepEqual(got, in) {
				t.Fatalf("values changed: %#v", got)
			}
			for i, row := range r.Rows {
				var want value.Raw
				if name == "key_selector" {
					want = enc(t, in[i].(int64)%3)
				} else {
					want = enc(t, in[i].(value.Tuple)[0])
				}
				if string(row.Key) != string(want) {
					t.Errorf("row %d key %x, want %x", i, row.Key, want)
				}
			}
		})
	}
}

// TestFusedChain runs several operators over one batch in one worker call.
func TestFusedChain(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{
		op("flat_map", "Split", fn(t, "split_words"), nil),
		op("map", "Upper", fn(t, "as_string"), nil),
		op("filter", "NotB", fn(t, "truthy"), nil),
		op("key_by", "KeyBy", fn(t, "identity"), map[string]any{"key_type": map[string]any{"t": "STRING"}}),
	}})
	defer s.Close()
	r := run(t, s, &Batch{Rows: rowsOf(t, "a b", "c")})
	want := []any{"v=a", "v=b", "v=c"}
	if got := values(t, r.Rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
	for i, row := range r.Rows {
		if string(row.Key) != string(enc(t, want[i])) {
			t.Errorf("row %d key %x", i, row.Key)
		}
	}
}

// TestOutTypeConversions checks outputs are converted to the declared type as PyFlink's coders do.
func TestOutTypeConversions(t *testing.T) {
	p, _ := newTestPool(t, 1)
	str := map[string]any{"t": "STRING"}
	integer := map[string]any{"t": "INT"}
	cases := []struct {
		name    string
		fn      string
		outType map[string]any
		in      any
		want    any
		wantErr string
	}{
		{"row from tuple", "identity", map[string]any{"t": "ROW", "fields": []any{str, integer}, "names": []any{"f0", "f1"}},
			value.Tuple{"a", int64(1)}, &value.Row{Names: []string{"f0", "f1"}, Fields: []any{"a", int64(1)}}, ""},
		{"row without names gets f0..", "identity", map[string]any{"t": "ROW", "fields": []any{str}},
			[]any{"a"}, &value.Row{Names: []string{"f0"}, Fields: []any{"a"}}, ""},
		{"row named keeps kind", "identity", map[string]any{"t": "ROW_NAMED", "fields": []any{str}, "names": []any{"word"}},
			&value.Row{Kind: value.UpdateAfter, Fields: []any{"w"}}, &value.Row{Kind: value.UpdateAfter, Names: []string{"word"}, Fields: []any{"w"}}, ""},
		{"tuple from list", "as_list", map[string]any{"t": "TUPLE", "fields": []any{integer, str}},
			int64(3), value.Tuple{int64(3), "3"}, ""},
		{"float rounds to 32 bits", "as_float", map[string]any{"t": "FLOAT"},
			int64(1), float64(float32(0.1)), ""},
		{"double accepts int", "identity", map[string]any{"t": "DOUBLE"}, int64(2), 2.0, ""},
		{"long passes", "double", map[string]any{"t": "LONG"}, int64(1 << 40), int64(1 << 41), ""},
		{"pickled is untouched", "as_list", map[string]any{"t": "PICKLED"}, int64(1), []any{int64(1), "1"}, ""},
		{"int rejects str", "as_string", integer, int64(1), nil, "TypeError: Convert: value 'v=1' of type str does not match the declared output type INT"},
		{"int range", "double", integer, int64(1 << 31), nil, "out of range for the declared output type INT"},
		{"string rejects int", "double", str, int64(1), nil, "value 2 of type int does not match the declared output type STRING"},
		{"boolean rejects int", "double", map[string]any{"t": "BOOLEAN"}, int64(1), nil, "does not match the declared output type BOOLEAN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("map", "Convert", fn(t, c.fn), map[string]any{"out_type": c.outType})}})
			defer s.Close()
			if err := s.Submit(&Batch{Rows: rowsOf(t, c.in)}); err != nil {
				t.Fatal(err)
			}
			r := next(t, s)
			if c.wantErr != "" {
				var ue *UserError
				if !errors.As(r.Err, &ue) || ue.Operator != "Convert" || !strings.Contains(ue.Message, c.wantErr) {
					t.Fatalf("error = %v, want a UserError in Convert containing %q", r.Err, c.wantErr)
				}
				return
			}
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			if got := dec(t, r.Rows[0].Value); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %#v, want %#v", got, c.want)
			}
		})
	}
}

// keyed builds rows keyed by the encoding of their first tuple field.
func keyed(t *testing.T, vals ...value.Tuple) []Row {
	rows := make([]Row, len(vals))
	for i, v := range vals {
		rows[i] = Row{Key: enc(t, v[0]), Value: enc(t, v), Timestamp: NoTimestamp}
	}
	return rows
}

func pair(k string, n int64) value.Tuple { return value.Tuple{k, n} }

// TestReduceStreaming checks rolling results, state write-back, installed state and eviction.
func TestReduceStreaming(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{
		Ops:  []OpSpec{op("reduce", "Reduce", fn(t, "add_pairs"), nil)},
		Task: TaskInfo{Mode: "STREAMING"},
	})
	defer s.Close()

	r := run(t, s, &Batch{Rows: keyed(t, pair("a", 1), pair("b", 10), pair("a", 2))})
	want := []any{pair("a", 1), pair("b", 10), pair("a", 3)}
	if got := values(t, r.Rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("batch 1: %#v", got)
	}
	if got := stateMap(t, r.State); !reflect.DeepEqual(got, map[string]any{"a": pair("a", 3), "b": pair("b", 10)}) {
		t.Fatalf("batch 1 state: %#v", got)
	}

	// Install state for "c" (as after a restore), evict "b" after the batch.
	r = run(t, s, &Batch{
		Rows:  keyed(t, pair("c", 5), pair("a", 4)),
		State: []StateEntry{{Key: enc(t, "c"), Name: "reduce", Value: enc(t, pair("c", 100))}},
		Evict: []value.Raw{enc(t, "b")},
	})
	want = []any{pair("c", 105), pair("a", 7)}
	if got := values(t, r.Rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("batch 2: %#v", got)
	}
	if got := stateMap(t, r.State); !reflect.DeepEqual(got, map[string]any{"a": pair("a", 7), "b": pair("b", 10), "c": pair("c", 105)}) {
		t.Fatalf("batch 2 state: %#v", got)
	}

	// "b" was evicted: without reinstalled state it starts over.
	r = run(t, s, &Batch{Rows: keyed(t, pair("b", 1))})
	if got := values(t, r.Rows); !reflect.DeepEqual(got, []any{pair("b", 1)}) {
		t.Fatalf("batch 3: %#v", got)
	}
	// Clearing state (nil value) drops the accumulator.
	r = run(t, s, &Batch{
		Rows:  keyed(t, pair("a", 1)),
		State: []StateEntry{{Key: enc(t, "a"), Name: "reduce"}},
	})
	if got := values(t, r.Rows); !reflect.DeepEqual(got, []any{pair("a", 1)}) {
		t.Fatalf("batch 4: %#v", got)
	}
}

// TestReduceEmitsSnapshots checks a reduce that mutates its accumulator in place still emits each rolling value.
func TestReduceEmitsSnapshots(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("reduce", "Sum", fn(t, "list_sum_inplace"), nil)}})
	defer s.Close()
	rows := []Row{
		{Key: enc(t, "k"), Value: enc(t, []any{"k", int64(1)})},
		{Key: enc(t, "k"), Value: enc(t, []any{"k", int64(2)})},
		{Key: enc(t, "k"), Value: enc(t, []any{"k", int64(3)})},
	}
	r := run(t, s, &Batch{Rows: rows})
	want := []any{[]any{"k", int64(1)}, []any{"k", int64(3)}, []any{"k", int64(6)}}
	if got := values(t, r.Rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
}

// TestReduceBatchFinal checks BATCH mode emits nothing until final, then each key's value in key-encoding order.
func TestReduceBatchFinal(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{
		Ops: []OpSpec{
			op("reduce", "Reduce", fn(t, "add_pairs"), nil),
			op("to_string", "ToString", nil, map[string]any{"style": "pickled"}),
		},
		Task: TaskInfo{Mode: "BATCH"},
	})
	defer s.Close()
	r := run(t, s, &Batch{Rows: keyed(t, pair("bb", 1), pair("a", 2), pair("bb", 3))})
	if len(r.Rows) != 0 || len(r.State) != 0 {
		t.Fatalf("BATCH mode emitted %d rows, %d state entries before final", len(r.Rows), len(r.State))
	}
	r = run(t, s, &Batch{Rows: keyed(t, pair("c", 1), pair("a", 5)), Final: true})
	// Keys order by their encodings: "a" (a1 61), "c" (a1 63), "bb" (a2 ...).
	want := []any{"('a', 7)", "('c', 1)", "('bb', 4)"}
	if got := values(t, r.Rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
}

func stateMap(t *testing.T, entries []StateEntry) map[string]any {
	out := map[string]any{}
	for _, e := range entries {
		if e.Name != "reduce" {
			t.Fatalf("state name %q", e.Name)
		}
		k := dec(t, e.Key).(string)
		if e.Value == nil {
			out[k] = nil
		} else {
			out[k] = dec(t, e.Value)
		}
	}
	return out
}

// TestUserErrorCarriesTraceback checks a raising function fails the stream with its operator and traceback.
func TestUserErrorCarriesTraceback(t *testing.T) {
	p, _ := newTestPool(t, 1)
	cases := []struct {
		fn, message string
		frames      []string
	}{
		{"div_zero", "ZeroDivisionError: division by zero", []string{"<lambda>"}},
		{"raise_in_helper", "KeyError: 'missing 1'", []string{"in outer", "in helper"}},
	}
	for _, c := range cases {
		t.Run(c.fn, func(t *testing.T) {
			s := openChain(t, p, ChainSpec{Ops: []OpSpec{
				op("map", "Fine", fn(t, "inc"), nil),
				op("map", "Broken Map", fn(t, c.fn), nil),
			}})
			defer s.Close()
			r := run(t, s, &Batch{Rows: rowsOf(t)})
			if len(r.Rows) != 0 {
				t.Fatal("empty batch produced rows")
			}
			if err := s.Submit(&Batch{Rows: rowsOf(t, int64(0))}); err != nil {
				t.Fatal(err)
			}
			r = next(t, s)
			var ue *UserError
			if !errors.As(r.Err, &ue) {
				t.Fatalf("error %v (%T), want *UserError", r.Err, r.Err)
			}
			if ue.Operator != "Broken Map" || ue.Message != c.message {
				t.Fatalf("operator %q message %q", ue.Operator, ue.Message)
			}
			if !strings.HasPrefix(ue.Traceback, "Traceback (most recent call last):") {
				t.Fatalf("traceback: %q", ue.Traceback)
			}
			for _, f := range c.frames {
				if !strings.Contains(ue.Traceback, f) {
					t.Errorf("traceback lacks %q:\n%s", f, ue.Traceback)
				}
			}
			if strings.Contains(ue.Traceback, "pyflink_go/_worker") {
				t.Errorf("traceback shows worker internals:\n%s", ue.Traceback)
			}
			if !strings.Contains(ue.Error(), "Broken Map") {
				t.Errorf("Error() = %q", ue.Error())
			}
			if _, ok := <-s.Results(); ok {
				t.Fatal("results not closed after the error")
			}
			if err := s.Submit(&Batch{Rows: rowsOf(t, int64(1))}); !errors.As(err, &ue) {
				t.Fatalf("submit after failure = %v", err)
			}
		})
	}
}

// TestFlatMapNoneIsAnError checks a flat_map returning None names the operator.
func TestFlatMapNoneIsAnError(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("flat_map", "Explode", fn(t, "none_flat"), nil)}})
	defer s.Close()
	if err := s.Submit(&Batch{Rows: rowsOf(t, int64(1))}); err != nil {
		t.Fatal(err)
	}
	var ue *UserError
	if r := next(t, s); !errors.As(r.Err, &ue) || ue.Operator != "Explode" || !strings.Contains(ue.Message, "returned None") {
		t.Fatalf("error = %v", r.Err)
	}
}

// TestOpenFailures checks functions that cannot be loaded or opened fail Open with a UserError.
func TestOpenFailures(t *testing.T) {
	p, _ := newTestPool(t, 1)
	cases := []struct {
		name string
		ops  []OpSpec
		op   string
		want string
	}{
		{"unpicklable", []OpSpec{op("map", "Garbage", []byte("not a pickle"), nil)}, "Garbage", "UnpicklingError"},
		{"unimportable", []OpSpec{op("map", "Fine", fn(t, "inc"), nil), op("map", "Imports", fn(t, "ref_double"), nil)},
			"Imports", "ModuleNotFoundError: No module named 'pfg_only_here'"},
		{"open raises", []OpSpec{op("map", "Opener", fn(t, "open_raises"), nil)}, "Opener", "RuntimeError: cannot open T"},
		{"reduce not first", []OpSpec{op("map", "M", fn(t, "inc"), nil), op("reduce", "R", fn(t, "add"), nil)}, "R", "must be the first"},
		{"not callable", []OpSpec{op("map", "NotFn", fn(t, "not_callable"), nil)}, "NotFn", "TypeError: NotFn: the map function must be callable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			_, err := p.Open(ctx, ChainSpec{Ops: c.ops, Task: TaskInfo{TaskName: "T"}})
			var ue *UserError
			if !errors.As(err, &ue) {
				t.Fatalf("Open error = %v (%T), want *UserError", err, err)
			}
			if ue.Operator != c.op || !strings.Contains(ue.Message, c.want) {
				t.Fatalf("operator %q message %q, want %q containing %q", ue.Operator, ue.Message, c.op, c.want)
			}
		})
	}
	// The worker survives failed opens.
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("map", "Map", fn(t, "inc"), nil)}})
	defer s.Close()
	if got := values(t, run(t, s, &Batch{Rows: rowsOf(t, int64(1))}).Rows); !reflect.DeepEqual(got, []any{int64(2)}) {
		t.Fatalf("got %#v", got)
	}
}

// TestPathReachesWorkers checks Config.Path becomes the workers' import path.
func TestPathReachesWorkers(t *testing.T) {
	p, _ := newTestPool(t, 1, repoRoot(t)+"/udf/testdata/pymods")
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("map", "Imports", fn(t, "ref_double"), nil)}})
	defer s.Close()
	if got := values(t, run(t, s, &Batch{Rows: rowsOf(t, int64(21))}).Rows); !reflect.DeepEqual(got, []any{int64(42)}) {
		t.Fatalf("got %#v", got)
	}
}

// TestCloseRunsClose checks Close calls the functions' close() and reports its failure.
func TestCloseRunsClose(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("map", "Closer", fn(t, "close_raises"), nil)}})
	run(t, s, &Batch{Rows: rowsOf(t, int64(1))})
	err := s.Close()
	var ue *UserError
	if !errors.As(err, &ue) || ue.Operator != "Closer" || ue.Message != "ValueError: close failed" {
		t.Fatalf("Close = %v", err)
	}
	if _, ok := <-s.Results(); ok {
		t.Fatal("results open after Close")
	}
	if err := s.Submit(&Batch{}); !errors.Is(err, ErrStreamClosed) {
		t.Fatalf("Submit after Close = %v", err)
	}
	if err := s.Close(); err == nil {
		t.Fatal("second Close forgot the error")
	}
}

// TestManyInFlightInOrder keeps several batches outstanding and checks results keep submission order.
func TestManyInFlightInOrder(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("map", "Inc", fn(t, "inc"), nil)}})
	defer s.Close()
	const batches = 200
	errc := make(chan error, 1)
	go func() {
		for i := 0; i < batches; i++ {
			if err := s.Submit(&Batch{Rows: rowsOf(t, int64(i*10), int64(i*10+1))}); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	for i := 0; i < batches; i++ {
		r := next(t, s)
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		want := []any{int64(i*10 + 1), int64(i*10 + 2)}
		if got := values(t, r.Rows); !reflect.DeepEqual(got, want) {
			t.Fatalf("batch %d: %#v", i, got)
		}
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

// TestUserPrintGoesToLog checks print() in a function reaches Config.Log, not the protocol.
func TestUserPrintGoesToLog(t *testing.T) {
	p, logs := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("map", "Printer", fn(t, "print_and_inc"), nil)}})
	if got := values(t, run(t, s, &Batch{Rows: rowsOf(t, int64(41))}).Rows); !reflect.DeepEqual(got, []any{int64(42)}) {
		t.Fatalf("got %#v", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	p.Close()
	if !logs.contains("] udf says 41") {
		t.Fatalf("log lines: %q", logs.lines)
	}
}

// TestWorkerKilledMidStream checks a SIGKILLed worker fails its stream with a WorkerCrashedError, and the pool recovers.
func TestWorkerKilledMidStream(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("map", "Sleepy", fn(t, "sleep"), nil)}})
	defer s.Close()
	w := s.(*stream).w
	if err := s.Submit(&Batch{Rows: rowsOf(t, int64(60))}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(w.pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	r := next(t, s)
	var crash *WorkerCrashedError
	if !errors.As(r.Err, &crash) {
		t.Fatalf("error = %v (%T), want *WorkerCrashedError", r.Err, r.Err)
	}
	if crash.Pid != w.pid() || crash.Worker != w.id || !strings.Contains(crash.Status, "killed") {
		t.Fatalf("crash = %+v", crash)
	}
	if !strings.Contains(crash.Error(), fmt.Sprintf("pid %d", w.pid())) {
		t.Fatalf("Error() = %q", crash.Error())
	}
	if err := s.Submit(&Batch{Rows: rowsOf(t, int64(0))}); !errors.As(err, &crash) {
		t.Fatalf("submit after crash = %v", err)
	}
	// A new stream gets a new worker.
	s2 := openChain(t, p, ChainSpec{Ops: []OpSpec{op("map", "Inc", fn(t, "inc"), nil)}})
	defer s2.Close()
	if got := values(t, run(t, s2, &Batch{Rows: rowsOf(t, int64(1))}).Rows); !reflect.DeepEqual(got, []any{int64(2)}) {
		t.Fatalf("got %#v", got)
	}
	if s2.(*stream).w == w {
		t.Fatal("the dead worker was reused")
	}
}

// TestWorkerThatCannotStart checks a worker dying before it listens fails Open with its exit status.
func TestWorkerThatCannotStart(t *testing.T) {
	p := NewPool(Config{Python: "false", Workers: 1})
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	_, err := p.Open(ctx, ChainSpec{})
	var crash *WorkerCrashedError
	if !errors.As(err, &crash) || !strings.Contains(crash.Status, "exit status 1") {
		t.Fatalf("Open = %v", err)
	}
	// Without the package on its path the worker dies before listening, saying why
	// (unless pyflink_go is installed site-wide, when it starts fine).
	p2 := NewPool(Config{Python: python(t), Path: []string{t.TempDir()}, Workers: 1})
	defer p2.Close()
	if s, err := p2.Open(ctx, ChainSpec{}); err != nil {
		if !errors.As(err, &crash) || !strings.Contains(crash.Stderr, "No module named") {
			t.Fatalf("Open without the package on the path = %v", err)
		}
	} else {
		s.Close()
	}
}

// TestCancelEndsStream checks cancelling the context ends a stream stuck in a slow function.
func TestCancelEndsStream(t *testing.T) {
	p, _ := newTestPool(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	s, err := p.Open(ctx, ChainSpec{Ops: []OpSpec{op("map", "Sleepy", fn(t, "sleep"), nil)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(&Batch{Rows: rowsOf(t, int64(30))}); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case _, ok := <-s.Results():
		if ok {
			// A cancelled stream may or may not deliver; it must close promptly.
			<-s.Results()
		}
	case <-time.After(testTimeout):
		t.Fatal("results not closed after cancel")
	}
	if err := s.Submit(&Batch{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("submit after cancel = %v", err)
	}
	s.Close()
}

// TestManyStreamsSmallPool runs many concurrent streams on two workers.
func TestManyStreamsSmallPool(t *testing.T) {
	p, _ := newTestPool(t, 2)
	const streams = 24
	var wg sync.WaitGroup
	errs := make(chan error, streams)
	for i := 0; i < streams; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			s, err := p.Open(ctx, ChainSpec{Ops: []OpSpec{op("map", "Double", fn(t, "double"), nil)}})
			if err != nil {
				errs <- err
				return
			}
			for b := 0; b < 20; b++ {
				if err := s.Submit(&Batch{Rows: rowsOf(t, int64(i), int64(b))}); err != nil {
					errs <- err
					return
				}
				r := <-s.Results()
				if r == nil || r.Err != nil {
					errs <- fmt.Errorf("stream %d batch %d: %v", i, b, r)
					return
				}
				if got := values(t, r.Rows); !reflect.DeepEqual(got, []any{int64(2 * i), int64(2 * b)}) {
					errs <- fmt.Errorf("stream %d batch %d: %#v", i, b, got)
					return
				}
			}
			errs <- s.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := p.workerCount(); n != 2 {
		t.Fatalf("%d workers, want 2", n)
	}
}

// TestPrestartAndSharedPool checks Prestart starts workers and Shared returns one pool per interpreter and path.
func TestPrestartAndSharedPool(t *testing.T) {
	cfg := Config{Python: python(t), Path: []string{repoRoot(t) + "/python"}, Workers: 2}
	p := Shared(cfg)
	if Shared(cfg) != p {
		t.Fatal("Shared returned a second pool for the same config")
	}
	other := cfg
	other.Path = append([]string{t.TempDir()}, cfg.Path...)
	if Shared(other) == p {
		t.Fatal("Shared ignored the path")
	}
	Shared(other).Close()
	p.Prestart(5)
	if n := p.workerCount(); n != 2 {
		t.Fatalf("Prestart(5) with Workers 2 started %d", n)
	}
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("map", "Inc", fn(t, "inc"), nil)}})
	run(t, s, &Batch{Rows: rowsOf(t, int64(1))})
	s.Close()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Open(context.Background(), ChainSpec{}); !errors.Is(err, ErrPoolClosed) {
		t.Fatalf("Open after Close = %v", err)
	}
	if Shared(cfg) == p {
		t.Fatal("Shared returned a closed pool")
	}
	Shared(cfg).Close()
}

// TestPoolCloseEndsOpenStreams checks closing the pool fails open streams with ErrPoolClosed instead of hanging.
func TestPoolCloseEndsOpenStreams(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("map", "Sleepy", fn(t, "sleep"), nil)}})
	if err := s.Submit(&Batch{Rows: rowsOf(t, int64(30))}); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if r := next(t, s); !errors.Is(r.Err, ErrPoolClosed) {
		t.Fatalf("error = %v, want ErrPoolClosed", r.Err)
	}
	s.Close()
}
