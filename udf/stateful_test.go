package udf

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

// rowView is a result row decoded for assertions.
type rowView struct {
	Value any
	Key   any
	Ts    int64
	Tag   string
}

func views(t *testing.T, rows []Row) []rowView {
	t.Helper()
	out := make([]rowView, len(rows))
	for i, r := range rows {
		out[i] = rowView{Value: dec(t, r.Value), Ts: r.Timestamp, Tag: r.Tag}
		if r.Key != nil {
			out[i].Key = dec(t, r.Key)
		}
	}
	return out
}

func checkRows(t *testing.T, got []Row, want []rowView) {
	t.Helper()
	if g := views(t, got); !reflect.DeepEqual(g, want) {
		t.Fatalf("rows\n got %#v\nwant %#v", g, want)
	}
}

// stamped builds rows with timestamps.
func stamped(t *testing.T, vals []any, ts []int64) []Row {
	rows := make([]Row, len(vals))
	for i, v := range vals {
		rows[i] = Row{Value: enc(t, v), Timestamp: ts[i]}
	}
	return rows
}

// TestTimestamps checks outputs inherit their input's timestamp and a timestamp_assigner sets them.
func TestTimestamps(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{
		op("flat_map", "Repeat", fn(t, "gen_repeat"), nil),
		op("map", "First", fn(t, "first"), nil),
	}})
	defer s.Close()
	r := run(t, s, &Batch{Rows: stamped(t, []any{int64(2), int64(1)}, []int64{-7, NoTimestamp})})
	checkRows(t, r.Rows, []rowView{{Value: int64(2), Ts: -7}, {Value: int64(2), Ts: -7}, {Value: int64(1), Ts: NoTimestamp}})
	r = run(t, s, &Batch{Rows: rowsOf(t, int64(1))})
	checkRows(t, r.Rows, []rowView{{Value: int64(1), Ts: NoTimestamp}})

	s2 := openChain(t, p, ChainSpec{Ops: []OpSpec{op("timestamp_assigner", "Stamp", fn(t, "stamp_tens"), nil)}})
	defer s2.Close()
	r = run(t, s2, &Batch{Rows: stamped(t, []any{int64(3), int64(4)}, []int64{NoTimestamp, 100})})
	checkRows(t, r.Rows, []rowView{{Value: int64(3), Ts: 30}, {Value: int64(4), Ts: 101}})
}

// TestSideOutputs checks tagged outputs leave the chain at once, converted to the tag's type.
func TestSideOutputs(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{
		op("flat_map", "Split", fn(t, "side_split"), nil),
		op("map", "Double", fn(t, "double"), nil),
		op("key_by", "Key", fn(t, "identity"), nil),
	}})
	defer s.Close()
	r := run(t, s, &Batch{Rows: stamped(t, []any{int64(1), int64(2), int64(3)}, []int64{10, 20, NoTimestamp})})
	checkRows(t, r.Rows, []rowView{
		{Value: int64(2), Key: int64(2), Ts: 10}, {Value: int64(4), Key: int64(4), Ts: 20}, {Value: int64(6), Key: int64(6), Ts: NoTimestamp},
		{Value: "odd 1", Ts: 10, Tag: "odd"}, {Value: "odd 3", Ts: NoTimestamp, Tag: "odd"},
	})
}

// TestProcessFunction checks the context of a ProcessFunction: timestamp, watermark, processing time, no timers.
func TestProcessFunction(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("process", "Process", fn(t, "describe_process"), nil)}})
	r := run(t, s, &Batch{Rows: stamped(t, []any{"a", "b"}, []int64{5, NoTimestamp}), Watermark: 3, ProcessingTime: 1000})
	checkRows(t, r.Rows, []rowView{
		{Value: value.Tuple{"a", int64(5), int64(3), int64(1000)}, Ts: 5},
		{Value: value.Tuple{"b", nil, int64(3), int64(1000)}, Ts: NoTimestamp},
	})
	if err := s.Submit(&Batch{Rows: rowsOf(t, "timer")}); err != nil {
		t.Fatal(err)
	}
	res := next(t, s)
	ue, ok := res.Err.(*UserError)
	if !ok || ue.Operator != "Process" || ue.Message != "Exception: Setting timers is only supported on a keyed streams." {
		t.Fatalf("error %#v", res.Err)
	}
}

// TestKeyedProcessTimersAndState runs the round trip of a KeyedProcessFunction: state and timer
// operations come back with the result, the engine fires timers by sending them.
func TestKeyedProcessTimersAndState(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("keyed_process", "Count", fn(t, "count_timeout"), nil)}})
	defer s.Close()
	wantDecl := []StateDecl{{Name: "count", Kind: "value"}}
	if got := s.(StateDeclarer).OpenStates(); !reflect.DeepEqual(got, wantDecl) {
		t.Fatalf("open states %#v", got)
	}
	a, b := enc(t, "a"), enc(t, "b")
	rows := []Row{
		{Key: a, Value: enc(t, value.Tuple{"a", "x"}), Timestamp: 1},
		{Key: b, Value: enc(t, value.Tuple{"b", "x"}), Timestamp: 2},
		{Key: a, Value: enc(t, value.Tuple{"a", "x"}), Timestamp: 3},
		{Key: b, Value: enc(t, value.Tuple{"b", "cancel"}), Timestamp: 4},
	}
	r := run(t, s, &Batch{Rows: rows, Watermark: NoTimestamp, ProcessingTime: 50,
		State: []StateEntry{{Key: b, Name: "count", Value: enc(t, int64(10))}}})
	checkRows(t, r.Rows, []rowView{
		{Value: value.Tuple{"a", int64(1)}, Ts: 1}, {Value: value.Tuple{"b", int64(11)}, Ts: 2},
		{Value: value.Tuple{"a", int64(2)}, Ts: 3}, {Value: value.Tuple{"b", int64(12)}, Ts: 4},
	})
	wantOps := []TimerOp{
		{Key: a, Timestamp: 11, Domain: EventTime}, {Key: b, Timestamp: 12, Domain: EventTime},
		{Key: a, Timestamp: 13, Domain: EventTime}, {Key: b, Timestamp: 14, Domain: EventTime, Delete: true},
	}
	if !reflect.DeepEqual(r.TimerOps, wantOps) {
		t.Fatalf("timer ops %#v", r.TimerOps)
	}
	if !reflect.DeepEqual(r.States, wantDecl) {
		t.Fatalf("first result's states %#v", r.States)
	}
	if got := stateOf(t, r.State); !reflect.DeepEqual(got, map[string]any{"a/count": int64(2), "b/count": int64(12)}) {
		t.Fatalf("state %#v", got)
	}

	r = run(t, s, &Batch{Watermark: 13, Timers: []Timer{{Key: a, Timestamp: 13, Domain: EventTime}, {Key: b, Timestamp: 12, Domain: EventTime}}})
	checkRows(t, r.Rows, []rowView{
		{Value: value.Tuple{"a", int64(13), "EVENT_TIME", int64(2)}, Ts: 13},
		{Value: value.Tuple{"b", int64(12), "EVENT_TIME", int64(12)}, Ts: 12},
	})
	wantOps = []TimerOp{{Key: a, Timestamp: 1013, Domain: ProcessingTime}, {Key: b, Timestamp: 1012, Domain: ProcessingTime}}
	if !reflect.DeepEqual(r.TimerOps, wantOps) || len(r.States) != 0 {
		t.Fatalf("timer ops %#v, states %#v", r.TimerOps, r.States)
	}
	if got := stateOf(t, r.State); !reflect.DeepEqual(got, map[string]any{"a/count": nil, "b/count": nil}) {
		t.Fatalf("state %#v", got)
	}
	r = run(t, s, &Batch{Timers: []Timer{{Key: a, Timestamp: 1013, Domain: ProcessingTime}}, Evict: []value.Raw{a}})
	checkRows(t, r.Rows, []rowView{{Value: value.Tuple{"a", int64(1013), "PROCESSING_TIME", nil}, Ts: 1013}})
	if len(r.TimerOps) != 0 {
		t.Fatalf("timer ops %#v", r.TimerOps)
	}
	if got := stateOf(t, r.State); !reflect.DeepEqual(got, map[string]any{"a/count": nil}) {
		t.Fatalf("state %#v", got)
	}
}

// stateOf decodes state entries as "key/name" -> value.
func stateOf(t *testing.T, entries []StateEntry) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, e := range entries {
		k := dec(t, e.Key).(string) + "/" + e.Name
		if e.Value == nil {
			out[k] = nil
		} else {
			out[k] = dec(t, e.Value)
		}
	}
	return out
}

// TestKeyedStateInstallWriteBackEvict runs a keyed map with list and map state through install,
// write-back and eviction.
func TestKeyedStateInstallWriteBackEvict(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("map", "Collect", fn(t, "keyed_lists"), map[string]any{"keyed": true})}})
	defer s.Close()
	x, y := enc(t, "x"), enc(t, "y")
	in := func(k value.Raw, key string, n int64) Row {
		return Row{Key: k, Value: enc(t, value.Tuple{key, n}), Timestamp: NoTimestamp}
	}
	r := run(t, s, &Batch{
		Rows:  []Row{in(x, "x", 1), in(y, "y", 2), in(x, "x", 3)},
		State: []StateEntry{{Key: y, Name: "seen", Value: enc(t, []any{int64(100)})}, {Key: y, Name: "last", Value: enc(t, map[string]any{"old": int64(0)})}},
	})
	lastY := &value.Map{Keys: []any{"old", "y"}, Values: []any{int64(0), int64(2)}}
	checkRows(t, r.Rows, []rowView{
		{Value: value.Tuple{"x", []any{int64(1)}, []any{value.Tuple{"x", int64(1)}}}, Ts: NoTimestamp},
		{Value: value.Tuple{"y", []any{int64(100), int64(2)}, []any{value.Tuple{"old", int64(0)}, value.Tuple{"y", int64(2)}}}, Ts: NoTimestamp},
		{Value: value.Tuple{"x", []any{int64(1), int64(3)}, []any{value.Tuple{"x", int64(3)}}}, Ts: NoTimestamp},
	})
	want := map[string]any{
		"x/seen": []any{int64(1), int64(3)}, "x/last": &value.Map{Keys: []any{"x"}, Values: []any{int64(3)}},
		"y/seen": []any{int64(100), int64(2)}, "y/last": lastY,
	}
	if got := stateOf(t, r.State); !reflect.DeepEqual(got, want) {
		t.Fatalf("state %#v", got)
	}
	wantDecl := []StateDecl{{Name: "seen", Kind: "list"}, {Name: "last", Kind: "map"}}
	if !reflect.DeepEqual(r.States, wantDecl) {
		t.Fatalf("states %#v", r.States)
	}
	// Evicting y writes it back (unchanged) and drops it: y starts over afterwards.
	r = run(t, s, &Batch{Evict: []value.Raw{y, enc(t, "never")}})
	want = map[string]any{"y/seen": []any{int64(100), int64(2)}, "y/last": lastY, "never/seen": nil, "never/last": nil}
	if got := stateOf(t, r.State); !reflect.DeepEqual(got, want) {
		t.Fatalf("evicted state %#v", got)
	}
	r = run(t, s, &Batch{Rows: []Row{in(y, "y", 5)}})
	checkRows(t, r.Rows, []rowView{{Value: value.Tuple{"y", []any{int64(5)}, []any{value.Tuple{"y", int64(5)}}}, Ts: NoTimestamp}})
}

// TestWindowFunctions fires windows the engine assembled: the tumbling example
// through a ProcessWindowFunction, and an all-window reduce over a global window.
func TestWindowFunctions(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{
		op("window", "Window", fn(t, "window_count"), nil),
		op("to_string", "ToString", nil, map[string]any{"style": "pickled"}),
	}})
	defer s.Close()
	hi := enc(t, "hi")
	elems := func(ts ...int64) value.Raw {
		var out []any
		for _, v := range ts {
			out = append(out, value.Tuple{"hi", v})
		}
		return enc(t, out)
	}
	r := run(t, s, &Batch{Rows: []Row{
		{Key: hi, Value: elems(1, 2, 3, 4), Timestamp: NoTimestamp, Window: &Window{Kind: "time", Start: 0, End: 5}},
		{Key: hi, Value: elems(5, 8, 9), Timestamp: NoTimestamp, Window: &Window{Kind: "time", Start: 5, End: 10}},
		{Key: hi, Value: elems(15), Timestamp: NoTimestamp, Window: &Window{Kind: "time", Start: 15, End: 20}},
	}, Watermark: math.MaxInt64})
	checkRows(t, r.Rows, []rowView{{Value: "('hi', 0, 5, 4)", Ts: 4}, {Value: "('hi', 5, 10, 3)", Ts: 9}, {Value: "('hi', 15, 20, 1)", Ts: 19}})

	all := openChain(t, p, ChainSpec{Ops: []OpSpec{op("window", "WindowAll", fn(t, "window_all_reduce"), nil)}})
	defer all.Close()
	r = run(t, all, &Batch{Rows: []Row{{Value: enc(t, []any{int64(1), int64(2), int64(3)}), Timestamp: NoTimestamp, Window: &Window{Kind: "global"}}}})
	checkRows(t, r.Rows, []rowView{{Value: value.Tuple{"GlobalWindow", []any{int64(6)}}, Ts: math.MaxInt64}})

	if err := all.Submit(&Batch{Rows: rowsOf(t, []any{int64(1)})}); err != nil {
		t.Fatal(err)
	}
	if res := next(t, all); res.Err == nil || !strings.Contains(res.Err.Error(), "rows that carry their window") {
		t.Fatalf("window row without a window: %v", res.Err)
	}
}

// TestTwoInputRows checks rows say which input they come from: a KeyedCoProcessFunction
// joins its second input against state the first one wrote.
func TestTwoInputRows(t *testing.T) {
	p, _ := newTestPool(t, 1)
	s := openChain(t, p, ChainSpec{Ops: []OpSpec{op("keyed_co_process", "Join", fn(t, "co_join"), nil)}})
	defer s.Close()
	a, b := enc(t, "a"), enc(t, "b")
	r := run(t, s, &Batch{Rows: []Row{
		{Key: a, Value: enc(t, value.Tuple{"a", "left"}), Timestamp: 1},
		{Key: a, Value: enc(t, value.Tuple{"a", "right"}), Timestamp: 2, Input: 1},
		{Key: b, Value: enc(t, value.Tuple{"b", "right"}), Timestamp: NoTimestamp, Input: 1},
	}})
	checkRows(t, r.Rows, []rowView{
		{Value: value.Tuple{"a", "left", "right"}, Ts: 2},
		{Value: value.Tuple{"b", nil, "right"}, Ts: NoTimestamp},
	})
	if got := stateOf(t, r.State); !reflect.DeepEqual(got, map[string]any{"a/left": "left"}) {
		t.Fatalf("state %#v", got)
	}
}
