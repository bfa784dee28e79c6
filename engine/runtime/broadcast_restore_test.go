package runtime

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// broadcastPoint is a restore point whose operator "op" ran at parallelism
// par; subtask s wrote a copy "<name>@<s>" of every broadcast state in
// names except those listed in missing[s].
func broadcastPoint(t *testing.T, par int, names []string, missing map[int][]string) *RestorePoint {
	t.Helper()
	rp := &RestorePoint{ID: 7, ops: map[string][]*section{}, finished: map[string]bool{}, claimed: map[string]bool{}}
	for s := 0; s < par; s++ {
		snap := &OperatorSnapshot{}
	names:
		for _, name := range names {
			for _, m := range missing[s] {
				if m == name {
					continue names
				}
			}
			snap.PutBroadcast(name, []byte(fmt.Sprintf("%s@%d", name, s)))
		}
		sec := newSection("op", s, par, snap)
		if sec == nil {
			continue
		}
		// Through the task file's encoding, as a checkpoint stores it.
		data, err := msgpack.Marshal([]*section{sec})
		if err != nil {
			t.Fatal(err)
		}
		var back []*section
		if err := msgpack.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		rp.ops["op"] = append(rp.ops["op"], back...)
	}
	return rp
}

// TestBroadcastStateRepartitioning pins the rule of RestorePoint.stateFor:
// the same parallelism restores every subtask's own copies; another gives
// new subtask i, per name, copy i mod (number of copies), as Flink's
// RoundRobinOperatorStateRepartitioner deals BROADCAST state.
func TestBroadcastStateRepartitioning(t *testing.T) {
	cases := []struct {
		name     string
		old, new int
		missing  map[int][]string
		// want[i] is new subtask i's broadcast state.
		want []map[string]string
	}{
		{"1 to 1", 1, 1, nil, []map[string]string{{"a": "a@0", "b": "b@0"}}},
		{"2 to 2", 2, 2, nil, []map[string]string{{"a": "a@0", "b": "b@0"}, {"a": "a@1", "b": "b@1"}}},
		{"2 to 3", 2, 3, nil, []map[string]string{
			{"a": "a@0", "b": "b@0"}, {"a": "a@1", "b": "b@1"}, {"a": "a@0", "b": "b@0"}}},
		{"3 to 1", 3, 1, nil, []map[string]string{{"a": "a@0", "b": "b@0"}}},
		// A name only some subtasks wrote is dealt over its own copies.
		{"3 to 2, b missing in subtask 0", 3, 2, map[int][]string{0: {"b"}}, []map[string]string{
			{"a": "a@0", "b": "b@1"}, {"a": "a@1", "b": "b@2"}}},
		// At the same parallelism a subtask gets only what it wrote.
		{"2 to 2, b missing in subtask 1", 2, 2, map[int][]string{1: {"b"}}, []map[string]string{
			{"a": "a@0", "b": "b@0"}, {"a": "a@1"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rp := broadcastPoint(t, c.old, []string{"a", "b"}, c.missing)
			for i := 0; i < c.new; i++ {
				st := rp.stateFor("op", i, c.new, 128)
				if st == nil {
					t.Fatalf("subtask %d: no state", i)
				}
				got := map[string]string{}
				for name, data := range st.Broadcast {
					got[name] = string(data)
				}
				if !reflect.DeepEqual(got, c.want[i]) {
					t.Errorf("subtask %d of %d: got %v, want %v", i, c.new, got, c.want[i])
				}
				if st.CheckpointID != 7 || len(st.KeyGroups) != 0 || len(st.Items) != 0 {
					t.Errorf("subtask %d: restored more than broadcast state: %+v", i, st)
				}
			}
		})
	}
}

// TestBroadcastOnlySnapshotIsKept checks a snapshot that holds only
// broadcast state is neither empty nor dropped, and that an operator the
// job no longer has is reported unclaimed because of it.
func TestBroadcastOnlySnapshotIsKept(t *testing.T) {
	snap := &OperatorSnapshot{}
	if !snap.Empty() || newSection("op", 0, 1, snap) != nil {
		t.Fatal("an empty snapshot makes a section")
	}
	snap.PutBroadcast("rules", []byte{1})
	if snap.Empty() {
		t.Fatal("a snapshot with broadcast state is empty")
	}
	rp := broadcastPoint(t, 1, []string{"rules"}, nil)
	if got := rp.unclaimed(); !reflect.DeepEqual(got, []string{"op"}) {
		t.Fatalf("unclaimed %v", got)
	}
}
