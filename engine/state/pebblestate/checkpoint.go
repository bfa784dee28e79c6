package pebblestate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cockroachdb/pebble/v2"

	"github.com/pyflink-go/pyflink-go/engine/internal/fileutil"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state/kv"
)

// Incremental checkpoints of a store are Pebble's own checkpoints: a
// directory of hard links to the database's sstables plus copies of its
// small MANIFEST and OPTIONS files. Sstables never change once written, so
// a checkpoint shares with the one before it every sstable no compaction
// has replaced since, and the checkpoint store keeps each such file once.
//
// Restoring builds a fresh working directory from a checkpoint's files
// (Pebble's Open writes into its directory, so a checkpoint's files are
// never opened in place): at the same key-group range the files become the
// store's database; at another range every overlapping old database is
// opened read-only from links in a temporary directory and the entries of
// this store's key groups are copied over (as Flink's RocksDB backend
// rescales), table ids translated by name.

// Incremental reports whether the store's checkpoints are its files.
func (s *Store) Incremental() bool { return s.opts.Incremental }

// KeyGroups is the store's key-group range.
func (s *Store) KeyGroups() keygroup.Range { return s.groups }

// LocalCheckpoint writes the store's state as a Pebble checkpoint into a new
// directory beside the store's and returns it. The write-back caches and
// the memtable are flushed first (the WAL is off, so the memtable is in no
// file until flushed). It runs on the store's goroutine; the caller owns the
// directory and removes it when done.
func (s *Store) LocalCheckpoint() (string, error) {
	if err := s.Flush(); err != nil {
		return "", fmt.Errorf("pebble state: checkpoint: %w", err)
	}
	if err := s.db.Flush(); err != nil {
		return "", fmt.Errorf("pebble state: checkpoint: flush: %w", err)
	}
	s.checkpoints++
	dir := fmt.Sprintf("%s.chk-%d", s.dir, s.checkpoints)
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("pebble state: checkpoint: %w", err)
	}
	if err := s.db.Checkpoint(dir); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("pebble state: checkpoint: %w", err)
	}
	return dir, nil
}

// IsImmutable reports whether a file of a Pebble checkpoint never changes
// once written (an sstable), so checkpoints may share it; the others
// (MANIFEST, OPTIONS, markers) belong to one checkpoint.
func IsImmutable(name string) bool { return strings.HasSuffix(name, ".sst") }

// Source is one old subtask's checkpoint to restore from: its key-group
// range and its files, by name in the database directory, at their paths.
type Source struct {
	KeyGroups keygroup.Range
	Files     map[string]string
}

// Restore replaces the store's (empty) state by the state of its key groups
// in srcs. It runs before the store is used, after tables may have been
// opened: their handles stay valid.
func (s *Store) Restore(srcs []Source) error {
	if len(srcs) == 1 && srcs[0].KeyGroups == s.groups {
		return s.restoreSame(srcs[0])
	}
	if err := s.Flush(); err != nil {
		return fmt.Errorf("pebble state: restore: %w", err)
	}
	for i, src := range srcs {
		if err := s.copyFrom(i, src); err != nil {
			return err
		}
	}
	// The entries went to the database directly: the caches and the timer
	// queues' fronts must not answer from before.
	s.newCaches()
	s.resetTimers()
	return nil
}

// restoreSame makes the checkpoint's files the store's database.
func (s *Store) restoreSame(src Source) error {
	fail := func(err error) error { return fmt.Errorf("pebble state: restore: %w", err) }
	if err := s.Flush(); err != nil {
		return fail(err)
	}
	if err := s.closeDB(); err != nil {
		return fail(err)
	}
	if err := clearDir(s.dir); err != nil {
		return fail(err)
	}
	if err := materialize(src, s.dir); err != nil {
		return fail(err)
	}
	if err := s.openDB(); err != nil {
		return err
	}
	// The handles of tables opened before the restore keep working: they
	// take the restored database's ids, or are registered in it anew.
	before := s.tables
	s.tables, s.byID, s.nextID = map[string]*tableInfo{}, map[uint16]*tableInfo{}, 1
	if err := s.loadMeta(); err != nil {
		return fail(err)
	}
	for name, old := range before {
		t, err := s.table(name, old.kind)
		if err != nil {
			return fail(err)
		}
		t.impl = old.impl
		setTableID(t.impl, t.id)
	}
	s.resetTimers()
	return nil
}

// copyFrom copies the entries of the store's key groups out of the old
// database src, the i-th source.
func (s *Store) copyFrom(i int, src Source) error {
	lo, hi := max(src.KeyGroups.Start, s.groups.Start), min(src.KeyGroups.End, s.groups.End)
	if lo > hi {
		return nil
	}
	fail := func(err error) error {
		return fmt.Errorf("pebble state: restore of key groups %d..%d from %d..%d: %w", lo, hi, src.KeyGroups.Start, src.KeyGroups.End, err)
	}
	tmp := fmt.Sprintf("%s.restore-%d", s.dir, i)
	if err := os.RemoveAll(tmp); err != nil {
		return fail(err)
	}
	defer os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return fail(err)
	}
	if err := materialize(src, tmp); err != nil {
		return fail(err)
	}
	opts := s.pebbleOptions()
	opts.ReadOnly = true
	old, err := pebble.Open(tmp, opts)
	if err != nil {
		return fail(err)
	}
	defer old.Close()
	ids := map[uint16][2]byte{}
	var terr error
	if err := readTables(old, func(t *tableInfo) {
		nt, err := s.table(t.name, t.kind)
		if err != nil {
			terr = errors.Join(terr, err)
			return
		}
		var b [2]byte
		binary.BigEndian.PutUint16(b[:], nt.id)
		ids[t.id] = b
	}); err != nil || terr != nil {
		return fail(errors.Join(err, terr))
	}
	b := s.db.NewBatch()
	defer func() { _ = b.Close() }()
	lower := binary.BigEndian.AppendUint16(nil, uint16(lo))
	upper := binary.BigEndian.AppendUint16(nil, uint16(hi+1))
	var key []byte
	err = scanReader(old, lower, upper, func(k, v []byte) error {
		id, ok := ids[binary.BigEndian.Uint16(k[2:4])]
		if !ok {
			return fmt.Errorf("key of unknown table %d", binary.BigEndian.Uint16(k[2:4]))
		}
		key = append(append(append(key[:0], k[:2]...), id[:]...), k[4:]...)
		if err := b.Set(key, v, nil); err != nil {
			return err
		}
		if b.Len() < 4<<20 {
			return nil
		}
		if err := b.Commit(pebble.NoSync); err != nil {
			return err
		}
		b.Reset()
		return nil
	})
	if err == nil {
		err = b.Commit(pebble.NoSync)
	}
	if err != nil {
		return fail(err)
	}
	return nil
}

// materialize puts the files of src into dir: sstables as hard links (or
// copies across file systems), the files Pebble writes to as copies.
func materialize(src Source, dir string) error {
	for local, path := range src.Files {
		if local != filepath.Base(local) || local == "." || local == ".." {
			return fmt.Errorf("file name %q is not a plain name", local)
		}
		dst := filepath.Join(dir, local)
		var err error
		if IsImmutable(local) {
			err = fileutil.LinkOrCopy(path, dst)
		} else {
			err = fileutil.CopyFile(path, dst)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// clearDir removes everything in dir, keeping dir.
func clearDir(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// setTableID points a table handle at its id in a restored database.
func setTableID(impl any, id uint16) {
	switch t := impl.(type) {
	case *valueTable:
		t.id = id
	case *mapTable:
		t.id = id
	case *timerQueue:
		t.id = id
	}
}

// resetTimers forgets what the timer queues hold in memory, so they read
// the restored timers.
func (s *Store) resetTimers() {
	for _, t := range s.tables {
		if q, ok := t.impl.(*timerQueue); ok {
			q.heads = make([]head, len(q.heads))
		}
	}
}

var _ kv.Store = (*Store)(nil)

// OpenCheckpointView opens a directory LocalCheckpoint wrote, read-only, as a
// view of the key groups r (a savepoint of an incremental store is
// serialized key group by key group from it). Closing the view closes the
// database; the directory stays.
func OpenCheckpointView(dir string, r keygroup.Range) (kv.View, error) {
	s := &Store{opts: Options{BlockCacheSize: 8 << 20, MemTableSize: DefaultMemTableSize}}
	opts := s.pebbleOptions()
	opts.ReadOnly = true
	db, err := pebble.Open(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("pebble state: open checkpoint %s: %w", dir, err)
	}
	byID := map[uint16]*tableInfo{}
	if err := readTables(db, func(t *tableInfo) { byID[t.id] = t }); err != nil {
		_ = db.Close()
		return nil, err
	}
	return &view{r: db, byID: byID, groups: r}, nil
}

// RemoveCheckpoint removes a directory LocalCheckpoint wrote.
func RemoveCheckpoint(dir string) error { return os.RemoveAll(dir) }
