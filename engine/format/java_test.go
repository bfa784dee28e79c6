package format

import (
	"math"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

func ty(t string, fields ...*types.TypeInfo) *types.TypeInfo {
	return &types.TypeInfo{T: t, Fields: fields}
}

func TestJava(t *testing.T) {
	str, i, l, d, f, b := ty("STRING"), ty("INT"), ty("LONG"), ty("DOUBLE"), ty("FLOAT"), ty("BOOLEAN")
	for _, tc := range []struct {
		name string
		v    any
		t    *types.TypeInfo
		want string
	}{
		{"string", "apple", str, "apple"},
		{"int", int64(3), i, "3"},
		{"long", int64(-9), l, "-9"},
		{"boolean", true, b, "true"},
		{"double", 1.5, d, "1.5"},
		{"double whole", 3.0, d, "3.0"},
		{"double large", 1e10, d, "1.0E10"},
		{"double 1e7", 1e7, d, "1.0E7"},
		{"double below 1e7", 9999999.0, d, "9999999.0"},
		{"double small", 0.001, d, "0.001"},
		{"double tiny", 0.0001, d, "1.0E-4"},
		{"double shortest", 0.30000000000000004, d, "0.30000000000000004"},
		{"double negative exp", -1.25e-5, d, "-1.25E-5"},
		{"nan", math.NaN(), d, "NaN"},
		{"infinity", math.Inf(-1), d, "-Infinity"},
		{"float32", 0.1, f, "0.1"},
		{"float32 rounding", 1.0 / 3.0, f, "0.33333334"},
		{"tuple2", value.Tuple{"APPLE", int64(3)}, ty("TUPLE", str, i), "(APPLE,3)"},
		{"tuple with null", value.Tuple{nil, int64(1)}, ty("TUPLE", str, i), "(null,1)"},
		{"nested tuple", value.Tuple{"a", value.Tuple{int64(1), true}}, ty("TUPLE", str, ty("TUPLE", i, b)), "(a,(1,true))"},
		{"row", &value.Row{Fields: []any{"a", int64(1)}}, ty("ROW", str, i), "+I[a, 1]"},
		{"row delete", &value.Row{Kind: value.Delete, Fields: []any{"a"}}, ty("ROW", str), "-D[a]"},
		{"list", []any{int64(1), int64(2), int64(3)}, &types.TypeInfo{T: "LIST", Elem: i}, "[1, 2, 3]"},
		{"map", &value.Map{Keys: []any{"k", "k2"}, Values: []any{int64(1), int64(2)}}, &types.TypeInfo{T: "MAP", Key: str, Val: i}, "{k=1, k2=2}"},
		{"date", value.Date{Year: 2021, Month: 1, Day: 9}, ty("SQL_DATE"), "2021-01-09"},
		{"time", value.Time{Hour: 12}, ty("SQL_TIME"), "12:00:00"},
		{"timestamp", value.Timestamp{Date: value.Date{Year: 2021, Month: 1, Day: 9}, Time: value.Time{Hour: 12, Microsecond: 11000}}, ty("SQL_TIMESTAMP"), "2021-01-09 12:00:00.011"},
		{"timestamp whole", value.Timestamp{Date: value.Date{Year: 2021, Month: 1, Day: 9}}, ty("SQL_TIMESTAMP"), "2021-01-09 00:00:00.0"},
		{"instant", value.Instant{Seconds: 1610193600}, ty("INSTANT"), "2021-01-09T12:00:00Z"},
		{"instant millis", value.Instant{Seconds: 0, Nanos: 5_000_000}, ty("INSTANT"), "1970-01-01T00:00:00.005Z"},
		{"decimal", value.Decimal("1.50"), ty("BIG_DEC"), "1.50"},
		{"null", nil, str, "null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Java(tc.v, tc.t)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Java(%#v) = %q, want %q", tc.v, got, tc.want)
			}
		})
	}
}
