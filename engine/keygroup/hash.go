package keygroup

import (
	"fmt"
	"hash/fnv"
	"math"
	"unicode/utf16"
)

// JavaHash returns the hash code Java's hashCode() gives the Java object a
// value converts to, for the value kinds that have an obvious Java twin
// (String, Integer/Long, Boolean, Double, Tuple). Its second result is false
// for values with no such twin; callers then hash an encoding instead.
func JavaHash(v any) (int32, bool) {
	switch x := v.(type) {
	case string:
		return StringHash(x), true
	case int:
		return LongHash(int64(x)), true
	case int32:
		return x, true
	case int64:
		return LongHash(x), true
	case bool:
		if x {
			return 1231, true
		}
		return 1237, true
	case float64:
		bits := math.Float64bits(x)
		return int32(bits ^ bits>>32), true
	case nil:
		return 0, true
	}
	return 0, false
}

// IntHash is Integer.hashCode: the value itself.
func IntHash(v int64) int32 { return int32(v) }

// LongHash is Long.hashCode: the two halves xor-ed.
func LongHash(v int64) int32 { return int32(uint64(v) ^ uint64(v)>>32) }

// StringHash is String.hashCode over the UTF-16 code units of s.
func StringHash(s string) int32 {
	var h int32
	for _, r := range s {
		if r < 0x10000 {
			h = 31*h + int32(r)
			continue
		}
		a, b := utf16.EncodeRune(r)
		h = 31*h + int32(a)
		h = 31*h + int32(b)
	}
	return h
}

// TupleHash combines field hashes as Flink's TupleN.hashCode does.
func TupleHash(fields []int32) int32 {
	var h int32
	for i, f := range fields {
		if i == 0 {
			h = f
			continue
		}
		h = 31*h + f
	}
	return h
}

// BytesHash hashes an opaque encoding (for keys with no Java twin, such as
// untyped Python keys, which Flink hashes through their pickled bytes).
func BytesHash(b []byte) int32 {
	h := fnv.New32a()
	_, _ = h.Write(b)
	return int32(h.Sum32())
}

// GoHash hashes a Go API key: Java's hash where the key has a Java twin,
// else an FNV hash of its %#v rendering.
func GoHash(v any) (int32, error) {
	if h, ok := JavaHash(v); ok {
		return h, nil
	}
	switch x := v.(type) {
	case int8:
		return int32(x), nil
	case int16:
		return int32(x), nil
	case uint32:
		return LongHash(int64(x)), nil
	case uint64:
		return LongHash(int64(x)), nil
	case []byte:
		return BytesHash(x), nil
	case fmt.Stringer:
		return StringHash(x.String()), nil
	}
	return BytesHash([]byte(fmt.Sprintf("%#v", v))), nil
}
