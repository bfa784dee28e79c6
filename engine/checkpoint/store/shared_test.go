package store

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
)

// incremental writes checkpoint id as an incremental one would: the task
// puts the new files (content new) into the shared directory, references
// the reused ones, and writes a private file. It returns the metadata (not
// finalized) and the shared refs by content.
func incremental(t *testing.T, s *Store, id int64, reuse map[string]checkpoint.FileRef, fresh ...string) (Metadata, map[string]checkpoint.FileRef) {
	t.Helper()
	refs := map[string]checkpoint.FileRef{}
	for content, ref := range reuse {
		refs[content] = ref
	}
	for _, content := range fresh {
		src := filepath.Join(t.TempDir(), "src.sst")
		if err := os.WriteFile(src, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		ref, err := s.PutShared(src, ".sst")
		if err != nil {
			t.Fatal(err)
		}
		refs[content] = ref
	}
	own, err := s.WriteFile(id, "op#0/MANIFEST", []byte("manifest"))
	if err != nil {
		t.Fatal(err)
	}
	st := checkpoint.TaskState{Task: "op#0", Files: []checkpoint.FileRef{own}}
	for _, ref := range refs {
		st.Shared = append(st.Shared, ref)
	}
	return NewMetadata("job", id, 1000*id, []checkpoint.TaskState{st}), refs
}

func sharedFiles(t *testing.T, s *Store) []string {
	t.Helper()
	ents, err := os.ReadDir(s.SharedDir())
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(s.SharedDir(), e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, string(b))
	}
	slices.Sort(names)
	return names
}

// TestSharedRetention: checkpoints share files; retention (two retained)
// deletes a shared file only when no retained checkpoint names it, and a
// store opened again rebuilds the references from the metadata.
func TestSharedRetention(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{NumRetained: 2})
	if err != nil {
		t.Fatal(err)
	}
	m1, r1 := incremental(t, s, 1, nil, "a", "b")
	if err := s.Finalize(m1); err != nil {
		t.Fatal(err)
	}
	m2, r2 := incremental(t, s, 2, map[string]checkpoint.FileRef{"b": r1["b"]}, "c")
	if err := s.Finalize(m2); err != nil {
		t.Fatal(err)
	}
	if err := s.SweepShared(); err != nil {
		t.Fatal(err)
	}
	if got := sharedFiles(t, s); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("after 2 checkpoints, shared = %v", got)
	}
	m3, _ := incremental(t, s, 3, map[string]checkpoint.FileRef{"c": r2["c"]}, "d")
	if err := s.Finalize(m3); err != nil {
		t.Fatal(err)
	}
	if err := s.SweepShared(); err != nil {
		t.Fatal(err)
	}
	// chk-1 is subsumed: a (only chk-1's) goes; b is chk-2's too.
	if got := sharedFiles(t, s); !slices.Equal(got, []string{"b", "c", "d"}) {
		t.Fatalf("after chk-3, shared = %v", got)
	}
	// A restarted store knows chk-2 and chk-3 reference b, c and d.
	s2, err := Open(dir, Options{NumRetained: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := sharedFiles(t, s2); !slices.Equal(got, []string{"b", "c", "d"}) {
		t.Fatalf("after reopening, shared = %v", got)
	}
	for _, id := range []int64{2, 3} {
		if _, _, err := Load(s2.Dir(id)); err != nil {
			t.Fatalf("chk-%d after reopening: %v", id, err)
		}
	}
	if err := s2.Shutdown(Finished); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s2.SharedDir()); !os.IsNotExist(err) {
		t.Fatalf("the shared directory outlived Shutdown: %v", err)
	}
}

// TestSharedCrashMidCheckpoint: a checkpoint interrupted after its shared
// files were written but before its metadata leaves the last completed one
// restorable, and its files are removed when the store opens again.
func TestSharedCrashMidCheckpoint(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m1, r1 := incremental(t, s, 1, nil, "a", "b")
	if err := s.Finalize(m1); err != nil {
		t.Fatal(err)
	}
	incremental(t, s, 2, map[string]checkpoint.FileRef{"b": r1["b"]}, "c") // no Finalize: the crash
	s2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := sharedFiles(t, s2); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("after the crash, shared = %v", got)
	}
	m, _ := s2.Latest()
	if m == nil || m.ID != 1 {
		t.Fatalf("latest after the crash = %+v", m)
	}
	if _, _, err := Load(s2.Dir(1)); err != nil {
		t.Fatal(err)
	}
	if next, _ := s2.NextID(); next != 3 {
		t.Fatalf("next id = %d, want 3", next)
	}
}

// TestSharedMissingFile: a checkpoint whose shared file is gone does not load.
func TestSharedMissingFile(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	m1, r1 := incremental(t, s, 1, nil, "a")
	if err := s.Finalize(m1); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(s.SharedDir(), r1["a"].Name)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(s.Dir(1)); err == nil {
		t.Fatal("a checkpoint without its shared file loaded")
	}
}

// TestSharedShutdownRetains: a canceled job that retains its checkpoints
// keeps their shared files and drops the uploads of the checkpoint that was
// in flight.
func TestSharedShutdownRetains(t *testing.T) {
	s, err := Open(t.TempDir(), Options{Retention: RetainOnCancellation})
	if err != nil {
		t.Fatal(err)
	}
	m1, r1 := incremental(t, s, 1, nil, "a", "b")
	if err := s.Finalize(m1); err != nil {
		t.Fatal(err)
	}
	incremental(t, s, 2, map[string]checkpoint.FileRef{"a": r1["a"]}, "c") // in flight at the cancel
	if err := s.Shutdown(Canceled); err != nil {
		t.Fatal(err)
	}
	if got := sharedFiles(t, s); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("after the cancel, shared = %v", got)
	}
	if _, _, err := Load(s.Dir(1)); err != nil {
		t.Fatal(err)
	}
}
