package kv

import (
	"encoding/binary"
	"fmt"
)

// AppendKeyNs appends the composite of a key and a namespace:
// uvarint(len(key)) key ns. The namespace needs no length: it ends the
// composite.
func AppendKeyNs(dst, key, ns []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(key)))
	dst = append(dst, key...)
	return append(dst, ns...)
}

// SplitKeyNs splits a composite made by AppendKeyNs.
func SplitKeyNs(b []byte) (key, ns []byte, err error) {
	n, w := binary.Uvarint(b)
	if w <= 0 || uint64(len(b)-w) < n {
		return nil, nil, fmt.Errorf("kv: corrupt key/namespace composite (%d bytes)", len(b))
	}
	return b[w : w+int(n)], b[w+int(n):], nil
}

// AppendKeyNsPrefix appends the prefix shared by the entries of one map:
// uvarint(len(key)) key uvarint(len(ns)) ns. A user key follows it.
func AppendKeyNsPrefix(dst, key, ns []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(key)))
	dst = append(dst, key...)
	dst = binary.AppendUvarint(dst, uint64(len(ns)))
	return append(dst, ns...)
}

// SplitKeyNsPrefix splits a map entry composite into key, namespace and user key.
func SplitKeyNsPrefix(b []byte) (key, ns, uk []byte, err error) {
	n, w := binary.Uvarint(b)
	if w <= 0 || uint64(len(b)-w) < n {
		return nil, nil, nil, fmt.Errorf("kv: corrupt map entry key (%d bytes)", len(b))
	}
	key, b = b[w:w+int(n)], b[w+int(n):]
	n, w = binary.Uvarint(b)
	if w <= 0 || uint64(len(b)-w) < n {
		return nil, nil, nil, fmt.Errorf("kv: corrupt map entry key (%d bytes)", len(b))
	}
	return key, b[w : w+int(n)], b[w+int(n):], nil
}

// AppendTimestamp appends ts so that byte order is numeric order (big endian
// with the sign bit flipped).
func AppendTimestamp(dst []byte, ts int64) []byte {
	return binary.BigEndian.AppendUint64(dst, uint64(ts)^(1<<63))
}

// Timestamp reads a timestamp written by AppendTimestamp.
func Timestamp(b []byte) int64 { return int64(binary.BigEndian.Uint64(b) ^ (1 << 63)) }

// AppendOrderKey appends the encoding that orders timers:
// timestamp, key group (2 bytes), then AppendKeyNs(key, ns).
func AppendOrderKey(dst []byte, t Timer) []byte {
	dst = AppendTimestamp(dst, t.Timestamp)
	dst = binary.BigEndian.AppendUint16(dst, uint16(t.KeyGroup))
	return AppendKeyNs(dst, t.Key, t.Namespace)
}

// ParseOrderKey decodes an encoding made by AppendOrderKey; the key and
// namespace alias b.
func ParseOrderKey(b []byte) (Timer, error) {
	if len(b) < 10 {
		return Timer{}, fmt.Errorf("kv: corrupt timer (%d bytes)", len(b))
	}
	key, ns, err := SplitKeyNs(b[10:])
	if err != nil {
		return Timer{}, err
	}
	return Timer{Timestamp: Timestamp(b), KeyGroup: int(binary.BigEndian.Uint16(b[8:])), Key: key, Namespace: ns}, nil
}
