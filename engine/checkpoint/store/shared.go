package store

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/internal/fileutil"
)

// The shared directory holds the files incremental checkpoints share. A
// file there is written once, under a fresh name, and never changed; the
// store's registry counts which retained checkpoints reference it (from
// their metadata, so a restarted store rebuilds it), and SweepShared
// deletes the files none references.

// SharedDir is the job's shared directory.
func (s *Store) SharedDir() string { return filepath.Join(s.dir, SharedDirName) }

// PutShared puts the file at src into the shared directory under a fresh
// name ending in ext: a hard link when src is on the same file system (the
// file must never change afterwards, as Pebble's sstables do not), else a
// synced copy. The file is referenced by no checkpoint until one naming it
// completes; until then a sweep may remove it only when no newer checkpoint
// is in flight (checkpoint.Sweepable).
func (s *Store) PutShared(src, ext string) (checkpoint.FileRef, error) {
	if err := os.MkdirAll(s.SharedDir(), 0o755); err != nil {
		return checkpoint.FileRef{}, fmt.Errorf("checkpoint store: %w", err)
	}
	var rnd [12]byte
	_, _ = rand.Read(rnd[:])
	name := hex.EncodeToString(rnd[:]) + ext
	dst := filepath.Join(s.SharedDir(), name)
	if err := fileutil.LinkOrCopy(src, dst); err != nil {
		return checkpoint.FileRef{}, fmt.Errorf("checkpoint store: shared file from %s: %w", src, err)
	}
	fi, err := os.Stat(dst)
	if err != nil {
		return checkpoint.FileRef{}, fmt.Errorf("checkpoint store: %w", err)
	}
	return checkpoint.FileRef{Name: name, Size: fi.Size()}, nil
}

// CopyFile copies the file at src into the directory of checkpoint id as
// name (a private file of an incremental checkpoint: MANIFEST, OPTIONS).
func (s *Store) CopyFile(id int64, name, src string) (checkpoint.FileRef, error) {
	in, err := os.Open(src)
	if err != nil {
		return checkpoint.FileRef{}, fmt.Errorf("checkpoint %d: %w", id, err)
	}
	defer in.Close()
	t, err := s.Create(id, name)
	if err != nil {
		return checkpoint.FileRef{}, err
	}
	if _, err := io.Copy(t, in); err != nil {
		t.Abort()
		return checkpoint.FileRef{}, fmt.Errorf("checkpoint %d: %s: %w", id, name, err)
	}
	return t.Finish()
}

// SweepShared deletes the shared files no retained checkpoint references:
// those of subsumed checkpoints, and uploads of checkpoints that never
// completed. Call it only when no checkpoint that could still complete may
// reference such a file (checkpoint.Sweepable).
func (s *Store) SweepShared() error {
	if s.noSweep {
		return nil
	}
	ents, err := os.ReadDir(s.SharedDir())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checkpoint store: %w", err)
	}
	present := make([]string, 0, len(ents))
	for _, e := range ents {
		present = append(present, e.Name())
	}
	var errs []error
	for _, name := range s.shared.Unreferenced(present) {
		if err := os.Remove(filepath.Join(s.SharedDir(), name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, fmt.Errorf("checkpoint store: %w", err))
		}
	}
	return errors.Join(errs...)
}

// SharedReferenced reports whether a retained checkpoint references the
// shared file name.
func (s *Store) SharedReferenced(name string) bool { return s.shared.Referenced(name) }

// registerRetained rebuilds the registry from the metadata of every
// completed checkpoint in the directory (a store opened after a restart).
// When a metadata file is unreadable the references are not known, and the
// store never sweeps: files are kept rather than deleted from under a
// checkpoint someone may repair.
func (s *Store) registerRetained() error {
	done, err := s.Completed()
	if err != nil {
		return err
	}
	for _, id := range done {
		data, err := os.ReadFile(filepath.Join(s.Dir(id), MetadataFile))
		var m Metadata
		if err == nil {
			err = json.Unmarshal(data, &m)
		}
		if err != nil {
			s.noSweep = true
			continue
		}
		s.shared.Register(id, m.sharedNames())
	}
	return nil
}
