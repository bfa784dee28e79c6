package value

import (
	"bytes"
	"strings"
	"testing"
)

// TestSplitArray checks that items come back as sub-slices equal to their own encodings.
func TestSplitArray(t *testing.T) {
	items := []any{int64(1), "two", Tuple{int64(3), []any{nil}}, &Row{Fields: []any{4.5}}, &Map{Keys: []any{"k"}, Values: []any{int64(5)}}}
	b, err := Encode(items)
	if err != nil {
		t.Fatal(err)
	}
	raws, err := SplitArray(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(raws) != len(items) {
		t.Fatalf("got %d items, want %d", len(raws), len(items))
	}
	for i, r := range raws {
		want, _ := Encode(items[i])
		if !bytes.Equal(r, want) {
			t.Errorf("item %d = %x, want %x", i, r, want)
		}
		if indexOf(b, r) < 0 {
			t.Errorf("item %d is a copy, want a sub-slice", i)
		}
		if cap(r) != len(r) {
			t.Errorf("item %d has spare capacity %d; appending to it would overwrite its neighbour", i, cap(r)-len(r))
		}
	}
	// AppendEncode of the split items rebuilds the array byte for byte.
	rebuilt := AppendArrayHeader(nil, len(raws))
	for _, r := range raws {
		rebuilt, _ = AppendEncode(rebuilt, r)
	}
	if !bytes.Equal(rebuilt, b) {
		t.Fatalf("rebuilt %x, want %x", rebuilt, b)
	}
}

func indexOf(b, sub []byte) int {
	for i := range b {
		if &b[i] == &sub[0] {
			return i
		}
	}
	return -1
}

// TestSplitArrayErrors checks the error cases of the splitter.
func TestSplitArrayErrors(t *testing.T) {
	cases := []struct {
		name, hex, want string
	}{
		{"not array", "81a16101", "expected an array"},
		{"trailing", "910101", "1 bytes after the array"},
		{"truncated item", "92 01 a3 61", "array item 1"},
		{"count beyond input", "dc ffff 01", "truncated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := SplitArray(mustHex(t, c.hex))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error = %v, want %q", err, c.want)
			}
		})
	}
}

// TestAppendSplitArrayRest checks splitting an array in the middle of a message.
func TestAppendSplitArrayRest(t *testing.T) {
	msg := mustHex(t, "92 01 02 a3 656e64")
	items, rest, err := AppendSplitArray(make([]Raw, 0, 1), msg)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || !bytes.Equal(rest, mustHex(t, "a3656e64")) {
		t.Fatalf("items %x rest %x", items, rest)
	}
}

// TestReaders checks the header and scalar readers used to pick messages apart.
func TestReaders(t *testing.T) {
	msg := AppendMapHeader(nil, 3)
	msg = AppendString(msg, "seq")
	msg = AppendInt(msg, -70000)
	msg = AppendString(msg, "key")
	msg = AppendBin(msg, []byte{9, 8})
	msg = AppendString(msg, "big")
	msg = AppendUint(msg, 1<<63)

	n, rest, err := ReadMapHeader(msg)
	if err != nil || n != 3 {
		t.Fatalf("ReadMapHeader = %d, %v", n, err)
	}
	k, rest, err := ReadStringBytes(rest)
	if err != nil || string(k) != "seq" {
		t.Fatalf("key = %q, %v", k, err)
	}
	v, rest, err := ReadInt(rest)
	if err != nil || v != -70000 {
		t.Fatalf("ReadInt = %d, %v", v, err)
	}
	_, rest, _ = ReadStringBytes(rest)
	p, rest, err := ReadBinBytes(rest)
	if err != nil || !bytes.Equal(p, []byte{9, 8}) {
		t.Fatalf("ReadBinBytes = %x, %v", p, err)
	}
	_, rest, _ = ReadStringBytes(rest)
	if _, _, err := ReadInt(rest); err == nil || !strings.Contains(err.Error(), "overflows int64") {
		t.Fatalf("ReadInt(2^63) error = %v", err)
	}
	if _, _, err := ReadBinBytes([]byte{0xa1, 'x'}); err == nil {
		t.Fatal("ReadBinBytes accepted a string")
	}
	if _, _, err := ReadStringBytes([]byte{0xa5, 'x'}); err == nil {
		t.Fatal("ReadStringBytes accepted a truncated string")
	}
	if !IsNil([]byte{0xc0}) || IsNil([]byte{0x00}) || IsNil(nil) {
		t.Fatal("IsNil wrong")
	}
}
