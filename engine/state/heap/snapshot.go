package heap

import (
	"encoding/binary"
	"errors"

	"github.com/pyflink-go/pyflink-go/engine/state/kv"
)

// Snapshot implements kv.Snapshotter: it copies every entry of the store
// into a frozen view that another goroutine can serialize while the
// operator goes on changing the store. The copy is one pass over the maps
// that packs each key group's keys and values into one byte buffer (no
// pointers, so the garbage collector never scans it, and sized from the
// previous snapshot of that key group): far cheaper than encoding the
// snapshot at the barrier, which is what it replaces. The view costs about
// the state's size in memory until it is closed.
//
// The view owns everything it holds: later writes to the store, which
// reuse value buffers in place, cannot reach it.
func (s *Store) Snapshot() (kv.View, error) {
	n := s.numGroups()
	if len(s.frozenSizes) != n {
		s.frozenSizes = make([]int, n)
	}
	v := &view{start: s.groups.Start, groups: make([]frozenGroup, n)}
	for i := range v.groups {
		g := &v.groups[i]
		g.data = make([]byte, 0, s.frozenSizes[i]+s.frozenSizes[i]/8)
		for _, name := range s.order {
			switch t := s.tables[name].(type) {
			case *valueTable:
				g.freezeValues(name, t.groups[i])
			case *mapTable:
				g.freezeMaps(name, t.groups[i])
			case *timerQueue:
				g.freezeTimers(name, t.index[i])
			}
		}
		s.frozenSizes[i] = len(g.data)
	}
	return v, nil
}

// view is a frozen copy of a Store (see Snapshot).
type view struct {
	start  int
	groups []frozenGroup
}

// frozenGroup is the copy of one key group: its non-empty tables in the
// store's creation order, their entries packed in data.
type frozenGroup struct {
	tables []frozenTable
	data   []byte
}

// frozenTable is one table's entries in a key group: data[from:to] of its
// group, each entry a sequence of length-prefixed byte strings: the
// composite key (key and namespace; a timer's order key), then for map
// tables the user key, then for value and map tables the value.
type frozenTable struct {
	name     string
	kind     kv.Kind
	from, to int
}

func (g *frozenGroup) put(b []byte) {
	g.data = binary.AppendUvarint(g.data, uint64(len(b)))
	g.data = append(g.data, b...)
}

func (g *frozenGroup) putString(s string) {
	g.data = binary.AppendUvarint(g.data, uint64(len(s)))
	g.data = append(g.data, s...)
}

func (g *frozenGroup) freezeValues(name string, m map[string]*slot) {
	if len(m) == 0 {
		return
	}
	t := frozenTable{name: name, kind: kv.ValueKind, from: len(g.data)}
	for c, sl := range m {
		g.putString(c)
		g.put(sl.v)
	}
	t.to = len(g.data)
	g.tables = append(g.tables, t)
}

// freezeMaps keeps the entries of one map (key and namespace) together, as
// snapshots need them.
func (g *frozenGroup) freezeMaps(name string, m map[string]*mapSlot) {
	if len(m) == 0 {
		return
	}
	t := frozenTable{name: name, kind: kv.MapKind, from: len(g.data)}
	for c, sl := range m {
		for uk, val := range sl.m {
			g.putString(c)
			g.putString(uk)
			g.put(val)
		}
	}
	t.to = len(g.data)
	g.tables = append(g.tables, t)
}

func (g *frozenGroup) freezeTimers(name string, m map[string]*htimer) {
	if len(m) == 0 {
		return
	}
	t := frozenTable{name: name, kind: kv.TimerKind, from: len(g.data)}
	for o := range m {
		g.putString(o)
	}
	t.to = len(g.data)
	g.tables = append(g.tables, t)
}

// Iterate implements kv.View: the entries of key group kg as the store held
// them when the view was taken, table by table, each map's entries
// together, in no particular order within a table. An entry's slices are
// valid during fn only.
func (v *view) Iterate(kg int, fn func(kv.Entry) error) error {
	if v.groups == nil {
		return errClosedView
	}
	i := kg - v.start
	if i < 0 || i >= len(v.groups) {
		return nil
	}
	g := &v.groups[i]
	var c []byte
	for _, t := range g.tables {
		r := reader{data: g.data[t.from:t.to]}
		for len(r.data) > 0 {
			c = append(c[:0], r.next()...)
			e, err := t.entry(&r, c)
			if err != nil {
				return err
			}
			if err := fn(e); err != nil {
				if err == kv.ErrStop {
					return nil
				}
				return err
			}
		}
	}
	return nil
}

// entry reads the rest of an entry of the table whose composite key is c.
func (t *frozenTable) entry(r *reader, c []byte) (kv.Entry, error) {
	if t.kind == kv.TimerKind {
		tm, err := kv.ParseOrderKey(c)
		if err != nil {
			return kv.Entry{}, err
		}
		return kv.Entry{Table: t.name, Kind: kv.TimerKind, Key: tm.Key, Namespace: tm.Namespace, Timestamp: tm.Timestamp}, nil
	}
	key, ns, err := kv.SplitKeyNs(c)
	if err != nil {
		return kv.Entry{}, err
	}
	e := kv.Entry{Table: t.name, Kind: t.kind, Key: key, Namespace: ns}
	if t.kind == kv.MapKind {
		e.UserKey = r.next()
	}
	e.Value = r.next()
	if e.Value == nil {
		e.Value = []byte{} // the store never holds nil values
	}
	return e, nil
}

// reader reads the length-prefixed strings that view.Snapshot wrote.
type reader struct{ data []byte }

func (r *reader) next() []byte {
	n, k := binary.Uvarint(r.data)
	b := r.data[k : k+int(n) : k+int(n)]
	r.data = r.data[k+int(n):]
	return b
}

// Close implements kv.View: it drops the copy.
func (v *view) Close() error {
	v.groups = nil
	return nil
}

var errClosedView = errors.New("heap state: snapshot view used after Close")
