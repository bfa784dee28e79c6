package state

import (
	"bytes"
	"fmt"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state/kv"
)

// New returns a Backend over a physical store holding key groups r of
// maxParallelism, with TTL measured by clock. Open picks the store from
// configuration; tests call New directly.
func New(store kv.Store, r keygroup.Range, maxParallelism int, clock Clock) Backend {
	return &keyed{store: store, groups: r, maxPar: maxParallelism, clock: clock,
		kinds: map[string]string{}, timers: map[string]*timerService{}}
}

type keyed struct {
	store  kv.Store
	groups keygroup.Range
	maxPar int
	clock  Clock
	kg     int
	key    []byte
	kinds  map[string]string
	timers map[string]*timerService
}

func (b *keyed) KeyGroupRange() keygroup.Range { return b.groups }
func (b *keyed) MaxParallelism() int           { return b.maxPar }
func (b *keyed) SetCurrentKey(kg int, key []byte) {
	b.kg, b.key = kg, key
}
func (b *keyed) CurrentKey() (int, []byte) { return b.kg, b.key }
func (b *keyed) Flush() error              { return b.store.Flush() }
func (b *keyed) Close() error              { return b.store.Close() }
func (b *keyed) now() int64                { return b.clock.Now().UnixMilli() }

// register records the kind of state name; a name has one kind.
func (b *keyed) register(name, kind string) error {
	if name == "" {
		return fmt.Errorf("state: a state needs a name")
	}
	if k, ok := b.kinds[name]; ok && k != kind {
		return fmt.Errorf("state: %q is registered as %s state, not %s state", name, k, kind)
	}
	b.kinds[name] = kind
	return nil
}

func (b *keyed) Value(d Descriptor) (ValueState, error) {
	if err := b.register(d.Name, "value"); err != nil {
		return nil, err
	}
	t, err := b.store.ValueTable(d.Name)
	if err != nil {
		return nil, err
	}
	return &valueState{base: base{b: b, ttl: d.TTL}, t: t}, nil
}

func (b *keyed) List(d Descriptor) (ListState, error) {
	if err := b.register(d.Name, "list"); err != nil {
		return nil, err
	}
	t, err := b.store.ValueTable(d.Name)
	if err != nil {
		return nil, err
	}
	return &listState{base: base{b: b, ttl: d.TTL}, t: t}, nil
}

func (b *keyed) Map(d Descriptor) (MapState, error) {
	if err := b.register(d.Name, "map"); err != nil {
		return nil, err
	}
	t, err := b.store.MapTable(d.Name)
	if err != nil {
		return nil, err
	}
	return &mapState{base: base{b: b, ttl: d.TTL}, t: t}, nil
}

func (b *keyed) Reducing(d ReducingDescriptor) (ReducingState, error) {
	if d.Reduce == nil {
		return nil, fmt.Errorf("state: reducing state %q needs a reduce function", d.Name)
	}
	if err := b.register(d.Name, "reducing"); err != nil {
		return nil, err
	}
	t, err := b.store.ValueTable(d.Name)
	if err != nil {
		return nil, err
	}
	return &foldState{base: base{b: b, ttl: d.TTL}, t: t, reduce: d.Reduce}, nil
}

func (b *keyed) Aggregating(d AggregatingDescriptor) (AggregatingState, error) {
	if d.Aggregate == nil {
		return nil, fmt.Errorf("state: aggregating state %q needs an aggregate function", d.Name)
	}
	if err := b.register(d.Name, "aggregating"); err != nil {
		return nil, err
	}
	t, err := b.store.ValueTable(d.Name)
	if err != nil {
		return nil, err
	}
	return &foldState{base: base{b: b, ttl: d.TTL}, t: t, agg: d.Aggregate}, nil
}

func (b *keyed) Keys(name string, ns []byte, fn func(kg int, key []byte) error) error {
	kind, ok := b.kinds[name]
	if !ok {
		return fmt.Errorf("state: no state %q", name)
	}
	var keys func(kg int, fn func(key, ns []byte) error) error
	if kind == "map" {
		t, err := b.store.MapTable(name)
		if err != nil {
			return err
		}
		keys = t.Keys
	} else {
		t, err := b.store.ValueTable(name)
		if err != nil {
			return err
		}
		keys = t.Keys
	}
	for kg := b.groups.Start; kg <= b.groups.End; kg++ {
		var ferr error
		err := keys(kg, func(key, kns []byte) error {
			if !bytes.Equal(kns, ns) {
				return nil
			}
			if ferr = fn(kg, key); ferr != nil {
				return kv.ErrStop
			}
			return nil
		})
		if ferr != nil {
			if ferr == kv.ErrStop {
				return nil
			}
			return ferr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (b *keyed) Entries(kg int, fn func(Entry) error) error { return b.store.Iterate(kg, fn) }

// entriesUnordered is Entries in whatever order the store lists fastest.
func (b *keyed) entriesUnordered(kg int, fn func(Entry) error) error {
	if u, ok := b.store.(kv.UnorderedIterator); ok {
		return u.IterateUnordered(kg, fn)
	}
	return b.store.Iterate(kg, fn)
}

func (b *keyed) Ingest(kg int, e Entry) error {
	switch e.Kind {
	case kv.ValueKind:
		t, err := b.store.ValueTable(e.Table)
		if err != nil {
			return err
		}
		return t.Put(kg, e.Key, e.Namespace, e.Value)
	case kv.MapKind:
		t, err := b.store.MapTable(e.Table)
		if err != nil {
			return err
		}
		return t.Put(kg, e.Key, e.Namespace, e.UserKey, e.Value)
	case kv.TimerKind:
		q, err := b.store.TimerQueue(e.Table)
		if err != nil {
			return err
		}
		return q.Add(kv.Timer{Timestamp: e.Timestamp, KeyGroup: kg, Key: e.Key, Namespace: e.Namespace})
	}
	return fmt.Errorf("state: entry of table %q has unknown kind %d", e.Table, e.Kind)
}

// base is what every state handle shares: the backend (for the current key
// and the clock), the namespace, the TTL and a scratch buffer.
type base struct {
	b   *keyed
	ns  []byte
	ttl TTL
	buf []byte
}

func (s *base) SetNamespace(ns []byte) { s.ns = ns }

// readTTL applies the TTL rules to a wrapped value just read: an expired
// value is cleared (and returned only with ReturnExpiredIfNotCleanedUp); a
// live one is refreshed when reads update the TTL.
func (s *base) readTTL(raw []byte, clear func() error, rewrite func([]byte) error) ([]byte, bool, error) {
	ts, user, err := unwrapTTL(raw)
	if err != nil {
		return nil, false, err
	}
	now := s.b.now()
	if s.ttl.expired(ts, now) {
		if err := clear(); err != nil {
			return nil, false, err
		}
		if s.ttl.Visibility == ReturnExpiredIfNotCleanedUp {
			return user, true, nil
		}
		return nil, false, nil
	}
	if s.ttl.Update == OnReadAndWrite {
		s.buf = wrapTTL(s.buf[:0], now, user)
		if err := rewrite(s.buf); err != nil {
			return nil, false, err
		}
		return s.buf[ttlPrefix:], true, nil
	}
	return user, true, nil
}

// liveTTL returns the user value of raw if it has not expired (for writes,
// which never see expired values whatever the visibility).
func (s *base) liveTTL(raw []byte, now int64) ([]byte, bool, error) {
	ts, user, err := unwrapTTL(raw)
	if err != nil {
		return nil, false, err
	}
	if s.ttl.expired(ts, now) {
		return nil, false, nil
	}
	return user, true, nil
}
