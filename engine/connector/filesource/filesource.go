// Package filesource is FileSource with the text-line format: every line of
// every file under the given paths becomes one string record. Large files are
// cut into byte ranges so that several subtasks read one file; a line belongs
// to the range where it starts.
//
// The source is checkpointed as Flink's FileSource is: its state is the
// splits a subtask has not finished, one list-state item each, where a
// started split's start has moved to the first byte of the next line to
// read (the byte after the newline ending the last line emitted). A
// restored subtask reads exactly the splits it gets back, from those
// offsets, and does not list the input paths again; at another parallelism
// the splits are dealt among the new subtasks. A subtask with nothing left
// writes one empty marker item, so that a checkpoint of a source whose
// subtasks have all finished still restores as "nothing left". Flink's text
// line format records the offset of the split plus a count of records to
// skip; a byte offset of the next line is the same position.
package filesource

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// SplitSize is the largest byte range one split covers.
const SplitSize = 8 << 20

// TickEvery is how many records a subtask emits between calls to ctx.Tick,
// where the runtime may take the source's snapshot.
// Small, so a source chained to a slow Python function still reaches its
// next snapshot point quickly; a tick costs tens of nanoseconds.
const TickEvery = 32

// Spec lists the paths to read.
type Spec struct {
	Paths []string
}

// Split is a byte range of one file: the lines that start in [Start, End).
type Split struct {
	Path  string `json:"path"`
	Start int64  `json:"start"`
	End   int64  `json:"end"`
}

// item is one list-state item: a split not finished, or, with Done, the
// marker of a subtask that has nothing left.
type item struct {
	Split
	Done bool `json:"done,omitempty"`
}

// Enumerate lists the splits of every visible file under paths, in a stable
// order. Hidden files (names starting with "." or "_") are skipped, as Flink
// skips them. A missing path is an error naming it.
func Enumerate(paths []string) ([]Split, error) {
	var files []string
	for _, p := range paths {
		p = strings.TrimPrefix(p, "file://")
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("file source: input path %s does not exist or cannot be read: %w", p, err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if path != p && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("file source: listing %s: %w", p, err)
		}
	}
	sort.Strings(files)
	var splits []Split
	for _, f := range files {
		info, err := os.Stat(f)
		if err != nil {
			return nil, fmt.Errorf("file source: %w", err)
		}
		size := info.Size()
		if size == 0 {
			continue
		}
		for start := int64(0); start < size; start += SplitSize {
			splits = append(splits, Split{Path: f, Start: start, End: min(start+SplitSize, size)})
		}
	}
	return splits, nil
}

// NewSource returns the source of one subtask. The paths are listed when the
// source first runs, unless it is restored from a checkpoint.
func (s *Spec) NewSource(*rt.Context) (rt.Source, error) {
	return &source{paths: s.Paths}, nil
}

type source struct {
	paths []string
	ctx   *rt.Context
	out   rt.Output
	// remaining are the splits this subtask has still to read, in order.
	// Invariant: when a line is handed to Emit, remaining[0].Start has
	// already moved past it, so at every ctx.Tick (and inside Emit) the
	// splits describe exactly what is not emitted yet.
	remaining []Split
	assigned  bool // remaining is known: listed or restored
	sinceTick int
}

func (s *source) Open(ctx *rt.Context, out rt.Output) error { s.ctx, s.out = ctx, out; return nil }

// assign lists the input paths and takes this subtask's splits.
func (s *source) assign() error {
	if s.assigned {
		return nil
	}
	splits, err := Enumerate(s.paths)
	if err != nil {
		return err
	}
	for i, sp := range splits {
		if i%s.ctx.Parallelism == s.ctx.Subtask {
			s.remaining = append(s.remaining, sp)
		}
	}
	s.assigned = true
	return nil
}

// SnapshotState writes the unfinished splits with their positions.
func (s *source) SnapshotState(id int64, snap *rt.OperatorSnapshot) error {
	if err := s.assign(); err != nil {
		return fmt.Errorf("file source: checkpoint %d: %w", id, err)
	}
	n := 0
	for _, sp := range s.remaining {
		if sp.Start >= sp.End {
			continue
		}
		b, err := json.Marshal(item{Split: sp})
		if err != nil {
			return err
		}
		snap.AddItem(b)
		n++
	}
	if n == 0 {
		b, _ := json.Marshal(item{Done: true})
		snap.AddItem(b)
	}
	return nil
}

// RestoreState takes the restored splits instead of listing the paths.
func (s *source) RestoreState(st *rt.RestoredState) error {
	s.remaining, s.assigned = nil, true
	for _, b := range st.Items {
		var it item
		if err := json.Unmarshal(b, &it); err != nil {
			return fmt.Errorf("file source: restoring from checkpoint %d: bad split %q: %w", st.CheckpointID, b, err)
		}
		if it.Done {
			continue
		}
		if it.Path == "" || it.Start < 0 || it.End < it.Start {
			return fmt.Errorf("file source: restoring from checkpoint %d: bad split %q", st.CheckpointID, b)
		}
		s.remaining = append(s.remaining, it.Split)
	}
	return nil
}

func (s *source) Run() error {
	if err := s.assign(); err != nil {
		return err
	}
	for len(s.remaining) > 0 {
		done, err := s.read()
		if err != nil || done {
			return err
		}
		s.remaining = s.remaining[1:]
		if err := s.tick(); err == errCancelled {
			return nil
		} else if err != nil {
			return err
		}
	}
	return nil
}

// tick calls ctx.Tick and reports cancellation as errCancelled.
func (s *source) tick() error {
	s.sinceTick = 0
	if err := s.ctx.Tick(); err != nil {
		return err
	}
	select {
	case <-s.ctx.Done():
		return errCancelled
	default:
		return nil
	}
}

var errCancelled = fmt.Errorf("file source: cancelled")

// read emits the lines of remaining[0], moving its start past each line
// before emitting it. It reports stopped when the job was cancelled.
func (s *source) read() (stopped bool, err error) {
	sp := &s.remaining[0]
	f, err := os.Open(sp.Path)
	if err != nil {
		return false, fmt.Errorf("file source: %w", err)
	}
	defer f.Close()
	pos := sp.Start
	if sp.Start > 0 {
		// Start at the first line that begins inside the split: skip to the
		// first newline at or after Start-1.
		if _, err := f.Seek(sp.Start-1, io.SeekStart); err != nil {
			return false, fmt.Errorf("file source: %s: %w", sp.Path, err)
		}
		pos = sp.Start - 1
	}
	r := bufio.NewReaderSize(f, 256<<10)
	if sp.Start > 0 {
		skipped, err := r.ReadSlice('\n')
		for err == bufio.ErrBufferFull {
			pos += int64(len(skipped))
			skipped, err = r.ReadSlice('\n')
		}
		pos += int64(len(skipped))
		if err == io.EOF {
			sp.Start = sp.End
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("file source: %s: %w", sp.Path, err)
		}
	}
	for pos < sp.End {
		line, err := r.ReadBytes('\n')
		if len(line) == 0 && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return false, fmt.Errorf("file source: %s: %w", sp.Path, err)
		}
		pos += int64(len(line))
		sp.Start = pos
		line = bytes.TrimSuffix(line, []byte{'\n'})
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if err := s.out.Emit(types.NewRecord(string(line))); err != nil {
			return false, err
		}
		if s.sinceTick++; s.sinceTick == TickEvery {
			if err := s.tick(); err == errCancelled {
				return true, nil
			} else if err != nil {
				return false, err
			}
		}
		if err == io.EOF {
			break
		}
	}
	sp.Start = sp.End
	return false, nil
}

func (s *source) Close() error { return nil }
