package pebblestate

import (
	"bytes"
	"sort"

	"github.com/pyflink-go/pyflink-go/engine/state/kv"
)

// runLength is how many of a key group's earliest timers are read at once.
const runLength = 64

// timerQueue keeps timers in Pebble under [kg][id][ts][key ns]; for every key
// group it holds in memory the sorted run of its earliest timers.
type timerQueue struct {
	s     *Store
	id    uint16
	heads []head
	buf   []byte
}

// head is the in-memory front of one key group's timers. When loaded, run
// holds the smallest timers of the group in order (as their rest encoding:
// timestamp, key, namespace); complete means it holds all of them. Every
// timer below floor has been popped (and deleted), so loading seeks to
// floor instead of scanning the tombstones of fired timers again.
type head struct {
	loaded   bool
	complete bool
	run      [][]byte
	floor    []byte
}

func newTimerQueue(s *Store, id uint16) *timerQueue {
	return &timerQueue{s: s, id: id, heads: make([]head, s.groups.End-s.groups.Start+1)}
}

func (q *timerQueue) rest(t kv.Timer) []byte {
	q.buf = kv.AppendKeyNs(kv.AppendTimestamp(q.buf[:0], t.Timestamp), t.Key, t.Namespace)
	return q.buf
}

func (q *timerQueue) fullKey(kg int, rest []byte) []byte {
	k := appendPrefix(make([]byte, 0, 4+len(rest)), kg, q.id)
	return append(k, rest...)
}

func (q *timerQueue) Add(t kv.Timer) error {
	if err := q.s.checkGroup(t.KeyGroup); err != nil {
		return err
	}
	r := q.rest(t)
	h := &q.heads[t.KeyGroup-q.s.groups.Start]
	if bytes.Compare(r, h.floor) < 0 {
		h.floor = append(h.floor[:0], r...)
	}
	if h.loaded {
		n := len(h.run)
		i := sort.Search(n, func(i int) bool { return bytes.Compare(h.run[i], r) >= 0 })
		switch {
		case i < n && bytes.Equal(h.run[i], r):
			return nil // already queued
		case i < n || h.complete:
			h.run = append(h.run, nil)
			copy(h.run[i+1:], h.run[i:])
			h.run[i] = append([]byte(nil), r...)
			if len(h.run) > 2*runLength {
				h.run = h.run[:runLength]
				h.complete = false
			}
		}
	}
	return q.s.timerc.put(q.fullKey(t.KeyGroup, r), nil)
}

func (q *timerQueue) Delete(t kv.Timer) error {
	if err := q.s.checkGroup(t.KeyGroup); err != nil {
		return err
	}
	r := q.rest(t)
	h := &q.heads[t.KeyGroup-q.s.groups.Start]
	if h.loaded {
		n := len(h.run)
		i := sort.Search(n, func(i int) bool { return bytes.Compare(h.run[i], r) >= 0 })
		if i < n && bytes.Equal(h.run[i], r) {
			h.run = append(h.run[:i], h.run[i+1:]...)
			if len(h.run) == 0 && !h.complete {
				h.loaded = false
			}
		}
	}
	return q.s.timerc.del(q.fullKey(t.KeyGroup, r))
}

// load reads the earliest timers of key group kg.
func (q *timerQueue) load(i int) error {
	h := &q.heads[i]
	h.run, h.complete = h.run[:0], true
	prefix := appendPrefix(nil, q.s.groups.Start+i, q.id)
	err := q.s.scanFrom(q.s.timerc, prefix, h.floor, func(k, _ []byte) error {
		if len(h.run) == runLength {
			h.complete = false
			return kv.ErrStop
		}
		h.run = append(h.run, append([]byte(nil), k[4:]...))
		return nil
	})
	h.loaded = err == nil
	return err
}

// front finds the key group holding the earliest timer: ordered by
// timestamp, then key group, then key and namespace.
func (q *timerQueue) front() (int, bool, error) {
	best := -1
	for i := range q.heads {
		h := &q.heads[i]
		if !h.loaded {
			if err := q.load(i); err != nil {
				return 0, false, err
			}
		}
		if len(h.run) == 0 {
			continue
		}
		if best < 0 || less(h.run[0], i, q.heads[best].run[0], best) {
			best = i
		}
	}
	return best, best >= 0, nil
}

func less(a []byte, ai int, b []byte, bi int) bool {
	if c := bytes.Compare(a[:8], b[:8]); c != 0 {
		return c < 0
	}
	if ai != bi {
		return ai < bi
	}
	return bytes.Compare(a[8:], b[8:]) < 0
}

func (q *timerQueue) timer(i int, r []byte) (kv.Timer, error) {
	key, ns, err := kv.SplitKeyNs(r[8:])
	return kv.Timer{Timestamp: kv.Timestamp(r), KeyGroup: q.s.groups.Start + i, Key: key, Namespace: ns}, err
}

func (q *timerQueue) Peek() (kv.Timer, bool, error) {
	i, ok, err := q.front()
	if err != nil || !ok {
		return kv.Timer{}, false, err
	}
	t, err := q.timer(i, q.heads[i].run[0])
	return t, err == nil, err
}

func (q *timerQueue) Pop(max int64) (kv.Timer, bool, error) {
	i, ok, err := q.front()
	if err != nil || !ok {
		return kv.Timer{}, false, err
	}
	h := &q.heads[i]
	r := h.run[0]
	if kv.Timestamp(r) > max {
		return kv.Timer{}, false, nil
	}
	h.run = h.run[1:]
	h.floor = append(h.floor[:0], r...)
	if len(h.run) == 0 && !h.complete {
		h.loaded = false
	}
	t, err := q.timer(i, r)
	if err != nil {
		return kv.Timer{}, false, err
	}
	return t, true, q.s.timerc.del(q.fullKey(t.KeyGroup, r))
}
