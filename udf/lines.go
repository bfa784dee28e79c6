package udf

import (
	"bytes"
	"strings"
	"sync"
)

// lineWriter turns a worker's output into lines for Config.Log and keeps the
// last lines for crash reports. It is the io.Writer exec copies a pipe into.
type lineWriter struct {
	prefix string
	log    func(string)

	mu      sync.Mutex
	partial []byte
	tail    []string // ring of the last tailLines lines
	next    int
	full    bool
}

const (
	tailLines   = 30
	maxLineSize = 8 << 10
)

func newLineWriter(prefix string, log func(string)) *lineWriter {
	return &lineWriter{prefix: prefix, log: log, tail: make([]string, tailLines)}
}

// Write logs every complete line of p and keeps the rest for the next call.
func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.partial = append(w.partial, p...)
			if len(w.partial) > maxLineSize {
				w.emit(w.partial)
				w.partial = w.partial[:0]
			}
			break
		}
		if len(w.partial) > 0 {
			w.partial = append(w.partial, p[:i]...)
			w.emit(w.partial)
			w.partial = w.partial[:0]
		} else {
			w.emit(p[:i])
		}
		p = p[i+1:]
	}
	return n, nil
}

// flush logs a final line without its newline.
func (w *lineWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.partial) > 0 {
		w.emit(w.partial)
		w.partial = w.partial[:0]
	}
}

func (w *lineWriter) emit(line []byte) {
	if len(line) > maxLineSize {
		line = line[:maxLineSize]
	}
	s := strings.TrimSuffix(string(line), "\r")
	w.log(w.prefix + s)
	w.tail[w.next] = s
	w.next = (w.next + 1) % len(w.tail)
	if w.next == 0 {
		w.full = true
	}
}

// lastLines returns the kept lines, oldest first, joined by newlines.
func (w *lineWriter) lastLines() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var lines []string
	if w.full {
		lines = append(lines, w.tail[w.next:]...)
	}
	lines = append(lines, w.tail[:w.next]...)
	if len(w.partial) > 0 {
		lines = append(lines, string(w.partial))
	}
	return strings.Join(lines, "\n")
}
