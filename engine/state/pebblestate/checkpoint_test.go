package pebblestate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state/kv"
)

func sstables(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if IsImmutable(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestLocalCheckpointsShareFiles: a second checkpoint after a few writes
// holds the first one's sstables (the same files, linked) plus one new; the
// first checkpoint stays readable after the store compacts its files away.
func TestLocalCheckpointsShareFiles(t *testing.T) {
	r := keygroup.Range{Start: 0, End: 127}
	s, err := Open(Options{Dir: t.TempDir(), KeyGroups: r, Incremental: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	vt, err := s.ValueTable("v")
	if err != nil {
		t.Fatal(err)
	}
	// The two batches write disjoint key groups, so no compaction has to
	// rewrite the first one's sstable (with overlapping writes a compaction
	// may merge both into a new file, which the next checkpoint stores).
	put := func(from, to, kgs, base int) {
		for i := from; i < to; i++ {
			if err := vt.Put(base+i%kgs, []byte(fmt.Sprint("k", i)), nil, []byte(fmt.Sprint("v", i))); err != nil {
				t.Fatal(err)
			}
		}
	}
	put(0, 1000, 64, 0)
	first, err := s.LocalCheckpoint()
	if err != nil {
		t.Fatal(err)
	}
	defer RemoveCheckpoint(first)
	put(1000, 1010, 28, 100)
	second, err := s.LocalCheckpoint()
	if err != nil {
		t.Fatal(err)
	}
	defer RemoveCheckpoint(second)
	a, b := sstables(t, first), sstables(t, second)
	if len(a) == 0 || len(b) != len(a)+1 {
		t.Fatalf("sstables: first %v, second %v", a, b)
	}
	for _, name := range a {
		if !slices.Contains(b, name) {
			t.Fatalf("the second checkpoint lacks %s of the first (%v vs %v)", name, a, b)
		}
		fa, _ := os.Stat(filepath.Join(first, name))
		fb, _ := os.Stat(filepath.Join(second, name))
		if !os.SameFile(fa, fb) {
			t.Fatalf("%s is not the same file in both checkpoints", name)
		}
	}
	if err := s.DB().Compact(context.Background(), []byte{0}, []byte{0xff, 0xff, 0xff}, false); err != nil {
		t.Fatal(err)
	}
	v, err := OpenCheckpointView(first, r)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	n := 0
	for kg := r.Start; kg <= r.End; kg++ {
		if err := v.Iterate(kg, func(e kv.Entry) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if n != 1000 {
		t.Fatalf("the first checkpoint holds %d entries after compaction, want 1000", n)
	}
}
