package state

import "github.com/pyflink-go/pyflink-go/engine/state/kv"

// Map entries are stored one per user key; with TTL every entry carries its
// own last-access time.
type mapState struct {
	base
	t kv.MapTable
}

func (s *mapState) Get(uk []byte) ([]byte, bool, error) {
	kg, key, ns := s.b.kg, s.b.key, s.ns
	raw, ok, err := s.t.Get(kg, key, ns, uk)
	if err != nil || !ok {
		return nil, false, err
	}
	if !s.ttl.Enabled() {
		return raw, true, nil
	}
	return s.readTTL(raw,
		func() error { return s.t.Delete(kg, key, ns, uk) },
		func(w []byte) error { return s.t.Put(kg, key, ns, uk, w) })
}

func (s *mapState) Put(uk, v []byte) error {
	if s.ttl.Enabled() {
		s.buf = wrapTTL(s.buf[:0], s.b.now(), v)
		v = s.buf
	}
	return s.t.Put(s.b.kg, s.b.key, s.ns, uk, v)
}

func (s *mapState) Remove(uk []byte) error { return s.t.Delete(s.b.kg, s.b.key, s.ns, uk) }

func (s *mapState) Contains(uk []byte) (bool, error) {
	_, ok, err := s.Get(uk)
	return ok, err
}

type mapEntry struct {
	uk, v   []byte
	expired bool
}

func (s *mapState) Iterate(fn func(uk, v []byte) error) error {
	kg, key, ns := s.b.kg, s.b.key, s.ns
	if !s.ttl.Enabled() {
		return s.t.Scan(kg, key, ns, fn)
	}
	// Read everything first: expired entries are removed and, with
	// OnReadAndWrite, live ones refreshed, which must not happen mid-scan.
	now := s.b.now()
	var entries []mapEntry
	err := s.t.Scan(kg, key, ns, func(uk, raw []byte) error {
		ts, user, err := unwrapTTL(raw)
		if err != nil {
			return err
		}
		entries = append(entries, mapEntry{uk: append([]byte(nil), uk...), v: append([]byte(nil), user...),
			expired: s.ttl.expired(ts, now)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range entries {
		switch {
		case e.expired:
			err = s.t.Delete(kg, key, ns, e.uk)
		case s.ttl.Update == OnReadAndWrite:
			s.buf = wrapTTL(s.buf[:0], now, e.v)
			err = s.t.Put(kg, key, ns, e.uk, s.buf)
		}
		if err != nil {
			return err
		}
	}
	for _, e := range entries {
		if e.expired && s.ttl.Visibility != ReturnExpiredIfNotCleanedUp {
			continue
		}
		if err := fn(e.uk, e.v); err != nil {
			if err == kv.ErrStop {
				return nil
			}
			return err
		}
	}
	return nil
}

func (s *mapState) IsEmpty() (bool, error) {
	empty := true
	err := s.Iterate(func(_, _ []byte) error { empty = false; return kv.ErrStop })
	return empty, err
}

func (s *mapState) Clear() error { return s.t.Clear(s.b.kg, s.b.key, s.ns) }
