package statetest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state"
)

// collector is a state.SnapshotWriter that keeps what a capture wrote.
type collector struct {
	canonical bool
	kgs       map[int][]byte
	dir       string
	files     checkpoint.BackendFiles
}

func (c *collector) PutKeyGroup(kg int, data []byte) {
	if c.kgs == nil {
		c.kgs = map[int][]byte{}
	}
	c.kgs[kg] = data
}
func (c *collector) PutFiles(dir string, f checkpoint.BackendFiles, _ func(string) bool) {
	c.dir, c.files = dir, f
}
func (c *collector) Canonical() bool { return c.canonical }

// CaptureFiles captures b, an incremental Pebble backend, as its files and
// returns them resolved (names are paths in the checkpoint directory, which
// the test's cleanup removes), as the runtime hands them to a restore.
func CaptureFiles(t testing.TB, b state.Backend, header []byte) checkpoint.BackendFiles {
	t.Helper()
	c, err := state.CaptureBackend(b)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Async() {
		t.Fatal("the capture of an incremental backend is not a frozen view")
	}
	var w collector
	if err := c.WriteTo(header, &w); err != nil {
		t.Fatal(err)
	}
	if w.dir == "" || len(w.kgs) > 0 {
		t.Fatalf("an incremental backend wrote %d key groups and no files", len(w.kgs))
	}
	t.Cleanup(func() { os.RemoveAll(w.dir) })
	ents, err := os.ReadDir(w.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		w.files.Files = append(w.files.Files, checkpoint.StoredFile{Local: e.Name(), Name: filepath.Join(w.dir, e.Name())})
	}
	return w.files
}

// RunFilesRescale populates `from` incremental backends holding the key
// groups of parallelism from, captures each as its files, restores them
// into `to` backends of parallelism to (the same range opens the files,
// another copies key groups out of every overlapping old database), and
// requires every new backend to hold exactly the keys of its range and to
// read and fire timers as a backend that held every key from the start.
// Half of the new backends have states open before the restore, with one
// extra state registered first, so table ids differ from the old ones.
func RunFilesRescale(t *testing.T, open RangeFactory, from, to int) {
	refClock := NewManualClock(0)
	ref := openSnapStates(t, open(t, refClock, All))
	defer ref.b.Close()
	populate(t, ref, refClock)
	refFired := fireAllLater(t, ref)

	var old []checkpoint.BackendFiles
	for i := 0; i < from; i++ {
		clock := NewManualClock(0)
		s := openSnapStates(t, open(t, clock, keygroup.RangeFor(MaxParallelism, from, i)))
		populate(t, s, clock)
		old = append(old, CaptureFiles(t, s.b, []byte(fmt.Sprintf("header-%d", i))))
		// The store goes on after its checkpoint; the files must not.
		for j := 0; j < snapKeys; j++ {
			if k := snapKey(j); s.b.KeyGroupRange().Contains(KeyGroup(k)) {
				s.b.SetCurrentKey(KeyGroup(k), []byte(k))
				s.v.SetNamespace(nil)
				if err := s.v.Update([]byte("after the checkpoint")); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := s.b.Flush(); err != nil {
			t.Fatal(err)
		}
		s.b.Close()
	}
	for i, f := range old {
		if string(f.Header) != fmt.Sprintf("header-%d", i) {
			t.Fatalf("subtask %d's files carry header %q", i, f.Header)
		}
	}

	total := 0
	for i := 0; i < to; i++ {
		r := keygroup.RangeFor(MaxParallelism, to, i)
		b := open(t, NewManualClock(refClock.Now().UnixMilli()), r)
		var mine []checkpoint.BackendFiles
		for _, f := range old {
			if f.Overlaps(r.Start, r.End) {
				mine = append(mine, f)
			}
		}
		var s *snapStates
		if i%2 == 0 {
			if _, err := b.Value(state.Descriptor{Name: "registered-first"}); err != nil {
				t.Fatal(err)
			}
			s = openSnapStates(t, b)
		}
		if err := state.RestoreFiles(b, mine); err != nil {
			t.Fatal(err)
		}
		if s == nil {
			s = openSnapStates(t, b)
		}
		got := map[string]bool{}
		if err := b.Keys("l", nil, func(kg int, key []byte) error {
			if !r.Contains(kg) {
				return fmt.Errorf("key %s in key group %d, outside %d..%d", key, kg, r.Start, r.End)
			}
			got[string(key)] = true
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		total += len(got)
		what := fmt.Sprintf("subtask %d of %d from %d", i, to, from)
		diff(t, "raw entries of "+what, rawEntries(t, b, r), rawEntries(t, ref.b, r))
		diff(t, "reads of "+what, strings.Split(readKeys(t, s), "\n"), strings.Split(readRange(t, ref, r), "\n"))
		var wantFired []string
		for _, f := range refFired {
			if f == "|" || r.Contains(firedGroup(f)) {
				wantFired = append(wantFired, f)
			}
		}
		diff(t, "timer firings of "+what, fireAll(t, s), wantFired)
		b.Close()
	}
	if total != snapKeys {
		t.Fatalf("the %d subtasks hold %d keys, want %d", to, total, snapKeys)
	}
}

// RunFilesSavepoint: a savepoint of an incremental backend is in the
// key-group format, and restores into a backend of kind `to` as the
// backend's own state.
func RunFilesSavepoint(t *testing.T, open, to RangeFactory) {
	clock := NewManualClock(0)
	src := openSnapStates(t, open(t, clock, All))
	defer src.b.Close()
	populate(t, src, clock)
	c, err := state.CaptureBackend(src.b)
	if err != nil {
		t.Fatal(err)
	}
	w := collector{canonical: true}
	if err := c.WriteTo(nil, &w); err != nil {
		t.Fatal(err)
	}
	if w.dir != "" || len(w.kgs) < MaxParallelism/2 {
		t.Fatalf("a savepoint wrote %d key groups and files %q", len(w.kgs), w.dir)
	}
	dst := to(t, NewManualClock(clock.Now().UnixMilli()), All)
	defer dst.Close()
	restoreRange(t, dst, w.kgs)
	diff(t, "raw entries", rawEntries(t, dst, All), rawEntries(t, src.b, All))
}
