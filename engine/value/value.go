// Package value defines the values that flow through the engine on behalf of
// Python programs, and their msgpack wire encoding shared with the Python side.
//
// A value is a Go `any` holding one of:
//
//	nil, bool, int64, uint64 (only above MaxInt64), float64, string, []byte,
//	[]any (a Python list), Tuple, *Row, *Map, Decimal, BigInt, Date, Time,
//	Timestamp, Instant, Pickled, or Raw (an undecoded msgpack encoding of any of these).
//
// Raw lets records pass between Python operators without being decoded in Go:
// only operators that look inside a value (key hashing, native aggregates,
// Java-style printing) decode it. The wire encoding is specified in udf/SPEC.md
// and pinned by udf/testdata/vectors.json.
//
// Encode and AppendEncode write the encoding, Decode reads it back into the
// types above, and Skip, SplitArray and the Read functions pick encodings
// apart without decoding (sub-slices, no copies) for hot paths that only move
// records along.
package value

// Raw is the msgpack encoding of exactly one value. It is passed through
// undecoded until an operator needs its contents.
type Raw []byte

// Tuple is a Python tuple (or a Flink TupleN when typed).
type Tuple []any

// RowKind is the change flag of a Row, as Flink's RowKind.
type RowKind int8

// The row kinds, numbered as Flink numbers them.
const (
	Insert       RowKind = 0 // +I
	UpdateBefore RowKind = 1 // -U
	UpdateAfter  RowKind = 2 // +U
	Delete       RowKind = 3 // -D
)

// String returns the short form Flink prints: +I, -U, +U or -D.
func (k RowKind) String() string {
	switch k {
	case UpdateBefore:
		return "-U"
	case UpdateAfter:
		return "+U"
	case Delete:
		return "-D"
	default:
		return "+I"
	}
}

// Row is a Flink Row: a kind, optional field names and the field values.
type Row struct {
	Kind   RowKind
	Names  []string // nil when the row has no field names
	Fields []any
}

// Map is a Python dict; it keeps insertion order and allows any key type.
type Map struct {
	Keys   []any
	Values []any
}

// Decimal is a decimal.Decimal in its canonical string form.
type Decimal string

// BigInt is an integer outside the int64/uint64 range, in decimal form.
type BigInt string

// Date is a calendar date (datetime.date / java.sql.Date).
type Date struct{ Year, Month, Day int }

// Time is a time of day (datetime.time / java.sql.Time).
type Time struct{ Hour, Minute, Second, Microsecond int }

// Timestamp is a naive date and time (datetime.datetime / java.sql.Timestamp).
type Timestamp struct {
	Date
	Time
}

// Instant is a point on the UTC time line (pyflink Instant / java.time.Instant).
type Instant struct {
	Seconds int64
	Nanos   int32
}

// Pickled is an arbitrary Python object serialized with cloudpickle; only
// Python can look inside it.
type Pickled []byte
