package aggregate

import (
	"maps"
	"sync/atomic"
)

// accums holds the accumulators of one subtask so that a snapshot can read
// them after the barrier without the task copying them at the barrier.
//
// Invariant: while frozen is set, a snapshot's deferred part may be reading
// base, so base is not written: writes go to delta, and lookups see delta
// over base. Once the reader is done (done), the task folds delta into base
// on its next access, which costs what changed in the meantime instead of
// a copy of every key at every barrier. Only the task's goroutine calls the
// methods; the reader only reads base and then sets done.
type accums struct {
	base  map[string]accum
	delta map[string]accum
	// frozen: base is being read by a snapshot; done: that read finished.
	frozen bool
	done   atomic.Bool
}

func newAccums() *accums { return &accums{base: map[string]accum{}} }

// thaw folds delta into base once the snapshot reading base is done.
func (a *accums) thaw() {
	if !a.frozen || !a.done.Load() {
		return
	}
	for k, v := range a.delta {
		a.base[k] = v
	}
	a.delta, a.frozen = nil, false
}

func (a *accums) get(k string) (accum, bool) {
	a.thaw()
	if a.frozen {
		if v, ok := a.delta[k]; ok {
			return v, true
		}
	}
	v, ok := a.base[k]
	return v, ok
}

func (a *accums) put(k string, v accum) {
	if a.frozen {
		a.delta[k] = v
		return
	}
	a.base[k] = v
}

// size is the number of keys, counting a key changed during a snapshot
// twice (an estimate that costs nothing).
func (a *accums) size() int { return len(a.base) + len(a.delta) }

func (a *accums) empty() bool { return len(a.base) == 0 && len(a.delta) == 0 }

// all returns every accumulator (a copy when a snapshot holds base).
func (a *accums) all() map[string]accum {
	a.thaw()
	if !a.frozen {
		return a.base
	}
	m := maps.Clone(a.base)
	maps.Copy(m, a.delta)
	return m
}

// view returns a frozen view of the accumulators for a snapshot and the
// function the snapshot calls when it no longer reads the view. base itself
// is handed over when no other snapshot reads it; otherwise (checkpoints
// overlapping) the view is a copy and release does nothing.
func (a *accums) view() (map[string]accum, func()) {
	a.thaw()
	if a.frozen {
		return a.all(), func() {}
	}
	a.frozen = true
	a.done.Store(false)
	a.delta = map[string]accum{}
	return a.base, func() { a.done.Store(true) }
}
