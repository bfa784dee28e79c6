package heap

import (
	"container/heap"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state/kv"
)

// Store is an in-memory kv.Store for the key groups of one subtask.
type Store struct {
	groups keygroup.Range
	tables map[string]any // *valueTable, *mapTable or *timerQueue
	order  []string       // table names in creation order
	// frozenSizes are the sizes of each key group's last snapshot copy,
	// to size the next one (Snapshot).
	frozenSizes []int
}

// New returns an empty store for the key groups in r.
func New(r keygroup.Range) *Store {
	return &Store{groups: r, tables: map[string]any{}}
}

func (s *Store) index(kg int) (int, error) {
	if !s.groups.Contains(kg) {
		return 0, fmt.Errorf("heap state: key group %d outside %d..%d", kg, s.groups.Start, s.groups.End)
	}
	return kg - s.groups.Start, nil
}

func (s *Store) numGroups() int { return s.groups.End - s.groups.Start + 1 }

func table[T any](s *Store, name string, kind kv.Kind, mk func() T) (T, error) {
	if t, ok := s.tables[name]; ok {
		if tt, ok := t.(T); ok {
			return tt, nil
		}
		var zero T
		return zero, fmt.Errorf("heap state: %q is already registered as another kind of state, not %s", name, kind)
	}
	t := mk()
	s.tables[name] = t
	s.order = append(s.order, name)
	return t, nil
}

// ValueTable implements kv.Store.
func (s *Store) ValueTable(name string) (kv.ValueTable, error) {
	return table(s, name, kv.ValueKind, func() *valueTable {
		return &valueTable{s: s, groups: make([]map[string]*slot, s.numGroups())}
	})
}

// MapTable implements kv.Store.
func (s *Store) MapTable(name string) (kv.MapTable, error) {
	return table(s, name, kv.MapKind, func() *mapTable {
		return &mapTable{s: s, groups: make([]map[string]*mapSlot, s.numGroups())}
	})
}

// TimerQueue implements kv.Store.
func (s *Store) TimerQueue(name string) (kv.TimerQueue, error) {
	return table(s, name, kv.TimerKind, func() *timerQueue {
		return &timerQueue{s: s, index: make([]map[string]*htimer, s.numGroups())}
	})
}

// Iterate implements kv.Store: tables in creation order, entries in
// ascending composite order within each table.
func (s *Store) Iterate(kg int, fn func(kv.Entry) error) error {
	return s.iterate(kg, true, fn)
}

// IterateUnordered implements kv.UnorderedIterator: Iterate without the
// sorting, for snapshots, which need every entry but no order. The entries
// of one map (key and namespace) still come one after another.
func (s *Store) IterateUnordered(kg int, fn func(kv.Entry) error) error {
	return s.iterate(kg, false, fn)
}

func (s *Store) iterate(kg int, ordered bool, fn func(kv.Entry) error) error {
	i, err := s.index(kg)
	if err != nil {
		return err
	}
	for _, name := range s.order {
		if err := s.iterateTable(name, i, ordered, fn); err != nil {
			if err == kv.ErrStop {
				return nil
			}
			return err
		}
	}
	return nil
}

// iterateTable lists the entries of one table in key group index i. The
// entries' key and namespace live in a scratch buffer valid during fn only
// (as a Pebble iterator's are).
func (s *Store) iterateTable(name string, i int, ordered bool, fn func(kv.Entry) error) error {
	var buf []byte
	switch t := s.tables[name].(type) {
	case *valueTable:
		return each(t.groups[i], ordered, func(c string, sl *slot) error {
			buf = append(buf[:0], c...)
			key, ns, err := kv.SplitKeyNs(buf)
			if err != nil {
				return err
			}
			return fn(kv.Entry{Table: name, Kind: kv.ValueKind, Key: key, Namespace: ns, Value: sl.v})
		})
	case *mapTable:
		return each(t.groups[i], ordered, func(c string, sl *mapSlot) error {
			buf = append(buf[:0], c...)
			key, ns, err := kv.SplitKeyNs(buf)
			if err != nil {
				return err
			}
			var ukb []byte
			return each(sl.m, ordered, func(uk string, v []byte) error {
				ukb = append(ukb[:0], uk...)
				return fn(kv.Entry{Table: name, Kind: kv.MapKind, Key: key, Namespace: ns, UserKey: ukb, Value: v})
			})
		})
	case *timerQueue:
		return each(t.index[i], ordered, func(o string, _ *htimer) error {
			buf = append(buf[:0], o...)
			tm, err := kv.ParseOrderKey(buf)
			if err != nil {
				return err
			}
			return fn(kv.Entry{Table: name, Kind: kv.TimerKind, Key: tm.Key, Namespace: tm.Namespace, Timestamp: tm.Timestamp})
		})
	}
	return nil
}

// each calls fn for every entry of m, in ascending key order when ordered.
func each[V any](m map[string]V, ordered bool, fn func(k string, v V) error) error {
	if !ordered {
		for k, v := range m {
			if err := fn(k, v); err != nil {
				return err
			}
		}
		return nil
	}
	for _, e := range sortedEntries(m) {
		if err := fn(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}

// entry is a map entry for sortedEntries.
type entry[V any] struct {
	k string
	v V
}

// sortedEntries returns the entries of m in ascending key order.
func sortedEntries[V any](m map[string]V) []entry[V] {
	out := make([]entry[V], 0, len(m))
	for k, v := range m {
		out = append(out, entry[V]{k, v})
	}
	slices.SortFunc(out, func(a, b entry[V]) int { return strings.Compare(a.k, b.k) })
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Flush implements kv.Store; memory needs none.
func (s *Store) Flush() error { return nil }

// Close drops every table.
func (s *Store) Close() error {
	s.tables = map[string]any{}
	s.order = nil
	return nil
}

// slot holds one value; updates reuse its buffer.
type slot struct{ v []byte }

type valueTable struct {
	s      *Store
	groups []map[string]*slot
	buf    []byte
	// last is the slot of the previous lookup (lastKey in lastGroup): a read
	// followed by a write of the same value looks the map up once.
	last      *slot
	lastGroup int
	lastKey   []byte
}

func (t *valueTable) lookup(kg int, key, ns []byte, create bool) (*slot, error) {
	i, err := t.s.index(kg)
	if err != nil {
		return nil, err
	}
	t.buf = kv.AppendKeyNs(t.buf[:0], key, ns)
	if t.last != nil && t.lastGroup == i && string(t.lastKey) == string(t.buf) {
		return t.last, nil
	}
	sl, err := t.find(i, create)
	if sl != nil {
		t.last, t.lastGroup, t.lastKey = sl, i, append(t.lastKey[:0], t.buf...)
	}
	return sl, err
}

func (t *valueTable) find(i int, create bool) (*slot, error) {
	m := t.groups[i]
	if m == nil {
		if !create {
			return nil, nil
		}
		m = map[string]*slot{}
		t.groups[i] = m
	}
	sl := m[string(t.buf)]
	if sl == nil && create {
		sl = &slot{}
		m[string(t.buf)] = sl
	}
	return sl, nil
}

func (t *valueTable) Get(kg int, key, ns []byte) ([]byte, bool, error) {
	sl, err := t.lookup(kg, key, ns, false)
	if sl == nil || err != nil {
		return nil, false, err
	}
	return sl.v, true, nil
}

func (t *valueTable) Put(kg int, key, ns, v []byte) error {
	sl, err := t.lookup(kg, key, ns, true)
	if err != nil {
		return err
	}
	sl.v = append(sl.v[:0], v...)
	if sl.v == nil {
		sl.v = []byte{}
	}
	return nil
}

func (t *valueTable) Append(kg int, key, ns, v []byte) error {
	sl, err := t.lookup(kg, key, ns, true)
	if err != nil {
		return err
	}
	sl.v = append(sl.v, v...)
	if sl.v == nil {
		sl.v = []byte{}
	}
	return nil
}

func (t *valueTable) Delete(kg int, key, ns []byte) error {
	i, err := t.s.index(kg)
	if err != nil {
		return err
	}
	t.last = nil
	t.buf = kv.AppendKeyNs(t.buf[:0], key, ns)
	delete(t.groups[i], string(t.buf))
	return nil
}

func (t *valueTable) Keys(kg int, fn func(key, ns []byte) error) error {
	i, err := t.s.index(kg)
	if err != nil {
		return err
	}
	for _, c := range sortedKeys(t.groups[i]) {
		key, ns, err := kv.SplitKeyNs([]byte(c))
		if err != nil {
			return err
		}
		if err := fn(key, ns); err != nil {
			if err == kv.ErrStop {
				return nil
			}
			return err
		}
	}
	return nil
}

type mapSlot struct{ m map[string][]byte }

type mapTable struct {
	s      *Store
	groups []map[string]*mapSlot
	buf    []byte
}

func (t *mapTable) lookup(kg int, key, ns []byte, create bool) (*mapSlot, error) {
	i, err := t.s.index(kg)
	if err != nil {
		return nil, err
	}
	t.buf = kv.AppendKeyNs(t.buf[:0], key, ns)
	m := t.groups[i]
	if m == nil {
		if !create {
			return nil, nil
		}
		m = map[string]*mapSlot{}
		t.groups[i] = m
	}
	sl := m[string(t.buf)]
	if sl == nil && create {
		sl = &mapSlot{m: map[string][]byte{}}
		m[string(t.buf)] = sl
	}
	return sl, nil
}

func (t *mapTable) Get(kg int, key, ns, uk []byte) ([]byte, bool, error) {
	sl, err := t.lookup(kg, key, ns, false)
	if sl == nil || err != nil {
		return nil, false, err
	}
	v, ok := sl.m[string(uk)]
	return v, ok, nil
}

func (t *mapTable) Put(kg int, key, ns, uk, v []byte) error {
	sl, err := t.lookup(kg, key, ns, true)
	if err != nil {
		return err
	}
	if old, ok := sl.m[string(uk)]; ok && cap(old) >= len(v) {
		sl.m[string(uk)] = append(old[:0], v...)
		return nil
	}
	sl.m[string(uk)] = append(make([]byte, 0, len(v)), v...)
	return nil
}

func (t *mapTable) Delete(kg int, key, ns, uk []byte) error {
	sl, err := t.lookup(kg, key, ns, false)
	if sl == nil || err != nil {
		return err
	}
	delete(sl.m, string(uk))
	if len(sl.m) == 0 {
		i, _ := t.s.index(kg)
		delete(t.groups[i], string(t.buf))
	}
	return nil
}

func (t *mapTable) Scan(kg int, key, ns []byte, fn func(uk, v []byte) error) error {
	sl, err := t.lookup(kg, key, ns, false)
	if sl == nil || err != nil {
		return err
	}
	for _, uk := range sortedKeys(sl.m) {
		if err := fn([]byte(uk), sl.m[uk]); err != nil {
			if err == kv.ErrStop {
				return nil
			}
			return err
		}
	}
	return nil
}

func (t *mapTable) Clear(kg int, key, ns []byte) error {
	i, err := t.s.index(kg)
	if err != nil {
		return err
	}
	t.buf = kv.AppendKeyNs(t.buf[:0], key, ns)
	delete(t.groups[i], string(t.buf))
	return nil
}

func (t *mapTable) Keys(kg int, fn func(key, ns []byte) error) error {
	i, err := t.s.index(kg)
	if err != nil {
		return err
	}
	for _, c := range sortedKeys(t.groups[i]) {
		key, ns, err := kv.SplitKeyNs([]byte(c))
		if err != nil {
			return err
		}
		if err := fn(key, ns); err != nil {
			if err == kv.ErrStop {
				return nil
			}
			return err
		}
	}
	return nil
}

// The timer queue keeps timers in buckets by timestamp (window timers
// mostly share a few timestamps) and a min-heap of the bucket timestamps. A
// bucket is sorted once, when it is first drained; timers added to a bucket
// being drained are inserted in order.

// htimer is a queued timer; order is its kv.AppendOrderKey encoding.
type htimer struct {
	order   string
	deleted bool
}

type bucket struct {
	ts      int64
	timers  []*htimer
	next    int // timers[:next] have fired or were deleted (sorted buckets)
	sorted  bool
	live    int
	heapIdx int
}

// bucketHeap orders buckets by timestamp.
type bucketHeap []*bucket

func (h bucketHeap) Len() int           { return len(h) }
func (h bucketHeap) Less(i, j int) bool { return h[i].ts < h[j].ts }
func (h bucketHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIdx = i
	h[j].heapIdx = j
}
func (h *bucketHeap) Push(x any) {
	b := x.(*bucket)
	b.heapIdx = len(*h)
	*h = append(*h, b)
}
func (h *bucketHeap) Pop() any {
	old := *h
	b := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return b
}

type timerQueue struct {
	s       *Store
	heap    bucketHeap
	buckets map[int64]*bucket
	// index holds the queued timers by their order key, one map per key
	// group (so a key group's timers are listed without scanning all).
	index []map[string]*htimer
	buf   []byte
	// last is the timer added last: registering it again (a window's
	// trigger timer and cleanup timer often coincide) needs no lookup.
	last *htimer
}

func (q *timerQueue) Add(t kv.Timer) error {
	i, err := q.s.index(t.KeyGroup)
	if err != nil {
		return err
	}
	q.buf = kv.AppendOrderKey(q.buf[:0], t)
	if q.last != nil && !q.last.deleted && q.last.order == string(q.buf) {
		return nil
	}
	if h, ok := q.index[i][string(q.buf)]; ok {
		q.last = h
		return nil
	}
	if q.buckets == nil {
		q.buckets = map[int64]*bucket{}
	}
	h := &htimer{order: string(q.buf)}
	if q.index[i] == nil {
		q.index[i] = map[string]*htimer{}
	}
	q.index[i][h.order] = h
	q.last = h
	b := q.buckets[t.Timestamp]
	if b == nil {
		b = &bucket{ts: t.Timestamp}
		q.buckets[t.Timestamp] = b
		heap.Push(&q.heap, b)
	}
	b.live++
	if !b.sorted {
		b.timers = append(b.timers, h)
		return nil
	}
	// Keep a sorted bucket sorted (a timer set while its bucket fires).
	rest := b.timers[b.next:]
	at := sort.Search(len(rest), func(j int) bool { return rest[j].order > h.order })
	b.timers = append(b.timers, nil)
	copy(b.timers[b.next+at+1:], b.timers[b.next+at:])
	b.timers[b.next+at] = h
	return nil
}

func (q *timerQueue) Delete(t kv.Timer) error {
	q.buf = kv.AppendOrderKey(q.buf[:0], t)
	i, err := q.s.index(t.KeyGroup)
	if err != nil {
		return nil
	}
	h, ok := q.index[i][string(q.buf)]
	if !ok {
		return nil
	}
	delete(q.index[i], h.order)
	h.deleted = true
	if q.last == h {
		q.last = nil
	}
	b := q.buckets[t.Timestamp]
	if b.live--; b.live == 0 {
		q.dropBucket(b)
	}
	return nil
}

func (q *timerQueue) dropBucket(b *bucket) {
	heap.Remove(&q.heap, b.heapIdx)
	delete(q.buckets, b.ts)
}

// front returns the earliest live timer.
func (q *timerQueue) front() (*bucket, *htimer) {
	if len(q.heap) == 0 {
		return nil, nil
	}
	b := q.heap[0]
	if !b.sorted {
		live := b.timers[:0]
		for _, h := range b.timers {
			if !h.deleted {
				live = append(live, h)
			}
		}
		clear(b.timers[len(live):])
		b.timers = live
		sort.Slice(b.timers, func(i, j int) bool { return b.timers[i].order < b.timers[j].order })
		b.sorted = true
	}
	for b.timers[b.next].deleted {
		b.timers[b.next] = nil
		b.next++
	}
	return b, b.timers[b.next]
}

// Peek finds the earliest timer without sorting its bucket.
func (q *timerQueue) Peek() (kv.Timer, bool, error) {
	if len(q.heap) == 0 {
		return kv.Timer{}, false, nil
	}
	var first *htimer
	b := q.heap[0]
	start := 0
	if b.sorted {
		start = b.next
	}
	for _, h := range b.timers[start:] {
		if !h.deleted && (first == nil || h.order < first.order) {
			first = h
			if b.sorted {
				break
			}
		}
	}
	t, err := kv.ParseOrderKey([]byte(first.order))
	return t, err == nil, err
}

func (q *timerQueue) Pop(max int64) (kv.Timer, bool, error) {
	if len(q.heap) == 0 || q.heap[0].ts > max {
		// Not due: leave the bucket unsorted, so adding to it stays cheap.
		return kv.Timer{}, false, nil
	}
	b, h := q.front()
	t, err := kv.ParseOrderKey([]byte(h.order))
	if err != nil {
		return kv.Timer{}, false, err
	}
	b.timers[b.next] = nil
	b.next++
	delete(q.index[t.KeyGroup-q.s.groups.Start], h.order)
	h.deleted = true
	if q.last == h {
		q.last = nil
	}
	if b.live--; b.live == 0 {
		q.dropBucket(b)
	}
	return t, true, nil
}
