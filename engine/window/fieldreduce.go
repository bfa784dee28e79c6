package window

import (
	"fmt"

	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

// FieldOp is what a field reduce computes for one field of its result from
// the accumulator a and the new element b.
type FieldOp string

// The field operations: the per-field expressions a Python reduce function
// may be made of to run natively (see ReduceFields).
const (
	FieldFirst FieldOp = "first" // a[i]
	FieldLast  FieldOp = "last"  // b[i]
	FieldSum   FieldOp = "sum"   // a[i] + b[i]
	FieldMax   FieldOp = "max"   // max(a[i], b[i])
	FieldMin   FieldOp = "min"   // min(a[i], b[i])
)

// FieldReduce is one field of a field reduce's result: Op over field Field
// of the accumulator and the element.
type FieldReduce struct {
	Op    FieldOp `msgpack:"op"`
	Field int     `msgpack:"field"`
}

// numericTypes are the field types sum, max and min take: the types whose
// values are Python ints and floats.
var numericTypes = map[string]bool{types.TByte: true, types.TShort: true, types.TInt: true,
	types.TLong: true, types.TFloat: true, types.TDouble: true}

// ValidateFieldReduce checks a field reduce against the type of the records
// it reduces: a TUPLE or ROW with one result field per input field, indices
// in range, and numeric fields under sum, max and min.
func ValidateFieldReduce(fields []FieldReduce, in *types.TypeInfo) error {
	if in == nil || (in.T != types.TTuple && in.T != types.TRow) {
		return fmt.Errorf("a native field reduce needs a TUPLE or ROW input, not %s", typeName(in))
	}
	if len(fields) != len(in.Fields) {
		return fmt.Errorf("a native field reduce has %d result fields for an input of %d fields", len(fields), len(in.Fields))
	}
	for j, f := range fields {
		if f.Field < 0 || f.Field >= len(in.Fields) {
			return fmt.Errorf("result field %d: input field %d is out of range (%d fields)", j, f.Field, len(in.Fields))
		}
		switch f.Op {
		case FieldFirst, FieldLast:
		case FieldSum, FieldMax, FieldMin:
			if t := in.Fields[f.Field]; t == nil || !numericTypes[t.T] {
				return fmt.Errorf("result field %d: %s needs a numeric field, input field %d is %s", j, f.Op, f.Field, typeName(t))
			}
		default:
			return fmt.Errorf("result field %d: unknown field operation %q", j, f.Op)
		}
	}
	return nil
}

func typeName(t *types.TypeInfo) string {
	if t == nil {
		return "untyped"
	}
	return t.T
}

// ReduceFields returns a Function that reduces the elements of each pane
// with a reduce function made of per-field expressions: the result of
// reduce(a, b) is the tuple whose field j is fields[j] applied to a and b.
// It computes what the Python function computes, without Python:
//   - the accumulator is the first element as it came (a pane of one element
//     emits that element), and every further element b makes it
//     reduce(acc, b), in arrival order, as Flink's ReducingState does;
//   - integers are exact as Python's: a sum that leaves int64 continues in
//     uint64 or as a value.BigInt, as the Python value would be encoded;
//   - floats add in IEEE double precision in the same order (FLOAT fields
//     are not rounded to 32 bits, as the Python function does not round);
//   - max and min keep a unless b compares greater (less), as the builtins do.
//
// Elements are value-encoded records (value.Raw) or decoded values; results
// are value.Raw. name names the operator in errors.
func ReduceFields(name string, fields []FieldReduce) func() Function {
	return func() Function { return &fieldReduce{name: name, fields: fields} }
}

// fieldReduce keeps one accumulator per pane, value-encoded, under
// contentsState.
type fieldReduce struct {
	name   string
	fields []FieldReduce
	st     state.ValueState
	buf    []byte
	raw    rawScratch
}

func (r *fieldReduce) Open(ctx Context) error {
	var err error
	r.st, err = ctx.Backend().Value(state.Descriptor{Name: contentsState})
	return err
}

// encoded returns the encoding of an element.
func encoded(v any) ([]byte, error) {
	if raw, ok := v.(value.Raw); ok {
		return raw, nil
	}
	return value.Encode(v)
}

func (r *fieldReduce) load(ns []byte) ([]byte, bool, error) {
	r.st.SetNamespace(ns)
	return r.st.Value()
}

func (r *fieldReduce) Add(ns []byte, v any) error {
	elem, err := encoded(v)
	if err != nil {
		return fmt.Errorf("%s: %w", r.name, err)
	}
	acc, ok, err := r.load(ns)
	if err != nil {
		return err
	}
	if !ok {
		return r.st.Update(elem)
	}
	next, err := r.combine(acc, elem)
	if err != nil {
		return err
	}
	r.st.SetNamespace(ns)
	return r.st.Update(next)
}

// combine returns the encoding of reduce(a, b) for encoded a and b (in
// r.buf, valid until the next combine).
func (r *fieldReduce) combine(a, b []byte) ([]byte, error) {
	if out, ok := r.raw.combineRaw(r.buf[:0], r.fields, a, b); ok {
		r.buf = out
		return out, nil
	}
	av, err := value.Decode(a)
	if err != nil {
		return nil, fmt.Errorf("%s: accumulator: %w", r.name, err)
	}
	bv, err := value.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: element: %w", r.name, err)
	}
	res, err := ReduceFieldValues(r.fields, av, bv)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.name, err)
	}
	r.buf, err = value.AppendEncode(r.buf[:0], res)
	return r.buf, err
}

// ReduceFieldValues computes reduce(a, b) on decoded values (tuples, rows
// or lists): the tuple of fields applied to them.
func ReduceFieldValues(fields []FieldReduce, a, b any) (value.Tuple, error) {
	af, err := fieldsOf(a, "accumulator")
	if err != nil {
		return nil, err
	}
	bf, err := fieldsOf(b, "element")
	if err != nil {
		return nil, err
	}
	out := make(value.Tuple, len(fields))
	for j, f := range fields {
		if f.Field < 0 || f.Field >= len(af) || f.Field >= len(bf) {
			return nil, fmt.Errorf("field %d is out of range for an accumulator of %d and an element of %d fields (%s, %s)",
				f.Field, len(af), len(bf), show(a), show(b))
		}
		x, y := af[f.Field], bf[f.Field]
		switch f.Op {
		case FieldFirst:
			out[j] = x
		case FieldLast:
			out[j] = y
		case FieldSum:
			out[j], err = addNumbers(x, y)
		case FieldMax, FieldMin:
			// y replaces x when it is greater (max) or smaller (min).
			a, b := x, y
			if f.Op == FieldMin {
				a, b = y, x
			}
			var replace bool
			if replace, err = numberLess(a, b); replace {
				out[j] = y
			} else {
				out[j] = x
			}
		default:
			return nil, fmt.Errorf("unknown field operation %q", f.Op)
		}
		if err != nil {
			return nil, fmt.Errorf("field %d (%s of field %d) of %s and %s: %w", j, f.Op, f.Field, show(a), show(b), err)
		}
	}
	return out, nil
}

func fieldsOf(v any, what string) ([]any, error) {
	switch x := v.(type) {
	case value.Tuple:
		return x, nil
	case *value.Row:
		return x.Fields, nil
	case []any:
		return x, nil
	}
	return nil, fmt.Errorf("the %s %s is not a tuple or row", what, show(v))
}

// show renders a value for an error message.
func show(v any) string {
	s := fmt.Sprintf("%v", v)
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// Merge combines the accumulators of merged windows as Flink merges
// ReducingState: the sources' accumulators are reduced in order, and the
// target's accumulator (if any) is reduced with that result.
func (r *fieldReduce) Merge(target []byte, sources [][]byte) error {
	var merged []byte
	for _, src := range sources {
		v, ok, err := r.load(src)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		v = append([]byte(nil), v...)
		if err := r.st.Clear(); err != nil {
			return err
		}
		if merged == nil {
			merged = v
		} else if merged, err = r.combine(merged, v); err != nil {
			return err
		} else {
			merged = append([]byte(nil), merged...)
		}
	}
	if merged == nil {
		return nil
	}
	cur, ok, err := r.load(target)
	if err != nil {
		return err
	}
	if ok {
		if merged, err = r.combine(cur, merged); err != nil {
			return err
		}
	}
	r.st.SetNamespace(target)
	return r.st.Update(merged)
}

func (r *fieldReduce) Emit(_ any, w Window, ns []byte, out Collector) error {
	acc, ok, err := r.load(ns)
	if err != nil || !ok {
		return err
	}
	return out.Collect(value.Raw(append([]byte(nil), acc...)), w.MaxTimestamp())
}

func (r *fieldReduce) Clear(ns []byte) error {
	r.st.SetNamespace(ns)
	return r.st.Clear()
}

func (r *fieldReduce) Flush(Collector) error { return nil }
func (r *fieldReduce) Close() error          { return nil }
