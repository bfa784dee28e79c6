package udf

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

// TestWindowBatchVectors checks the window rows of a batch — a count window
// (its id), a clean-up row (value nil), a trigger call (a map value) — are
// written as the pinned bytes the Python tests read.
func TestWindowBatchVectors(t *testing.T) {
	k, j := enc(t, "k"), enc(t, "j")
	call := value.AppendMapHeader(nil, 2)
	call = value.AppendString(value.AppendString(call, "on"), "element")
	call = append(value.AppendString(call, "value"), enc(t, "x")...)
	cases := []struct {
		name  string
		seq   int64
		batch Batch
	}{
		{"msg_batch_windows", 2, Batch{Rows: []Row{
			{Key: k, Value: enc(t, []any{int64(1), int64(2)}), Timestamp: NoTimestamp, Window: &Window{Kind: CountWindowKind, Start: 3}},
			{Key: k, Value: value.Raw{0xc0}, Timestamp: NoTimestamp, Window: &Window{Kind: TimeWindowKind, Start: 0, End: 5}},
		}, Watermark: 4, ProcessingTime: 1700000000000}},
		{"msg_batch_trigger", 3, Batch{Rows: []Row{
			{Key: j, Value: call, Timestamp: 7, Window: &Window{Kind: GlobalWindowKind}},
		}, Watermark: 4, ProcessingTime: 1700000000000}},
		{"msg_batch_window_state", 2, Batch{Rows: []Row{
			{Key: k, Value: enc(t, []any{int64(1)}), Timestamp: NoTimestamp, Window: &Window{Kind: TimeWindowKind, Start: 0, End: 5}},
		}, State: []StateEntry{
			{Key: k, Name: "fired", Value: enc(t, int64(1)), Scope: ScopeWindow, Window: &Window{Kind: TimeWindowKind, Start: 0, End: 5}},
			{Key: k, Name: "count", Value: enc(t, int64(2)), Scope: ScopeTrigger, Window: &Window{Kind: CountWindowKind, Start: 3}},
			{Key: k, Name: "total", Value: enc(t, int64(4))},
		}, Watermark: 4, ProcessingTime: 1700000000000}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := appendBatch(nil, c.seq, &c.batch)
			if err != nil {
				t.Fatal(err)
			}
			if want := messageVector(t, c.name); string(got) != string(want) {
				t.Fatalf("got  %x\nwant %x", got, want)
			}
		})
	}
	if _, err := appendWindow(nil, &Window{Kind: "session"}); err == nil {
		t.Fatal("an unknown window kind was accepted")
	}
}

// TestWindowStateResultVector checks the write-back of a window chain
// parses into scoped and keyed entries (nil values: cleared).
func TestWindowStateResultVector(t *testing.T) {
	r, err := parseResponse(messageVector(t, "msg_result_window_state"))
	if err != nil {
		t.Fatal(err)
	}
	k := enc(t, "k")
	want := []StateEntry{
		{Key: k, Name: "fired", Value: enc(t, int64(2)), Scope: ScopeWindow, Window: &Window{Kind: TimeWindowKind, Start: 0, End: 5}},
		{Key: k, Name: "seen", Scope: ScopeTrigger, Window: &Window{Kind: GlobalWindowKind}},
		{Key: k, Name: "total"},
	}
	if !reflect.DeepEqual(r.state, want) {
		t.Fatalf("state\n got %+v\nwant %+v", r.state, want)
	}
}

// TestBadScopedState checks entries of scoped state without a scope or a
// window are errors on both sides.
func TestBadScopedState(t *testing.T) {
	if _, err := appendBatch(nil, 1, &Batch{State: []StateEntry{{Key: enc(t, "k"), Name: "n", Scope: ScopeWindow}}}); err == nil {
		t.Fatal("scoped state without a window was encoded")
	}
	for _, entry := range []any{
		[]any{[]byte("k"), "n", nil, "", []any{int64(0), int64(5)}},
		[]any{[]byte("k"), "n", nil, "window", "session"},
		[]any{[]byte("k"), "n", nil, "window", []any{int64(0)}},
		[]any{[]byte("k"), "n", nil, "window"},
	} {
		msg := &value.Map{Keys: []any{"t", "seq", "state"}, Values: []any{"result", int64(1), []any{entry}}}
		if _, err := parseResponse(enc(t, msg)); err == nil {
			t.Fatalf("entry %v parsed", entry)
		}
	}
}

// TestOpenedTriggerVector checks the declaration of a custom trigger parses
// as a state declaration of kind "trigger".
func TestOpenedTriggerVector(t *testing.T) {
	r, err := parseResponse(messageVector(t, "msg_opened_trigger"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.states) != 1 || r.states[0].Name != "MyTrigger" || r.states[0].Kind != "trigger" {
		t.Fatalf("got %+v", r.states)
	}
}

// TestTriggerAnswers checks the answers of custom-trigger calls parse, the
// pinned one the Python tests produce among them, and bad ones are refused.
func TestTriggerAnswers(t *testing.T) {
	a, err := ParseTriggerAnswer(messageVector(t, "msg_trigger_answer"))
	if err != nil {
		t.Fatal(err)
	}
	want := TriggerAnswer{Result: 1, HasResult: true, Timers: []TimerOp{
		{Timestamp: 4, Domain: EventTime}, {Timestamp: 1010, Domain: ProcessingTime, Delete: true}}}
	if fmt.Sprint(a) != fmt.Sprint(want) {
		t.Fatalf("got %+v, want %+v", a, want)
	}
	cases := []struct {
		name string
		v    any
		ok   bool
	}{
		{"merge or clear", []any{nil, []any{}}, true},
		{"purge", []any{int64(2), []any{}}, true},
		{"not a pair", []any{int64(1)}, false},
		{"result out of range", []any{int64(4), []any{}}, false},
		{"result not an int", []any{"FIRE", []any{}}, false},
		{"timer too short", []any{int64(0), []any{[]any{int64(1), int64(0)}}}, false},
		{"unknown domain", []any{int64(0), []any{[]any{int64(1), int64(2), false}}}, false},
		{"delete not a bool", []any{int64(0), []any{[]any{int64(1), int64(0), int64(1)}}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTriggerAnswer(enc(t, c.v))
			if (err == nil) != c.ok {
				t.Fatalf("err = %v, want ok %v", err, c.ok)
			}
		})
	}
}
