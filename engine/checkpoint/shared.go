package checkpoint

import "sort"

// SharedRegistry counts the references of retained checkpoints to the files
// of the job's shared directory (Flink's SharedStateRegistry). A file may be
// deleted only when no retained checkpoint references it; whether no
// checkpoint in flight may still reference it is the caller's to know (see
// Sweepable).
//
// Invariants: refs[name] is the number of registered checkpoints whose list
// holds name (a checkpoint counts a file once); a name is in refs only
// while that number is positive.
type SharedRegistry struct {
	refs         map[string]int
	byCheckpoint map[int64][]string
}

// NewSharedRegistry returns an empty registry.
func NewSharedRegistry() *SharedRegistry {
	return &SharedRegistry{refs: map[string]int{}, byCheckpoint: map[int64][]string{}}
}

// Register records that retained checkpoint id references names. A second
// registration of the same id replaces the first.
func (r *SharedRegistry) Register(id int64, names []string) {
	r.Release(id)
	seen := make(map[string]bool, len(names))
	var own []string
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		own = append(own, n)
		r.refs[n]++
	}
	r.byCheckpoint[id] = own
}

// Release drops the references of checkpoint id (subsumed, discarded); an
// id never registered releases nothing.
func (r *SharedRegistry) Release(id int64) {
	for _, n := range r.byCheckpoint[id] {
		if r.refs[n]--; r.refs[n] <= 0 {
			delete(r.refs, n)
		}
	}
	delete(r.byCheckpoint, id)
}

// Referenced reports whether a registered checkpoint references name.
func (r *SharedRegistry) Referenced(name string) bool { return r.refs[name] > 0 }

// Unreferenced returns, sorted, the names of present (the files found in
// the shared directory) that no registered checkpoint references: files of
// subsumed checkpoints, and uploads of checkpoints that never completed.
func (r *SharedRegistry) Unreferenced(present []string) []string {
	var out []string
	for _, n := range present {
		if !r.Referenced(n) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Checkpoints returns the registered checkpoint ids, ascending.
func (r *SharedRegistry) Checkpoints() []int64 {
	ids := make([]int64, 0, len(r.byCheckpoint))
	for id := range r.byCheckpoint {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// Sweepable reports whether unreferenced shared files may be deleted once
// checkpoint completed is durable, given the checkpoints still pending.
// A pending checkpoint newer than completed may reference a file the
// retained checkpoints no longer do: a task reuses the files of the newest
// completed checkpoint it knows, and a newer completion may drop that one
// before the pending checkpoint registers. Older pending checkpoints are
// subsumed and will never complete.
func Sweepable(completed int64, pending []int64) bool {
	for _, id := range pending {
		if id > completed {
			return false
		}
	}
	return true
}
