package value

import (
	"encoding/binary"
	"math"
)

// The Append functions write one msgpack item in its smallest form. They let
// callers build messages around Raw values without an intermediate tree.

// AppendNil appends msgpack nil.
func AppendNil(dst []byte) []byte { return append(dst, mpNil) }

// AppendBool appends a msgpack boolean.
func AppendBool(dst []byte, b bool) []byte {
	if b {
		return append(dst, mpTrue)
	}
	return append(dst, mpFalse)
}

// AppendInt appends a signed integer; non-negative values take the unsigned forms, as Python writes them.
func AppendInt(dst []byte, v int64) []byte {
	if v >= 0 {
		return AppendUint(dst, uint64(v))
	}
	switch {
	case v >= -32:
		return append(dst, byte(int8(v)))
	case v >= math.MinInt8:
		return append(dst, mpInt8, byte(int8(v)))
	case v >= math.MinInt16:
		return binary.BigEndian.AppendUint16(append(dst, mpInt16), uint16(int16(v)))
	case v >= math.MinInt32:
		return binary.BigEndian.AppendUint32(append(dst, mpInt32), uint32(int32(v)))
	default:
		return binary.BigEndian.AppendUint64(append(dst, mpInt64), uint64(v))
	}
}

// AppendUint appends an unsigned integer.
func AppendUint(dst []byte, v uint64) []byte {
	switch {
	case v <= 0x7f:
		return append(dst, byte(v))
	case v <= math.MaxUint8:
		return append(dst, mpUint8, byte(v))
	case v <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(dst, mpUint16), uint16(v))
	case v <= math.MaxUint32:
		return binary.BigEndian.AppendUint32(append(dst, mpUint32), uint32(v))
	default:
		return binary.BigEndian.AppendUint64(append(dst, mpUint64), v)
	}
}

// AppendFloat appends a float64 (Python floats are always 64-bit on the wire).
func AppendFloat(dst []byte, f float64) []byte {
	return binary.BigEndian.AppendUint64(append(dst, mpFloat64), math.Float64bits(f))
}

// AppendString appends a msgpack string.
func AppendString(dst []byte, s string) []byte {
	dst = appendStrHeader(dst, len(s))
	return append(dst, s...)
}

// AppendStringBytes appends a msgpack string given as bytes.
func AppendStringBytes(dst []byte, s []byte) []byte {
	dst = appendStrHeader(dst, len(s))
	return append(dst, s...)
}

func appendStrHeader(dst []byte, n int) []byte {
	switch {
	case n < 32:
		return append(dst, 0xa0|byte(n))
	case n <= math.MaxUint8:
		return append(dst, mpStr8, byte(n))
	case n <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(dst, mpStr16), uint16(n))
	default:
		return binary.BigEndian.AppendUint32(append(dst, mpStr32), uint32(n))
	}
}

// AppendBin appends msgpack binary (Python bytes).
func AppendBin(dst []byte, b []byte) []byte {
	n := len(b)
	switch {
	case n <= math.MaxUint8:
		dst = append(dst, mpBin8, byte(n))
	case n <= math.MaxUint16:
		dst = binary.BigEndian.AppendUint16(append(dst, mpBin16), uint16(n))
	default:
		dst = binary.BigEndian.AppendUint32(append(dst, mpBin32), uint32(n))
	}
	return append(dst, b...)
}

// AppendArrayHeader appends the header of an array of n items; the items follow.
func AppendArrayHeader(dst []byte, n int) []byte {
	switch {
	case n < 16:
		return append(dst, 0x90|byte(n))
	case n <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(dst, mpArray16), uint16(n))
	default:
		return binary.BigEndian.AppendUint32(append(dst, mpArray32), uint32(n))
	}
}

// AppendMapHeader appends the header of a map of n entries; n keys and values follow, alternating.
func AppendMapHeader(dst []byte, n int) []byte {
	switch {
	case n < 16:
		return append(dst, 0x80|byte(n))
	case n <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(dst, mpMap16), uint16(n))
	default:
		return binary.BigEndian.AppendUint32(append(dst, mpMap32), uint32(n))
	}
}

// extHeaderMax is the longest extension header (ext32: format, 4 length bytes, type).
const extHeaderMax = 6

// putExtHeader writes the smallest header of an extension of the given code and
// payload size into h and returns its length.
func putExtHeader(h *[extHeaderMax]byte, code int8, size int) int {
	switch size {
	case 1:
		h[0], h[1] = mpFixExt1, byte(code)
		return 2
	case 2:
		h[0], h[1] = mpFixExt2, byte(code)
		return 2
	case 4:
		h[0], h[1] = mpFixExt4, byte(code)
		return 2
	case 8:
		h[0], h[1] = mpFixExt8, byte(code)
		return 2
	case 16:
		h[0], h[1] = mpFixExt16, byte(code)
		return 2
	}
	switch {
	case size <= math.MaxUint8:
		h[0], h[1], h[2] = mpExt8, byte(size), byte(code)
		return 3
	case size <= math.MaxUint16:
		h[0] = mpExt16
		binary.BigEndian.PutUint16(h[1:], uint16(size))
		h[3] = byte(code)
		return 4
	default:
		h[0] = mpExt32
		binary.BigEndian.PutUint32(h[1:], uint32(size))
		h[5] = byte(code)
		return 6
	}
}

// AppendExt appends an extension value whose payload is already encoded.
func AppendExt(dst []byte, code int8, payload []byte) []byte {
	var h [extHeaderMax]byte
	n := putExtHeader(&h, code, len(payload))
	return append(append(dst, h[:n]...), payload...)
}

// beginExt reserves room for an extension header; the payload is appended
// after it and endExt fills the header in.
func beginExt(dst []byte) ([]byte, int) {
	start := len(dst)
	return append(dst, make([]byte, extHeaderMax)...), start
}

// endExt writes the header of the extension started at start and closes the
// gap left by a header shorter than the reserved room.
func endExt(dst []byte, start int, code int8) []byte {
	payload := len(dst) - start - extHeaderMax
	var h [extHeaderMax]byte
	n := putExtHeader(&h, code, payload)
	if n < extHeaderMax {
		copy(dst[start+n:], dst[start+extHeaderMax:])
		dst = dst[:len(dst)-(extHeaderMax-n)]
	}
	copy(dst[start:], h[:n])
	return dst
}
