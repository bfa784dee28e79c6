package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
)

// MetadataFile is the name of a completed checkpoint's metadata in its directory.
const MetadataFile = "_metadata"

// SharedDirName is the directory, beside the chk-<id> directories, of the
// files incremental checkpoints share (Flink's layout).
const SharedDirName = "shared"

const (
	format  = "pyflink-go-checkpoint"
	version = 1
)

// Metadata describes a completed checkpoint: what every task acknowledged.
// A checkpoint directory without it is not a completed checkpoint.
type Metadata struct {
	Format    string                 `json:"format"`
	Version   int                    `json:"version"`
	JobID     string                 `json:"job_id,omitempty"`
	ID        int64                  `json:"id"`
	Timestamp int64                  `json:"timestamp"` // trigger time, ms since the epoch
	Tasks     []checkpoint.TaskState `json:"tasks"`
}

// NewMetadata returns the metadata of checkpoint id from the states of a
// checkpoint.Complete decision.
func NewMetadata(jobID string, id, timestamp int64, tasks []checkpoint.TaskState) Metadata {
	return Metadata{Format: format, Version: version, JobID: jobID, ID: id, Timestamp: timestamp, Tasks: tasks}
}

// Task returns the state task acknowledged, if it is part of the checkpoint.
func (m *Metadata) Task(task string) (checkpoint.TaskState, bool) {
	for _, t := range m.Tasks {
		if t.Task == task {
			return t, true
		}
	}
	return checkpoint.TaskState{}, false
}

// validate checks the metadata on its own, without its files.
func (m *Metadata) validate() error {
	if m.Format != format {
		return fmt.Errorf("format %q is not %q", m.Format, format)
	}
	if m.Version != version {
		return fmt.Errorf("version %d is not supported (this engine reads version %d)", m.Version, version)
	}
	if m.ID < 1 {
		return fmt.Errorf("checkpoint id %d is not positive", m.ID)
	}
	if len(m.Tasks) == 0 {
		return errors.New("no tasks")
	}
	seen := map[string]bool{}
	for _, t := range m.Tasks {
		if t.Task == "" {
			return errors.New("a task without a name")
		}
		if seen[t.Task] {
			return fmt.Errorf("task %q twice", t.Task)
		}
		seen[t.Task] = true
		for _, f := range append(t.Files, t.Shared...) {
			if err := checkName(f.Name); err != nil {
				return fmt.Errorf("task %s: %w", t.Task, err)
			}
		}
	}
	return nil
}

// sharedNames returns the shared files the checkpoint references.
func (m *Metadata) sharedNames() []string {
	var names []string
	for _, t := range m.Tasks {
		for _, f := range t.Shared {
			names = append(names, f.Name)
		}
	}
	return names
}

// checkName accepts a file name relative to a checkpoint directory.
func checkName(name string) error {
	if !filepath.IsLocal(filepath.FromSlash(name)) || strings.Contains(name, `\`) {
		return fmt.Errorf("file name %q is not local to the checkpoint directory", name)
	}
	if base := filepath.Base(name); base == MetadataFile || strings.HasPrefix(base, ".") {
		return fmt.Errorf("file name %q is reserved", name)
	}
	return nil
}

// checkFiles checks that every file the metadata names exists with its
// size: task files in dir, shared files in the shared directory beside it.
func (m *Metadata) checkFiles(dir string) error {
	shared := SharedDirOf(dir)
	for _, t := range m.Tasks {
		for _, f := range t.Files {
			if err := checkSize(t.Task, filepath.Join(dir, filepath.FromSlash(f.Name)), f); err != nil {
				return err
			}
		}
		for _, f := range t.Shared {
			if err := checkSize(t.Task, filepath.Join(shared, filepath.FromSlash(f.Name)), f); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkSize(task, path string, f checkpoint.FileRef) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("task %s: %w", task, err)
	}
	if fi.Size() != f.Size {
		return fmt.Errorf("task %s: file %s has %d bytes, the metadata says %d", task, f.Name, fi.Size(), f.Size)
	}
	return nil
}

// SharedDirOf is the shared directory of the job whose checkpoint directory
// is checkpointDir: <job dir>/shared beside <job dir>/chk-<id>.
func SharedDirOf(checkpointDir string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(checkpointDir)), SharedDirName)
}

// Load reads and validates the metadata of the checkpoint at path: a
// checkpoint directory (chk-<id>) or its _metadata file, as
// execution.savepoint.path and execution.state-recovery.path name them. It
// checks the format, that the id matches the directory's name, and that every
// file the tasks acknowledged exists with its size. It returns the metadata
// and the checkpoint directory.
func Load(path string) (*Metadata, string, error) {
	dir, file := path, filepath.Join(path, MetadataFile)
	if filepath.Base(path) == MetadataFile {
		dir, file = filepath.Dir(path), path
	}
	fail := func(err error) (*Metadata, string, error) {
		return nil, dir, fmt.Errorf("checkpoint %s: %w", dir, err)
	}
	data, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		if _, serr := os.Stat(dir); serr == nil {
			return fail(fmt.Errorf("no %s: not a completed checkpoint (it may have been interrupted)", MetadataFile))
		}
		return fail(errors.New("does not exist"))
	}
	if err != nil {
		return fail(err)
	}
	var m Metadata
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return fail(fmt.Errorf("%s is unreadable: %w", MetadataFile, err))
	}
	if dec.More() {
		return fail(fmt.Errorf("%s has data after its end", MetadataFile))
	}
	if err := m.validate(); err != nil {
		return fail(fmt.Errorf("%s: %w", MetadataFile, err))
	}
	if id, ok := parseDir(filepath.Base(dir)); ok && id != m.ID {
		return fail(fmt.Errorf("%s is of checkpoint %d", MetadataFile, m.ID))
	}
	if err := m.checkFiles(dir); err != nil {
		return fail(err)
	}
	return &m, dir, nil
}

// dirName is the directory of checkpoint id.
func dirName(id int64) string { return "chk-" + strconv.FormatInt(id, 10) }

func parseDir(name string) (int64, bool) {
	s, ok := strings.CutPrefix(name, "chk-")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 || dirName(id) != name {
		return 0, false
	}
	return id, true
}
