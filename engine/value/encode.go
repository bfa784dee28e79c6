package value

import (
	"fmt"
	"slices"
)

// Encode returns the wire encoding of v (see the package doc for the accepted types).
func Encode(v any) ([]byte, error) {
	return AppendEncode(nil, v)
}

// AppendEncode appends the wire encoding of v to dst. A Raw (also inside
// containers) is appended verbatim. Besides the value types it accepts Go
// conveniences: every int and uint width and float32 (encoded as the
// equivalent int or float64), Row and Map by value, []string, and
// map[string]any / map[string]string (keys sorted, so output is stable).
func AppendEncode(dst []byte, v any) ([]byte, error) {
	return appendValue(dst, v, 0)
}

func appendValue(dst []byte, v any, depth int) ([]byte, error) {
	if depth > maxDepth {
		return dst, fmt.Errorf("value nested deeper than %d", maxDepth)
	}
	switch x := v.(type) {
	case nil:
		return append(dst, mpNil), nil
	case Raw:
		if len(x) == 0 {
			return dst, fmt.Errorf("empty Raw value")
		}
		return append(dst, x...), nil
	case bool:
		return AppendBool(dst, x), nil
	case int64:
		return AppendInt(dst, x), nil
	case int:
		return AppendInt(dst, int64(x)), nil
	case uint64:
		return AppendUint(dst, x), nil
	case float64:
		return AppendFloat(dst, x), nil
	case string:
		return AppendString(dst, x), nil
	case []byte:
		return AppendBin(dst, x), nil
	case []any:
		return appendList(dst, x, depth)
	case Tuple:
		dst, start := beginExt(dst)
		dst, err := appendList(dst, x, depth)
		if err != nil {
			return dst, fmt.Errorf("tuple: %w", err)
		}
		return endExt(dst, start, ExtTuple), nil
	case *Row:
		if x == nil {
			return append(dst, mpNil), nil
		}
		return appendRow(dst, x, depth)
	case Row:
		return appendRow(dst, &x, depth)
	case *Map:
		if x == nil {
			return append(dst, mpNil), nil
		}
		return appendMap(dst, x, depth)
	case Map:
		return appendMap(dst, &x, depth)
	case Decimal:
		return AppendExt(dst, ExtDecimal, []byte(x)), nil
	case BigInt:
		return AppendExt(dst, ExtBigInt, []byte(x)), nil
	case Date:
		dst, start := beginExt(dst)
		dst = appendInts(dst, x.Year, x.Month, x.Day)
		return endExt(dst, start, ExtDate), nil
	case Time:
		dst, start := beginExt(dst)
		dst = appendInts(dst, x.Hour, x.Minute, x.Second, x.Microsecond)
		return endExt(dst, start, ExtTime), nil
	case Timestamp:
		dst, start := beginExt(dst)
		dst = appendInts(dst, x.Year, x.Month, x.Day, x.Hour, x.Minute, x.Second, x.Microsecond)
		return endExt(dst, start, ExtTimestamp), nil
	case Instant:
		dst, start := beginExt(dst)
		dst = AppendArrayHeader(dst, 2)
		dst = AppendInt(dst, x.Seconds)
		dst = AppendInt(dst, int64(x.Nanos))
		return endExt(dst, start, ExtInstant), nil
	case Pickled:
		return AppendExt(dst, ExtPickled, x), nil
	case int8:
		return AppendInt(dst, int64(x)), nil
	case int16:
		return AppendInt(dst, int64(x)), nil
	case int32:
		return AppendInt(dst, int64(x)), nil
	case uint:
		return AppendUint(dst, uint64(x)), nil
	case uint8:
		return AppendUint(dst, uint64(x)), nil
	case uint16:
		return AppendUint(dst, uint64(x)), nil
	case uint32:
		return AppendUint(dst, uint64(x)), nil
	case float32:
		return AppendFloat(dst, float64(x)), nil
	case []string:
		dst = AppendArrayHeader(dst, len(x))
		for _, s := range x {
			dst = AppendString(dst, s)
		}
		return dst, nil
	case map[string]any:
		keys := sortedKeys(x)
		dst = AppendMapHeader(dst, len(keys))
		for _, k := range keys {
			dst = AppendString(dst, k)
			var err error
			if dst, err = appendValue(dst, x[k], depth+1); err != nil {
				return dst, fmt.Errorf("map key %q: %w", k, err)
			}
		}
		return dst, nil
	case map[string]string:
		keys := sortedKeys(x)
		dst = AppendMapHeader(dst, len(keys))
		for _, k := range keys {
			dst = AppendString(dst, k)
			dst = AppendString(dst, x[k])
		}
		return dst, nil
	default:
		return dst, fmt.Errorf("cannot encode a value of Go type %T", v)
	}
}

func appendList(dst []byte, items []any, depth int) ([]byte, error) {
	dst = AppendArrayHeader(dst, len(items))
	for i, item := range items {
		var err error
		if dst, err = appendValue(dst, item, depth+1); err != nil {
			return dst, fmt.Errorf("item %d: %w", i, err)
		}
	}
	return dst, nil
}

func appendRow(dst []byte, r *Row, depth int) ([]byte, error) {
	if r.Kind < Insert || r.Kind > Delete {
		return dst, fmt.Errorf("row kind %d out of range", r.Kind)
	}
	dst, start := beginExt(dst)
	dst = append(dst, 0x93, byte(r.Kind))
	if r.Names == nil {
		dst = append(dst, mpNil)
	} else {
		dst = AppendArrayHeader(dst, len(r.Names))
		for _, n := range r.Names {
			dst = AppendString(dst, n)
		}
	}
	dst, err := appendList(dst, r.Fields, depth)
	if err != nil {
		return dst, fmt.Errorf("row field: %w", err)
	}
	return endExt(dst, start, ExtRow), nil
}

func appendMap(dst []byte, m *Map, depth int) ([]byte, error) {
	if len(m.Keys) != len(m.Values) {
		return dst, fmt.Errorf("map has %d keys but %d values", len(m.Keys), len(m.Values))
	}
	dst = AppendMapHeader(dst, len(m.Keys))
	for i := range m.Keys {
		var err error
		if dst, err = appendValue(dst, m.Keys[i], depth+1); err != nil {
			return dst, fmt.Errorf("map key %d: %w", i, err)
		}
		if dst, err = appendValue(dst, m.Values[i], depth+1); err != nil {
			return dst, fmt.Errorf("map value %d: %w", i, err)
		}
	}
	return dst, nil
}

func appendInts(dst []byte, vals ...int) []byte {
	dst = AppendArrayHeader(dst, len(vals))
	for _, v := range vals {
		dst = AppendInt(dst, int64(v))
	}
	return dst
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
