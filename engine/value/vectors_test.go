package value

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// vector is one entry of udf/testdata/vectors.json.
type vector struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
	Hex  string `json:"hex"`
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "udf", "testdata", "vectors.json"))
	if err != nil {
		t.Fatalf("read vectors: %v", err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatalf("parse vectors: %v", err)
	}
	if len(vs) < 50 {
		t.Fatalf("only %d vectors", len(vs))
	}
	return vs
}

// TestVectorsRoundTrip decodes every shared vector and re-encodes it to the identical bytes.
func TestVectorsRoundTrip(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			want, err := hex.DecodeString(v.Hex)
			if err != nil {
				t.Fatalf("bad hex: %v", err)
			}
			got, err := Decode(want)
			if err != nil {
				t.Fatalf("Decode(%s): %v", v.Expr, err)
			}
			again, err := Encode(got)
			if err != nil {
				t.Fatalf("Encode(%#v): %v", got, err)
			}
			if !bytes.Equal(again, want) {
				t.Fatalf("%s re-encodes to\n %x, want\n %x", v.Expr, again, want)
			}
			n, err := Skip(want)
			if err != nil || n != len(want) {
				t.Fatalf("Skip = %d, %v; want %d", n, err, len(want))
			}
		})
	}
}

// TestVectorsDecodeTo checks what selected vectors decode to in Go.
func TestVectorsDecodeTo(t *testing.T) {
	want := map[string]any{
		"nil":                     nil,
		"true":                    true,
		"int_zero":                int64(0),
		"int_uint16_max":          int64(65535),
		"int_int64_max":           int64(math.MaxInt64),
		"int_uint64_above_int64":  uint64(1 << 63),
		"int_uint64_max":          uint64(math.MaxUint64),
		"int_int64_min":           int64(math.MinInt64),
		"int_fixneg_min":          int64(-32),
		"bigint_2_64":             BigInt("18446744073709551616"),
		"bigint_huge_negative":    BigInt("-10000000000000000000000000000000000000000"),
		"float_one_half":          1.5,
		"float_inf":               math.Inf(1),
		"str_unicode":             "한국어 ✓ naïve 𝄞",
		"str_nul":                 "a\x00b",
		"bin_small":               []byte{0, 1, 0xff},
		"bin_bytearray":           []byte("ab"),
		"list_empty":              []any{},
		"list_mixed":              []any{int64(1), "a", nil, true, 2.5, []byte("z")},
		"map_empty":               &Map{Keys: []any{}, Values: []any{}},
		"map_str_keys":            &Map{Keys: []any{"a", "b"}, Values: []any{int64(1), []any{int64(2)}}},
		"map_insertion_order":     &Map{Keys: []any{"z", "a", "m"}, Values: []any{int64(1), int64(2), int64(3)}},
		"tuple_empty":             Tuple{},
		"tuple_pair":              Tuple{int64(1), "a"},
		"tuple_nested":            Tuple{Tuple{int64(1), int64(2)}, []any{int64(3), Tuple{int64(4)}}, Tuple{}},
		"tuple_record":            Tuple{"user-000042", int64(42), int64(1700000000042)},
		"row_positional":          &Row{Kind: Insert, Fields: []any{int64(1), "a"}},
		"row_named":               &Row{Kind: Insert, Names: []string{"name", "age"}, Fields: []any{"Alice", int64(11)}},
		"row_empty":               &Row{Kind: Insert, Fields: []any{}},
		"row_delete":              &Row{Kind: Delete, Fields: []any{int64(1), nil}},
		"row_update_before_named": &Row{Kind: UpdateBefore, Names: []string{"a"}, Fields: []any{int64(1)}},
		"row_update_after":        &Row{Kind: UpdateAfter, Fields: []any{"x"}},
		"row_nested": &Row{Kind: Insert, Fields: []any{
			&Row{Kind: Insert, Names: []string{"f0"}, Fields: []any{int64(1)}},
			Tuple{int64(2), int64(3)},
			[]any{&Row{Kind: Insert, Fields: []any{}}},
		}},
		"decimal_simple":   Decimal("1.10"),
		"decimal_nan":      Decimal("NaN"),
		"date_leap":        Date{2024, 2, 29},
		"date_min":         Date{1, 1, 1},
		"time_micro":       Time{12, 30, 15, 123456},
		"timestamp":        Timestamp{Date{2024, 2, 29}, Time{23, 59, 59, 999999}},
		"instant":          Instant{Seconds: 1700000000, Nanos: 123456789},
		"instant_negative": Instant{Seconds: -1, Nanos: 999999999},
	}
	seen := 0
	for _, v := range loadVectors(t) {
		w, ok := want[v.Name]
		if !ok {
			continue
		}
		seen++
		b, _ := hex.DecodeString(v.Hex)
		got, err := Decode(b)
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s (%s) decodes to %#v, want %#v", v.Name, v.Expr, got, w)
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d expected vector names", seen, len(want))
	}
}

// TestVectorsPickledIsOpaque checks that pickled values keep their exact bytes.
func TestVectorsPickledIsOpaque(t *testing.T) {
	for _, v := range loadVectors(t) {
		if v.Name != "pickled_set" {
			continue
		}
		b, _ := hex.DecodeString(v.Hex)
		got, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		p, ok := got.(Pickled)
		if !ok || len(p) == 0 || p[0] != 0x80 {
			t.Fatalf("pickled_set decodes to %#v, want Pickled starting with the pickle PROTO opcode", got)
		}
		return
	}
	t.Fatal("no pickled_set vector")
}
