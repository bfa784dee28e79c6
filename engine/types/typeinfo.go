package types

// TypeInfo describes the values of a stream, as PyFlink's TypeInformation
// does. It decides how values are printed and hashed; PICKLED means "an
// arbitrary Python object" that only Python can look inside.
type TypeInfo struct {
	T      string      `msgpack:"t"`
	Fields []*TypeInfo `msgpack:"fields,omitempty"`
	Names  []string    `msgpack:"names,omitempty"`
	Elem   *TypeInfo   `msgpack:"elem,omitempty"`
	Key    *TypeInfo   `msgpack:"key,omitempty"`
	Val    *TypeInfo   `msgpack:"value,omitempty"`
}

// The type names of TypeInfo.T.
const (
	TString       = "STRING"
	TBoolean      = "BOOLEAN"
	TByte         = "BYTE"
	TShort        = "SHORT"
	TInt          = "INT"
	TLong         = "LONG"
	TFloat        = "FLOAT"
	TDouble       = "DOUBLE"
	TChar         = "CHAR"
	TBigInt       = "BIG_INT"
	TBigDec       = "BIG_DEC"
	TSQLDate      = "SQL_DATE"
	TSQLTime      = "SQL_TIME"
	TSQLTimestamp = "SQL_TIMESTAMP"
	TInstant      = "INSTANT"
	TPickled      = "PICKLED"
	TTuple        = "TUPLE"
	TRow          = "ROW"
	TList         = "LIST"
	TMap          = "MAP"
	TPrimArray    = "PRIMITIVE_ARRAY"
	TBasicArray   = "BASIC_ARRAY"
	TObjectArray  = "OBJECT_ARRAY"
)

// Pickled is the type of untyped Python streams.
var Pickled = &TypeInfo{T: TPickled}

// IsPickled reports whether t is absent or PICKLED.
func (t *TypeInfo) IsPickled() bool { return t == nil || t.T == TPickled || t.T == "" }

// Validate checks that t is a known, well-formed type.
func (t *TypeInfo) Validate() error {
	if t == nil {
		return nil
	}
	switch t.T {
	case TString, TBoolean, TByte, TShort, TInt, TLong, TFloat, TDouble, TChar, TBigInt, TBigDec,
		TSQLDate, TSQLTime, TSQLTimestamp, TInstant, TPickled:
		return nil
	case TTuple, TRow:
		if t.T == TRow && t.Names != nil && len(t.Names) != len(t.Fields) {
			return typeErr(t, "has %d names for %d fields", len(t.Names), len(t.Fields))
		}
		for _, f := range t.Fields {
			if err := f.Validate(); err != nil {
				return err
			}
		}
		return nil
	case TList, TPrimArray, TBasicArray, TObjectArray:
		if t.Elem == nil {
			return typeErr(t, "needs an element type")
		}
		return t.Elem.Validate()
	case TMap:
		if t.Key == nil || t.Val == nil {
			return typeErr(t, "needs key and value types")
		}
		if err := t.Key.Validate(); err != nil {
			return err
		}
		return t.Val.Validate()
	default:
		return typeErr(t, "is not a known type")
	}
}
