package window

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/state/statetest"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

// TestReduceFieldValues: each field operation on ints and floats, as
// Python computes it (exact ints beyond 64 bits, IEEE sums, max/min keeping
// the first on ties and NaN), and errors that name the values.
func TestReduceFieldValues(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name string
		op   FieldOp
		a, b any
		want string // fmt of the result field, or "error: ..." prefix
	}{
		{"first", FieldFirst, "x", "y", "x"},
		{"last", FieldLast, "x", "y", "y"},
		{"first-none", FieldFirst, nil, int64(1), "<nil>"},
		{"sum-int", FieldSum, int64(2), int64(3), "5"},
		{"sum-negative", FieldSum, int64(-7), int64(3), "-4"},
		{"sum-float", FieldSum, 0.1, 0.2, "0.30000000000000004"},
		{"sum-int-float", FieldSum, int64(1), 0.5, "1.5"},
		{"sum-float-int", FieldSum, 0.5, int64(1), "1.5"},
		{"sum-to-uint64", FieldSum, int64(math.MaxInt64), int64(5), "9223372036854775812"},
		{"sum-to-bigint", FieldSum, uint64(math.MaxUint64), int64(1), "18446744073709551616"},
		{"sum-below-int64", FieldSum, int64(math.MinInt64), int64(-1), "-9223372036854775809"},
		{"sum-bigint-back", FieldSum, value.BigInt("18446744073709551616"), int64(-18446744073709551), "18428297329635842065"},
		{"sum-uint64-back", FieldSum, uint64(math.MaxInt64 + 10), int64(-20), "9223372036854775797"},
		{"sum-inf", FieldSum, math.Inf(1), 1.0, "+Inf"},
		{"sum-nan", FieldSum, nan, 1.0, "NaN"},
		{"max-int", FieldMax, int64(2), int64(3), "3"},
		{"max-keeps-a", FieldMax, int64(3), int64(2), "3"},
		{"max-float", FieldMax, 1.5, 2.5, "2.5"},
		{"max-tie-zero", FieldMax, 0.0, math.Copysign(0, -1), "0"},
		{"max-nan-first", FieldMax, nan, 1.0, "NaN"},
		{"max-nan-second", FieldMax, 1.0, nan, "1"},
		{"max-int-float-exact", FieldMax, int64(9007199254740993), 9007199254740992.0, "9007199254740993"},
		{"max-bigint", FieldMax, int64(1), value.BigInt("100000000000000000000000"), "100000000000000000000000"},
		{"min-int", FieldMin, int64(2), int64(3), "2"},
		{"min-takes-b", FieldMin, int64(3), int64(-2), "-2"},
		{"min-tie-zero", FieldMin, math.Copysign(0, -1), 0.0, "-0"},
		{"min-nan-second", FieldMin, 1.0, nan, "1"},
		{"sum-none", FieldSum, nil, int64(1), "error: field 0 (sum of field 0) of [<nil>] and [1]: None is not a number"},
		{"sum-string", FieldSum, "a", "b", "error: field 0 (sum of field 0) of [a] and [b]: a (string) is not a number"},
		{"max-none", FieldMax, int64(1), nil, "error: field 0 (max of field 0) of [1] and [<nil>]: None is not a number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReduceFieldValues([]FieldReduce{{Op: tc.op, Field: 0}}, value.Tuple{tc.a}, value.Tuple{tc.b})
			if want, ok := strings.CutPrefix(tc.want, "error: "); ok {
				if err == nil || err.Error() != want {
					t.Fatalf("got %v, %v; want error %q", got, err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := fmt.Sprint(got[0]); s != tc.want {
				t.Fatalf("got %s (%T), want %s", s, got[0], tc.want)
			}
			// The result survives the value encoding (state, records).
			enc, err := value.Encode(got)
			if err != nil {
				t.Fatal(err)
			}
			back, err := value.Decode(enc)
			if err != nil || fmt.Sprint(back.(value.Tuple)[0]) != tc.want {
				t.Fatalf("encoded result decodes to %v, %v", back, err)
			}
		})
	}
}

// TestReduceFieldValuesShapes: rows and lists reduce to tuples, fields pick
// across positions, and a too short value is an error naming it.
func TestReduceFieldValuesShapes(t *testing.T) {
	fields := []FieldReduce{{FieldFirst, 0}, {FieldSum, 1}, {FieldLast, 0}}
	row := &value.Row{Names: []string{"w", "n"}, Fields: []any{"a", int64(1)}}
	got, err := ReduceFieldValues(fields, row, []any{"b", int64(2)})
	if err != nil || fmt.Sprint(got) != "[a 3 b]" {
		t.Fatalf("got %v, %v", got, err)
	}
	_, err = ReduceFieldValues(fields, value.Tuple{"a"}, value.Tuple{"b", int64(1)})
	if err == nil || !strings.Contains(err.Error(), "field 1 is out of range for an accumulator of 1 and an element of 2 fields ([a], [b 1])") {
		t.Fatalf("short accumulator: %v", err)
	}
	_, err = ReduceFieldValues(fields, value.Tuple{"a", int64(1)}, "b")
	if err == nil || err.Error() != "the element b is not a tuple or row" {
		t.Fatalf("scalar element: %v", err)
	}
}

func TestValidateFieldReduce(t *testing.T) {
	tuple := &types.TypeInfo{T: types.TTuple, Fields: []*types.TypeInfo{{T: types.TString}, {T: types.TInt}, {T: types.TFloat}}}
	cases := []struct {
		name   string
		in     *types.TypeInfo
		fields []FieldReduce
		want   string
	}{
		{"ok", tuple, []FieldReduce{{FieldFirst, 0}, {FieldSum, 1}, {FieldMax, 2}}, ""},
		{"ok-row", &types.TypeInfo{T: types.TRow, Fields: tuple.Fields}, []FieldReduce{{FieldLast, 0}, {FieldMin, 1}, {FieldSum, 2}}, ""},
		{"untyped", &types.TypeInfo{T: types.TPickled}, []FieldReduce{{FieldFirst, 0}}, "a native field reduce needs a TUPLE or ROW input, not PICKLED"},
		{"arity", tuple, []FieldReduce{{FieldFirst, 0}, {FieldSum, 1}}, "a native field reduce has 2 result fields for an input of 3 fields"},
		{"range", tuple, []FieldReduce{{FieldFirst, 0}, {FieldSum, 3}, {FieldFirst, 2}}, "result field 1: input field 3 is out of range (3 fields)"},
		{"string-sum", tuple, []FieldReduce{{FieldSum, 0}, {FieldSum, 1}, {FieldFirst, 2}}, "result field 0: sum needs a numeric field, input field 0 is STRING"},
		{"unknown-op", tuple, []FieldReduce{{"avg", 0}, {FieldSum, 1}, {FieldFirst, 2}}, `result field 0: unknown field operation "avg"`},
	}
	for _, tc := range cases {
		err := ValidateFieldReduce(tc.fields, tc.in)
		if (err == nil) != (tc.want == "") || (err != nil && err.Error() != tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// fieldsOverStrings is the native field reduce of the operator transcripts
// (function=fields) and the restore test. An element "name:n" (or "name.n")
// is the tuple (name, n, n/10, n, n, "name:n"), reduced with
// (a[0], a[1] + b[1], a[2] + b[2], max(a[3], b[3]), min(a[4], b[4]), b[5]);
// results print as their decoded tuples.
func fieldsOverStrings() Function {
	return stringTuples{ReduceFields("test reduce", []FieldReduce{
		{FieldFirst, 0}, {FieldSum, 1}, {FieldSum, 2}, {FieldMax, 3}, {FieldMin, 4}, {FieldLast, 5}})()}
}

type stringTuples struct{ Function }

func (s stringTuples) Add(ns []byte, v any) error {
	str := v.(string)
	i := strings.LastIndexAny(str, ":.")
	n, err := strconv.ParseInt(str[i+1:], 10, 64)
	if i < 0 || err != nil {
		return fmt.Errorf("element %q is not name:n", str)
	}
	enc, err := value.Encode(value.Tuple{str[:i], n, float64(n) / 10, n, n, str})
	if err != nil {
		return err
	}
	return s.Function.Add(ns, value.Raw(enc))
}

func (s stringTuples) Emit(key any, w Window, ns []byte, out Collector) error {
	return s.Function.Emit(key, w, ns, decoding{out})
}

type decoding struct{ out Collector }

func (d decoding) Collect(v any, ts int64) error {
	dec, err := value.Decode(v.(value.Raw))
	if err != nil {
		return err
	}
	return d.out.Collect(fmt.Sprint(dec), ts)
}

// TestReduceFieldsErrorNamesOperator: a field that cannot be added stops
// the operator with an error naming it and the values.
func TestReduceFieldsErrorNamesOperator(t *testing.T) {
	a, err := TumblingEventTime(10, 0)
	if err != nil {
		t.Fatal(err)
	}
	spec := Spec{Assigner: a, Function: ReduceFields("Window(reduce)", []FieldReduce{{FieldFirst, 0}, {FieldSum, 1}})}
	for _, backend := range []string{"hashmap", "pebble"} {
		h, err := newHarness(t, spec, backend, statetest.NewManualClock(0))
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range []value.Tuple{{"k", int64(1)}, {"k", "x"}} {
			err = h.op.Process(types.Record{Key: "k", Value: v, Timestamp: 1})
			if i == 0 && err != nil {
				t.Fatal(err)
			}
		}
		want := "Window(reduce): field 1 (sum of field 1) of [k 1] and [k x]: x (string) is not a number"
		if err == nil || err.Error() != want {
			t.Fatalf("%s: got %v, want %q", backend, err, want)
		}
	}
}

// TestRawPathAgreesWithDecoding: on random tuples (ints near the int64
// limits, floats with NaN, infinities and signed zeros, strings, None), the
// fast path on encodings gives exactly the bytes of the decoding path
// wherever it applies, and it applies to the common cases. Fixed seed.
func TestRawPathAgreesWithDecoding(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	ints := []int64{0, 1, -1, 7, 300, -70000, math.MaxInt64, math.MaxInt64 - 3, math.MinInt64, math.MinInt64 + 2, 1 << 40}
	floats := []float64{0, math.Copysign(0, -1), 0.1, 0.2, -2.5, 1e308, -1e308, math.Inf(1), math.Inf(-1), math.NaN()}
	pick := func(kind int) any {
		switch kind {
		case 0:
			return ints[rng.IntN(len(ints))]
		case 1:
			return floats[rng.IntN(len(floats))]
		case 2:
			return []string{"a", "bb", ""}[rng.IntN(3)]
		}
		if rng.IntN(10) == 0 {
			return nil
		}
		return uint64(math.MaxUint64) - uint64(rng.IntN(3))
	}
	fields := []FieldReduce{{FieldFirst, 2}, {FieldSum, 0}, {FieldSum, 1}, {FieldMax, 0}, {FieldMin, 1}, {FieldLast, 3}, {FieldMax, 1}, {FieldMin, 0}}
	var s rawScratch
	fast := 0
	for i := 0; i < 5000; i++ {
		tuple := func() value.Tuple {
			k0, k1 := 0, 1
			if rng.IntN(20) == 0 {
				k0 = 3 // uint64 or None among the ints
			}
			if rng.IntN(20) == 0 {
				k1 = 0 // an int among the floats
			}
			return value.Tuple{pick(k0), pick(k1), pick(2), pick(rng.IntN(4))}
		}
		a, b := tuple(), tuple()
		ae, _ := value.Encode(a)
		be, _ := value.Encode(b)
		got, ok := s.combineRaw(nil, fields, ae, be)
		want, err := ReduceFieldValues(fields, a, b)
		if !ok {
			continue
		}
		fast++
		if err != nil {
			t.Fatalf("%v, %v: the fast path took inputs the decoding path rejects: %v", a, b, err)
		}
		wantEnc, _ := value.Encode(want)
		if string(got) != string(wantEnc) {
			dec, _ := value.Decode(got)
			t.Fatalf("%v, %v: fast path %v, decoding path %v", a, b, dec, want)
		}
	}
	if fast < 2500 {
		t.Fatalf("the fast path took only %d of 5000 inputs", fast)
	}
}
