// Package format renders values as Flink's Java side prints them, so that
// typed streams print exactly what PyFlink prints: Tuple2 as (a,1), booleans
// as true/false, doubles as Java's Double.toString, maps as {k=v}, and so on.
package format

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

// Java renders v, a value of type t, as Java's toString of the converted
// Java object would. A value.Raw is decoded first.
func Java(v any, t *types.TypeInfo) (string, error) {
	var b strings.Builder
	if err := appendJava(&b, v, t); err != nil {
		return "", err
	}
	return b.String(), nil
}

func appendJava(b *strings.Builder, v any, t *types.TypeInfo) error {
	if raw, ok := v.(value.Raw); ok {
		d, err := value.Decode(raw)
		if err != nil {
			return err
		}
		v = d
	}
	if v == nil {
		b.WriteString("null")
		return nil
	}
	name := ""
	if t != nil {
		name = t.T
	}
	switch name {
	case types.TFloat:
		if f, ok := toFloat(v); ok {
			b.WriteString(JavaFloat(float32(f)))
			return nil
		}
	case types.TDouble:
		if f, ok := toFloat(v); ok {
			b.WriteString(JavaDouble(f))
			return nil
		}
	case types.TTuple:
		fields, ok := asSlice(v)
		if ok {
			b.WriteByte('(')
			for i, f := range fields {
				if i > 0 {
					b.WriteByte(',')
				}
				if err := appendJava(b, f, fieldType(t, i)); err != nil {
					return err
				}
			}
			b.WriteByte(')')
			return nil
		}
	case types.TRow:
		return appendJavaRow(b, v, t)
	case types.TList, types.TBasicArray, types.TObjectArray, types.TPrimArray:
		items, ok := asSlice(v)
		if ok {
			b.WriteByte('[')
			for i, it := range items {
				if i > 0 {
					b.WriteString(", ")
				}
				if err := appendJava(b, it, t.Elem); err != nil {
					return err
				}
			}
			b.WriteByte(']')
			return nil
		}
	case types.TMap:
		if m, ok := v.(*value.Map); ok {
			b.WriteByte('{')
			for i := range m.Keys {
				if i > 0 {
					b.WriteString(", ")
				}
				if err := appendJava(b, m.Keys[i], t.Key); err != nil {
					return err
				}
				b.WriteByte('=')
				if err := appendJava(b, m.Values[i], t.Val); err != nil {
					return err
				}
			}
			b.WriteByte('}')
			return nil
		}
	}
	return appendJavaScalar(b, v, t)
}

func appendJavaRow(b *strings.Builder, v any, t *types.TypeInfo) error {
	var kind value.RowKind
	var fields []any
	switch r := v.(type) {
	case *value.Row:
		kind, fields = r.Kind, r.Fields
	default:
		s, ok := asSlice(v)
		if !ok {
			return appendJavaScalar(b, v, t)
		}
		fields = s
	}
	b.WriteString(kind.String())
	b.WriteByte('[')
	for i, f := range fields {
		if i > 0 {
			b.WriteString(", ")
		}
		if err := appendJava(b, f, fieldType(t, i)); err != nil {
			return err
		}
	}
	b.WriteByte(']')
	return nil
}

func appendJavaScalar(b *strings.Builder, v any, t *types.TypeInfo) error {
	switch x := v.(type) {
	case string:
		b.WriteString(x)
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case int:
		b.WriteString(strconv.Itoa(x))
	case int32:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case uint64:
		b.WriteString(strconv.FormatUint(x, 10))
	case float64:
		b.WriteString(JavaDouble(x))
	case float32:
		b.WriteString(JavaFloat(x))
	case []byte:
		// Java prints a byte[] by identity; show its contents instead of an address.
		b.WriteString(fmt.Sprintf("%v", x))
	case value.Decimal:
		b.WriteString(javaBigDecimal(string(x)))
	case value.BigInt:
		b.WriteString(string(x))
	case value.Date:
		fmt.Fprintf(b, "%04d-%02d-%02d", x.Year, x.Month, x.Day)
	case value.Time:
		fmt.Fprintf(b, "%02d:%02d:%02d", x.Hour, x.Minute, x.Second)
	case value.Timestamp:
		b.WriteString(javaTimestamp(x))
	case value.Instant:
		b.WriteString(javaInstant(x))
	case value.Tuple, []any, *value.Row, *value.Map:
		// A composite value declared with a scalar (or no) type: fall back to
		// the structural rendering its own shape suggests.
		return appendJava(b, v, shapeType(v))
	case value.Pickled:
		b.WriteString("[B@pickled")
	default:
		fmt.Fprintf(b, "%v", x)
	}
	return nil
}

func shapeType(v any) *types.TypeInfo {
	switch v.(type) {
	case value.Tuple:
		return &types.TypeInfo{T: types.TTuple}
	case *value.Row:
		return &types.TypeInfo{T: types.TRow}
	case *value.Map:
		return &types.TypeInfo{T: types.TMap}
	default:
		return &types.TypeInfo{T: types.TList}
	}
}

func fieldType(t *types.TypeInfo, i int) *types.TypeInfo {
	if t != nil && i < len(t.Fields) {
		return t.Fields[i]
	}
	return nil
}

func asSlice(v any) ([]any, bool) {
	switch x := v.(type) {
	case value.Tuple:
		return x, true
	case []any:
		return x, true
	case *value.Row:
		return x.Fields, true
	}
	return nil, false
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// JavaDouble formats f as Java's Double.toString does (shortest digits that
// round-trip; plain notation for 1e-3 <= |f| < 1e7, else d.dddE±n).
func JavaDouble(f float64) string { return javaFloating(f, 64) }

// JavaFloat formats f as Java's Float.toString does.
func JavaFloat(f float32) string { return javaFloating(float64(f), 32) }

func javaFloating(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	abs := math.Abs(f)
	if abs >= 1e-3 && abs < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, bits) // d.ddde±XX
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// javaBigDecimal renders a decimal as BigDecimal.toString. Python's
// str(Decimal) and Java follow the same to-scientific-string rule, so the
// canonical string carried on the wire is already Java's form.
func javaBigDecimal(s string) string { return s }

func javaTimestamp(t value.Timestamp) string {
	s := fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second)
	nanos := t.Microsecond * 1000
	if nanos == 0 {
		return s + ".0"
	}
	frac := strings.TrimRight(fmt.Sprintf("%09d", nanos), "0")
	return s + "." + frac
}

func javaInstant(x value.Instant) string {
	secs := x.Seconds
	days := floorDiv(secs, 86400)
	rem := secs - days*86400
	y, m, d := civilFromDays(days)
	s := fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, rem/3600, rem%3600/60, rem%60)
	if x.Nanos != 0 {
		frac := fmt.Sprintf("%09d", x.Nanos)
		switch {
		case strings.HasSuffix(frac, "000000"):
			frac = frac[:3]
		case strings.HasSuffix(frac, "000"):
			frac = frac[:6]
		}
		s += "." + frac
	}
	return s + "Z"
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// civilFromDays converts days since 1970-01-01 to a proleptic Gregorian date.
func civilFromDays(z int64) (int64, int64, int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}
