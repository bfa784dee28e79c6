package window

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

// Codec turns values of T into state bytes and back.
type Codec[T any] interface {
	Append(dst []byte, v T) ([]byte, error)
	Decode(b []byte) (T, error)
}

// CodecFor returns a compact codec for int64, int, float64, string, []byte
// and value.Raw, and a JSON codec for any other type (exported fields only).
func CodecFor[T any]() Codec[T] {
	var zero T
	var c any
	switch any(zero).(type) {
	case int64:
		c = int64Codec{}
	case int:
		c = intCodec{}
	case float64:
		c = float64Codec{}
	case string:
		c = stringCodec{}
	case []byte:
		c = bytesCodec{}
	case value.Raw:
		c = rawCodec{}
	default:
		return JSONCodec[T]{}
	}
	return c.(Codec[T])
}

type int64Codec struct{}

func (int64Codec) Append(dst []byte, v int64) ([]byte, error) {
	return binary.BigEndian.AppendUint64(dst, uint64(v)), nil
}
func (int64Codec) Decode(b []byte) (int64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("window: corrupt int64 (%d bytes)", len(b))
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}

type intCodec struct{}

func (intCodec) Append(dst []byte, v int) ([]byte, error) {
	return binary.BigEndian.AppendUint64(dst, uint64(v)), nil
}
func (intCodec) Decode(b []byte) (int, error) {
	v, err := int64Codec{}.Decode(b)
	return int(v), err
}

type float64Codec struct{}

func (float64Codec) Append(dst []byte, v float64) ([]byte, error) {
	return binary.BigEndian.AppendUint64(dst, math.Float64bits(v)), nil
}
func (float64Codec) Decode(b []byte) (float64, error) {
	v, err := int64Codec{}.Decode(b)
	return math.Float64frombits(uint64(v)), err
}

type stringCodec struct{}

func (stringCodec) Append(dst []byte, v string) ([]byte, error) { return append(dst, v...), nil }
func (stringCodec) Decode(b []byte) (string, error)             { return string(b), nil }

type bytesCodec struct{}

func (bytesCodec) Append(dst []byte, v []byte) ([]byte, error) { return append(dst, v...), nil }
func (bytesCodec) Decode(b []byte) ([]byte, error)             { return append([]byte(nil), b...), nil }

type rawCodec struct{}

func (rawCodec) Append(dst []byte, v value.Raw) ([]byte, error) { return append(dst, v...), nil }
func (rawCodec) Decode(b []byte) (value.Raw, error)             { return append(value.Raw(nil), b...), nil }

// JSONCodec encodes any JSON-representable type.
type JSONCodec[T any] struct{}

// Append implements Codec.
func (JSONCodec[T]) Append(dst []byte, v T) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return dst, fmt.Errorf("window: encode %T: %w", v, err)
	}
	return append(dst, b...), nil
}

// Decode implements Codec.
func (JSONCodec[T]) Decode(b []byte) (T, error) {
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return v, fmt.Errorf("window: decode %T: %w", v, err)
	}
	return v, nil
}

// KeyCodec turns record keys into state key bytes and back.
type KeyCodec interface {
	AppendKey(dst []byte, key any) ([]byte, error)
	DecodeKey(b []byte) (any, error)
}

// DefaultKeys encodes the keys the engine produces: value.Raw (Python keys,
// kept as their encoded bytes), the common Go key types, and nil (the one key
// of a window_all), each behind a tag byte so keys of different types never
// collide.
var DefaultKeys KeyCodec = defaultKeys{}

type defaultKeys struct{}

const (
	tagRaw    = 'r'
	tagString = 's'
	tagInt64  = 'i'
	tagInt    = 'n'
	tagInt32  = 'w'
	tagBytes  = 'b'
	tagBool   = 't'
	tagFloat  = 'f'
	tagNil    = 'z'
)

func (defaultKeys) AppendKey(dst []byte, key any) ([]byte, error) {
	switch k := key.(type) {
	case nil:
		return append(dst, tagNil), nil
	case value.Raw:
		return append(append(dst, tagRaw), k...), nil
	case string:
		return append(append(dst, tagString), k...), nil
	case int64:
		return binary.BigEndian.AppendUint64(append(dst, tagInt64), uint64(k)), nil
	case int:
		return binary.BigEndian.AppendUint64(append(dst, tagInt), uint64(k)), nil
	case int32:
		return binary.BigEndian.AppendUint32(append(dst, tagInt32), uint32(k)), nil
	case []byte:
		return append(append(dst, tagBytes), k...), nil
	case bool:
		if k {
			return append(dst, tagBool, 1), nil
		}
		return append(dst, tagBool, 0), nil
	case float64:
		return binary.BigEndian.AppendUint64(append(dst, tagFloat), math.Float64bits(k)), nil
	}
	return dst, fmt.Errorf("window: no key codec for keys of type %T (give the window a KeyCodec)", key)
}

func (defaultKeys) DecodeKey(b []byte) (any, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("window: empty key")
	}
	p := b[1:]
	switch b[0] {
	case tagNil:
		return nil, nil
	case tagRaw:
		return append(value.Raw(nil), p...), nil
	case tagString:
		return string(p), nil
	case tagBytes:
		return append([]byte(nil), p...), nil
	case tagBool:
		return len(p) == 1 && p[0] == 1, nil
	case tagInt32:
		if len(p) == 4 {
			return int32(binary.BigEndian.Uint32(p)), nil
		}
	case tagInt64, tagInt, tagFloat:
		if len(p) == 8 {
			u := binary.BigEndian.Uint64(p)
			switch b[0] {
			case tagInt64:
				return int64(u), nil
			case tagInt:
				return int(u), nil
			default:
				return math.Float64frombits(u), nil
			}
		}
	}
	return nil, fmt.Errorf("window: corrupt key (%d bytes)", len(b))
}

// TypedKeys is the KeyCodec of Go keys of type K through a Codec.
type TypedKeys[K any] struct{ Codec Codec[K] }

// AppendKey implements KeyCodec.
func (t TypedKeys[K]) AppendKey(dst []byte, key any) ([]byte, error) {
	k, ok := key.(K)
	if !ok {
		return dst, fmt.Errorf("window: key %T is not a %T", key, k)
	}
	return t.Codec.Append(dst, k)
}

// DecodeKey implements KeyCodec.
func (t TypedKeys[K]) DecodeKey(b []byte) (any, error) { return t.Codec.Decode(b) }
