package value

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The Read functions and Skip look at encoded bytes without decoding them into
// Go values: they return sub-slices of their input (no copies), so callers can
// pick messages apart and pass element encodings on as Raw.

// errTruncated reports input that ends inside a value.
var errTruncated = errors.New("msgpack: truncated input")

// Skip returns the length of the encoded value at the start of b.
func Skip(b []byte) (int, error) {
	pos, pending := 0, 1
	for pending > 0 {
		if pos >= len(b) {
			return 0, errTruncated
		}
		c := b[pos]
		pending--
		var size, items int
		switch {
		case c <= 0x7f || c >= 0xe0:
			size = 1
		case c <= 0x8f:
			size, items = 1, 2*int(c&0x0f)
		case c <= 0x9f:
			size, items = 1, int(c&0x0f)
		case c <= 0xbf:
			size = 1 + int(c&0x1f)
		default:
			var err error
			if size, items, err = skipSized(b[pos:]); err != nil {
				return 0, err
			}
		}
		pos += size
		if pos > len(b) {
			return 0, errTruncated
		}
		pending += items
		if pending > len(b)-pos {
			// Every pending item needs at least one more byte.
			return 0, errTruncated
		}
	}
	return pos, nil
}

// skipSized returns the encoded size of the item at the start of b (for
// containers, only the header) and how many items follow as its contents.
func skipSized(b []byte) (size, items int, err error) {
	c := b[0]
	switch c {
	case mpNil, mpFalse, mpTrue:
		return 1, 0, nil
	case mpUint8, mpInt8:
		return 2, 0, nil
	case mpUint16, mpInt16:
		return 3, 0, nil
	case mpUint32, mpInt32, mpFloat32:
		return 5, 0, nil
	case mpUint64, mpInt64, mpFloat64:
		return 9, 0, nil
	case mpFixExt1:
		return 3, 0, nil
	case mpFixExt2:
		return 4, 0, nil
	case mpFixExt4:
		return 6, 0, nil
	case mpFixExt8:
		return 10, 0, nil
	case mpFixExt16:
		return 18, 0, nil
	case mpBin8, mpStr8:
		n, err := readLen(b, 1)
		return 2 + n, 0, err
	case mpBin16, mpStr16:
		n, err := readLen(b, 2)
		return 3 + n, 0, err
	case mpBin32, mpStr32:
		n, err := readLen(b, 4)
		return 5 + n, 0, err
	case mpExt8:
		n, err := readLen(b, 1)
		return 3 + n, 0, err
	case mpExt16:
		n, err := readLen(b, 2)
		return 4 + n, 0, err
	case mpExt32:
		n, err := readLen(b, 4)
		return 6 + n, 0, err
	case mpArray16:
		n, err := readLen(b, 2)
		return 3, n, err
	case mpArray32:
		n, err := readLen(b, 4)
		return 5, n, err
	case mpMap16:
		n, err := readLen(b, 2)
		return 3, 2 * n, err
	case mpMap32:
		n, err := readLen(b, 4)
		return 5, 2 * n, err
	}
	return 0, 0, fmt.Errorf("msgpack: invalid format byte 0x%02x", c)
}

// readLen reads the big-endian length of width bytes that follows the format byte.
func readLen(b []byte, width int) (int, error) {
	if len(b) < 1+width {
		return 0, errTruncated
	}
	switch width {
	case 1:
		return int(b[1]), nil
	case 2:
		return int(binary.BigEndian.Uint16(b[1:])), nil
	default:
		return int(binary.BigEndian.Uint32(b[1:])), nil
	}
}

// SplitArray splits the encoding of one array (all of b) into the encodings of its items.
func SplitArray(b []byte) ([]Raw, error) {
	items, rest, err := AppendSplitArray(nil, b)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("msgpack: %d bytes after the array", len(rest))
	}
	return items, nil
}

// AppendSplitArray splits the array at the start of b, appending its items'
// encodings to dst, and returns what follows the array.
func AppendSplitArray(dst []Raw, b []byte) (items []Raw, rest []byte, err error) {
	n, rest, err := ReadArrayHeader(b)
	if err != nil {
		return dst, b, err
	}
	if n > len(rest) {
		return dst, b, errTruncated
	}
	dst = growRaw(dst, n)
	for i := 0; i < n; i++ {
		size, err := Skip(rest)
		if err != nil {
			return dst, b, fmt.Errorf("array item %d: %w", i, err)
		}
		dst = append(dst, Raw(rest[:size:size]))
		rest = rest[size:]
	}
	return dst, rest, nil
}

func growRaw(s []Raw, n int) []Raw {
	if cap(s)-len(s) >= n {
		return s
	}
	grown := make([]Raw, len(s), len(s)+n)
	copy(grown, s)
	return grown
}

// ReadArrayHeader reads an array header and returns the item count and the bytes after the header.
func ReadArrayHeader(b []byte) (n int, rest []byte, err error) {
	if len(b) == 0 {
		return 0, b, errTruncated
	}
	c := b[0]
	switch {
	case c >= 0x90 && c <= 0x9f:
		return int(c & 0x0f), b[1:], nil
	case c == mpArray16:
		n, err = readLen(b, 2)
		return n, tail(b, 3), err
	case c == mpArray32:
		n, err = readLen(b, 4)
		return n, tail(b, 5), err
	}
	return 0, b, fmt.Errorf("msgpack: expected an array, found format byte 0x%02x", c)
}

// ReadMapHeader reads a map header and returns the entry count and the bytes after the header.
func ReadMapHeader(b []byte) (n int, rest []byte, err error) {
	if len(b) == 0 {
		return 0, b, errTruncated
	}
	c := b[0]
	switch {
	case c >= 0x80 && c <= 0x8f:
		return int(c & 0x0f), b[1:], nil
	case c == mpMap16:
		n, err = readLen(b, 2)
		return n, tail(b, 3), err
	case c == mpMap32:
		n, err = readLen(b, 4)
		return n, tail(b, 5), err
	}
	return 0, b, fmt.Errorf("msgpack: expected a map, found format byte 0x%02x", c)
}

// ReadStringBytes reads a string and returns its bytes (a sub-slice of b) and what follows.
func ReadStringBytes(b []byte) (s, rest []byte, err error) {
	if len(b) == 0 {
		return nil, b, errTruncated
	}
	c := b[0]
	var n, h int
	switch {
	case c >= 0xa0 && c <= 0xbf:
		n, h = int(c&0x1f), 1
	case c == mpStr8:
		n, err = readLen(b, 1)
		h = 2
	case c == mpStr16:
		n, err = readLen(b, 2)
		h = 3
	case c == mpStr32:
		n, err = readLen(b, 4)
		h = 5
	default:
		return nil, b, fmt.Errorf("msgpack: expected a string, found format byte 0x%02x", c)
	}
	if err != nil || len(b) < h+n {
		return nil, b, errTruncated
	}
	return b[h : h+n : h+n], b[h+n:], nil
}

// ReadBinBytes reads a binary item and returns its bytes (a sub-slice of b) and what follows.
func ReadBinBytes(b []byte) (p, rest []byte, err error) {
	if len(b) == 0 {
		return nil, b, errTruncated
	}
	var n, h int
	switch b[0] {
	case mpBin8:
		n, err = readLen(b, 1)
		h = 2
	case mpBin16:
		n, err = readLen(b, 2)
		h = 3
	case mpBin32:
		n, err = readLen(b, 4)
		h = 5
	default:
		return nil, b, fmt.Errorf("msgpack: expected binary, found format byte 0x%02x", b[0])
	}
	if err != nil || len(b) < h+n {
		return nil, b, errTruncated
	}
	return b[h : h+n : h+n], b[h+n:], nil
}

// ReadInt reads an integer that fits in an int64 and returns it and what follows.
func ReadInt(b []byte) (v int64, rest []byte, err error) {
	if len(b) == 0 {
		return 0, b, errTruncated
	}
	c := b[0]
	switch {
	case c <= 0x7f:
		return int64(c), b[1:], nil
	case c >= 0xe0:
		return int64(int8(c)), b[1:], nil
	}
	size, _, err := skipSized(b)
	if err != nil {
		return 0, b, err
	}
	if len(b) < size {
		return 0, b, errTruncated
	}
	p := b[1:size]
	switch c {
	case mpUint8:
		v = int64(p[0])
	case mpUint16:
		v = int64(binary.BigEndian.Uint16(p))
	case mpUint32:
		v = int64(binary.BigEndian.Uint32(p))
	case mpUint64:
		u := binary.BigEndian.Uint64(p)
		if u > 1<<63-1 {
			return 0, b, fmt.Errorf("msgpack: integer %d overflows int64", u)
		}
		v = int64(u)
	case mpInt8:
		v = int64(int8(p[0]))
	case mpInt16:
		v = int64(int16(binary.BigEndian.Uint16(p)))
	case mpInt32:
		v = int64(int32(binary.BigEndian.Uint32(p)))
	case mpInt64:
		v = int64(binary.BigEndian.Uint64(p))
	default:
		return 0, b, fmt.Errorf("msgpack: expected an integer, found format byte 0x%02x", c)
	}
	return v, b[size:], nil
}

// IsNil reports whether the value at the start of b is msgpack nil.
func IsNil(b []byte) bool { return len(b) > 0 && b[0] == mpNil }

func tail(b []byte, n int) []byte {
	if len(b) < n {
		return b[len(b):]
	}
	return b[n:]
}
