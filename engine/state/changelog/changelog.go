// Package changelog keeps the checkpoint files of state that lives in an
// operator's own memory (the native keyed aggregations' accumulators) as a
// chain: a base file holding every entry, then one delta file per
// checkpoint holding the entries changed since the checkpoint before.
//
// A full snapshot costs time in proportion to the state, on the cores the
// job runs on, at every checkpoint; a delta costs what changed. Each
// checkpoint hands over the whole chain (base first); the runtime stores
// every file once in the job's shared directory and later checkpoints
// reference it (runtime.LocalFiles), and a restore reads the chain in order,
// a later entry of a key replacing an earlier one. This is Flink's changelog
// idea for state whose backend cannot checkpoint incrementally, with the
// materialization (a new base) triggered by the chain's size.
//
// The package owns the files (names, writing, linking, removal, reading);
// what an entry is belongs to the operator.
package changelog

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Backend names chain files in checkpoints (checkpoint.BackendFiles), so a
// restore tells them from a state backend's files.
const Backend = "changelog"

// MaxChainFactor bounds a chain to this many entries per live key: beyond
// it, old values would take more room than live ones, and the next
// checkpoint starts a new base.
const MaxChainFactor = 2

// File format: magic, version, kind ('B' base, 'D' delta), then the
// operator's payload.
const (
	magic   = "PFGC"
	version = 1
	head    = len(magic) + 2
)

// Log is the chain of one operator subtask. Its methods are called by the
// task goroutine; the writes they defer run on other goroutines, one after
// the other in checkpoint order (each waits for the one before).
type Log struct {
	pattern string
	// dir is the working directory where chain files are written, made at
	// the first checkpoint and removed by Close.
	dir string
	seq int
	// files is the chain of the latest checkpoint, base first; entries
	// counts the entries written in them.
	files   []string
	entries int
	// last is the latest checkpoint's write (nil before the first).
	last *write
}

// write is one checkpoint's write of its chain file. err is set before
// done is closed.
type write struct {
	done chan struct{}
	err  error
}

// New returns an empty log whose working directory will be made by
// os.MkdirTemp with pattern.
func New(pattern string) *Log { return &Log{pattern: pattern} }

// Snapshot is one checkpoint's part of the chain, decided at the barrier.
type Snapshot struct {
	// Dir is the directory to hand over to the checkpoint: after Write it
	// holds (links to) every file of the chain.
	Dir string
	// Full reports whether this checkpoint starts a new base: the operator
	// writes every entry, not only the changed ones.
	Full bool

	l     *Log
	name  string
	chain []string
	drop  []string // files a new base makes obsolete
	prev  *write
	w     *write
}

// Start takes the next checkpoint's part of the chain, given the number of
// live keys and of keys changed since the checkpoint before. It is a new
// base at the first checkpoint, after a failed write, and when the chain
// would exceed MaxChainFactor entries per live key; a delta otherwise.
func (l *Log) Start(live, changed int) (*Snapshot, error) {
	if l.dir == "" {
		d, err := os.MkdirTemp("", l.pattern)
		if err != nil {
			return nil, err
		}
		l.dir = d
	}
	full := l.files == nil || l.entries+changed > MaxChainFactor*live
	if l.last != nil {
		select {
		case <-l.last.done:
			full = full || l.last.err != nil
		default: // still writing: should it fail, this delta fails with it
		}
	}
	out, err := os.MkdirTemp(l.dir, "chk-")
	if err != nil {
		return nil, err
	}
	l.seq++
	kind := byte('D')
	if full {
		kind = 'B'
	}
	s := &Snapshot{Dir: out, Full: full, l: l, name: fmt.Sprintf("%010d.%c", l.seq, kind), prev: l.last,
		w: &write{done: make(chan struct{})}}
	if full {
		s.drop = l.files
		l.files, l.entries = []string{s.name}, live
	} else {
		l.files = append(slices.Clip(l.files), s.name)
		l.entries += changed
	}
	s.chain = l.files
	l.last = s.w
	return s, nil
}

// Write writes the snapshot's chain file, its payload produced by fill,
// and links the chain into Dir. It runs after the barrier (the snapshot's
// deferred part), exactly once per Snapshot. A delta fails when the write
// of the checkpoint before it failed (its chain would miss that file).
func (s *Snapshot) Write(fill func(w io.Writer) error) (err error) {
	defer func() {
		s.w.err = err
		close(s.w.done)
	}()
	if s.prev != nil {
		<-s.prev.done
		if s.prev.err != nil && !s.Full {
			return fmt.Errorf("the state file of the checkpoint before failed")
		}
	}
	for _, f := range s.drop {
		if err := os.Remove(filepath.Join(s.l.dir, f)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	if err := writeFile(filepath.Join(s.l.dir, s.name), s.name[len(s.name)-1], fill); err != nil {
		return err
	}
	for _, f := range s.chain {
		if err := os.Link(filepath.Join(s.l.dir, f), filepath.Join(s.Dir, f)); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes one chain file at path, durably.
func writeFile(path string, kind byte, fill func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	// bufio keeps the first write error and Flush returns it.
	_, _ = bw.WriteString(magic)
	_, _ = bw.Write([]byte{version, kind})
	if err := fill(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// IsFile reports whether a checkpoint file is a chain file; all of them
// are immutable once written (runtime.LocalFiles.Immutable).
func IsFile(name string) bool {
	return strings.HasSuffix(name, ".B") || strings.HasSuffix(name, ".D")
}

// Read returns the payload of the chain file at path.
func Read(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < head || !bytes.Equal(data[:len(magic)], []byte(magic)) || data[len(magic)] != version {
		return nil, fmt.Errorf("unknown state format")
	}
	return data[head:], nil
}

// Close removes the working directory (checkpoints keep their own links
// to its files). The writes Start deferred must have run.
func (l *Log) Close() error {
	if l.dir == "" {
		return nil
	}
	return os.RemoveAll(l.dir)
}
