package state

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state/pebblestate"
)

// Incremental checkpoints: with IncrementalKey on, a Pebble backend's
// snapshot is a Pebble checkpoint of its files (hard links, taken at the
// barrier) instead of its key groups; the runtime moves the files into the
// checkpoint store, sharing the ones an earlier checkpoint already holds.
// Savepoints stay in the key-group format every backend reads.

// IncrementalKey turns incremental checkpoints on (Flink's key; Flink's
// older state.backend.incremental is read too). Only the Pebble backend
// has them; the heap backend ignores the key, as Flink's does.
const (
	IncrementalKey      = "execution.checkpointing.incremental"
	incrementalAliasKey = "state.backend.incremental"
)

// Incremental reads IncrementalKey (default false, as in Flink).
func Incremental(cfg map[string]string) (bool, error) {
	for _, key := range []string{IncrementalKey, incrementalAliasKey} {
		if v, ok := cfg[key]; ok {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return false, fmt.Errorf("%s: %q is not true or false", key, v)
			}
			return b, nil
		}
	}
	return false, nil
}

// SnapshotWriter receives a capture's state: key groups in the snapshot
// format, or the directory of a store's own checkpoint (runtime's
// OperatorSnapshot implements it).
type SnapshotWriter interface {
	PutKeyGroup(kg int, data []byte)
	// PutFiles hands over dir, a store's checkpoint, with what a restore
	// needs to know of it (files is not yet filled in) and which of its
	// files never change (those are shared between checkpoints): the
	// writer moves the files into the checkpoint and removes dir.
	PutFiles(dir string, files checkpoint.BackendFiles, immutable func(name string) bool)
	// Canonical reports whether the snapshot must be in the key-group
	// format (a savepoint).
	Canonical() bool
}

// WriteTo writes the captured state into w, each key group after header
// (nil for none), and releases the capture. A capture of a store's files
// goes to w as files unless w asks for the canonical format; then its key
// groups are read from the files.
func (c *Capture) WriteTo(header []byte, w SnapshotWriter) error {
	if c.dir == "" {
		return c.WriteKeyGroups(header, w.PutKeyGroup)
	}
	if !w.Canonical() {
		r := c.b.KeyGroupRange()
		dir := c.dir
		c.dir = ""
		w.PutFiles(dir, checkpoint.BackendFiles{Backend: Pebble, Start: r.Start, End: r.End, Header: header}, pebblestate.IsImmutable)
		return nil
	}
	v, err := pebblestate.OpenCheckpointView(c.dir, c.b.KeyGroupRange())
	if err != nil {
		c.Close()
		return fmt.Errorf("state: savepoint: %w", err)
	}
	c.view = v
	return c.WriteKeyGroups(header, w.PutKeyGroup)
}

// RestoreFiles restores into b the state of its key groups from the
// resolved files of old subtasks' checkpoints (file names are paths). b
// must be a Pebble backend; its state must be empty.
func RestoreFiles(b Backend, files []checkpoint.BackendFiles) error {
	if len(files) == 0 {
		return nil
	}
	var ps *pebblestate.Store
	if k, ok := b.(*keyed); ok {
		ps, _ = k.store.(*pebblestate.Store)
	}
	if ps == nil {
		return fmt.Errorf("state: the checkpoint holds the %s backend's files (an incremental checkpoint), which the job's %s backend cannot read: restore it with %s: %s, or restore from a savepoint, whose format every backend reads",
			files[0].Backend, backendName(b), BackendKey, files[0].Backend)
	}
	var srcs []pebblestate.Source
	for _, f := range files {
		if f.Backend != Pebble {
			return fmt.Errorf("state: the checkpoint holds files of a %q backend; this build reads %q", f.Backend, Pebble)
		}
		src := pebblestate.Source{KeyGroups: keygroup.Range{Start: f.Start, End: f.End}, Files: map[string]string{}}
		for _, sf := range f.Files {
			src.Files[sf.Local] = sf.Name
		}
		srcs = append(srcs, src)
	}
	return ps.Restore(srcs)
}

// backendName names b's kind for messages.
func backendName(b Backend) string {
	if k, ok := b.(*keyed); ok {
		if _, ok := k.store.(*pebblestate.Store); ok {
			return Pebble
		}
	}
	return HashMap
}
