package window

import (
	"encoding/binary"
	"math"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

// The fast path of the field reduce: when the accumulator and the element
// are both encoded tuples, their fields are picked out of the encodings
// without decoding them (value.AppendSplitArray), first and last copy a
// field's bytes, max and min copy the bytes of the field they keep, and
// only the numbers of a sum are read and written. Numbers other than int64
// and float64 pairs (an int64 overflow, uint64, big ints, mixed int and
// float, None) and every other shape (rows, lists) take the decoding path,
// ReduceFieldValues, which this path agrees with on every input it takes.

// msgpack format bytes the fast path reads.
const (
	mpFloat64 = 0xcb
	mpFixExt1 = 0xd4
	mpFixExt2 = 0xd5
	mpFixExt4 = 0xd6
	mpFixExt8 = 0xd7
	mpFix16   = 0xd8
	mpExt8    = 0xc7
	mpExt16   = 0xc8
	mpExt32   = 0xc9
)

// rawScratch is the reusable memory of the fast path.
type rawScratch struct {
	aFields, bFields []value.Raw
	payload          []byte
}

// tuplePayload returns the payload of an encoded tuple (its array of items),
// or false when b is not exactly one tuple.
func tuplePayload(b []byte) ([]byte, bool) {
	if len(b) < 2 {
		return nil, false
	}
	var size, head int
	switch b[0] {
	case mpFixExt1, mpFixExt2, mpFixExt4, mpFixExt8, mpFix16:
		size, head = 1<<(b[0]-mpFixExt1), 2
	case mpExt8:
		if len(b) < 3 {
			return nil, false
		}
		size, head = int(b[1]), 3
	case mpExt16:
		if len(b) < 4 {
			return nil, false
		}
		size, head = int(binary.BigEndian.Uint16(b[1:])), 4
	case mpExt32:
		if len(b) < 6 {
			return nil, false
		}
		size, head = int(binary.BigEndian.Uint32(b[1:])), 6
	default:
		return nil, false
	}
	if int8(b[head-1]) != value.ExtTuple || len(b) != head+size {
		return nil, false
	}
	return b[head:], true
}

// combineRaw appends the encoding of reduce(a, b) to dst when both are
// encoded tuples whose fields the fast path handles; ok is false otherwise
// (nothing is appended then).
func (s *rawScratch) combineRaw(dst []byte, fields []FieldReduce, a, b []byte) (out []byte, ok bool) {
	ap, ok := tuplePayload(a)
	if !ok {
		return dst, false
	}
	bp, ok := tuplePayload(b)
	if !ok {
		return dst, false
	}
	var rest []byte
	var err error
	if s.aFields, rest, err = value.AppendSplitArray(s.aFields[:0], ap); err != nil || len(rest) != 0 {
		return dst, false
	}
	if s.bFields, rest, err = value.AppendSplitArray(s.bFields[:0], bp); err != nil || len(rest) != 0 {
		return dst, false
	}
	p := value.AppendArrayHeader(s.payload[:0], len(fields))
	for _, f := range fields {
		if f.Field >= len(s.aFields) || f.Field >= len(s.bFields) {
			return dst, false
		}
		x, y := s.aFields[f.Field], s.bFields[f.Field]
		switch f.Op {
		case FieldFirst:
			p = append(p, x...)
		case FieldLast:
			p = append(p, y...)
		case FieldSum:
			if p, ok = appendRawSum(p, x, y); !ok {
				return dst, false
			}
		case FieldMax, FieldMin:
			a, b := x, y
			if f.Op == FieldMin {
				a, b = y, x
			}
			less, ok := rawLess(a, b)
			if !ok {
				return dst, false
			}
			if less {
				p = append(p, y...)
			} else {
				p = append(p, x...)
			}
		default:
			return dst, false
		}
	}
	s.payload = p
	return value.AppendExt(dst, value.ExtTuple, p), true
}

// rawNumber reads an int64 (intKind) or float64 (floatKind) encoding.
func rawNumber(b value.Raw) (kind byte, i int64, f float64) {
	if len(b) == 9 && b[0] == mpFloat64 {
		return floatKind, 0, math.Float64frombits(binary.BigEndian.Uint64(b[1:]))
	}
	v, rest, err := value.ReadInt(b)
	if err != nil || len(rest) != 0 {
		return 0, 0, 0
	}
	return intKind, v, 0
}

const (
	intKind   = 1
	floatKind = 2
)

// appendRawSum appends x + y for two int64s (that do not overflow) or two
// float64s.
func appendRawSum(dst []byte, x, y value.Raw) ([]byte, bool) {
	xk, xi, xf := rawNumber(x)
	yk, yi, yf := rawNumber(y)
	switch {
	case xk == intKind && yk == intKind:
		s, ok := addInt64(xi, yi)
		if !ok {
			return dst, false
		}
		return value.AppendInt(dst, s), true
	case xk == floatKind && yk == floatKind:
		return value.AppendFloat(dst, xf+yf), true
	}
	return dst, false
}

// rawLess reports x < y for two int64s or two float64s.
func rawLess(x, y value.Raw) (less, ok bool) {
	xk, xi, xf := rawNumber(x)
	yk, yi, yf := rawNumber(y)
	switch {
	case xk == intKind && yk == intKind:
		return xi < yi, true
	case xk == floatKind && yk == floatKind:
		return xf < yf, true
	}
	return false, false
}
