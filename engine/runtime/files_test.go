package runtime

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/checkpoint/store"
	"github.com/pyflink-go/pyflink-go/engine/state/pebblestate"
)

// localDir writes a fake store checkpoint: files by name and content.
func localDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "chk")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func byLocal(h *checkpoint.BackendFiles) map[string]checkpoint.StoredFile {
	m := map[string]checkpoint.StoredFile{}
	for _, f := range h.Files {
		m[f.Local] = f
	}
	return m
}

// TestStoreFilesShares: checkpoints of one operator store each sstable once
// and reference it afterwards, but only from the newest durable checkpoint
// (not from one still pending); private files are copied every time, and
// the local directory is removed.
func TestStoreFilesShares(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{NumRetained: 2})
	if err != nil {
		t.Fatal(err)
	}
	tk := &task{cpName: "node:3#0", cp: &taskCheckpointing{shell: &shell{}}}
	take := func(id int64, files map[string]string) (*checkpoint.BackendFiles, checkpoint.TaskState) {
		t.Helper()
		dir := localDir(t, files)
		h, shared, private, err := tk.storeFiles(st, id, "node:3", &LocalFiles{Dir: dir, Handle: checkpoint.BackendFiles{Backend: "pebble", Start: 0, End: 63}, Immutable: pebblestate.IsImmutable})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Fatalf("checkpoint %d: the local directory is still there", id)
		}
		return h, checkpoint.TaskState{Task: tk.cpName, Files: private, Shared: shared}
	}
	h1, s1 := take(1, map[string]string{"000001.sst": "one", "000002.sst": "two", "MANIFEST-000001": "m1"})
	if len(s1.Shared) != 2 || len(s1.Files) != 1 || h1.Start != 0 || h1.End != 63 {
		t.Fatalf("checkpoint 1: %+v", s1)
	}
	// Checkpoint 1 is not durable yet: checkpoint 2 stores its files anew.
	h2, _ := take(2, map[string]string{"000001.sst": "one", "MANIFEST-000001": "m2"})
	if byLocal(h2)["000001.sst"].Name == byLocal(h1)["000001.sst"].Name {
		t.Fatal("checkpoint 2 reused a file of a checkpoint not known durable")
	}
	if err := st.Finalize(store.NewMetadata("job", 1, 1, []checkpoint.TaskState{s1})); err != nil {
		t.Fatal(err)
	}
	tk.cp.shell.completed.Store(1)
	h3, s3 := take(3, map[string]string{"000002.sst": "two", "000003.sst": "three", "MANIFEST-000001": "m3"})
	got, was := byLocal(h3), byLocal(h1)
	if got["000002.sst"].Name != was["000002.sst"].Name || !got["000002.sst"].Shared {
		t.Fatalf("checkpoint 3 stored 000002.sst again: %+v vs %+v", got["000002.sst"], was["000002.sst"])
	}
	if got["MANIFEST-000001"].Shared {
		t.Fatal("a MANIFEST was shared")
	}
	if err := st.Finalize(store.NewMetadata("job", 3, 3, []checkpoint.TaskState{s3})); err != nil {
		t.Fatal(err)
	}
	// Checkpoint 2 never completed; with 3 durable and nothing pending the
	// sweep removes its upload and keeps what 1 and 3 reference.
	if err := st.SweepShared(); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(st.SharedDir())
	if len(ents) != 3 {
		t.Fatalf("shared files after the sweep: %d, want 3 (one, two, three)", len(ents))
	}
	for _, f := range h3.Files {
		if f.Shared && !st.SharedReferenced(f.Name) {
			t.Fatalf("%s is not referenced", f.Name)
		}
	}
	// The restore side finds every file of checkpoint 3.
	res := h3.Resolve(st.Dir(3), st.SharedDir())
	for _, f := range res.Files {
		if _, err := os.Stat(f.Name); err != nil {
			t.Fatal(err)
		}
	}
}
