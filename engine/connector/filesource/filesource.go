// Package filesource is FileSource with the text-line format: every line of
// every file under the given paths becomes one string record. Large files are
// cut into byte ranges so that several subtasks read one file; a line belongs
// to the range where it starts.
package filesource

import (
	"bufio"
	"bytes"
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

// Spec lists the paths to read.
type Spec struct {
	Paths []string
}

// Split is a byte range of one file.
type Split struct {
	Path       string
	Start, End int64
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

// NewSource returns the source of one subtask.
func (s *Spec) NewSource(*rt.Context) (rt.Source, error) {
	splits, err := Enumerate(s.Paths)
	if err != nil {
		return nil, err
	}
	return &source{splits: splits}, nil
}

type source struct {
	splits []Split
	ctx    *rt.Context
	out    rt.Output
}

func (s *source) Open(ctx *rt.Context, out rt.Output) error { s.ctx, s.out = ctx, out; return nil }

func (s *source) Run() error {
	for i, sp := range s.splits {
		if i%s.ctx.Parallelism != s.ctx.Subtask {
			continue
		}
		if err := s.read(sp); err != nil {
			return err
		}
	}
	return nil
}

func (s *source) read(sp Split) error {
	f, err := os.Open(sp.Path)
	if err != nil {
		return fmt.Errorf("file source: %w", err)
	}
	defer f.Close()
	pos := sp.Start
	if sp.Start > 0 {
		// Start at the first line that begins inside the split: skip to the
		// first newline at or after Start-1.
		if _, err := f.Seek(sp.Start-1, io.SeekStart); err != nil {
			return fmt.Errorf("file source: %s: %w", sp.Path, err)
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
			return nil
		}
		if err != nil {
			return fmt.Errorf("file source: %s: %w", sp.Path, err)
		}
	}
	n := 0
	for pos < sp.End {
		line, err := r.ReadBytes('\n')
		if len(line) == 0 && err == io.EOF {
			return nil
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("file source: %s: %w", sp.Path, err)
		}
		pos += int64(len(line))
		line = bytes.TrimSuffix(line, []byte{'\n'})
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if err := s.out.Emit(types.NewRecord(string(line))); err != nil {
			return err
		}
		n++
		if n&255 == 0 {
			if err := s.ctx.Tick(); err != nil {
				return err
			}
			select {
			case <-s.ctx.Done():
				return nil
			default:
			}
		}
		if err == io.EOF {
			return nil
		}
	}
	return nil
}

func (s *source) Close() error { return nil }
