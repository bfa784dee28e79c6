// Package sourcetest checks that a checkpointed source neither loses nor
// repeats records across a failure: it runs every subtask of a source up to
// a cut, snapshots it there, then restores fresh subtasks (at the same or
// another parallelism) from the snapshot's items, dealt as the runtime deals
// operator list state, and compares what was emitted in total with an
// uninterrupted run.
package sourcetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// NewSource makes the source of one subtask, as a SourceSpec does.
type NewSource func(ctx *rt.Context) (rt.Source, error)

// errCrash stops a source at the cut, as a failure would.
var errCrash = errors.New("crash after the snapshot")

const checkpointID = 7

// output collects records; at the cut it takes the snapshot, either right
// away (inside Emit) or at the source's next ctx.Tick (through a posted
// event, which the standalone context handles in Tick), and fails the next
// Emit after the snapshot.
type output struct {
	ctx     *rt.Context
	src     rt.Source
	cut     int // records before the snapshot is asked for; -1: never
	atTick  bool
	records []any
	items   [][]byte
	snapped bool
	asked   int // records emitted when the snapshot was asked for
	at      int // records emitted when it was taken
	err     error
}

func (o *output) Emit(r types.Record) error {
	if o.snapped {
		return errCrash
	}
	o.records = append(o.records, r.Value)
	if len(o.records) == o.cut {
		o.asked = len(o.records)
		if o.atTick {
			o.ctx.Post(o, nil)
		} else {
			o.snapshot()
		}
	}
	return o.err
}

func (o *output) EmitWatermark(int64) error { return nil }

// HandleAsync takes the snapshot asked for at the cut, inside ctx.Tick.
func (o *output) HandleAsync(any) error { o.snapshot(); return nil }

func (o *output) snapshot() {
	cp, ok := o.src.(rt.Checkpointed)
	if !ok {
		o.err = fmt.Errorf("source %T is not checkpointed", o.src)
		return
	}
	snap := &rt.OperatorSnapshot{}
	if err := cp.SnapshotState(checkpointID, snap); err != nil {
		o.err = err
		return
	}
	o.items, o.snapped, o.at = snap.Items, true, len(o.records)
}

// Run runs subtask of par to its end or to the cut (a negative cut never
// cuts). A subtask that ends before the cut is snapshotted after Run
// returns, as a source that has run dry. restored, if not nil, is restored
// first. It returns what was emitted up to the snapshot and the snapshot's
// items.
func Run(t *testing.T, newSrc NewSource, subtask, par int, restored [][]byte, cut int, atTick bool) ([]any, [][]byte) {
	t.Helper()
	ctx := rt.NewStandaloneContext(context.Background(), &rt.Env{}, subtask, par, 128)
	src, err := newSrc(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := &output{ctx: ctx, src: src, cut: cut, atTick: atTick}
	if err := src.Open(ctx, out); err != nil {
		t.Fatal(err)
	}
	if restored != nil {
		if err := src.(rt.Checkpointed).RestoreState(&rt.RestoredState{CheckpointID: checkpointID, Items: restored}); err != nil {
			t.Fatal(err)
		}
	}
	if cut == 0 {
		out.snapshot()
	}
	err = src.Run()
	if err != nil && !errors.Is(err, errCrash) {
		t.Fatalf("subtask %d/%d: %v", subtask, par, err)
	}
	if out.err != nil {
		t.Fatalf("subtask %d/%d: %v", subtask, par, out.err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if cut < 0 {
		return out.records, nil
	}
	if !out.snapped {
		out.snapshot()
		if out.err != nil {
			t.Fatal(out.err)
		}
	}
	if atTick && out.asked > 0 && out.at-out.asked > MaxRecordsBetweenTicks {
		t.Errorf("subtask %d/%d: %d records between the cut and the next ctx.Tick, want at most %d",
			subtask, par, out.at-out.asked, MaxRecordsBetweenTicks)
	}
	return out.records[:out.at], out.items
}

// MaxRecordsBetweenTicks bounds how many records a source may emit between
// two calls to ctx.Tick.
const MaxRecordsBetweenTicks = 512

// Redistribute deals the items of old subtasks (in subtask order) to par
// new subtasks as the runtime does: each subtask its own items at the same
// parallelism, else all items round-robin.
func Redistribute(old [][][]byte, par int) [][][]byte {
	out := make([][][]byte, par)
	for i := range out {
		out[i] = [][]byte{} // restored, even with nothing
	}
	if len(old) == par {
		for i, items := range old {
			out[i] = append(out[i], items...)
		}
		return out
	}
	n := 0
	for _, items := range old {
		for _, item := range items {
			out[n%par] = append(out[n%par], item)
			n++
		}
	}
	return out
}

// Case is one cut of a source.
type Case struct {
	Name           string
	OldPar, NewPar int
	Cut            int // records per subtask before the snapshot
	AtTick         bool
}

// Check runs the case: the records of the cut run and of the restored run
// together must equal an uninterrupted run at OldPar. At the same
// parallelism each subtask's records must match exactly, in order; at
// another one the multisets must (every record once).
func Check(t *testing.T, newSrc NewSource, c Case) {
	t.Helper()
	var want [][]any
	for i := 0; i < c.OldPar; i++ {
		recs, _ := Run(t, newSrc, i, c.OldPar, nil, -1, false)
		want = append(want, recs)
	}
	var before [][]any
	var items [][][]byte
	for i := 0; i < c.OldPar; i++ {
		recs, its := Run(t, newSrc, i, c.OldPar, nil, c.Cut, c.AtTick)
		before = append(before, recs)
		items = append(items, its)
	}
	var after [][]any
	for i, its := range Redistribute(items, c.NewPar) {
		recs, _ := Run(t, newSrc, i, c.NewPar, its, -1, false)
		after = append(after, recs)
	}
	if c.OldPar == c.NewPar {
		for i := range want {
			got := append(slices.Clone(before[i]), after[i]...)
			if !slices.Equal(got, want[i]) {
				t.Fatalf("subtask %d: cut+restored run emitted %d records %v,\nuninterrupted %d records %v",
					i, len(got), abbrev(got), len(want[i]), abbrev(want[i]))
			}
		}
		return
	}
	all := func(parts [][]any) []string {
		var s []string
		for _, p := range parts {
			for _, v := range p {
				s = append(s, fmt.Sprint(v))
			}
		}
		slices.Sort(s)
		return s
	}
	got := all(append(before, after...))
	exp := all(want)
	if !slices.Equal(got, exp) {
		t.Fatalf("cut at %d and restored at parallelism %d: %d records, uninterrupted %d; first difference at %s",
			c.Cut, c.NewPar, len(got), len(exp), firstDiff(got, exp))
	}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("%d: %s vs %s", i, a[i], b[i])
		}
	}
	return fmt.Sprintf("%d (one is a prefix of the other)", min(len(a), len(b)))
}

func abbrev(v []any) string {
	if len(v) <= 12 {
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("%v ... %v", v[:6], v[len(v)-6:])
}
