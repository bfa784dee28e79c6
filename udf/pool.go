package udf

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// Pool is a set of Python worker processes that streams are placed on. Workers
// start on demand (or ahead of time with Prestart), up to Config.Workers, and
// are reused across streams and jobs; a worker that dies is replaced by the
// next Open. A Pool is safe for concurrent use.
type Pool struct {
	cfg Config

	mu      sync.Mutex
	workers []*worker
	nextID  int
	dir     string // holds the workers' unix sockets; created with the first worker
	closed  bool
}

// NewPool returns a pool; no worker starts until Prestart or Open.
func NewPool(cfg Config) *Pool {
	return &Pool{cfg: cfg.withDefaults()}
}

var (
	sharedMu    sync.Mutex
	sharedPools = map[string]*Pool{}
)

// Shared returns the process-wide pool for cfg's interpreter and path, creating
// it with cfg on first use, so every job of a process reuses the same workers.
func Shared(cfg Config) *Pool {
	key := cfg.Python + "\x00" + strings.Join(cfg.Path, "\x00")
	sharedMu.Lock()
	defer sharedMu.Unlock()
	p := sharedPools[key]
	if p == nil || p.isClosed() {
		p = NewPool(cfg)
		sharedPools[key] = p
	}
	return p
}

func (p *Pool) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// Prestart starts workers, without waiting for them, until n are running (at most Config.Workers).
func (p *Pool) Prestart(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for !p.closed && p.liveLocked() < min(n, p.cfg.Workers) {
		if _, err := p.startLocked(); err != nil {
			p.cfg.Log(fmt.Sprintf("[python worker pool] prestart: %v", err))
			return
		}
	}
}

// Open starts a stream for the chain on the least-loaded worker (starting a
// new worker while all are busy and the pool has room) and opens the chain's
// functions there. A function that cannot be unpickled or whose open() raises
// makes Open fail with a *UserError. Cancelling ctx ends the stream.
func (p *Pool) Open(ctx context.Context, spec ChainSpec) (Stream, error) {
	open, err := appendOpen(nil, &spec)
	if err != nil {
		return nil, fmt.Errorf("open chain: %w", err)
	}
	w, err := p.acquire()
	if err != nil {
		return nil, err
	}
	select {
	case <-w.ready:
	case <-ctx.Done():
		p.release(w)
		return nil, ctx.Err()
	}
	if w.startErr != nil {
		p.release(w)
		return nil, w.startErr
	}
	s, err := openStream(ctx, p, w, open, p.cfg.MaxInFlight)
	if err != nil {
		p.release(w)
		return nil, err
	}
	return s, nil
}

// acquire picks the worker for a new stream and counts the stream on it.
func (p *Pool) acquire() (*worker, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, ErrPoolClosed
	}
	var best *worker
	live := 0
	for _, w := range p.workers {
		if w.dead() {
			continue
		}
		live++
		if best == nil || w.streams < best.streams {
			best = w
		}
	}
	if best == nil || (best.streams > 0 && live < p.cfg.Workers) {
		w, err := p.startLocked()
		if err != nil {
			return nil, err
		}
		best = w
	}
	if best.streams >= maxStreamsPerWorker {
		return nil, fmt.Errorf("udf: all %d python workers serve %d streams each, the most a worker takes",
			live, maxStreamsPerWorker)
	}
	best.streams++
	return best, nil
}

// release uncounts a stream.
func (p *Pool) release(w *worker) {
	p.mu.Lock()
	w.streams--
	p.mu.Unlock()
}

func (p *Pool) liveLocked() int {
	n := 0
	for _, w := range p.workers {
		if !w.dead() {
			n++
		}
	}
	return n
}

func (p *Pool) startLocked() (*worker, error) {
	if p.dir == "" {
		dir, err := os.MkdirTemp("", "pyflink-go-")
		if err != nil {
			return nil, fmt.Errorf("udf: socket directory: %w", err)
		}
		p.dir = dir
	}
	p.nextID++
	w, err := startWorker(p.nextID, p.dir, &p.cfg, p.forget)
	if err != nil {
		return nil, err
	}
	p.workers = append(p.workers, w)
	return w, nil
}

// forget drops a worker whose process ended.
func (p *Pool) forget(w *worker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, x := range p.workers {
		if x == w {
			p.workers = append(p.workers[:i], p.workers[i+1:]...)
			break
		}
	}
	if !p.closed {
		p.cfg.Log(fmt.Sprintf("[python worker %d] ended unexpectedly: %s", w.id, w.exitErr.Status))
	}
}

// Close stops every worker (closing their stdin, killing those that do not
// exit promptly); open streams fail. Open fails after Close.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	workers := append([]*worker(nil), p.workers...)
	dir := p.dir
	p.mu.Unlock()

	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.shutdown(3 * time.Second)
		}()
	}
	wg.Wait()
	if dir != "" {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("udf: remove socket directory: %w", err)
		}
	}
	return nil
}

// workerCount returns the number of live workers (for tests and metrics).
func (p *Pool) workerCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.liveLocked()
}
