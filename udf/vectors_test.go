package udf

import (
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

// messageVector returns the bytes of a protocol-message vector of testdata/vectors.json.
func messageVector(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vectors []struct{ Name, Hex string }
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	for _, v := range vectors {
		if v.Name == name {
			b, err := hex.DecodeString(v.Hex)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("no vector %q", name)
	return nil
}

// TestBatchMessageVectors checks appendBatch writes the pinned bytes the Python tests read.
func TestBatchMessageVectors(t *testing.T) {
	k, j := enc(t, "k"), enc(t, "j")
	cases := []struct {
		name  string
		seq   int64
		batch Batch
	}{
		{"msg_batch_plain", 1, Batch{
			Rows:      []Row{{Value: enc(t, value.Tuple{"a", int64(1)}), Timestamp: NoTimestamp}, {Value: enc(t, "b"), Timestamp: NoTimestamp}},
			Watermark: math.MinInt64, ProcessingTime: 1700000000000,
		}},
		{"msg_batch_event_time", 3, Batch{
			Rows: []Row{
				{Key: k, Value: enc(t, int64(1)), Timestamp: 5, Input: 1, Window: &Window{Kind: "time", Start: 0, End: 5}},
				{Key: k, Value: enc(t, "a"), Timestamp: NoTimestamp, Window: &Window{Kind: "global"}},
				{Value: enc(t, value.Tuple{int64(2)}), Timestamp: -1},
			},
			State:     []StateEntry{{Key: k, Name: "count", Value: enc(t, int64(2))}, {Key: k, Name: "seen"}},
			Evict:     []value.Raw{j},
			Watermark: 4, ProcessingTime: 1700000000000,
			Timers: []Timer{{Key: k, Timestamp: 10, Domain: EventTime}, {Key: j, Timestamp: 1700000001000, Domain: ProcessingTime}},
		}},
		{"msg_batch_broadcast", 1, Batch{
			Watermark: math.MinInt64, ProcessingTime: 1700000000000,
			Broadcast: []BroadcastState{{Name: "rules", Value: broadcastRules(t)}, {Name: "empty", Value: enc(t, &value.Map{})}},
			Snapshot:  true,
		}},
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
}

// broadcastRules is the broadcast state of the msg_*_broadcast vectors:
// {'a': 1, (2, 'b'): [3]}.
func broadcastRules(t *testing.T) value.Raw {
	return enc(t, &value.Map{Keys: []any{"a", value.Tuple{int64(2), "b"}}, Values: []any{int64(1), []any{int64(3)}}})
}

// TestBroadcastResultVector checks a snapshot's answer parses into the
// broadcast states in the worker's order, values kept verbatim.
func TestBroadcastResultVector(t *testing.T) {
	r, err := parseResponse(messageVector(t, "msg_result_broadcast"))
	if err != nil {
		t.Fatal(err)
	}
	want := []BroadcastState{{Name: "rules", Value: broadcastRules(t)}, {Name: "empty", Value: enc(t, &value.Map{})}}
	if r.kind != respResult || r.seq != 1 || len(r.rows) != 0 || !reflect.DeepEqual(r.broadcast, want) {
		t.Fatalf("result %+v", r)
	}
	r, err = parseResponse(messageVector(t, "msg_result_event_time"))
	if err != nil || r.broadcast != nil {
		t.Fatalf("a result without the field has broadcast states %v (%v)", r.broadcast, err)
	}
}

// TestBadBroadcastStates checks what a batch or a result cannot carry is an error.
func TestBadBroadcastStates(t *testing.T) {
	if _, err := appendBatch(nil, 1, &Batch{Broadcast: []BroadcastState{{Name: "rules"}}}); err == nil {
		t.Fatal("a broadcast state without a value was encoded")
	}
	for _, bad := range []any{int64(1), []any{}} {
		msg := &value.Map{Keys: []any{"t", "seq", "broadcast"},
			Values: []any{"result", int64(1), &value.Map{Keys: []any{"rules"}, Values: []any{bad}}}}
		if _, err := parseResponse(enc(t, msg)); err == nil {
			t.Fatalf("broadcast %v parsed", bad)
		}
	}
}

// TestResponseMessageVectors checks the pinned responses the Python tests produce parse as intended.
func TestResponseMessageVectors(t *testing.T) {
	r, err := parseResponse(messageVector(t, "msg_opened_states"))
	if err != nil {
		t.Fatal(err)
	}
	wantDecls := []StateDecl{{Name: "count", Kind: "value"}, {Name: "seen", Kind: "list", TTL: 60000, TTLUpdate: "OnReadAndWrite", Visibility: "NeverReturnExpired"}}
	if r.kind != respOpened || !reflect.DeepEqual(r.states, wantDecls) {
		t.Fatalf("opened %+v", r)
	}

	r, err = parseResponse(messageVector(t, "msg_result_event_time"))
	if err != nil {
		t.Fatal(err)
	}
	k := enc(t, "k")
	wantRows := []Row{
		{Key: enc(t, []byte("\xa1a")), Value: enc(t, value.Tuple{"a", int64(1)}), Timestamp: 5},
		{Key: enc(t, int64(2)), Value: enc(t, int64(2)), Timestamp: NoTimestamp},
		{Value: enc(t, "late"), Timestamp: math.MaxInt64, Tag: "late"},
	}
	if r.kind != respResult || r.seq != 3 || !reflect.DeepEqual(r.rows, wantRows) {
		t.Fatalf("result %+v", r)
	}
	if want := []StateEntry{{Key: k, Name: "count", Value: enc(t, int64(2))}, {Key: k, Name: "seen"}}; !reflect.DeepEqual(r.state, want) {
		t.Fatalf("state %#v", r.state)
	}
	if want := []TimerOp{{Key: k, Timestamp: 15, Domain: EventTime}, {Key: k, Timestamp: 14, Domain: ProcessingTime, Delete: true}}; !reflect.DeepEqual(r.timers, want) {
		t.Fatalf("timers %#v", r.timers)
	}
	if want := []StateDecl{{Name: "lazy", Kind: "map"}}; !reflect.DeepEqual(r.states, want) {
		t.Fatalf("states %#v", r.states)
	}
}
