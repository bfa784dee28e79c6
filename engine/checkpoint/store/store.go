package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
)

// Retention says what happens to retained checkpoints when the job terminates
// (Flink's ExternalizedCheckpointRetention).
type Retention int

const (
	// DeleteOnCancellation keeps checkpoints when the job fails and deletes
	// them when it finishes or is canceled.
	DeleteOnCancellation Retention = iota
	// RetainOnCancellation keeps checkpoints when the job fails or is
	// canceled, and deletes them when it finishes.
	RetainOnCancellation
	// NoExternalizedCheckpoints deletes checkpoints whenever the job
	// terminates, failed included.
	NoExternalizedCheckpoints
)

// JobStatus is how a job terminated, for Shutdown.
type JobStatus int

const (
	Finished JobStatus = iota
	Canceled
	Failed
)

// Options configure a Store.
type Options struct {
	// NumRetained is how many completed checkpoints to keep
	// (state.checkpoints.num-retained); 0 means 1.
	NumRetained int
	Retention   Retention
}

// Store keeps the checkpoints of one job in a directory
// (state.checkpoints.dir): chk-<id>/ per checkpoint, with the tasks' files and,
// once the checkpoint completed, its _metadata. It is safe for use from one
// goroutine at a time; task files of one checkpoint may be written
// concurrently.
type Store struct {
	dir  string
	opts Options
	// shared counts the references of the completed checkpoints in the
	// directory to the files of the shared directory.
	shared *checkpoint.SharedRegistry
	// noSweep is set when the references of a retained checkpoint could
	// not be read: no shared file is deleted then.
	noSweep bool
}

// Open returns the store in dir, creating dir if needed, and removes the
// temporary files of metadata writes a crash interrupted.
func Open(dir string, opts Options) (*Store, error) {
	if opts.NumRetained < 0 {
		return nil, fmt.Errorf("checkpoint store: num-retained %d is negative", opts.NumRetained)
	}
	if opts.NumRetained == 0 {
		opts.NumRetained = 1
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("checkpoint store: %w", err)
	}
	s := &Store{dir: dir, opts: opts, shared: checkpoint.NewSharedRegistry()}
	ids, err := s.dirs()
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		tmps, _ := filepath.Glob(filepath.Join(s.Dir(id), "."+MetadataFile+"*"))
		for _, t := range tmps {
			os.Remove(t)
		}
	}
	// No checkpoint is in flight yet: shared files of checkpoints a crash
	// interrupted can go now.
	if err := s.registerRetained(); err != nil {
		return nil, err
	}
	if err := s.SweepShared(); err != nil {
		return nil, err
	}
	return s, nil
}

// Root is the store's directory.
func (s *Store) Root() string { return s.dir }

// Dir is the directory of checkpoint id.
func (s *Store) Dir(id int64) string { return filepath.Join(s.dir, dirName(id)) }

// dirs lists the checkpoint directories, completed or not, by ascending id.
func (s *Store) dirs() ([]int64, error) {
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("checkpoint store: %w", err)
	}
	var ids []int64
	for _, e := range ents {
		if id, ok := parseDir(e.Name()); ok && e.IsDir() {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// NextID is the id a (restarted) job should give its next checkpoint: one
// past every checkpoint directory, completed or not.
func (s *Store) NextID() (int64, error) {
	ids, err := s.dirs()
	if err != nil || len(ids) == 0 {
		return 1, err
	}
	return ids[len(ids)-1] + 1, nil
}

// Completed lists the ids of the checkpoints whose metadata was written, ascending.
func (s *Store) Completed() ([]int64, error) {
	ids, err := s.dirs()
	if err != nil {
		return nil, err
	}
	var done []int64
	for _, id := range ids {
		if _, err := os.Stat(filepath.Join(s.Dir(id), MetadataFile)); err == nil {
			done = append(done, id)
		}
	}
	return done, nil
}

// Latest loads the newest completed checkpoint; nil if there is none. A newest
// checkpoint whose metadata does not validate is an error, not a reason to
// fall back silently to an older one (its sinks may have committed).
func (s *Store) Latest() (*Metadata, error) {
	ids, err := s.Completed()
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	m, _, err := Load(s.Dir(ids[len(ids)-1]))
	return m, err
}

// TaskFile is a file of a task's snapshot being written.
type TaskFile struct {
	f    *os.File
	name string
	crc  hash.Hash32
	size int64
}

// Create starts file name (slash-separated, relative to the directory of
// checkpoint id) for a task's snapshot.
func (s *Store) Create(id int64, name string) (*TaskFile, error) {
	if err := checkName(name); err != nil {
		return nil, fmt.Errorf("checkpoint %d: %w", id, err)
	}
	path := filepath.Join(s.Dir(id), filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("checkpoint %d: %w", id, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %d: %w", id, err)
	}
	return &TaskFile{f: f, name: name, crc: crc32.NewIEEE()}, nil
}

func (t *TaskFile) Write(p []byte) (int, error) {
	n, err := t.f.Write(p)
	t.crc.Write(p[:n])
	t.size += int64(n)
	return n, err
}

// Finish syncs and closes the file and returns its reference for the task's
// acknowledgement.
func (t *TaskFile) Finish() (checkpoint.FileRef, error) {
	err := t.f.Sync()
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return checkpoint.FileRef{}, fmt.Errorf("checkpoint file %s: %w", t.name, err)
	}
	return checkpoint.FileRef{Name: t.name, Size: t.size, CRC: t.crc.Sum32()}, nil
}

// Abort closes and removes the file.
func (t *TaskFile) Abort() {
	t.f.Close()
	os.Remove(t.f.Name())
}

// WriteFile writes a whole task file at once.
func (s *Store) WriteFile(id int64, name string, data []byte) (checkpoint.FileRef, error) {
	t, err := s.Create(id, name)
	if err != nil {
		return checkpoint.FileRef{}, err
	}
	if _, err := t.Write(data); err != nil {
		t.Abort()
		return checkpoint.FileRef{}, fmt.Errorf("checkpoint %d: %w", id, err)
	}
	return t.Finish()
}

// Ref describes a file another writer put in the directory of checkpoint id
// (a Pebble checkpoint's hard links), reading it once for its checksum.
func (s *Store) Ref(id int64, name string) (checkpoint.FileRef, error) {
	if err := checkName(name); err != nil {
		return checkpoint.FileRef{}, fmt.Errorf("checkpoint %d: %w", id, err)
	}
	f, err := os.Open(filepath.Join(s.Dir(id), filepath.FromSlash(name)))
	if err != nil {
		return checkpoint.FileRef{}, fmt.Errorf("checkpoint %d: %w", id, err)
	}
	defer f.Close()
	h := crc32.NewIEEE()
	n, err := io.Copy(h, f)
	if err != nil {
		return checkpoint.FileRef{}, fmt.Errorf("checkpoint %d: %s: %w", id, name, err)
	}
	return checkpoint.FileRef{Name: name, Size: n, CRC: h.Sum32()}, nil
}

// Finalize makes checkpoint m.ID complete: it checks that the tasks' files
// are there, syncs their directories, writes the metadata atomically (temp
// file, fsync, rename, directory fsync), and then drops what is no longer
// needed: completed checkpoints beyond NumRetained, and the directories of
// older checkpoints that never completed. If it fails before the rename the
// checkpoint is not completed and the previous one is still the latest.
// The checkpoint's shared files are registered before older checkpoints are
// released, so a file both reference is never unreferenced in between.
func (s *Store) Finalize(m Metadata) error {
	fail := func(err error) error { return fmt.Errorf("checkpoint %d: finalize: %w", m.ID, err) }
	if err := m.validate(); err != nil {
		return fail(err)
	}
	dir := s.Dir(m.ID)
	if err := m.checkFiles(dir); err != nil {
		return fail(err)
	}
	// A checkpoint of tasks without state (or all finished) has no files yet.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(err)
	}
	if err := syncDirs(dir, &m); err != nil {
		return fail(err)
	}
	data, err := json.MarshalIndent(&m, "", "  ")
	if err != nil {
		return fail(err)
	}
	if err := writeAtomic(dir, MetadataFile, append(data, '\n')); err != nil {
		return fail(err)
	}
	s.shared.Register(m.ID, m.sharedNames())
	return s.prune(m.ID)
}

// syncDirs fsyncs the checkpoint directory and every directory holding a file
// of m, so the files' names are durable before the metadata names them.
func syncDirs(dir string, m *Metadata) error {
	dirs := map[string]bool{dir: true}
	if len(m.sharedNames()) > 0 {
		dirs[SharedDirOf(dir)] = true
	}
	for _, t := range m.Tasks {
		for _, f := range t.Files {
			for d := filepath.Dir(filepath.Join(dir, filepath.FromSlash(f.Name))); d != dir; d = filepath.Dir(d) {
				dirs[d] = true
			}
		}
	}
	for d := range dirs {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeAtomic replaces dir/name with data so that a crash leaves either the
// old content or the new one, never a part.
func writeAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

// prune keeps the newest NumRetained completed checkpoints up to latest and
// removes the directories of checkpoints older than latest that never
// completed (aborted, subsumed or interrupted).
func (s *Store) prune(latest int64) error {
	ids, err := s.dirs()
	if err != nil {
		return err
	}
	done, err := s.Completed()
	if err != nil {
		return err
	}
	keep := map[int64]bool{}
	for i := len(done) - 1; i >= 0 && len(keep) < s.opts.NumRetained; i-- {
		if done[i] <= latest {
			keep[done[i]] = true
		}
	}
	var errs []error
	for _, id := range ids {
		if id < latest && !keep[id] {
			errs = append(errs, s.Discard(id))
		}
	}
	return errors.Join(errs...)
}

// Discard removes the directory of checkpoint id (an aborted checkpoint, or
// one no longer retained). The metadata goes first, so that a crash midway
// leaves no half-deleted checkpoint that looks completed.
// Its shared files lose its references; SweepShared deletes them.
func (s *Store) Discard(id int64) error {
	s.shared.Release(id)
	dir := s.Dir(id)
	if err := os.Remove(filepath.Join(dir, MetadataFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("checkpoint %d: discard: %w", id, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("checkpoint %d: discard: %w", id, err)
	}
	return nil
}

// Shutdown applies the retention policy when the job terminates with status:
// it removes every checkpoint unless the policy keeps them for that status.
// A process that dies without calling Shutdown keeps its checkpoints.
//
// The job has terminated, so no checkpoint is in flight: retained
// checkpoints keep their shared files, and the uploads of checkpoints that
// never completed go.
func (s *Store) Shutdown(status JobStatus) error {
	if s.retains(status) {
		return s.SweepShared()
	}
	ids, err := s.dirs()
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		errs = append(errs, s.Discard(id))
	}
	errs = append(errs, os.RemoveAll(s.SharedDir()))
	return errors.Join(errs...)
}

func (s *Store) retains(status JobStatus) bool {
	switch status {
	case Failed:
		return s.opts.Retention != NoExternalizedCheckpoints
	case Canceled:
		return s.opts.Retention == RetainOnCancellation
	}
	return false
}

// String names the store for messages.
func (s *Store) String() string {
	return "checkpoint store " + strings.TrimSuffix(s.dir, string(filepath.Separator))
}
