package pebblestate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state/kv"
)

// Options configure a Store.
type Options struct {
	// Dir holds the database. Empty means a fresh temporary directory (under
	// TempBase, or the system's) that Close removes.
	Dir      string
	TempBase string
	// KeyGroups are the key groups the store holds.
	KeyGroups keygroup.Range
	// MemTableSize is Pebble's memtable size (default 32 MiB).
	MemTableSize int64
	// BlockCacheSize is Pebble's block cache (default 256 MiB).
	BlockCacheSize int64
	// WriteCacheSize bounds the write-back cache of state (default 64 MiB);
	// timers get a quarter of it on top.
	WriteCacheSize int64
	// Incremental makes checkpoints of the store Pebble checkpoints of its
	// files (LocalCheckpoint) instead of key-group snapshots.
	Incremental bool
}

// Defaults for Options.
const (
	DefaultMemTableSize   = 32 << 20
	DefaultBlockCacheSize = 256 << 20
	DefaultWriteCacheSize = 64 << 20
)

// metaPrefix starts the meta keys (above every key group).
var metaPrefix = []byte{0xff, 0xff, 'm'}

// Store is a kv.Store on Pebble.
type Store struct {
	db     *pebble.DB
	opts   Options
	dir    string
	owned  bool
	groups keygroup.Range
	state  *wcache
	// reads answers the caches' misses; it is shared so that a write
	// through either cache invalidates it.
	reads  *pointReader
	timerc *wcache
	tables map[string]*tableInfo
	byID   map[uint16]*tableInfo
	nextID uint16
	buf    []byte
	// checkpoints counts LocalCheckpoint's directories, to name them.
	checkpoints int
}

type tableInfo struct {
	name string
	id   uint16
	kind kv.Kind
	impl any
}

type quietLogger struct{}

func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf("pebble: "+format, args...))
}

// Open opens (or creates) the store.
func Open(o Options) (*Store, error) {
	if o.MemTableSize <= 0 {
		o.MemTableSize = DefaultMemTableSize
	}
	if o.BlockCacheSize <= 0 {
		o.BlockCacheSize = DefaultBlockCacheSize
	}
	if o.WriteCacheSize <= 0 {
		o.WriteCacheSize = DefaultWriteCacheSize
	}
	s := &Store{opts: o, dir: o.Dir, groups: o.KeyGroups, tables: map[string]*tableInfo{}, byID: map[uint16]*tableInfo{}, nextID: 1}
	if s.dir == "" {
		d, err := os.MkdirTemp(o.TempBase, "pyflink-go-pebble-")
		if err != nil {
			return nil, fmt.Errorf("pebble state: %w", err)
		}
		s.dir, s.owned = d, true
	}
	if err := s.openDB(); err != nil {
		s.removeDir()
		return nil, err
	}
	if err := s.loadMeta(); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// pebbleOptions are the options of the store's database.
func (s *Store) pebbleOptions() *pebble.Options {
	opts := &pebble.Options{
		CacheSize:                   s.opts.BlockCacheSize,
		DisableWAL:                  true,
		Logger:                      quietLogger{},
		MemTableSize:                uint64(s.opts.MemTableSize),
		MemTableStopWritesThreshold: 4,
		// Checkpoints flush the memtable every interval, so L0 gains a small
		// file each time; compacting them into the base level only every
		// eighth file (Pebble's default is the fourth) halves how often the
		// whole base level is rewritten under updates spread over all keys.
		// Lookups pay a bloom-filter probe per extra L0 file.
		L0CompactionThreshold:      8,
		L0StopWritesThreshold:      32,
		MaxOpenFiles:               512,
		FormatMajorVersion:         pebble.FormatNewest,
		CompactionConcurrencyRange: func() (int, int) { return 1, 2 },
	}
	// Every level has a bloom filter: state lookups of keys that are not
	// stored (the first record of each key) are common, and without a filter
	// each one searches a data block of every level that spans the key.
	for i := range opts.Levels {
		opts.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	return opts
}

// openDB opens the database in the store's directory, with empty
// write-back caches.
func (s *Store) openDB() error {
	db, err := pebble.Open(s.dir, s.pebbleOptions())
	if err != nil {
		return fmt.Errorf("pebble state: open %s: %w", s.dir, err)
	}
	s.db = db
	s.newCaches()
	return nil
}

// newCaches gives the store empty write-back caches over its database and
// one point reader they share, so a write through either invalidates it.
func (s *Store) newCaches() {
	if s.reads != nil {
		_ = s.reads.invalidate()
	}
	s.reads = &pointReader{db: s.db}
	s.state = newCache(s.reads, s.opts.WriteCacheSize)
	s.timerc = newCache(s.reads, s.opts.WriteCacheSize/4)
}

// closeDB closes the database (its point reader's iterator first).
func (s *Store) closeDB() error {
	err := s.reads.invalidate()
	err = errors.Join(err, s.db.Close())
	s.db = nil
	return err
}

func (s *Store) removeDir() {
	if s.owned {
		_ = os.RemoveAll(s.dir)
	}
}

// Dir is the database directory.
func (s *Store) Dir() string { return s.dir }

// DB exposes the Pebble database (for checkpoints and metrics).
func (s *Store) DB() *pebble.DB { return s.db }

func (s *Store) loadMeta() error {
	return readTables(s.db, func(t *tableInfo) {
		s.tables[t.name], s.byID[t.id] = t, t
		if t.id >= s.nextID {
			s.nextID = t.id + 1
		}
	})
}

// readTables calls fn for every table registered in the meta keys of r.
func readTables(r pebble.Reader, fn func(*tableInfo)) error {
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: metaPrefix, UpperBound: prefixEnd(metaPrefix)})
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		v := it.Value()
		if len(v) != 3 {
			_ = it.Close()
			return fmt.Errorf("pebble state: corrupt table entry %q", it.Key())
		}
		fn(&tableInfo{name: string(it.Key()[len(metaPrefix):]), id: binary.BigEndian.Uint16(v), kind: kv.Kind(v[2])})
	}
	return errors.Join(it.Error(), it.Close())
}

// table returns the table called name, registering it in the meta keys.
func (s *Store) table(name string, kind kv.Kind) (*tableInfo, error) {
	if t, ok := s.tables[name]; ok {
		if t.kind != kind {
			return nil, fmt.Errorf("pebble state: %q is already registered as %s state, not %s", name, t.kind, kind)
		}
		return t, nil
	}
	if s.nextID == 0xffff {
		return nil, fmt.Errorf("pebble state: too many tables")
	}
	t := &tableInfo{name: name, id: s.nextID, kind: kind}
	s.nextID++
	v := binary.BigEndian.AppendUint16(nil, t.id)
	v = append(v, byte(kind))
	if err := s.db.Set(append(append([]byte(nil), metaPrefix...), name...), v, pebble.NoSync); err != nil {
		return nil, err
	}
	if err := s.reads.invalidate(); err != nil {
		return nil, err
	}
	s.tables[name], s.byID[t.id] = t, t
	return t, nil
}

// ValueTable implements kv.Store.
func (s *Store) ValueTable(name string) (kv.ValueTable, error) {
	t, err := s.table(name, kv.ValueKind)
	if err != nil {
		return nil, err
	}
	if t.impl == nil {
		t.impl = &valueTable{s: s, id: t.id}
	}
	return t.impl.(*valueTable), nil
}

// MapTable implements kv.Store.
func (s *Store) MapTable(name string) (kv.MapTable, error) {
	t, err := s.table(name, kv.MapKind)
	if err != nil {
		return nil, err
	}
	if t.impl == nil {
		t.impl = &mapTable{s: s, id: t.id}
	}
	return t.impl.(*mapTable), nil
}

// TimerQueue implements kv.Store.
func (s *Store) TimerQueue(name string) (kv.TimerQueue, error) {
	t, err := s.table(name, kv.TimerKind)
	if err != nil {
		return nil, err
	}
	if t.impl == nil {
		t.impl = newTimerQueue(s, t.id)
	}
	return t.impl.(*timerQueue), nil
}

func (s *Store) checkGroup(kg int) error {
	if !s.groups.Contains(kg) {
		return fmt.Errorf("pebble state: key group %d outside %d..%d", kg, s.groups.Start, s.groups.End)
	}
	return nil
}

// appendPrefix appends the key group and table id.
func appendPrefix(dst []byte, kg int, id uint16) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(kg))
	return binary.BigEndian.AppendUint16(dst, id)
}

// prefixEnd is the smallest key above every key starting with p.
func prefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] != 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// scan flushes the given write-back cache (both when c is nil) and calls fn
// for every stored key starting with prefix, in order.
func (s *Store) scan(c *wcache, prefix []byte, fn func(k, v []byte) error) error {
	return s.scanFrom(c, prefix, nil, fn)
}

// scanFrom is scan starting at prefix+from.
func (s *Store) scanFrom(c *wcache, prefix, from []byte, fn func(k, v []byte) error) error {
	if c == nil || c == s.state {
		if err := s.state.flush(); err != nil {
			return err
		}
	}
	if c == nil || c == s.timerc {
		if err := s.timerc.flush(); err != nil {
			return err
		}
	}
	lower := append(append(make([]byte, 0, len(prefix)+len(from)), prefix...), from...)
	return scanReader(s.db, lower, prefixEnd(prefix), fn)
}

// scanReader calls fn for every key in [lower, upper) of r (the database or
// one of its snapshots); kv.ErrStop ends the scan without an error.
func scanReader(r pebble.Reader, lower, upper []byte, fn func(k, v []byte) error) error {
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.ValueAndErr()
		if err == nil {
			err = fn(it.Key(), v)
		}
		if err != nil {
			_ = it.Close()
			if err == kv.ErrStop {
				return nil
			}
			return err
		}
	}
	return errors.Join(it.Error(), it.Close())
}

// Iterate implements kv.Store: tables in id order (creation order).
func (s *Store) Iterate(kg int, fn func(kv.Entry) error) error {
	if err := s.checkGroup(kg); err != nil {
		return err
	}
	if err := s.Flush(); err != nil {
		return err
	}
	return iterateGroup(s.db, s.byID, kg, fn)
}

// iterateGroup calls fn for every entry of key group kg in r (the database
// or one of its snapshots), decoding keys with the tables of byID.
func iterateGroup(r pebble.Reader, byID map[uint16]*tableInfo, kg int, fn func(kv.Entry) error) error {
	prefix := binary.BigEndian.AppendUint16(nil, uint16(kg))
	return scanReader(r, prefix, prefixEnd(prefix), func(k, v []byte) error {
		e, err := decodeEntry(byID, k, v)
		if err != nil {
			return err
		}
		return fn(e)
	})
}

// decodeEntry turns a Pebble key and value of a key group into an Entry.
func decodeEntry(byID map[uint16]*tableInfo, k, v []byte) (kv.Entry, error) {
	t := byID[binary.BigEndian.Uint16(k[2:])]
	if t == nil {
		return kv.Entry{}, fmt.Errorf("pebble state: key of unknown table %d", binary.BigEndian.Uint16(k[2:]))
	}
	e := kv.Entry{Table: t.name, Kind: t.kind}
	rest := k[4:]
	var err error
	switch t.kind {
	case kv.ValueKind:
		e.Key, e.Namespace, err = kv.SplitKeyNs(rest)
		e.Value = v
	case kv.MapKind:
		e.Key, e.Namespace, e.UserKey, err = kv.SplitKeyNsPrefix(rest)
		e.Value = v
	case kv.TimerKind:
		if len(rest) < 8 {
			return e, fmt.Errorf("pebble state: corrupt timer key")
		}
		e.Timestamp = kv.Timestamp(rest)
		e.Key, e.Namespace, err = kv.SplitKeyNs(rest[8:])
	}
	return e, err
}

// Snapshot implements kv.Snapshotter: the write-back caches go to Pebble,
// then a Pebble snapshot (no copying) freezes the state for the view.
func (s *Store) Snapshot() (kv.View, error) {
	if err := s.Flush(); err != nil {
		return nil, err
	}
	byID := make(map[uint16]*tableInfo, len(s.byID))
	for id, t := range s.byID {
		byID[id] = t
	}
	return &view{r: s.db.NewSnapshot(), byID: byID, groups: s.groups}, nil
}

// view is a kv.View over a frozen Pebble reader (a snapshot of a Store, or
// a read-only database of a checkpoint) with the tables it holds; Close
// closes the reader.
type view struct {
	r      pebble.Reader
	byID   map[uint16]*tableInfo
	groups keygroup.Range
}

func (v *view) Iterate(kg int, fn func(kv.Entry) error) error {
	if !v.groups.Contains(kg) {
		return fmt.Errorf("pebble state: key group %d outside %d..%d", kg, v.groups.Start, v.groups.End)
	}
	return iterateGroup(v.r, v.byID, kg, fn)
}

func (v *view) Close() error { return v.r.Close() }

// Flush implements kv.Store: the write-back caches go to Pebble.
func (s *Store) Flush() error {
	return errors.Join(s.state.flush(), s.timerc.flush())
}

// Close closes the database and removes its directory when the store made
// it. A store in a directory of the caller's keeps its state: the write-back
// caches and the memtable are flushed first (the WAL is off).
func (s *Store) Close() error {
	if s.db == nil {
		s.removeDir() // a restore that failed to reopen left no database
		return nil
	}
	var err error
	if !s.owned {
		err = errors.Join(s.Flush(), s.db.Flush())
	}
	err = errors.Join(err, s.closeDB())
	s.removeDir()
	return err
}
