package udf

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

// mapOf decodes a message into a Go map for assertions.
func mapOf(t *testing.T, b []byte) map[string]any {
	t.Helper()
	v, err := value.Decode(b)
	if err != nil {
		t.Fatalf("decode %x: %v", b, err)
	}
	m, ok := v.(*value.Map)
	if !ok {
		t.Fatalf("message is %T, want a map", v)
	}
	out := map[string]any{}
	for i, k := range m.Keys {
		out[k.(string)] = m.Values[i]
	}
	return out
}

// TestAppendBatch checks the batch message carries records verbatim, keys and state as binary.
func TestAppendBatch(t *testing.T) {
	cases := []struct {
		name  string
		batch Batch
		want  map[string]any
	}{
		{"plain", Batch{Rows: rowsOf(t, int64(1), value.Tuple{"a"}), Watermark: NoTimestamp, ProcessingTime: 1700000000000},
			map[string]any{"t": "batch", "seq": int64(7), "rows": []any{int64(1), value.Tuple{"a"}},
				"watermark": NoTimestamp, "now": int64(1700000000000)}},
		{"empty", Batch{}, map[string]any{"t": "batch", "seq": int64(7), "rows": []any{}, "watermark": int64(0), "now": int64(0)}},
		{"keyed with state, evict, final", Batch{
			Rows: []Row{{Key: enc(t, "k"), Value: enc(t, int64(1)), Timestamp: NoTimestamp},
				{Value: enc(t, int64(2)), Timestamp: NoTimestamp}},
			State: []StateEntry{{Key: enc(t, "k"), Name: "reduce", Value: enc(t, int64(9))}, {Key: enc(t, "x"), Name: "reduce"}},
			Evict: []value.Raw{enc(t, "old")},
			Final: true,
		}, map[string]any{
			"t": "batch", "seq": int64(7), "rows": []any{int64(1), int64(2)},
			"keys":      []any{[]byte(enc(t, "k")), nil},
			"state":     []any{[]any{[]byte(enc(t, "k")), "reduce", int64(9)}, []any{[]byte(enc(t, "x")), "reduce", nil}},
			"evict":     []any{[]byte(enc(t, "old"))},
			"final":     true,
			"watermark": int64(0), "now": int64(0),
		}},
		{"timestamps, inputs, windows, timers", Batch{
			Rows: []Row{
				{Value: enc(t, int64(1)), Timestamp: 5, Input: 1, Window: &Window{Kind: "time", Start: -5, End: 5}},
				{Value: enc(t, int64(2)), Timestamp: NoTimestamp, Window: &Window{Kind: "global"}},
				{Value: enc(t, int64(3)), Timestamp: 0},
			},
			Watermark: 4, ProcessingTime: 99,
			Timers: []Timer{{Key: enc(t, "k"), Timestamp: 10, Domain: EventTime}, {Key: enc(t, "j"), Timestamp: -1, Domain: ProcessingTime}},
		}, map[string]any{
			"t": "batch", "seq": int64(7), "rows": []any{int64(1), int64(2), int64(3)},
			"ts":        []any{int64(5), nil, int64(0)},
			"inputs":    []any{int64(1), int64(0), int64(0)},
			"windows":   []any{[]any{int64(-5), int64(5)}, "global", nil},
			"watermark": int64(4), "now": int64(99),
			"timers": []any{[]any{[]byte(enc(t, "k")), int64(10), int64(0)}, []any{[]byte(enc(t, "j")), int64(-1), int64(1)}},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := appendBatch(nil, 7, &c.batch)
			if err != nil {
				t.Fatal(err)
			}
			if got := mapOf(t, b); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %#v\nwant %#v", got, c.want)
			}
		})
	}
	for _, c := range []struct {
		batch Batch
		want  string
	}{
		{Batch{Rows: []Row{{}}}, "row 0 has no value"},
		{Batch{Rows: []Row{{Value: enc(t, 1), Input: 2}}}, "row 0: input 2 is not 0 or 1"},
		{Batch{Rows: []Row{{Value: enc(t, 1), Window: &Window{Kind: "session"}}}}, `row 0: unknown window kind "session"`},
		{Batch{Timers: []Timer{{Timestamp: 1}}}, "timer 0 has no key"},
		{Batch{Timers: []Timer{{Key: enc(t, 1), Domain: 7}}}, "timer 0: unknown time domain 7"},
	} {
		if _, err := appendBatch(nil, 1, &c.batch); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("error = %v, want %q", err, c.want)
		}
	}
}

// TestAppendOpen checks the open message lists the operators and the task.
func TestAppendOpen(t *testing.T) {
	spec := ChainSpec{
		Ops: []OpSpec{
			{Func: "map", Name: "Map", Fn: []byte{1, 2}, Params: map[string]any{"out_type": map[string]any{"t": "INT"}}},
			{Func: "to_string", Name: "ToString", Params: map[string]any{"style": "row"}},
		},
		Task: TaskInfo{JobName: "job", TaskName: "Map", Subtask: 1, Parallelism: 2, MaxParallelism: 128, Attempt: 3,
			JobParameters: map[string]string{"a": "b"}, Mode: "BATCH"},
	}
	b, err := appendOpen(nil, &spec)
	if err != nil {
		t.Fatal(err)
	}
	got := mapOf(t, b)
	want := map[string]any{
		"t": "open",
		"ops": []any{
			&value.Map{Keys: []any{"func", "name", "fn", "params"}, Values: []any{"map", "Map", []byte{1, 2},
				&value.Map{Keys: []any{"out_type"}, Values: []any{&value.Map{Keys: []any{"t"}, Values: []any{"INT"}}}}}},
			&value.Map{Keys: []any{"func", "name", "fn", "params"}, Values: []any{"to_string", "ToString", nil,
				&value.Map{Keys: []any{"style"}, Values: []any{"row"}}}},
		},
		"task": &value.Map{
			Keys:   []any{"job_name", "task_name", "subtask", "parallelism", "max_parallelism", "attempt", "job_parameters", "mode"},
			Values: []any{"job", "Map", int64(1), int64(2), int64(128), int64(3), &value.Map{Keys: []any{"a"}, Values: []any{"b"}}, "BATCH"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}
	bad := ChainSpec{Ops: []OpSpec{{Func: "map", Name: "Bad", Params: map[string]any{"x": make(chan int)}}}}
	if _, err := appendOpen(nil, &bad); err == nil || !strings.Contains(err.Error(), "operator Bad: params") {
		t.Fatalf("unencodable params: %v", err)
	}
}

// msg encodes a response map given as alternating keys and values.
func msg(t *testing.T, kv ...any) []byte {
	t.Helper()
	m := &value.Map{}
	for i := 0; i < len(kv); i += 2 {
		m.Keys = append(m.Keys, kv[i])
		m.Values = append(m.Values, kv[i+1])
	}
	return enc(t, m)
}

// TestParseResponse checks results are split into rows, keys and state without decoding.
func TestParseResponse(t *testing.T) {
	data := msg(t, "t", "result", "seq", int64(3),
		"rows", []any{value.Tuple{"a", int64(1)}, "b"},
		"keys", []any{"ka", nil},
		"state", []any{[]any{[]byte("K"), "reduce", int64(5)}, []any{[]byte("D"), "reduce", nil}},
		"extra", "ignored")
	r, err := parseResponse(data)
	if err != nil {
		t.Fatal(err)
	}
	if r.kind != respResult || !r.hasSeq || r.seq != 3 {
		t.Fatalf("header: %+v", r)
	}
	wantRows := []Row{{Key: enc(t, "ka"), Value: enc(t, value.Tuple{"a", int64(1)}), Timestamp: NoTimestamp},
		{Value: enc(t, "b"), Timestamp: NoTimestamp}}
	if !reflect.DeepEqual(r.rows, wantRows) {
		t.Fatalf("rows %#v", r.rows)
	}
	wantState := []StateEntry{{Key: value.Raw("K"), Name: "reduce", Value: enc(t, int64(5))}, {Key: value.Raw("D"), Name: "reduce"}}
	if !reflect.DeepEqual(r.state, wantState) {
		t.Fatalf("state %#v", r.state)
	}

	e, err := parseResponse(msg(t, "t", "error", "seq", nil, "operator", "Map", "message", "ValueError: x", "traceback", "tb"))
	if err != nil {
		t.Fatal(err)
	}
	if e.hasSeq || e.userError().Operator != "Map" || e.userError().Message != "ValueError: x" || e.userError().Traceback != "tb" {
		t.Fatalf("error response %+v", e)
	}
}

// TestParseResponseEventTime checks timestamps, tags, timer operations and state declarations.
func TestParseResponseEventTime(t *testing.T) {
	data := msg(t, "t", "result", "seq", int64(1),
		"rows", []any{int64(1), int64(2), int64(3)},
		"ts", []any{int64(5), nil, int64(math.MinInt64 + 1)},
		"tags", []any{nil, "late", "late"},
		"timers", []any{[]any{[]byte("K"), int64(10), int64(0), false}, []any{[]byte("J"), int64(-3), int64(1), true}},
		"states", []any{
			map[string]any{"name": "count", "kind": "value"},
			map[string]any{"name": "seen", "kind": "list", "ttl": int64(60000), "update": "OnReadAndWrite", "visibility": "NeverReturnExpired"},
		})
	r, err := parseResponse(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Value: enc(t, int64(1)), Timestamp: 5},
		{Value: enc(t, int64(2)), Timestamp: NoTimestamp, Tag: "late"},
		{Value: enc(t, int64(3)), Timestamp: math.MinInt64 + 1, Tag: "late"},
	}
	if !reflect.DeepEqual(r.rows, want) {
		t.Fatalf("rows %#v", r.rows)
	}
	wantOps := []TimerOp{{Key: value.Raw("K"), Timestamp: 10, Domain: EventTime}, {Key: value.Raw("J"), Timestamp: -3, Domain: ProcessingTime, Delete: true}}
	if !reflect.DeepEqual(r.timers, wantOps) {
		t.Fatalf("timers %#v", r.timers)
	}
	wantDecls := []StateDecl{{Name: "count", Kind: "value"}, {Name: "seen", Kind: "list", TTL: 60000, TTLUpdate: "OnReadAndWrite", Visibility: "NeverReturnExpired"}}
	if !reflect.DeepEqual(r.states, wantDecls) {
		t.Fatalf("states %#v", r.states)
	}
}

// TestParseResponseErrors checks malformed messages are reported.
func TestParseResponseErrors(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"not a map", enc(t, []any{}), "expected a map"},
		{"keys mismatch", msg(t, "t", "result", "seq", int64(1), "rows", []any{int64(1)}, "keys", []any{}), "0 keys for 1 rows"},
		{"bad state", msg(t, "t", "result", "state", []any{[]any{"notbin", "reduce", nil}}), "state: entry 0 key"},
		{"seq not int", msg(t, "t", "result", "seq", "x"), "seq"},
		{"truncated", enc(t, map[string]any{"t": "result"})[:3], "truncated"},
		{"trailing", append(msg(t, "t", "opened"), 0x01), "1 bytes after the message"},
		{"ts mismatch", msg(t, "t", "result", "rows", []any{int64(1)}, "ts", []any{int64(1), int64(2)}), "2 timestamps for 1 rows"},
		{"ts not int", msg(t, "t", "result", "rows", []any{int64(1)}, "ts", []any{"x"}), "timestamp 0"},
		{"tag not str", msg(t, "t", "result", "rows", []any{int64(1)}, "tags", []any{int64(1)}), "tag 0"},
		{"timer shape", msg(t, "t", "result", "timers", []any{[]any{[]byte("K"), int64(1)}}), "timers: timer 0: want [key, timestamp, domain, delete]"},
		{"timer domain", msg(t, "t", "result", "timers", []any{[]any{[]byte("K"), int64(1), int64(2), false}}), "unknown time domain 2"},
		{"timer delete", msg(t, "t", "result", "timers", []any{[]any{[]byte("K"), int64(1), int64(0), int64(1)}}), "delete: want a bool"},
		{"state decl without name", msg(t, "t", "opened", "states", []any{map[string]any{"kind": "value"}}), "declaration 0 has no name"},
		{"state decl ttl", msg(t, "t", "opened", "states", []any{map[string]any{"name": "a", "ttl": "x"}}), "declaration 0 ttl"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := parseResponse(c.data); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error = %v, want %q", err, c.want)
			}
		})
	}
}
