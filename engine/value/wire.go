package value

// The wire encoding is msgpack with the extension types below; udf/SPEC.md is
// the normative description and udf/testdata/vectors.json pins it byte for byte.
// Encoders choose the smallest msgpack form for every integer, string, binary,
// array, map and extension length (the choices Python's msgpack makes), so a
// decoded value re-encodes to the identical bytes.

// Extension type codes of the wire encoding.
const (
	ExtTuple     int8 = 1 // Tuple: payload is a msgpack array of the items
	ExtRow       int8 = 2 // *Row: payload is [kind, names or nil, [fields]]
	ExtDecimal   int8 = 3 // Decimal: payload is the decimal string
	ExtDate      int8 = 4 // Date: payload is [year, month, day]
	ExtTime      int8 = 5 // Time: payload is [hour, minute, second, microsecond]
	ExtTimestamp int8 = 6 // Timestamp: payload is [y, m, d, h, mi, s, us]
	ExtInstant   int8 = 7 // Instant: payload is [seconds, nanos]
	ExtBigInt    int8 = 8 // BigInt: payload is the decimal digits, ASCII
	ExtPickled   int8 = 9 // Pickled: payload is the cloudpickle bytes
)

// maxDepth bounds the nesting of arrays, maps and extension payloads that
// Decode accepts, so hostile input cannot exhaust the stack.
const maxDepth = 512

// msgpack format bytes.
const (
	mpNil      = 0xc0
	mpFalse    = 0xc2
	mpTrue     = 0xc3
	mpBin8     = 0xc4
	mpBin16    = 0xc5
	mpBin32    = 0xc6
	mpExt8     = 0xc7
	mpExt16    = 0xc8
	mpExt32    = 0xc9
	mpFloat32  = 0xca
	mpFloat64  = 0xcb
	mpUint8    = 0xcc
	mpUint16   = 0xcd
	mpUint32   = 0xce
	mpUint64   = 0xcf
	mpInt8     = 0xd0
	mpInt16    = 0xd1
	mpInt32    = 0xd2
	mpInt64    = 0xd3
	mpFixExt1  = 0xd4
	mpFixExt2  = 0xd5
	mpFixExt4  = 0xd6
	mpFixExt8  = 0xd7
	mpFixExt16 = 0xd8
	mpStr8     = 0xd9
	mpStr16    = 0xda
	mpStr32    = 0xdb
	mpArray16  = 0xdc
	mpArray32  = 0xdd
	mpMap16    = 0xde
	mpMap32    = 0xdf
)
