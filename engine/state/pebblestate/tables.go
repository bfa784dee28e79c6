package pebblestate

import (
	"github.com/pyflink-go/pyflink-go/engine/state/kv"
)

type valueTable struct {
	s   *Store
	id  uint16
	buf []byte
}

func (t *valueTable) key(kg int, key, ns []byte) ([]byte, error) {
	if err := t.s.checkGroup(kg); err != nil {
		return nil, err
	}
	t.buf = kv.AppendKeyNs(appendPrefix(t.buf[:0], kg, t.id), key, ns)
	return t.buf, nil
}

func (t *valueTable) Get(kg int, key, ns []byte) ([]byte, bool, error) {
	k, err := t.key(kg, key, ns)
	if err != nil {
		return nil, false, err
	}
	return t.s.state.get(k)
}

func (t *valueTable) Put(kg int, key, ns, v []byte) error {
	k, err := t.key(kg, key, ns)
	if err != nil {
		return err
	}
	return t.s.state.put(k, v)
}

func (t *valueTable) Append(kg int, key, ns, v []byte) error {
	k, err := t.key(kg, key, ns)
	if err != nil {
		return err
	}
	return t.s.state.appendTo(k, v)
}

func (t *valueTable) Delete(kg int, key, ns []byte) error {
	k, err := t.key(kg, key, ns)
	if err != nil {
		return err
	}
	return t.s.state.del(k)
}

func (t *valueTable) Keys(kg int, fn func(key, ns []byte) error) error {
	if err := t.s.checkGroup(kg); err != nil {
		return err
	}
	return t.s.scan(t.s.state, appendPrefix(nil, kg, t.id), func(k, _ []byte) error {
		key, ns, err := kv.SplitKeyNs(k[4:])
		if err != nil {
			return err
		}
		return fn(key, ns)
	})
}

type mapTable struct {
	s   *Store
	id  uint16
	buf []byte
}

func (t *mapTable) prefix(kg int, key, ns []byte) ([]byte, error) {
	if err := t.s.checkGroup(kg); err != nil {
		return nil, err
	}
	t.buf = kv.AppendKeyNsPrefix(appendPrefix(t.buf[:0], kg, t.id), key, ns)
	return t.buf, nil
}

func (t *mapTable) key(kg int, key, ns, uk []byte) ([]byte, error) {
	p, err := t.prefix(kg, key, ns)
	if err != nil {
		return nil, err
	}
	t.buf = append(p, uk...)
	return t.buf, nil
}

func (t *mapTable) Get(kg int, key, ns, uk []byte) ([]byte, bool, error) {
	k, err := t.key(kg, key, ns, uk)
	if err != nil {
		return nil, false, err
	}
	return t.s.state.get(k)
}

func (t *mapTable) Put(kg int, key, ns, uk, v []byte) error {
	k, err := t.key(kg, key, ns, uk)
	if err != nil {
		return err
	}
	return t.s.state.put(k, v)
}

func (t *mapTable) Delete(kg int, key, ns, uk []byte) error {
	k, err := t.key(kg, key, ns, uk)
	if err != nil {
		return err
	}
	return t.s.state.del(k)
}

func (t *mapTable) Scan(kg int, key, ns []byte, fn func(uk, v []byte) error) error {
	p, err := t.prefix(kg, key, ns)
	if err != nil {
		return err
	}
	n := len(p)
	return t.s.scan(t.s.state, append([]byte(nil), p...), func(k, v []byte) error { return fn(k[n:], v) })
}

func (t *mapTable) Clear(kg int, key, ns []byte) error {
	p, err := t.prefix(kg, key, ns)
	if err != nil {
		return err
	}
	prefix := append([]byte(nil), p...)
	var keys [][]byte
	if err := t.s.scan(t.s.state, prefix, func(k, _ []byte) error {
		keys = append(keys, append([]byte(nil), k...))
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := t.s.state.del(k); err != nil {
			return err
		}
	}
	return nil
}

func (t *mapTable) Keys(kg int, fn func(key, ns []byte) error) error {
	if err := t.s.checkGroup(kg); err != nil {
		return err
	}
	var lastKey, lastNs []byte
	first := true
	return t.s.scan(t.s.state, appendPrefix(nil, kg, t.id), func(k, _ []byte) error {
		key, ns, _, err := kv.SplitKeyNsPrefix(k[4:])
		if err != nil {
			return err
		}
		if !first && string(key) == string(lastKey) && string(ns) == string(lastNs) {
			return nil
		}
		first = false
		lastKey, lastNs = append(lastKey[:0], key...), append(lastNs[:0], ns...)
		return fn(key, ns)
	})
}
