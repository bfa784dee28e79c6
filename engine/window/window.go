package window

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
)

// Kind tells a time window from the global window and count windows.
type Kind uint8

// The window kinds.
const (
	TimeKind Kind = iota
	GlobalKind
	CountKind
)

// Window is a pane of a keyed stream: a time window [Start, End), the
// global window, or a count window (ID in Start). The zero Kind is a time
// window, so Window{Start: 0, End: 5} is TimeWindow(start=0, end=5).
type Window struct {
	Kind  Kind
	Start int64
	End   int64
}

// TimeWindow returns the time window [start, end).
func TimeWindow(start, end int64) Window { return Window{Start: start, End: end} }

// GlobalWindow returns the single window of GlobalWindows.
func GlobalWindow() Window { return Window{Kind: GlobalKind} }

// CountWindow returns the count window with the given id.
func CountWindow(id int64) Window { return Window{Kind: CountKind, Start: id} }

// ID is a count window's id.
func (w Window) ID() int64 { return w.Start }

// MaxTimestamp is the largest timestamp that belongs to the window: End-1
// for time windows, math.MaxInt64 for the others.
func (w Window) MaxTimestamp() int64 {
	if w.Kind != TimeKind {
		return math.MaxInt64
	}
	return w.End - 1
}

// Intersects reports whether two time windows overlap or touch.
func (w Window) Intersects(o Window) bool { return w.Start <= o.End && w.End >= o.Start }

// Cover is the smallest time window containing both.
func (w Window) Cover(o Window) Window {
	return TimeWindow(min(w.Start, o.Start), max(w.End, o.End))
}

// Less orders time windows by start, then end.
func (w Window) Less(o Window) bool {
	return w.Start < o.Start || w.Start == o.Start && w.End < o.End
}

// String renders the window as PyFlink's repr does.
func (w Window) String() string {
	switch w.Kind {
	case GlobalKind:
		return "GlobalWindow"
	case CountKind:
		return fmt.Sprintf("CountWindow(id=%d)", w.Start)
	}
	return fmt.Sprintf("TimeWindow(start=%d, end=%d)", w.Start, w.End)
}

// AppendNamespace appends the window's state namespace: 16 bytes (start,
// end, order-preserving) for a time window, 0x01 for the global window, 0x02
// and the id for a count window.
func (w Window) AppendNamespace(dst []byte) []byte {
	switch w.Kind {
	case GlobalKind:
		return append(dst, 1)
	case CountKind:
		return appendInt(append(dst, 2), w.Start)
	}
	return appendInt(appendInt(dst, w.Start), w.End)
}

func appendInt(dst []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(dst, uint64(v)^(1<<63))
}

func readInt(b []byte) int64 { return int64(binary.BigEndian.Uint64(b) ^ (1 << 63)) }

// ParseNamespace decodes a namespace made by AppendNamespace.
func ParseNamespace(b []byte) (Window, error) {
	switch {
	case len(b) == 16:
		return TimeWindow(readInt(b), readInt(b[8:])), nil
	case len(b) == 1 && b[0] == 1:
		return GlobalWindow(), nil
	case len(b) == 9 && b[0] == 2:
		return CountWindow(readInt(b[1:])), nil
	}
	return Window{}, fmt.Errorf("window: corrupt namespace (%d bytes)", len(b))
}

// StartWithOffset is TimeWindow.getWindowStartWithOffset: the start of the
// window of size size (shifted by offset) that contains ts, flooring for
// negative timestamps.
func StartWithOffset(ts, offset, size int64) int64 {
	r := (ts - offset) % size
	if r < 0 {
		r += size
	}
	return ts - r
}

// MergeTimeWindows is TimeWindow.mergeWindows: sort the windows, and merge
// every run of windows that intersect (touching counts); merge is called for
// each group of at least two distinct windows with the covering window.
func MergeTimeWindows(ws []Window, merge func(group []Window, result Window)) {
	if len(ws) < 2 {
		return
	}
	sorted := append([]Window(nil), ws...)
	slices.SortFunc(sorted, func(a, b Window) int {
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.End, b.End)
	})
	sorted = slices.Compact(sorted)
	cur := sorted[0]
	group := []Window{sorted[0]}
	for _, c := range sorted[1:] {
		if cur.Intersects(c) {
			cur = cur.Cover(c)
			group = append(group, c)
			continue
		}
		if len(group) > 1 {
			merge(group, cur)
		}
		cur, group = c, []Window{c}
	}
	if len(group) > 1 {
		merge(group, cur)
	}
}
