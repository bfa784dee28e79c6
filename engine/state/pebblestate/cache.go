package pebblestate

import (
	"bytes"
	"errors"
	"unsafe"

	"github.com/cockroachdb/pebble/v2"
)

// entry states.
const (
	present uint8 = iota // val is the value
	absent               // no value (deleted, or known missing)
	operand              // val is appended to an unknown stored value
)

// centry is a cached key. dirty entries differ from Pebble; inDB is false
// only when the key is known not to be stored (so deleting it needs no
// tombstone).
type centry struct {
	k     string
	val   []byte
	state uint8
	dirty bool
	inDB  bool
}

const entryOverhead = 96

// pointReader answers point lookups of a Pebble DB from one long-lived
// iterator: unlike DB.Get, which builds an iterator over every level for
// each key, a kept iterator keeps its tables open, so a lookup is a prefix
// seek (bloom filters first). An iterator sees the DB as it was when it was
// made, so every write to the DB must call invalidate; the store's writes go
// through its caches' batches, table registration and restore, which do.
type pointReader struct {
	db *pebble.DB
	it *pebble.Iterator
}

// get returns a copy of the stored value of k.
func (r *pointReader) get(k []byte) ([]byte, bool, error) {
	if r.it == nil {
		// L6 filters too: a small store keeps all but its newest data in
		// L6, where Pebble skips the filter by default.
		it, err := r.db.NewIter(&pebble.IterOptions{UseL6Filters: true})
		if err != nil {
			return nil, false, err
		}
		r.it = it
	}
	if !r.it.SeekPrefixGE(k) || !bytes.Equal(r.it.Key(), k) {
		return nil, false, r.it.Error()
	}
	v, err := r.it.ValueAndErr()
	if err != nil {
		return nil, false, err
	}
	return append(make([]byte, 0, len(v)), v...), true, nil
}

// invalidate drops the iterator after a write (or before the DB closes):
// the next lookup sees the DB as it is then.
func (r *pointReader) invalidate() error {
	if r.it == nil {
		return nil
	}
	err := r.it.Close()
	r.it = nil
	return err
}

// wcache is a bounded write-back cache in front of a Pebble DB.
type wcache struct {
	// reads answers misses; its DB is the one write-backs go to.
	reads *pointReader
	m     map[string]*centry
	dirty []*centry
	size  int64
	limit int64
	batch *pebble.Batch
	// last is the entry of the previous access: a read and then a write of
	// the same key look the map up once.
	last *centry
}

// lookup finds the cached entry of k.
func (c *wcache) lookup(k []byte) *centry {
	if c.last != nil && c.last.k == string(k) {
		return c.last
	}
	e := c.m[string(k)]
	if e != nil {
		c.last = e
	}
	return e
}

func newCache(reads *pointReader, limit int64) *wcache {
	return &wcache{reads: reads, m: map[string]*centry{}, limit: limit}
}

func (c *wcache) markDirty(e *centry) {
	if !e.dirty {
		e.dirty = true
		c.dirty = append(c.dirty, e)
	}
}

// maybeEvict writes back and drops everything when the cache is over its
// limit. It runs before an operation, never between returning a value and
// its use.
func (c *wcache) maybeEvict() error {
	if c.size <= c.limit {
		return nil
	}
	if err := c.flush(); err != nil {
		return err
	}
	c.m = make(map[string]*centry, len(c.m)/2)
	c.dirty = nil
	c.last = nil
	c.size = 0
	return nil
}

func (c *wcache) insert(k []byte, e *centry) *centry {
	e.k = string(k)
	c.m[e.k] = e
	c.last = e
	c.size += int64(len(e.k)+cap(e.val)) + entryOverhead
	return e
}

// get returns the value of k; the slice is the cache's.
func (c *wcache) get(k []byte) ([]byte, bool, error) {
	if err := c.maybeEvict(); err != nil {
		return nil, false, err
	}
	e := c.lookup(k)
	if e == nil {
		v, ok, err := c.reads.get(k)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			c.insert(k, &centry{state: absent})
			return nil, false, nil
		}
		e = c.insert(k, &centry{val: v, state: present, inDB: true})
		return e.val, true, nil
	}
	switch e.state {
	case absent:
		return nil, false, nil
	case operand:
		base, _, err := c.reads.get(k)
		if err != nil {
			return nil, false, err
		}
		c.size += int64(len(base))
		e.val = append(base, e.val...)
		e.state = present
		c.markDirty(e)
	}
	return e.val, true, nil
}

// put sets k to a copy of v.
func (c *wcache) put(k, v []byte) error {
	if err := c.maybeEvict(); err != nil {
		return err
	}
	e := c.lookup(k)
	if e == nil {
		c.markDirty(c.insert(k, &centry{val: append(make([]byte, 0, len(v)), v...), state: present, inDB: true}))
		return nil
	}
	if e.state == present && bytes.Equal(e.val, v) {
		return nil
	}
	if e.state == present && cap(e.val) >= len(v) {
		e.val = append(e.val[:0], v...)
	} else {
		c.size += int64(len(v))
		e.val = append(make([]byte, 0, len(v)), v...)
	}
	e.state = present
	c.markDirty(e)
	return nil
}

// appendTo appends v to the value of k.
func (c *wcache) appendTo(k, v []byte) error {
	if err := c.maybeEvict(); err != nil {
		return err
	}
	e := c.lookup(k)
	if e == nil {
		c.markDirty(c.insert(k, &centry{val: append(make([]byte, 0, len(v)), v...), state: operand, inDB: true}))
		return nil
	}
	if e.state == absent {
		e.val = append(make([]byte, 0, len(v)), v...)
		e.state = present
	} else {
		e.val = append(e.val, v...)
	}
	c.size += int64(len(v))
	c.markDirty(e)
	return nil
}

// del deletes k. The old value's buffer is left to the caller that may
// still read it.
func (c *wcache) del(k []byte) error {
	if err := c.maybeEvict(); err != nil {
		return err
	}
	e := c.lookup(k)
	if e == nil {
		c.markDirty(c.insert(k, &centry{state: absent, inDB: true}))
		return nil
	}
	if e.state == absent {
		return nil
	}
	e.val, e.state = nil, absent
	if e.inDB {
		c.markDirty(e)
	}
	return nil
}

// flush writes every dirty entry to Pebble in one batch.
func (c *wcache) flush() error {
	if len(c.dirty) == 0 {
		return nil
	}
	if c.batch == nil {
		c.batch = c.reads.db.NewBatch()
	}
	b := c.batch
	for _, e := range c.dirty {
		if !e.dirty {
			continue
		}
		e.dirty = false
		var err error
		switch e.state {
		case present:
			err = b.Set(keyBytes(e.k), e.val, nil)
			e.inDB = true
		case absent:
			if e.inDB {
				err = b.Delete(keyBytes(e.k), nil)
			}
			e.inDB = false
		case operand:
			err = b.Merge(keyBytes(e.k), e.val, nil)
			// The stored value is now base+operand, unknown here: forget it.
			delete(c.m, e.k)
			if c.last == e {
				c.last = nil
			}
			c.size -= int64(len(e.k)+cap(e.val)) + entryOverhead
		}
		if err != nil {
			return err
		}
	}
	c.dirty = c.dirty[:0]
	err := errors.Join(b.Commit(pebble.NoSync), c.reads.invalidate())
	b.Reset()
	return err
}

// keyBytes views a cached key as bytes for Pebble, which copies it.
func keyBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
