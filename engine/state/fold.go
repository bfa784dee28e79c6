package state

import "github.com/pyflink-go/pyflink-go/engine/state/kv"

// foldState is ReducingState (reduce set) and AggregatingState (agg set):
// one stored value that every Add folds into.
type foldState struct {
	base
	t      kv.ValueTable
	reduce func(a, b []byte) ([]byte, error)
	agg    AggregateFunction
	acc    []byte
}

// stored returns the current value (accumulator) for writes: expired values
// count as absent. The slice is copied into s.acc.
func (s *foldState) stored(ns []byte, now int64) ([]byte, bool, error) {
	raw, ok, err := s.t.Get(s.b.kg, s.b.key, ns)
	if err != nil || !ok {
		return nil, false, err
	}
	if s.ttl.Enabled() {
		if raw, ok, err = s.liveTTL(raw, now); err != nil || !ok {
			return nil, false, err
		}
	}
	s.acc = append(s.acc[:0], raw...)
	return s.acc, true, nil
}

func (s *foldState) put(ns []byte, v []byte, now int64) error {
	if s.ttl.Enabled() {
		s.buf = wrapTTL(s.buf[:0], now, v)
		v = s.buf
	}
	return s.t.Put(s.b.kg, s.b.key, ns, v)
}

// fold adds v to the current value cur (present or not).
func (s *foldState) fold(cur []byte, ok bool, v []byte) ([]byte, error) {
	if s.reduce != nil {
		if !ok {
			return v, nil
		}
		return s.reduce(cur, v)
	}
	if !ok {
		var err error
		if cur, err = s.agg.CreateAccumulator(); err != nil {
			return nil, err
		}
	}
	return s.agg.Add(cur, v)
}

// merge combines two stored values (target first).
func (s *foldState) merge(a, b []byte) ([]byte, error) {
	if s.reduce != nil {
		return s.reduce(a, b)
	}
	return s.agg.Merge(a, b)
}

func (s *foldState) Get() ([]byte, bool, error) {
	kg, key, ns := s.b.kg, s.b.key, s.ns
	raw, ok, err := s.t.Get(kg, key, ns)
	if err != nil || !ok {
		return nil, false, err
	}
	if s.ttl.Enabled() {
		raw, ok, err = s.readTTL(raw,
			func() error { return s.t.Delete(kg, key, ns) },
			func(w []byte) error { return s.t.Put(kg, key, ns, w) })
		if err != nil || !ok {
			return nil, false, err
		}
	}
	if s.agg != nil {
		r, err := s.agg.Result(raw)
		return r, err == nil, err
	}
	return raw, true, nil
}

func (s *foldState) Add(v []byte) error {
	now := int64(0)
	if s.ttl.Enabled() {
		now = s.b.now()
	}
	cur, ok, err := s.stored(s.ns, now)
	if err != nil {
		return err
	}
	next, err := s.fold(cur, ok, v)
	if err != nil {
		return err
	}
	return s.put(s.ns, next, now)
}

func (s *foldState) Clear() error { return s.t.Delete(s.b.kg, s.b.key, s.ns) }

func (s *foldState) MergeNamespaces(target []byte, sources [][]byte) error {
	now := int64(0)
	if s.ttl.Enabled() {
		now = s.b.now()
	}
	cur, have, err := s.stored(target, now)
	if err != nil {
		return err
	}
	merged, changed := append([]byte(nil), cur...), false
	for _, src := range sources {
		v, ok, err := s.stored(src, now)
		if err != nil {
			return err
		}
		if err := s.t.Delete(s.b.kg, s.b.key, src); err != nil {
			return err
		}
		if !ok {
			continue
		}
		changed = true
		if !have {
			merged, have = append(merged[:0], v...), true
			continue
		}
		m, err := s.merge(merged, v)
		if err != nil {
			return err
		}
		merged = append([]byte(nil), m...)
	}
	if !changed {
		return nil
	}
	return s.put(target, merged, now)
}
