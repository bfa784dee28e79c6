package state

import (
	"encoding/binary"
	"fmt"

	"github.com/pyflink-go/pyflink-go/engine/state/kv"
)

// A list is stored as one value: its elements, each as uvarint(len) bytes
// (with TTL, bytes = 8-byte last-access time + element), so Add appends.
type listState struct {
	base
	t    kv.ValueTable
	elem []byte
}

func appendElem(dst, v []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(v)))
	return append(dst, v...)
}

// forElems calls fn for every element of an encoded list.
func forElems(raw []byte, fn func(e []byte) error) error {
	for len(raw) > 0 {
		n, w := binary.Uvarint(raw)
		if w <= 0 || uint64(len(raw)-w) < n {
			return fmt.Errorf("state: corrupt list (%d bytes left)", len(raw))
		}
		if err := fn(raw[w : w+int(n)]); err != nil {
			return err
		}
		raw = raw[w+int(n):]
	}
	return nil
}

func (s *listState) Get(fn func(v []byte) error) error {
	kg, key := s.b.kg, s.b.key
	raw, ok, err := s.t.Get(kg, key, s.ns)
	if err != nil || !ok {
		return err
	}
	if !s.ttl.Enabled() {
		return forElems(raw, fn)
	}
	// Split into live and expired elements; rewrite the list when elements
	// expired (cleanup) or when reads refresh the TTL.
	now := s.b.now()
	var out [][]byte
	live, expired := s.buf[:0], 0
	err = forElems(raw, func(e []byte) error {
		ts, user, err := unwrapTTL(e)
		if err != nil {
			return err
		}
		if s.ttl.expired(ts, now) {
			expired++
			if s.ttl.Visibility == ReturnExpiredIfNotCleanedUp {
				out = append(out, append([]byte(nil), user...))
			}
			return nil
		}
		if s.ttl.Update == OnReadAndWrite {
			ts = now
		}
		s.elem = wrapTTL(s.elem[:0], ts, user)
		live = appendElem(live, s.elem)
		out = append(out, append([]byte(nil), user...))
		return nil
	})
	s.buf = live
	if err != nil {
		return err
	}
	switch {
	case len(live) == 0:
		err = s.t.Delete(kg, key, s.ns)
	case expired > 0 || s.ttl.Update == OnReadAndWrite:
		err = s.t.Put(kg, key, s.ns, live)
	}
	if err != nil {
		return err
	}
	for _, v := range out {
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}

func (s *listState) encode(dst []byte, vs [][]byte) []byte {
	now := int64(0)
	if s.ttl.Enabled() {
		now = s.b.now()
	}
	for _, v := range vs {
		if s.ttl.Enabled() {
			s.elem = wrapTTL(s.elem[:0], now, v)
			v = s.elem
		}
		dst = appendElem(dst, v)
	}
	return dst
}

func (s *listState) Add(v []byte) error {
	s.buf = s.encode(s.buf[:0], [][]byte{v})
	return s.t.Append(s.b.kg, s.b.key, s.ns, s.buf)
}

func (s *listState) AddAll(vs [][]byte) error {
	if len(vs) == 0 {
		return nil
	}
	s.buf = s.encode(s.buf[:0], vs)
	return s.t.Append(s.b.kg, s.b.key, s.ns, s.buf)
}

func (s *listState) Update(vs [][]byte) error {
	if len(vs) == 0 {
		return s.Clear()
	}
	s.buf = s.encode(s.buf[:0], vs)
	return s.t.Put(s.b.kg, s.b.key, s.ns, s.buf)
}

func (s *listState) Clear() error { return s.t.Delete(s.b.kg, s.b.key, s.ns) }

func (s *listState) MergeNamespaces(target []byte, sources [][]byte) error {
	kg, key := s.b.kg, s.b.key
	for _, src := range sources {
		raw, ok, err := s.t.Get(kg, key, src)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		s.buf = append(s.buf[:0], raw...)
		if err := s.t.Delete(kg, key, src); err != nil {
			return err
		}
		if err := s.t.Append(kg, key, target, s.buf); err != nil {
			return err
		}
	}
	return nil
}
