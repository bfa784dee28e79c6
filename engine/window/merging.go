package window

import (
	"fmt"
	"slices"
)

// MergeFunc is told that windows merged into result; stateWindow is where
// result's state lives and mergedStateWindows are the state windows whose
// contents must be folded into it.
type MergeFunc func(result Window, merged []Window, stateWindow Window, mergedStateWindows []Window) error

// MergingSet is Flink's MergingWindowSet: the session windows of one key,
// each mapped to the window its state is kept under. Merging only rewrites
// the mapping; contents move only when state windows merge, so a window's
// state namespace stays stable while its bounds grow.
type MergingSet struct {
	assigner MergingAssigner
	mapping  map[Window]Window
	changed  bool
}

// NewMergingSet returns the set of a key, restored from its persisted
// mapping (pairs of window and state window).
func NewMergingSet(a MergingAssigner, persisted [][2]Window) *MergingSet {
	s := &MergingSet{assigner: a, mapping: make(map[Window]Window, len(persisted))}
	for _, p := range persisted {
		s.mapping[p[0]] = p[1]
	}
	return s
}

// Len is the number of windows in the set.
func (s *MergingSet) Len() int { return len(s.mapping) }

// Changed reports whether the set changed since it was loaded.
func (s *MergingSet) Changed() bool { return s.changed }

// Pairs returns the mapping in window order, for persisting.
func (s *MergingSet) Pairs() [][2]Window {
	out := make([][2]Window, 0, len(s.mapping))
	for w, sw := range s.mapping {
		out = append(out, [2]Window{w, sw})
	}
	slices.SortFunc(out, func(a, b [2]Window) int { return compareWindows(a[0], b[0]) })
	return out
}

func compareWindows(a, b Window) int {
	switch {
	case a.Less(b):
		return -1
	case b.Less(a):
		return 1
	}
	return 0
}

// StateWindow returns the state window of w.
func (s *MergingSet) StateWindow(w Window) (Window, bool) {
	sw, ok := s.mapping[w]
	return sw, ok
}

// Retire removes w (its state was cleaned up).
func (s *MergingSet) Retire(w Window) error {
	if _, ok := s.mapping[w]; !ok {
		return fmt.Errorf("window %v is not in the merging window set", w)
	}
	delete(s.mapping, w)
	s.changed = true
	return nil
}

// Add adds a new window, merges it with the windows it touches, and returns
// the window it ended up in. merge is called for every merge that folds
// existing windows together (the state window of a merge result is the one
// of its earliest merged existing window).
func (s *MergingSet) Add(w Window, merge MergeFunc) (Window, error) {
	windows := make([]Window, 0, len(s.mapping)+1)
	for x := range s.mapping {
		windows = append(windows, x)
	}
	if _, ok := s.mapping[w]; !ok {
		windows = append(windows, w)
	}
	type result struct {
		window Window
		group  []Window
	}
	var results []result
	s.assigner.MergeWindows(windows, func(group []Window, r Window) {
		results = append(results, result{r, append([]Window(nil), group...)})
	})
	resultWindow, mergedNew := w, false
	for _, r := range results {
		group := r.group
		if i := slices.Index(group, w); i >= 0 {
			if _, existed := s.mapping[w]; !existed {
				group = slices.Delete(group, i, i+1)
			}
			mergedNew, resultWindow = true, r.window
		}
		// group is sorted: its first window's state window keeps the state.
		stateWindow := s.mapping[group[0]]
		var mergedState []Window
		for _, g := range group {
			if sw, ok := s.mapping[g]; ok {
				delete(s.mapping, g)
				if sw != stateWindow {
					mergedState = append(mergedState, sw)
				}
			}
		}
		s.mapping[r.window] = stateWindow
		s.changed = true
		// A lone existing window that absorbs the new one without growing
		// needs no merge.
		if len(group) == 1 && group[0] == r.window {
			continue
		}
		if err := merge(r.window, group, stateWindow, mergedState); err != nil {
			return Window{}, err
		}
	}
	if !mergedNew {
		if _, ok := s.mapping[w]; !ok {
			s.mapping[w] = w
			s.changed = true
		}
	}
	return resultWindow, nil
}
