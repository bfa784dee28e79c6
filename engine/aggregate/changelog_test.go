package aggregate

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/state/changelog"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

// feed adds 1 to each of keys (k0, k1, ...) in the subtask.
func feed(t *testing.T, s *subtask, keys ...int) {
	t.Helper()
	for _, k := range keys {
		enc, err := value.Encode(fmt.Sprintf("k%d", k))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.op.Process(types.Record{Key: value.Raw(enc), Value: value.Tuple{int64(k), int64(1)}}); err != nil {
			t.Fatal(err)
		}
	}
}

func span(from, to int) []int {
	var ks []int
	for k := from; k < to; k++ {
		ks = append(ks, k)
	}
	return ks
}

// checkpointOf takes checkpoint id of s and stores its chain.
func checkpointOf(t *testing.T, s *subtask, id int64) checkpoint.BackendFiles {
	t.Helper()
	snap := &rt.OperatorSnapshot{}
	if err := s.op.SnapshotState(id, snap); err != nil {
		t.Fatal(err)
	}
	if err := snap.Finish(); err != nil {
		t.Fatal(err)
	}
	return store(t, snap)
}

// entriesIn counts the entries of one chain file.
func entriesIn(t *testing.T, spec Spec, f checkpoint.StoredFile) int {
	t.Helper()
	r := openSubtask(t, spec, 0, 1)
	data, err := changelog.Read(f.Name)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.op.readEntries(data, nil); err != nil {
		t.Fatal(err)
	}
	return len(r.op.acc.all())
}

// TestChangelogChain follows a chain through a sequence of checkpoints: a
// base file with every key, then deltas with only the keys changed since
// the checkpoint before, until the entries written would exceed twice the
// live keys and a new base starts the chain again. Every checkpoint
// restores the accumulators as they were when it was taken.
func TestChangelogChain(t *testing.T) {
	spec := Spec{Kind: Sum, Pos: 1, KeyHash: bytesHash}
	s := openSubtask(t, spec, 0, 1)
	feed(t, s, span(0, 1000)...)
	type step struct {
		keys  []int  // changed before the checkpoint
		kinds string // the chain's files' kinds after it
		last  int    // entries in its newest file
	}
	steps := []step{
		{nil, "B", 1000},
		{span(0, 100), "BD", 100},
		{append(span(100, 300), span(100, 300)...), "BDD", 200},
		{span(1000, 1100), "BDDD", 100}, // new keys: 1100 live
		{nil, "BDDDD", 0},
		{span(0, 600), "BDDDDD", 600}, // 2000 entries, within 2 × 1100
		{span(0, 300), "B", 1100},     // 2300 would exceed 2200
		{span(5, 6), "BD", 1},
	}
	for i, st := range steps {
		id := int64(i + 1)
		feed(t, s, st.keys...)
		h := checkpointOf(t, s, id)
		var kinds string
		for _, f := range h.Files {
			kinds += f.Local[len(f.Local)-1:]
		}
		if kinds != st.kinds {
			t.Fatalf("checkpoint %d: chain %q, want %q (%v)", id, kinds, st.kinds, h.Files)
		}
		if n := entriesIn(t, spec, h.Files[len(h.Files)-1]); n != st.last {
			t.Errorf("checkpoint %d: newest file holds %d entries, want %d", id, n, st.last)
		}
		r := openSubtask(t, spec, 0, 1)
		restoreInto(t, r, nil, []checkpoint.BackendFiles{h})
		if got, want := finalValues(t, r), finalValues(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("checkpoint %d restores\n %v\nwant\n %v", id, got, want)
		}
	}
	if err := s.op.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestChangelogFailedWrite: a checkpoint whose chain file cannot be written
// fails, and the frozen view it held is released: later checkpoints
// (a new base) restore every accumulator.
func TestChangelogFailedWrite(t *testing.T) {
	spec := Spec{Kind: Sum, Pos: 1, KeyHash: bytesHash}
	s := openSubtask(t, spec, 0, 1)
	feed(t, s, span(0, 50)...)
	checkpointOf(t, s, 1)
	feed(t, s, span(0, 10)...)
	second := &rt.OperatorSnapshot{}
	if err := s.op.SnapshotState(2, second); err != nil {
		t.Fatal(err)
	}
	// The directory handed over is gone, so the chain cannot be linked.
	if err := os.RemoveAll(second.Files.Dir); err != nil {
		t.Fatal(err)
	}
	if err := second.Finish(); err == nil || !strings.Contains(err.Error(), "checkpoint 2") {
		t.Fatalf("checkpoint 2 without its directory: %v, want an error naming it", err)
	}
	if s.op.acc.frozen && !s.op.acc.done.Load() {
		t.Fatal("the failed checkpoint did not release its view of the accumulators")
	}
	feed(t, s, span(20, 30)...)
	h := checkpointOf(t, s, 3)
	if len(h.Files) != 1 || !strings.HasSuffix(h.Files[0].Local, ".B") {
		t.Fatalf("checkpoint 3 after a failed write: chain %v, want a new base", h.Files)
	}
	r := openSubtask(t, spec, 0, 1)
	restoreInto(t, r, nil, []checkpoint.BackendFiles{h})
	if got, want := finalValues(t, r), finalValues(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("checkpoint 3 restores\n %v\nwant\n %v", got, want)
	}
}

// TestChangelogRestoreErrors: a damaged chain file, and files another
// state backend wrote, are refused with an error that names them.
func TestChangelogRestoreErrors(t *testing.T) {
	spec := Spec{Kind: Sum, Pos: 1, KeyHash: bytesHash}
	s := openSubtask(t, spec, 0, 1)
	feed(t, s, span(0, 20)...)
	h := checkpointOf(t, s, 1)
	path := h.Files[0].Name
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string][]byte{
		"magic":     append([]byte("XXXX"), data[4:]...),
		"truncated": data[:len(data)-1],
	} {
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		r := openSubtask(t, spec, 0, 1)
		err := r.op.RestoreState(&rt.RestoredState{CheckpointID: 1, Files: []checkpoint.BackendFiles{h}})
		if err == nil || !strings.Contains(err.Error(), h.Files[0].Local) {
			t.Errorf("%s: %v, want an error naming file %s", name, err, h.Files[0].Local)
		}
	}
	other := h
	other.Backend = "pebble"
	r := openSubtask(t, spec, 0, 1)
	err = r.op.RestoreState(&rt.RestoredState{CheckpointID: 1, Files: []checkpoint.BackendFiles{other}})
	if err == nil || !strings.Contains(err.Error(), `"pebble"`) {
		t.Errorf("pebble files: %v, want an error naming them", err)
	}
}
