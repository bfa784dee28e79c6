package runtime

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/checkpoint/store"
)

// Incremental checkpoints: an operator whose state is a store's own
// checkpoint (OperatorSnapshot.Files) hands over a local directory; after
// the barrier has gone on, the task stores its immutable files in the job's
// shared directory and copies the others into the checkpoint's directory.
//
// A file the operator's previous checkpoints already stored is referenced,
// not stored again: the task remembers which shared file each of its local
// files became, per checkpoint, and reuses the record of the newest
// checkpoint known durable when the upload starts. That checkpoint is
// retained until a newer one completes, and the store deletes no
// unreferenced file while a newer checkpoint is pending
// (checkpoint.Sweepable), so a reused file outlives the checkpoint reusing
// it. A local file name stands for one content only within one database:
// the records live as long as the task (one attempt), and after a restore
// the first checkpoint stores every file anew.

// sharedRecords are, per operator, the shared files each checkpoint of the
// task referenced, by local name.
type sharedRecords struct {
	mu   sync.Mutex
	byOp map[string]map[int64]map[string]checkpoint.StoredFile
}

// lookup returns what checkpoint id of operator op stored, if known.
func (r *sharedRecords) lookup(op string, id int64) map[string]checkpoint.StoredFile {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byOp[op][id]
}

// record keeps what checkpoint id of op stored and forgets checkpoints
// older than durable, which no later upload reuses.
func (r *sharedRecords) record(op string, id, durable int64, files map[string]checkpoint.StoredFile) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byOp == nil {
		r.byOp = map[string]map[int64]map[string]checkpoint.StoredFile{}
	}
	m := r.byOp[op]
	if m == nil {
		m = map[int64]map[string]checkpoint.StoredFile{}
		r.byOp[op] = m
	}
	m[id] = files
	for old := range m {
		if old < durable {
			delete(m, old)
		}
	}
}

// storeFiles stores the local files of operator op for checkpoint id and
// returns the handle for the task file, with the shared and private file
// references for the acknowledgement. The local directory is removed.
func (t *task) storeFiles(st *store.Store, id int64, op string, lf *LocalFiles) (*checkpoint.BackendFiles, []checkpoint.FileRef, []checkpoint.FileRef, error) {
	defer os.RemoveAll(lf.Dir)
	durable := t.cp.shell.completed.Load()
	prev := t.cp.shared.lookup(op, durable)
	ents, err := os.ReadDir(lf.Dir)
	if err != nil {
		return nil, nil, nil, err
	}
	h := lf.Handle
	h.Files = nil
	var shared, private []checkpoint.FileRef
	stored := map[string]checkpoint.StoredFile{}
	prefix := "files-" + strings.TrimSuffix(taskFileName(t.cpName), taskFileSuffix) + "-" + sanitize(op) + "/"
	for _, e := range ents {
		local := e.Name()
		path := filepath.Join(lf.Dir, local)
		fi, err := os.Stat(path)
		if err != nil {
			return nil, nil, nil, err
		}
		if !lf.Immutable(local) {
			ref, err := st.CopyFile(id, prefix+local, path)
			if err != nil {
				return nil, nil, nil, err
			}
			private = append(private, ref)
			h.Files = append(h.Files, checkpoint.StoredFile{Local: local, Name: ref.Name, Size: ref.Size})
			continue
		}
		sf, ok := prev[local]
		if !ok || sf.Size != fi.Size() {
			ref, err := st.PutShared(path, filepath.Ext(local))
			if err != nil {
				return nil, nil, nil, err
			}
			sf = checkpoint.StoredFile{Local: local, Name: ref.Name, Shared: true, Size: ref.Size}
		}
		stored[local] = sf
		shared = append(shared, checkpoint.FileRef{Name: sf.Name, Size: sf.Size})
		h.Files = append(h.Files, sf)
	}
	sort.Slice(h.Files, func(i, j int) bool { return h.Files[i].Local < h.Files[j].Local })
	t.cp.shared.record(op, id, durable, stored)
	return &h, shared, private, nil
}

// errFiles is the error of a snapshot whose files could not be stored.
func errFiles(op string, err error) error {
	return fmt.Errorf("operator %s: storing its state files: %w", op, err)
}
