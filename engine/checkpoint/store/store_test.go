package store

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
)

// take writes one checkpoint of two tasks, as the runtime will: every task
// writes its files and acknowledges; the metadata comes last.
func take(t *testing.T, s *Store, id int64, finalize bool) Metadata {
	t.Helper()
	var states []checkpoint.TaskState
	for _, task := range []string{"map#0", "map#1"} {
		ref, err := s.WriteFile(id, task+"/keyed", []byte(strings.Repeat(task, int(id))))
		if err != nil {
			t.Fatal(err)
		}
		states = append(states, checkpoint.TaskState{Task: task, Files: []checkpoint.FileRef{ref}})
	}
	m := NewMetadata("job", id, 1000*id, states)
	if finalize {
		if err := s.Finalize(m); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func completed(t *testing.T, s *Store) []int64 {
	t.Helper()
	ids, err := s.Completed()
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestStoreRoundTrip(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m, err := s.Latest(); m != nil || err != nil {
		t.Fatalf("empty store: Latest = %v, %v", m, err)
	}
	want := take(t, s, 1, true)
	got, err := s.Latest()
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != 1 || got.JobID != "job" || len(got.Tasks) != 2 {
		t.Fatalf("Latest = %+v", got)
	}
	st, ok := got.Task("map#1")
	if !ok || !slices.Equal(st.Files, want.Tasks[1].Files) {
		t.Fatalf("task map#1 = %+v, want %+v", st, want.Tasks[1])
	}
	data, err := os.ReadFile(filepath.Join(s.Dir(1), "map#1", "keyed"))
	if err != nil || string(data) != "map#1" {
		t.Fatalf("task file = %q, %v", data, err)
	}
	// Load takes the directory or the metadata file.
	for _, p := range []string{s.Dir(1), filepath.Join(s.Dir(1), MetadataFile)} {
		if m, dir, err := Load(p); err != nil || m.ID != 1 || dir != s.Dir(1) {
			t.Fatalf("Load(%s) = %v, %s, %v", p, m, dir, err)
		}
	}
	// No temporary files are left behind.
	ents, _ := os.ReadDir(s.Dir(1))
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestCrashBeforeMetadata: a checkpoint whose task files were written but
// whose metadata was not (the process died in between) is not completed; the
// previous one stays the latest, and the next completed one clears it away.
func TestCrashBeforeMetadata(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir, Options{})
	take(t, s, 1, true)
	take(t, s, 2, false) // crash: no metadata
	// A metadata write interrupted before its rename leaves only a temp file.
	if err := os.WriteFile(filepath.Join(s.Dir(2), "."+MetadataFile+".123.tmp"), []byte(`{"format":`), 0o644); err != nil {
		t.Fatal(err)
	}

	s, err := Open(dir, Options{}) // the restarted process
	if err != nil {
		t.Fatal(err)
	}
	if ids := completed(t, s); !slices.Equal(ids, []int64{1}) {
		t.Fatalf("completed = %v, want [1]", ids)
	}
	if m, err := s.Latest(); err != nil || m.ID != 1 {
		t.Fatalf("Latest = %v, %v; want checkpoint 1", m, err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(2), "."+MetadataFile+".123.tmp")); !os.IsNotExist(err) {
		t.Errorf("Open left the interrupted metadata write: %v", err)
	}
	_, _, err = Load(s.Dir(2))
	if err == nil || !strings.Contains(err.Error(), "not a completed checkpoint") {
		t.Fatalf("Load(chk-2) = %v, want 'not a completed checkpoint'", err)
	}
	// The restarted job numbers its checkpoints after every directory, so
	// the files of the interrupted one are never in the way.
	if id, err := s.NextID(); err != nil || id != 3 {
		t.Fatalf("NextID = %d, %v; want 3", id, err)
	}
	take(t, s, 3, true)
	if ids := completed(t, s); !slices.Equal(ids, []int64{3}) {
		t.Fatalf("completed = %v, want [3]", ids)
	}
	for _, id := range []int64{1, 2} {
		if _, err := os.Stat(s.Dir(id)); !os.IsNotExist(err) {
			t.Errorf("chk-%d still there: %v", id, err)
		}
	}
}

func TestRetention(t *testing.T) {
	s, _ := Open(t.TempDir(), Options{NumRetained: 3})
	for id := int64(1); id <= 5; id++ {
		take(t, s, id, true)
	}
	if ids := completed(t, s); !slices.Equal(ids, []int64{3, 4, 5}) {
		t.Fatalf("completed = %v, want [3 4 5]", ids)
	}
	// An in-progress newer checkpoint is not touched by pruning.
	take(t, s, 7, false)
	take(t, s, 6, true)
	if _, err := os.Stat(filepath.Join(s.Dir(7), "map#0", "keyed")); err != nil {
		t.Fatalf("in-progress checkpoint 7 pruned: %v", err)
	}
	if ids := completed(t, s); !slices.Equal(ids, []int64{4, 5, 6}) {
		t.Fatalf("completed = %v, want [4 5 6]", ids)
	}
	if err := s.Discard(7); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Dir(7)); !os.IsNotExist(err) {
		t.Fatalf("discarded chk-7 still there: %v", err)
	}
}

func TestShutdown(t *testing.T) {
	for _, tc := range []struct {
		retention Retention
		status    JobStatus
		kept      bool
	}{
		{DeleteOnCancellation, Finished, false},
		{DeleteOnCancellation, Canceled, false},
		{DeleteOnCancellation, Failed, true},
		{RetainOnCancellation, Finished, false},
		{RetainOnCancellation, Canceled, true},
		{RetainOnCancellation, Failed, true},
		{NoExternalizedCheckpoints, Failed, false},
	} {
		s, _ := Open(t.TempDir(), Options{Retention: tc.retention})
		take(t, s, 1, true)
		take(t, s, 2, false)
		if err := s.Shutdown(tc.status); err != nil {
			t.Fatal(err)
		}
		ids := completed(t, s)
		if kept := len(ids) == 1; kept != tc.kept {
			t.Errorf("retention %d, status %d: completed after shutdown = %v, want kept=%v", tc.retention, tc.status, ids, tc.kept)
		}
	}
}

// TestLoadErrors: metadata that does not hold together is refused with a
// message that says why.
func TestLoadErrors(t *testing.T) {
	s, _ := Open(t.TempDir(), Options{NumRetained: 10})
	take(t, s, 1, true)
	meta := filepath.Join(s.Dir(1), MetadataFile)
	good, _ := os.ReadFile(meta)

	for _, tc := range []struct {
		name   string
		modify func(t *testing.T)
		want   string
	}{
		{"missing directory", func(t *testing.T) { os.RemoveAll(s.Dir(1)) }, "does not exist"},
		{"truncated", func(t *testing.T) { os.WriteFile(meta, good[:len(good)/2], 0o644) }, "_metadata is unreadable"},
		{"trailing data", func(t *testing.T) { os.WriteFile(meta, append(slices.Clone(good), "{}"...), 0o644) }, "data after its end"},
		{"unknown field", func(t *testing.T) {
			os.WriteFile(meta, []byte(strings.Replace(string(good), `"id"`, `"idd"`, 1)), 0o644)
		}, "unknown field"},
		{"other format", func(t *testing.T) {
			os.WriteFile(meta, []byte(strings.Replace(string(good), format, "flink", 1)), 0o644)
		}, `format "flink"`},
		{"newer version", func(t *testing.T) {
			os.WriteFile(meta, []byte(strings.Replace(string(good), `"version": 1`, `"version": 9`, 1)), 0o644)
		}, "version 9 is not supported"},
		{"id of another directory", func(t *testing.T) {
			os.WriteFile(meta, []byte(strings.Replace(string(good), `"id": 1`, `"id": 2`, 1)), 0o644)
		}, "_metadata is of checkpoint 2"},
		{"missing task file", func(t *testing.T) { os.Remove(filepath.Join(s.Dir(1), "map#0", "keyed")) }, "task map#0"},
		{"short task file", func(t *testing.T) { os.WriteFile(filepath.Join(s.Dir(1), "map#1", "keyed"), nil, 0o644) }, "has 0 bytes, the metadata says 5"},
		{"escaping file name", func(t *testing.T) {
			os.WriteFile(meta, []byte(strings.Replace(string(good), `"map#0/keyed"`, `"../map#0/keyed"`, 1)), 0o644)
		}, "not local"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.RemoveAll(s.Dir(1))
			take(t, s, 1, true)
			tc.modify(t)
			_, _, err := Load(s.Dir(1))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load = %v, want an error containing %q", err, tc.want)
			}
			if _, err := s.Latest(); tc.name != "missing directory" && err == nil {
				t.Fatalf("Latest accepted a broken newest checkpoint")
			}
		})
	}
}

func TestFinalizeRefuses(t *testing.T) {
	s, _ := Open(t.TempDir(), Options{})
	m := take(t, s, 1, false)
	m.Tasks[0].Files[0].Size++
	if err := s.Finalize(m); err == nil || !strings.Contains(err.Error(), "checkpoint 1: finalize: task map#0") {
		t.Fatalf("Finalize with a wrong size = %v", err)
	}
	if ids := completed(t, s); len(ids) != 0 {
		t.Fatalf("completed = %v after a refused finalize", ids)
	}
	if _, err := s.Create(1, "_metadata"); err == nil {
		t.Fatal("Create(_metadata) accepted")
	}
	if _, err := s.Create(1, "../x"); err == nil {
		t.Fatal("Create(../x) accepted")
	}
	if _, err := s.WriteFile(1, "map#0/keyed", nil); err == nil {
		t.Fatal("WriteFile over an existing task file accepted")
	}
}

func TestStreamingTaskFileAndRef(t *testing.T) {
	s, _ := Open(t.TempDir(), Options{})
	f, err := s.Create(4, "src#0/position")
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("offset="))
	f.Write([]byte("1234"))
	ref, err := f.Finish()
	if err != nil {
		t.Fatal(err)
	}
	// A file put there by another writer (a Pebble checkpoint's hard link).
	if err := os.WriteFile(filepath.Join(s.Dir(4), "src#0", "ext"), []byte("offset=1234"), 0o644); err != nil {
		t.Fatal(err)
	}
	ref2, err := s.Ref(4, "src#0/ext")
	if err != nil {
		t.Fatal(err)
	}
	if ref.Size != 11 || ref.CRC != ref2.CRC || ref2.Size != 11 {
		t.Fatalf("refs %+v and %+v disagree", ref, ref2)
	}
	g, _ := s.Create(4, "src#0/aborted")
	g.Write([]byte("x"))
	g.Abort()
	if _, err := os.Stat(filepath.Join(s.Dir(4), "src#0", "aborted")); !os.IsNotExist(err) {
		t.Fatalf("aborted file still there: %v", err)
	}
	m := NewMetadata("", 4, 0, []checkpoint.TaskState{{Task: "src#0", Files: []checkpoint.FileRef{ref, ref2}}, {Task: "sink#0", Finished: true}})
	if err := s.Finalize(m); err != nil {
		t.Fatal(err)
	}
	got, err := s.Latest()
	if err != nil || got.ID != 4 {
		t.Fatalf("Latest = %v, %v", got, err)
	}
	if st, _ := got.Task("sink#0"); !st.Finished {
		t.Fatalf("sink#0 = %+v, want finished", st)
	}
}
