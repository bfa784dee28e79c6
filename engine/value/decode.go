package value

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Decode decodes the value r holds (all of r) into the types of this package:
// arrays become []any, maps *Map, integers int64 (uint64 above MaxInt64),
// floats float64, strings string, binary []byte (copied), and extensions their
// types. Unknown extension codes and malformed input are errors.
func Decode(r Raw) (any, error) {
	d := decoder{b: r}
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	if d.pos != len(d.b) {
		return nil, fmt.Errorf("msgpack: %d bytes after the value", len(d.b)-d.pos)
	}
	return v, nil
}

// decoder walks one encoded value.
type decoder struct {
	b   []byte
	pos int
}

// take returns the next n bytes.
func (d *decoder) take(n int) ([]byte, error) {
	if n < 0 || len(d.b)-d.pos < n {
		return nil, errTruncated
	}
	p := d.b[d.pos : d.pos+n]
	d.pos += n
	return p, nil
}

// length reads a big-endian length of width bytes.
func (d *decoder) length(width int) (int, error) {
	p, err := d.take(width)
	if err != nil {
		return 0, err
	}
	switch width {
	case 1:
		return int(p[0]), nil
	case 2:
		return int(binary.BigEndian.Uint16(p)), nil
	default:
		return int(binary.BigEndian.Uint32(p)), nil
	}
}

func (d *decoder) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("msgpack: value nested deeper than %d", maxDepth)
	}
	if d.pos >= len(d.b) {
		return nil, errTruncated
	}
	c := d.b[d.pos]
	d.pos++
	switch {
	case c <= 0x7f:
		return int64(c), nil
	case c >= 0xe0:
		return int64(int8(c)), nil
	case c <= 0x8f:
		return d.mapOf(int(c&0x0f), depth)
	case c <= 0x9f:
		return d.list(int(c&0x0f), depth)
	case c <= 0xbf:
		return d.str(int(c & 0x1f))
	}
	switch c {
	case mpNil:
		return nil, nil
	case mpFalse:
		return false, nil
	case mpTrue:
		return true, nil
	case mpUint8, mpUint16, mpUint32, mpUint64:
		p, err := d.take(1 << (c - mpUint8))
		if err != nil {
			return nil, err
		}
		u := beUint(p)
		if u > math.MaxInt64 {
			return u, nil
		}
		return int64(u), nil
	case mpInt8, mpInt16, mpInt32, mpInt64:
		p, err := d.take(1 << (c - mpInt8))
		if err != nil {
			return nil, err
		}
		return beInt(p), nil
	case mpFloat32:
		p, err := d.take(4)
		if err != nil {
			return nil, err
		}
		return float64(math.Float32frombits(binary.BigEndian.Uint32(p))), nil
	case mpFloat64:
		p, err := d.take(8)
		if err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(p)), nil
	case mpStr8, mpStr16, mpStr32:
		n, err := d.length(1 << (c - mpStr8))
		if err != nil {
			return nil, err
		}
		return d.str(n)
	case mpBin8, mpBin16, mpBin32:
		n, err := d.length(1 << (c - mpBin8))
		if err != nil {
			return nil, err
		}
		p, err := d.take(n)
		if err != nil {
			return nil, err
		}
		return append([]byte{}, p...), nil
	case mpArray16, mpArray32:
		n, err := d.length(2 << (c - mpArray16))
		if err != nil {
			return nil, err
		}
		return d.list(n, depth)
	case mpMap16, mpMap32:
		n, err := d.length(2 << (c - mpMap16))
		if err != nil {
			return nil, err
		}
		return d.mapOf(n, depth)
	case mpFixExt1, mpFixExt2, mpFixExt4, mpFixExt8, mpFixExt16:
		return d.ext(1<<(c-mpFixExt1), depth)
	case mpExt8, mpExt16, mpExt32:
		n, err := d.length(1 << (c - mpExt8))
		if err != nil {
			return nil, err
		}
		return d.ext(n, depth)
	}
	return nil, fmt.Errorf("msgpack: invalid format byte 0x%02x", c)
}

func beUint(p []byte) uint64 {
	switch len(p) {
	case 1:
		return uint64(p[0])
	case 2:
		return uint64(binary.BigEndian.Uint16(p))
	case 4:
		return uint64(binary.BigEndian.Uint32(p))
	default:
		return binary.BigEndian.Uint64(p)
	}
}

func beInt(p []byte) int64 {
	switch len(p) {
	case 1:
		return int64(int8(p[0]))
	case 2:
		return int64(int16(binary.BigEndian.Uint16(p)))
	case 4:
		return int64(int32(binary.BigEndian.Uint32(p)))
	default:
		return int64(binary.BigEndian.Uint64(p))
	}
}

func (d *decoder) str(n int) (any, error) {
	p, err := d.take(n)
	if err != nil {
		return nil, err
	}
	return string(p), nil
}

func (d *decoder) list(n, depth int) ([]any, error) {
	if n > len(d.b)-d.pos {
		return nil, errTruncated // every item takes at least one byte
	}
	items := make([]any, n)
	for i := range items {
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		items[i] = v
	}
	return items, nil
}

func (d *decoder) mapOf(n, depth int) (*Map, error) {
	if 2*n > len(d.b)-d.pos {
		return nil, errTruncated
	}
	m := &Map{Keys: make([]any, n), Values: make([]any, n)}
	for i := 0; i < n; i++ {
		k, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		m.Keys[i], m.Values[i] = k, v
	}
	return m, nil
}

// ext decodes an extension value of payload size n; the type byte comes first.
func (d *decoder) ext(n, depth int) (any, error) {
	code, err := d.take(1)
	if err != nil {
		return nil, err
	}
	payload, err := d.take(n)
	if err != nil {
		return nil, err
	}
	v, err := decodeExt(int8(code[0]), payload, depth)
	if err != nil {
		return nil, fmt.Errorf("extension type %d: %w", int8(code[0]), err)
	}
	return v, nil
}

func decodeExt(code int8, payload []byte, depth int) (any, error) {
	switch code {
	case ExtTuple:
		items, err := payloadList(payload, depth, -1)
		return Tuple(items), err
	case ExtRow:
		return decodeRow(payload, depth)
	case ExtDecimal:
		return Decimal(payload), nil
	case ExtDate:
		v, err := payloadInts(payload, 3)
		if err != nil {
			return nil, err
		}
		return Date{v[0], v[1], v[2]}, nil
	case ExtTime:
		v, err := payloadInts(payload, 4)
		if err != nil {
			return nil, err
		}
		return Time{v[0], v[1], v[2], v[3]}, nil
	case ExtTimestamp:
		v, err := payloadInts(payload, 7)
		if err != nil {
			return nil, err
		}
		return Timestamp{Date{v[0], v[1], v[2]}, Time{v[3], v[4], v[5], v[6]}}, nil
	case ExtInstant:
		v, err := payloadInts(payload, 2)
		if err != nil {
			return nil, err
		}
		if v[1] < math.MinInt32 || v[1] > math.MaxInt32 {
			return nil, fmt.Errorf("instant nanos %d out of range", v[1])
		}
		return Instant{Seconds: int64(v[0]), Nanos: int32(v[1])}, nil
	case ExtBigInt:
		if !isDecimalDigits(payload) {
			return nil, fmt.Errorf("big int payload %q is not a decimal integer", payload)
		}
		return BigInt(payload), nil
	case ExtPickled:
		return Pickled(append([]byte{}, payload...)), nil
	}
	return nil, fmt.Errorf("unknown extension type")
}

// payloadList decodes a payload that is exactly one array (of want items, unless want < 0).
func payloadList(payload []byte, depth, want int) ([]any, error) {
	d := decoder{b: payload}
	n, rest, err := ReadArrayHeader(payload)
	if err != nil {
		return nil, err
	}
	if want >= 0 && n != want {
		return nil, fmt.Errorf("payload has %d items, want %d", n, want)
	}
	d.pos = len(payload) - len(rest)
	items, err := d.list(n, depth+1)
	if err != nil {
		return nil, err
	}
	if d.pos != len(payload) {
		return nil, fmt.Errorf("%d bytes after the payload", len(payload)-d.pos)
	}
	return items, nil
}

// payloadInts decodes a payload that is an array of n integers.
func payloadInts(payload []byte, n int) ([]int, error) {
	count, rest, err := ReadArrayHeader(payload)
	if err != nil {
		return nil, err
	}
	if count != n {
		return nil, fmt.Errorf("payload has %d items, want %d", count, n)
	}
	out := make([]int, n)
	for i := range out {
		var v int64
		if v, rest, err = ReadInt(rest); err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out[i] = int(v)
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%d bytes after the payload", len(rest))
	}
	return out, nil
}

func decodeRow(payload []byte, depth int) (*Row, error) {
	n, rest, err := ReadArrayHeader(payload)
	if err != nil {
		return nil, err
	}
	if n != 3 {
		return nil, fmt.Errorf("row payload has %d items, want 3", n)
	}
	kind, rest, err := ReadInt(rest)
	if err != nil {
		return nil, fmt.Errorf("row kind: %w", err)
	}
	if kind < int64(Insert) || kind > int64(Delete) {
		return nil, fmt.Errorf("row kind %d out of range", kind)
	}
	row := &Row{Kind: RowKind(kind)}
	if IsNil(rest) {
		rest = rest[1:]
	} else {
		var count int
		if count, rest, err = ReadArrayHeader(rest); err != nil {
			return nil, fmt.Errorf("row names: %w", err)
		}
		if count > len(rest) {
			return nil, errTruncated
		}
		row.Names = make([]string, count)
		for i := range row.Names {
			var s []byte
			if s, rest, err = ReadStringBytes(rest); err != nil {
				return nil, fmt.Errorf("row name %d: %w", i, err)
			}
			row.Names[i] = string(s)
		}
	}
	if row.Fields, err = payloadList(rest, depth, -1); err != nil {
		return nil, fmt.Errorf("row fields: %w", err)
	}
	return row, nil
}

func isDecimalDigits(p []byte) bool {
	if len(p) > 0 && p[0] == '-' {
		p = p[1:]
	}
	if len(p) == 0 {
		return false
	}
	for _, c := range p {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
