package filesink

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// newSink makes subtask i of par of a file sink writing to dir.
func newSink(t *testing.T, spec Spec, i, par int) *sink {
	t.Helper()
	ctx := rt.NewStandaloneContext(context.Background(), &rt.Env{}, i, par, 128)
	op, err := spec.NewOperator(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := op.Open(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return op.(*sink)
}

func baseSpec(dir string, legacy bool, c *clock) Spec {
	return Spec{BasePath: dir, BucketAssigner: "base_path", Legacy: legacy, Now: c.now}
}

// partFile is a visible part file.
type partFile struct {
	rel     string
	writer  string
	counter int
	lines   []string
}

// visible lists the committed part files under dir, ordered by bucket,
// writer and counter, and the hidden files.
func visible(t *testing.T, dir string) (parts []partFile, hidden []string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if strings.HasPrefix(d.Name(), ".") {
			hidden = append(hidden, rel)
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		name := d.Name()
		dash := strings.LastIndexByte(name, '-')
		c, err := strconv.Atoi(name[dash+1:])
		if err != nil {
			return fmt.Errorf("part name %s: %w", name, err)
		}
		writer := strings.TrimPrefix(name[:dash], "part-")
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		if len(b) == 0 {
			lines = nil
		}
		parts = append(parts, partFile{rel: rel, writer: writer, counter: c, lines: lines})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(parts, func(a, b partFile) int {
		if x := strings.Compare(filepath.Dir(a.rel), filepath.Dir(b.rel)); x != 0 {
			return x
		}
		if x := strings.Compare(a.writer, b.writer); x != 0 {
			return x
		}
		return a.counter - b.counter
	})
	return parts, hidden
}

func lines(parts []partFile) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p.lines...)
	}
	return out
}

func write(t *testing.T, s *sink, recs ...string) {
	t.Helper()
	for _, r := range recs {
		if err := s.Process(types.NewRecord(r)); err != nil {
			t.Fatal(err)
		}
	}
}

// script drives one sink subtask (parallelism 1) through steps:
//
//	w a b c       process records
//	snap N        snapshot for checkpoint N (items kept)
//	done N        checkpoint N completed
//	aborted N     checkpoint N aborted
//	crash         drop the sink: no Close, no notification
//	restore N     a new sink restored from checkpoint N's items
//	close         Close without EndInput (a failed or cancelled attempt)
//	end           EndInput and Close
//	roll          the clock moves past the rollover interval
func script(t *testing.T, dir string, legacy bool, steps string) *sink {
	t.Helper()
	c := &clock{t: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	spec := baseSpec(dir, legacy, c)
	s := newSink(t, spec, 0, 1)
	snaps := map[int64][][]byte{}
	for _, step := range strings.Split(steps, ";") {
		f := strings.Fields(step)
		var n int64
		if len(f) > 1 {
			n, _ = strconv.ParseInt(f[1], 10, 64)
		}
		var err error
		switch f[0] {
		case "w":
			write(t, s, f[1:]...)
		case "snap":
			snap := &rt.OperatorSnapshot{}
			err = s.SnapshotState(n, snap)
			snaps[n] = snap.Items
		case "done":
			err = s.NotifyCheckpointComplete(n)
		case "aborted":
			err = s.NotifyCheckpointAborted(n)
		case "crash":
			s = nil
		case "restore":
			s = newSink(t, spec, 0, 1)
			err = s.RestoreState(&rt.RestoredState{CheckpointID: n, Items: snaps[n]})
		case "close":
			err = s.Close()
		case "end":
			if err = s.EndInput(); err == nil {
				err = s.Close()
			}
		case "roll":
			c.t = c.t.Add(61 * time.Second)
		default:
			t.Fatalf("unknown step %q", step)
		}
		if err != nil {
			t.Fatalf("step %q: %v", step, err)
		}
	}
	return s
}

func TestTwoPhaseCommit(t *testing.T) {
	cases := []struct {
		name    string
		steps   string
		visible []string // lines of the visible parts, in part order
		files   int      // visible part files
		hidden  int      // hidden files left
	}{
		{"nothing visible before completion", "w a b; snap 1; w c", nil, 0, 2},
		{"completion shows its checkpoint only", "w a; snap 1; w b; snap 2; done 1", []string{"a"}, 1, 1},
		{"newer completion subsumes older", "w a; snap 1; w b; snap 2; done 2", []string{"a", "b"}, 2, 0},
		{"empty checkpoint writes no part", "w a; snap 1; snap 2; done 2", []string{"a"}, 1, 0},
		{"rolled part belongs to next checkpoint", "w a; roll; w b; snap 1; done 1", []string{"a", "b"}, 2, 0},
		{"aborted checkpoint commits with the next", "w a; snap 1; aborted 1; w b; snap 2; done 2", []string{"a", "b"}, 2, 0},
		{"aborted checkpoint alone shows nothing", "w a; snap 1; aborted 1; w b", nil, 0, 2},
		{"restore commits the restored checkpoint", "w a; snap 1; w b; snap 2; done 1; w c; crash; restore 2", []string{"a", "b"}, 2, 1},
		{"restore of an older checkpoint", "w a; snap 1; done 1; w b; snap 2; crash; restore 1; w b2; snap 3; done 3", []string{"a", "b2"}, 2, 1},
		{"restore after commit is idempotent", "w a; snap 1; done 1; crash; restore 1; w b; end", []string{"a", "b"}, 2, 0},
		{"restore twice from one checkpoint", "w a; snap 1; w x; crash; restore 1; w y; crash; restore 1; w b; end", []string{"a", "b"}, 2, 2},
		{"close deletes what no checkpoint holds", "w a; snap 1; w b; roll; w c; close", nil, 0, 1},
		{"close then restore", "w a; snap 1; w b; close; restore 1; end", []string{"a"}, 1, 0},
		{"end commits everything", "w a; snap 1; w b; end", []string{"a", "b"}, 2, 0},
		{"end with nothing written", "end", nil, 0, 0},
	}
	for _, legacy := range []bool{true, false} {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/legacy=%v", tc.name, legacy), func(t *testing.T) {
				dir := t.TempDir()
				script(t, dir, legacy, tc.steps)
				parts, hidden := visible(t, dir)
				got := lines(parts)
				if !legacy {
					// Part order across attempts is not in the names (each attempt has its own uuid).
					slices.Sort(got)
				}
				if !slices.Equal(got, tc.visible) {
					t.Errorf("visible lines %q, want %q", got, tc.visible)
				}
				if len(parts) != tc.files || len(hidden) != tc.hidden {
					t.Errorf("%d visible files, %d hidden %v; want %d and %d", len(parts), len(hidden), hidden, tc.files, tc.hidden)
				}
			})
		}
	}
}

func TestLegacyCountersContinueAfterRestore(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, true, "w a; snap 1; done 1; w b; snap 2; w c; snap 3; crash; restore 2; w d; end")
	parts, hidden := visible(t, dir)
	var names []string
	for _, p := range parts {
		names = append(names, p.rel)
	}
	// part-0-2 is the hidden file of checkpoint 3 (never completed); the
	// restored sink does not reuse its name.
	if want := []string{"part-0-0", "part-0-1", "part-0-3"}; !slices.Equal(names, want) {
		t.Fatalf("parts %v, want %v", names, want)
	}
	if len(hidden) != 1 || !strings.HasPrefix(hidden[0], ".part-0-2.inprogress.") {
		t.Fatalf("hidden files %v, want the pending file of checkpoint 3", hidden)
	}
}

func TestRestoreFailsWhenAPendingFileIsLost(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: time.Unix(0, 0)}
	s := newSink(t, baseSpec(dir, true, c), 0, 1)
	write(t, s, "a")
	snap := &rt.OperatorSnapshot{}
	if err := s.SnapshotState(1, snap); err != nil {
		t.Fatal(err)
	}
	_, hidden := visible(t, dir)
	if err := os.Remove(filepath.Join(dir, hidden[0])); err != nil {
		t.Fatal(err)
	}
	s = newSink(t, baseSpec(dir, true, c), 0, 1)
	err := s.RestoreState(&rt.RestoredState{CheckpointID: 1, Items: snap.Items})
	if err == nil || !strings.Contains(err.Error(), "part-0-0") || !strings.Contains(err.Error(), "checkpoint 1") {
		t.Fatalf("err = %v, want an error naming the lost part and the checkpoint", err)
	}
}

func TestOnCheckpointPolicyRollsOnlyAtCheckpoints(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: time.Unix(0, 0)}
	spec := baseSpec(dir, true, c)
	spec.Rolling = Rolling{OnCheckpoint: true, PartSize: 1}
	s := newSink(t, spec, 0, 1)
	write(t, s, "a", "b")
	c.t = c.t.Add(time.Hour)
	if err := s.Tick(); err != nil {
		t.Fatal(err)
	}
	write(t, s, "c")
	if err := s.SnapshotState(1, &rt.OperatorSnapshot{}); err != nil {
		t.Fatal(err)
	}
	write(t, s, "d")
	if err := s.EndInput(); err != nil {
		t.Fatal(err)
	}
	parts, _ := visible(t, dir)
	if len(parts) != 2 || !slices.Equal(parts[0].lines, []string{"a", "b", "c"}) {
		t.Fatalf("parts %+v, want [a b c] and [d]", parts)
	}
}

// TestBucketsAcrossRestore writes into hourly buckets and restores; each
// bucket keeps its own counters.
func TestBucketsAcrossRestore(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: time.Date(2024, 5, 6, 7, 59, 0, 0, time.UTC)}
	spec := Spec{BasePath: dir, Legacy: true, Now: c.now}
	s := newSink(t, spec, 0, 1)
	write(t, s, "h7a")
	c.t = c.t.Add(2 * time.Minute)
	write(t, s, "h8a")
	snap := &rt.OperatorSnapshot{}
	if err := s.SnapshotState(1, snap); err != nil {
		t.Fatal(err)
	}
	write(t, s, "lost")
	s = newSink(t, spec, 0, 1)
	if err := s.RestoreState(&rt.RestoredState{CheckpointID: 1, Items: snap.Items}); err != nil {
		t.Fatal(err)
	}
	write(t, s, "h8b")
	if err := s.EndInput(); err != nil {
		t.Fatal(err)
	}
	parts, _ := visible(t, dir)
	var got []string
	for _, p := range parts {
		got = append(got, fmt.Sprintf("%s=%v", p.rel, p.lines))
	}
	want := []string{"2024-05-06--07/part-0-0=[h7a]", "2024-05-06--08/part-0-0=[h8a]", "2024-05-06--08/part-0-2=[h8b]"}
	if !slices.Equal(got, want) {
		t.Fatalf("parts %v, want %v", got, want)
	}
}

// run is a job of one sink over input records with checkpoints and
// failures, as the runtime would drive it: every `every` records a
// checkpoint; the coordinator completes it, then notifies the sink, unless
// a failure comes between; after a failure the sink restores from the last
// completed checkpoint and the input is replayed from there.
type run struct {
	t        *testing.T
	spec     Spec
	par      int
	rng      *rand.Rand
	input    []string
	every    int
	failures int
}

type checkpoint struct {
	id    int64
	pos   int        // records of the input before the barrier
	items [][][]byte // per subtask
}

// exec runs the job to its end. Subtask i gets the records r with r%par == i.
func (r *run) exec() {
	t := r.t
	var completed *checkpoint
	var nextID int64 = 1
	attempt := 0
	for {
		attempt++
		par := r.par
		sinks := make([]*sink, par)
		pos := 0
		for i := range sinks {
			sinks[i] = newSink(t, r.spec, i, par)
		}
		if completed != nil {
			pos = completed.pos
			for i, items := range redistribute(completed.items, par) {
				if err := sinks[i].RestoreState(&rt.RestoredState{CheckpointID: completed.id, Items: items}); err != nil {
					t.Fatal(err)
				}
			}
		}
		failed := false
		for pos < len(r.input) && !failed {
			sinks[pos%par].Process(types.NewRecord(r.input[pos]))
			pos++
			if pos%r.every != 0 {
				continue
			}
			cp := &checkpoint{id: nextID, pos: pos}
			nextID++
			for _, s := range sinks {
				snap := &rt.OperatorSnapshot{}
				if err := s.SnapshotState(cp.id, snap); err != nil {
					t.Fatal(err)
				}
				cp.items = append(cp.items, snap.Items)
			}
			switch x := r.rng.Intn(10); {
			case x == 0 && r.failures > 0: // fail before the checkpoint completes
				r.failures--
				failed = true
			case x == 1: // the checkpoint is aborted
				for _, s := range sinks {
					s.NotifyCheckpointAborted(cp.id)
				}
			case x == 2 && r.failures > 0: // completes, fails before notifying
				r.failures--
				completed = cp
				failed = true
			case x == 3: // completes, notification lost (a later one subsumes it)
				completed = cp
			default:
				completed = cp
				for _, s := range sinks {
					if err := s.NotifyCheckpointComplete(cp.id); err != nil {
						t.Fatal(err)
					}
				}
			}
			if !failed && r.failures > 0 && r.rng.Intn(7) == 0 { // fail between checkpoints
				r.failures--
				failed = true
			}
			if failed && r.rng.Intn(2) == 0 { // a failure the sink sees: it is closed
				for _, s := range sinks {
					s.Close()
				}
			}
		}
		if !failed {
			for _, s := range sinks {
				if err := s.EndInput(); err != nil {
					t.Fatal(err)
				}
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
			}
			return
		}
		if attempt > 100 {
			t.Fatal("too many attempts")
		}
	}
}

func redistribute(old [][][]byte, par int) [][][]byte {
	out := make([][][]byte, par)
	if len(old) == par {
		copy(out, old)
		return out
	}
	n := 0
	for _, items := range old {
		for _, it := range items {
			out[n%par] = append(out[n%par], it)
			n++
		}
	}
	return out
}

func TestFailuresDoNotChangeTheOutput(t *testing.T) {
	input := make([]string, 2000)
	for i := range input {
		input[i] = fmt.Sprintf("record %d", i)
	}
	for seed := int64(1); seed <= 6; seed++ {
		for _, legacy := range []bool{true, false} {
			for _, par := range []int{1, 2} {
				t.Run(fmt.Sprintf("seed%d/legacy=%v/p%d", seed, legacy, par), func(t *testing.T) {
					dir := t.TempDir()
					c := &clock{t: time.Unix(1000, 0)}
					spec := baseSpec(dir, legacy, c)
					spec.Rolling.PartSize = 2000 // some parts roll between checkpoints
					r := &run{t: t, spec: spec, par: par, rng: rand.New(rand.NewSource(seed)), input: input,
						every: 97 + int(seed), failures: 4}
					r.exec()
					if r.failures == 4 {
						t.Logf("seed %d: no failure happened", seed)
					}
					parts, _ := visible(t, dir)
					if legacy {
						// Each subtask's parts, in counter order, hold its records in input order.
						for i := 0; i < par; i++ {
							var got, want []string
							for _, p := range parts {
								if p.writer == strconv.Itoa(i) {
									got = append(got, p.lines...)
								}
							}
							for j := i; j < len(input); j += par {
								want = append(want, input[j])
							}
							if !slices.Equal(got, want) {
								t.Fatalf("subtask %d: %d visible lines, want %d; first difference %s", i, len(got), len(want), diff(got, want))
							}
						}
						return
					}
					got := lines(parts)
					slices.Sort(got)
					want := slices.Clone(input)
					slices.Sort(want)
					if !slices.Equal(got, want) {
						t.Fatalf("%d visible lines, want %d; first difference %s", len(got), len(want), diff(got, want))
					}
				})
			}
		}
	}
}

// TestRestoreAtAnotherParallelism restores a sink of 2 subtasks as 3: every
// pending part is committed once and no part name is written twice.
func TestRestoreAtAnotherParallelism(t *testing.T) {
	for _, legacy := range []bool{true, false} {
		dir := t.TempDir()
		c := &clock{t: time.Unix(0, 0)}
		spec := baseSpec(dir, legacy, c)
		var items [][][]byte
		for i := 0; i < 2; i++ {
			s := newSink(t, spec, i, 2)
			write(t, s, fmt.Sprintf("s%d-a", i))
			snap := &rt.OperatorSnapshot{}
			if err := s.SnapshotState(1, snap); err != nil {
				t.Fatal(err)
			}
			write(t, s, "lost")
			items = append(items, snap.Items)
		}
		for i, its := range redistribute(items, 3) {
			s := newSink(t, spec, i, 3)
			if err := s.RestoreState(&rt.RestoredState{CheckpointID: 1, Items: its}); err != nil {
				t.Fatal(err)
			}
			write(t, s, fmt.Sprintf("n%d", i))
			if err := s.EndInput(); err != nil {
				t.Fatal(err)
			}
		}
		parts, _ := visible(t, dir)
		got := lines(parts)
		slices.Sort(got)
		if want := []string{"n0", "n1", "n2", "s0-a", "s1-a"}; !slices.Equal(got, want) {
			t.Fatalf("legacy=%v: visible %v, want %v", legacy, got, want)
		}
	}
}

func diff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("at %d: %q vs %q", i, a[i], b[i])
		}
	}
	return fmt.Sprintf("at %d (one is a prefix of the other)", min(len(a), len(b)))
}

// BenchmarkCheckpoint measures one checkpoint cycle of a sink subtask: 1000
// records of 100 bytes, a snapshot (roll, flush, sync) and the commit.
func BenchmarkCheckpoint(b *testing.B) {
	dir := b.TempDir()
	c := &clock{t: time.Unix(0, 0)}
	ctx := rt.NewStandaloneContext(context.Background(), &rt.Env{}, 0, 1, 128)
	op, err := (&Spec{BasePath: dir, BucketAssigner: "base_path", Now: c.now}).NewOperator(ctx)
	if err != nil {
		b.Fatal(err)
	}
	s := op.(*sink)
	rec := types.NewRecord(strings.Repeat("x", 99))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := 0; j < 1000; j++ {
			if err := s.Process(rec); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.SnapshotState(int64(i+1), &rt.OperatorSnapshot{}); err != nil {
			b.Fatal(err)
		}
		if err := s.NotifyCheckpointComplete(int64(i + 1)); err != nil {
			b.Fatal(err)
		}
	}
}
