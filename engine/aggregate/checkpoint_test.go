package aggregate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

const testMaxPar = 128

type lines struct{ out []string }

func (l *lines) Emit(r types.Record) error {
	v, err := value.Decode(r.Value.(value.Raw))
	if err != nil {
		return err
	}
	l.out = append(l.out, fmt.Sprint(v))
	return nil
}
func (l *lines) EmitWatermark(int64) error { return nil }

func bytesHash(k any) (int32, error) { return keygroup.BytesHash(k.(value.Raw)), nil }

// subtask is one aggregation subtask of par.
type subtask struct {
	op  *op
	out *lines
	r   keygroup.Range
}

func openSubtask(t *testing.T, spec Spec, i, par int) *subtask {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	rc := rt.NewStandaloneContext(ctx, &rt.Env{Mode: "STREAMING"}, i, par, testMaxPar)
	o, err := spec.NewOperator(rc)
	if err != nil {
		t.Fatal(err)
	}
	s := &subtask{op: o.(*op), out: &lines{}, r: keygroup.RangeFor(testMaxPar, par, i)}
	if err := s.op.Open(rc, s.out); err != nil {
		t.Fatal(err)
	}
	return s
}

type input struct {
	key value.Raw
	val value.Tuple
}

func inputs(t *testing.T, n int) []input {
	var out []input
	for i := 0; i < n; i++ {
		k := fmt.Sprintf("k%d", i%17)
		enc, err := value.Encode(k)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, input{key: value.Raw(enc), val: value.Tuple{k, int64(i*7%23 - 5), float64(i) / 4}})
	}
	return out
}

// run feeds ins to the subtasks, each record to the one owning its key group.
func run(t *testing.T, subs []*subtask, ins []input) {
	t.Helper()
	for _, in := range ins {
		kg := keygroup.ForHash(keygroup.BytesHash(in.key), testMaxPar)
		fed := false
		for _, s := range subs {
			if s.r.Contains(kg) {
				if err := s.op.Process(types.Record{Key: in.key, Value: in.val}); err != nil {
					t.Fatal(err)
				}
				fed = true
			}
		}
		if !fed {
			t.Fatalf("no subtask owns key group %d", kg)
		}
	}
}

func output(subs ...[]*subtask) []string {
	var out []string
	for _, ss := range subs {
		for _, s := range ss {
			out = append(out, s.out.out...)
		}
	}
	sort.Strings(out)
	return out
}

// snapshotAll snapshots every subtask: a savepoint gives key-group blobs
// (and list items), a checkpoint each subtask's chain of files, as stored.
func snapshotAll(t *testing.T, subs []*subtask, savepoint bool) (map[int][]byte, [][]byte, []checkpoint.BackendFiles) {
	t.Helper()
	kgs := map[int][]byte{}
	var items [][]byte
	var chains []checkpoint.BackendFiles
	for _, s := range subs {
		snap := &rt.OperatorSnapshot{Savepoint: savepoint}
		if err := s.op.SnapshotState(1, snap); err != nil {
			t.Fatal(err)
		}
		if err := snap.Finish(); err != nil { // the part after the barrier
			t.Fatal(err)
		}
		for kg, d := range snap.KeyGroups {
			if !s.r.Contains(kg) {
				t.Fatalf("subtask with key groups %d..%d snapshots key group %d", s.r.Start, s.r.End, kg)
			}
			kgs[kg] = d
		}
		items = append(items, snap.Items...)
		if snap.Files != nil {
			chains = append(chains, store(t, snap))
		}
	}
	return kgs, items, chains
}

// store does what the runtime does with a snapshot's files: it moves them
// out of the directory handed over (which it removes) and returns the
// handle a restore receives, names resolved to paths, in name order.
func store(t *testing.T, snap *rt.OperatorSnapshot) checkpoint.BackendFiles {
	t.Helper()
	lf := snap.Files
	defer os.RemoveAll(lf.Dir)
	ents, err := os.ReadDir(lf.Dir)
	if err != nil {
		t.Fatal(err)
	}
	h := lf.Handle
	dst := t.TempDir()
	for _, e := range ents {
		if !lf.Immutable(e.Name()) {
			t.Fatalf("chain file %s is not marked immutable", e.Name())
		}
		path := filepath.Join(dst, e.Name())
		if err := os.Link(filepath.Join(lf.Dir, e.Name()), path); err != nil {
			t.Fatal(err)
		}
		h.Files = append(h.Files, checkpoint.StoredFile{Local: e.Name(), Name: path, Shared: true})
	}
	return h
}

// restoreInto restores subtask s from the key groups of its range and the
// chains overlapping it, as the runtime deals them.
func restoreInto(t *testing.T, s *subtask, kgs map[int][]byte, chains []checkpoint.BackendFiles) {
	t.Helper()
	st := &rt.RestoredState{CheckpointID: 1, KeyGroups: map[int][]byte{}}
	for kg, d := range kgs {
		if s.r.Contains(kg) {
			st.KeyGroups[kg] = d
		}
	}
	for _, ch := range chains {
		if ch.Overlaps(s.r.Start, s.r.End) {
			st.Files = append(st.Files, ch)
		}
	}
	if err := s.op.RestoreState(st); err != nil {
		t.Fatal(err)
	}
}

// TestAggregateRestore runs every aggregation over keyed tuples, takes a
// savepoint or a checkpoint midway at parallelism 2, restores at 1, 2 and 3
// and requires the output of the uninterrupted run.
func TestAggregateRestore(t *testing.T) {
	ins := inputs(t, 400)
	for _, kind := range []Kind{Sum, Min, Max, MinBy, MaxBy} {
		for _, pos := range []int{1, 2} {
			spec := Spec{Kind: kind, Pos: pos, KeyHash: bytesHash}
			full := []*subtask{openSubtask(t, spec, 0, 1)}
			run(t, full, ins)
			want := output(full)
			for _, newPar := range []int{1, 2, 3} {
				for _, savepoint := range []bool{true, false} {
					t.Run(fmt.Sprintf("%s/%d/to%d/savepoint=%v", kind, pos, newPar, savepoint), func(t *testing.T) {
						old := []*subtask{openSubtask(t, spec, 0, 2), openSubtask(t, spec, 1, 2)}
						run(t, old, ins[:150])
						kgs, items, chains := snapshotAll(t, old, savepoint)
						before := output(old)
						if savepoint && (len(items) != 0 || len(kgs) == 0 || len(chains) != 0) {
							t.Fatalf("savepoint with a key hash: %d key groups, %d items, %d chains", len(kgs), len(items), len(chains))
						}
						if !savepoint && (len(items) != 0 || len(kgs) != 0 || len(chains) != 2) {
							t.Fatalf("checkpoint with a key hash: %d key groups, %d items, %d chains", len(kgs), len(items), len(chains))
						}
						run(t, old, ins[150:170]) // lost with the failure
						var restored []*subtask
						for i := 0; i < newPar; i++ {
							s := openSubtask(t, spec, i, newPar)
							restoreInto(t, s, kgs, chains)
							restored = append(restored, s)
						}
						run(t, restored, ins[150:])
						got := append(before, output(restored)...)
						sort.Strings(got)
						if strings.Join(got, "\n") != strings.Join(want, "\n") {
							t.Fatalf("output differs from the uninterrupted run:\n got %v\nwant %v", got, want)
						}
					})
				}
			}
		}
	}
}

// TestAggregateRestoreWithoutKeyHash: without the key_by's hash the state is
// one item per subtask, restored only into the same subtask and parallelism.
func TestAggregateRestoreWithoutKeyHash(t *testing.T) {
	ins := inputs(t, 100)
	spec := Spec{Kind: Sum, Pos: 1}
	full := []*subtask{openSubtask(t, spec, 0, 1)}
	run(t, full, ins)

	old := []*subtask{openSubtask(t, spec, 0, 1)}
	run(t, old, ins[:40])
	kgs, items, _ := snapshotAll(t, old, false)
	if len(kgs) != 0 || len(items) != 1 {
		t.Fatalf("snapshot without a key hash: %d key groups, %d items; want 1 item", len(kgs), len(items))
	}
	s := openSubtask(t, spec, 0, 1)
	if err := s.op.RestoreState(&rt.RestoredState{CheckpointID: 1, Items: items}); err != nil {
		t.Fatal(err)
	}
	run(t, []*subtask{s}, ins[40:])
	got := append(append([]string(nil), old[0].out.out...), s.out.out...)
	if strings.Join(got, "\n") != strings.Join(full[0].out.out, "\n") {
		t.Fatalf("output differs from the uninterrupted run:\n got %v\nwant %v", got, full[0].out.out)
	}

	other := openSubtask(t, spec, 1, 2)
	err := other.op.RestoreState(&rt.RestoredState{CheckpointID: 1, Items: items})
	if err == nil || !strings.Contains(err.Error(), "subtask 1 of 1") || !strings.Contains(err.Error(), "subtask 2 of 2") {
		t.Fatalf("restore into another parallelism: %v, want an error naming both subtasks", err)
	}
}

func TestAggregateRestoreCorrupt(t *testing.T) {
	spec := Spec{Kind: Sum, Pos: 1, KeyHash: bytesHash}
	s := openSubtask(t, spec, 0, 1)
	run(t, []*subtask{s}, inputs(t, 5))
	kgs, _, _ := snapshotAll(t, []*subtask{s}, true)
	for kg, d := range kgs {
		for _, bad := range [][]byte{{7}, d[:len(d)-1], append([]byte{1, 2, 'a', 'b', 1, 0xc1}, d[1:]...)} {
			r := openSubtask(t, spec, 0, 1)
			err := r.op.RestoreState(&rt.RestoredState{CheckpointID: 3, KeyGroups: map[int][]byte{kg: bad}})
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("key group %d", kg)) {
				t.Fatalf("corrupt %q: %v, want an error naming key group %d", bad, err, kg)
			}
		}
		break
	}
}

// TestSnapshotViewStaysFrozen checks that a snapshot's deferred part writes
// the accumulators as they were at its barrier although records are
// processed before it runs: one snapshot held while records arrive, a
// second taken while the first is still pending (checkpoints overlapping),
// and a third after both, when the updates made meanwhile are folded back.
// Savepoints write key groups; checkpoints a base file, then deltas.
func TestSnapshotViewStaysFrozen(t *testing.T) {
	spec := Spec{Kind: Sum, Pos: 1, KeyHash: bytesHash}
	ins := inputs(t, 300)
	want := func(n int) []string {
		ref := openSubtask(t, spec, 0, 1)
		run(t, []*subtask{ref}, ins[:n])
		return finalValues(t, ref)
	}
	for _, savepoint := range []bool{true, false} {
		t.Run(fmt.Sprintf("savepoint=%v", savepoint), func(t *testing.T) {
			s := openSubtask(t, spec, 0, 1)
			snapshot := func(id int64) *rt.OperatorSnapshot {
				snap := &rt.OperatorSnapshot{Savepoint: savepoint}
				if err := s.op.SnapshotState(id, snap); err != nil {
					t.Fatal(err)
				}
				return snap
			}
			restored := func(snap *rt.OperatorSnapshot) []string {
				t.Helper()
				if err := snap.Finish(); err != nil {
					t.Fatal(err)
				}
				var chains []checkpoint.BackendFiles
				if !savepoint {
					chains = append(chains, store(t, snap))
				}
				r := openSubtask(t, spec, 0, 1)
				restoreInto(t, r, snap.KeyGroups, chains)
				return finalValues(t, r)
			}
			run(t, []*subtask{s}, ins[:100])
			first := snapshot(1)
			run(t, []*subtask{s}, ins[100:200])
			second := snapshot(2)
			run(t, []*subtask{s}, ins[200:250])
			if got, w := restored(first), want(100); fmt.Sprint(got) != fmt.Sprint(w) {
				t.Errorf("first snapshot:\n got %v\nwant %v", got, w)
			}
			if got, w := restored(second), want(200); fmt.Sprint(got) != fmt.Sprint(w) {
				t.Errorf("second snapshot:\n got %v\nwant %v", got, w)
			}
			run(t, []*subtask{s}, ins[250:])
			if got, w := restored(snapshot(3)), want(300); fmt.Sprint(got) != fmt.Sprint(w) {
				t.Errorf("third snapshot:\n got %v\nwant %v", got, w)
			}
			if got, w := finalValues(t, s), want(300); fmt.Sprint(got) != fmt.Sprint(w) {
				t.Errorf("live accumulators:\n got %v\nwant %v", got, w)
			}
		})
	}
}

// finalValues is every key's accumulator, sorted.
func finalValues(t *testing.T, s *subtask) []string {
	t.Helper()
	var out []string
	for k, a := range s.op.acc.all() {
		out = append(out, fmt.Sprintf("%q=%v", k, a.v))
	}
	sort.Strings(out)
	return out
}
