package value

import (
	"bytes"
	"encoding/hex"
	"math"
	"reflect"
	"strings"
	"testing"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEncodeGoConveniences checks Go types that are not value types but encode like their value equivalents.
func TestEncodeGoConveniences(t *testing.T) {
	cases := []struct {
		name string
		in   any
		hex  string
	}{
		{"int", int(300), "cd012c"},
		{"int8", int8(-5), "fb"},
		{"int16", int16(-200), "d1ff38"},
		{"int32", int32(70000), "ce00011170"},
		{"uint", uint(5), "05"},
		{"uint8", uint8(200), "ccc8"},
		{"uint16", uint16(1000), "cd03e8"},
		{"uint32", uint32(1 << 31), "ce80000000"},
		{"uint64 small", uint64(7), "07"},
		{"float32", float32(1.5), "cb3ff8000000000000"},
		{"row by value", Row{Kind: UpdateAfter, Fields: []any{int64(1)}}, "c7 05 02 93 02 c0 91 01"},
		{"map by value", Map{Keys: []any{"a"}, Values: []any{true}}, "81 a161 c3"},
		{"nil *Row", (*Row)(nil), "c0"},
		{"nil *Map", (*Map)(nil), "c0"},
		{"strings", []string{"a", "bc"}, "92 a161 a26263"},
		{"map[string]any sorted", map[string]any{"b": int64(2), "a": "x"}, "82 a161 a178 a162 02"},
		{"map[string]string sorted", map[string]string{"z": "1", "y": "2"}, "82 a179 a132 a17a a131"},
		{"raw verbatim", Raw{0x92, 0x01, 0x02}, "92 01 02"},
		{"raw inside list", []any{Raw{0xc3}, int64(1)}, "92 c3 01"},
		{"raw inside tuple", Tuple{Raw{0xa1, 'q'}}, "c7 03 01 91 a171"},
		{"instant", Instant{Seconds: 1, Nanos: 2}, "c7 03 07 92 01 02"},
		{"decimal", Decimal("2.5"), "c7 03 03 322e35"},
		{"pickled", Pickled{0x80, 0x05, 0x2e}, "c7 03 09 80052e"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Encode(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if want := mustHex(t, c.hex); !bytes.Equal(got, want) {
				t.Fatalf("Encode(%#v) = %x, want %x", c.in, got, want)
			}
		})
	}
}

// TestEncodeErrors checks that values the wire cannot carry are rejected with context.
func TestEncodeErrors(t *testing.T) {
	cases := []struct {
		name string
		in   any
		want string
	}{
		{"unsupported type", struct{}{}, "cannot encode a value of Go type struct {}"},
		{"nested unsupported", []any{int64(1), make(chan int)}, "item 1: cannot encode"},
		{"empty raw", Raw{}, "empty Raw"},
		{"map mismatch", &Map{Keys: []any{"a"}}, "1 keys but 0 values"},
		{"row kind", &Row{Kind: 9}, "row kind 9 out of range"},
		{"tuple item", Tuple{complex(1, 2)}, "tuple: item 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Encode(c.in)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Encode(%#v) error = %v, want it to contain %q", c.in, err, c.want)
			}
		})
	}
}

// TestLargeSizes round-trips every 16- and 32-bit length form, checking the header bytes.
func TestLargeSizes(t *testing.T) {
	long := strings.Repeat("s", 70000)
	items := make([]any, 70000)
	for i := range items {
		items[i] = int64(i % 100)
	}
	keys := make([]any, 70000)
	vals := make([]any, 70000)
	for i := range keys {
		keys[i], vals[i] = int64(i), nil
	}
	cases := []struct {
		name   string
		in     any
		prefix string
	}{
		{"str16", strings.Repeat("s", 300), "da012c"},
		{"str32", long, "db00011170"},
		{"bin16", bytes.Repeat([]byte{1}, 300), "c5012c"},
		{"bin32", bytes.Repeat([]byte{1}, 70000), "c600011170"},
		{"array16", items[:300], "dc012c"},
		{"array32", items, "dd00011170"},
		{"map16", &Map{Keys: keys[:20], Values: vals[:20]}, "de0014"},
		{"map32", &Map{Keys: keys, Values: vals}, "df00011170"},
		{"ext32", Tuple{long}, "c9 00011176 01 91 db00011170"},
		{"ext16", Pickled(bytes.Repeat([]byte{7}, 300)), "c8012c09"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Encode(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if p := mustHex(t, c.prefix); !bytes.HasPrefix(b, p) {
				t.Fatalf("encoding starts %x, want %x", b[:len(p)], p)
			}
			got, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			again, err := Encode(got)
			if err != nil || !bytes.Equal(again, b) {
				t.Fatalf("re-encode differs (err %v)", err)
			}
			if n, err := Skip(b); err != nil || n != len(b) {
				t.Fatalf("Skip = %d, %v, want %d", n, err, len(b))
			}
		})
	}
}

// TestDecodeNonCanonical checks inputs Python never writes but msgpack allows.
func TestDecodeNonCanonical(t *testing.T) {
	cases := []struct {
		name string
		hex  string
		want any
	}{
		{"float32", "ca3fc00000", 1.5},
		{"wide uint", "cf0000000000000005", int64(5)},
		{"wide int", "d3fffffffffffffffe", int64(-2)},
		{"int8 positive", "d005", int64(5)},
		{"str8 short", "d90161", "a"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Decode(mustHex(t, c.hex))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %#v, want %#v", got, c.want)
			}
		})
	}
}

// TestDecodeErrors checks malformed input is reported, not panicked on or accepted.
func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		name string
		hex  string
		want string
	}{
		{"empty", "", "truncated"},
		{"reserved byte", "c1", "invalid format byte 0xc1"},
		{"trailing", "0101", "1 bytes after the value"},
		{"short str", "a3 6162", "truncated"},
		{"short array", "92 01", "truncated"},
		{"huge array claim", "dd ffffffff 01", "truncated"},
		{"unknown ext", "d4 63 00", "extension type 99: unknown"},
		{"tuple payload not array", "d4 01 01", "expected an array"},
		{"tuple payload trailing", "d5 01 90 01", "1 bytes after the payload"},
		{"row wrong arity", "d5 02 92 00 c0", "row payload has 2 items"},
		{"row kind range", "d6 02 93 07 c0 90", "row kind 7 out of range"},
		{"row name not str", "d7 02 93 00 91 01 91 01 c0 c0", "row name 0"},
		{"date arity", "d6 04 92 01 01 c0", "payload has 2 items, want 3"},
		{"instant nanos range", "c7 0b 07 92 01 cf 0000000100000000", "instant nanos"},
		{"bigint not digits", "d4 08 41", "not a decimal integer"},
		{"bigint empty", "c7 00 08", "not a decimal integer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(mustHex(t, c.hex))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Decode error = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

// TestDepthLimit checks deep nesting is refused instead of exhausting the stack.
func TestDepthLimit(t *testing.T) {
	deep := append(bytes.Repeat([]byte{0x91}, maxDepth+10), 0x01)
	if _, err := Decode(deep); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Fatalf("Decode(deep) error = %v", err)
	}
	if n, err := Skip(deep); err != nil || n != len(deep) {
		t.Fatalf("Skip(deep) = %d, %v", n, err)
	}
	ok := append(bytes.Repeat([]byte{0x91}, 100), 0x01)
	if _, err := Decode(ok); err != nil {
		t.Fatalf("Decode(100 levels): %v", err)
	}
	var v any = int64(1)
	for i := 0; i < maxDepth+5; i++ {
		v = []any{v}
	}
	if _, err := Encode(v); err == nil {
		t.Fatal("Encode of a too-deep value succeeded")
	}
}

// TestFloatBitsPreserved checks NaN payloads and negative zero survive the trip.
func TestFloatBitsPreserved(t *testing.T) {
	for _, bits := range []uint64{0x7ff8000000000001, 0x8000000000000000, math.Float64bits(math.Inf(-1))} {
		b, _ := Encode(math.Float64frombits(bits))
		v, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if got := math.Float64bits(v.(float64)); got != bits {
			t.Fatalf("bits %x came back as %x", bits, got)
		}
	}
}
