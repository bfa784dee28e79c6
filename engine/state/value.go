package state

import "github.com/pyflink-go/pyflink-go/engine/state/kv"

type valueState struct {
	base
	t kv.ValueTable
}

func (s *valueState) Value() ([]byte, bool, error) {
	kg, key := s.b.kg, s.b.key
	raw, ok, err := s.t.Get(kg, key, s.ns)
	if err != nil || !ok {
		return nil, false, err
	}
	if !s.ttl.Enabled() {
		return raw, true, nil
	}
	return s.readTTL(raw,
		func() error { return s.t.Delete(kg, key, s.ns) },
		func(w []byte) error { return s.t.Put(kg, key, s.ns, w) })
}

func (s *valueState) Update(v []byte) error {
	if s.ttl.Enabled() {
		s.buf = wrapTTL(s.buf[:0], s.b.now(), v)
		v = s.buf
	}
	return s.t.Put(s.b.kg, s.b.key, s.ns, v)
}

func (s *valueState) Clear() error { return s.t.Delete(s.b.kg, s.b.key, s.ns) }
