// Package aggregate runs KeyedStream.sum/min/max/min_by/max_by natively on
// typed streams: the numeric field is combined in Go, with no Python call,
// exactly as PyFlink's reduce helpers combine it (min/max keep the other
// fields of the first element; min_by/max_by keep the first element on ties).
package aggregate

import (
	"fmt"
	"sort"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/state/changelog"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

// Kind is the aggregation.
type Kind string

// The aggregations, named as PyFlink's AccumulateType.
const (
	Sum   Kind = "SUM"
	Min   Kind = "MIN"
	Max   Kind = "MAX"
	MinBy Kind = "MIN_BY"
	MaxBy Kind = "MAX_BY"
)

// Spec configures one keyed aggregation.
type Spec struct {
	Kind Kind
	// Pos is the field index in tuples and rows; -1 aggregates scalar values.
	Pos int
	// Float32 rounds sums to 32 bits, for FLOAT fields.
	Float32 bool
	// KeyHash is the hash of the key_by that keyed the stream: it places
	// each key's accumulator in its key group for checkpoints (see
	// checkpoint.go). nil keeps checkpoints to the same parallelism.
	KeyHash rt.KeyHasher
}

// Validate checks the aggregation kind.
func (s *Spec) Validate() error {
	switch s.Kind {
	case Sum, Min, Max, MinBy, MaxBy:
		return nil
	}
	return fmt.Errorf("unknown aggregation %q", s.Kind)
}

// NewOperator returns the operator of one subtask.
func (s *Spec) NewOperator(ctx *rt.Context) (rt.Operator, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &op{spec: *s, batch: ctx.Env.Mode == "BATCH", acc: newAccums(), ep: epochs{current: 1}}, nil
}

// accum is one key's accumulator. It is replaced, never changed in place,
// so a shallow copy of the map is a frozen view for a snapshot.
type accum struct {
	v any
	// enc is v encoded, as it was emitted (streaming mode; nil until then):
	// snapshots copy it instead of walking v again. It is shared with the
	// emitted record, so neither changes it.
	enc []byte
	// kg is the key's key group, worked out once when the key first
	// arrives (with Spec.KeyHash; 0 otherwise), for snapshots.
	kg uint16
	// ep is the checkpoint epoch the accumulator last changed in, which
	// incremental checkpoints write (see changelog.go).
	ep uint32
}

type op struct {
	spec  Spec
	batch bool
	acc   *accums
	ep    epochs
	log   *changelog.Log // made at the first incremental checkpoint
	out   rt.Output
	ctx   *rt.Context
}

func (o *op) Open(ctx *rt.Context, out rt.Output) error { o.ctx, o.out = ctx, out; return nil }

func keyString(k any) (string, error) {
	switch x := k.(type) {
	case value.Raw:
		return string(x), nil
	case nil:
		return "", fmt.Errorf("aggregation received a record without a key")
	default:
		b, err := value.Encode(x)
		return string(b), err
	}
}

func (o *op) Process(r types.Record) error {
	key, err := keyString(r.Key)
	if err != nil {
		return err
	}
	v := r.Value
	if raw, ok := v.(value.Raw); ok {
		if v, err = value.Decode(raw); err != nil {
			return err
		}
	}
	next := v
	cur, ok := o.acc.get(key)
	if ok {
		if next, err = Combine(o.spec, cur.v, v); err != nil {
			return err
		}
	} else if o.spec.KeyHash != nil {
		kg, err := o.keyGroup(key)
		if err != nil {
			return fmt.Errorf("aggregation %s: %w", o.spec.Kind, err)
		}
		cur.kg = uint16(kg)
	}
	cur.v = next
	cur.ep = o.ep.touch(cur.ep)
	if o.batch {
		o.acc.put(key, cur)
		return nil
	}
	if cur.enc, err = value.Encode(next); err != nil {
		return err
	}
	o.acc.put(key, cur)
	return o.out.Emit(types.Record{Value: value.Raw(cur.enc), Timestamp: r.Timestamp})
}

func (o *op) Tick() error { return nil }

// EndInput emits each key's final value in BATCH mode, keys in the order of
// their encoded bytes (as the Python reduce does).
func (o *op) EndInput() error {
	if !o.batch {
		return nil
	}
	acc := o.acc.all()
	keys := make([]string, 0, len(acc))
	for k := range acc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		enc, err := value.Encode(acc[k].v)
		if err != nil {
			return err
		}
		if err := o.out.Emit(types.NewRecord(value.Raw(enc))); err != nil {
			return err
		}
	}
	return nil
}

// Close removes the files of incremental checkpoints (the checkpoints keep
// their own links to them).
func (o *op) Close() error {
	if o.log == nil {
		return nil
	}
	return o.log.Close()
}

// Combine folds v into the accumulator cur and returns the new accumulator
// (a fresh value: cur is never modified, so emitted results stay intact).
func Combine(s Spec, cur, v any) (any, error) {
	a, err := field(cur, s.Pos)
	if err != nil {
		return nil, err
	}
	b, err := field(v, s.Pos)
	if err != nil {
		return nil, err
	}
	switch s.Kind {
	case MinBy:
		if less(b, a) {
			return v, nil
		}
		return cur, nil
	case MaxBy:
		if less(a, b) {
			return v, nil
		}
		return cur, nil
	case Min:
		if less(b, a) {
			return withField(cur, s.Pos, b), nil
		}
		return cur, nil
	case Max:
		if less(a, b) {
			return withField(cur, s.Pos, b), nil
		}
		return cur, nil
	}
	sum, err := add(a, b, s.Float32)
	if err != nil {
		return nil, err
	}
	return withField(cur, s.Pos, sum), nil
}

func field(v any, pos int) (any, error) {
	if pos < 0 {
		return v, nil
	}
	var fields []any
	switch x := v.(type) {
	case value.Tuple:
		fields = x
	case *value.Row:
		fields = x.Fields
	case []any:
		fields = x
	default:
		return nil, fmt.Errorf("cannot aggregate field %d of %T", pos, v)
	}
	if pos >= len(fields) {
		return nil, fmt.Errorf("field %d is out of range for a value with %d fields", pos, len(fields))
	}
	return fields[pos], nil
}

func withField(v any, pos int, f any) any {
	if pos < 0 {
		return f
	}
	switch x := v.(type) {
	case value.Tuple:
		c := append(value.Tuple(nil), x...)
		c[pos] = f
		return c
	case *value.Row:
		c := &value.Row{Kind: x.Kind, Names: x.Names, Fields: append([]any(nil), x.Fields...)}
		c.Fields[pos] = f
		return c
	case []any:
		c := append([]any(nil), x...)
		c[pos] = f
		return c
	}
	return v
}

func num(v any) (int64, float64, bool, error) {
	switch x := v.(type) {
	case int64:
		return x, 0, false, nil
	case float64:
		return 0, x, true, nil
	case nil:
		return 0, 0, false, fmt.Errorf("cannot aggregate a null field")
	}
	return 0, 0, false, fmt.Errorf("cannot aggregate a field of type %T", v)
}

func less(a, b any) bool {
	ai, af, aFloat, err1 := num(a)
	bi, bf, bFloat, err2 := num(b)
	if err1 != nil || err2 != nil {
		return false
	}
	if !aFloat && !bFloat {
		return ai < bi
	}
	if !aFloat {
		af = float64(ai)
	}
	if !bFloat {
		bf = float64(bi)
	}
	return af < bf
}

func add(a, b any, f32 bool) (any, error) {
	ai, af, aFloat, err := num(a)
	if err != nil {
		return nil, err
	}
	bi, bf, bFloat, err := num(b)
	if err != nil {
		return nil, err
	}
	if !aFloat && !bFloat {
		return ai + bi, nil
	}
	if !aFloat {
		af = float64(ai)
	}
	if !bFloat {
		bf = float64(bi)
	}
	s := af + bf
	if f32 {
		s = float64(float32(s))
	}
	return s, nil
}
